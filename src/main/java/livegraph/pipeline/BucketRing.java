package livegraph.pipeline;

/**
 * The last {@code length} time buckets of a chart, newest last, each a sparse {@link Rows}: the
 * one bucket store every chart kind shares.
 *
 * <p>Bucket b (time {@code [b * width, (b + 1) * width)}) lives in slot {@code floorMod(b,
 * length)} while {@code current - length < b <= current}. Moving {@code current} forward hands
 * each bucket that falls out to a listener (which takes it out of running totals and releases
 * its keys) and empties it for reuse; a jump longer than the ring costs one pass over it, not one
 * per skipped bucket. {@code current} never moves back. Pipeline thread only.
 */
final class BucketRing {

  /** Told about each non-empty bucket just before it is emptied. */
  interface Leaving {
    void leave(long bucket, Rows rows);
  }

  private final Rows[] slots;
  private long current;

  BucketRing(int length, Measure[] measures, long current) {
    slots = new Rows[length];
    for (int i = 0; i < length; i++) {
      slots[i] = Rows.sparse(measures);
    }
    this.current = current;
  }

  int length() {
    return slots.length;
  }

  /** Index of the newest bucket. */
  long current() {
    return current;
  }

  /** Index of the oldest bucket held. */
  long oldest() {
    return current - slots.length + 1;
  }

  /** Whether bucket {@code b} is held. */
  boolean holds(long b) {
    return b <= current && current - b < slots.length;
  }

  /** The rows of bucket {@code b}, which must be held. */
  Rows at(long b) {
    return slots[(int) Math.floorMod(b, (long) slots.length)];
  }

  /** Makes {@code target} the newest bucket if it is newer; see the class comment. */
  void advance(long target, Leaving leaving) {
    if (target <= current) {
      return;
    }
    long from = oldest();
    long to = Math.min(current, target - slots.length); // last bucket that leaves
    for (long b = from; b <= to; b++) {
      Rows rows = at(b);
      if (rows.size() > 0) {
        leaving.leave(b, rows);
        rows.clear();
      }
    }
    current = target;
  }
}
