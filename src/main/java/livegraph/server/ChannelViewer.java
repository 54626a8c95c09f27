package livegraph.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.concurrent.TimeUnit;
import livegraph.hub.Viewer;

/**
 * A viewer on a Netty channel.
 *
 * <p>{@link #send} wraps the hub's shared array without copying it; the channel's write-buffer
 * water marks (set on the server) are the bounded outbound queue, and {@link #writable()}
 * reports whether it is below the high mark.
 */
final class ChannelViewer implements Viewer {

  /** How long a closed viewer has to take the close frame before the socket is just closed. */
  static final long CLOSE_GRACE_SECONDS = 5;

  private final Channel channel;

  ChannelViewer(Channel channel) {
    this.channel = channel;
  }

  @Override
  public boolean writable() {
    return channel.isWritable();
  }

  @Override
  public void send(byte[] message) {
    channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(message)),
        channel.voidPromise());
  }

  @Override
  public long queuedBytes() {
    // A volatile read of the count that also drives isWritable(); null once closed.
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  @Override
  public void close(int code, String reason) {
    channel.writeAndFlush(new CloseWebSocketFrame(code, reason))
        .addListener(ChannelFutureListener.CLOSE);
    // A viewer that stopped reading never lets the close frame out (it waits behind the
    // backlog), so the close above would never happen and the backlog stay in the heap:
    // after a grace period the connection is closed without it.
    channel.eventLoop().schedule(() -> {
      if (channel.isOpen()) {
        channel.close();
      }
    }, CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "viewer " + channel.remoteAddress();
  }
}
