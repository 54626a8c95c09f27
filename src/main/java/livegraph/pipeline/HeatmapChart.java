package livegraph.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;

/**
 * A heatmap: the measure per key and bucket over the retention, for the top K keys by the
 * measure over the whole retention, highest first. Bound: {@code maxKeys} keys over the
 * retention (see {@link WindowedRows}).
 */
final class HeatmapChart implements Aggregator {

  private final HeatmapSpec spec;
  private final WindowedRows rows;
  private final double bucketSeconds;
  private final double emptyValue;
  private long writtenBucket = Long.MIN_VALUE;

  HeatmapChart(HeatmapSpec spec, long nowMillis) {
    this.spec = spec;
    long bucketMillis = spec.bucket().toMillis();
    int points = spec.points();
    rows = new WindowedRows(List.of(spec.measure()), bucketMillis, points,
        List.of(WindowedRows.Span.sliding(points, bucketMillis)), spec.maxKeys(), nowMillis);
    bucketSeconds = bucketMillis / 1000.0;
    emptyValue = Cells.emptyValue(spec.measure());
  }

  @Override
  public boolean add(long timeMillis, Event event) {
    return rows.add(timeMillis, Aggregator.distinctKeys(event, spec.by()), event);
  }

  @Override
  public void advanceTo(long nowMillis) {
    rows.advanceTo(nowMillis);
  }

  @Override
  public boolean changed() {
    return rows.ring().current() != writtenBucket || rows.changed();
  }

  /** {@code {"start":ms,"step":ms,"keys":[...],"z":[[value per bucket] per key]}}. */
  @Override
  public void write(JsonGenerator json) throws IOException {
    rows.prepare();
    BucketRing ring = rows.ring();
    int[] ranked = Ranking.rank(rows.window(0), rows.ringKeys(), 0, rows.seconds(0));
    int shown = Math.min(ranked.length, spec.topK());
    json.writeStartObject();
    json.writeNumberField("start", ring.oldest() * rows.bucketMillis());
    json.writeNumberField("step", rows.bucketMillis());
    json.writeArrayFieldStart("keys");
    for (int i = 0; i < shown; i++) {
      json.writeString(rows.ringKeys().key(ranked[i]));
    }
    json.writeEndArray();
    json.writeArrayFieldStart("z");
    for (int i = 0; i < shown; i++) {
      json.writeStartArray();
      for (long b = ring.oldest(); b <= ring.current(); b++) {
        ChartJson.value(json, Buckets.value(ring, b, ranked[i], bucketSeconds, emptyValue));
      }
      json.writeEndArray();
    }
    json.writeEndArray();
    json.writeEndObject();
    rows.markPublished();
    writtenBucket = ring.current();
  }

  long overflow() {
    return rows.overflow();
  }
}
