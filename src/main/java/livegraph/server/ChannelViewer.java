package livegraph.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import livegraph.hub.Viewer;

/**
 * A viewer on a Netty channel, written through its event loop's {@link WriteLane}.
 *
 * <p>Bound. What the viewer has queued is the bytes handed to the lane and not yet written
 * ({@link #handed}) plus the channel's write buffer (its water marks, set on the server). It is
 * {@link #writable()} while the channel is and the bytes in the lane are under {@link
 * ViewerServer#HIGH_WATER}; a hub sends nothing to a viewer that is not, so its backlog is at most
 * twice the high-water mark plus one message.
 */
final class ChannelViewer implements Viewer {

  /** How long a closed viewer has to take the close frame before the socket is just closed. */
  static final long CLOSE_GRACE_SECONDS = 5;

  private final Channel channel;
  private final WriteLane lane;
  private final AtomicLong handed = new AtomicLong(); // queued in the lane, not yet written
  private boolean written; // written by the lane's current run, flush pending; lane's loop only

  ChannelViewer(Channel channel, WriteLane lane) {
    if (lane.loop() != channel.eventLoop()) {
      throw new IllegalArgumentException("the lane of another event loop");
    }
    this.channel = channel;
    this.lane = lane;
  }

  Channel channel() {
    return channel;
  }

  @Override
  public boolean writable() {
    return channel.isWritable() && handed.get() < ViewerServer.HIGH_WATER;
  }

  /** Queues the message on the lane; the array is shared and never copied. Any thread. */
  @Override
  public void send(byte[] message) {
    handed.addAndGet(message.length);
    lane.send(this, message);
  }

  /** The lane took {@code bytes} of this viewer's for writing. */
  void taken(int bytes) {
    handed.addAndGet(-bytes);
  }

  /** Marks a write of this lane run; true the first time, when the lane must flush it later. */
  boolean markWritten() {
    if (written) {
      return false;
    }
    written = true;
    return true;
  }

  /** The lane's run is over: one flush for all it wrote here. */
  void flushFromLane() {
    written = false;
    channel.flush();
  }

  @Override
  public long queuedBytes() {
    // Volatile reads; the buffer is null once closed.
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    return handed.get() + (buffer == null ? 0 : buffer.totalPendingWriteBytes());
  }

  /** Closes after every frame queued before it. */
  @Override
  public void close(int code, String reason) {
    lane.close(this, code, reason);
    // A viewer that stopped reading never lets the close frame out (it waits behind the
    // backlog), so the close would never happen and the backlog stay in the heap: after a
    // grace period the connection is closed without it.
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
