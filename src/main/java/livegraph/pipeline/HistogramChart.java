package livegraph.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;

/**
 * A histogram over the spec's window: counts of the field's values per bin, with the bins (and
 * "under", "over") as the keys of a {@link WindowedRows} counting events.
 *
 * <p>A value v in {@code [min, max)} goes to bin {@code floor((v - min) / (max - min) * bins)}
 * (clamped to the last bin against rounding); below min to "under", at or above max to "over".
 * Events without a number in the field are left out.
 */
final class HistogramChart implements Aggregator {

  private static final String UNDER = "under";
  private static final String OVER = "over";

  private final HistogramSpec spec;
  private final WindowedRows rows;
  private final List<String>[] binKeys; // one-key lists, so an event does not allocate

  @SuppressWarnings("unchecked")
  HistogramChart(HistogramSpec spec, long nowMillis) {
    this.spec = spec;
    long bucketMillis = spec.bucket().toMillis();
    Window window = spec.window();
    int ring = window.isSinceStart() ? 0 : KeyedChartSpec.windowBuckets(window, spec.bucket());
    rows = new WindowedRows(List.of(Measure.COUNT), bucketMillis, ring,
        List.of(WindowedRows.Span.of(window, bucketMillis)), spec.bins() + 2, nowMillis);
    binKeys = new List[spec.bins() + 2];
    for (int i = 0; i < spec.bins(); i++) {
      binKeys[i] = List.of(Integer.toString(i));
    }
    binKeys[spec.bins()] = List.of(UNDER);
    binKeys[spec.bins() + 1] = List.of(OVER);
  }

  /** The bin of {@code v}: 0..bins-1, bins for under, bins + 1 for over. */
  static int bin(double v, double min, double max, int bins) {
    if (v < min) {
      return bins;
    }
    if (v >= max) {
      return bins + 1;
    }
    return Math.min(bins - 1, (int) Math.floor((v - min) / (max - min) * bins));
  }

  @Override
  public boolean add(long timeMillis, Event event) {
    double v = Values.number(event.fields().get(spec.field()));
    if (Double.isNaN(v)) {
      return true;
    }
    return rows.add(timeMillis, binKeys[bin(v, spec.min(), spec.max(), spec.bins())], event);
  }

  @Override
  public void advanceTo(long nowMillis) {
    rows.advanceTo(nowMillis);
  }

  @Override
  public boolean changed() {
    return rows.changed();
  }

  /** {@code {"min":a,"max":b,"counts":[per bin],"under":n,"over":n}}. */
  @Override
  public void write(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeFieldName("min");
    ChartJson.value(json, spec.min());
    json.writeFieldName("max");
    ChartJson.value(json, spec.max());
    json.writeArrayFieldStart("counts");
    for (int i = 0; i < spec.bins(); i++) {
      json.writeNumber(count(i));
    }
    json.writeEndArray();
    json.writeNumberField("under", count(spec.bins()));
    json.writeNumberField("over", count(spec.bins() + 1));
    json.writeEndObject();
    rows.markPublished();
  }

  private long count(int bin) {
    int id = rows.keys(0).id(binKeys[bin].get(0));
    if (id < 0) {
      return 0;
    }
    Rows window = rows.window(0);
    int row = window.row(id);
    return row < 0 ? 0 : window.events(row);
  }
}
