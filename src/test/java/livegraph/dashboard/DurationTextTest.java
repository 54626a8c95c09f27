package livegraph.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations as files write them, and the labels windows get from them. */
class DurationTextTest {

  @Test
  void parse_readsEveryUnit() {
    assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationText.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(DurationText.parse(" 5m ")).isEqualTo(Duration.ofMinutes(5));
    assertThat(DurationText.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationText.parse("2d")).isEqualTo(Duration.ofDays(2));
  }

  @Test
  void parse_refusesWordsSpacesFractionsAndZero() {
    for (String bad : new String[] {"10 minutes", "10 s", "1.5h", "10", "m", "-5s", "1w"}) {
      assertThatThrownBy(() -> DurationText.parse(bad)).as(bad)
          .hasMessage("must be a duration like 10s, 5m, 1h or 500ms");
    }
    assertThatThrownBy(() -> DurationText.parse("0s")).hasMessage("must be positive");
  }

  @Test
  void labels_readAsPeopleSayThem() {
    assertThat(DurationText.label(Duration.ofMinutes(10))).isEqualTo("10 min");
    assertThat(DurationText.label(Duration.ofHours(1))).isEqualTo("1 hour");
    assertThat(DurationText.label(Duration.ofHours(6))).isEqualTo("6 hours");
    assertThat(DurationText.label(Duration.ofDays(1))).isEqualTo("1 day");
    assertThat(DurationText.label(Duration.ofSeconds(90))).isEqualTo("90 s");
    assertThat(DurationText.label(Duration.ofMillis(250))).isEqualTo("250 ms");
    assertThat(DurationText.current(Duration.ofHours(1))).isEqualTo("this hour");
    assertThat(DurationText.current(Duration.ofMinutes(15))).isEqualTo("this 15 min");
    assertThat(DurationText.shortText(Duration.ofSeconds(3600))).isEqualTo("1h");
  }
}
