package livegraph.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * A time series chart: events per bucket over a fixed retention, in total and for the busiest
 * keys, kept in a ring of buckets.
 *
 * <p>Each bucket holds its event total and a count per key; a running sum per key over the
 * whole retention picks the top series without rescanning the ring. When time enters a new
 * bucket, the slot of the bucket that left the retention is subtracted from the sums and reused.
 *
 * <p>Bound: at most {@link #MAX_KEYS} distinct keys over the retention (so also per bucket). An
 * occurrence of a key that is new while the retention is full counts in the total only, and in
 * {@link #overflow()}; keys leave when their last bucket expires, freeing slots. Memory is at
 * most points x MAX_KEYS entries.
 */
final class BucketedTimeSeries implements Aggregator {

  /** Distinct keys tracked over the retention; the spec has no knob, charts show a handful. */
  static final int MAX_KEYS = 1000;

  private final TimeSeriesSpec spec;
  private final long bucketMillis;
  private final int points;
  private final long[] totals; // events per bucket, slot floorMod(bucket, points); pipeline thread
  private final KeyCounts[] buckets; // count per key per bucket, same slots; pipeline thread
  private final KeyCounts sums = new KeyCounts(); // count per key over the retention
  private long current; // index of the newest bucket
  private long overflow;
  private boolean changed = true;

  BucketedTimeSeries(TimeSeriesSpec spec, long nowMillis) {
    this.spec = spec;
    this.bucketMillis = spec.bucket().toMillis();
    this.points = spec.points();
    this.totals = new long[points];
    this.buckets = new KeyCounts[points];
    for (int i = 0; i < points; i++) {
      buckets[i] = new KeyCounts();
    }
    current = Math.floorDiv(nowMillis, bucketMillis);
  }

  @Override
  public boolean add(long timeMillis, Event event) {
    long bucket = Math.floorDiv(timeMillis, bucketMillis);
    advanceToBucket(bucket);
    if (current - bucket >= points) {
      return false;
    }
    int slot = slot(bucket);
    totals[slot]++;
    if (!spec.filter().matches(event)) {
      return true;
    }
    for (String key : spec.by() == null ? List.<String>of()
        : Aggregator.distinctKeys(event, spec.by())) {
      if (sums.contains(key) || sums.size() < MAX_KEYS) {
        buckets[slot].add(key, 1);
        sums.add(key, 1);
      } else {
        overflow++;
      }
    }
    changed = true;
    return true;
  }

  @Override
  public void advanceTo(long nowMillis) {
    advanceToBucket(Math.floorDiv(nowMillis, bucketMillis));
  }

  private void advanceToBucket(long target) {
    if (target <= current) {
      return;
    }
    changed = true; // "start" moves even when no count does
    if (target - current >= points) {
      Arrays.fill(totals, 0);
      for (KeyCounts bucket : buckets) {
        bucket.clear();
      }
      sums.clear();
      current = target;
      return;
    }
    while (current < target) {
      current++;
      int slot = slot(current); // held the bucket that just left the retention
      sums.subtract(buckets[slot]);
      buckets[slot].clear();
      totals[slot] = 0;
    }
  }

  private int slot(long bucket) {
    return (int) Math.floorMod(bucket, (long) points);
  }

  @Override
  public boolean changed() {
    return changed;
  }

  /**
   * {@code {"start":ms,"step":ms,"series":[{"name":"total","values":[...]},...]}}, values oldest
   * first, the last one the current partial bucket.
   */
  @Override
  public void write(JsonGenerator json) throws IOException {
    long oldest = current - points + 1;
    json.writeStartObject();
    json.writeNumberField("start", oldest * bucketMillis);
    json.writeNumberField("step", bucketMillis);
    json.writeArrayFieldStart("series");
    json.writeStartObject();
    json.writeStringField("name", "total");
    json.writeArrayFieldStart("values");
    for (long b = oldest; b <= current; b++) {
      json.writeNumber(totals[slot(b)]);
    }
    json.writeEndArray();
    json.writeEndObject();
    for (KeyCounts.Ranked top : sums.top(spec.topSeries())) {
      json.writeStartObject();
      json.writeStringField("name", top.key());
      json.writeArrayFieldStart("values");
      for (long b = oldest; b <= current; b++) {
        json.writeNumber(buckets[slot(b)].get(top.key()));
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
    changed = false;
  }

  /** Distinct keys tracked over the retention; for bound checks in tests. */
  int trackedKeys() {
    return sums.size();
  }

  /** Key entries over all buckets. */
  int bucketEntries() {
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
