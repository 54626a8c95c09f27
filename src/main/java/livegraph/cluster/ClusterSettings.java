package livegraph.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How a node joins a cluster ({@code livegraph serve --cluster redis://HOST:PORT}); see
 * CLUSTER.md for what each setting does.
 *
 * @param redis {@code redis://HOST:PORT}, with {@code :PASSWORD@} or {@code USER:PASSWORD@} to
 *     log in, {@code rediss://} for TLS ({@link RedisEndpoint})
 * @param redisPassword the password when the address carries none (from the environment), or null
 * @param nodeId this node's name, shown as the leader's name on every node; unique per node
 * @param prefix the first part of every key, so clusters can share a Redis
 * @param leaseTtl how long a lease lasts unless renewed: the longest a dead leader's ingest is
 *     missed before another node takes over
 * @param tick how often the leader cuts a frame while events come (the viewers' update rate)
 * @param idleTick how often it cuts one when none come, so windows still move on
 * @param maxEntries the most entries a stream keeps, whatever the charts' reach
 * @param writerCapacity the leader's queue of events not yet written (full: dropped, counted)
 */
public record ClusterSettings(
    URI redis,
    String redisPassword,
    String nodeId,
    String prefix,
    Duration leaseTtl,
    Duration tick,
    Duration idleTick,
    long maxEntries,
    int writerCapacity) {

  /**
   * The default bound on a stream's length: at most about 390 MB of Redis memory for
   * StackExchange-sized events, 110 MB for small ones (measured: CLUSTER.md, "Sizing").
   */
  public static final long DEFAULT_MAX_ENTRIES = 1_000_000;

  public ClusterSettings {
    RedisEndpoint.of(redis, redisPassword); // checks the address
    if (nodeId == null || nodeId.isBlank() || !nodeId.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(
          "node id must be 1 to 64 letters, digits, '.', '_' or '-': '" + nodeId + "'");
    }
    if (prefix == null || !prefix.matches("[A-Za-z0-9._:-]{1,64}")) {
      throw new IllegalArgumentException(
          "key prefix must be 1 to 64 letters, digits, '.', '_', ':' or '-': '" + prefix + "'");
    }
    if (leaseTtl == null || leaseTtl.compareTo(Lease.MIN_TTL) < 0) {
      throw new IllegalArgumentException(
          "lease ttl must be at least " + Lease.MIN_TTL.toMillis() + " ms: " + leaseTtl);
    }
    Objects.requireNonNull(tick, "tick");
    Objects.requireNonNull(idleTick, "idleTick");
    if (tick.isNegative() || tick.isZero() || idleTick.compareTo(tick) < 0) {
      throw new IllegalArgumentException(
          "tick must be positive and idle tick at least the tick: " + tick + ", " + idleTick);
    }
    if (maxEntries < 1_000) {
      throw new IllegalArgumentException("a stream must keep at least 1000 entries: " + maxEntries);
    }
    if (writerCapacity <= 0) {
      throw new IllegalArgumentException("writer capacity must be positive: " + writerCapacity);
    }
  }

  /** The defaults: prefix "livegraph", lease 5 s, tick 100 ms, idle tick 1 s, 1M entries. */
  public static ClusterSettings of(URI redis, String nodeId) {
    return new ClusterSettings(redis, null, nodeId, "livegraph", Duration.ofSeconds(5),
        Duration.ofMillis(100), Duration.ofSeconds(1), DEFAULT_MAX_ENTRIES, 100_000);
  }

  public ClusterSettings withPrefix(String prefix) {
    return new ClusterSettings(redis, redisPassword, nodeId, prefix, leaseTtl, tick, idleTick, maxEntries,
        writerCapacity);
  }

  public ClusterSettings withLeaseTtl(Duration ttl) {
    return new ClusterSettings(redis, redisPassword, nodeId, prefix, ttl, tick, idleTick, maxEntries,
        writerCapacity);
  }

  public ClusterSettings withTick(Duration tick) {
    return new ClusterSettings(redis, redisPassword, nodeId, prefix, leaseTtl, tick, idleTick, maxEntries,
        writerCapacity);
  }

  public ClusterSettings withMaxEntries(long maxEntries) {
    return new ClusterSettings(redis, redisPassword, nodeId, prefix, leaseTtl, tick, idleTick, maxEntries,
        writerCapacity);
  }

  /** Where Redis is and how to log in. */
  public RedisEndpoint endpoint() {
    return RedisEndpoint.of(redis, redisPassword);
  }

  /** The settings without the password (a record would print it). */
  @Override
  public String toString() {
    return "ClusterSettings[" + endpoint() + ", node " + nodeId + ", prefix " + prefix
        + ", lease " + leaseTtl + ", tick " + tick + "/" + idleTick + ", max " + maxEntries
        + " entries, writer " + writerCapacity + "]";
  }
}
