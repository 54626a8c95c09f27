package livegraph.bench;

import static livegraph.bench.FrameProbe.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ViewerStateTest {

  private final ViewerState viewer = new ViewerState();
  private final Tally tally = new Tally();

  @Test
  void contiguousSequence_hasNoGaps() {
    for (long s = 10; s <= 20; s++) {
      viewer.onData(s, s, s * 1000, s * 1000 + 500, 100, tally, true);
    }
    assertThat(tally.gaps).isZero();
    assertThat(tally.frames).isEqualTo(11);
    assertThat(tally.bytes).isEqualTo(1100);
  }

  @Test
  void jump_countsTheNumbersSkipped_notTheFirstFrame() {
    viewer.onData(100, NONE, NONE, 0, 10, tally, true); // the join snapshot: sets the start
    viewer.onData(101, NONE, NONE, 0, 10, tally, true);
    viewer.onData(105, NONE, NONE, 0, 10, tally, true); // 102, 103, 104 missing
    viewer.onData(106, NONE, NONE, 0, 10, tally, true);
    assertThat(tally.gaps).isEqualTo(3);
    assertThat(tally.repeats).isZero();
  }

  @Test
  void repeatedOrOlderSequence_isARepeat_andDoesNotMoveTheViewerBack() {
    viewer.onData(5, NONE, NONE, 0, 10, tally, true);
    viewer.onData(5, NONE, NONE, 0, 10, tally, true);
    viewer.onData(3, NONE, NONE, 0, 10, tally, true);
    viewer.onData(6, NONE, NONE, 0, 10, tally, true);
    assertThat(tally.repeats).isEqualTo(2);
    assertThat(tally.gaps).isZero();
  }

  @Test
  void eventsRepresented_isHowFarTheNewestEventMoved() {
    viewer.onData(1, 10, NONE, 0, 10, tally, false); // before the measured period
    viewer.onData(2, 17, NONE, 0, 10, tally, true); // a tick that brought 7 events
    viewer.onData(3, 17, NONE, 0, 10, tally, true); // other charts changed, no new event
    viewer.onData(4, 20, NONE, 0, 10, tally, true);
    assertThat(tally.represented).isEqualTo(10);
  }

  @Test
  void latency_isSampledOnlyWhenTheFrameBringsANewerEvent() {
    viewer.onData(1, 1, 1_000_000, 1_030_000, 10, tally, true); // 30 ms
    viewer.onData(2, 1, 1_000_000, 1_130_000, 10, tally, true); // same event again: no sample
    viewer.onData(3, 2, 1_100_000, 1_105_000, 10, tally, true); // 5 ms
    assertThat(tally.latencyMicros.getTotalCount()).isEqualTo(2);
    assertThat(tally.maxLatencyMillis()).isBetween(29.9, 30.1);
  }

  @Test
  void outsideTheMeasuredPeriod_nothingIsCounted_butTheViewerMovesOn() {
    viewer.onData(1, 1, 1000, 2000, 10, tally, false);
    viewer.onData(9, 9, 9000, 10_000, 10, tally, false);
    assertThat(tally.frames).isZero();
    assertThat(tally.gaps).isZero();
    assertThat(tally.latencyMicros.getTotalCount()).isZero();
    viewer.onData(10, 10, 10_000, 11_000, 10, tally, true);
    assertThat(tally.gaps).isZero(); // 9 → 10 is contiguous
    assertThat(tally.represented).isEqualTo(1);
    assertThat(tally.frames).isEqualTo(1);
  }
}
