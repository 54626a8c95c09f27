package livegraph.source;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that stayed silent for too long: some upstreams keep a socket open (and
 * even answer keep-alives) yet stop delivering, and only a timeout notices.
 *
 * <p>The check runs on the channel's event loop ticker and reschedules itself for the
 * remaining time, so a sign of life costs one field write, not a timer per message. Owned by
 * the channel's event loop.
 */
final class SilenceWatchdog {

  private final long silenceNanos;
  private final Runnable expired;
  private ChannelHandlerContext ctx; // set by start()
  private long lastNanos; // ticker time of the last sign of life
  private ScheduledFuture<?> check;

  /** {@code expired} runs on the event loop once the connection was silent for {@code silence}. */
  SilenceWatchdog(Duration silence, Runnable expired) {
    this.silenceNanos = silence.toNanos();
    this.expired = expired;
  }

  /** Starts watching; the connection counts as alive now. */
  void start(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    lastNanos = now();
    schedule(silenceNanos);
  }

  /** A sign of life. */
  void alive() {
    if (ctx != null) {
      lastNanos = now();
    }
  }

  void stop() {
    if (check != null) {
      check.cancel(false);
      check = null;
    }
  }

  /** The silence limit, for status lines: "no data for 5 s". */
  String limit() {
    return Durations.human(TimeUnit.NANOSECONDS.toMillis(silenceNanos));
  }

  private void schedule(long delayNanos) {
    check = ctx.executor().schedule(this::run, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void run() {
    check = null;
    if (!ctx.channel().isActive()) {
      return;
    }
    long silentFor = now() - lastNanos;
    if (silentFor < silenceNanos) {
      schedule(silenceNanos - silentFor);
      return;
    }
    expired.run();
  }

  private long now() {
    return ctx.executor().ticker().nanoTime();
  }
}
