package livegraph.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChartSpecTest {

  private static final Duration TEN_S = Duration.ofSeconds(10);
  private static final List<Window> WINDOWS =
      List.of(new Window("10m", "10 min", Duration.ofMinutes(10)));

  @Test
  void barChart_rejectsBadValues_namingThem() {
    assertThatThrownBy(() -> new BarChartSpec("c", "C", "k", null, -5, WINDOWS, "10m", TEN_S, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("topK must be positive: -5");
    assertThatThrownBy(() -> new BarChartSpec("c", "C", "k", null, 5, WINDOWS, "1h", TEN_S, 10))
        .hasMessage("defaultWindow must be one of [10m]: 1h");
    assertThatThrownBy(() -> new BarChartSpec("c", "C", "k", null, 5, List.of(), "10m", TEN_S, 10))
        .hasMessage("windows must not be empty: chart c");
    assertThatThrownBy(() -> new BarChartSpec("c", "C", "k", null, 5, WINDOWS, "10m",
        Duration.ZERO, 10)).hasMessage("bucket must be positive: PT0S");
    assertThatThrownBy(() -> new BarChartSpec("c", "C", "k", null, 5, WINDOWS, "10m", TEN_S, 0))
        .hasMessage("maxKeys must be positive: 0");
    assertThatThrownBy(() -> new BarChartSpec(" ", "C", "k", null, 5, WINDOWS, "10m", TEN_S, 1))
        .hasMessage("chart id must not be blank: \" \"");
    List<Window> twice = List.of(WINDOWS.get(0), WINDOWS.get(0));
    assertThatThrownBy(() -> new BarChartSpec("c", "C", "k", null, 5, twice, "10m", TEN_S, 1))
        .hasMessage("duplicate window id: 10m");
    List<Window> huge = List.of(new Window("y", "year", Duration.ofDays(365)));
    assertThatThrownBy(() -> new BarChartSpec("c", "C", "k", null, 5, huge, "y",
        Duration.ofMillis(1), 1)).hasMessageContaining("at most 100000");
  }

  @Test
  void barChart_copiesWindows() {
    List<Window> windows = new ArrayList<>(WINDOWS);
    BarChartSpec spec = new BarChartSpec("c", "C", "k", null, 5, windows, "10m", TEN_S, 10);
    windows.clear();
    assertThat(spec.windows()).hasSize(1);
  }

  @Test
  void window_rejectsNonPositiveLength() {
    assertThatThrownBy(() -> new Window("w", "W", Duration.ofSeconds(-5)))
        .hasMessage("window length must be positive: PT-5S");
    assertThat(new Window("all", "since start", null).isSinceStart()).isTrue();
  }

  @Test
  void timeSeries_requiresRetentionAWholeMultipleOfBucket() {
    assertThatThrownBy(() -> new TimeSeriesSpec("a", "A", "k", TEN_S, Duration.ofSeconds(65), 5))
        .hasMessage("retention must be a whole multiple of bucket: PT1M5S / PT10S");
    assertThatThrownBy(() -> new TimeSeriesSpec("a", "A", "k", TEN_S, Duration.ofHours(1), -1))
        .hasMessage("topSeries must not be negative: -1");
    assertThat(new TimeSeriesSpec("a", "A", "k", TEN_S, Duration.ofHours(1), 5).points())
        .isEqualTo(360);
  }

  @Test
  void list_rejectsBadSizeAndFields() {
    assertThatThrownBy(() -> new ListSpec("l", "L", 0, List.of("title")))
        .hasMessage("size must be positive: 0");
    assertThatThrownBy(() -> new ListSpec("l", "L", 5, List.of("time")))
        .hasMessage("fields must not contain \"time\": every item has it");
    assertThatThrownBy(() -> new ListSpec("l", "L", 5, List.of("a", "a")))
        .hasMessage("duplicate field: a");
  }

  @Test
  void filter_matchesStringOrListElement() {
    Filter filter = new Filter("tags", "java");
    assertThat(filter.matches(TestEvents.event(0, "tags", List.of("c", "java")))).isTrue();
    assertThat(filter.matches(TestEvents.event(0, "tags", "java"))).isTrue();
    assertThat(filter.matches(TestEvents.event(0, "tags", "javascript"))).isFalse();
    assertThat(filter.matches(TestEvents.event(0))).isFalse();
  }
}
