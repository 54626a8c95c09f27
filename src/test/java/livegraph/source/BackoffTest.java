package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

  /** A random source that always returns the same fraction. */
  private static RandomGenerator fixed(double fraction) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public double nextDouble() {
        return fraction;
      }
    };
  }

  private static List<Long> delays(Backoff backoff, int n) {
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      delays.add(backoff.nextDelayMillis());
    }
    return delays;
  }

  @Test
  void ceilingDoubles_fromBase_untilCap() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), fixed(0.999_999_999));
    assertThat(delays(backoff, 8)).containsExactly(1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);
  }

  @Test
  void equalJitter_isHalfFixedPlusRandomHalf() {
    Backoff low = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), fixed(0.0));
    assertThat(delays(low, 7)).containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 15000L, 15000L);
    Backoff mid = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), fixed(0.5));
    assertThat(delays(mid, 3)).containsExactly(750L, 1500L, 3000L);
  }

  @Test
  void realRandom_staysWithinBounds() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), new java.util.SplittableRandom(42));
    long ceiling = 100;
    List<Long> seen = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      long delay = backoff.nextDelayMillis();
      seen.add(delay);
      assertThat(delay).isBetween(ceiling / 2, ceiling);
      ceiling = Math.min(2000, ceiling * 2);
    }
    assertThat(seen.stream().distinct().count()).as("delays are jittered").isGreaterThan(10);
  }

  @Test
  void reset_startsAgainFromBase() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), fixed(0.0));
    delays(backoff, 5);
    assertThat(backoff.nextDelayMillis()).isEqualTo(15000L);
    backoff.reset();
    assertThat(delays(backoff, 2)).containsExactly(500L, 1000L);
  }

  @Test
  void manyAttempts_doNotOverflow() {
    Backoff backoff = new Backoff(Duration.ofMillis(3), Duration.ofDays(1), fixed(1.0));
    List<Long> delays = delays(backoff, 100);
    assertThat(delays).allMatch(d -> d > 0 && d <= Duration.ofDays(1).toMillis());
    assertThat(delays.get(99)).isEqualTo(Duration.ofDays(1).toMillis());
  }

  @Test
  void delayMillis_isWhatTheProductionSequenceGivesAtThatAttempt() {
    Backoff sequence = new Backoff(Backoff.BASE, Backoff.CAP, fixed(0.25));
    List<Long> expected = delays(sequence, 8);
    for (int attempt = 0; attempt < 8; attempt++) {
      assertThat(Backoff.delayMillis(attempt, fixed(0.25))).as("attempt %d", attempt)
          .isEqualTo(expected.get(attempt));
    }
    assertThat(Backoff.delayMillis(0, fixed(0.0))).isEqualTo(500L);
    assertThat(Backoff.delayMillis(Integer.MAX_VALUE, fixed(1.0))).isEqualTo(30_000L);
    assertThatThrownBy(() -> Backoff.delayMillis(-1, fixed(0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
  }

  @Test
  void invalidSettings_areRejectedWithTheValue() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), fixed(0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), fixed(0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT1S");
  }
}
