package livegraph.pipeline;

/** What one chart of a dashboard shows; the pipeline builds one aggregator per spec. */
public sealed interface ChartSpec
    permits KeyedChartSpec, TimeSeriesSpec, HeatmapSpec, NumberSpec, HistogramSpec, ListSpec {

  /** Unique within a dashboard; the key of the chart's state in frames. */
  String id();

  /** Shown above the chart. */
  String title();

  /** Only events passing it reach the chart ({@link Filter#ALL} when none). */
  Filter filter();

  /**
   * The chart type as in a dashboard file and the browser protocol: bar, pie, table, line, area,
   * heatmap, number, histogram or list.
   */
  String type();
}
