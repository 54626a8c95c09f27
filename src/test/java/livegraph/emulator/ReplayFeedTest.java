package livegraph.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayFeedTest {

  private static final String A = "{\"action\":\"155-questions-active\",\"data\":\"{\\\"id\\\":1}\"}";
  private static final String B = "{\"action\":\"155-questions-active\",\"data\":\"{\\\"id\\\":2}\"}";
  private static final String C = "{\"action\":\"155-questions-active\",\"data\":\"{\\\"id\\\":3}\"}";

  @TempDir
  Path dir;

  private Path write(String... lines) throws Exception {
    Path file = dir.resolve("feed.jsonl");
    Files.write(file, List.of(lines), StandardCharsets.UTF_8);
    return file;
  }

  private static List<Feed.Timed> all(ReplayFeed feed) {
    List<Feed.Timed> out = new ArrayList<>();
    for (Optional<Feed.Timed> t = feed.next(); t.isPresent(); t = feed.next()) {
      out.add(t.get());
    }
    return out;
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void recordedLines_replayTheirGaps_dividedBySpeed() throws Exception {
    Path file = write(ReplayFeed.recordLine(1000, A), ReplayFeed.recordLine(1500, B),
        ReplayFeed.recordLine(3500, C));

    try (ReplayFeed feed = ReplayFeed.open(file, 2.0)) {
      assertThat(all(feed)).containsExactly(
          new Feed.Timed(0, A), new Feed.Timed(ms(250), B), new Feed.Timed(ms(1000), C));
    }
    try (ReplayFeed feed = ReplayFeed.open(file, 1.0)) {
      assertThat(all(feed)).extracting(Feed.Timed::delayNanos)
          .containsExactly(0L, ms(500), ms(2000));
    }
  }

  @Test
  void bareFrames_areSpaced250msOverSpeed_andHeartbeatsDropped() throws Exception {
    Path samples = Path.of(System.getProperty("livegraph.shared"),
        "data/stackexchange/samples.jsonl");
    List<String> lines = Files.readAllLines(samples);

    try (ReplayFeed feed = ReplayFeed.open(samples, 4.0)) {
      List<Feed.Timed> frames = all(feed);
      assertThat(frames).extracting(Feed.Timed::frame)
          .containsExactly(lines.get(0).strip(), lines.get(1).strip());
      assertThat(frames).extracting(Feed.Timed::delayNanos).containsExactly(0L, ms(250) / 4);
      assertThat(feed.heartbeatsDropped()).isEqualTo(1);
      assertThat(feed.skippedLines()).isZero();
    }
  }

  @Test
  void recordedHeartbeats_areDropped_andTheirTimeIsKeptInTheNextGap() throws Exception {
    Path file = write(ReplayFeed.recordLine(0, A), ReplayFeed.recordLine(100, "{\"action\":\"hb\",\"data\":\"hb\"}"),
        ReplayFeed.recordLine(300, B));

    try (ReplayFeed feed = ReplayFeed.open(file, 1.0)) {
      assertThat(all(feed)).containsExactly(new Feed.Timed(0, A), new Feed.Timed(ms(300), B));
      assertThat(feed.heartbeatsDropped()).isEqualTo(1);
    }
  }

  @Test
  void badLines_areSkippedAndCounted_blankLinesIgnored() throws Exception {
    Path file = write("not json", "", "[1,2]", "{\"foo\":1}", "{\"at\":\"soon\",\"frame\":\"x\"}",
        "   ", A, "{\"at\":5,\"frame\":", B);

    try (ReplayFeed feed = ReplayFeed.open(file, 1.0)) {
      assertThat(all(feed)).extracting(Feed.Timed::frame).containsExactly(A, B);
      assertThat(feed.skippedLines()).isEqualTo(5);
    }
  }

  @Test
  void tooLongLine_isSkipped_andReadingGoesOn() throws Exception {
    String huge = "{\"action\":\"x\",\"data\":\"" + "y".repeat(ReplayFeed.MAX_LINE_CHARS) + "\"}";
    Path file = write(huge, A);

    try (ReplayFeed feed = ReplayFeed.open(file, 1.0)) {
      assertThat(all(feed)).extracting(Feed.Timed::frame).containsExactly(A);
      assertThat(feed.skippedLines()).isEqualTo(1);
    }
  }

  @Test
  void recordLine_roundTripsAnyFrameText_evenMalformed() throws Exception {
    String tricky = "{\"action\":\"155-questions-active\",\"data\":\"line\\nbreak \u00e9 \\\"q\\\"\"}";
    String malformed = "{\"action\":\"155-questions-active\",\"data\":";
    Path file = write(ReplayFeed.recordLine(10, tricky), ReplayFeed.recordLine(20, malformed));

    try (ReplayFeed feed = ReplayFeed.open(file, 1.0)) {
      assertThat(all(feed)).extracting(Feed.Timed::frame).containsExactly(tricky, malformed);
    }
    assertThat(ReplayFeed.recordLine(10, "x")).isEqualTo("{\"at\":10,\"frame\":\"x\"}");
  }

  @Test
  void endedFeed_staysEmpty() throws Exception {
    try (ReplayFeed feed = ReplayFeed.open(write(A), 1.0)) {
      assertThat(feed.next()).isPresent();
      assertThat(feed.next()).isEmpty();
      assertThat(feed.next()).isEmpty();
    }
  }

  @Test
  void nonPositiveSpeed_isRejected_withTheValue() {
    assertThatThrownBy(() -> ReplayFeed.open(dir.resolve("x"), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("speed").hasMessageContaining("0.0");
  }
}
