package livegraph.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * The latest events of a list chart, newest first, in a ring of {@code spec.size()} items.
 *
 * <p>Each item keeps only the listed fields, so an event's other fields (e.g. a long body) are
 * not retained; a string longer than {@value #MAX_TEXT} characters is cut there (ending in "…")
 * and a list keeps its first {@value #MAX_ELEMENTS} strings, so an item stays small whatever
 * the feed sends. "Newest" is arrival order:
 * an event arriving late still goes on top.
 */
final class LatestItems implements Aggregator {

  static final int MAX_TEXT = 4096;
  static final int MAX_ELEMENTS = 100;

  private final List<String> fields;
  // Bounded by spec.size(): a new item overwrites the oldest. Pipeline thread.
  private final Item[] ring;
  private int next; // slot the next item goes to
  private int count;
  private boolean changed = true;

  LatestItems(ListSpec spec) {
    this.fields = spec.fields();
    this.ring = new Item[spec.size()];
  }

  @Override
  public boolean add(long timeMillis, Event event) {
    Object[] values = new Object[fields.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = bounded(event.fields().get(fields.get(i)));
    }
    ring[next] = new Item(timeMillis, values);
    next = (next + 1) % ring.length;
    count = Math.min(count + 1, ring.length);
    changed = true;
    return true;
  }

  /** The value, with long strings cut and long lists shortened; see the class comment. */
  static Object bounded(Object value) {
    if (value instanceof String s) {
      return cut(s);
    }
    if (value instanceof List<?> list) {
      List<String> strings = new java.util.ArrayList<>(Math.min(list.size(), MAX_ELEMENTS));
      for (Object element : list) {
        if (element instanceof String s && strings.size() < MAX_ELEMENTS) {
          strings.add(cut(s));
        }
      }
      return strings;
    }
    return value;
  }

  private static String cut(String s) {
    if (s.length() <= MAX_TEXT) {
      return s;
    }
    int end = MAX_TEXT - 1;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--; // never split a surrogate pair
    }
    return s.substring(0, end) + "…";
  }

  @Override
  public void advanceTo(long nowMillis) {
    // Items do not expire; only newer items push them out.
  }

  @Override
  public boolean changed() {
    return changed;
  }

  /** {@code {"items":[{"time":ms,"field":value,...},...]}}, newest first. */
  @Override
  public void write(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeArrayFieldStart("items");
    for (int i = 1; i <= count; i++) {
      Item item = ring[Math.floorMod(next - i, ring.length)];
      json.writeStartObject();
      json.writeNumberField("time", item.time());
      for (int f = 0; f < fields.size(); f++) {
        writeField(json, fields.get(f), item.values()[f]);
      }
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
    changed = false;
  }

  /** Writes a value of a type {@link Event} allows; absent or other values are left out. */
  private static void writeField(JsonGenerator json, String name, Object value)
      throws IOException {
    if (value instanceof String s) {
      json.writeStringField(name, s);
    } else if (value instanceof Boolean b) {
      json.writeBooleanField(name, b);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isFinite(d)) { // NaN and infinities are not JSON
        json.writeFieldName(name);
        ChartJson.value(json, d);
      }
    } else if (value instanceof BigDecimal d) {
      json.writeNumberField(name, d);
    } else if (value instanceof BigInteger i) {
      json.writeFieldName(name);
      json.writeNumber(i);
    } else if (value instanceof Number n) {
      json.writeNumberField(name, n.longValue());
    } else if (value instanceof List<?> list) {
      json.writeArrayFieldStart(name);
      for (Object element : list) {
        if (element instanceof String s) {
          json.writeString(s);
        }
      }
      json.writeEndArray();
    }
  }

  int size() {
    return count;
  }

  /** One list entry: the event time and the listed fields' values (null when absent). */
  private record Item(long time, Object[] values) {}
}
