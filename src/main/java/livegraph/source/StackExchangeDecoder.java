package livegraph.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import livegraph.pipeline.Event;
import org.apache.commons.text.StringEscapeUtils;

/**
 * Decodes one text frame of the StackExchange realtime feed into a heartbeat, a question event
 * or a counted skip.
 *
 * <p>Frames are {@code {"action": <channel or "hb">, "data": <string>}}; for question channels
 * {@code data} is JSON again (see STACKEXCHANGE.md). Both levels are read with Jackson's
 * streaming parser so no tree is built per frame. Rules, in order of precedence: oversized
 * frames are {@link SkipReason#TOO_LARGE}; anything that is not exactly one well-formed JSON
 * value is {@link SkipReason#NOT_JSON}; a value of the wrong JSON type, or nesting deeper than
 * {@value #MAX_DEPTH}, is {@link SkipReason#WRONG_TYPE}; a required field that is absent (or
 * {@code null}) is {@link SkipReason#MISSING_FIELD}. JSON {@code null} in an optional field
 * means "absent". Unknown fields are skipped. Stateless and thread-safe.
 */
final class StackExchangeDecoder {

  /** The largest frame decoded, in UTF-8 bytes; real frames are a few kB. */
  static final int MAX_FRAME_BYTES = 1 << 20;

  /** Deeper nesting is refused by the parser itself, so skipping never recurses unboundedly. */
  static final int MAX_DEPTH = 32;

  /** The channel the original page subscribed to: active questions of the whole network. */
  static final String DEFAULT_CHANNEL = "155-questions-active";

  private static final String HEARTBEAT_ACTION = "hb";

  // One factory for all decoders: it is thread-safe and recycles parser buffers.
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxStringLength(MAX_FRAME_BYTES)
                  .build())
          .build();

  private static final Map<SkipReason, Skipped> SKIPPED = new EnumMap<>(SkipReason.class);

  static {
    for (SkipReason reason : SkipReason.values()) {
      SKIPPED.put(reason, new Skipped(reason));
    }
  }

  private final String channel;

  StackExchangeDecoder(String channel) {
    if (channel == null || channel.isBlank()) {
      throw new IllegalArgumentException("channel must be a non-blank name: " + channel);
    }
    this.channel = channel;
  }

  /** What one frame turned out to be. */
  sealed interface Result permits Heartbeat, Question, Skipped {}

  /** The server's keep-alive; the client must answer it. */
  enum Heartbeat implements Result {
    INSTANCE
  }

  /** A decoded active-question event. */
  record Question(Event event) implements Result {}

  /** A frame that was not used, and why. */
  record Skipped(SkipReason reason) implements Result {}

  static Skipped skipped(SkipReason reason) {
    return SKIPPED.get(reason);
  }

  /** True when {@code frame} is longer than {@link #MAX_FRAME_BYTES} in UTF-8. */
  static boolean tooLarge(String frame) {
    int chars = frame.length();
    // A char is 1 to 3 UTF-8 bytes (a surrogate pair is 4 bytes for 2 chars), so only the
    // uncertain middle range needs an exact count.
    if ((long) chars * 3 <= MAX_FRAME_BYTES) {
      return false;
    }
    return chars > MAX_FRAME_BYTES || ByteBufUtil.utf8Bytes(frame) > MAX_FRAME_BYTES;
  }

  /** Decodes {@code frame}, stamping a question event with {@code arrivalMillis}. */
  Result decode(String frame, long arrivalMillis) {
    if (tooLarge(frame)) {
      return skipped(SkipReason.TOO_LARGE);
    }
    try {
      return decodeOuter(frame, arrivalMillis);
    } catch (StreamConstraintsException e) {
      return skipped(SkipReason.WRONG_TYPE); // nesting too deep
    } catch (JsonProcessingException e) {
      return skipped(SkipReason.NOT_JSON);
    } catch (IOException e) {
      return skipped(SkipReason.NOT_JSON); // not thrown when reading a String; kept for the API
    }
  }

  private Result decodeOuter(String frame, long arrivalMillis) throws IOException {
    String action = null;
    String data = null;
    SkipReason problem = null;
    try (JsonParser p = JSON.createParser(frame)) {
      Result notAnObject = unlessObject(p);
      if (notAnObject != null) {
        return notAnObject;
      }
      JsonToken token;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        token = p.nextToken();
        switch (name) {
          case "action" -> {
            if (token == JsonToken.VALUE_STRING) {
              action = p.getText();
            } else if (token != JsonToken.VALUE_NULL) {
              problem = SkipReason.WRONG_TYPE;
            }
          }
          case "data" -> {
            if (token == JsonToken.VALUE_STRING) {
              data = p.getText();
            } else if (token != JsonToken.VALUE_NULL) {
              problem = SkipReason.WRONG_TYPE;
            }
          }
          default -> { }
        }
        p.skipChildren();
      }
      if (p.nextToken() != null) {
        return skipped(SkipReason.NOT_JSON); // a second value after the object
      }
    }
    if (problem != null) {
      return skipped(problem);
    }
    if (action == null || data == null) {
      return skipped(SkipReason.MISSING_FIELD);
    }
    if (action.equals(HEARTBEAT_ACTION)) {
      return Heartbeat.INSTANCE;
    }
    if (!action.equals(channel)) {
      return skipped(SkipReason.OTHER_CHANNEL);
    }
    return decodeQuestion(data, arrivalMillis);
  }

  private static Result decodeQuestion(String data, long arrivalMillis) throws IOException {
    Map<String, Object> fields = new HashMap<>(16);
    String site = null;
    String title = null;
    SkipReason problem = null;
    try (JsonParser p = JSON.createParser(data)) {
      Result notAnObject = unlessObject(p);
      if (notAnObject != null) {
        return notAnObject;
      }
      JsonToken token;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        token = p.nextToken();
        if (token == JsonToken.VALUE_NULL) {
          continue; // null means absent, for required fields too
        }
        boolean ok =
            switch (name) {
              case "apiSiteParameter" -> (site = string(p, token)) != null;
              case "titleEncodedFancy" -> (title = string(p, token)) != null;
              case "siteBaseHostAddress", "url" -> put(fields, name, string(p, token));
              case "ownerDisplayName" -> put(fields, name, unescape(string(p, token)));
              case "id", "lastActivityDate" -> put(fields, name, integer(p, token));
              case "tags" -> token == JsonToken.START_ARRAY && put(fields, name, strings(p));
              default -> true;
            };
        if (!ok && problem == null) {
          problem = SkipReason.WRONG_TYPE;
        }
        p.skipChildren(); // no-op after strings() consumed an array to its end
      }
      if (p.nextToken() != null) {
        return skipped(SkipReason.NOT_JSON);
      }
    }
    if (problem != null) {
      return skipped(problem);
    }
    if (site == null || title == null) {
      return skipped(SkipReason.MISSING_FIELD);
    }
    fields.put("apiSiteParameter", site);
    fields.put("title", unescape(title));
    fields.putIfAbsent("tags", List.of());
    return new Question(new Event(arrivalMillis, fields));
  }

  /** Reads the first token: null when it opens an object, else why the text is skipped. */
  private static Result unlessObject(JsonParser p) throws IOException {
    JsonToken first = p.nextToken();
    if (first == null) {
      return skipped(SkipReason.NOT_JSON);
    }
    return first == JsonToken.START_OBJECT ? null : wrongTypeIfWellFormed(p);
  }

  /** Skips a non-object root value; trailing input still makes the frame NOT_JSON. */
  private static Result wrongTypeIfWellFormed(JsonParser p) throws IOException {
    p.skipChildren();
    return skipped(p.nextToken() == null ? SkipReason.WRONG_TYPE : SkipReason.NOT_JSON);
  }

  private static boolean put(Map<String, Object> fields, String name, Object value) {
    if (value == null) {
      return false;
    }
    fields.put(name, value);
    return true;
  }

  private static String string(JsonParser p, JsonToken token) throws IOException {
    return token == JsonToken.VALUE_STRING ? p.getText() : null;
  }

  private static Long integer(JsonParser p, JsonToken token) throws IOException {
    if (token != JsonToken.VALUE_NUMBER_INT) {
      return null;
    }
    JsonParser.NumberType type = p.getNumberType();
    return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG
        ? p.getLongValue()
        : null; // beyond a long is not an id or a time
  }

  /** Reads an array of strings to its end; null when any element is not a string. */
  private static List<String> strings(JsonParser p) throws IOException {
    List<String> values = new ArrayList<>();
    boolean allStrings = true;
    JsonToken token;
    while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
      if (token == JsonToken.VALUE_STRING) {
        values.add(p.getText());
      } else {
        allStrings = false;
        p.skipChildren();
      }
    }
    return allStrings ? List.copyOf(values) : null;
  }

  private static String unescape(String encoded) {
    // Decoded for display as text; the page must never insert it as HTML.
    return encoded == null || encoded.indexOf('&') < 0
        ? encoded
        : StringEscapeUtils.unescapeHtml4(encoded);
  }
}
