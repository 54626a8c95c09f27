package livegraph.pipeline;

import java.util.List;

/**
 * Measures per key over time windows: the engine under every chart kind but the list.
 *
 * <h2>Design</h2>
 *
 * <p>Time is cut into buckets of {@code bucket} aligned to the epoch. One {@link BucketRing}
 * holds, per bucket, a row of cells per key, for as many buckets as the longest finite window
 * (or series retention) needs. Each finite window keeps a dense row per key: for the
 * subtractable measures (count, sum, avg, rate) and the event count, a running total, which an
 * event adds to and a bucket leaving the window is subtracted from; so an event costs
 * O(windows) and a bucket change O(keys in the leaving bucket), whatever the window lengths.
 * The other measures (min, max, last, distinct, quantiles) cannot be taken back out: their
 * window cells are re-merged from the window's buckets by {@link #prepare()}, which charts
 * call only when about to publish a change.
 *
 * <p>Windows. Sliding: the current bucket and the full ones before it, ceil(length / bucket)
 * buckets, so with 10 s buckets a 10 min window covers between 9 min 50 s and 10 min and an
 * event leaves it exactly when the 60th bucket after its own begins. Tumbling: the buckets of
 * the current aligned period {@code [floor(now / length) * length, now]}; at the next period's
 * first bucket it empties. Since start: one dense row per key that only ever adds, with its own
 * key bound. Rates divide by the window's seconds: a sliding window's length; a tumbling
 * window's elapsed part of its period, at least one bucket (so the first events of a period do
 * not read as a spike); since start, the time since this object was created, at least 1 s.
 *
 * <p>Bound: at most {@code maxKeys} keys in the ring, hence in every finite window (each holds a
 * subset of the ring's buckets), and at most {@code maxKeys} since start. An occurrence of a key
 * that is new while its table is full is left out there and counted once in {@link
 * #overflow()}. A key's id is released when the last bucket holding it leaves the ring, that
 * is once it has left every finite window, so expiry frees slots for new keys; a full "since
 * start" stays full. Memory is at most (ring buckets + windows + 1) x maxKeys rows.
 *
 * <p>Time only moves forward: an event or {@link #advanceTo} later than the newest bucket first
 * expires what leaves; an earlier one never moves time back. An event older than the ring counts
 * only since start. Pipeline thread only.
 */
final class WindowedRows {

  /** A window of this table: {@code buckets == 0} means since start. */
  record Span(long lengthMillis, boolean tumbling, int buckets) {

    static Span of(Window window, long bucketMillis) {
      if (window.isSinceStart()) {
        return new Span(0, false, 0);
      }
      long length = window.length().toMillis();
      int buckets = (int) Checks.ceilDiv(length, bucketMillis);
      return new Span(length, window.tumbling(), buckets);
    }

    static Span sliding(int buckets, long bucketMillis) {
      return new Span(buckets * bucketMillis, false, buckets);
    }

    boolean sinceStart() {
      return buckets == 0;
    }
  }

  private final Measure[] measures;
  private final long bucketMillis;
  private final long startMillis;
  private final Span[] spans;
  private final BucketRing ring; // pipeline thread, as is everything below
  private final KeyIds ringKeys;
  private final Rows[] totals; // per window, dense by ring key id; null for since start
  private final KeyIds sinceKeys; // null without a since-start window
  private final Rows since; // null without a since-start window
  private final boolean mergesAtPublish;
  private final Rows scratch; // one dense row for merges ("other")
  private long nowMillis;
  private long seq;
  private long overflow;
  private boolean changed = true;
  private boolean prepared;

  /**
   * @param ringBuckets buckets held, at least every finite window's
   * @param startMillis now: since-start windows count from here, and the first bucket is now's
   */
  WindowedRows(List<Measure> measures, long bucketMillis, int ringBuckets, List<Span> spans,
      int maxKeys, long startMillis) {
    this.measures = measures.toArray(Measure[]::new);
    this.bucketMillis = bucketMillis;
    this.startMillis = startMillis;
    this.nowMillis = startMillis;
    this.spans = spans.toArray(Span[]::new);
    ring = new BucketRing(ringBuckets, this.measures, Math.floorDiv(startMillis, bucketMillis));
    ringKeys = new KeyIds(maxKeys);
    totals = new Rows[this.spans.length];
    boolean anySince = false;
    for (int w = 0; w < this.spans.length; w++) {
      Span span = this.spans[w];
      if (span.sinceStart()) {
        anySince = true;
      } else {
        if (span.buckets() > ringBuckets) {
          throw new IllegalArgumentException(
              "window of " + span.buckets() + " buckets outgrows the ring of " + ringBuckets);
        }
        totals[w] = Rows.dense(this.measures);
      }
    }
    sinceKeys = anySince ? new KeyIds(maxKeys) : null;
    since = anySince ? Rows.dense(this.measures) : null;
    boolean merges = false;
    for (Measure m : this.measures) {
      merges |= !m.subtractable();
    }
    mergesAtPublish = merges;
    scratch = Rows.dense(this.measures);
  }

  /**
   * Takes one event under each of {@code keys} (distinct), at {@code timeMillis} (not after the
   * clock).
   *
   * @return {@code false} when the event was too old for the ring (it counted since start only)
   */
  boolean add(long timeMillis, List<String> keys, Event event) {
    long bucket = Math.floorDiv(timeMillis, bucketMillis);
    advance(timeMillis);
    boolean inRing = ring.holds(bucket);
    long order = ++seq;
    for (String key : keys) {
      boolean overflowed = false;
      if (inRing) {
        int id = ringKeys.admit(key);
        if (id < 0) {
          overflowed = true;
        } else {
          Rows rows = ring.at(bucket);
          int before = rows.size();
          int row = rows.rowFor(id);
          if (rows.size() > before) {
            ringKeys.retain(id);
          }
          rows.add(row, event, timeMillis, order);
          for (int w = 0; w < spans.length; w++) {
            if (totals[w] != null && bucket >= first(w, ring.current())) {
              totals[w].addSubtractable(totals[w].rowFor(id), event, timeMillis, order);
            }
          }
        }
      }
      if (since != null) {
        int id = sinceKeys.admit(key);
        if (id < 0) {
          overflowed = true;
        } else {
          since.add(since.rowFor(id), event, timeMillis, order);
        }
      }
      if (overflowed) {
        overflow++;
      }
      changed = true;
    }
    return inRing || ring.length() == 0;
  }

  /** Moves time to {@code nowMillis} if later, expiring buckets that left their windows. */
  void advanceTo(long nowMillis) {
    advance(nowMillis);
  }

  private void advance(long millis) {
    if (millis <= nowMillis) {
      return;
    }
    nowMillis = millis;
    long target = Math.floorDiv(millis, bucketMillis);
    long old = ring.current();
    if (target <= old) {
      return;
    }
    for (int w = 0; w < spans.length; w++) {
      Rows total = totals[w];
      if (total == null) {
        continue;
      }
      long from = Math.max(first(w, old), ring.oldest());
      long to = Math.min(first(w, target) - 1, old); // last bucket leaving window w
      if (to >= old) {
        // Every bucket leaves: emptying is exact and cheaper than subtracting.
        for (long b = from; b <= to && !changed; b++) {
          changed = ring.at(b).size() > 0;
        }
        total.clear();
        continue;
      }
      for (long b = from; b <= to; b++) {
        Rows leaving = ring.at(b);
        for (int r = 0; r < leaving.size(); r++) {
          total.subtract(leaving.id(r), leaving, r);
        }
        changed |= leaving.size() > 0;
      }
    }
    ring.advance(target, (b, rows) -> {
      for (int r = 0; r < rows.size(); r++) {
        int id = rows.id(r);
        if (ringKeys.release(id)) {
          for (Rows total : totals) {
            if (total != null) {
              total.clear(id); // already empty but for the re-merged columns
            }
          }
        }
      }
    });
  }

  /** First bucket of finite window {@code w} when the newest is {@code current}. */
  private long first(int w, long current) {
    Span span = spans[w];
    if (span.tumbling()) {
      long period = span.buckets();
      return Math.floorDiv(current, period) * period;
    }
    return current - span.buckets() + 1;
  }

  /** Whether anything may have changed since the last {@link #markPublished()}. */
  boolean changed() {
    return changed;
  }

  void markChanged() {
    changed = true;
  }

  /** Clears {@link #changed()}; charts call it once they have written their state. */
  void markPublished() {
    changed = false;
  }

  /**
   * Re-merges the cells of the measures that are not subtractable for every finite window; to
   * be called before reading windows, only when {@link #changed()} (else it is a no-op).
   */
  void prepare() {
    if (!mergesAtPublish || (prepared && !changed)) {
      return;
    }
    long current = ring.current();
    for (int w = 0; w < spans.length; w++) {
      Rows total = totals[w];
      if (total == null) {
        continue;
      }
      total.clearNonSubtractable();
      for (long b = Math.max(first(w, current), ring.oldest()); b <= current; b++) {
        Rows rows = ring.at(b);
        for (int r = 0; r < rows.size(); r++) {
          total.mergeNonSubtractable(rows.id(r), rows, r);
        }
      }
    }
    prepared = true;
  }

  /** Rows of window {@code w} (dense by key id; after {@link #prepare()}). */
  Rows window(int w) {
    return totals[w] != null ? totals[w] : since;
  }

  /** Keys of window {@code w}'s rows. */
  KeyIds keys(int w) {
    return totals[w] != null ? ringKeys : sinceKeys;
  }

  /** Seconds window {@code w} covers now, for rates; see the class comment. */
  double seconds(int w) {
    Span span = spans[w];
    if (span.sinceStart()) {
      return Math.max(1000, nowMillis - startMillis) / 1000.0;
    }
    if (span.tumbling()) {
      long periodStart = first(w, ring.current()) * bucketMillis;
      return Math.max(bucketMillis, nowMillis - periodStart) / 1000.0;
    }
    return span.lengthMillis() / 1000.0;
  }

  /** The ring, for per-bucket values. */
  BucketRing ring() {
    return ring;
  }

  KeyIds ringKeys() {
    return ringKeys;
  }

  long bucketMillis() {
    return bucketMillis;
  }

  Measure measure(int column) {
    return measures[column];
  }

  /** A dense row 0 for merging rows (e.g. the "other" row), emptied. */
  Rows scratch() {
    scratch.clear();
    scratch.rowFor(0);
    return scratch;
  }

  long overflow() {
    return overflow;
  }

  long nowMillis() {
    return nowMillis;
  }
}
