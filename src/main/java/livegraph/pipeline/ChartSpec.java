package livegraph.pipeline;

/** What one chart of a dashboard shows; the pipeline builds one aggregator per spec. */
public sealed interface ChartSpec permits BarChartSpec, TimeSeriesSpec, ListSpec {

  /** Unique within a dashboard; the key of the chart's state in frames. */
  String id();

  /** Shown above the chart. */
  String title();
}
