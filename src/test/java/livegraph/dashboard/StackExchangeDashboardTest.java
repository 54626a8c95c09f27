package livegraph.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import livegraph.pipeline.ChartSpec;
import livegraph.pipeline.Filter;
import livegraph.pipeline.KeyedChartSpec;
import livegraph.pipeline.KeyedChartSpec.Column;
import livegraph.pipeline.KeyedChartSpec.Kind;
import livegraph.pipeline.Measure;
import livegraph.pipeline.ListSpec;
import livegraph.pipeline.TimeSeriesSpec;
import livegraph.pipeline.Window;
import org.junit.jupiter.api.Test;

class StackExchangeDashboardTest {

  private final Dashboard dashboard = StackExchangeDashboard.create();

  @Test
  void dashboard_hasNameTitle_andChartsInOrderWithExactTitles() {
    assertThat(dashboard.name()).isEqualTo("stackexchange");
    assertThat(dashboard.title()).isEqualTo("StackExchange activity");
    assertThat(dashboard.charts()).extracting(ChartSpec::id)
        .containsExactly("communities", "tags", "activity", "latest");
    assertThat(dashboard.charts()).extracting(ChartSpec::title).containsExactly(
        "Active questions by community", "Stack Overflow top tags", "Activity over time",
        "Latest questions");
  }

  @Test
  void barCharts_countSitesAndStackOverflowTags_overThreeWindows() {
    List<Window> windows = List.of(
        new Window("10m", "10 min", Duration.ofMinutes(10)),
        new Window("1h", "1 hour", Duration.ofHours(1)),
        new Window("all", "since start", null));
    List<Column> count = List.of(new Column("Questions", Measure.COUNT));
    assertThat(dashboard.charts().get(0)).isEqualTo(new KeyedChartSpec("communities",
        "Active questions by community", Kind.BAR, "apiSiteParameter", count, Filter.ALL, 30,
        false, windows, "10m", Duration.ofSeconds(10), 5000));
    assertThat(dashboard.charts().get(1)).isEqualTo(new KeyedChartSpec("tags",
        "Stack Overflow top tags", Kind.BAR, "tags", count,
        Filter.equals("apiSiteParameter", "stackoverflow"), 25, false, windows, "10m",
        Duration.ofSeconds(10), 5000));
  }

  @Test
  void activityAndLatest_matchTheSpec() {
    assertThat(dashboard.charts().get(2)).isEqualTo(new TimeSeriesSpec("activity",
        "Activity over time", TimeSeriesSpec.Style.LINE, "apiSiteParameter", Measure.COUNT,
        Filter.ALL, Duration.ofSeconds(10), Duration.ofHours(1), 5));
    assertThat(dashboard.charts().get(3)).isEqualTo(new ListSpec("latest", "Latest questions",
        50, List.of("title", "apiSiteParameter", "siteBaseHostAddress", "tags", "url")));
  }

  @Test
  void dashboard_rejectsDuplicateIdsAndNoCharts() {
    ChartSpec chart = dashboard.charts().get(0);
    assertThatThrownBy(() -> new Dashboard("d", "D", List.of(chart, chart)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate chart id in dashboard d: communities");
    assertThatThrownBy(() -> new Dashboard("d", "D", List.of()))
        .hasMessage("dashboard d must have at least one chart");
  }
}
