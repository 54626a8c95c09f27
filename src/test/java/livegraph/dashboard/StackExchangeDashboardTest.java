package livegraph.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import livegraph.pipeline.BarChartSpec;
import livegraph.pipeline.ChartSpec;
import livegraph.pipeline.Filter;
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
    assertThat(dashboard.charts().get(0)).isEqualTo(new BarChartSpec("communities",
        "Active questions by community", "apiSiteParameter", null, 30, windows, "10m",
        Duration.ofSeconds(10), 5000));
    assertThat(dashboard.charts().get(1)).isEqualTo(new BarChartSpec("tags",
        "Stack Overflow top tags", "tags", new Filter("apiSiteParameter", "stackoverflow"), 25,
        windows, "10m", Duration.ofSeconds(10), 5000));
  }

  @Test
  void activityAndLatest_matchTheSpec() {
    assertThat(dashboard.charts().get(2)).isEqualTo(new TimeSeriesSpec("activity",
        "Activity over time", "apiSiteParameter", Duration.ofSeconds(10), Duration.ofHours(1),
        5));
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
