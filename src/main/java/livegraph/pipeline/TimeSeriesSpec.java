package livegraph.pipeline;

import java.time.Duration;

/**
 * A line chart of events per time bucket: the total plus the busiest keys.
 *
 * @param id unique chart id
 * @param title shown above the chart
 * @param keyField the event field whose values become series (string or list of strings)
 * @param bucket width of one point
 * @param retention how far back the chart reaches; a whole multiple of {@code bucket}
 * @param topSeries keyed series shown besides the total (0 = total only)
 */
public record TimeSeriesSpec(
    String id, String title, String keyField, Duration bucket, Duration retention, int topSeries)
    implements ChartSpec {

  public TimeSeriesSpec {
    Checks.text(id, "chart id");
    Checks.notNull(title, "title");
    Checks.text(keyField, "keyField");
    Checks.positive(bucket, "bucket");
    Checks.positive(retention, "retention");
    if (retention.toMillis() % bucket.toMillis() != 0) {
      throw new IllegalArgumentException(
          "retention must be a whole multiple of bucket: " + retention + " / " + bucket);
    }
    Checks.bucketsFor(retention, bucket, "retention");
    if (topSeries < 0) {
      throw new IllegalArgumentException("topSeries must not be negative: " + topSeries);
    }
  }

  /** Points per series: retention / bucket. */
  public int points() {
    return (int) (retention.toMillis() / bucket.toMillis());
  }
}
