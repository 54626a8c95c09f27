package livegraph.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;

/**
 * One number: the measure over the spec's window, plus a sparkline of its value per bucket.
 * One key; the ring holds the longer of the window and the sparkline.
 */
final class NumberChart implements Aggregator {

  private static final List<String> ONE = List.of("");

  private final NumberSpec spec;
  private final WindowedRows rows;
  private final int points;
  private final double bucketSeconds;
  private final double emptyValue;
  private final boolean timeDependent; // a rate over a tumbling or since-start window
  private long writtenBucket = Long.MIN_VALUE;

  NumberChart(NumberSpec spec, long nowMillis) {
    this.spec = spec;
    long bucketMillis = spec.bucket().toMillis();
    points = spec.points();
    Window window = spec.window();
    int windowBuckets = window.isSinceStart() ? 0
        : KeyedChartSpec.windowBuckets(window, spec.bucket());
    rows = new WindowedRows(List.of(spec.measure()), bucketMillis,
        Math.max(windowBuckets, points), List.of(WindowedRows.Span.of(window, bucketMillis)),
        1, nowMillis);
    bucketSeconds = bucketMillis / 1000.0;
    emptyValue = Cells.emptyValue(spec.measure());
    timeDependent = spec.measure().aggregation() == Measure.Aggregation.RATE
        && (window.isSinceStart() || window.tumbling());
  }

  @Override
  public boolean add(long timeMillis, Event event) {
    return rows.add(timeMillis, ONE, event);
  }

  @Override
  public void advanceTo(long nowMillis) {
    rows.advanceTo(nowMillis);
    if (timeDependent) {
      rows.markChanged();
    }
  }

  @Override
  public boolean changed() {
    // "start" moves with the newest bucket even when no value does.
    return rows.ring().current() != writtenBucket || rows.changed();
  }

  /**
   * {@code {"value":v|null,"start":ms,"step":ms,"spark":[value per bucket]}}, the sparkline
   * oldest first, its last point the current bucket; without a sparkline, "spark" is empty and
   * "start" the current bucket's.
   */
  @Override
  public void write(JsonGenerator json) throws IOException {
    rows.prepare();
    Rows window = rows.window(0);
    int id = rows.keys(0).id("");
    int row = id < 0 ? -1 : window.row(id);
    double value = row < 0 ? emptyValue : window.value(row, 0, rows.seconds(0));
    BucketRing ring = rows.ring();
    long first = ring.current() - points + 1;
    json.writeStartObject();
    json.writeFieldName("value");
    ChartJson.value(json, value);
    json.writeNumberField("start", Math.min(first, ring.current()) * rows.bucketMillis());
    json.writeNumberField("step", rows.bucketMillis());
    json.writeArrayFieldStart("spark");
    int ringId = rows.ringKeys().id("");
    for (long b = first; b <= ring.current(); b++) {
      ChartJson.value(json, Buckets.value(ring, b, ringId, bucketSeconds, emptyValue));
    }
    json.writeEndArray();
    json.writeEndObject();
    rows.markPublished();
    writtenBucket = ring.current();
  }
}
