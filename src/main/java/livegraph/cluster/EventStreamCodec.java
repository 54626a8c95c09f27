package livegraph.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import livegraph.journal.EventCodec;
import livegraph.pipeline.Event;

/**
 * The entries of a dashboard's Redis Stream, as field maps and back. Two kinds:
 *
 * <ul>
 *   <li><b>Event</b>: field {@code e} holds the journal's payload of an {@link Event} ({@link
 *       EventCodec}), field {@code i} its {@link Identity}.
 *   <li><b>Tick</b>: fields {@code t} (the tick's number, consecutive across the stream's life)
 *       and {@code m} (the leader's clock at the tick, epoch ms). Every node cuts one frame per
 *       tick, at that time, numbered by it: that is what makes the charts and the delta numbers
 *       of every node the same (see {@code ClusterMember}).
 * </ul>
 *
 * <p>Identity: 16 bytes of the SHA-256 of a canonical encoding (fields in name order, so every
 * JVM hashes the same bytes). When the event's source names its identity fields (a dashboard's
 * {@code identity:}, e.g. the StackExchange question's site, id and {@code lastActivityDate}) and
 * the event has them all, the hash covers only those and {@code @source}: a second leader that
 * reads the same upstream event again, later, writes the same identity although its arrival time
 * differs, and readers deliver it once. Otherwise it covers the time and every field, so only a
 * re-read that reproduces the time (a replayed or timestamped upstream, a retried write) is
 * recognised. 128 bits keep the chance of two distinct events colliding negligible (about 2^-64
 * after 2^32 events).
 *
 * <p>Decoding never throws: an entry with missing or wrong fields becomes a {@link Bad} naming
 * what was wrong, for the reader to skip and count.
 */
public final class EventStreamCodec {

  /** Bytes of an identity: SHA-256 truncated to 128 bits. */
  public static final int IDENTITY_BYTES = 16;

  static final byte[] EVENT_FIELD = "e".getBytes(StandardCharsets.US_ASCII);
  static final byte[] IDENTITY_FIELD = "i".getBytes(StandardCharsets.US_ASCII);
  static final byte[] TICK_FIELD = "t".getBytes(StandardCharsets.US_ASCII);
  static final byte[] TICK_MILLIS_FIELD = "m".getBytes(StandardCharsets.US_ASCII);
  private static final String SOURCE = "@source";

  // One payload buffer and digest per thread: the writer and each reader encode on their own.
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(EventStreamCodec::sha256);

  private EventStreamCodec() {}

  /** An event's identity: 128 bits of the hash of its canonical payload. */
  public record Identity(long high, long low) {

    static Identity of(byte[] bytes) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      return new Identity(b.getLong(), b.getLong());
    }

    byte[] bytes() {
      return ByteBuffer.allocate(IDENTITY_BYTES).putLong(high).putLong(low).array();
    }

    @Override
    public String toString() {
      return HexFormat.of().formatHex(bytes());
    }
  }

  /** What {@link #decode} made of an entry: an {@link Entry}, a {@link Tick} or a {@link Bad} one. */
  public sealed interface Decoded permits Entry, Tick, Bad {}

  /** A well-formed event entry. */
  public record Entry(Event event, Identity identity) implements Decoded {}

  /** A tick: cut frame number {@code number} with the charts at {@code millis}. */
  public record Tick(long number, long millis) implements Decoded {}

  /** An entry to skip, and why. */
  public record Bad(String reason) implements Decoded {}

  /** The identity of {@code event} when its source names no identity fields: all of it. */
  public static Identity identity(Event event) {
    return identity(event, List.of());
  }

  /**
   * The identity {@link #encode} stores for {@code event}: over {@code @source} and the fields
   * {@code keys} when the event has them all, else over the whole event, its time included.
   */
  public static Identity identity(Event event, List<String> keys) {
    return Identity.of(identityBytes(event, keys, null));
  }

  /** The fields of an event entry for the whole-event identity; see {@link #encode(Event, List)}. */
  public static Map<byte[], byte[]> encode(Event event) {
    return encode(event, List.of());
  }

  /**
   * The entry's fields for {@code XADD}: the canonical payload and the identity ({@link
   * #identity(Event, List)}). The map's keys are arrays (identity equality), for handing to
   * Jedis, not for lookups.
   */
  public static Map<byte[], byte[]> encode(Event event, List<String> keys) {
    byte[] payload = canonical(event);
    Map<byte[], byte[]> fields = new HashMap<>(4);
    fields.put(EVENT_FIELD, payload);
    fields.put(IDENTITY_FIELD, identityBytes(event, keys, payload));
    return fields;
  }

  /** The fields of a tick entry (as the writer's script writes them; for tests and tools). */
  public static Map<byte[], byte[]> encodeTick(long number, long millis) {
    Map<byte[], byte[]> fields = new HashMap<>(4);
    fields.put(TICK_FIELD, Long.toString(number).getBytes(StandardCharsets.US_ASCII));
    fields.put(TICK_MILLIS_FIELD, Long.toString(millis).getBytes(StandardCharsets.US_ASCII));
    return fields;
  }

  private static byte[] identityBytes(Event event, List<String> keys, byte[] payload) {
    if (!keys.isEmpty()) {
      Map<String, Object> own = new HashMap<>(keys.size() + 1);
      for (String key : keys) {
        Object value = event.fields().get(key);
        if (value == null) {
          own = null; // without all of its key fields, the event is identified by all of it
          break;
        }
        own.put(key, value);
      }
      if (own != null) {
        Object source = event.fields().get(SOURCE);
        if (source != null) {
          own.put(SOURCE, source);
        }
        // Time 0: the same upstream event read by two leaders at two times is one event.
        return hash(canonical(new Event(0, own)));
      }
    }
    return hash(payload != null ? payload : canonical(event));
  }

  /** The event and identity, or the tick, of an entry read back, or why it is neither; never throws. */
  public static Decoded decode(Map<byte[], byte[]> fields) {
    if (fields == null) {
      return new Bad("no fields");
    }
    byte[] payload = null;
    byte[] identity = null;
    byte[] tick = null;
    byte[] tickMillis = null;
    for (Map.Entry<byte[], byte[]> f : fields.entrySet()) {
      if (Arrays.equals(f.getKey(), EVENT_FIELD)) {
        payload = f.getValue();
      } else if (Arrays.equals(f.getKey(), IDENTITY_FIELD)) {
        identity = f.getValue();
      } else if (Arrays.equals(f.getKey(), TICK_FIELD)) {
        tick = f.getValue();
      } else if (Arrays.equals(f.getKey(), TICK_MILLIS_FIELD)) {
        tickMillis = f.getValue();
      }
    }
    if (payload == null && tick != null) {
      return decodeTick(tick, tickMillis);
    }
    if (payload == null) {
      return new Bad("no field 'e' (the event) or 't' (a tick) among " + names(fields));
    }
    if (identity == null) {
      return new Bad("no field 'i' (the identity) among " + names(fields));
    }
    if (identity.length != IDENTITY_BYTES) {
      return new Bad("identity of " + identity.length + " bytes, expected " + IDENTITY_BYTES);
    }
    Event event;
    try {
      event = EventCodec.decode(ByteBuffer.wrap(payload));
    } catch (IllegalArgumentException e) {
      return new Bad("event payload of " + payload.length + " bytes: " + e.getMessage());
    } catch (RuntimeException e) { // a malformed payload must not escape to the reader
      return new Bad("event payload of " + payload.length + " bytes: " + e);
    }
    return new Entry(event, Identity.of(identity));
  }

  private static Decoded decodeTick(byte[] number, byte[] millis) {
    if (millis == null) {
      return new Bad("tick without field 'm' (its time)");
    }
    long n = decimal(number);
    long m = decimal(millis);
    if (n <= 0 || m < 0) {
      return new Bad("tick number '" + text(number) + "' or time '" + text(millis)
          + "' is not a positive decimal");
    }
    return new Tick(n, m);
  }

  /** A non-negative decimal of at most 18 digits, or -1. */
  private static long decimal(byte[] digits) {
    if (digits.length == 0 || digits.length > 18) {
      return -1;
    }
    long value = 0;
    for (byte b : digits) {
      if (b < '0' || b > '9') {
        return -1;
      }
      value = value * 10 + (b - '0');
    }
    return value;
  }

  private static String text(byte[] bytes) {
    String t = new String(bytes, StandardCharsets.UTF_8);
    return t.length() > 40 ? t.substring(0, 40) + "…" : t;
  }

  private static byte[] canonical(Event event) {
    ByteBuffer out = EventCodec.encodeCanonical(event, ByteBuffer.allocate(128));
    return Arrays.copyOf(out.array(), out.position());
  }

  private static byte[] hash(byte[] payload) {
    return Arrays.copyOf(SHA256.get().digest(payload), IDENTITY_BYTES);
  }

  private static String names(Map<byte[], byte[]> fields) {
    return fields.keySet().stream()
        .map(k -> new String(k, StandardCharsets.UTF_8))
        .sorted()
        .toList()
        .toString();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e); // JCA requires it
    }
  }
}
