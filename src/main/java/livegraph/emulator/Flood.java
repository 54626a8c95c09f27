package livegraph.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One flood: a fixed number of copies of one frame to each client, as fast as its socket takes
 * them. Started by {@link StackExchangeEmulator#flood}; readable from any thread.
 *
 * <p>Backpressure: each client gets batches of {@value #BATCH} frames and the next batch is
 * written only once the last one reached the socket, so the emulator buffers at most one batch
 * per client however slowly it reads; the rate reached is the rate the client takes. The frame
 * is encoded once and shared.
 */
public final class Flood {

  /** Frames written per client per event-loop task. */
  static final int BATCH = 256;

  private final ByteBuf frame;
  private final long perClient;
  private final LongAdder sent = new LongAdder();
  private final AtomicInteger running;
  private final CountDownLatch done;
  private final long startNanos = System.nanoTime();
  private volatile long endNanos;

  private Flood(String frame, long perClient, int clients) {
    // Shared by every write as a duplicate; unreleasable, because each write releases its
    // frame and a duplicate shares the count. A heap buffer, so the collector frees it.
    this.frame = Unpooled.unreleasableBuffer(
        Unpooled.wrappedBuffer(frame.getBytes(StandardCharsets.UTF_8)));
    this.perClient = perClient;
    this.running = new AtomicInteger(clients);
    this.done = new CountDownLatch(1);
    if (clients == 0) {
      finishAll();
    }
  }

  static Flood start(String frame, long perClient, Collection<Channel> clients) {
    Flood flood = new Flood(frame, perClient, clients.size());
    for (Channel ch : clients) {
      ch.eventLoop().execute(flood.new Writer(ch));
    }
    return flood;
  }

  /** Frames the clients' sockets took so far, summed over clients. */
  public long framesSent() {
    return sent.sum();
  }

  /** Whether every client got all its frames or closed. */
  public boolean done() {
    return done.getCount() == 0;
  }

  /** Waits up to {@code timeout} for {@link #done()}; returns it. */
  public boolean await(java.time.Duration timeout) throws InterruptedException {
    return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Frames per second from the start to the end (or to now, while running). */
  public double framesPerSecond() {
    long end = done() ? endNanos : System.nanoTime();
    long nanos = Math.max(1, end - startNanos);
    return framesSent() * 1e9 / nanos;
  }

  private void finishAll() {
    endNanos = System.nanoTime();
    done.countDown();
  }

  /** Writes one client's frames, a batch per task; owned by the client's event loop. */
  private final class Writer implements Runnable {
    private final Channel ch;
    private long remaining = perClient;

    Writer(Channel ch) {
      this.ch = ch;
    }

    @Override
    public void run() {
      if (!ch.isActive() || remaining == 0) {
        end();
        return;
      }
      int n = (int) Math.min(BATCH, remaining);
      for (int i = 1; i < n; i++) {
        ch.write(new TextWebSocketFrame(frame.duplicate()), ch.voidPromise());
      }
      ChannelFuture last = ch.writeAndFlush(new TextWebSocketFrame(frame.duplicate()));
      remaining -= n;
      last.addListener(f -> {
        if (f.isSuccess()) {
          // Frames go out in order: the last one written means the whole batch was.
          sent.add(n);
          // A new task, not a call: a write that completes at once would otherwise recurse,
          // and other tasks (heartbeats, closes) get their turn between batches.
          ch.eventLoop().execute(this);
        } else {
          end();
        }
      });
    }

    private void end() {
      if (running.decrementAndGet() == 0) {
        finishAll();
      }
    }
  }
}
