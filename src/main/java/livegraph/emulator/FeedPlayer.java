package livegraph.emulator;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a {@link Feed} to the {@code 155-questions-active} subscribers: one task on one event
 * loop takes the next frame, waits its delay, sends it, and repeats until the feed ends.
 *
 * <p>Due times are kept on an absolute schedule (previous due time + delay), so the time the
 * loop spends sending does not slow the feed below its rate. Playing starts when the first
 * client subscribes, so a client that connects after start-up misses nothing of a replay.
 */
final class FeedPlayer {

  private static final Logger LOG = LoggerFactory.getLogger(FeedPlayer.class);

  private final Feed feed;
  private final EventExecutor loop;
  private final Clients clients;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean stopped;
  private Future<?> pending; // owned by loop
  private long dueNanos; // owned by loop; System.nanoTime of the last frame's due time

  FeedPlayer(Feed feed, EventExecutor loop, Clients clients) {
    this.feed = feed;
    this.loop = loop;
    this.clients = clients;
  }

  /** Starts playing on the first call; later calls do nothing. Any thread. */
  void startOnce() {
    if (started.compareAndSet(false, true)) {
      execute(() -> {
        dueNanos = System.nanoTime();
        advance();
      });
    }
  }

  /** Stops playing and closes the feed if it is closeable; waits briefly for the loop. */
  void stop() {
    stopped = true;
    Future<?> done = execute(() -> {
      if (pending != null) {
        pending.cancel(false);
      }
      closeFeed();
    });
    if (done != null) {
      done.awaitUninterruptibly(2, TimeUnit.SECONDS);
    } else {
      closeFeed(); // the loop is gone, so nothing else can be using the feed
    }
  }

  private void advance() {
    if (stopped) {
      return;
    }
    Optional<Feed.Timed> next;
    try {
      next = feed.next();
    } catch (RuntimeException e) {
      LOG.warn("feed failed, playing stops: {}", e.toString());
      next = Optional.empty();
    }
    if (next.isEmpty()) {
      LOG.info("feed ended");
      return;
    }
    Feed.Timed timed = next.get();
    dueNanos += Math.max(0, timed.delayNanos());
    long wait = Math.max(0, dueNanos - System.nanoTime());
    pending = loop.schedule(() -> {
      if (!stopped) {
        clients.sendData(clients.subscribedActive, timed.frame());
        advance();
      }
    }, wait, TimeUnit.NANOSECONDS);
  }

  private void closeFeed() {
    if (feed instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.debug("closing feed failed: {}", e.toString());
      }
    }
  }

  private Future<?> execute(Runnable task) {
    try {
      return loop.submit(task);
    } catch (RejectedExecutionException e) {
      return null; // the loop is shutting down; close() handles the rest
    }
  }
}
