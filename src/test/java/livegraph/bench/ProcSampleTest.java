package livegraph.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcSampleTest {

  // A real line's shape: pid, (comm), state, then fields 4..; utime = 1234, stime = 56.
  private static final String STAT = "4242 (java) S 1 4242 4242 0 -1 4194560 31210 0 12 0 1234 56"
      + " 0 0 20 0 37 0 1001 6234112000 45321 18446744073709551615 1 1 0 0 0 0 0 4096 16796879"
      + " 0 0 0 17 1 0 0 0 0 0\n";

  @Test
  void cpuTicks_isUtimePlusStime() {
    assertThat(ProcSample.cpuTicks(STAT)).isEqualTo(1290);
  }

  @Test
  void cpuTicks_survivesACommandNameWithSpacesAndParentheses() {
    String odd = STAT.replace("(java)", "(node (relay) 2)");
    assertThat(ProcSample.cpuTicks(odd)).isEqualTo(1290);
  }

  @Test
  void cpuTicks_refusesWhatIsNotAStatLine() {
    assertThatThrownBy(() -> ProcSample.cpuTicks("no parenthesis here"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/proc/PID/stat");
    assertThatThrownBy(() -> ProcSample.cpuTicks("1 (x) S 1 2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too few fields");
  }

  @Test
  void rss_isTheVmRssLine() {
    String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmRSS:\t  181236 kB\nRssAnon:\t 1 kB\n";
    assertThat(ProcSample.rssKiB(status)).hasValue(181236);
    assertThat(ProcSample.rssKiB("Name:\tzombie\n")).isEmpty();
  }

  @Test
  void cpuPerDelivery_isTheCpuTimeBetweenSamplesOverDeliveries() {
    ProcSample from = new ProcSample(1000, 0);
    ProcSample to = new ProcSample(1150, 0); // 150 ticks = 1.5 s of CPU
    assertThat(ProcSample.cpuMicros(from, to)).isEqualTo(1_500_000.0);
    assertThat(ProcSample.cpuMicrosPerDelivery(from, to, 500_000)).isEqualTo(3.0);
    assertThat(ProcSample.cpuMicrosPerDelivery(from, to, 0)).isNaN();
  }

  @Test
  void cpuGoingBackwards_isRefused() {
    assertThatThrownBy(() -> ProcSample.cpuMicros(new ProcSample(10, 0), new ProcSample(9, 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backwards");
  }

  @Test
  void rssPerViewer_isTheGrowthOverTheViewers() {
    assertThat(ProcSample.rssPerViewerKiB(new ProcSample(0, 100_000),
        new ProcSample(0, 180_000), 10_000)).isEqualTo(8.0);
    assertThat(ProcSample.rssPerViewerKiB(new ProcSample(0, 100), new ProcSample(0, 200), 0))
        .isNaN();
    assertThat(ProcSample.rssPerViewerKiB(new ProcSample(0, -1), new ProcSample(0, 200), 5))
        .isNaN();
  }

  @Test
  void ofThisProcess_readsLiveValues() {
    var self = ProcSample.of(ProcessHandle.current().pid());
    assertThat(self).isPresent();
    assertThat(self.get().rssKiB()).isPositive();
    assertThat(ProcSample.of(Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void severalProcesses_addTheirCpuAndRss_anUnknownRssStaysUnknown() {
    assertThat(new ProcSample(100, 2_000).plus(new ProcSample(50, 500)))
        .isEqualTo(new ProcSample(150, 2_500));
    assertThat(new ProcSample(100, -1).plus(new ProcSample(50, 500)).rssKiB()).isEqualTo(-1);
  }

  @Test
  void ofAll_sumsEveryProcess_andIsEmptyWhenOneIsGoneOrNoneGiven() {
    long self = ProcessHandle.current().pid();
    var one = ProcSample.of(self).orElseThrow();
    var twice = ProcSample.ofAll(java.util.List.of(self, self)).orElseThrow();
    // The same process read twice: at least twice its RSS and CPU of a moment before.
    assertThat(twice.rssKiB()).isGreaterThan(one.rssKiB());
    assertThat(twice.cpuTicks()).isGreaterThanOrEqualTo(2 * one.cpuTicks());
    assertThat(ProcSample.ofAll(java.util.List.of(self, Long.MAX_VALUE))).isEmpty();
    assertThat(ProcSample.ofAll(java.util.List.of())).isEmpty();
  }
}
