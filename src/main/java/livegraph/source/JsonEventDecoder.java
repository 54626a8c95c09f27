package livegraph.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.NumberInput;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import livegraph.pipeline.Event;
import livegraph.pipeline.EventFields;
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
 *
 * <p>Messages are read with jackson-core's streaming parser, one pass over each document, into
 * plain values of only the fields this decoder resolves ({@link FieldShape}: rules, payload,
 * time, and the extracts its {@link FieldDemand} wants); everything else is skipped without
 * being built, and a payload string is read as a document straight from the parser's buffer.
 * Fields are then found with {@link FieldPath#resolve}, as in the whole document. No data
 * binding, so the browser build runs this same decoder. The event's fields are built once, as
 * an {@link EventFields} that {@link Event} keeps without copying.
 */
public final class JsonEventDecoder {

  /** The largest message decoded, in chars; longer ones are skipped. */
  public static final int MAX_CHARS = 1 << 20;

  /** Deeper nesting is refused by the parser itself, so decoding never recurses unboundedly. */
  public static final int MAX_DEPTH = 32;

  /** Epoch numbers below this are seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
  private static final double SECONDS_BELOW = 1e11;

  private static final String SOURCE = "@source";

  // The fast double parser gives what Double.parseDouble gives, in plain Java integer
  // arithmetic, so the browser build reads numbers to the same doubles; TeaVM's own
  // parseDouble keeps 19 digits, and the fast parser falls back to it only for the rare number
  // of more digits whose rounding those 19 cannot decide.
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxStringLength(MAX_CHARS)
                  .build())
          .build();

  private final Map<FieldPath, String> accept = new LinkedHashMap<>();
  private final Map<FieldPath, String> heartbeat = new LinkedHashMap<>();
  private final FieldPath payload;
  private final FieldPath time;
  private final List<Compiled> extracts = new ArrayList<>();
  private final FieldDemand demand;
  private volatile Plan plan; // for the demand's current keys; replaced when they change
  private final FieldShape rulesOnly; // accept and heartbeat fields: what classify() reads

  private record Compiled(String key, FieldPath path, boolean htmlUnescape) {}

  /** An extract kept by the demand, and the slot of the event's fields it fills. */
  private record Slotted(Compiled extract, int slot) {}

  /**
   * What to read for one set of wanted fields: the shape of the outer document (accept,
   * heartbeat, payload, and without a payload the extracts and time), the extracts kept and the
   * layout of the event's fields they fill ({@code @source} last unless an extract names it).
   */
  private record Plan(
      java.util.Set<String> wanted,
      FieldShape outer,
      FieldShape inner,
      Slotted[] slotted,
      EventFields.Layout layout,
      int sourceSlot) {}

  /** A decoder without a heartbeat rule. */
  public JsonEventDecoder(Decoding decoding) {
    this(decoding, Map.of());
  }

  /**
   * @param heartbeatMatch field reference → value; an outer document matching all of them (and
   *     not empty) is a heartbeat
   */
  public JsonEventDecoder(Decoding decoding, Map<String, String> heartbeatMatch) {
    this(decoding, heartbeatMatch, FieldDemand.all());
  }

  /**
   * @param heartbeatMatch field reference → value; an outer document matching all of them (and
   *     not empty) is a heartbeat
   * @param demand the event fields wanted: extracts whose key it does not name are neither read
   *     nor copied (the time field, accept and heartbeat rules are always read)
   */
  public JsonEventDecoder(
      Decoding decoding, Map<String, String> heartbeatMatch, FieldDemand demand) {
    Objects.requireNonNull(decoding, "decoding");
    decoding.accept().forEach((path, value) -> accept.put(documentField(path), value));
    Objects.requireNonNull(heartbeatMatch, "heartbeatMatch")
        .forEach((path, value) -> heartbeat.put(documentField(path), value));
    payload = decoding.payload() == null ? null : documentField(decoding.payload());
    time = decoding.timeField() == null ? null : FieldPath.parse(decoding.timeField());
    for (Decoding.Extract e : decoding.extracts()) {
      extracts.add(new Compiled(e.key(), FieldPath.parse(e.path()), e.htmlUnescape()));
    }
    this.demand = Objects.requireNonNull(demand, "demand");
    this.plan = plan(demand.keys());
    rulesOnly = new FieldShape(JSON);
    accept.keySet().forEach(rulesOnly::add);
    heartbeat.keySet().forEach(rulesOnly::add);
  }

  private Plan plan(java.util.Set<String> wanted) {
    List<String> keys = new ArrayList<>();
    List<Slotted> slotted = new ArrayList<>();
    FieldShape doc = new FieldShape(JSON);
    for (Compiled e : extracts) {
      if (wanted != null && !wanted.contains(e.key) && !e.key.equals(SOURCE)) {
        continue;
      }
      int slot = keys.indexOf(e.key);
      if (slot < 0) {
        slot = keys.size();
        keys.add(e.key);
      }
      slotted.add(new Slotted(e, slot));
      if (!e.path.isMeta()) {
        doc.add(e.path);
      }
    }
    int sourceSlot = keys.indexOf(SOURCE);
    if (sourceSlot < 0) {
      sourceSlot = keys.size();
      keys.add(SOURCE);
    }
    if (time != null && !time.isMeta()) {
      doc.add(time);
    }
    FieldShape outer = doc;
    if (payload != null) {
      outer = new FieldShape(JSON).payload(payload, doc);
    }
    accept.keySet().forEach(outer::add);
    heartbeat.keySet().forEach(outer::add);
    return new Plan(wanted, outer, doc, slotted.toArray(new Slotted[0]),
        new EventFields.Layout(keys), sourceSlot);
  }

  /** The plan for the demand as it is now, made again only when the demand has changed. */
  private Plan currentPlan() {
    java.util.Set<String> wanted = demand.keys();
    Plan p = plan;
    if (p.wanted != wanted) {
      p = plan(wanted); // racing threads may each make one; any of them is right
      plan = p;
    }
    return p;
  }

  private static FieldPath documentField(String path) {
    FieldPath field = FieldPath.parse(path);
    if (field.isMeta()) {
      throw new IllegalArgumentException("a meta field is not part of the document: " + path);
    }
    return field;
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
    Plan p = currentPlan();
    Object outer;
    try {
      outer = p.outer.read(text);
    } catch (StreamConstraintsException e) {
      return new Skipped(overLimit(e));
    } catch (JsonProcessingException e) {
      return new Skipped(SkipReason.NOT_JSON);
    }
    Result early = judgeOuter(outer);
    if (early != null) {
      return early;
    }
    Object doc = outer;
    if (payload != null) {
      doc = payload.resolve(outer);
      if (doc == null) {
        return new Skipped(SkipReason.MISSING_FIELD); // absent or JSON null
      }
      if (doc instanceof String inner) {
        // Only when an accept or heartbeat rule names the payload itself, so it was kept whole
        // as a string: read it now. Otherwise the shape read it already, as an Inner.
        try {
          doc = p.inner.read(inner);
        } catch (StreamConstraintsException e) {
          return new Skipped(overLimit(e));
        } catch (JsonProcessingException e) {
          return new Skipped(SkipReason.NOT_JSON);
        }
        if (doc == JsonTree.NOTHING) {
          return new Skipped(SkipReason.NOT_JSON);
        }
      } else if (doc instanceof FieldShape.Inner inner) {
        if (inner.error() != null) {
          return new Skipped(inner.error());
        }
        doc = inner.value();
      }
      if (!(doc instanceof Map)) {
        return new Skipped(SkipReason.WRONG_TYPE);
      }
    }
    long at = arrivalMillis;
    if (time != null) {
      Object value = time.isMeta() ? meta.get(time.toString()) : scalar(time.resolve(doc));
      if (value != null) {
        Long parsed = epochMillis(value);
        if (parsed == null) {
          return new Skipped(SkipReason.BAD_TIME);
        }
        at = parsed;
      }
    }
    EventFields.Builder fields = p.layout.builder();
    for (Slotted s : p.slotted) {
      Compiled e = s.extract;
      Object value = e.path.isMeta() ? meta.get(e.path.toString()) : value(e.path.resolve(doc));
      // Every HTML entity starts with '&': most titles have none, and the unescaper's scan
      // with its lookup tables was a fifth of the decoder's time (BENCHMARKS.md, profile).
      if (value instanceof String str && e.htmlUnescape && str.indexOf('&') >= 0) {
        value = StringEscapeUtils.unescapeHtml4(str);
      }
      if (value != null) {
        fields.set(s.slot, value); // a later extract of the same key wins, as a map's put
      }
    }
    if (fields.get(p.sourceSlot) == null) {
      fields.set(p.sourceSlot, meta.get(SOURCE));
    }
    return new Decoded(new Event(at, fields.build()));
  }

  /**
   * What {@link #decode} makes of {@code text} as far as the outer document decides it: the same
   * heartbeat, or the same skip for text that is too large, not JSON, too deep, not an object or
   * of another channel; {@code null} for a message {@code decode} would go on to read. Only the
   * accept and heartbeat fields are read: the payload and the extracts are skipped by the parser
   * unbuilt, and no event is made. A source whose sink is full uses it to refuse data undecoded
   * and still answer heartbeats; a fault inside such a message's payload (a missing field, a bad
   * time) goes uncounted as a skip, as the message is refused whatever it holds.
   */
  public Result classify(String text) {
    if (text.length() > MAX_CHARS) {
      return new Skipped(SkipReason.TOO_LARGE);
    }
    Object outer;
    try {
      outer = rulesOnly.read(text);
    } catch (StreamConstraintsException e) {
      return new Skipped(overLimit(e));
    } catch (JsonProcessingException e) {
      return new Skipped(SkipReason.NOT_JSON);
    }
    return judgeOuter(outer);
  }

  /** The outer document's verdict: a heartbeat, a skip, or {@code null} to read on. */
  private Result judgeOuter(Object outer) {
    if (outer == JsonTree.NOTHING) {
      return new Skipped(SkipReason.NOT_JSON); // empty or blank text: no JSON value at all
    }
    if (!(outer instanceof Map)) {
      return new Skipped(SkipReason.WRONG_TYPE);
    }
    if (!heartbeat.isEmpty() && matches(outer, heartbeat)) {
      return Heartbeat.INSTANCE;
    }
    if (!matches(outer, accept)) {
      return new Skipped(SkipReason.OTHER_CHANNEL);
    }
    return null;
  }

  /** Nesting beyond the limit is TOO_DEEP; any other parser limit (number length) TOO_LARGE. */
  static SkipReason overLimit(StreamConstraintsException e) {
    return e.getMessage() != null && e.getMessage().contains("depth")
        ? SkipReason.TOO_DEEP
        : SkipReason.TOO_LARGE;
  }

  /** Every rule's field is a scalar whose text (as {@link #text} gives it) is the value. */
  private static boolean matches(Object doc, Map<FieldPath, String> rule) {
    for (Map.Entry<FieldPath, String> entry : rule.entrySet()) {
      Object value = entry.getKey().resolve(doc);
      if (!isScalar(value) || !text(value).equals(entry.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** A string, a Long or finite Double, a Boolean, a list of scalars' text, or null. */
  private static Object value(Object node) {
    if (node instanceof List<?> array) {
      List<String> items = new ArrayList<>(array.size());
      for (Object item : array) {
        if (isScalar(item)) {
          items.add(text(item));
        }
      }
      return List.copyOf(items);
    }
    return scalar(node);
  }

  private static Object scalar(Object node) {
    if (node instanceof String || node instanceof Long || node instanceof Boolean) {
      return node;
    }
    if (node instanceof Double d) {
      return Double.isFinite(d) ? d : null;
    }
    if (node instanceof BigInteger big) {
      // Beyond a long: as a double, like any other large number; rounded as BigInteger's own
      // doubleValue() does, by a parser that does so in the browser build too.
      double d = NumberInput.parseDouble(big.toString(), true);
      return Double.isFinite(d) ? d : null;
    }
    return null; // absent, JSON null, an object or an array
  }

  private static boolean isScalar(Object node) {
    return node instanceof String || node instanceof Number || node instanceof Boolean;
  }

  /**
   * A scalar's text: a string as it is, a number as Java (and Jackson) writes it ({@code 5},
   * {@code 2.5}, {@code 1000.0}, {@code 1.0E20}), a boolean as {@code true}/{@code false}.
   */
  private static String text(Object scalar) {
    return scalar instanceof String s ? s : String.valueOf(scalar);
  }

  private static Long epochMillis(Object value) {
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (!Double.isFinite(d) || d < 0) {
        return null;
      }
      double millis = d < SECONDS_BELOW ? d * 1000 : d;
      // The cast saturates at Long.MAX_VALUE; the browser build's does not, so say it here.
      return millis >= 0x1p63 ? Long.MAX_VALUE : (long) millis;
    }
    if (value instanceof String s) {
      try {
        return epochMillis(NumberInput.parseDouble(s, true)); // as Double.parseDouble
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
