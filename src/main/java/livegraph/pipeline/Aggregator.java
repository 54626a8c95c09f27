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

  /** The aggregator of a chart, behind its filter when it has one. */
  static Aggregator of(ChartSpec spec, long nowMillis) {
    return of(spec, spec.filter(), nowMillis);
  }

  /** The aggregator of a chart behind {@code filter} (its own, or a view's that contains it). */
  static Aggregator of(ChartSpec spec, Filter filter, long nowMillis) {
    Aggregator chart = unfiltered(spec, nowMillis);
    return filter.isAll() ? chart : new FilteredAggregator(filter, chart);
  }

  private static Aggregator unfiltered(ChartSpec spec, long nowMillis) {
    if (spec instanceof KeyedChartSpec keyed) {
      return new KeyedChart(keyed, nowMillis);
    }
    if (spec instanceof TimeSeriesSpec series) {
      return new TimeSeriesChart(series, nowMillis);
    }
    if (spec instanceof HeatmapSpec heatmap) {
      return new HeatmapChart(heatmap, nowMillis);
    }
    if (spec instanceof NumberSpec number) {
      return new NumberChart(number, nowMillis);
    }
    if (spec instanceof HistogramSpec histogram) {
      return new HistogramChart(histogram, nowMillis);
    }
    return new LatestItems((ListSpec) spec);
  }

  /**
   * The keys of {@code field}: a string, the text of a number or boolean, or each element of a
   * list, each once even if the event lists it twice.
   */
  static List<String> distinctKeys(Event event, String field) {
    List<String> keys = Values.texts(event.fields().get(field));
    return keys.size() <= 1 || allDistinct(keys) ? keys : List.copyOf(new LinkedHashSet<>(keys));
  }

  /**
   * Whether no key repeats, compared pairwise: cheaper than a set for the few elements a list
   * field holds (a question's tags: at most 5); longer lists are left to the set.
   */
  private static boolean allDistinct(List<String> keys) {
    int n = keys.size();
    if (n > 16) {
      return false;
    }
    for (int i = 1; i < n; i++) {
      String key = keys.get(i);
      for (int j = 0; j < i; j++) {
        if (key.equals(keys.get(j))) {
          return false;
        }
      }
    }
    return true;
  }
}
