package livegraph.pipeline;

import java.util.Arrays;

/**
 * Orders the live keys of a window by one column's value, highest first, keys without a value
 * last, ties by key ascending: the order bars, rows and series are shown in.
 */
final class Ranking {

  private Ranking() {}

  /**
   * Ids of the keys with events in {@code rows}, best first.
   *
   * @param column the ranking column
   * @param seconds the window's seconds, for rates
   */
  static int[] rank(Rows rows, KeyIds keys, int column, double seconds) {
    int n = 0;
    int[] ids = new int[16];
    for (int id = 0; id < Math.min(rows.size(), keys.limit()); id++) {
      if (rows.row(id) >= 0) {
        if (n == ids.length) {
          ids = Arrays.copyOf(ids, n * 2);
        }
        ids[n++] = id;
      }
    }
    Entry[] entries = new Entry[n];
    for (int i = 0; i < n; i++) {
      double v = rows.value(ids[i], column, seconds);
      entries[i] = new Entry(ids[i], keys.key(ids[i]), Double.isFinite(v) ? v : Double.NaN);
    }
    Arrays.sort(entries, Ranking::compare);
    int[] ranked = new int[n];
    for (int i = 0; i < n; i++) {
      ranked[i] = entries[i].id;
    }
    return ranked;
  }

  private static int compare(Entry a, Entry b) {
    boolean aNone = Double.isNaN(a.value);
    boolean bNone = Double.isNaN(b.value);
    if (aNone != bNone) {
      return aNone ? 1 : -1;
    }
    if (!aNone && a.value != b.value) {
      return a.value > b.value ? -1 : 1;
    }
    return a.key.compareTo(b.key);
  }

  private record Entry(int id, String key, double value) {}
}
