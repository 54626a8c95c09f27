package livegraph.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import livegraph.pipeline.ChartSpec;
import livegraph.pipeline.ChartSpecs;
import livegraph.pipeline.Filter;
import livegraph.pipeline.HeatmapSpec;
import livegraph.pipeline.HistogramSpec;
import livegraph.pipeline.KeyedChartSpec;
import livegraph.pipeline.KeyedChartSpec.Column;
import livegraph.pipeline.KeyedChartSpec.Kind;
import livegraph.pipeline.ListSpec;
import livegraph.pipeline.Measure;
import livegraph.pipeline.NumberSpec;
import livegraph.pipeline.TimeSeriesSpec;
import livegraph.pipeline.Window;
import org.junit.jupiter.api.Test;

/** The {@code --chart} grammar: each form, the defaults it shares with files, and its errors. */
class ChartShorthandTest {

  private static final Duration BUCKET = Duration.ofSeconds(10);
  private static final Window TEN_MINUTES = new Window("10m", "10 min", Duration.ofMinutes(10));

  private static ChartSpec one(String spec) {
    return ChartShorthand.parseAll(List.of(spec)).get(0);
  }

  @Test
  void untyped_isABarChart_withTheFileDefaults() {
    assertThat(one("count by level")).isEqualTo(new KeyedChartSpec("count-by-level",
        "count by level", Kind.BAR, "level", List.of(new Column("count", Measure.COUNT)),
        Filter.ALL, 10, false, Defaults.windows(), "10m", BUCKET, 5000));
  }

  @Test
  void pieAndTable_withTopAndSeveralMeasures() {
    KeyedChartSpec pie = (KeyedChartSpec) one("pie: count by level top 5");
    assertThat(pie.kind()).isEqualTo(Kind.PIE);
    assertThat(pie.topK()).isEqualTo(5);
    assertThat(pie.title()).isEqualTo("count by level top 5");

    KeyedChartSpec table = (KeyedChartSpec) one("table: count, avg(latency), p99(latency) by path");
    assertThat(table.kind()).isEqualTo(Kind.TABLE);
    assertThat(table.by()).isEqualTo("path");
    assertThat(table.columns()).extracting(Column::label)
        .containsExactly("count", "avg(latency)", "p99(latency)");
    assertThat(table.maxKeys()).isLessThan(5000);
    assertThat(ChartSpecs.estimateBytes(table)).isLessThanOrEqualTo(ChartSpecs.MAX_CHART_BYTES);
  }

  @Test
  void lineAndArea_totalOnlyOrByAField() {
    assertThat(one("line: rate by level")).isEqualTo(new TimeSeriesSpec("rate-by-level",
        "rate by level", TimeSeriesSpec.Style.LINE, "level", Measure.parse("rate"), Filter.ALL,
        BUCKET, Duration.ofHours(1), 5));
    TimeSeriesSpec area = (TimeSeriesSpec) one("area: avg(latency)");
    assertThat(area.style()).isEqualTo(TimeSeriesSpec.Style.AREA);
    assertThat(area.by()).isNull();
  }

  @Test
  void numberHistogramHeatmapList() {
    assertThat(one("number: p99(latency)")).isEqualTo(new NumberSpec("p99-latency",
        "p99(latency)", Measure.quantile(99, "latency"), Filter.ALL, TEN_MINUTES, BUCKET,
        Duration.ofMinutes(10)));
    assertThat(one("histogram: latency 0..1000/25")).isEqualTo(new HistogramSpec(
        "latency-0-1000-25", "latency 0..1000/25", "latency", Filter.ALL, 0, 1000, 25,
        TEN_MINUTES, BUCKET));
    assertThat(((HistogramSpec) one("histogram: /t/ms -5..5")).bins()).isEqualTo(20);
    assertThat(((HeatmapSpec) one("heatmap: p90(latency) by path")).by()).isEqualTo("path");
    assertThat(one("list: ts, level,msg")).isEqualTo(new ListSpec("ts-level-msg",
        "ts, level,msg", 50, List.of("ts", "level", "msg")));
  }

  @Test
  void sameTitleTwice_getsUniqueIds() {
    assertThat(ChartShorthand.parseAll(List.of("count by level", "pie: count by level")))
        .extracting(ChartSpec::id).containsExactly("count-by-level", "count-by-level-2");
  }

  @Test
  void mistakes_nameTheSpec_andShowTheForm() {
    assertThatThrownBy(() -> one("bar: count"))
        .hasMessage("--chart 'bar: count': a bar chart needs 'MEASURE by FIELD', e.g. "
            + "'count by level'");
    assertThatThrownBy(() -> one("lines: rate"))
        .hasMessage("--chart 'lines: rate': unknown chart type 'lines': did you mean 'line'?");
    assertThatThrownBy(() -> one("number: median(x)"))
        .hasMessageStartingWith("--chart 'number: median(x)': unknown measure \"median(x)\"");
    assertThatThrownBy(() -> one("histogram: latency 0-1000"))
        .hasMessage("--chart 'histogram: latency 0-1000': expected FIELD MIN..MAX[/BINS], e.g. "
            + "'histogram: latency 0..1000/20'");
    assertThatThrownBy(() -> one("histogram: latency 9..1"))
        .hasMessageStartingWith("--chart 'histogram: latency 9..1': min must be less than max");
    assertThatThrownBy(() -> one("count, sum(b) by a"))
        .hasMessage("--chart 'count, sum(b) by a': a bar chart shows one measure; for several "
            + "write 'table: count, sum(b) by a'");
    assertThatThrownBy(() -> one("count by /a/~2"))
        .hasMessageStartingWith("--chart 'count by /a/~2': bad JSON Pointer");
    assertThatThrownBy(() -> one("list: a,,b")).hasMessage("--chart 'list: a,,b': a field is empty");
    assertThatThrownBy(() -> one("pie:")).hasMessage("--chart 'pie:': nothing after the chart "
        + "type; e.g. 'pie: count by level'");
  }
}
