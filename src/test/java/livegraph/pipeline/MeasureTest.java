package livegraph.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import livegraph.pipeline.Measure.Aggregation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MeasureTest {

  @ParameterizedTest
  @ValueSource(strings = {"count", "rate", "sum(bytes)", "avg(latency)", "min(/a/b/0)",
      "max(a.b.0)", "last(@topic)", "rate(bytes)", "distinct(user)", "p50(latency)",
      "p99(latency)", "p99.9(latency)", "p1(x)", "p0.5(x)", "p99.99(x)"})
  void parse_thenToString_givesTheTextBack(String text) {
    assertThat(Measure.parse(text).toString()).isEqualTo(text);
    assertThat(Measure.parse(text)).isEqualTo(Measure.parse(Measure.parse(text).toString()));
  }

  @Test
  void parse_readsAggregationFieldAndQuantile() {
    assertThat(Measure.parse("count")).isEqualTo(Measure.COUNT);
    assertThat(Measure.parse(" p99.9( latency ) "))
        .isEqualTo(new Measure(Aggregation.QUANTILE, "latency", 0.999));
    assertThat(Measure.parse("p50(x)").quantile()).isEqualTo(0.5);
    assertThat(Measure.parse("rate")).isEqualTo(new Measure(Aggregation.RATE, null, 0));
    assertThat(Measure.parse("sum(/a/b)")).isEqualTo(Measure.of(Aggregation.SUM, "/a/b"));
    assertThat(Measure.quantile(99.9, "x")).isEqualTo(Measure.parse("p99.9(x)"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "total", "sum", "count(x)", "median(x)", "p100(x)", "p0(x)",
      "p99.9999(x)", "p05(x)", "px(x)", "sum()", "sum(x", "Sum(x)"})
  void parse_rejectsBadText_namingItAndWhatIsExpected(String text) {
    assertThatThrownBy(() -> Measure.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + text + "\"");
  }

  @Test
  void parse_messages() {
    assertThatThrownBy(() -> Measure.parse("median(x)")).hasMessage("unknown measure"
        + " \"median(x)\": expected count, rate, or sum|avg|min|max|last|rate|distinct|pNN(field)"
        + " with NN in (0, 100) such as p50 or p99.9");
    assertThatThrownBy(() -> Measure.parse("p100(x)")).hasMessage("measure \"p100(x)\":"
        + " quantile p100 is not pNN with NN in (0, 100), such as p50, p99 or p99.9");
    assertThatThrownBy(() -> Measure.parse("avg()"))
        .hasMessage("measure \"avg()\" names no field: expected e.g. avg(latency)");
    assertThatThrownBy(() -> Measure.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_checksFieldAndQuantile() {
    assertThatThrownBy(() -> new Measure(Aggregation.SUM, null, 0))
        .hasMessage("sum field must not be blank: null");
    assertThatThrownBy(() -> new Measure(Aggregation.COUNT, "x", 0))
        .hasMessage("count takes no field: x");
    assertThatThrownBy(() -> new Measure(Aggregation.QUANTILE, "x", 1))
        .hasMessage("quantile must be in (0, 1): 1.0");
  }

  @Test
  void subtractable_onlyCountSumAvgRate() {
    assertThat(Measure.parse("count").subtractable()).isTrue();
    assertThat(Measure.parse("avg(x)").subtractable()).isTrue();
    assertThat(Measure.parse("rate(x)").subtractable()).isTrue();
    assertThat(Measure.parse("max(x)").subtractable()).isFalse();
    assertThat(Measure.parse("p99(x)").subtractable()).isFalse();
    assertThat(Measure.parse("distinct(x)").subtractable()).isFalse();
  }
}
