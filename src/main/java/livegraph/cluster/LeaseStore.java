package livegraph.cluster;

import java.time.Duration;

/**
 * The four calls {@link LeaseKeeper} makes on a lease, apart from Redis so the keeper's
 * transitions can be tested with a scripted store and a manual clock. {@link Lease} is the one
 * production implementation; every call may throw a {@link RuntimeException} for a Redis failure.
 */
interface LeaseStore {

  boolean tryAcquire();

  /**
   * How long the current holder's key has left (PTTL), or -1 when unknown (no key, no expiry):
   * lets a node try again right when the key expires instead of up to a renewal interval later.
   */
  default long remainingMillis() {
    return -1;
  }

  boolean renew();

  boolean release();

  /** Drops the connection without releasing. */
  void close();

  String key();

  Duration ttl();
}
