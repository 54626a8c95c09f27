package livegraph.source;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Jittered exponential reconnect delays: the ceiling doubles from {@code base} up to
 * {@code cap}, and each delay is half the ceiling plus a random part of the other half.
 *
 * <p>"Equal jitter" (Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog 2015)
 * keeps a guaranteed minimum wait, so a refused connection never spins, while spreading many
 * clients that lost the same server. Not thread-safe: owned by the source's event loop.
 */
public final class Backoff {

  /** The first delay's ceiling in production (tests pass less through {@link SourceContext}). */
  public static final Duration BASE = Duration.ofSeconds(1);

  /** The longest delay in production. */
  public static final Duration CAP = Duration.ofSeconds(30);

  private static final int MAX_SHIFT = 62;

  private final long baseMillis;
  private final long capMillis;
  private final RandomGenerator random;
  private int attempt; // delays handed out since the last reset

  Backoff(Duration base, Duration cap, RandomGenerator random) {
    if (base == null || base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("backoff base must be positive: " + base);
    }
    if (cap == null || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff cap must be at least the base " + base + ": " + cap);
    }
    if (random == null) {
      throw new IllegalArgumentException("random must not be null");
    }
    this.baseMillis = base.toMillis() == 0 ? 1 : base.toMillis();
    this.capMillis = Math.max(baseMillis, cap.toMillis());
    this.random = random;
  }

  /**
   * The delay a source waits before reconnect attempt {@code attempt}, with the production base
   * and cap: what its own sequence of delays gives after {@code attempt} earlier ones since data
   * last arrived (0: 0.5–1 s, 1: 1–2 s, … from 5 on: 15–30 s).
   *
   * @throws IllegalArgumentException when {@code attempt} is negative
   */
  public static long delayMillis(int attempt, RandomGenerator random) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must not be negative: " + attempt);
    }
    Backoff backoff = new Backoff(BASE, CAP, random);
    backoff.attempt = Math.min(attempt, MAX_SHIFT);
    return backoff.nextDelayMillis();
  }

  /** The delay before the next attempt, in [ceiling / 2, ceiling] of the current ceiling. */
  long nextDelayMillis() {
    long ceiling = ceilingMillis();
    if (attempt < MAX_SHIFT) {
      attempt++;
    }
    long fixed = ceiling / 2;
    long spread = ceiling - fixed;
    return fixed + Math.round(random.nextDouble() * spread);
  }

  /** Starts again from the base delay; called once a connection has delivered data. */
  void reset() {
    attempt = 0;
  }

  /** The upper bound of the next delay: base * 2^attempt, at most the cap. */
  long ceilingMillis() {
    if (attempt >= MAX_SHIFT || baseMillis > (capMillis >> attempt)) {
      return capMillis;
    }
    return Math.min(capMillis, baseMillis << attempt);
  }
}
