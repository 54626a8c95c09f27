package livegraph.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The state of one chart, updated one event at a time; owned by the pipeline thread.
 *
 * <p>Time only moves forward: an event or {@link #advanceTo} later than the newest bucket first
 * expires what falls out of the retention; an earlier one never moves time back.
 */
interface Aggregator {

  /**
   * Counts one event at {@code timeMillis} (already clamped to the clock by the pipeline).
   *
   * @return {@code false} when the event is older than this chart's longest retention and was
   *     ignored (wholly or for the finite windows)
   */
  boolean add(long timeMillis, Event event);

  /** Moves time to {@code nowMillis}, expiring buckets that left the retention. */
  void advanceTo(long nowMillis);

  /** Whether the state may differ from the last {@link #write}; cleared by {@link #write}. */
  boolean changed();

  /** Writes the chart state as one JSON value. */
  void write(JsonGenerator json) throws IOException;

  static Aggregator of(ChartSpec spec, long nowMillis) {
    if (spec instanceof KeyedChartSpec bar) {
      return new WindowedKeyCounter(bar, nowMillis);
    }
    if (spec instanceof TimeSeriesSpec series) {
      return new BucketedTimeSeries(series, nowMillis);
    }
    if (spec instanceof ListSpec list) {
      return new LatestItems(list);
    }
    throw new UnsupportedOperationException("not yet aggregated: " + spec.type());
  }

  /** The keys of {@code field}, each once even if the event lists it twice. */
  static List<String> distinctKeys(Event event, String field) {
    List<String> keys = event.keys(field);
    return keys.size() <= 1 ? keys : List.copyOf(new LinkedHashSet<>(keys));
  }
}
