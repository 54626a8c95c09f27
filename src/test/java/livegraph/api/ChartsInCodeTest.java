package livegraph.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import livegraph.Chart;
import livegraph.Livegraph;
import livegraph.dashboard.Dashboard;
import org.junit.jupiter.api.Test;

/** Charts defined in code, through the public API only, as a program using the library has it. */
class ChartsInCodeTest {

  @Test
  void chartsInCode_needNoSources_theProgramFeedsThem() {
    Livegraph.Config config = Livegraph.Config.defaults().withCharts("My service",
        Chart.number("Events").measure("count").window("all"),
        Chart.bar("By thread").by("thread"));

    Dashboard dashboard = config.dashboards().get(0);
    assertThat(dashboard.name()).isEqualTo("app");
    assertThat(dashboard.title()).isEqualTo("My service");
    assertThat(dashboard.sources()).isEmpty();
    assertThat(dashboard.charts()).hasSize(2);
  }

  @Test
  void aMistakeInACodeChart_isNamedByTheChartsTitle_notByALineOfYaml() {
    assertThatThrownBy(() -> Livegraph.Config.defaults().withCharts("My service",
        Chart.number("Events"),
        Chart.bar("Requests by path").top(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chart \"Requests by path\"")
        .hasMessageContaining("'by'")
        .hasMessageNotContaining("code:");
  }
}
