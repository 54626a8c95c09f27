package livegraph.journal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import livegraph.pipeline.Event;

/**
 * The bytes of one journaled {@link Event}: its time, then each field as a name and a typed
 * value. The types are the ones sources normalise to (String, Long, Double, Boolean, a list of
 * strings), each kept as such so a replayed event is equal to the one the charts took.
 *
 * <pre>
 * payload := timeMillis:int64 fieldCount:varint field*
 * field   := name:text tag:byte value
 * value   := 'S' text | 'L' int64 | 'D' float64 | 'T' | 'F' | 'A' count:varint text*
 * text    := length:varint utf8-bytes
 * </pre>
 *
 * <p>Public because the cluster's Redis stream ({@code livegraph.cluster.EventStreamCodec})
 * carries the same payload rather than a second encoding of events.
 */
public final class EventCodec {

  private static final byte STRING = 'S';
  private static final byte LONG = 'L';
  private static final byte DOUBLE = 'D';
  private static final byte TRUE = 'T';
  private static final byte FALSE = 'F';
  private static final byte LIST = 'A';

  private EventCodec() {}

  /** Appends the event's payload to {@code out}, growing it as needed; returns the buffer. */
  public static ByteBuffer encode(Event event, ByteBuffer out) {
    out = room(out, 8 + 5);
    out.putLong(event.timeMillis());
    Map<String, Object> fields = event.fields();
    putVarint(out, fields.size());
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      out = putText(out, field.getKey());
      out = putValue(out, field.getValue());
    }
    return out;
  }

  /**
   * Like {@link #encode}, with the fields in name order: the same format, but the same bytes for
   * equal events in every JVM. {@link Event} copies its fields with {@code Map.copyOf}, whose
   * iteration order is salted per JVM, so {@link #encode}'s bytes can differ between two nodes
   * for one event; an identity hashed over these bytes cannot.
   */
  public static ByteBuffer encodeCanonical(Event event, ByteBuffer out) {
    out = room(out, 8 + 5);
    out.putLong(event.timeMillis());
    Map<String, Object> fields = event.fields();
    putVarint(out, fields.size());
    String[] names = fields.keySet().toArray(new String[0]);
    java.util.Arrays.sort(names);
    for (String name : names) {
      out = putText(out, name);
      out = putValue(out, fields.get(name));
    }
    return out;
  }

  private static ByteBuffer putValue(ByteBuffer out, Object value) {
    out = room(out, 1 + 9);
    if (value instanceof String s) {
      out.put(STRING);
      return putText(out, s);
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      out.put(LONG).putLong(((Number) value).longValue());
      return out;
    }
    if (value instanceof Number n) {
      out.put(DOUBLE).putDouble(n.doubleValue());
      return out;
    }
    if (value instanceof Boolean b) {
      out.put(b ? TRUE : FALSE);
      return out;
    }
    if (value instanceof List<?> list) {
      out.put(LIST);
      putVarint(out, list.size());
      for (Object item : list) {
        out = putText(out, String.valueOf(item));
      }
      return out;
    }
    // Event documents its value types; anything else is kept as its text rather than lost.
    out.put(STRING);
    return putText(out, String.valueOf(value));
  }

  /**
   * Reads one payload (the whole of {@code in}).
   *
   * @throws IllegalArgumentException when the bytes are not a payload (a checksum that matched
   *     garbage, or a format this version does not know), naming what was wrong
   */
  public static Event decode(ByteBuffer in) {
    try {
      long time = in.getLong();
      int count = getVarint(in);
      Map<String, Object> fields = new HashMap<>(Math.min(count, 64) * 2);
      for (int i = 0; i < count; i++) {
        String name = getText(in);
        byte tag = in.get();
        Object value = switch (tag) {
          case STRING -> getText(in);
          case LONG -> in.getLong();
          case DOUBLE -> in.getDouble();
          case TRUE -> Boolean.TRUE;
          case FALSE -> Boolean.FALSE;
          case LIST -> {
            int n = getVarint(in);
            List<String> items = new ArrayList<>(Math.min(n, 64));
            for (int j = 0; j < n; j++) {
              items.add(getText(in));
            }
            yield List.copyOf(items);
          }
          default -> throw new IllegalArgumentException("unknown value tag " + tag);
        };
        fields.put(name, value);
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " bytes after the last field");
      }
      return new Event(time, fields);
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("payload ends inside a field");
    }
  }

  private static ByteBuffer putText(ByteBuffer out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out = room(out, 5 + bytes.length);
    putVarint(out, bytes.length);
    return out.put(bytes);
  }

  private static String getText(ByteBuffer in) {
    int n = getVarint(in);
    if (n > in.remaining()) {
      throw new IllegalArgumentException("text of " + n + " bytes with " + in.remaining() + " left");
    }
    String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
    in.position(in.position() + n);
    return s;
  }

  private static void putVarint(ByteBuffer out, int v) {
    while ((v & ~0x7F) != 0) {
      out.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.put((byte) v);
  }

  private static int getVarint(ByteBuffer in) {
    int v = 0;
    for (int shift = 0; shift < 32; shift += 7) {
      byte b = in.get();
      v |= (b & 0x7F) << shift;
      if (b >= 0) {
        if (v < 0) {
          throw new IllegalArgumentException("negative length " + v);
        }
        return v;
      }
    }
    throw new IllegalArgumentException("varint longer than 5 bytes");
  }

  /** {@code out}, or a copy of it twice as large (or more) when fewer than {@code n} bytes are left. */
  static ByteBuffer room(ByteBuffer out, int n) {
    if (out.remaining() >= n) {
      return out;
    }
    int capacity = Math.max(out.capacity() * 2, out.position() + n);
    ByteBuffer bigger = ByteBuffer.allocate(capacity);
    out.flip();
    bigger.put(out);
    return bigger;
  }
}
