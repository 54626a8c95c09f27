package livegraph.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A bar, pie or table chart: its columns' measures per key over each of its windows, the top K
 * keys of each window and optionally an "other" row merging the rest. The windows, bounds and
 * expiry are {@link WindowedRows}'.
 */
final class KeyedChart implements Aggregator {

  private final KeyedChartSpec spec;
  private final WindowedRows rows;
  private final boolean timeDependent; // a rate over a tumbling or since-start window

  KeyedChart(KeyedChartSpec spec, long nowMillis) {
    this.spec = spec;
    long bucketMillis = spec.bucket().toMillis();
    List<WindowedRows.Span> spans = new ArrayList<>();
    for (Window window : spec.windows()) {
      spans.add(WindowedRows.Span.of(window, bucketMillis));
    }
    rows = new WindowedRows(spec.measures(), bucketMillis,
        KeyedChartSpec.ringBuckets(spec.windows(), spec.bucket()), spans, spec.maxKeys(),
        nowMillis);
    timeDependent = timeDependent(spec);
  }

  @Override
  public boolean add(long timeMillis, Event event) {
    return rows.add(timeMillis, Aggregator.distinctKeys(event, spec.by()), event);
  }

  @Override
  public void advanceTo(long nowMillis) {
    rows.advanceTo(nowMillis);
    if (timeDependent) {
      rows.markChanged();
    }
  }

  /** Rates over tumbling and since-start windows change with the clock alone. */
  private static boolean timeDependent(KeyedChartSpec spec) {
    for (Measure m : spec.measures()) {
      if (m.aggregation() == Measure.Aggregation.RATE) {
        for (Window w : spec.windows()) {
          if (w.isSinceStart() || w.tumbling()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Override
  public boolean changed() {
    return rows.changed();
  }

  /**
   * {@code {"windows":{"10m":{"x":[keys],"columns":[[values of column 0],...],"other":[...]},
   * ...},"overflow":n}}; "other" only when the spec asks for it, null when no key is beyond
   * the top K.
   */
  @Override
  public void write(JsonGenerator json) throws IOException {
    rows.prepare();
    int columns = spec.columns().size();
    json.writeStartObject();
    json.writeObjectFieldStart("windows");
    List<Window> windows = spec.windows();
    for (int w = 0; w < windows.size(); w++) {
      Rows window = rows.window(w);
      KeyIds keys = rows.keys(w);
      double seconds = rows.seconds(w);
      int[] ranked = Ranking.rank(window, keys, 0, seconds);
      int shown = Math.min(ranked.length, spec.topK());
      json.writeObjectFieldStart(windows.get(w).id());
      json.writeArrayFieldStart("x");
      for (int i = 0; i < shown; i++) {
        json.writeString(keys.key(ranked[i]));
      }
      json.writeEndArray();
      json.writeArrayFieldStart("columns");
      for (int c = 0; c < columns; c++) {
        json.writeStartArray();
        for (int i = 0; i < shown; i++) {
          ChartJson.value(json, window.value(ranked[i], c, seconds));
        }
        json.writeEndArray();
      }
      json.writeEndArray();
      if (spec.other()) {
        json.writeFieldName("other");
        if (ranked.length > shown) {
          Rows other = rows.scratch();
          for (int i = shown; i < ranked.length; i++) {
            other.merge(0, window, ranked[i]);
          }
          json.writeStartArray();
          for (int c = 0; c < columns; c++) {
            ChartJson.value(json, other.value(0, c, seconds));
          }
          json.writeEndArray();
        } else {
          json.writeNull();
        }
      }
      json.writeEndObject();
    }
    json.writeEndObject();
    json.writeNumberField("overflow", rows.overflow());
    json.writeEndObject();
    rows.markPublished();
  }

  /** Keys tracked by window {@code id}; for bound checks in tests. */
  int windowKeys(String id) {
    List<Window> windows = spec.windows();
    for (int w = 0; w < windows.size(); w++) {
      if (windows.get(w).id().equals(id)) {
        Rows window = rows.window(w);
        int live = 0;
        for (int k = 0; k < window.size(); k++) {
          live += window.row(k) >= 0 ? 1 : 0;
        }
        return live;
      }
    }
    throw new IllegalArgumentException("no window " + id);
  }

  /** Distinct keys held in the ring. */
  int ringKeys() {
    return rows.ringKeys().size();
  }

  /** Key rows over all ring buckets. */
  int ringEntries() {
    BucketRing ring = rows.ring();
    int entries = 0;
    for (long b = ring.oldest(); b <= ring.current(); b++) {
      entries += ring.at(b).size();
    }
    return entries;
  }

  long overflow() {
    return rows.overflow();
  }
}
