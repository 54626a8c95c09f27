package livegraph.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The "lost at once" arithmetic: when a holder must stop believing, from send times alone. */
class LeaseDeadlineTest {

  @Test
  void deadline_countsFromTheSendTime_minusAFifthOfTheTtl() {
    LeaseDeadline deadline = new LeaseDeadline(1_000);
    deadline.confirmed(10_000); // sent at 10 s; the reply time does not matter

    assertThat(deadline.expiresAtMillis()).isEqualTo(10_800);
    assertThat(deadline.holds(10_799)).isTrue();
    assertThat(deadline.holds(10_800)).isFalse();
    assertThat(deadline.remainingMillis(10_500)).isEqualTo(300);
    assertThat(deadline.remainingMillis(11_000)).isZero();
  }

  @Test
  void deadline_alwaysBeforeRedisCouldLetAnotherNodeIn() {
    for (long ttl : new long[] {1_000, 2_000, 10_000, 30_000}) {
      LeaseDeadline deadline = new LeaseDeadline(ttl);
      long sent = 5_000;
      deadline.confirmed(sent);
      // Redis starts the ttl no earlier than the send time, so the key lives at least to sent + ttl.
      assertThat(deadline.expiresAtMillis()).isLessThan(sent + ttl);
    }
  }

  @Test
  void renewal_movesTheDeadline_fromItsOwnSendTime() {
    LeaseDeadline deadline = new LeaseDeadline(3_000);
    deadline.confirmed(0);
    deadline.confirmed(1_000);

    assertThat(deadline.expiresAtMillis()).isEqualTo(1_000 + 3_000 - 600);
    assertThat(deadline.holds(2_399)).isTrue();
  }

  @Test
  void failingRenewal_isKnown_beforeTheDeadline() {
    for (long ttl : new long[] {1_000, 1_500, 2_000, 9_000, 30_000, 120_000}) {
      long renewSentAt = LeaseKeeper.renewIntervalMillis(ttl);
      long failureKnownBy = renewSentAt + Lease.callTimeoutMillis(ttl);
      long deadline = ttl - LeaseDeadline.marginMillis(ttl);
      assertThat(failureKnownBy).as("ttl %d", ttl).isLessThan(deadline);
    }
  }

  @Test
  void clear_endsBelief_untilTheNextConfirmation() {
    LeaseDeadline deadline = new LeaseDeadline(1_000);
    deadline.confirmed(0);
    deadline.clear();

    assertThat(deadline.holds(1)).isFalse();
    assertThat(deadline.remainingMillis(1)).isZero();
    assertThat(new LeaseDeadline(1_000).holds(0)).as("never confirmed").isFalse();
  }

  @Test
  void nonPositiveTtl_isRefused() {
    assertThatThrownBy(() -> new LeaseDeadline(0)).hasMessage("ttl must be positive: 0 ms");
  }
}
