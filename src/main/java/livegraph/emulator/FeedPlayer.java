package livegraph.emulator;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a {@link Feed} to the {@code 155-questions-active} subscribers: one task on one event
 * loop takes the next frame, waits its delay, sends it, and repeats until the feed ends.
 *
 * <p>Due times are kept on an absolute schedule (previous due time + delay), so the time the
 * loop spends sending does not slow the feed below its rate. Playing starts when the first
 * client subscribes, so a client that connects after start-up misses nothing of a replay;
 * with a {@link Resender} it starts at once (see {@link StackExchangeEmulator.Builder#resendRecent})
 * and frames are played whether anyone is subscribed or not.
 */
final class FeedPlayer {

  private static final Logger LOG = LoggerFactory.getLogger(FeedPlayer.class);

  private final Feed feed;
  private final EventExecutor loop;
  private final Clients clients;
  private final Resender resender; // null: no re-sending, subscribers join the live group directly
  private final Consumer<String> onFrame; // called on the loop with every frame played
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean stopped;
  private Future<?> pending; // owned by loop
  private long dueNanos; // owned by loop; System.nanoTime of the last frame's due time
  private boolean held; // owned by loop: generation paused (a test's quiet moment)
  private String heldFrame; // owned by loop: the frame that came due while held, played on resume

  FeedPlayer(Feed feed, EventExecutor loop, Clients clients, Resender resender,
      Consumer<String> onFrame) {
    this.feed = feed;
    this.loop = loop;
    this.clients = clients;
    this.resender = resender;
    this.onFrame = onFrame;
  }

  /** Whether subscribers go through {@link #subscribe}, {@link #unsubscribe}, {@link #writable}. */
  boolean resends() {
    return resender != null;
  }

  /** Clients still being re-sent to (0 without re-sending). Any thread. */
  int resendsInProgress() {
    return resender == null ? 0 : resender.catchingUp();
  }

  /** Re-sends the recent frames to {@code ch}, then makes it live; on the loop. Any thread. */
  void subscribe(Channel ch) {
    execute(() -> resender.subscribe(ch));
  }

  /** Any thread; ordered after an earlier {@link #subscribe} of the same channel. */
  void unsubscribe(Channel ch) {
    execute(() -> resender.unsubscribe(ch));
  }

  /** {@code ch} can take more; continues its re-send if it is catching up. Any thread. */
  void writable(Channel ch) {
    execute(() -> resender.writable(ch));
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

  /**
   * Pauses or resumes the feed itself: while paused no frame is taken from it, played or kept,
   * so an oracle of frames played stays exact (unlike {@code dataPaused}, which plays frames to
   * nobody). On resume the feed goes on from now, not in a burst. Any thread.
   */
  void generationPaused(boolean paused) {
    execute(() -> {
      held = paused;
      if (!paused && heldFrame != null && !stopped) {
        String frame = heldFrame;
        heldFrame = null;
        dueNanos = System.nanoTime();
        play(frame);
        advance();
      }
    });
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
      if (stopped) {
        return;
      }
      if (held) {
        heldFrame = timed.frame(); // played when generation resumes
        return;
      }
      play(timed.frame());
      advance();
    }, wait, TimeUnit.NANOSECONDS);
  }

  private void play(String frame) {
    clients.framesGenerated.increment();
    try {
      onFrame.accept(frame);
    } catch (RuntimeException e) {
      LOG.warn("data frame listener failed: {}", e.toString());
    }
    if (resender != null) {
      resender.play(frame);
    } else {
      clients.sendData(clients.subscribedActive, frame);
    }
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
