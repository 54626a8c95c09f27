package livegraph.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.concurrent.TimeUnit;

/**
 * Sends one encoded WebSocket frame to one client a few bytes at a time, a chunk per interval,
 * on the client's event loop. While it runs the client is marked {@link #BUSY} and gets no
 * other frame, which would land inside this one.
 */
final class Trickle implements Runnable {

  /** Set on a client's channel while a trickle writes to it. */
  static final AttributeKey<Boolean> BUSY = AttributeKey.valueOf("livegraph.emulator.trickle");

  private final Channel ch;
  private final ByteBuf bytes; // released when the trickle ends; owned by ch's event loop
  private final int chunk;
  private final long intervalNanos;

  private Trickle(Channel ch, ByteBuf bytes, int chunk, long intervalNanos) {
    this.ch = ch;
    this.bytes = bytes;
    this.chunk = chunk;
    this.intervalNanos = intervalNanos;
  }

  /** Starts trickling {@code bytes} (which it then owns) to {@code ch}. */
  static void start(Channel ch, ByteBuf bytes, int chunk, long intervalNanos) {
    ch.eventLoop().execute(() -> {
      if (Boolean.TRUE.equals(ch.attr(BUSY).get()) || !ch.isActive()) {
        bytes.release(); // one trickle at a time per client
        return;
      }
      ch.attr(BUSY).set(true);
      new Trickle(ch, bytes, chunk, intervalNanos).run();
    });
  }

  @Override
  public void run() {
    if (!ch.isActive()) {
      end();
      return;
    }
    int n = Math.min(chunk, bytes.readableBytes());
    ch.writeAndFlush(bytes.readRetainedSlice(n), ch.voidPromise());
    if (bytes.isReadable()) {
      ch.eventLoop().schedule(this, intervalNanos, TimeUnit.NANOSECONDS);
    } else {
      end();
    }
  }

  private void end() {
    bytes.release();
    ch.attr(BUSY).set(false);
  }
}
