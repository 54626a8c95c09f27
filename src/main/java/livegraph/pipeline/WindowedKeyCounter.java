package livegraph.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;

/**
 * A bar chart's counts per key over several windows, kept incrementally in one ring of buckets.
 *
 * <h2>Design</h2>
 *
 * <p>Time is cut into buckets of {@code spec.bucket()} aligned to the epoch. One ring holds, per
 * bucket, the count of each key, for as many buckets as the longest finite window needs. Each
 * window keeps a running total per key: an event adds to its bucket and to the total of every
 * window; when time moves on, the bucket that falls out of a window is subtracted from that
 * window's total, and the bucket that falls out of the longest window is cleared for reuse. So
 * an event costs O(windows) and a bucket change O(keys in the leaving bucket), whatever the
 * window lengths. A "since start" window only ever adds.
 *
 * <p>Granularity: a window of length L holds ceil(L / bucket) buckets, the current (partial)
 * one and the full ones before it. With 10 s buckets a 10 min window is the current bucket plus
 * the previous 59, so it covers between 9 min 50 s and 10 min of history, and an event leaves it
 * exactly when the 60th bucket after its own begins.
 *
 * <p>Bound: each window tracks at most {@code maxKeys} keys. Admission to the finite windows is
 * decided once, by the longest finite window: its keys are exactly the keys held in the ring and
 * include every shorter window's, so the ring and every finite window stay within maxKeys. An
 * occurrence of a key that is new to a full window is not counted under its key there but in
 * {@code overflow} (cumulative since start, each occurrence at most once). Keys whose total
 * falls to zero are removed, so expiry frees slots for new keys; a full "since start" window
 * stays full. Memory is at most (ring buckets + windows) x maxKeys entries.
 */
final class WindowedKeyCounter implements Aggregator {

  private final KeyedChartSpec spec;
  private final long bucketMillis;
  private final int ring; // buckets held, the longest finite window's; 0 if all are since start
  private final KeyCounts[] buckets; // bucket b at slot floorMod(b, ring); pipeline thread
  private final int[] windowBuckets; // per window: buckets it spans, 0 = since start
  private final KeyCounts[] totals; // per window: running count per key; pipeline thread
  private final int longest; // index of the longest finite window, -1 if none
  private long current; // index of the newest bucket
  private long overflow;
  private boolean changed = true;

  WindowedKeyCounter(KeyedChartSpec spec, long nowMillis) {
    this.spec = spec;
    this.bucketMillis = spec.bucket().toMillis();
    List<Window> windows = spec.windows();
    windowBuckets = new int[windows.size()];
    totals = new KeyCounts[windows.size()];
    int longestIndex = -1;
    int ringSize = 0;
    for (int w = 0; w < windows.size(); w++) {
      Window window = windows.get(w);
      totals[w] = new KeyCounts();
      if (!window.isSinceStart()) {
        windowBuckets[w] = Checks.bucketsFor(window.length(), spec.bucket(), "window");
        if (windowBuckets[w] > ringSize) {
          ringSize = windowBuckets[w];
          longestIndex = w;
        }
      }
    }
    ring = ringSize;
    longest = longestIndex;
    buckets = new KeyCounts[ring];
    for (int i = 0; i < ring; i++) {
      buckets[i] = new KeyCounts();
    }
    current = Math.floorDiv(nowMillis, bucketMillis);
  }

  @Override
  public boolean add(long timeMillis, Event event) {
    if (!spec.filter().matches(event)) {
      return true;
    }
    long bucket = Math.floorDiv(timeMillis, bucketMillis);
    advanceToBucket(bucket);
    long age = current - bucket; // >= 0
    boolean inRing = age < ring;
    List<String> keys = Aggregator.distinctKeys(event, spec.by());
    for (String key : keys) {
      boolean overflowed = false;
      if (inRing) {
        KeyCounts widest = totals[longest];
        if (widest.contains(key) || widest.size() < spec.maxKeys()) {
          buckets[slot(bucket)].add(key, 1);
          for (int w = 0; w < totals.length; w++) {
            if (age < windowBuckets[w]) {
              totals[w].add(key, 1);
            }
          }
        } else {
          overflowed = true;
        }
      }
      for (int w = 0; w < totals.length; w++) {
        if (windowBuckets[w] == 0) {
          KeyCounts total = totals[w];
          if (total.contains(key) || total.size() < spec.maxKeys()) {
            total.add(key, 1);
            changed = true;
          } else {
            overflowed = true;
          }
        }
      }
      if (overflowed) {
        overflow++;
      }
      changed |= inRing || overflowed;
    }
    // Too old for the ring: counted only by since-start windows, if any, and reported as late.
    return inRing || ring == 0;
  }

  @Override
  public void advanceTo(long nowMillis) {
    advanceToBucket(Math.floorDiv(nowMillis, bucketMillis));
  }

  private void advanceToBucket(long target) {
    if (target <= current) {
      return;
    }
    if (target - current >= ring) {
      // Every held bucket leaves every finite window: O(ring) however long time stood still.
      for (int w = 0; w < totals.length; w++) {
        if (windowBuckets[w] > 0 && !totals[w].isEmpty()) {
          totals[w].clear();
          changed = true;
        }
      }
      for (KeyCounts bucket : buckets) {
        bucket.clear();
      }
      current = target;
      return;
    }
    while (current < target) {
      current++;
      for (int w = 0; w < totals.length; w++) {
        if (windowBuckets[w] > 0) {
          KeyCounts leaving = buckets[slot(current - windowBuckets[w])];
          if (!leaving.isEmpty()) {
            totals[w].subtract(leaving);
            changed = true;
          }
        }
      }
      // The slot of the new bucket held the one that just left the longest window.
      buckets[slot(current)].clear();
    }
  }

  private int slot(long bucket) {
    return (int) Math.floorMod(bucket, (long) ring);
  }

  @Override
  public boolean changed() {
    return changed;
  }

  /** {@code {"windows":{"10m":{"x":[keys],"y":[counts]},...},"overflow":n}}. */
  @Override
  public void write(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeObjectFieldStart("windows");
    List<Window> windows = spec.windows();
    for (int w = 0; w < windows.size(); w++) {
      List<KeyCounts.Ranked> top = totals[w].top(spec.topK());
      json.writeObjectFieldStart(windows.get(w).id());
      json.writeArrayFieldStart("x");
      for (KeyCounts.Ranked bar : top) {
        json.writeString(bar.key());
      }
      json.writeEndArray();
      json.writeArrayFieldStart("columns");
      json.writeStartArray();
      for (KeyCounts.Ranked bar : top) {
        json.writeNumber(bar.count());
      }
      json.writeEndArray();
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndObject();
    json.writeNumberField("overflow", overflow);
    json.writeEndObject();
    changed = false;
  }

  /** Keys tracked by window {@code id}; for bound checks in tests. */
  int windowKeys(String id) {
    List<Window> windows = spec.windows();
    for (int w = 0; w < windows.size(); w++) {
      if (windows.get(w).id().equals(id)) {
        return totals[w].size();
      }
    }
    throw new IllegalArgumentException("no window " + id);
  }

  /** Distinct keys held in the ring (those of the longest finite window). */
  int ringKeys() {
    return longest < 0 ? 0 : totals[longest].size();
  }

  /** Key entries over all ring buckets. */
  int ringEntries() {
    int entries = 0;
    for (KeyCounts bucket : buckets) {
      entries += bucket.size();
    }
    return entries;
  }

  long overflow() {
    return overflow;
  }
}
