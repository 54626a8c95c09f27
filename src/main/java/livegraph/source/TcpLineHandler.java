package livegraph.source;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import livegraph.pipeline.Event;

/**
 * Turns the lines of one TCP connection into events, with backpressure: when the sink is full
 * the connection stops reading (the producer's socket buffer fills and it slows down) and the
 * lines already read wait here, retried every millisecond, each for up to {@link
 * JsonLines#MAX_WAIT_MILLIS} before it is dropped and counted.
 *
 * <p>The waiting queue holds what was already read when reading stopped (one socket read's
 * lines at most) and is capped at {@value #MAX_WAITING} events; beyond that events are dropped
 * and counted. Runs on the source's single event loop, like every connection of the source.
 */
final class TcpLineHandler extends SimpleChannelInboundHandler<ByteBuf> {

  static final int MAX_WAITING = 4096;

  private static final long RETRY_MILLIS = 1;

  /** What the source learns from a connection. */
  interface Listener {

    /** A line arrived (once per connection is enough to reset the backoff). */
    void data();
  }

  private final JsonLines lines;
  private final EventSink sink;
  private final BooleanSupplier sourceClosed;
  private final long maxWaitNanos;
  private final Listener listener;

  // Owned by the event loop.
  private final ArrayDeque<Event> waiting = new ArrayDeque<>();
  private long headSinceNanos;
  private boolean retryScheduled;
  private boolean sawData;
  private String closeReason;

  TcpLineHandler(
      JsonLines lines,
      EventSink sink,
      BooleanSupplier sourceClosed,
      long maxWaitMillis,
      Listener listener) {
    this.lines = lines;
    this.sink = sink;
    this.sourceClosed = sourceClosed;
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
    this.listener = listener;
  }

  /** Why the connection ended, for the status line: the error, else {@code ifClean}. */
  String closeReason(String ifClean) {
    return closeReason == null ? ifClean : closeReason;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    if (sourceClosed.getAsBoolean()) {
      return;
    }
    Event event = lines.decode(frame.nioBuffer());
    if (!sawData) {
      sawData = true;
      listener.data();
    }
    if (event == null) {
      return;
    }
    if (waiting.isEmpty() && lines.offer(sink, event)) {
      return;
    }
    if (waiting.size() >= MAX_WAITING) {
      lines.dropped();
      return;
    }
    if (waiting.isEmpty()) {
      headSinceNanos = System.nanoTime();
    }
    waiting.add(event);
    ctx.channel().config().setAutoRead(false);
    scheduleRetry(ctx);
  }

  private void scheduleRetry(ChannelHandlerContext ctx) {
    if (!retryScheduled) {
      retryScheduled = true;
      ctx.executor().schedule(() -> retry(ctx), RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void retry(ChannelHandlerContext ctx) {
    retryScheduled = false;
    if (sourceClosed.getAsBoolean()) {
      waiting.clear();
      return;
    }
    while (!waiting.isEmpty()) {
      long now = System.nanoTime();
      if (lines.offer(sink, waiting.peek())) {
        waiting.poll();
        headSinceNanos = now;
      } else if (now - headSinceNanos >= maxWaitNanos) {
        waiting.poll();
        lines.dropped();
        headSinceNanos = now;
      } else {
        scheduleRetry(ctx);
        return;
      }
    }
    // Lines read before the producer hung up are still delivered above; only a live
    // connection reads on.
    if (ctx.channel().isActive()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      lines.tooLarge(); // the decoder skips the rest of that line; the connection stays
      return;
    }
    if (closeReason == null) {
      closeReason = ReconnectLoop.describe(cause);
    }
    ctx.close();
  }
}
