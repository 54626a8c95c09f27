package livegraph.pipeline;

import static livegraph.pipeline.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import livegraph.pipeline.Condition.Equals;
import livegraph.pipeline.Condition.Exists;
import livegraph.pipeline.Condition.Gt;
import livegraph.pipeline.Condition.Gte;
import livegraph.pipeline.Condition.In;
import livegraph.pipeline.Condition.Lt;
import livegraph.pipeline.Condition.Lte;
import livegraph.pipeline.Condition.NotEquals;
import livegraph.pipeline.Condition.Regex;
import org.junit.jupiter.api.Test;

class ConditionTest {

  private static final Event E = event(0, "level", "error", "tags", List.of("a", "b"),
      "status", 200L, "latency", 12.5, "ok", true, "num", " 42 ");

  @Test
  void equals_matchesStringListElementNumberAndBoolean() {
    assertThat(new Equals("level", "error").test(E)).isTrue();
    assertThat(new Equals("level", "err").test(E)).isFalse();
    assertThat(new Equals("tags", "b").test(E)).isTrue();
    assertThat(new Equals("status", "200").test(E)).isTrue();
    assertThat(new Equals("status", "200.0").test(E)).isTrue();
    assertThat(new Equals("latency", "12.5").test(E)).isTrue();
    assertThat(new Equals("ok", "true").test(E)).isTrue();
    assertThat(new Equals("missing", "x").test(E)).isFalse();
  }

  @Test
  void notEquals_isTheNegation_trueWhenAbsent() {
    assertThat(new NotEquals("level", "warn").test(E)).isTrue();
    assertThat(new NotEquals("level", "error").test(E)).isFalse();
    assertThat(new NotEquals("tags", "a").test(E)).isFalse();
    assertThat(new NotEquals("missing", "x").test(E)).isTrue();
  }

  @Test
  void in_matchesAnyValue() {
    assertThat(new In("level", List.of("warn", "error")).test(E)).isTrue();
    assertThat(new In("level", List.of("warn", "info")).test(E)).isFalse();
    assertThat(new In("tags", List.of("z", "a")).test(E)).isTrue();
    assertThatThrownBy(() -> new In("level", List.of()))
        .hasMessage("in values of level must not be empty");
  }

  @Test
  void regex_findsAnywhere_inStringsAndListElements() {
    assertThat(new Regex("level", "^err").test(E)).isTrue();
    assertThat(new Regex("level", "rro").test(E)).isTrue();
    assertThat(new Regex("level", "^rro").test(E)).isFalse();
    assertThat(new Regex("tags", "^b$").test(E)).isTrue();
    assertThat(new Regex("status", "^2\\d\\d$").test(E)).isTrue();
    assertThat(new Regex("level", "e+")).isEqualTo(new Regex("level", "e+"));
    assertThatThrownBy(() -> new Regex("level", "(")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad regex for level: \"(\": Unclosed group");
  }

  @Test
  void numeric_needANumberOrNumericString() {
    assertThat(new Gt("latency", 12).test(E)).isTrue();
    assertThat(new Gt("latency", 12.5).test(E)).isFalse();
    assertThat(new Gte("latency", 12.5).test(E)).isTrue();
    assertThat(new Lt("status", 201).test(E)).isTrue();
    assertThat(new Lte("status", 199).test(E)).isFalse();
    assertThat(new Gt("num", 41).test(E)).isTrue();
    assertThat(new Gt("level", -1e300).test(E)).isFalse();
    assertThat(new Lt("tags", 1e300).test(E)).isFalse();
    assertThat(new Lt("missing", 1e300).test(E)).isFalse();
    assertThat(new Lt("n", 1).test(event(0, "n", "NaN"))).isFalse();
    assertThat(new Lt("n", 1).test(event(0, "n", "-Infinity"))).isFalse();
    assertThatThrownBy(() -> new Gt("x", Double.NaN)).hasMessage("gt value of x must be finite: NaN");
  }

  @Test
  void exists_presentOrAbsent() {
    assertThat(new Exists("ok").test(E)).isTrue();
    assertThat(new Exists("missing").test(E)).isFalse();
    assertThat(new Exists("missing", false).test(E)).isTrue();
  }

  @Test
  void filter_isAConjunction() {
    Filter filter = Filter.of(List.of(new Equals("level", "error"), new Gt("latency", 10)));
    assertThat(filter.matches(E)).isTrue();
    assertThat(Filter.of(List.of(new Equals("level", "error"), new Gt("latency", 20)))
        .matches(E)).isFalse();
    assertThat(filter.and(Filter.ALL)).isSameAs(filter);
    assertThat(Filter.ALL.and(filter)).isSameAs(filter);
    assertThat(filter.and(Filter.equals("ok", "true")).conditions()).hasSize(3);
  }
}
