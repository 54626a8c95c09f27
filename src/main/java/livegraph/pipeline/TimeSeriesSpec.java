package livegraph.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * A line or area chart of a measure per time bucket: the total plus, when {@code by} is set, the
 * keys with the highest measure over the retention.
 *
 * @param id unique chart id
 * @param title shown above the chart
 * @param style how the series are drawn
 * @param by the event field whose values become series (see {@link KeyedChartSpec#by()}), or
 *     {@code null} for the total only
 * @param measure the number per bucket
 * @param filter only matching events count ({@link Filter#ALL} when null)
 * @param bucket width of one point
 * @param retention how far back the chart reaches; a whole multiple of {@code bucket}
 * @param topSeries keyed series shown besides the total (0 = total only)
 */
public record TimeSeriesSpec(
    String id,
    String title,
    Style style,
    String by,
    Measure measure,
    Filter filter,
    Duration bucket,
    Duration retention,
    int topSeries)
    implements ChartSpec {

  /**
   * Keys tracked over the retention when the measure is kept by adding and subtracting
   * (count, sum, avg, rate); the spec has no knob, charts show a handful.
   */
  static final int MAX_KEYS = 1000;

  /** Keys tracked for the other measures, whose cells are larger (sketches, min/max, last). */
  static final int MAX_KEYS_MERGED = 100;

  /** Upper bound on {@code topSeries}. */
  static final int MAX_SERIES = 100;

  /** How the series are drawn. */
  public enum Style {
    LINE,
    AREA
  }

  public TimeSeriesSpec {
    Checks.text(id, "chart id");
    Checks.notNull(title, "title");
    Checks.notNull(style, "style");
    if (by != null) {
      Checks.text(by, "by");
    }
    Checks.notNull(measure, "measure");
    filter = filter == null ? Filter.ALL : filter;
    Checks.positiveMillis(bucket, "bucket");
    Checks.positive(retention, "retention");
    Checks.wholeBuckets(retention, bucket, "retention");
    Checks.notNegative(topSeries, "topSeries");
    Checks.atMost(topSeries, MAX_SERIES, "topSeries");
    footprint(by, measure, bucket, retention).check();
  }

  /** Points per series: retention / bucket. */
  public int points() {
    return (int) (retention.toMillis() / bucket.toMillis());
  }

  /** Distinct keys tracked over the retention; further ones count in the total only. */
  public int maxKeys() {
    return maxKeys(by, measure);
  }

  private static int maxKeys(String by, Measure measure) {
    if (by == null) {
      return 0;
    }
    return measure.subtractable() ? MAX_KEYS : MAX_KEYS_MERGED;
  }

  static ChartSpecs.Footprint footprint(
      String by, Measure measure, Duration bucket, Duration retention) {
    long points = retention.toMillis() / bucket.toMillis();
    // Ring rows plus one retention total per key; the total series is one more key.
    return new ChartSpecs.Footprint("retention " + Checks.shortText(retention), bucket,
        points + 1, maxKeys(by, measure) + 1L, ChartSpecs.KEY_BYTES, List.of(measure));
  }

  @Override
  public String type() {
    return style == Style.LINE ? "line" : "area";
  }
}
