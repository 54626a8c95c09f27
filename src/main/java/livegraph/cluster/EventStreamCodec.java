package livegraph.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import livegraph.journal.EventCodec;
import livegraph.pipeline.Event;

/**
 * An {@link Event} as the field map of one Redis Stream entry, and back: field {@code e} holds
 * the journal's payload ({@link EventCodec}), field {@code i} the event's {@link Identity}.
 *
 * <p>Identity: the first 16 bytes of the SHA-256 of the event's canonical payload (fields in
 * name order, so every JVM hashes the same bytes). It covers the time and every field, so two
 * leaders that decode the same upstream event to the same {@code Event} write the same identity,
 * and the readers deliver it once. An event whose time is its arrival time on the leader gets a
 * new identity when a second leader reads it again later: only a re-read that reproduces the
 * time (a replayed or timestamped upstream, or the same event re-sent by a retried write) is
 * recognised. 128 bits keep the chance of two distinct events colliding negligible (about
 * 2^-64 after 2^32 events).
 *
 * <p>Decoding never throws: an entry with missing or wrong fields becomes a {@link Bad} naming
 * what was wrong, for the reader to skip and count.
 */
public final class EventStreamCodec {

  /** Bytes of an identity: SHA-256 truncated to 128 bits. */
  public static final int IDENTITY_BYTES = 16;

  static final byte[] EVENT_FIELD = "e".getBytes(StandardCharsets.US_ASCII);
  static final byte[] IDENTITY_FIELD = "i".getBytes(StandardCharsets.US_ASCII);

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

  /** What {@link #decode} made of an entry: an {@link Entry} or a {@link Bad} one. */
  public sealed interface Decoded permits Entry, Bad {}

  /** A well-formed entry. */
  public record Entry(Event event, Identity identity) implements Decoded {}

  /** An entry to skip, and why. */
  public record Bad(String reason) implements Decoded {}

  /** The identity {@link #encode} stores for {@code event}. */
  public static Identity identity(Event event) {
    return Identity.of(hash(canonical(event)));
  }

  /**
   * The entry's fields for {@code XADD}: the canonical payload and its identity. The map's keys
   * are arrays (identity equality), for handing to Jedis, not for lookups.
   */
  public static Map<byte[], byte[]> encode(Event event) {
    byte[] payload = canonical(event);
    Map<byte[], byte[]> fields = new HashMap<>(4);
    fields.put(EVENT_FIELD, payload);
    fields.put(IDENTITY_FIELD, hash(payload));
    return fields;
  }

  /** The event and identity of an entry read back, or why it is not one; never throws. */
  public static Decoded decode(Map<byte[], byte[]> fields) {
    if (fields == null) {
      return new Bad("no fields");
    }
    byte[] payload = null;
    byte[] identity = null;
    for (Map.Entry<byte[], byte[]> f : fields.entrySet()) {
      if (Arrays.equals(f.getKey(), EVENT_FIELD)) {
        payload = f.getValue();
      } else if (Arrays.equals(f.getKey(), IDENTITY_FIELD)) {
        identity = f.getValue();
      }
    }
    if (payload == null) {
      return new Bad("no field 'e' (the event) among " + names(fields));
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
    // A writer hashes the payload it stores; a mismatch is a corrupt or foreign entry.
    if (!Arrays.equals(hash(payload), identity)) {
      return new Bad("identity " + HexFormat.of().formatHex(identity) + " does not match the payload");
    }
    return new Entry(event, Identity.of(identity));
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
