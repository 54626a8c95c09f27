package livegraph.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * One big number: a measure over a window, with a sparkline of its value per bucket.
 *
 * @param id unique chart id
 * @param title shown above the number
 * @param measure the number
 * @param filter only matching events count ({@link Filter#ALL} when null)
 * @param window the window the number covers (sliding, tumbling or since start)
 * @param bucket width of one sparkline point, and the granularity of the window
 * @param sparkline how far back the sparkline reaches, a whole multiple of {@code bucket}; or
 *     {@code null} for none
 */
public record NumberSpec(
    String id,
    String title,
    Measure measure,
    Filter filter,
    Window window,
    Duration bucket,
    Duration sparkline)
    implements ChartSpec {

  public NumberSpec {
    Checks.text(id, "chart id");
    Checks.notNull(title, "title");
    Checks.notNull(measure, "measure");
    filter = filter == null ? Filter.ALL : filter;
    Checks.notNull(window, "window");
    Checks.positiveMillis(bucket, "bucket");
    if (sparkline != null) {
      Checks.positive(sparkline, "sparkline");
      Checks.wholeBuckets(sparkline, bucket, "sparkline");
    }
    footprint(measure, window, bucket, sparkline).check();
  }

  /** Sparkline points: sparkline / bucket, 0 when none. */
  public int points() {
    return sparkline == null ? 0 : (int) (sparkline.toMillis() / bucket.toMillis());
  }

  static ChartSpecs.Footprint footprint(
      Measure measure, Window window, Duration bucket, Duration sparkline) {
    int windowBuckets = window.isSinceStart() ? 0 : KeyedChartSpec.windowBuckets(window, bucket);
    long points = sparkline == null ? 0 : sparkline.toMillis() / bucket.toMillis();
    long ring = Math.max(windowBuckets, points);
    String span = points > windowBuckets ? "sparkline " + Checks.shortText(sparkline)
        : window.isSinceStart() ? "window " + window.id() : "window "
            + Checks.shortText(window.length());
    return new ChartSpecs.Footprint(span, bucket, ring + 1, 1, 0, List.of(measure));
  }

  @Override
  public String type() {
    return "number";
  }
}
