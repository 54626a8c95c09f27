package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import livegraph.source.Decoding.Extract;
import livegraph.source.JsonEventDecoder.Decoded;
import livegraph.source.JsonEventDecoder.Heartbeat;
import livegraph.source.JsonEventDecoder.Skipped;
import livegraph.source.WebSocketSpec.HeartbeatRule;
import org.junit.jupiter.api.Test;

/** The rules shared by the WebSocket and SSE sources and the browser build. */
class UpstreamFramesTest {

  private static final Decoding FIELDS =
      Decoding.fields("v", "@source", "@event", "@id");

  private static final WebSocketSpec WS = new WebSocketSpec("ws", URI.create("ws://127.0.0.1:1/"),
      List.of(), new HeartbeatRule(Map.of("type", "ping"), "pong"), Duration.ofMinutes(1), FIELDS);

  private static final SseSpec SSE = new SseSpec("feed", URI.create("http://127.0.0.1:1/"),
      Set.of("order"), Duration.ofMinutes(1), FIELDS);

  @Test
  void decoder_ofAWebSocket_knowsItsHeartbeats_anSseOneHasNone() {
    assertThat(UpstreamFrames.decoder(WS).decode("{\"type\":\"ping\"}", Map.of(), 1))
        .isSameAs(Heartbeat.INSTANCE);
    assertThat(UpstreamFrames.decoder(SSE).decode("{\"type\":\"ping\"}", Map.of(), 1))
        .isInstanceOf(Decoded.class);
  }

  @Test
  void webSocketText_overAMebibyteOfUtf8_isTooLarge_evenWhenFewerChars() {
    JsonEventDecoder decoder = UpstreamFrames.decoder(WS);
    Map<String, Object> meta = UpstreamFrames.webSocketMeta(WS);
    String twoBytesEach = "{\"v\":\"" + "é".repeat(600_000) + "\"}";
    assertThat(twoBytesEach.length()).isLessThan(JsonEventDecoder.MAX_CHARS);

    assertThat(UpstreamFrames.webSocketText(decoder, meta, twoBytesEach, 1))
        .isEqualTo(new Skipped(SkipReason.TOO_LARGE));
    Decoded small = (Decoded) UpstreamFrames.webSocketText(decoder, meta, "{\"v\":1}", 1);
    assertThat(small.event().fields()).containsEntry("@source", "ws").containsEntry("v", 1L);
  }

  @Test
  void utf8Longer_countsAsTheEncoderDoes() {
    Random random = new Random(3);
    char[] alphabet = {'a', 'é', '€', '\uD83D', '\uDE00', '\uD800', '\uDC00'};
    for (int i = 0; i < 2000; i++) {
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(40); n > 0; n--) {
        text.append(alphabet[random.nextInt(alphabet.length)]);
      }
      int bytes = text.toString().getBytes(StandardCharsets.UTF_8).length;
      for (int limit : new int[] {bytes - 1, bytes, bytes + 1}) {
        assertThat(UpstreamFrames.utf8Longer(text.toString(), limit))
            .as("%s against %d", text, limit).isEqualTo(bytes > limit);
      }
    }
  }

  @Test
  void sseEvent_ofAnotherType_isAnotherChannel_elseDecodedWithTypeAndId() {
    JsonEventDecoder decoder = UpstreamFrames.decoder(SSE);

    assertThat(UpstreamFrames.sseEvent(SSE, decoder, "refund", "{\"v\":1}", "7", 1))
        .isEqualTo(new Skipped(SkipReason.OTHER_CHANNEL));
    Decoded order = (Decoded) UpstreamFrames.sseEvent(SSE, decoder, "order", "{\"v\":1}", "7", 1);
    assertThat(order.event().fields()).containsOnly(Map.entry("v", 1L),
        Map.entry("@source", "feed"), Map.entry("@event", "order"), Map.entry("@id", "7"));
    Decoded noId = (Decoded) UpstreamFrames.sseEvent(SSE, decoder, "order", "{}", "", 1);
    assertThat(noId.event().fields()).doesNotContainKey("@id");
  }
}
