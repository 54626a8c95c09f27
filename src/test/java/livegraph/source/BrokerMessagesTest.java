package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import livegraph.pipeline.Event;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class BrokerMessagesTest {

  private final SourceCounters counters = new SourceCounters();
  private final List<Event> events = new ArrayList<>();
  private final BrokerMessages messages =
      new BrokerMessages(
          "src", "@topic", Decoding.fields("n", "@topic"), () -> 42L, counters,
          LoggerFactory.getLogger(BrokerMessagesTest.class));

  private void deliver(String text) {
    messages.deliver("a/b", text.getBytes(StandardCharsets.UTF_8), events::add);
  }

  private long skipped(SkipReason reason) {
    return counters.status(SourceStatus.State.LIVE, "").skipped().get(reason);
  }

  @Test
  void aJsonMessage_becomesAnEvent_withMetaFieldsAndArrivalTime() {
    deliver("{\"n\":3,\"other\":1}");

    assertThat(events).containsExactly(new Event(42, Map.of("n", 3L, "@topic", "a/b", "@source", "src")));
    assertThat(counters.status(SourceStatus.State.LIVE, "").events()).isEqualTo(1);
  }

  @Test
  void aPayloadOverTheLimit_isTooLarge_beforeAnyDecoding() {
    byte[] big = new byte[BrokerMessages.MAX_PAYLOAD_BYTES + 1];
    Arrays.fill(big, (byte) 0xFF); // not UTF-8 either: size is checked first
    messages.deliver("t", big, events::add);

    assertThat(events).isEmpty();
    assertThat(skipped(SkipReason.TOO_LARGE)).isEqualTo(1);
    assertThat(skipped(SkipReason.INVALID_UTF8)).isZero();
  }

  @Test
  void aPayloadAtTheLimit_isDecoded() {
    String json = "{\"n\":1}";
    char[] padded = new char[BrokerMessages.MAX_PAYLOAD_BYTES];
    Arrays.fill(padded, ' ');
    json.getChars(0, json.length(), padded, 0);
    deliver(new String(padded));

    assertThat(events).hasSize(1);
  }

  @Test
  void bytesThatAreNotUtf8_areSkipped_notReplaced() {
    messages.deliver("t", new byte[] {'{', '"', 'n', '"', ':', '"', (byte) 0xE2, (byte) 0x28, '"', '}'}, events::add);
    messages.deliver("t", new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}, events::add); // a lone surrogate

    assertThat(events).isEmpty();
    assertThat(skipped(SkipReason.INVALID_UTF8)).isEqualTo(2);
  }

  @Test
  void multiByteUtf8_isDecoded() {
    deliver("{\"n\":\"größe ✓ 𝄞\"}");

    assertThat(events.get(0).fields()).containsEntry("n", "größe ✓ 𝄞");
  }

  @Test
  void theDecodersSkipReasons_areCounted() {
    deliver("nope");
    deliver("[1]");
    deliver("");

    assertThat(events).isEmpty();
    // "nope" and the empty message are not JSON; [1] is JSON but not an object.
    assertThat(skipped(SkipReason.NOT_JSON)).isEqualTo(2);
    assertThat(skipped(SkipReason.WRONG_TYPE)).isEqualTo(1);
    assertThat(counters.status(SourceStatus.State.LIVE, "").skipped().values().stream()
        .mapToLong(Long::longValue).sum()).isEqualTo(3);
  }

  @Test
  void aFullSink_countsTheEventAsDropped() {
    messages.deliver("t", "{\"n\":1}".getBytes(StandardCharsets.UTF_8), event -> false);

    SourceStatus status = counters.status(SourceStatus.State.LIVE, "");
    assertThat(status.dropped()).isEqualTo(1);
    assertThat(status.events()).isZero();
  }

  @Test
  void aByteBufferPayload_isReadWithoutMovingItsPosition() {
    ByteBuffer buffer = ByteBuffer.wrap("{\"n\":9}".getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    messages.deliver("t", buffer, events::add);

    assertThat(buffer.position()).isZero();
    assertThat(events.get(0).fields()).containsEntry("n", 9L);
  }

  @Test
  void aNullPayload_isSkippedNotThrown() {
    messages.deliver("t", (byte[]) null, events::add);

    assertThat(events).isEmpty();
    assertThat(counters.status(SourceStatus.State.LIVE, "").skipped().values().stream()
        .mapToLong(Long::longValue).sum()).isEqualTo(1);
  }
}
