package livegraph.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteLaneTest {

  /** What a browser would read from the bytes the server channel wrote. */
  private static List<WebSocketFrame> read(EmbeddedChannel server) {
    EmbeddedChannel client = new EmbeddedChannel(
        new WebSocket13FrameDecoder(false, false, 1 << 20));
    ByteBuf out;
    while ((out = server.readOutbound()) != null) {
      client.writeInbound(out);
    }
    List<WebSocketFrame> frames = new ArrayList<>();
    WebSocketFrame f;
    while ((f = client.readInbound()) != null) {
      frames.add(f);
    }
    return frames;
  }

  private static byte[] text(int length, char fill) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) fill);
    return b;
  }

  @Test
  void sharedMessages_reachEachViewer_asTextFrames_ofEveryLengthForm_inSendOrder() {
    EmbeddedChannel a = new EmbeddedChannel();
    WriteLane lane = new WriteLane(a.eventLoop());
    ChannelViewer viewer = new ChannelViewer(a, lane);
    // 7-bit, 16-bit and 64-bit payload lengths, each side of the boundaries
    byte[][] messages = {text(0, 'a'), text(125, 'b'), text(126, 'c'), text(65_535, 'd'),
        text(65_536, 'e'), text(300_000, 'f')};
    for (byte[] m : messages) {
      viewer.send(m);
    }
    assertNull(a.readOutbound(), "nothing is written before the lane's task runs");
    a.runPendingTasks();
    List<WebSocketFrame> frames = read(a);
    assertEquals(messages.length, frames.size());
    for (int i = 0; i < messages.length; i++) {
      TextWebSocketFrame frame = assertInstanceOf(TextWebSocketFrame.class, frames.get(i));
      assertTrue(frame.isFinalFragment());
      assertEquals(new String(messages[i], StandardCharsets.UTF_8), frame.text());
      frame.release();
    }
  }

  @Test
  void oneMessage_toSeveralViewers_isFramedOnce_andEveryDuplicateIsReleased() {
    EmbeddedChannel a = new EmbeddedChannel();
    WriteLane lane = new WriteLane(a.eventLoop());
    // Several viewers on one loop: EmbeddedChannels share no loop, so use one channel per lane
    // and send the same array through two viewers of the same channel.
    ChannelViewer first = new ChannelViewer(a, lane);
    ChannelViewer second = new ChannelViewer(a, lane);
    byte[] delta = "{\"type\":\"delta\",\"seq\":7}".getBytes(StandardCharsets.UTF_8);
    first.send(delta);
    second.send(delta);
    a.runPendingTasks();
    ByteBuf one = a.readOutbound();
    ByteBuf two = a.readOutbound();
    assertSame(one.unwrap(), two.unwrap(), "both writes are views of one framed buffer");
    assertEquals(2, one.refCnt(), "the lane released its own reference after the run");
    one.release();
    two.release();
    assertEquals(0, one.unwrap().refCnt(), "the duplicates were the only references left");
  }

  @Test
  void close_isWritten_afterTheFramesQueuedBeforeIt() {
    EmbeddedChannel a = new EmbeddedChannel();
    ChannelViewer viewer = new ChannelViewer(a, new WriteLane(a.eventLoop()));
    viewer.send("{\"type\":\"error\",\"message\":\"x\"}".getBytes(StandardCharsets.UTF_8));
    viewer.close(1013, "too slow");
    a.runPendingTasks();
    ByteBuf frame = a.readOutbound();
    List<WebSocketFrame> first = new ArrayList<>();
    EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));
    client.writeInbound(frame);
    first.add(client.readInbound());
    assertInstanceOf(TextWebSocketFrame.class, first.get(0));
    Object close = a.readOutbound();
    CloseWebSocketFrame closeFrame = assertInstanceOf(CloseWebSocketFrame.class, close);
    assertEquals(1013, closeFrame.statusCode());
    closeFrame.release();
    first.get(0).release();
    assertFalse(a.isOpen(), "closed once the close frame was written");
  }

  @Test
  void viewer_isNotWritable_whileTheLaneHoldsItsHighWaterMark_andIsAgainOnceWritten() {
    EmbeddedChannel a = new EmbeddedChannel();
    ChannelViewer viewer = new ChannelViewer(a, new WriteLane(a.eventLoop()));
    byte[] big = text(ViewerServer.HIGH_WATER / 4, 'x');
    for (int i = 0; i < 3; i++) {
      viewer.send(big);
    }
    assertTrue(viewer.writable(), "three quarters of the mark");
    viewer.send(big);
    assertFalse(viewer.writable(), "the mark reached in the lane, before any write");
    assertEquals(4L * big.length, viewer.queuedBytes());
    a.runPendingTasks();
    assertTrue(viewer.writable());
    for (WebSocketFrame f : read(a)) {
      f.release();
    }
  }
}
