package livegraph.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;

/**
 * A line or area chart: the measure per bucket over the retention, for all events ("total") and
 * for the top keys by the measure over the whole retention.
 *
 * <p>The total and the keys are two {@link WindowedRows} over rings of the same buckets: the
 * total has one key, the keyed one a sliding window as long as the retention to rank keys by.
 * Bound: {@link TimeSeriesSpec#maxKeys()} keys over the retention; an occurrence of a new key
 * while full counts in the total only.
 */
final class TimeSeriesChart implements Aggregator {

  private static final List<String> TOTAL = List.of("");

  private final TimeSeriesSpec spec;
  private final WindowedRows total;
  private final WindowedRows keyed; // null without "by"
  private final double bucketSeconds;
  private final double emptyValue;
  private long writtenBucket = Long.MIN_VALUE; // newest bucket at the last write

  TimeSeriesChart(TimeSeriesSpec spec, long nowMillis) {
    this.spec = spec;
    long bucketMillis = spec.bucket().toMillis();
    int points = spec.points();
    List<Measure> measures = List.of(spec.measure());
    total = new WindowedRows(measures, bucketMillis, points, List.of(), 1, nowMillis);
    keyed = spec.by() == null ? null : new WindowedRows(measures, bucketMillis, points,
        List.of(WindowedRows.Span.sliding(points, bucketMillis)), spec.maxKeys(), nowMillis);
    bucketSeconds = bucketMillis / 1000.0;
    emptyValue = Cells.emptyValue(spec.measure());
  }

  @Override
  public boolean add(long timeMillis, Event event) {
    boolean inRing = total.add(timeMillis, TOTAL, event);
    if (keyed != null) {
      keyed.add(timeMillis, Aggregator.distinctKeys(event, spec.by()), event);
    }
    return inRing;
  }

  @Override
  public void advanceTo(long nowMillis) {
    total.advanceTo(nowMillis);
    if (keyed != null) {
      keyed.advanceTo(nowMillis);
    }
  }

  @Override
  public boolean changed() {
    // "start" moves with the newest bucket even when no value does.
    return total.ring().current() != writtenBucket || total.changed()
        || (keyed != null && keyed.changed());
  }

  /**
   * {@code {"start":ms,"step":ms,"series":[{"name":"total","values":[...]},{"name":key,...}]}},
   * values oldest first, the last one the current partial bucket.
   */
  @Override
  public void write(JsonGenerator json) throws IOException {
    BucketRing ring = total.ring();
    json.writeStartObject();
    json.writeNumberField("start", ring.oldest() * total.bucketMillis());
    json.writeNumberField("step", total.bucketMillis());
    json.writeArrayFieldStart("series");
    writeSeries(json, "total", ring, total.ringKeys().id(""));
    if (keyed != null) {
      keyed.prepare();
      int[] ranked = Ranking.rank(keyed.window(0), keyed.ringKeys(), 0, keyed.seconds(0));
      for (int i = 0; i < Math.min(ranked.length, spec.topSeries()); i++) {
        writeSeries(json, keyed.ringKeys().key(ranked[i]), keyed.ring(), ranked[i]);
      }
      keyed.markPublished();
    }
    json.writeEndArray();
    json.writeEndObject();
    total.markPublished();
    writtenBucket = ring.current();
  }

  private void writeSeries(JsonGenerator json, String name, BucketRing ring, int id)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("name", name);
    json.writeArrayFieldStart("values");
    for (long b = ring.oldest(); b <= ring.current(); b++) {
      ChartJson.value(json, Buckets.value(ring, b, id, bucketSeconds, emptyValue));
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  /** Distinct keys tracked over the retention; for bound checks in tests. */
  int trackedKeys() {
    return keyed == null ? 0 : keyed.ringKeys().size();
  }

  /** Key rows over all buckets. */
  int bucketEntries() {
    if (keyed == null) {
      return 0;
    }
    BucketRing ring = keyed.ring();
    int entries = 0;
    for (long b = ring.oldest(); b <= ring.current(); b++) {
      entries += ring.at(b).size();
    }
    return entries;
  }

  long overflow() {
    return keyed == null ? 0 : keyed.overflow();
  }
}
