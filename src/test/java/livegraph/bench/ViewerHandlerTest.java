package livegraph.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import org.junit.jupiter.api.Test;

/** In memory: one viewer's handler on an {@link EmbeddedChannel}, frames in, replies out. */
class ViewerHandlerTest {

  private static final long NOW = 1_767_225_600_000_000L;

  private final Viewers.Shared shared = new Viewers.Shared();

  private EmbeddedChannel viewer(Protocol protocol) {
    EmbeddedChannel ch = new EmbeddedChannel(new ViewerHandler(protocol, () -> NOW, shared));
    shared.measure(0, Long.MAX_VALUE);
    return ch;
  }

  private Tally tally(EmbeddedChannel ch) {
    return shared.tally(ch.eventLoop());
  }

  @Test
  void socketIo_connectsToTheNamespace_answersPings_andCountsEvents() {
    EmbeddedChannel ch = viewer(Protocol.SOCKET_IO);
    ch.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
    assertThat(shared.connectedCount()).isZero(); // not before the namespace answers

    ch.writeInbound(new TextWebSocketFrame("0{\"sid\":\"a\",\"pingInterval\":25000}"));
    assertThat(((TextWebSocketFrame) ch.readOutbound()).text()).isEqualTo("40");
    ch.writeInbound(new TextWebSocketFrame("40{\"sid\":\"b\"}"));
    assertThat(shared.connectedCount()).isEqualTo(1);

    ch.writeInbound(new TextWebSocketFrame("2"));
    assertThat(((TextWebSocketFrame) ch.readOutbound()).text()).isEqualTo("3");

    ch.writeInbound(new TextWebSocketFrame(
        "42[\"e\",\"{\\\"n\\\":1,\\\"sent\\\":" + (NOW - 2000) + ",\\\"site\\\":\\\"so\\\"}\"]"));
    ch.writeInbound(new TextWebSocketFrame(
        "42[\"e\",\"{\\\"n\\\":3,\\\"sent\\\":" + (NOW - 1000) + ",\\\"site\\\":\\\"so\\\"}\"]"));
    Tally t = tally(ch);
    assertThat(t.frames).isEqualTo(2);
    assertThat(t.gaps).isEqualTo(1); // event 2 never came
    assertThat(t.controlFrames).isEqualTo(1); // the ping
    assertThat(t.latencyMicros.getTotalCount()).isEqualTo(2);
    assertThat(t.maxLatencyMillis()).isBetween(1.99, 2.01);
    assertThat((Object) ch.readOutbound()).isNull();
  }

  @Test
  void socketIo_refusedNamespace_failsTheViewerOnce() {
    EmbeddedChannel ch = viewer(Protocol.SOCKET_IO);
    ch.writeInbound(new TextWebSocketFrame("44{\"message\":\"Invalid namespace\"}"));
    assertThat(ch.isOpen()).isFalse();
    assertThat(shared.failedCount()).isEqualTo(1);
    assertThat(shared.connectedCount()).isZero();
  }

  @Test
  void livegraph_countsDeltasAndSnapshots_notHelloOrStatus() {
    EmbeddedChannel ch = viewer(Protocol.LIVEGRAPH);
    ch.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
    assertThat(shared.connectedCount()).isEqualTo(1);
    ch.writeInbound(new TextWebSocketFrame("{\"type\":\"hello\",\"dashboard\":{}}"));
    ch.writeInbound(new TextWebSocketFrame("{\"type\":\"snapshot\",\"seq\":10,\"charts\":"
        + "{\"sent\":{\"value\":null,\"start\":0,\"step\":10000,\"spark\":[]}}}"));
    ch.writeInbound(new TextWebSocketFrame("{\"type\":\"delta\",\"seq\":11,\"charts\":"
        + "{\"sent\":{\"value\":" + (NOW - 50_000) + ",\"start\":0,\"step\":10000,\"spark\":[]},"
        + "\"n\":{\"value\":4,\"start\":0,\"step\":10000,\"spark\":[]}}}"));
    ch.writeInbound(new TextWebSocketFrame("{\"type\":\"status\",\"viewers\":1}"));
    Tally t = tally(ch);
    assertThat(t.frames).isEqualTo(2);
    assertThat(t.controlFrames).isEqualTo(2);
    assertThat(t.gaps).isZero();
    assertThat(t.represented).isEqualTo(1);
    assertThat(t.latencyMillis(50)).isBetween(49.9, 50.1);
  }

  @Test
  void framesOutsideTheMeasuredPeriod_areNotCounted() {
    EmbeddedChannel ch = viewer(Protocol.RELAYED);
    shared.measure(NOW + 1, NOW + 2);
    ch.writeInbound(new TextWebSocketFrame("{\"n\":1,\"sent\":" + NOW + "}"));
    assertThat(tally(ch).frames).isZero();
  }

  @Test
  void closeAfterReady_isCountedAsClosedEarly_unlessTheBenchIsClosing() {
    EmbeddedChannel ch = viewer(Protocol.RELAYED);
    ch.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
    ch.close();
    assertThat(shared.closedCount()).isEqualTo(1);
    assertThat(shared.failedCount()).isZero();
  }
}
