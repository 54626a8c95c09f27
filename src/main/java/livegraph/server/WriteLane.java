package livegraph.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One event loop's hand-off for the frames its viewers are sent: any thread queues (viewer,
 * message) pairs, and one task on the loop writes all that is queued, then flushes each viewer it
 * wrote to once.
 *
 * <p>Why. Writing to a channel from another thread makes Netty queue one task per write and wake
 * the loop for it; a hub publishing to 5,000 viewers made 5,000 such tasks per delta, each
 * framing the WebSocket header and wrapping the array again (the fan-out profile in
 * BENCHMARKS.md). Here a publish costs one queue offer per viewer and one task per loop; the
 * complete WebSocket frame (header and payload, unmasked as server frames are) is built once per
 * loop per message in a direct buffer and each viewer is written a duplicate of it, so the
 * socket write reads the shared bytes without a copy; and the frames one viewer is owed by one
 * run go out in one flush.
 *
 * <p>Order. Pairs are written in the order they were queued: a hub queues under its lock, so
 * every viewer's frames keep the hub's order, and a viewer's own messages (an {@code error}, a
 * close) queued on its loop after a hub's frames follow them.
 *
 * <p>Bound. The queue itself is not bounded by count: each viewer bounds what it has queued here
 * (see {@link ChannelViewer#writable()}), and a hub sends nothing to a viewer that is not
 * writable, so the queue holds at most every viewer's high-water mark plus one message each;
 * the messages are shared, so its memory is far less. A run writes at most {@link #MAX_PER_RUN}
 * pairs, then yields the loop to its sockets and continues in a new task.
 *
 * <p>Threads: {@link #send} and {@link #close} from any thread; the rest on {@link #loop} only.
 */
final class WriteLane {

  static final int MAX_PER_RUN = 16_384;

  /** A queued write: {@code message} to {@code viewer}, or a close when message is null. */
  private record Pending(ChannelViewer viewer, byte[] message, int code, String reason) {}

  private final EventLoop loop;
  private final Queue<Pending> queue = PlatformDependent.newMpscQueue();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable run = this::run;
  private final List<ChannelViewer> written = new ArrayList<>(); // loop only
  private byte[] framedMessage; // the message framedBuffer holds; loop only, within one run
  private ByteBuf framedBuffer; // loop only, released at the end of each run

  WriteLane(EventLoop loop) {
    this.loop = loop;
  }

  EventLoop loop() {
    return loop;
  }

  /** Queues {@code message} as one text frame to {@code viewer}; any thread. */
  void send(ChannelViewer viewer, byte[] message) {
    queue.offer(new Pending(viewer, message, 0, null));
    schedule();
  }

  /** Queues a close frame (then the close) after everything queued for the viewer; any thread. */
  void close(ChannelViewer viewer, int code, String reason) {
    queue.offer(new Pending(viewer, null, code, reason));
    schedule();
  }

  private void schedule() {
    if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
      loop.execute(run);
    }
  }

  private void run() {
    // scheduled stays set while this run drains, so offers made meanwhile (a publisher still
    // walking its viewers) join this run instead of each scheduling a task and waking the loop.
    int n = 0;
    boolean finished = false;
    try {
      for (;;) {
        Pending p = queue.poll();
        if (p == null) {
          scheduled.set(false);
          // An offer between that poll and the clear saw scheduled set and left it to us.
          if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
            break;
          }
          continue;
        }
        deliver(p);
        if (++n == MAX_PER_RUN) {
          loop.execute(run); // still scheduled: the rest in a task of its own, after the I/O
          break;
        }
      }
      finished = true;
    } finally {
      for (ChannelViewer viewer : written) {
        viewer.flushFromLane();
      }
      written.clear();
      if (framedBuffer != null) {
        framedBuffer.release();
        framedBuffer = null;
        framedMessage = null;
      }
      if (!finished) { // a write threw: never leave the lane marked scheduled with no task
        scheduled.set(false);
        if (!queue.isEmpty()) {
          schedule();
        }
      }
    }
  }

  private void deliver(Pending p) {
    ChannelViewer viewer = p.viewer();
    if (p.message() == null) {
      viewer.channel().writeAndFlush(new CloseWebSocketFrame(p.code(), p.reason()))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    viewer.taken(p.message().length);
    if (!viewer.channel().isActive()) {
      return; // gone: its handler has left the hub; nothing to write to
    }
    if (p.message() != framedMessage) {
      if (framedBuffer != null) {
        framedBuffer.release();
      }
      framedBuffer = TextFrames.frame(viewer.channel().alloc(), p.message());
      framedMessage = p.message();
    }
    viewer.channel().write(framedBuffer.retainedDuplicate(), viewer.channel().voidPromise());
    if (viewer.markWritten()) {
      written.add(viewer);
    }
  }
}
