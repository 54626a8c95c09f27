package livegraph.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.concurrent.atomic.LongAdder;

/**
 * The emulator's connected clients, who is subscribed to what, and the counters; safe to use
 * from any thread (channel groups are concurrent, counters are adders).
 *
 * <p>Channels leave every group by themselves when they close.
 */
final class Clients {

  // Group futures are never used, so no executor thread is needed for them.
  final ChannelGroup connected = new DefaultChannelGroup("connected", ImmediateEventExecutor.INSTANCE);
  final ChannelGroup subscribedAny =
      new DefaultChannelGroup("subscribed", ImmediateEventExecutor.INSTANCE);
  final ChannelGroup subscribedActive =
      new DefaultChannelGroup(Frames.ACTIVE_CHANNEL, ImmediateEventExecutor.INSTANCE);

  final LongAdder subscribeMessages = new LongAdder();
  final LongAdder heartbeatReplies = new LongAdder();
  final LongAdder droppedForMissedHeartbeats = new LongAdder();
  final LongAdder framesSent = new LongAdder();
  final LongAdder framesSkippedSlow = new LongAdder();
  final LongAdder messagesIgnored = new LongAdder();
  final LongAdder framesGenerated = new LongAdder();
  final LongAdder framesLostInResend = new LongAdder();

  private volatile boolean dataPaused;
  private volatile boolean heartbeatsPaused;
  private volatile boolean hung;

  void dataPaused(boolean paused) {
    dataPaused = paused;
  }

  void heartbeatsPaused(boolean paused) {
    heartbeatsPaused = paused;
  }

  void hung(boolean hung) {
    this.hung = hung;
  }

  /** Whether heartbeats go out now: not while they are paused or the emulator hangs. */
  boolean heartbeatsFlow() {
    return !heartbeatsPaused && !hung;
  }

  /** Whether data frames go out now: not while they are paused or the emulator hangs. */
  boolean dataFlows() {
    return !dataPaused && !hung;
  }

  /** Whether {@code ch} is in the middle of a trickled frame, which nothing may interrupt. */
  static boolean trickling(Channel ch) {
    return Boolean.TRUE.equals(ch.attr(Trickle.BUSY).get());
  }

  /**
   * Sends {@code frame} to every channel of {@code targets}; returns how many got it.
   *
   * <p>The text is encoded to bytes once and each client gets a retained duplicate. A client
   * whose outbound buffer is above its high water mark is skipped for this frame (counted in
   * {@link #framesSkippedSlow}), so a slow reader never makes the emulator buffer without
   * bound; so is one in the middle of a trickled frame. Nothing is sent while data is paused
   * or the emulator hangs.
   */
  int sendData(ChannelGroup targets, String frame) {
    if (dataPaused || hung || targets.isEmpty()) {
      return 0;
    }
    return send(targets, ByteBufUtil.writeUtf8(ByteBufAllocator.DEFAULT, frame), false);
  }

  /** {@link #sendData(ChannelGroup, String)} of raw bytes: a text frame (UTF-8 or not) or binary. */
  int sendData(ChannelGroup targets, byte[] payload, boolean binary) {
    if (dataPaused || hung || targets.isEmpty()) {
      return 0;
    }
    ByteBuf bytes = ByteBufAllocator.DEFAULT.buffer(payload.length).writeBytes(payload);
    return send(targets, bytes, binary);
  }

  /**
   * Writes {@code frame} to {@code ch} alone, whatever its buffer holds (the caller checks
   * {@link Channel#isWritable()} first: see {@link Resender}); counted in {@link #framesSent}.
   */
  void sendOne(Channel ch, String frame) {
    ch.writeAndFlush(new TextWebSocketFrame(ByteBufUtil.writeUtf8(ch.alloc(), frame)),
        ch.voidPromise());
    framesSent.increment();
  }

  private int send(ChannelGroup targets, ByteBuf bytes, boolean binary) {
    int sent = 0;
    try {
      for (Channel ch : targets) {
        if (!ch.isActive()) {
          continue;
        }
        if (!ch.isWritable() || trickling(ch)) {
          framesSkippedSlow.increment();
          continue;
        }
        ByteBuf shared = bytes.retainedDuplicate();
        ch.writeAndFlush(binary ? new BinaryWebSocketFrame(shared) : new TextWebSocketFrame(shared),
            ch.voidPromise());
        sent++;
      }
    } finally {
      bytes.release();
    }
    framesSent.add(sent);
    return sent;
  }
}
