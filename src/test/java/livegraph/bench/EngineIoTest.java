package livegraph.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import livegraph.bench.EngineIo.Packet;
import org.junit.jupiter.api.Test;

class EngineIoTest {

  private static Packet classify(String text) {
    return EngineIo.classify(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
  }

  @Test
  void handshakePackets() {
    assertThat(classify("0{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":25000,"
        + "\"pingTimeout\":20000,\"maxPayload\":1000000}")).isEqualTo(Packet.OPEN);
    assertThat(classify("40{\"sid\":\"def\"}")).isEqualTo(Packet.CONNECTED);
    assertThat(classify("44{\"message\":\"Invalid namespace\"}")).isEqualTo(Packet.CONNECT_ERROR);
    assertThat(classify("41")).isEqualTo(Packet.DISCONNECT);
  }

  @Test
  void heartbeat_isAPlainTwo_notAnUpgradeProbe() {
    assertThat(classify("2")).isEqualTo(Packet.PING);
    assertThat(classify("2probe")).isEqualTo(Packet.OTHER);
    assertThat(classify("3")).isEqualTo(Packet.OTHER);
  }

  @Test
  void eventFrames() {
    assertThat(classify("42[\"e\",\"{\\\"n\\\":1}\"]")).isEqualTo(Packet.EVENT);
  }

  @Test
  void emptyOrUnknown_isOther() {
    assertThat(classify("")).isEqualTo(Packet.OTHER);
    assertThat(classify("4")).isEqualTo(Packet.OTHER);
    assertThat(classify("6")).isEqualTo(Packet.OTHER);
    assertThat(classify("x")).isEqualTo(Packet.OTHER);
  }

  @Test
  void repliesAreTheProtocolsOwn() {
    assertThat(EngineIo.CONNECT).isEqualTo("40");
    assertThat(EngineIo.PONG).isEqualTo("3");
  }
}
