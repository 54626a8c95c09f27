package livegraph.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The emulator's fault pieces on in-memory channels, with the event loop's time driven by the test. */
class FaultModesTest {

  private static final long INTERVAL_MS = 100;
  private static final long TIMEOUT_MS = 250;

  private final Clients clients = new Clients();

  private EmbeddedChannel subscribedChannel() {
    EmbeddedChannel ch = new EmbeddedChannel(new ClientHandler(clients, () -> { },
        TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS), TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS)));
    ch.freezeTime();
    ch.pipeline().fireUserEventTriggered(
        new WebSocketServerProtocolHandler.HandshakeComplete("/", new DefaultHttpHeaders(), null));
    ch.writeInbound(new TextWebSocketFrame(Frames.ACTIVE_CHANNEL));
    return ch;
  }

  private static void advance(EmbeddedChannel ch, long millis) {
    ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
  }

  private static int outbound(EmbeddedChannel ch) {
    int n = 0;
    for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
      n++;
      ReferenceCountUtil.release(o);
    }
    return n;
  }

  @Test
  void heartbeatsPaused_noneSent_noneAwaited_soTheClientIsNeverDropped_dataStillFlows() {
    EmbeddedChannel ch = subscribedChannel();
    clients.heartbeatsPaused(true);
    advance(ch, 10 * TIMEOUT_MS);
    assertThat(outbound(ch)).isZero();
    assertThat(clients.droppedForMissedHeartbeats.sum()).isZero();
    assertThat(clients.sendData(clients.subscribedActive, "data")).isEqualTo(1);
    assertThat(outbound(ch)).isEqualTo(1);

    clients.heartbeatsPaused(false);
    advance(ch, INTERVAL_MS);
    assertThat(outbound(ch)).isEqualTo(1);
    ch.finishAndReleaseAll();
  }

  @Test
  void hung_sendsNeitherDataNorHeartbeats_andKeepsTheConnectionOpen() {
    EmbeddedChannel ch = subscribedChannel();
    clients.hung(true);
    advance(ch, 10 * TIMEOUT_MS);
    assertThat(clients.sendData(clients.subscribedActive, "data")).isZero();
    assertThat(clients.sendData(clients.subscribedActive, new byte[] {1}, true)).isZero();
    assertThat(outbound(ch)).isZero();
    assertThat(ch.isOpen()).isTrue();
    clients.hung(false);
    assertThat(clients.sendData(clients.subscribedActive, "data")).isEqualTo(1);
    ch.finishAndReleaseAll();
  }

  @Test
  void rawBytes_goOutAsTextOrBinaryFrames_unchanged() {
    EmbeddedChannel ch = subscribedChannel();
    byte[] notUtf8 = {'{', (byte) 0xFF, '}'};
    assertThat(clients.sendData(clients.subscribedActive, notUtf8, false)).isEqualTo(1);
    assertThat(clients.sendData(clients.subscribedActive, notUtf8, true)).isEqualTo(1);
    Object text = ch.readOutbound();
    Object binary = ch.readOutbound();
    try {
      assertThat(text).isInstanceOf(TextWebSocketFrame.class);
      assertThat(ByteBufUtil.getBytes(((TextWebSocketFrame) text).content())).isEqualTo(notUtf8);
      assertThat(binary).isInstanceOf(BinaryWebSocketFrame.class);
      assertThat(ByteBufUtil.getBytes(((BinaryWebSocketFrame) binary).content()))
          .isEqualTo(notUtf8);
    } finally {
      ReferenceCountUtil.release(text);
      ReferenceCountUtil.release(binary);
    }
    ch.finishAndReleaseAll();
  }

  @Test
  void trickle_writesTheFrameAChunkPerInterval_andHoldsBackOtherFramesAndHeartbeatsMeanwhile() {
    EmbeddedChannel ch = subscribedChannel();
    byte[] payload = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
    ByteBuf raw = ServerFrames.encode(ch.alloc(), ServerFrames.TEXT, payload);
    byte[] expected = ByteBufUtil.getBytes(raw);
    Trickle.start(ch, raw, 4, TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS / 2));
    ch.runPendingTasks();

    ByteArrayOutputStream received = new ByteArrayOutputStream();
    int chunks = 0;
    for (int i = 0; i < 20 && received.size() < expected.length; i++) {
      for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
        assertThat(o).as("only the trickled bytes while it runs").isInstanceOf(ByteBuf.class);
        ByteBuf chunk = (ByteBuf) o;
        assertThat(chunk.readableBytes()).isLessThanOrEqualTo(4);
        received.writeBytes(ByteBufUtil.getBytes(chunk));
        chunk.release();
        chunks++;
      }
      if (received.size() < expected.length) {
        assertThat(Clients.trickling(ch)).isTrue();
        assertThat(clients.sendData(clients.subscribedActive, "interrupting")).isZero();
      }
      advance(ch, INTERVAL_MS / 2);
    }
    assertThat(received.toByteArray()).isEqualTo(expected);
    assertThat(chunks).isEqualTo((expected.length + 3) / 4);
    assertThat(Clients.trickling(ch)).isFalse();
    assertThat(clients.framesSkippedSlow.sum()).isPositive();
    assertThat(clients.droppedForMissedHeartbeats.sum()).isZero();
    assertThat(clients.sendData(clients.subscribedActive, "after")).isEqualTo(1);
    ch.finishAndReleaseAll();
  }

  @Test
  void trickle_onAClientAlreadyTrickling_isRefused_andReleased() {
    EmbeddedChannel ch = subscribedChannel();
    Trickle.start(ch, Unpooled.buffer().writeBytes(new byte[8]), 1, 1_000_000);
    ch.runPendingTasks();
    ByteBuf second = Unpooled.buffer().writeBytes(new byte[8]);
    Trickle.start(ch, second, 1, 1_000_000);
    ch.runPendingTasks();
    assertThat(second.refCnt()).isZero();
    ch.finishAndReleaseAll();
  }

  @Test
  void flood_writesExactlyTheCount_asWholeTextFrames_andEndsWhenTheClientCloses()
      throws Exception {
    EmbeddedChannel ch = subscribedChannel();
    outbound(ch); // nothing but what subscribing wrote
    String frame = "fr\u00e9me";
    long count = 3 * Flood.BATCH + 7;
    Flood flood = Flood.start(frame, count, List.of(ch));
    // What a client reads: the batches' bytes, decoded as WebSocket frames.
    EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(false, false, 1 << 16));
    int written = 0;
    for (int i = 0; i < 100 && !flood.done(); i++) {
      ch.runPendingTasks();
      for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
        assertThat(o).isInstanceOf(ByteBuf.class);
        client.writeInbound(o);
      }
      for (Object o = client.readInbound(); o != null; o = client.readInbound()) {
        assertThat(o).isInstanceOf(TextWebSocketFrame.class);
        assertThat(((TextWebSocketFrame) o).text()).isEqualTo(frame);
        assertThat(((TextWebSocketFrame) o).isFinalFragment()).isTrue();
        ReferenceCountUtil.release(o);
        written++;
      }
    }
    assertThat(flood.done()).isTrue();
    assertThat(written).isEqualTo(count);
    assertThat(flood.framesSent()).isEqualTo(count);
    client.finishAndReleaseAll();

    EmbeddedChannel gone = subscribedChannel();
    gone.close();
    Flood cut = Flood.start("frame", 10L * Flood.BATCH, List.of(gone));
    gone.runPendingTasks();
    assertThat(cut.done()).isTrue();
    assertThat(cut.framesSent()).isZero();
  }

  @Test
  void floodFrameEncoding_everyLengthForm_readsBackAsTheText() {
    EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(false, false, 1 << 20));
    for (int n : new int[] {0, 125, 126, 65_535, 65_536, 200_000}) {
      String text = "x".repeat(n);
      client.writeInbound(Unpooled.wrappedBuffer(
          Flood.encodeTextFrame(text.getBytes(StandardCharsets.UTF_8))));
      TextWebSocketFrame read = client.readInbound();
      assertThat(read.text()).as("length %d", n).isEqualTo(text);
      read.release();
    }
    Object nothingMore = client.readInbound();
    assertThat(nothingMore).isNull();
    client.finishAndReleaseAll();
  }

  @Test
  void flood_toNoClients_isDoneAtOnce() {
    Flood flood = Flood.start("frame", 5, List.of());
    assertThat(flood.done()).isTrue();
    assertThat(flood.framesSent()).isZero();
  }
}
