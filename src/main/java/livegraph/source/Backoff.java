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
final class Backoff {

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
