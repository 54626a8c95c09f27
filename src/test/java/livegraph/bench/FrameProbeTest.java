package livegraph.bench;

import static livegraph.bench.FrameProbe.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameProbeTest {

  private static ByteBuf frame(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
  }

  @Test
  void livegraphDelta_givesSeqSentAndN() {
    ByteBuf f = frame("{\"type\":\"delta\",\"seq\":1767225600123,\"charts\":{\"sent\":{\"value\":"
        + "1767225600123456,\"start\":1767225600000,\"step\":10000,\"spark\":[]},\"n\":{\"value\":42,"
        + "\"start\":0,\"step\":10000,\"spark\":[]},\"sites\":{}}}");
    assertThat(FrameProbe.livegraphType(f)).isEqualTo(FrameProbe.LivegraphType.DELTA);
    assertThat(FrameProbe.number(f, FrameProbe.LIVEGRAPH.seq())).isEqualTo(1767225600123L);
    assertThat(FrameProbe.number(f, FrameProbe.LIVEGRAPH.sent())).isEqualTo(1767225600123456L);
    assertThat(FrameProbe.number(f, FrameProbe.LIVEGRAPH.n())).isEqualTo(42);
  }

  @Test
  void livegraphSnapshotBeforeAnyEvent_hasSeqButNoSentValue() {
    ByteBuf f = frame("{\"type\":\"snapshot\",\"seq\":7,\"charts\":{\"sent\":{\"value\":null,"
        + "\"start\":0,\"step\":10000,\"spark\":[]}}}");
    assertThat(FrameProbe.livegraphType(f)).isEqualTo(FrameProbe.LivegraphType.SNAPSHOT);
    assertThat(FrameProbe.number(f, FrameProbe.LIVEGRAPH.seq())).isEqualTo(7);
    assertThat(FrameProbe.number(f, FrameProbe.LIVEGRAPH.sent())).isEqualTo(NONE);
  }

  @Test
  void livegraphHelloAndStatus_areNotData() {
    assertThat(FrameProbe.livegraphType(frame("{\"type\":\"hello\",\"dashboard\":{}}")))
        .isEqualTo(FrameProbe.LivegraphType.OTHER);
    assertThat(FrameProbe.livegraphType(frame("{\"type\":\"status\"}")))
        .isEqualTo(FrameProbe.LivegraphType.OTHER);
    assertThat(FrameProbe.livegraphType(frame("{\"ty"))).isEqualTo(FrameProbe.LivegraphType.OTHER);
  }

  @Test
  void relayedLine_givesNAndSent() {
    ByteBuf f = frame("{\"n\":17,\"sent\":1767225600999000,\"site\":\"stackoverflow\"}");
    assertThat(FrameProbe.number(f, FrameProbe.RELAYED.n())).isEqualTo(17);
    assertThat(FrameProbe.number(f, FrameProbe.RELAYED.sent())).isEqualTo(1767225600999000L);
  }

  @Test
  void socketIoEvent_readsTheEscapedLineInsideTheString() {
    ByteBuf f = frame("42[\"e\",\"{\\\"n\\\":17,\\\"sent\\\":1767225600999000,\\\"site\\\":\\\"so\\\"}\"]");
    assertThat(FrameProbe.number(f, FrameProbe.SOCKET_IO.n())).isEqualTo(17);
    assertThat(FrameProbe.number(f, FrameProbe.SOCKET_IO.sent())).isEqualTo(1767225600999000L);
  }

  @Test
  void firstOccurrenceWins_soATitleRepeatingTheKeyLaterIsIgnored() {
    ByteBuf f = frame("{\"n\":5,\"sent\":100,\"title\":\"why is \\\"sent\\\":99 wrong\"}");
    assertThat(FrameProbe.number(f, FrameProbe.RELAYED.sent())).isEqualTo(100);
  }

  @Test
  void keyBeyondTheScanLimit_isNotFound() {
    String pad = "x".repeat(FrameProbe.SCAN_LIMIT);
    ByteBuf f = frame("{\"pad\":\"" + pad + "\",\"n\":5}");
    assertThat(FrameProbe.number(f, FrameProbe.RELAYED.n())).isEqualTo(NONE);
  }

  @Test
  void nonIntegerValues_areNone() {
    assertThat(FrameProbe.number(frame("{\"n\":1.5}"), FrameProbe.RELAYED.n())).isEqualTo(NONE);
    assertThat(FrameProbe.number(frame("{\"n\":1e9}"), FrameProbe.RELAYED.n())).isEqualTo(NONE);
    assertThat(FrameProbe.number(frame("{\"n\":\"7\"}"), FrameProbe.RELAYED.n())).isEqualTo(NONE);
    assertThat(FrameProbe.number(frame("{\"n\":"), FrameProbe.RELAYED.n())).isEqualTo(NONE);
    assertThat(FrameProbe.number(frame("{\"n\":-3}"), FrameProbe.RELAYED.n())).isEqualTo(-3);
  }

  @Test
  void readsFromTheReaderIndex_withoutMovingIt() {
    ByteBuf f = frame("junk{\"n\":9}");
    f.readerIndex(4);
    assertThat(FrameProbe.number(f, FrameProbe.RELAYED.n())).isEqualTo(9);
    assertThat(f.readerIndex()).isEqualTo(4);
  }
}
