package livegraph.cluster;

/**
 * The local instant until which a holder may believe it holds a lease: the send time of the
 * last request that Redis confirmed, plus the ttl, minus a safety margin.
 *
 * <p>Why the send time: Redis starts the key's ttl when it executes the command, which is after
 * we sent it, so the key cannot expire before {@code sent + ttl} measured on Redis' clock.
 * Counting from the reply instead would push our belief past the real expiry by the round trip.
 *
 * <p>Clock-drift assumption: our clock and Redis' may be offset by any amount (only intervals
 * are compared, never timestamps across machines), but their rates may differ by less than
 * {@code margin / ttl} (20% with {@link #marginMillis}), and the whole margin also absorbs how
 * late our own scheduler runs the check. Under that assumption the local deadline falls before
 * Redis lets anyone else SET the key, so two nodes never both believe they hold it. Use a
 * monotonic clock: a wall clock stepped back by NTP would stretch the belief.
 *
 * <p>Not thread-safe: owned by the {@link LeaseKeeper}'s executor.
 */
final class LeaseDeadline {

  private final long ttlMillis;
  private final long marginMillis;
  private long expiresAt; // local clock millis; meaningful only while held
  private boolean held;

  LeaseDeadline(long ttlMillis) {
    if (ttlMillis <= 0) {
      throw new IllegalArgumentException("ttl must be positive: " + ttlMillis + " ms");
    }
    this.ttlMillis = ttlMillis;
    this.marginMillis = marginMillis(ttlMillis);
  }

  /**
   * The safety margin: a fifth of the ttl. A renewal is sent a third of the ttl after the last
   * confirmed one and its reply waits at most a sixth ({@link Lease#callTimeoutMillis}), so a
   * failing renewal is known by half the ttl, well before the deadline at four fifths.
   */
  static long marginMillis(long ttlMillis) {
    return ttlMillis / 5;
  }

  /** Redis confirmed an acquire or renewal that we sent at {@code sentAtMillis}. */
  void confirmed(long sentAtMillis) {
    expiresAt = sentAtMillis + ttlMillis - marginMillis;
    held = true;
  }

  /** The lease was lost or released; nothing is believed until the next confirmation. */
  void clear() {
    held = false;
  }

  /** Whether, at local time {@code nowMillis}, we may still believe we hold the lease. */
  boolean holds(long nowMillis) {
    return held && nowMillis < expiresAt;
  }

  /** The local instant at which belief ends; meaningful only after {@link #confirmed}. */
  long expiresAtMillis() {
    return expiresAt;
  }

  /** Milliseconds left at {@code nowMillis}, 0 when expired or not held. */
  long remainingMillis(long nowMillis) {
    return held ? Math.max(0, expiresAt - nowMillis) : 0;
  }
}
