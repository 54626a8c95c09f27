package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import livegraph.pipeline.Event;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class JsonLinesTest {

  private final SourceCounters counters = new SourceCounters();
  private final JsonLines lines =
      new JsonLines(
          "logs",
          Decoding.fields("level", "/n", "@source"),
          () -> 1234L,
          counters,
          LoggerFactory.getLogger(JsonLinesTest.class));

  private Event decode(String text) {
    return lines.decode(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  private long skipped(SkipReason reason) {
    return counters.status(SourceStatus.State.LIVE, "").skipped().get(reason);
  }

  @Test
  void jsonLine_becomesAnEvent_withSourceMeta_andArrivalTime() {
    Event event = decode("{\"level\":\"warn\",\"n\":3}");

    assertThat(event.timeMillis()).isEqualTo(1234L);
    assertThat(event.fields()).isEqualTo(Map.of("level", "warn", "/n", 3L, "@source", "logs"));
  }

  @Test
  void blankLines_areIgnored_notCounted() {
    assertThat(decode("")).isNull();
    assertThat(decode("  \t\r")).isNull();

    assertThat(counters.status(SourceStatus.State.LIVE, "").skippedTotal()).isZero();
  }

  @Test
  void invalidUtf8_isSkippedAndCounted() {
    byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

    assertThat(lines.decode(ByteBuffer.wrap(bad))).isNull();
    assertThat(skipped(SkipReason.INVALID_UTF8)).isEqualTo(1);
  }

  @Test
  void notJson_andWrongType_areCountedByReason() {
    List<Event> events = new ArrayList<>();
    for (String line : List.of("not json", "[1,2]", "{\"level\":\"ok\"}", "{\"level\":")) {
      Event e = decode(line);
      if (e != null) {
        events.add(e);
      }
    }

    assertThat(events).hasSize(1);
    assertThat(skipped(SkipReason.NOT_JSON)).isEqualTo(2);
    assertThat(skipped(SkipReason.WRONG_TYPE)).isEqualTo(1);
  }

  @Test
  void byteOrderMark_beforeTheDocument_isIgnored() {
    assertThat(decode("\uFEFF{\"level\":\"info\"}").string("level")).isEqualTo("info");
  }

  @Test
  void tooLarge_isCounted() {
    lines.tooLarge();

    assertThat(skipped(SkipReason.TOO_LARGE)).isEqualTo(1);
  }

  @Test
  void offer_countsTakenEvents_only() {
    Event event = decode("{}");

    assertThat(lines.offer(e -> true, event)).isTrue();
    assertThat(lines.offer(e -> false, event)).isFalse();
    lines.dropped();

    SourceStatus status = counters.status(SourceStatus.State.LIVE, "");
    assertThat(status.events()).isEqualTo(1);
    assertThat(status.dropped()).isEqualTo(1);
  }
}
