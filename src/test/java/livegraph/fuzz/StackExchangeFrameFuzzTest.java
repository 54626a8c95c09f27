package livegraph.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import livegraph.source.Decoding;
import livegraph.source.JsonEventDecoder;
import livegraph.source.JsonEventDecoder.Result;
import livegraph.source.SkipReason;
import livegraph.source.StackExchangeFeed;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes both stages of a StackExchange frame through {@link JsonEventDecoder}: the outer
 * {@code {"action":…,"data":…}} frame and the question JSON inside its {@code data} string.
 *
 * <p>The last byte of the input picks how the rest is used (so a seed is a frame with one byte
 * after it): 0 the rest is the whole frame; 1 it is the question, wrapped in a frame of the
 * channel the way the feed does it, and the result must equal decoding the question on its
 * own (the outer stage adds nothing); 2 it is the question under a frame of another action or
 * a heartbeat; 3 it is put into {@code data} as a JSON value, not a string. Every result keeps
 * {@link DecoderContract}. Seeds: {@code ../shared/data/stackexchange/} frames
 * (StackExchangeFrameFuzzTestInputs/).
 */
class StackExchangeFrameFuzzTest {

  private static final long ARRIVAL = 1_700_000_000_000L;
  private static final Map<String, Object> META = Map.of("@source", "stackexchange");

  private static final Decoding FEED = StackExchangeFeed.decoding();
  private static final JsonEventDecoder FRAMES =
      new JsonEventDecoder(FEED, Map.of("/action", "hb"));
  /** The same extracts over the question itself: what the outer stage must not change. */
  private static final JsonEventDecoder QUESTIONS =
      new JsonEventDecoder(new Decoding(Map.of(), null, FEED.timeField(), FEED.extracts()));
  private static final Set<String> KEYS =
      FEED.extracts().stream().map(Decoding.Extract::key).collect(Collectors.toSet());

  @FuzzTest
  @Timeout(30) // an input taking longer is a hang (Jazzer hands it to libFuzzer as -timeout)
  void frame_decodesOrSkipsWithAReason_neverThrows(FuzzedDataProvider data) {
    int mode = data.consumeInt(0, 3);
    String text = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
    switch (mode) {
      case 0 -> decode(text);
      case 1 -> {
        String frame = frame(StackExchangeFeed.CHANNEL, quoted(text));
        Result framed = decode(frame);
        Result alone = QUESTIONS.decode(text, META, ARRIVAL);
        DecoderContract.check(alone, text, KEYS, false, false, ARRIVAL);
        boolean sizeLimited = framed instanceof JsonEventDecoder.Skipped s
            && s.reason() == SkipReason.TOO_LARGE;
        if (!sizeLimited && !framed.equals(alone)) {
          throw new AssertionError("the frame changed the question's result: framed " + framed
              + ", alone " + alone + ", question " + DecoderContract.abbreviate(text));
        }
      }
      case 2 -> {
        Result result = decode(frame(text.length() % 2 == 0 ? "hb" : "1-questions-newest", quoted(text)));
        if (result instanceof JsonEventDecoder.Decoded) {
          throw new AssertionError("a frame of another action became an event: " + result);
        }
      }
      default -> decode(frame(StackExchangeFeed.CHANNEL, text));
    }
  }

  private static Result decode(String frame) {
    Result result = FRAMES.decode(frame, META, ARRIVAL);
    DecoderContract.check(result, frame, KEYS, true, false, ARRIVAL);
    return result;
  }

  private static String frame(String action, String dataJson) {
    return "{\"action\":" + quoted(action) + ",\"data\":" + dataJson + "}";
  }

  private static String quoted(String text) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
  }
}
