package livegraph.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import livegraph.pipeline.Event;
import org.apache.commons.text.StringEscapeUtils;

/**
 * Turns one JSON message into an event, a heartbeat or a counted skip, as a {@link Decoding}
 * says. Every source decodes through one of these; none parses JSON itself.
 *
 * <p>Order: oversized text is {@link SkipReason#TOO_LARGE}; text that is not one JSON value is
 * {@link SkipReason#NOT_JSON}; nesting beyond {@value #MAX_DEPTH} is {@link SkipReason#TOO_DEEP};
 * a message that is not an object is {@link SkipReason#WRONG_TYPE}; a heartbeat match wins
 * next; then {@code accept} ({@link SkipReason#OTHER_CHANNEL}); a missing payload is {@link
 * SkipReason#MISSING_FIELD}, a payload that is not an object (or a string holding one) is
 * {@link SkipReason#WRONG_TYPE}; an unreadable time is {@link SkipReason#BAD_TIME}. Absent
 * fields are simply absent from the event. Thread-safe.
 */
public final class JsonEventDecoder {

  /** The largest message decoded, in chars; longer ones are skipped. */
  public static final int MAX_CHARS = 1 << 20;

  /** Deeper nesting is refused by the parser itself, so decoding never recurses unboundedly. */
  public static final int MAX_DEPTH = 32;

  /** Epoch numbers below this are seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
  private static final double SECONDS_BELOW = 1e11;

  private static final ObjectMapper JSON =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_DEPTH)
                          .maxStringLength(MAX_CHARS)
                          .build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Map<JsonPointer, String> accept = new LinkedHashMap<>();
  private final Map<JsonPointer, String> heartbeat = new LinkedHashMap<>();
  private final JsonPointer payload;
  private final FieldPath time;
  private final List<Compiled> extracts = new ArrayList<>();

  private record Compiled(String key, FieldPath path, boolean htmlUnescape) {}

  /** A decoder without a heartbeat rule. */
  public JsonEventDecoder(Decoding decoding) {
    this(decoding, Map.of());
  }

  /**
   * @param heartbeatMatch field reference → value; an outer document matching all of them (and
   *     not empty) is a heartbeat
   */
  public JsonEventDecoder(Decoding decoding, Map<String, String> heartbeatMatch) {
    Objects.requireNonNull(decoding, "decoding");
    decoding.accept().forEach((path, value) -> accept.put(documentPointer(path), value));
    Objects.requireNonNull(heartbeatMatch, "heartbeatMatch")
        .forEach((path, value) -> heartbeat.put(documentPointer(path), value));
    payload = decoding.payload() == null ? null : documentPointer(decoding.payload());
    time = decoding.timeField() == null ? null : FieldPath.parse(decoding.timeField());
    for (Decoding.Extract e : decoding.extracts()) {
      extracts.add(new Compiled(e.key(), FieldPath.parse(e.path()), e.htmlUnescape()));
    }
  }

  private static JsonPointer documentPointer(String path) {
    FieldPath field = FieldPath.parse(path);
    if (field.isMeta()) {
      throw new IllegalArgumentException("a meta field is not part of the document: " + path);
    }
    return field.pointer();
  }

  /** What one message turned out to be. */
  public sealed interface Result permits Decoded, Heartbeat, Skipped {}

  /** An event for the sink. */
  public record Decoded(Event event) implements Result {}

  /** A keep-alive the source answers and counts; not an event. */
  public enum Heartbeat implements Result {
    INSTANCE
  }

  /** A message left out, and why. */
  public record Skipped(SkipReason reason) implements Result {}

  /**
   * Decodes one message.
   *
   * @param meta fields set by the source ({@code @topic}, {@code @source}…), copied into the
   *     event when an extract names them
   * @param arrivalMillis the event time when the decoding names no time field
   */
  public Result decode(String text, Map<String, ?> meta, long arrivalMillis) {
    if (text.length() > MAX_CHARS) {
      return new Skipped(SkipReason.TOO_LARGE);
    }
    JsonNode outer;
    try {
      outer = parse(text);
    } catch (StreamConstraintsException e) {
      return new Skipped(overLimit(e));
    } catch (JsonProcessingException e) {
      return new Skipped(SkipReason.NOT_JSON);
    }
    if (outer == null || outer.isMissingNode()) {
      return new Skipped(SkipReason.NOT_JSON); // empty or blank text: no JSON value at all
    }
    if (!outer.isObject()) {
      return new Skipped(SkipReason.WRONG_TYPE);
    }
    if (!heartbeat.isEmpty() && matches(outer, heartbeat)) {
      return Heartbeat.INSTANCE;
    }
    if (!matches(outer, accept)) {
      return new Skipped(SkipReason.OTHER_CHANNEL);
    }
    JsonNode doc = outer;
    if (payload != null) {
      doc = outer.at(payload);
      if (doc.isMissingNode() || doc.isNull()) {
        return new Skipped(SkipReason.MISSING_FIELD);
      }
      if (doc.isTextual()) {
        try {
          doc = parse(doc.textValue());
        } catch (StreamConstraintsException e) {
          return new Skipped(overLimit(e));
        } catch (JsonProcessingException e) {
          return new Skipped(SkipReason.NOT_JSON);
        }
        if (doc == null || doc.isMissingNode()) {
          return new Skipped(SkipReason.NOT_JSON);
        }
      }
      if (doc == null || !doc.isObject()) {
        return new Skipped(SkipReason.WRONG_TYPE);
      }
    }
    long at = arrivalMillis;
    if (time != null) {
      Object value = time.isMeta() ? meta.get(time.toString()) : scalar(doc.at(time.pointer()));
      if (value != null) {
        Long parsed = epochMillis(value);
        if (parsed == null) {
          return new Skipped(SkipReason.BAD_TIME);
        }
        at = parsed;
      }
    }
    Map<String, Object> fields = new HashMap<>();
    for (Compiled e : extracts) {
      Object value = e.path.isMeta() ? meta.get(e.path.toString()) : value(doc.at(e.path.pointer()));
      if (value instanceof String s && e.htmlUnescape) {
        value = StringEscapeUtils.unescapeHtml4(s);
      }
      if (value != null) {
        fields.put(e.key, value);
      }
    }
    Object source = meta.get("@source");
    if (source != null) {
      fields.putIfAbsent("@source", source);
    }
    return new Decoded(new Event(at, fields));
  }

  /** Nesting beyond the limit is TOO_DEEP; any other parser limit (number length) TOO_LARGE. */
  private static SkipReason overLimit(StreamConstraintsException e) {
    return e.getMessage() != null && e.getMessage().contains("depth")
        ? SkipReason.TOO_DEEP
        : SkipReason.TOO_LARGE;
  }

  private static JsonNode parse(String text) throws JsonProcessingException {
    return JSON.readTree(text);
  }

  private static boolean matches(JsonNode doc, Map<JsonPointer, String> rule) {
    for (Map.Entry<JsonPointer, String> entry : rule.entrySet()) {
      JsonNode node = doc.at(entry.getKey());
      if (!node.isValueNode() || node.isNull() || !node.asText().equals(entry.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** A string, a Long or finite Double, a Boolean, a list of scalars' text, or null. */
  private static Object value(JsonNode node) {
    if (node.isArray()) {
      List<String> items = new ArrayList<>(node.size());
      for (JsonNode item : node) {
        if (item.isValueNode() && !item.isNull()) {
          items.add(item.asText());
        }
      }
      return List.copyOf(items);
    }
    return scalar(node);
  }

  private static Object scalar(JsonNode node) {
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      double d = node.doubleValue();
      return Double.isFinite(d) ? d : null;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return null;
  }

  private static Long epochMillis(Object value) {
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (!Double.isFinite(d) || d < 0) {
        return null;
      }
      return (long) (d < SECONDS_BELOW ? d * 1000 : d);
    }
    if (value instanceof String s) {
      try {
        return epochMillis(Double.parseDouble(s));
      } catch (NumberFormatException notANumber) {
        try {
          return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException notUtc) {
          try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
          } catch (DateTimeParseException e) {
            return null;
          }
        }
      }
    }
    return null;
  }
}
