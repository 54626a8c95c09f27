package livegraph.pipeline;

import static livegraph.pipeline.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The history views replay: its bounds, and since when it is whole. */
class EventHistoryTest {

  private static final long T0 = 1_700_000_000_000L;
  private static final long UNLIMITED = Long.MAX_VALUE;

  private static List<Long> times(EventHistory.Copy copy) {
    return copy.events().stream().map(Event::timeMillis).toList();
  }

  @Test
  void withinItsBounds_keepsEverything_completeFromTheStart() {
    EventHistory history = new EventHistory(UNLIMITED, 10, 1 << 20, T0);
    for (int i = 0; i < 10; i++) {
      history.add(event(T0 + i, "i", (long) i), T0 + i);
    }

    EventHistory.Copy copy = history.copy(T0 + 10);

    assertThat(times(copy)).hasSize(10).first().isEqualTo(T0);
    assertThat(copy.from()).isEqualTo(T0);
    assertThat(copy.complete()).isTrue();
  }

  @Test
  void full_dropsTheOldest_andIsWholeOnlyFromJustAfterIt() {
    EventHistory history = new EventHistory(UNLIMITED, 3, 1 << 20, T0);
    for (int i = 0; i < 5; i++) {
      history.add(event(T0 + 100 * i), T0 + 100 * i);
    }

    EventHistory.Copy copy = history.copy(T0 + 500);

    assertThat(times(copy)).containsExactly(T0 + 200, T0 + 300, T0 + 400);
    assertThat(copy.from()).isEqualTo(T0 + 101);
    assertThat(copy.complete()).as("a since-start chart misses the first two").isFalse();
  }

  @Test
  void eventsBeyondTheChartsReach_leave_andTheHistoryIsStillComplete() {
    EventHistory history = new EventHistory(60_000, 100, 1 << 20, T0);
    history.add(event(T0), T0);
    history.add(event(T0 + 30_000), T0 + 30_000);
    history.add(event(T0 + 70_000), T0 + 70_000);

    EventHistory.Copy copy = history.copy(T0 + 80_000);

    assertThat(times(copy)).containsExactly(T0 + 30_000, T0 + 70_000);
    assertThat(copy.complete()).as("no chart reaches back to the dropped one").isTrue();

    EventHistory crowded = new EventHistory(60_000, 1, 1 << 20, T0);
    crowded.add(event(T0 + 30_000), T0 + 30_000);
    crowded.add(event(T0 + 70_000), T0 + 70_000);
    assertThat(crowded.copy(T0 + 80_000).complete())
        .as("dropped for room while a chart still counts it").isFalse();
  }

  @Test
  void overTheByteBound_dropsTheOldest_butKeepsTheNewest() {
    Event big = event(T0, "title", "x".repeat(1000));
    int one = EventHistory.estimateBytes(big);
    EventHistory history = new EventHistory(UNLIMITED, 100, 2L * one, T0);
    for (int i = 0; i < 5; i++) {
      history.add(big, T0 + i);
    }
    assertThat(history.size()).isEqualTo(2);
    assertThat(history.bytes()).isEqualTo(2L * one);

    EventHistory tiny = new EventHistory(UNLIMITED, 100, 1, T0);
    tiny.add(big, T0);
    assertThat(tiny.size()).as("one event always fits").isEqualTo(1);
  }

  @Test
  void anEventStampedAfterNow_isKeptAtNow_asThePipelineCountsIt() {
    EventHistory history = new EventHistory(UNLIMITED, 10, 1 << 20, T0);

    Event kept = history.add(event(T0 + 5_000, "a", "b"), T0);

    assertThat(kept.timeMillis()).isEqualTo(T0);
    assertThat(kept.fields()).containsEntry("a", "b");
    assertThat(times(history.copy(T0))).containsExactly(T0);
  }

  @Test
  void growsAsNeeded_inOrder_acrossTheWrap() {
    EventHistory history = new EventHistory(UNLIMITED, 50, 1 << 20, T0);
    for (int i = 0; i < 137; i++) {
      history.add(event(T0 + i), T0 + i);
    }
    List<Long> times = times(history.copy(T0 + 137));
    assertThat(times).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(times.get(i)).isEqualTo(T0 + 87 + i);
    }
  }

  @Test
  void reach_isTheLongestChart_unlimitedWithASinceStartWindowOrAList() {
    KeyedChartSpec tenMinutes = new KeyedChartSpec("b", "B", KeyedChartSpec.Kind.BAR, "k",
        List.of(new KeyedChartSpec.Column("n", Measure.COUNT)), Filter.ALL, 5, false,
        List.of(new Window("10m", "10 min", Duration.ofMinutes(10))), "10m",
        Duration.ofSeconds(10), 10);
    assertThat(ChartSpecs.reachMillis(tenMinutes)).isEqualTo(610_000);
    assertThat(ChartSpecs.reachMillis(new ListSpec("l", "L", 5, List.of("k"))))
        .isEqualTo(Long.MAX_VALUE);
  }
}
