package livegraph.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TallyTest {

  @Test
  void percentiles_ofAKnownDistribution_inMilliseconds() {
    Tally t = new Tally();
    for (int ms = 1; ms <= 1000; ms++) {
      t.latency(ms * 1000L);
    }
    // HdrHistogram with 3 significant digits: within 0.1 % of the exact value.
    assertThat(t.latencyMillis(50)).isCloseTo(500, within(0.5));
    assertThat(t.latencyMillis(99)).isCloseTo(990, within(1.0));
    assertThat(t.maxLatencyMillis()).isCloseTo(1000, within(1.0));
  }

  @Test
  void noSamples_isNaN_notZero() {
    Tally t = new Tally();
    assertThat(t.latencyMillis(50)).isNaN();
    assertThat(t.maxLatencyMillis()).isNaN();
  }

  @Test
  void negativeAndHugeLatencies_areClampedIntoRange() {
    Tally t = new Tally();
    t.latency(-5); // a clock step: counted as 0 rather than lost
    t.latency(Long.MAX_VALUE);
    assertThat(t.latencyMicros.getTotalCount()).isEqualTo(2);
    assertThat(t.maxLatencyMillis()).isCloseTo(Tally.MAX_LATENCY_MICROS / 1000.0,
        within(Tally.MAX_LATENCY_MICROS / 1000.0 * 0.001));
  }

  @Test
  void add_mergesCountsAndHistograms() {
    Tally a = new Tally();
    Tally b = new Tally();
    a.frames = 3;
    a.gaps = 1;
    a.latency(10_000);
    b.frames = 4;
    b.represented = 9;
    b.controlFrames = 2;
    b.bytes = 100;
    b.repeats = 1;
    b.latency(30_000);
    Tally all = a.copy();
    all.add(b);
    assertThat(all.frames).isEqualTo(7);
    assertThat(all.gaps).isEqualTo(1);
    assertThat(all.represented).isEqualTo(9);
    assertThat(all.controlFrames).isEqualTo(2);
    assertThat(all.bytes).isEqualTo(100);
    assertThat(all.repeats).isEqualTo(1);
    assertThat(all.latencyMicros.getTotalCount()).isEqualTo(2);
    assertThat(all.maxLatencyMillis()).isCloseTo(30, within(0.05));
    assertThat(a.frames).isEqualTo(3); // copy() left the original alone
  }
}
