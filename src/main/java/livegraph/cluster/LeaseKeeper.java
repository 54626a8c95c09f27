package livegraph.cluster;

import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import livegraph.pipeline.Clock;
import livegraph.source.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps trying to hold a {@link Lease} and tells a {@link Listener} when it gains or loses it.
 *
 * <p>Design: one chain of steps on the injected executor, each step scheduling the next, so at
 * most one Redis call is in flight. While not held, a step tries {@code SET NX} every third of
 * the ttl, or right after the holder's key expires when that comes sooner ({@code PTTL}); while held, it renews every third of the ttl. The lease counts as lost at the first
 * of: a renewal answered 0 (someone else has the key, or it expired), any Redis error or
 * timeout, or the local deadline ({@link LeaseDeadline}: send time of the last confirmed call +
 * ttl - margin) passing without a confirmed renewal, which every step checks before anything
 * else. Because each call's timeout ({@link Lease#callTimeoutMillis}, a sixth of the ttl) ends a
 * hung renewal by half the ttl, the deadline is reached only when the executor itself ran late;
 * then the loss is declared the moment it runs again, before any renewal could be mistaken for
 * continuity. See {@link LeaseDeadline} for the clock-drift assumption that makes the deadline
 * fall before any other node can acquire. {@link #held()} compares the deadline with the clock
 * itself, so an ingest path that asks it per batch stops at the deadline even when this
 * executor is late; a pause of the whole process longer than the margin could still let one
 * batch go out late, which is why the writer also fences every batch by the lease's value in
 * Redis ({@link EventStreamWriter.Fence}): a late batch is refused there, not written.
 *
 * <p>Redis unreachable: acquisition retries after {@link Backoff} delays, capped at the ttl so a
 * node is back in the race within one ttl of Redis returning.
 *
 * <p>Threads: state is guarded by {@code this}, held by each step for its one bounded Redis
 * call, and by {@link #close()}, which may come from any thread. Listener callbacks run on the
 * executor (or the closing thread) with the lock held, in order; they must return quickly.
 * Pass a monotonic clock ({@link #monotonic()}) in production.
 */
public final class LeaseKeeper implements AutoCloseable {

  /** Told about changes in whether this node holds the lease. */
  public interface Listener {

    /** This node now holds the lease: start ingesting. */
    void onAcquired();

    /** This node no longer holds the lease: stop ingesting at once. */
    void onLost(String reason);
  }

  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

  private final LeaseStore lease;
  private final Listener listener;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final RandomGenerator random;
  private final long ttlMillis;
  private final long intervalMillis;
  private final LeaseDeadline deadline; // guarded by this
  private int failures; // guarded by this: Redis errors in a row, for the backoff
  private ScheduledFuture<?> next; // guarded by this: the pending step
  private boolean closed; // guarded by this
  private volatile boolean held; // written under this; read by any thread
  private volatile long believedUntil; // the deadline's instant while held, for held() readers
  private volatile String lastReason = "not started";

  /**
   * A keeper of {@code lease} that tells {@code listener}, runs its steps on {@code executor} and
   * measures the local deadline with {@code clock} (monotonic in production); {@code random}
   * jitters the backoff. Nothing happens until {@link #start()}.
   */
  public LeaseKeeper(
      Lease lease, Listener listener, ScheduledExecutorService executor, Clock clock, RandomGenerator random) {
    this((LeaseStore) lease, listener, executor, clock, random);
  }

  LeaseKeeper(
      LeaseStore lease, Listener listener, ScheduledExecutorService executor, Clock clock, RandomGenerator random) {
    this.lease = Objects.requireNonNull(lease, "lease");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.ttlMillis = lease.ttl().toMillis();
    this.intervalMillis = renewIntervalMillis(ttlMillis);
    this.deadline = new LeaseDeadline(ttlMillis);
  }

  /** Milliseconds from {@link System#nanoTime()}: never steps back when the wall clock is set. */
  public static Clock monotonic() {
    return () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }

  /** A third of the ttl: two renewals can fail to arrive in time before Redis lets the key go. */
  static long renewIntervalMillis(long ttlMillis) {
    return Math.max(1, ttlMillis / 3);
  }

  /** Starts the first acquire attempt now. */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("lease keeper for " + lease.key() + " is closed");
    }
    if (next == null) {
      schedule(0);
    }
  }

  /**
   * Whether this node may believe it holds the lease now: acquired, not lost, and the local
   * deadline not passed even if the keeper has not run since. Safe from any thread.
   */
  public boolean held() {
    return held && clock.millis() < believedUntil;
  }

  /** Why the lease was last lost or not acquired, for status pages. */
  public String lastReason() {
    return lastReason;
  }

  /** One step of the chain; package-private so unit tests can run it by hand. */
  synchronized void step() {
    if (closed) {
      return;
    }
    long now = clock.millis();
    long delay;
    if (held && !deadline.holds(now)) {
      lose("no renewal confirmed before the local deadline (" + (now - deadline.expiresAtMillis())
          + " ms late)");
    }
    if (held) {
      delay = renew();
    } else {
      delay = acquire();
    }
    schedule(delay);
  }

  /** One renewal; returns the delay to the next step. */
  private long renew() {
    long sent = clock.millis();
    boolean renewed;
    try {
      renewed = lease.renew();
    } catch (RuntimeException e) {
      lose("Redis failed during renewal: " + describe(e));
      return backoffMillis();
    }
    if (!renewed) {
      lose("renewal refused: the key expired or another node holds it");
      return intervalMillis;
    }
    failures = 0;
    deadline.confirmed(sent);
    believedUntil = deadline.expiresAtMillis();
    return Math.min(intervalMillis, deadline.remainingMillis(clock.millis()));
  }

  /** One acquire attempt; returns the delay to the next step. */
  private long acquire() {
    long sent = clock.millis();
    boolean acquired;
    try {
      acquired = lease.tryAcquire();
    } catch (RuntimeException e) {
      lastReason = "Redis unreachable: " + describe(e);
      return backoffMillis();
    }
    failures = 0;
    if (!acquired) {
      lastReason = "held by another node";
      return untilExpiry();
    }
    deadline.confirmed(sent);
    long now = clock.millis();
    if (!deadline.holds(now)) {
      // The reply came so late that the belief would already be over; let the key expire.
      deadline.clear();
      lastReason = "acquire confirmed after the local deadline";
      return intervalMillis;
    }
    believedUntil = deadline.expiresAtMillis();
    held = true;
    lastReason = "held";
    LOG.info("acquired {}", lease);
    try {
      listener.onAcquired();
    } catch (RuntimeException e) {
      LOG.warn("lease listener failed on acquire of {}", lease.key(), e);
    }
    return Math.min(intervalMillis, deadline.remainingMillis(now));
  }

  /**
   * The delay to the next acquire attempt: right after the holder's key expires when that is
   * within a renewal interval (a dead holder is replaced within its ttl, not a third later), else
   * the interval.
   */
  private long untilExpiry() {
    long left;
    try {
      left = lease.remainingMillis();
    } catch (RuntimeException e) {
      return intervalMillis;
    }
    return left < 0 ? intervalMillis : Math.max(1, Math.min(intervalMillis, left + 1));
  }

  private void lose(String reason) {
    deadline.clear();
    lastReason = reason;
    if (!held) {
      return;
    }
    held = false;
    LOG.warn("lost {}: {}", lease, reason);
    try {
      listener.onLost(reason);
    } catch (RuntimeException e) {
      LOG.warn("lease listener failed on loss of {}", lease.key(), e);
    }
  }

  private long backoffMillis() {
    long delay = Backoff.delayMillis(failures, random);
    if (failures < Integer.MAX_VALUE) {
      failures++;
    }
    return Math.min(delay, ttlMillis);
  }

  private void schedule(long delayMillis) {
    try {
      next = executor.schedule(this::step, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The executor is shutting down: the node is stopping, and so does this chain.
      next = null;
    }
  }

  /**
   * Stops the chain and, if held, releases the lease so another node can take over at once,
   * telling the listener it is lost; then drops the Redis connection. Safe from any thread.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (next != null) {
      next.cancel(false);
      next = null;
    }
    if (held) {
      try {
        lease.release();
      } catch (RuntimeException e) {
        LOG.warn("could not release {} (it expires by itself): {}", lease, describe(e));
      }
      lose("released: the node is stopping");
    }
    lease.close();
  }

  private static String describe(RuntimeException e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
