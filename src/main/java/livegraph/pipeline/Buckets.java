package livegraph.pipeline;

/** Reads one key's value in one bucket of a ring, as series, heatmaps and sparklines show it. */
final class Buckets {

  private Buckets() {}

  /**
   * The first column's value of key {@code id} in bucket {@code b}; {@code empty} when the key
   * has no event there (or no id, -1).
   *
   * @param seconds the bucket's width, for rates
   */
  static double value(BucketRing ring, long b, int id, double seconds, double empty) {
    if (id < 0) {
      return empty;
    }
    Rows rows = ring.at(b);
    int row = rows.row(id);
    return row < 0 ? empty : rows.value(row, 0, seconds);
  }
}
