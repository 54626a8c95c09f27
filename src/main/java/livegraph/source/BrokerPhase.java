package livegraph.source;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import livegraph.source.SourceStatus.State;
import org.slf4j.Logger;

/**
 * The connection state of one broker source and its counters, written by whichever library
 * thread learns of a change and read from any thread.
 *
 * <p>CLOSED is final: once {@link #close()} ran, a late callback of the client library (a
 * reconnect that completed meanwhile, say) cannot make a closed source look alive again.
 */
final class BrokerPhase {

  private final String source;
  private final Logger log;
  private final SourceCounters counters = new SourceCounters();
  // Replaced as a whole so state and detail are always read together.
  private volatile Snapshot current = new Snapshot(State.CONNECTING, "not started");
  private volatile Consumer<SourceStatus> listener; // may be null; called under this lock

  private record Snapshot(State state, String detail) {}

  BrokerPhase(String source, Logger log) {
    this.source = source;
    this.log = log;
  }

  SourceCounters counters() {
    return counters;
  }

  State state() {
    return current.state();
  }

  boolean closed() {
    return current.state() == State.CLOSED;
  }

  /** Receives every status change (tests record them); must not block. */
  void listener(Consumer<SourceStatus> listener) {
    this.listener = listener;
  }

  /**
   * Moves to {@code state} unless the source is closed.
   *
   * @return whether the state was taken (false once closed)
   */
  synchronized boolean set(State state, String detail) {
    if (current.state() == State.CLOSED) {
      return false;
    }
    current = new Snapshot(state, detail);
    if (state == State.RECONNECTING || state == State.FAILED) {
      // The one log line per failure; backoff limits how often it can appear.
      log.warn("{}: {}", source, detail);
    }
    Consumer<SourceStatus> l = listener;
    if (l != null) {
      try {
        l.accept(status(0));
      } catch (RuntimeException e) {
        log.warn("{}: status listener failed: {}", source, e.toString());
      }
    }
    return true;
  }

  /**
   * Marks the source closed for good.
   *
   * @return false when it already was
   */
  synchronized boolean close() {
    notifyAll(); // ends a backoff wait at once
    return set(State.CLOSED, "closed");
  }

  /**
   * Waits {@code millis}, or less if the source is closed meanwhile: the backoff wait of a
   * source that reconnects on a thread of its own.
   *
   * @return whether the source is still open
   */
  synchronized boolean awaitUnlessClosed(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    long left;
    while (!closed() && (left = deadline - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return !closed();
  }

  /**
   * The status now.
   *
   * @param libraryDropped messages the client library discarded itself (a NATS slow consumer),
   *     counted as dropped along with the ones the sink refused
   */
  SourceStatus status(long libraryDropped) {
    Snapshot s = current;
    SourceStatus base = counters.status(s.state(), s.detail());
    if (libraryDropped == 0) {
      return base;
    }
    return new SourceStatus(
        base.state(), base.detail(), base.events(), base.dropped() + libraryDropped,
        base.heartbeats(), base.skipped(), base.reconnects());
  }

  /**
   * The reconnect delays of one source, with a random generator of its own seeded from the
   * shared one (on the thread that builds sources): broker sources draw from it on client
   * library threads, and the context's generator need not be thread-safe.
   */
  static Backoff backoff(SourceContext context) {
    RandomGenerator own = new SplittableRandom(context.random().nextLong());
    return new Backoff(context.backoffBase(), context.backoffCap(), own);
  }

  /**
   * A short reason for a status line from a client library's exception: the innermost cause
   * that says something, "connection refused" rather than the syscall and errno around it.
   */
  static String describe(Throwable error) {
    if (error == null) {
      return "connection lost";
    }
    // Libraries wrap the socket's exception as a cause (HiveMQ, jnats) or, one per address
    // tried, as suppressed exceptions (Jedis): look through both, a few levels deep.
    Throwable cause = innermost(error, 0);
    String message = cause.getMessage();
    if (cause instanceof ConnectException || (message != null && message.contains("Connection refused"))) {
      return "connection refused";
    }
    if (cause instanceof SocketTimeoutException) {
      return "timed out";
    }
    if (message == null || message.isBlank()) {
      message = error.getMessage();
    }
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }

  private static Throwable innermost(Throwable error, int depth) {
    if (error instanceof ConnectException || error instanceof SocketTimeoutException || depth > 8) {
      return error;
    }
    if (error.getCause() != null && error.getCause() != error) {
      return innermost(error.getCause(), depth + 1);
    }
    Throwable[] suppressed = error.getSuppressed();
    if (suppressed.length > 0) {
      return innermost(suppressed[suppressed.length - 1], depth + 1);
    }
    return error;
  }
}
