package livegraph.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import livegraph.cluster.EventStreamCodec.Bad;
import livegraph.cluster.EventStreamCodec.Decoded;
import livegraph.cluster.EventStreamCodec.Entry;
import livegraph.cluster.EventStreamCodec.Tick;
import livegraph.pipeline.Event;
import livegraph.pipeline.EventFields;
import org.junit.jupiter.api.Test;

class EventStreamCodecTest {

  private static final Event SAMPLE =
      new Event(
          1_700_000_000_123L,
          Map.of(
              "site", "stackoverflow",
              "score", 42L,
              "ratio", 0.25,
              "answered", true,
              "closed", false,
              "tags", List.of("java", "redis", "ünïcode ✓"),
              "none", List.of()));

  @Test
  void roundTrip_keepsEveryValueKind() {
    Decoded decoded = EventStreamCodec.decode(EventStreamCodec.encode(SAMPLE));

    assertThat(decoded).isInstanceOf(Entry.class);
    Entry entry = (Entry) decoded;
    assertThat(entry.event()).isEqualTo(SAMPLE);
    assertThat(entry.event().fields().get("score")).isInstanceOf(Long.class);
    assertThat(entry.event().fields().get("ratio")).isInstanceOf(Double.class);
    assertThat(entry.event().fields().get("answered")).isEqualTo(Boolean.TRUE);
    assertThat(entry.identity()).isEqualTo(EventStreamCodec.identity(SAMPLE));
  }

  @Test
  void integers_areLongs_likeTheJournal() {
    Event withInt = new Event(5, Map.of("n", 7));
    Entry entry = (Entry) EventStreamCodec.decode(EventStreamCodec.encode(withInt));

    assertThat(entry.event().fields()).containsEntry("n", 7L);
    assertThat(entry.identity()).isEqualTo(EventStreamCodec.identity(new Event(5, Map.of("n", 7L))));
  }

  @Test
  void identity_isEqualForEqualEvents_whateverTheFieldOrder() {
    EventFields.Layout ab = new EventFields.Layout(List.of("a", "b"));
    EventFields.Layout ba = new EventFields.Layout(List.of("b", "a"));
    Event first = new Event(9, ab.builder().set(0, "x").set(1, 2L).build());
    Event second = new Event(9, ba.builder().set(0, 2L).set(1, "x").build());
    assertThat(first.fields().keySet()).containsExactly("a", "b");
    assertThat(second.fields().keySet()).containsExactly("b", "a");

    assertThat(EventStreamCodec.identity(first)).isEqualTo(EventStreamCodec.identity(second));
    assertThat(payload(EventStreamCodec.encode(first))).isEqualTo(payload(EventStreamCodec.encode(second)));
  }

  @Test
  void identity_isStableAcrossRuns() {
    // A fixed value: another JVM (another node) must hash this event to the same identity.
    assertThat(EventStreamCodec.identity(new Event(1_700_000_000_000L, Map.of("site", "so", "n", 1L))))
        .hasToString(EventStreamCodec.identity(new Event(1_700_000_000_000L, Map.of("n", 1L, "site", "so"))).toString())
        .hasToString(GOLDEN);
  }

  // SHA-256 of the canonical payload of the event above, first 16 bytes, computed outside Java
  // from the format in EventCodec's javadoc: pins both the field order and the hash.
  private static final String GOLDEN = "576a55a5dc43aef39740f131c84054b6";

  @Test
  void identity_differsWhenTimeOrAnyFieldDiffers() {
    Event base = new Event(1, Map.of("a", "x", "b", 1L));
    assertThat(EventStreamCodec.identity(base))
        .isNotEqualTo(EventStreamCodec.identity(new Event(2, Map.of("a", "x", "b", 1L))))
        .isNotEqualTo(EventStreamCodec.identity(new Event(1, Map.of("a", "y", "b", 1L))))
        .isNotEqualTo(EventStreamCodec.identity(new Event(1, Map.of("a", "x", "b", 1.0))))
        .isNotEqualTo(EventStreamCodec.identity(new Event(1, Map.of("a", "x"))));
  }

  @Test
  void badEntries_areSkippedWithAReason_neverThrown() {
    Map<byte[], byte[]> good = EventStreamCodec.encode(SAMPLE);
    byte[] payload = payload(good);
    byte[] identity = field(good, "i");

    assertThat(reason(null)).contains("no fields");
    assertThat(reason(Map.of(bytes("x"), bytes("y")))).contains("no field 'e'").contains("[x]");
    assertThat(reason(Map.of(bytes("e"), payload))).contains("no field 'i'");
    assertThat(reason(Map.of(bytes("e"), payload, bytes("i"), new byte[3])))
        .contains("identity of 3 bytes, expected 16");
    assertThat(reason(Map.of(bytes("e"), Arrays.copyOf(payload, payload.length - 3), bytes("i"), identity)))
        .contains("event payload of " + (payload.length - 3) + " bytes");
    assertThat(reason(Map.of(bytes("e"), new byte[] {1, 2}, bytes("i"), identity)))
        .contains("event payload of 2 bytes");
    assertThat(reason(Map.of(bytes("e"), bytes("not a payload at all, just text"), bytes("i"), identity)))
        .startsWith("event payload");
    assertThat(reason(Map.of(bytes("t"), bytes("5")))).contains("tick without field 'm'");
    assertThat(reason(Map.of(bytes("t"), bytes("x5"), bytes("m"), bytes("1")))).contains("'x5'");
    assertThat(reason(Map.of(bytes("t"), bytes("0"), bytes("m"), bytes("1")))).contains("not a positive");
    assertThat(reason(Map.of(bytes("t"), bytes("1".repeat(19)), bytes("m"), bytes("1"))))
        .contains("not a positive");
  }

  @Test
  void ticks_roundTrip() {
    assertThat(EventStreamCodec.decode(EventStreamCodec.encodeTick(1_700_000_000_123L, 42)))
        .isEqualTo(new Tick(1_700_000_000_123L, 42));
  }

  @Test
  void identityFields_makeTheSameUpstreamEventOneEvent_whateverItsArrivalTime() {
    List<String> keys = List.of("site", "id", "at");
    Event first = new Event(1_000, Map.of("@source", "se", "site", "so", "id", 7L, "at", 99L, "title", "T"));
    Event reRead = new Event(9_000, Map.of("@source", "se", "site", "so", "id", 7L, "at", 99L, "title", "T"));
    Event newActivity = new Event(9_000, Map.of("@source", "se", "site", "so", "id", 7L, "at", 100L, "title", "T"));
    Event otherSource = new Event(1_000, Map.of("@source", "x", "site", "so", "id", 7L, "at", 99L, "title", "T"));
    Event lacksAKey = new Event(1_000, Map.of("@source", "se", "site", "so", "id", 7L));

    assertThat(EventStreamCodec.identity(first, keys)).isEqualTo(EventStreamCodec.identity(reRead, keys))
        .isNotEqualTo(EventStreamCodec.identity(newActivity, keys))
        .isNotEqualTo(EventStreamCodec.identity(otherSource, keys));
    // Without its keys, or without identity fields, the time is part of the identity.
    assertThat(EventStreamCodec.identity(first)).isNotEqualTo(EventStreamCodec.identity(reRead));
    assertThat(EventStreamCodec.identity(lacksAKey, keys))
        .isEqualTo(EventStreamCodec.identity(lacksAKey))
        .isNotEqualTo(EventStreamCodec.identity(new Event(2_000, lacksAKey.fields()), keys));
    // What is stored is what the reader gets back.
    Decoded decoded = EventStreamCodec.decode(EventStreamCodec.encode(reRead, keys));
    assertThat(((Entry) decoded).identity()).isEqualTo(EventStreamCodec.identity(first, keys));
    assertThat(((Entry) decoded).event()).isEqualTo(reRead);
  }

  private static String reason(Map<byte[], byte[]> fields) {
    Decoded decoded = EventStreamCodec.decode(fields);
    assertThat(decoded).isInstanceOf(Bad.class);
    return ((Bad) decoded).reason();
  }

  private static byte[] payload(Map<byte[], byte[]> fields) {
    return field(fields, "e");
  }

  private static byte[] field(Map<byte[], byte[]> fields, String name) {
    Map<String, byte[]> byName = new HashMap<>();
    fields.forEach((k, v) -> byName.put(new String(k, StandardCharsets.UTF_8), v));
    return byName.get(name);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
