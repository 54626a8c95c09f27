package livegraph.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import livegraph.pipeline.KeyedChartSpec.Column;
import livegraph.pipeline.KeyedChartSpec.Kind;
import org.junit.jupiter.api.Test;

class ChartSpecTest {

  private static final Duration TEN_S = Duration.ofSeconds(10);
  private static final List<Window> WINDOWS =
      List.of(new Window("10m", "10 min", Duration.ofMinutes(10)));
  private static final List<Column> COUNT = List.of(new Column("n", Measure.COUNT));

  private static KeyedChartSpec bar(String id, int topK, List<Window> windows, String dflt,
      Duration bucket, int maxKeys) {
    return new KeyedChartSpec(id, "C", Kind.BAR, "k", COUNT, null, topK, false, windows, dflt,
        bucket, maxKeys);
  }

  @Test
  void keyedChart_rejectsBadValues_namingThem() {
    assertThatThrownBy(() -> bar("c", -5, WINDOWS, "10m", TEN_S, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("topK must be positive: -5");
    assertThatThrownBy(() -> bar("c", 0, WINDOWS, "10m", TEN_S, 10))
        .hasMessage("topK must be positive: 0");
    assertThatThrownBy(() -> bar("c", 5, WINDOWS, "1h", TEN_S, 10))
        .hasMessage("defaultWindow must be one of [10m]: 1h");
    assertThatThrownBy(() -> bar("c", 5, List.of(), "10m", TEN_S, 10))
        .hasMessage("windows must not be empty: chart c");
    assertThatThrownBy(() -> bar("c", 5, WINDOWS, "10m", Duration.ZERO, 10))
        .hasMessage("bucket must be positive: PT0S");
    assertThatThrownBy(() -> bar("c", 5, WINDOWS, "10m", TEN_S, 0))
        .hasMessage("maxKeys must be positive: 0");
    assertThatThrownBy(() -> bar(" ", 5, WINDOWS, "10m", TEN_S, 1))
        .hasMessage("chart id must not be blank: \" \"");
    List<Window> twice = List.of(WINDOWS.get(0), WINDOWS.get(0));
    assertThatThrownBy(() -> bar("c", 5, twice, "10m", TEN_S, 1))
        .hasMessage("duplicate window id: 10m");
    List<Window> huge = List.of(new Window("y", "year", Duration.ofDays(365)));
    assertThatThrownBy(() -> bar("c", 5, huge, "y", Duration.ofMillis(1), 1))
        .hasMessage("window y 365d needs 31536000000 buckets of 1ms; at most 100000");
    List<Column> two = List.of(COUNT.get(0), COUNT.get(0));
    assertThatThrownBy(() -> new KeyedChartSpec("c", "C", Kind.PIE, "k", two, null, 5, true,
        WINDOWS, "10m", TEN_S, 10)).hasMessage("pie chart c must have exactly one column: 2");
    List<Window> tumbling = List.of(new Window("t", "T", Duration.ofSeconds(15), true));
    assertThatThrownBy(() -> bar("c", 5, tumbling, "t", TEN_S, 10))
        .hasMessage("window t must be a whole multiple of bucket: 15s / 10s");
  }

  @Test
  void keyedChart_copiesLists_andDefaultsFilterToAll() {
    List<Window> windows = new ArrayList<>(WINDOWS);
    KeyedChartSpec spec = bar("c", 5, windows, "10m", TEN_S, 10);
    windows.clear();
    assertThat(spec.windows()).hasSize(1);
    assertThat(spec.filter()).isSameAs(Filter.ALL);
    assertThat(spec.type()).isEqualTo("bar");
    assertThat(spec.measures()).containsExactly(Measure.COUNT);
  }

  @Test
  void memoryBound_rejectsChartsOver64MiB_namingWindowBucketKeysAndMeasure() {
    List<Window> hour = List.of(new Window("1h", "1 hour", Duration.ofHours(1)));
    List<Column> p99 = List.of(new Column("p99", Measure.parse("p99(latency)")));
    assertThatThrownBy(() -> new KeyedChartSpec("c", "C", Kind.BAR, "k", p99, null, 5, false,
        hour, "1h", Duration.ofSeconds(1), 5000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window 1h with 1s buckets and 5000 keys of p99(latency) needs ~35579 MiB,"
            + " over the 64 MiB limit of a chart");
    // The built-in dashboard's shape fits: 1 h of 10 s buckets, 5000 keys, count.
    KeyedChartSpec builtIn = new KeyedChartSpec("c", "C", Kind.BAR, "k", COUNT, null, 30, false,
        List.of(hour.get(0), Window.sinceStart("all", "all")), "1h", TEN_S, 5000);
    assertThat(ChartSpecs.estimateBytes(builtIn)).isBetween(50L << 20, ChartSpecs.MAX_CHART_BYTES);
    assertThatThrownBy(() -> new TimeSeriesSpec("t", "T", TimeSeriesSpec.Style.LINE, "host",
        Measure.parse("p99(latency)"), null, TEN_S, Duration.ofHours(1), 5))
        .hasMessage("retention 1h with 10s buckets and 100 keys of p99(latency) needs ~72 MiB,"
            + " over the 64 MiB limit of a chart");
    assertThat(ChartSpecs.estimateBytes(new TimeSeriesSpec("t", "T", TimeSeriesSpec.Style.LINE,
        null, Measure.parse("p99(latency)"), null, TEN_S, Duration.ofHours(1), 5)))
        .isLessThan(1L << 20);
    assertThatThrownBy(() -> new HeatmapSpec("h", "H", "k", Measure.parse("distinct(user)"),
        null, Duration.ofSeconds(1), Duration.ofHours(1), 10, 100))
        .hasMessageStartingWith("retention 1h with 1s buckets and 100 keys of distinct(user)");
  }

  @Test
  void window_rejectsNonPositiveLength_andTumblingSinceStart() {
    assertThatThrownBy(() -> new Window("w", "W", Duration.ofSeconds(-5)))
        .hasMessage("window length must be positive: PT-5S");
    assertThatThrownBy(() -> new Window("w", "W", null, true))
        .hasMessage("window w since start cannot be tumbling");
    assertThatThrownBy(() -> new Window("w", "W", Duration.ofNanos(500_000)))
        .hasMessage("window length must be whole milliseconds: PT0.0005S");
    assertThatThrownBy(() -> new Window("w", "W", Duration.ofDays(100_000)))
        .hasMessage("window length must be at most 36500 days: PT2400000H");
    assertThat(new Window("all", "since start", null).isSinceStart()).isTrue();
    assertThat(new Window("w", "W", TEN_S).tumbling()).isFalse();
  }

  @Test
  void timeSeries_requiresRetentionAWholeMultipleOfBucket() {
    assertThatThrownBy(() -> series(Duration.ofSeconds(65), 5))
        .hasMessage("retention must be a whole multiple of bucket: 65s / 10s");
    assertThatThrownBy(() -> series(Duration.ofHours(1), -1))
        .hasMessage("topSeries must not be negative: -1");
    assertThat(series(Duration.ofHours(1), 5).points()).isEqualTo(360);
    assertThat(series(Duration.ofHours(1), 5).type()).isEqualTo("line");
  }

  private static TimeSeriesSpec series(Duration retention, int top) {
    return new TimeSeriesSpec("a", "A", TimeSeriesSpec.Style.LINE, "k", Measure.COUNT, null,
        TEN_S, retention, top);
  }

  @Test
  void numberHistogramHeatmap_rejectBadValues() {
    Window fiveMin = new Window("5m", "5 min", Duration.ofMinutes(5));
    assertThatThrownBy(() -> new NumberSpec("n", "N", Measure.COUNT, null, fiveMin, TEN_S,
        Duration.ofSeconds(25))).hasMessage("sparkline must be a whole multiple of bucket: 25s / 10s");
    assertThatThrownBy(() -> new HistogramSpec("h", "H", "v", null, 5, 5, 10, fiveMin, TEN_S))
        .hasMessage("min must be less than max, both finite: min 5.0, max 5.0");
    assertThatThrownBy(() -> new HistogramSpec("h", "H", "v", null, 0, 1, 0, fiveMin, TEN_S))
        .hasMessage("bins must be positive: 0");
    assertThatThrownBy(() -> new HistogramSpec("h", "H", "v", null, 0, 1, 20_000, fiveMin,
        TEN_S)).hasMessage("bins must be at most 10000: 20000");
    assertThatThrownBy(() -> new HeatmapSpec("h", "H", "k", Measure.COUNT, null, TEN_S,
        Duration.ofMinutes(1), 0, 10)).hasMessage("topK must be positive: 0");
    assertThat(new NumberSpec("n", "N", Measure.COUNT, null, fiveMin, TEN_S, null).points())
        .isZero();
  }

  @Test
  void list_rejectsBadSizeAndFields() {
    assertThatThrownBy(() -> new ListSpec("l", "L", 0, List.of("title")))
        .hasMessage("size must be positive: 0");
    assertThatThrownBy(() -> new ListSpec("l", "L", 5, List.of("time")))
        .hasMessage("fields must not contain \"time\": every item has it");
    assertThatThrownBy(() -> new ListSpec("l", "L", 5, List.of("a", "a")))
        .hasMessage("duplicate field: a");
    assertThat(new ListSpec("l", "L", 5, List.of("a")).filter()).isSameAs(Filter.ALL);
  }

  @Test
  void filter_equals_matchesStringOrListElement() {
    Filter filter = Filter.equals("tags", "java");
    assertThat(filter.matches(TestEvents.event(0, "tags", List.of("c", "java")))).isTrue();
    assertThat(filter.matches(TestEvents.event(0, "tags", "java"))).isTrue();
    assertThat(filter.matches(TestEvents.event(0, "tags", "javascript"))).isFalse();
    assertThat(filter.matches(TestEvents.event(0))).isFalse();
    assertThat(Filter.ALL.matches(TestEvents.event(0))).isTrue();
    assertThat(Filter.of(List.of())).isSameAs(Filter.ALL);
  }
}
