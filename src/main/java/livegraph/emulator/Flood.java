package livegraph.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
 * <p>The frame is encoded once as a whole WebSocket frame (RFC 6455 §5.2: a server's frames are
 * unmasked, so every copy is the same bytes) and laid out {@link #copies} times in one block,
 * shared read-only by every client. A batch is one write of a duplicate of that block (a slice
 * for the last, shorter one), past the WebSocket encoder: the encoder's per-frame copy, header
 * and outbound-buffer entry were most of the emulator's time at 100,000 frames/s.
 *
 * <p>Backpressure: the next batch is written only once the last one reached the socket, so at
 * most one block is in flight per client however slowly it reads: at most {@value #BATCH}
 * frames and, for large frames, at most {@value #BLOCK_BYTES} bytes or one frame. The rate
 * reached is the rate the client takes.
 */
public final class Flood {

  /** Most frames in one batch (one write, one block). */
  static final int BATCH = 1024;
  /**
   * Largest block, unless one frame is larger: then a batch is that one frame. Half the high
   * water mark ({@link StackExchangeEmulator#WATER_MARK}), so a flood of small frames alone
   * never makes a client unwritable to the rest of the feed.
   */
  static final int BLOCK_BYTES = 128 * 1024;

  private final ByteBuf block; // copies of the encoded frame, back to back; never written to
  private final int frameBytes;
  private final int copies; // frames in the block: one batch
  private final long perClient;
  private final LongAdder sent = new LongAdder();
  private final AtomicInteger running;
  private final CountDownLatch done;
  private final long startNanos = System.nanoTime();
  private volatile long endNanos;

  private Flood(String frame, long perClient, int clients) {
    byte[] encoded = encodeTextFrame(frame.getBytes(StandardCharsets.UTF_8));
    this.frameBytes = encoded.length;
    this.copies = (int) Math.max(1, Math.min(Math.min(BATCH, perClient), BLOCK_BYTES / frameBytes));
    byte[] bytes = new byte[copies * frameBytes];
    for (int i = 0; i < copies; i++) {
      System.arraycopy(encoded, 0, bytes, i * frameBytes, frameBytes);
    }
    // Shared by every write as a duplicate or slice; unreleasable, because each write releases
    // its buffer and a duplicate shares the count. A heap buffer, so the collector frees it.
    this.block = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes));
    this.perClient = perClient;
    this.running = new AtomicInteger(clients);
    this.done = new CountDownLatch(1);
    if (clients == 0) {
      finishAll();
    }
  }

  /** One final, unmasked text frame holding {@code payload} (RFC 6455 §5.2). */
  static byte[] encodeTextFrame(byte[] payload) {
    int n = payload.length;
    int header = n < 126 ? 2 : n < 65_536 ? 4 : 10;
    byte[] frame = new byte[header + n];
    frame[0] = (byte) 0x81; // FIN, opcode 1: text
    if (n < 126) {
      frame[1] = (byte) n;
    } else if (n < 65_536) {
      frame[1] = 126;
      frame[2] = (byte) (n >>> 8);
      frame[3] = (byte) n;
    } else {
      frame[1] = 127;
      for (int i = 0; i < 8; i++) {
        frame[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
      }
    }
    System.arraycopy(payload, 0, frame, header, n);
    return frame;
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
      int n = (int) Math.min(copies, remaining);
      ByteBuf batch = n == copies ? block.duplicate() : block.slice(0, n * frameBytes);
      ChannelFuture last = ch.writeAndFlush(batch);
      remaining -= n;
      last.addListener(f -> {
        if (f.isSuccess()) {
          // One write: when it completes, the socket took the whole batch.
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
