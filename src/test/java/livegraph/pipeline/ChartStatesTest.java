package livegraph.pipeline;

import static livegraph.pipeline.TestEvents.event;
import static livegraph.pipeline.TestEvents.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import livegraph.pipeline.KeyedChartSpec.Column;
import livegraph.pipeline.KeyedChartSpec.Kind;
import org.junit.jupiter.api.Test;

/** The exact JSON state of each chart kind: the contract with the page. */
class ChartStatesTest {

  private static final long T0 = 1_700_000_000_000L; // a 10 s and 1 min boundary
  private static final Duration TEN_S = Duration.ofSeconds(10);
  private static final Window FIVE_MIN = new Window("5m", "5 min", Duration.ofMinutes(5));

  private static String text(Aggregator aggregator) {
    return new String(ChartJson.encode(aggregator), StandardCharsets.UTF_8);
  }

  private static Event request(long t, String path, Object latency) {
    return event(t, "path", path, "latency", latency, "user", "u" + (t % 3));
  }

  @Test
  void table_columnsPerKey_otherRow_nullWhereNoValue() {
    List<Column> columns = List.of(new Column("Requests", Measure.COUNT),
        new Column("avg", Measure.parse("avg(latency)")),
        new Column("max", Measure.parse("max(latency)")),
        new Column("p50", Measure.parse("p50(latency)")),
        new Column("users", Measure.parse("distinct(user)")),
        new Column("last", Measure.parse("last(latency)")),
        new Column("rate", Measure.parse("rate")));
    KeyedChart table = new KeyedChart(new KeyedChartSpec("t", "T", Kind.TABLE, "path", columns,
        null, 2, true, List.of(new Window("1m", "1 min", Duration.ofMinutes(1))), "1m", TEN_S,
        100), T0);
    table.add(T0, request(T0, "/a", 10L));
    table.add(T0 + 1, request(T0 + 1, "/a", 30L));
    table.add(T0 + 2, request(T0 + 2, "/a", "n/a"));
    table.add(T0 + 3, request(T0 + 3, "/b", 5.5));
    table.add(T0 + 4, request(T0 + 4, "/c", 1L));
    table.add(T0 + 5, event(T0 + 5, "path", "/d"));

    // p50 is DDSketch's, within 1% of 10 (the lower median of 10 and 30), 5.5 and 1.
    assertThat(text(table)).isEqualTo("{\"windows\":{\"1m\":{"
        + "\"x\":[\"/a\",\"/b\"],"
        + "\"columns\":[[3,1],[20,5.5],[30,5.5],[10.07469668951133,5.529000185576875],[3,1],"
        + "[30,5.5],[0.05,0.016666666666666666]],"
        + "\"other\":[2,1,1,1.01,1,1,0.03333333333333333]}},"
        + "\"overflow\":0}");
  }

  @Test
  void bar_withoutOther_hasNoOtherField_pieToo() {
    KeyedChart bar = new KeyedChart(new KeyedChartSpec("b", "B", Kind.PIE, "path",
        List.of(new Column("n", Measure.COUNT)), null, 1, false, List.of(FIVE_MIN), "5m", TEN_S,
        10), T0);
    bar.add(T0, request(T0, "/a", 1L));
    bar.add(T0, request(T0, "/b", 1L));
    assertThat(text(bar)).isEqualTo(
        "{\"windows\":{\"5m\":{\"x\":[\"/a\"],\"columns\":[[1]]}},\"overflow\":0}");
  }

  @Test
  void other_isNull_whenNoKeyBeyondTopK() {
    KeyedChart bar = new KeyedChart(new KeyedChartSpec("b", "B", Kind.BAR, "path",
        List.of(new Column("n", Measure.COUNT)), null, 5, true, List.of(FIVE_MIN), "5m", TEN_S,
        10), T0);
    bar.add(T0, request(T0, "/a", 1L));
    assertThat(text(bar)).isEqualTo("{\"windows\":{\"5m\":{\"x\":[\"/a\"],\"columns\":[[1]],"
        + "\"other\":null}},\"overflow\":0}");
  }

  @Test
  void timeSeries_avgPerBucket_nullWhereNoValue_keyedSeriesByRetentionAvg() {
    TimeSeriesChart series = new TimeSeriesChart(new TimeSeriesSpec("s", "S",
        TimeSeriesSpec.Style.AREA, "path", Measure.parse("avg(latency)"), null, TEN_S,
        Duration.ofSeconds(30), 1), T0 + 20_000);
    series.add(T0, request(T0, "/a", 10L));
    series.add(T0 + 1, request(T0 + 1, "/b", 30L));
    series.add(T0 + 20_000, request(T0 + 20_000, "/a", 20L));
    assertThat(text(series)).isEqualTo("{\"start\":" + T0 + ",\"step\":10000,\"series\":["
        + "{\"name\":\"total\",\"values\":[20,null,20]},"
        + "{\"name\":\"/b\",\"values\":[30,null,null]}]}");
  }

  @Test
  void timeSeries_withoutBy_isTotalOnly_rateIsPerSecondOfBucket() {
    TimeSeriesChart series = new TimeSeriesChart(new TimeSeriesSpec("s", "S",
        TimeSeriesSpec.Style.LINE, null, Measure.parse("rate"), null, TEN_S,
        Duration.ofSeconds(20), 5), T0 + 10_000);
    for (int i = 0; i < 5; i++) {
      series.add(T0 + 10_000, request(T0 + 10_000, "/a", 1L));
    }
    assertThat(text(series)).isEqualTo("{\"start\":" + T0 + ",\"step\":10000,\"series\":["
        + "{\"name\":\"total\",\"values\":[0,0.5]}]}");
  }

  @Test
  void heatmap_keysByMeasureOverRetention_zPerBucket() {
    HeatmapChart heatmap = new HeatmapChart(new HeatmapSpec("h", "H", "path",
        Measure.parse("max(latency)"), null, TEN_S, Duration.ofSeconds(30), 2, 10), T0 + 20_000);
    heatmap.add(T0, request(T0, "/a", 10L));
    heatmap.add(T0 + 10_000, request(T0 + 10_000, "/b", 50L));
    heatmap.add(T0 + 20_000, request(T0 + 20_000, "/c", 5L));
    heatmap.add(T0 + 20_000, request(T0 + 20_000, "/a", 7L));
    assertThat(text(heatmap)).isEqualTo("{\"start\":" + T0 + ",\"step\":10000,"
        + "\"keys\":[\"/b\",\"/a\"],\"z\":[[null,50,null],[10,null,7]]}");
  }

  @Test
  void number_valueOverWindow_sparklinePerBucket() {
    Aggregator number = Aggregator.of(new NumberSpec("n", "N", Measure.parse("sum(latency)"),
        Filter.equals("path", "/a"), new Window("20s", "20 s", Duration.ofSeconds(20)), TEN_S,
        Duration.ofSeconds(40)), T0 + 30_000);
    number.add(T0, request(T0, "/a", 100L)); // in the sparkline, not in the window
    number.add(T0 + 20_000, request(T0 + 20_000, "/a", 2L));
    number.add(T0 + 30_000, request(T0 + 30_000, "/a", 0.25));
    number.add(T0 + 30_000, request(T0 + 30_000, "/b", 1000L));
    assertThat(text(number)).isEqualTo("{\"value\":2.25,\"start\":" + T0 + ",\"step\":10000,"
        + "\"spark\":[100,0,2,0.25]}");
  }

  @Test
  void number_ofNothing_isNullOrZero_andWithoutSparklineHasEmptySpark() {
    NumberChart avg = new NumberChart(new NumberSpec("n", "N", Measure.parse("avg(x)"), null,
        FIVE_MIN, TEN_S, null), T0 + 5_000);
    assertThat(text(avg)).isEqualTo(
        "{\"value\":null,\"start\":" + T0 + ",\"step\":10000,\"spark\":[]}");
    NumberChart count = new NumberChart(new NumberSpec("n", "N", Measure.COUNT, null,
        Window.sinceStart("all", "all"), TEN_S, Duration.ofSeconds(20)), T0);
    assertThat(text(count)).isEqualTo(
        "{\"value\":0,\"start\":" + (T0 - 10_000) + ",\"step\":10000,\"spark\":[0,0]}");
  }

  @Test
  void histogram_binsUnderOver_leavesOutNonNumbers() {
    HistogramChart histogram = new HistogramChart(new HistogramSpec("h", "H", "latency", null,
        0, 100, 4, FIVE_MIN, TEN_S), T0);
    for (Object v : List.of(0L, 24.999, 25L, 99.99, 100L, -1L, "50", "slow", 1e9)) {
      histogram.add(T0, request(T0, "/a", v));
    }
    histogram.add(T0, event(T0, "path", "/no-latency"));
    assertThat(text(histogram)).isEqualTo(
        "{\"min\":0,\"max\":100,\"counts\":[2,1,1,1],\"under\":1,\"over\":2}");
  }

  @Test
  void histogram_countsLeaveWithTheirWindow() {
    HistogramChart histogram = new HistogramChart(new HistogramSpec("h", "H", "latency", null,
        0.5, 1.5, 1, new Window("10s", "10 s", TEN_S), TEN_S), T0);
    histogram.add(T0, request(T0, "/a", 1L));
    assertThat(json(histogram).get("counts").toString()).isEqualTo("[1]");
    histogram.advanceTo(T0 + 10_000);
    assertThat(histogram.changed()).isTrue();
    assertThat(json(histogram).get("counts").toString()).isEqualTo("[0]");
  }

  @Test
  void list_keepsOnlyFilteredEvents() {
    Aggregator list = Aggregator.of(new ListSpec("l", "L", 5, List.of("path"),
        Filter.equals("path", "/a")), T0);
    list.add(T0, request(T0, "/a", 1L));
    list.add(T0 + 1, request(T0 + 1, "/b", 1L));
    assertThat(text(list)).isEqualTo("{\"items\":[{\"time\":" + T0 + ",\"path\":\"/a\"}]}");
  }
}
