package livegraph.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import livegraph.source.JsonEventDecoder;
import livegraph.source.JsonEventDecoder.Decoded;
import livegraph.source.JsonEventDecoder.Result;
import livegraph.source.JsonEventDecoder.Skipped;
import livegraph.source.SkipReason;
import livegraph.source.StackExchangeFeed;
import livegraph.source.UpstreamFrames;
import livegraph.source.WebSocketSpec;
import org.junit.jupiter.api.Test;

/** Each fault frame, judged by the decoder the StackExchange source really uses. */
class FaultFramesTest {

  private static final WebSocketSpec SPEC =
      StackExchangeFeed.spec("stackexchange", URI.create("ws://127.0.0.1:1/"), Duration.ofMinutes(5));
  private static final JsonEventDecoder DECODER = UpstreamFrames.decoder(SPEC);
  private static final Map<String, Object> META = UpstreamFrames.webSocketMeta(SPEC);

  private static Result decode(String frame) {
    return UpstreamFrames.webSocketText(DECODER, META, frame, 0);
  }

  private static SkipReason skipped(String frame) {
    Result r = decode(frame);
    assertThat(r).as(frame.length() > 200 ? frame.substring(0, 200) : frame)
        .isInstanceOf(Skipped.class);
    return ((Skipped) r).reason();
  }

  @Test
  void question_decodesToAnEventOnItsSite() {
    Result r = decode(FaultFrames.question("math", 7));
    assertThat(r).isInstanceOf(Decoded.class);
    assertThat(((Decoded) r).event().string("apiSiteParameter")).isEqualTo("math");
  }

  @Test
  void eachBadFrame_isSkippedForItsOwnReason() {
    assertThat(FaultFrames.malformedJson()).allSatisfy(
        f -> assertThat(skipped(f)).isEqualTo(SkipReason.NOT_JSON));
    assertThat(FaultFrames.wrongTypes()).allSatisfy(
        f -> assertThat(skipped(f)).isEqualTo(SkipReason.WRONG_TYPE));
    assertThat(FaultFrames.deepNesting()).allSatisfy(
        f -> assertThat(skipped(f)).isEqualTo(SkipReason.TOO_DEEP));
    assertThat(skipped(FaultFrames.oversized())).isEqualTo(SkipReason.TOO_LARGE);
  }

  @Test
  void toleratedTypes_decodeToOneEventEach() {
    assertThat(FaultFrames.toleratedTypes("t", 1)).hasSize(2).allSatisfy(f -> {
      Result r = decode(f);
      assertThat(r).isInstanceOf(Decoded.class);
      assertThat(((Decoded) r).event().string("apiSiteParameter")).isEqualTo("t");
    });
  }

  @Test
  void oversized_isOverTheDecodeLimitAndUnderTheWireLimit_andOtherwiseAValidQuestion() {
    String frame = FaultFrames.oversized();
    assertThat(frame.getBytes(StandardCharsets.UTF_8)).hasSize(FaultFrames.OVERSIZED_BYTES);
    assertThat(FaultFrames.OVERSIZED_BYTES).isGreaterThan(JsonEventDecoder.MAX_CHARS)
        .isLessThan(8 << 20);
    assertThat(FaultFrames.oversized(4096)).hasSize(4096);
    assertThat(decode(FaultFrames.oversized(4096))).isInstanceOf(Decoded.class);
    assertThatThrownBy(() -> FaultFrames.oversized(10)).hasMessageContaining("at least 1024");
  }

  @Test
  void invalidUtf8_isNotUtf8_andBinaryIsAQuestionsBytes() {
    assertThatThrownBy(() -> StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(FaultFrames.invalidUtf8())))
        .isInstanceOf(CharacterCodingException.class);
    assertThat(decode(new String(FaultFrames.binary(), StandardCharsets.UTF_8)))
        .isInstanceOf(Decoded.class);
  }

  @Test
  void deepNesting_isDeeperThanTheDecoderAllows() {
    assertThat(FaultFrames.DEEP).isGreaterThan(JsonEventDecoder.MAX_DEPTH);
  }
}
