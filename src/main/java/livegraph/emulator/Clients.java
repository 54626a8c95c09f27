package livegraph.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
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

  private volatile boolean dataPaused;

  void dataPaused(boolean paused) {
    dataPaused = paused;
  }

  /**
   * Sends {@code frame} to every channel of {@code targets}; returns how many got it.
   *
   * <p>The text is encoded to bytes once and each client gets a retained duplicate. A client
   * whose outbound buffer is above its high water mark is skipped for this frame (counted in
   * {@link #framesSkippedSlow}), so a slow reader never makes the emulator buffer without
   * bound. Nothing is sent while data is paused.
   */
  int sendData(ChannelGroup targets, String frame) {
    if (dataPaused || targets.isEmpty()) {
      return 0;
    }
    ByteBuf bytes = ByteBufUtil.writeUtf8(ByteBufAllocator.DEFAULT, frame);
    int sent = 0;
    try {
      for (Channel ch : targets) {
        if (!ch.isActive()) {
          continue;
        }
        if (!ch.isWritable()) {
          framesSkippedSlow.increment();
          continue;
        }
        ch.writeAndFlush(new TextWebSocketFrame(bytes.retainedDuplicate()), ch.voidPromise());
        sent++;
      }
    } finally {
      bytes.release();
    }
    framesSent.add(sent);
    return sent;
  }
}
