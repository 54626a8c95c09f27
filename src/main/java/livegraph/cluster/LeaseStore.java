package livegraph.cluster;

import java.time.Duration;

/**
 * The four calls {@link LeaseKeeper} makes on a lease, apart from Redis so the keeper's
 * transitions can be tested with a scripted store and a manual clock. {@link Lease} is the one
 * production implementation; every call may throw a {@link RuntimeException} for a Redis failure.
 */
interface LeaseStore {

  boolean tryAcquire();

  boolean renew();

  boolean release();

  /** Drops the connection without releasing. */
  void close();

  String key();

  Duration ttl();
}
