package livegraph.pipeline;

import java.util.List;
import livegraph.bench.StackExchangeData;
import livegraph.dashboard.ChartShorthand;

/**
 * The charts the benchmarks aggregate into: the built-in dashboard's four, and one of each
 * other kind over the same StackExchange events, written as {@code --chart} shorthand.
 */
public final class BenchCharts {

  /** Every name {@link #spec} knows, the built-in dashboard's first. */
  public static final List<String> NAMES = List.of(
      "communities", "tags", "activity", "latest", "heatmap", "p99", "histogram", "distinct");

  private BenchCharts() {}

  /**
   * <ul>
   *   <li>communities: bar, count by apiSiteParameter, windows 10m/1h/all, top 30 (built-in)
   *   <li>tags: bar by the list field tags, where apiSiteParameter = stackoverflow (built-in)
   *   <li>activity: line, count per 10 s over 1 h, total and top 5 communities (built-in)
   *   <li>latest: list of the 50 latest questions, five fields (built-in)
   *   <li>heatmap: count by apiSiteParameter per 10 s over 1 h
   *   <li>p99: number, p99 of the question id over 10 min (DDSketch)
   *   <li>histogram: question ids in 20 bins over 10 min
   *   <li>distinct: table, count and distinct question ids (HLL) by apiSiteParameter
   * </ul>
   */
  public static ChartSpec spec(String name) {
    return switch (name) {
      case "communities", "tags", "activity", "latest" ->
          StackExchangeData.dashboard().charts().stream()
              .filter(c -> c.id().equals(name)).findFirst().orElseThrow();
      case "heatmap" -> shorthand("heatmap: count by apiSiteParameter");
      case "p99" -> shorthand("number: p99(id)");
      case "histogram" -> shorthand("histogram: id 0..60000000/20");
      case "distinct" -> shorthand("table: count, distinct(id) by apiSiteParameter");
      default -> throw new IllegalArgumentException("unknown chart: " + name + "; one of " + NAMES);
    };
  }

  private static ChartSpec shorthand(String text) {
    return ChartShorthand.parseAll(List.of(text)).get(0);
  }

  /** A fresh aggregator of chart {@code name} starting at {@code nowMillis}. */
  static Aggregator aggregator(String name, long nowMillis) {
    return Aggregator.of(spec(name), nowMillis);
  }
}
