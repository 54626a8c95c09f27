package livegraph.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * A histogram of a numeric field over a window: fixed bins splitting {@code [min, max)}, plus
 * counts of values under and over that range.
 *
 * @param id unique chart id
 * @param title shown above the chart
 * @param field the numeric field counted; events without a number there are left out
 * @param filter only matching events count ({@link Filter#ALL} when null)
 * @param min lower bound of the first bin (inclusive)
 * @param max upper bound of the last bin (exclusive)
 * @param bins equal-width bins
 * @param window the window counted (sliding, tumbling or since start)
 * @param bucket the window's granularity
 */
public record HistogramSpec(
    String id,
    String title,
    String field,
    Filter filter,
    double min,
    double max,
    int bins,
    Window window,
    Duration bucket)
    implements ChartSpec {

  /** Upper bound on {@code bins}. */
  static final int MAX_BINS = 10_000;

  public HistogramSpec {
    Checks.text(id, "chart id");
    Checks.notNull(title, "title");
    Checks.text(field, "field");
    filter = filter == null ? Filter.ALL : filter;
    if (!Double.isFinite(min) || !Double.isFinite(max) || !(min < max)) {
      throw new IllegalArgumentException(
          "min must be less than max, both finite: min " + min + ", max " + max);
    }
    Checks.positive(bins, "bins");
    Checks.atMost(bins, MAX_BINS, "bins");
    Checks.notNull(window, "window");
    Checks.positiveMillis(bucket, "bucket");
    footprint(bins, window, bucket).check();
  }

  static ChartSpecs.Footprint footprint(int bins, Window window, Duration bucket) {
    int ring = window.isSinceStart() ? 0 : KeyedChartSpec.windowBuckets(window, bucket);
    String span = window.isSinceStart() ? "window " + window.id()
        : "window " + Checks.shortText(window.length());
    // Bins (and under, over) are the keys, each with a count.
    return new ChartSpecs.Footprint(span, bucket, ring + 1, bins + 2L, 0,
        List.of(Measure.COUNT));
  }

  @Override
  public String type() {
    return "histogram";
  }
}
