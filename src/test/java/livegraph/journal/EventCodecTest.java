package livegraph.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import livegraph.pipeline.Event;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  @Test
  void everyValueType_comesBackEqual_withItsJavaType() {
    Event e = new Event(1_700_000_000_123L, Map.of("s", "héllo ☃", "l", -42L, "d", 2.5,
        "t", true, "f", false, "tags", List.of("java", "c++", ""), "empty", ""));

    Event back = EventCodec.decode(EventCodec.encode(e, ByteBuffer.allocate(4)).flip());

    assertThat(back).isEqualTo(e);
    assertThat(back.fields().get("l")).isInstanceOf(Long.class);
    assertThat(back.fields().get("d")).isInstanceOf(Double.class);
  }

  @Test
  void anEventWithoutFields_roundTrips() {
    Event e = new Event(5, Map.of());
    assertThat(EventCodec.decode(EventCodec.encode(e, ByteBuffer.allocate(1)).flip()))
        .isEqualTo(e);
  }

  @Test
  void truncatedOrTrailingBytes_areRefused_notMisread() {
    Event e = new Event(7, Map.of("level", "warn"));
    ByteBuffer whole = EventCodec.encode(e, ByteBuffer.allocate(64)).flip();
    for (int cut = 0; cut < whole.limit(); cut++) {
      ByteBuffer part = ByteBuffer.wrap(whole.array(), 0, cut).slice();
      assertThatThrownBy(() -> EventCodec.decode(part)).as("cut at " + cut)
          .isInstanceOf(IllegalArgumentException.class);
    }
    ByteBuffer longer = ByteBuffer.allocate(whole.limit() + 1).put(whole.duplicate()).put((byte) 0);
    assertThatThrownBy(() -> EventCodec.decode(longer.flip()))
        .hasMessageContaining("1 bytes after the last field");
  }
}
