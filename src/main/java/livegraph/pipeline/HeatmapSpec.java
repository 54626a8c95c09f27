package livegraph.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * A heatmap of a measure per key and time bucket: one row per key, the top keys by the measure
 * over the retention, highest first.
 *
 * @param id unique chart id
 * @param title shown above the chart
 * @param by the event field whose values are the rows (see {@link KeyedChartSpec#by()})
 * @param measure the number per cell
 * @param filter only matching events count ({@link Filter#ALL} when null)
 * @param bucket width of one column
 * @param retention how far back the chart reaches; a whole multiple of {@code bucket}
 * @param topK rows shown
 * @param maxKeys distinct keys tracked over the retention; occurrences of further keys are
 *     left out
 */
public record HeatmapSpec(
    String id,
    String title,
    String by,
    Measure measure,
    Filter filter,
    Duration bucket,
    Duration retention,
    int topK,
    int maxKeys)
    implements ChartSpec {

  public HeatmapSpec {
    Checks.text(id, "chart id");
    Checks.notNull(title, "title");
    Checks.text(by, "by");
    Checks.notNull(measure, "measure");
    filter = filter == null ? Filter.ALL : filter;
    Checks.positiveMillis(bucket, "bucket");
    Checks.positive(retention, "retention");
    Checks.wholeBuckets(retention, bucket, "retention");
    Checks.positive(topK, "topK");
    Checks.atMost(topK, KeyedChartSpec.MAX_TOP, "topK");
    Checks.positive(maxKeys, "maxKeys");
    footprint(measure, bucket, retention, maxKeys).check();
  }

  /** Columns: retention / bucket. */
  public int points() {
    return (int) (retention.toMillis() / bucket.toMillis());
  }

  static ChartSpecs.Footprint footprint(
      Measure measure, Duration bucket, Duration retention, int maxKeys) {
    long points = retention.toMillis() / bucket.toMillis();
    return new ChartSpecs.Footprint("retention " + Checks.shortText(retention), bucket,
        points + 1, maxKeys, ChartSpecs.KEY_BYTES, List.of(measure));
  }

  @Override
  public String type() {
    return "heatmap";
  }
}
