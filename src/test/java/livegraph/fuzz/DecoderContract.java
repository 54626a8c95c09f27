package livegraph.fuzz;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import livegraph.pipeline.Event;
import livegraph.source.JsonEventDecoder;
import livegraph.source.JsonEventDecoder.Decoded;
import livegraph.source.JsonEventDecoder.Heartbeat;
import livegraph.source.JsonEventDecoder.Result;
import livegraph.source.JsonEventDecoder.Skipped;
import livegraph.source.SkipReason;

/**
 * What any result of {@link JsonEventDecoder#decode} must satisfy, whatever the text: the fuzz
 * targets call {@link #check} on every result, and a broken rule fails the input as a finding.
 */
final class DecoderContract {

  /** The reasons the decoder itself gives; BINARY and INVALID_UTF8 belong to the sources. */
  static final Set<SkipReason> DECODER_REASONS = EnumSet.of(
      SkipReason.NOT_JSON, SkipReason.WRONG_TYPE, SkipReason.MISSING_FIELD,
      SkipReason.OTHER_CHANNEL, SkipReason.TOO_LARGE, SkipReason.TOO_DEEP, SkipReason.BAD_TIME);

  private DecoderContract() {}

  /**
   * @param keys the event keys the decoding may produce (its extract keys, and {@code @source})
   * @param heartbeats whether the decoder has a heartbeat rule
   * @param timed whether the decoding names a time field (else every event has the arrival time)
   */
  static void check(Result result, String text, Set<String> keys, boolean heartbeats,
      boolean timed, long arrivalMillis) {
    if (result == null) {
      throw new AssertionError("no result for " + abbreviate(text));
    }
    if (result instanceof Skipped skipped) {
      if (skipped.reason() == null || !DECODER_REASONS.contains(skipped.reason())) {
        throw new AssertionError("skip without a decoder reason: " + skipped.reason());
      }
      if (skipped.reason() == SkipReason.BAD_TIME && !timed) {
        throw new AssertionError("BAD_TIME from a decoding without a time field");
      }
      if (skipped.reason() == SkipReason.TOO_LARGE
          && text.length() <= JsonEventDecoder.MAX_CHARS && !hasLongToken(text)) {
        throw new AssertionError("TOO_LARGE for " + text.length() + " chars");
      }
      return;
    }
    if (result == Heartbeat.INSTANCE) {
      if (!heartbeats) {
        throw new AssertionError("heartbeat from a decoder without a heartbeat rule");
      }
      return;
    }
    Event event = ((Decoded) result).event();
    if (event == null) {
      throw new AssertionError("decoded without an event");
    }
    if (!timed && event.timeMillis() != arrivalMillis) {
      throw new AssertionError("untimed event not stamped with its arrival: " + event);
    }
    if (event.timeMillis() < 0) {
      throw new AssertionError("negative event time: " + event.timeMillis());
    }
    for (Map.Entry<String, Object> field : event.fields().entrySet()) {
      if (!keys.contains(field.getKey()) && !field.getKey().equals("@source")) {
        throw new AssertionError("field not asked for: " + field.getKey());
      }
      checkValue(field.getKey(), field.getValue());
    }
  }

  /** A field value is a string, a long, a finite double, a boolean or a list of strings. */
  private static void checkValue(String key, Object value) {
    if (value instanceof String || value instanceof Long || value instanceof Boolean) {
      return;
    }
    if (value instanceof Double d) {
      if (!Double.isFinite(d)) {
        throw new AssertionError(key + " is not finite: " + d);
      }
      return;
    }
    if (value instanceof List<?> list) {
      for (Object item : list) {
        if (!(item instanceof String)) {
          throw new AssertionError(key + " holds a non-string item: " + item);
        }
      }
      return;
    }
    throw new AssertionError(key + " has a value of type "
        + (value == null ? "null" : value.getClass().getName()));
  }

  /**
   * Whether a TOO_LARGE under the size limit is allowed: the parser's own limits on one token
   * give it too, a number of more than 1000 characters or a field name of more than 50,000
   * (Jackson's defaults). Conservative for names: any text that long may have one.
   */
  private static boolean hasLongToken(String text) {
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean numberChar = Character.isDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '-'
          || c == '+';
      run = numberChar ? run + 1 : 0;
      if (run > 1000) {
        return true;
      }
    }
    return text.length() > 50_000;
  }

  static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "… (" + text.length() + " chars)";
  }
}
