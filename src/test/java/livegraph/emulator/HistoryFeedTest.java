package livegraph.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HistoryFeedTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long START_MILLIS = 1_700_000_000_000L;

  private static long lastActivitySeconds(Feed.Timed t) throws Exception {
    String data = MAPPER.readTree(t.frame()).path("data").asText();
    return MAPPER.readTree(data).path("lastActivityDate").asLong();
  }

  @Test
  void backlog_isSpreadOverTheSpanBeforeStart_oldestFirst_thenLiveFramesAreStampedNow()
      throws Exception {
    AtomicLong now = new AtomicLong(START_MILLIS);
    HistoryFeed feed = HistoryFeed.create(20, 1, now::get, Duration.ofHours(1), 3600, 10_000);

    List<Long> stamps = new ArrayList<>();
    for (int i = 0; i < 3600; i++) {
      Feed.Timed t = feed.next().orElseThrow();
      assertThat(t.delayNanos()).isEqualTo(i == 0 ? 0 : 100_000); // 10,000 a second
      stamps.add(lastActivitySeconds(t));
      now.addAndGet(1); // time moves on while the backlog is sent; the stamps do not
    }
    long startSeconds = START_MILLIS / 1000;
    assertThat(stamps.get(0)).isEqualTo(startSeconds - 3600);
    assertThat(stamps.get(1)).isEqualTo(startSeconds - 3599); // one a second over the hour
    assertThat(stamps.get(3599)).isEqualTo(startSeconds - 1);
    assertThat(stamps).isSorted();

    now.set(START_MILLIS + 60_000);
    Feed.Timed live = feed.next().orElseThrow();
    assertThat(lastActivitySeconds(live)).isEqualTo(startSeconds + 60);
    assertThat(live.delayNanos()).as("the live feed's Poisson pause, not the burst's")
        .isNotEqualTo(100_000);
  }

  @Test
  void sameSeed_givesTheSameFrames_asTheLiveFeedAlone_afterTheBacklog() {
    HistoryFeed none = HistoryFeed.create(20, 7, () -> START_MILLIS, Duration.ZERO, 0, 1);
    SimulatedFeed plain = SimulatedFeed.create(20, 7, () -> START_MILLIS);
    for (int i = 0; i < 100; i++) {
      assertThat(none.next()).isEqualTo(plain.next());
    }
  }

  @Test
  void refusesNegativeCountsAndUnusableBurstRates() {
    assertThatThrownBy(() -> HistoryFeed.create(20, 1, () -> 0, Duration.ofHours(1), -1, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HistoryFeed.create(20, 1, () -> 0, Duration.ofHours(1), 10, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
