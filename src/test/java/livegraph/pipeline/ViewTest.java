package livegraph.pipeline;

import static livegraph.pipeline.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A view's filter composed with each chart's own. */
class ViewTest {

  private static final List<KeyedChartSpec.Column> COUNT =
      List.of(new KeyedChartSpec.Column("Questions", Measure.COUNT));
  private static final List<Window> WINDOWS =
      List.of(new Window("10m", "10 min", Duration.ofMinutes(10)));

  private static KeyedChartSpec bar(String id, String by, Filter filter) {
    return new KeyedChartSpec(id, id, KeyedChartSpec.Kind.BAR, by, COUNT, filter, 10, false,
        WINDOWS, "10m", Duration.ofSeconds(10), 100);
  }

  private static final KeyedChartSpec COMMUNITIES = bar("communities", "site", Filter.ALL);
  private static final KeyedChartSpec TAGS =
      bar("tags", "tags", Filter.equals("site", "stackoverflow"));
  private static final TimeSeriesSpec ACTIVITY = new TimeSeriesSpec("activity", "Activity",
      TimeSeriesSpec.Style.LINE, "site", Measure.COUNT, Filter.ALL, Duration.ofSeconds(10),
      Duration.ofMinutes(10), 5);
  private static final ListSpec LATEST = new ListSpec("latest", "Latest", 5, List.of("site"));

  @Test
  void aKeyedChartGroupedByTheField_staysAsItIs() {
    View math = new View("site", "math");

    assertThat(math.filterFor(COMMUNITIES)).isEqualTo(Filter.ALL);
    assertThat(new View("tags", "java").filterFor(TAGS)).isEqualTo(TAGS.filter());
  }

  @Test
  void everyOtherChart_keepsItsOwnFilter_andGainsTheKey() {
    View math = new View("site", "math");
    Event mathEvent = event(0, "site", "math", "tags", List.of("algebra"));
    Event soEvent = event(0, "site", "stackoverflow", "tags", List.of("java"));

    // Grouped by the field, but a line: narrowed (its total is the clicked key's).
    assertThat(math.filterFor(ACTIVITY).matches(mathEvent)).isTrue();
    assertThat(math.filterFor(ACTIVITY).matches(soEvent)).isFalse();
    assertThat(math.filterFor(LATEST).matches(soEvent)).isFalse();
    // The tags chart's own "site = stackoverflow" still holds, and now math as well: nothing.
    assertThat(math.filterFor(TAGS).conditions())
        .containsExactly(new Condition.Equals("site", "stackoverflow"),
            new Condition.HasKey("site", "math"));
    assertThat(math.filterFor(TAGS).matches(mathEvent)).isFalse();
    assertThat(math.filterFor(TAGS).matches(soEvent)).isFalse();
  }

  @Test
  void aListField_matchesByAnyElement_asTheBarOfThatElementCounts() {
    View java = new View("tags", "java");

    assertThat(java.filterFor(COMMUNITIES).matches(
        event(0, "site", "stackoverflow", "tags", List.of("spring", "java")))).isTrue();
    assertThat(java.filterFor(COMMUNITIES).matches(
        event(0, "site", "stackoverflow", "tags", List.of("javascript")))).isFalse();
    assertThat(java.filterFor(COMMUNITIES).matches(event(0, "site", "math"))).isFalse();
  }

  @Test
  void theKey_isTheBarsText_notANumericEquality() {
    // A keyed chart shows 2 as "2" and 2.5 as "2.5": those keys, and only those, match.
    assertThat(new Condition.HasKey("n", "2").test(event(0, "n", 2L))).isTrue();
    assertThat(new Condition.HasKey("n", "2").test(event(0, "n", 2.0))).isTrue();
    assertThat(new Condition.HasKey("n", "2.0").test(event(0, "n", 2L))).isFalse();
    assertThat(new Condition.HasKey("n", "2.5").test(event(0, "n", 2.5))).isTrue();
    assertThat(new Condition.HasKey("ok", "true").test(event(0, "ok", true))).isTrue();
    assertThat(new Condition.HasKey("n", "").test(event(0, "n", ""))).isTrue();
    assertThat(new Condition.HasKey("n", "").test(event(0))).isFalse();
    Event e = event(0, "tags", List.of("a", "b"), "n", 7L);
    assertThat(new Condition.HasKey("tags", "b").test(e))
        .isEqualTo(Aggregator.distinctKeys(e, "tags").contains("b"));
  }

  @Test
  void fields_areEveryChartsBy_inOrder() {
    assertThat(View.fields(List.of(LATEST, TAGS, ACTIVITY, COMMUNITIES)))
        .containsExactly("tags", "site");
  }

  @Test
  void aValueOverTheLimit_isRefused() {
    assertThatThrownBy(() -> new View("site", "x".repeat(View.MAX_VALUE + 1)))
        .hasMessage("view value must be at most 200 characters: 201");
  }
}
