package livegraph.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.params.SetParams;

/**
 * One named lease in Redis: a key whose value names the holder, set with {@code SET NX PX} and
 * kept alive by compare-and-expire, so only the holder can renew or release it.
 *
 * <p>The value is this node's id, a colon and a random token, so a node restarted with the same
 * id is a different holder and cannot renew what its previous life acquired. Renew and release
 * are Lua scripts because "GET then PEXPIRE/DEL" as two commands could act on a key another node
 * took in between; Redis runs a script atomically.
 *
 * <p>Every call has a bounded connect and read timeout, {@link #callTimeoutMillis}, well below
 * the renewal interval, so a hung Redis turns into an exception in time for {@link LeaseKeeper}
 * to declare the lease lost. Any Redis failure is thrown as a {@link RuntimeException} (Jedis'
 * own) after the connection is dropped; the next call connects again. Methods are synchronized
 * because {@link #holder()} may be asked from a status thread while the keeper renews.
 */
public final class Lease implements LeaseStore, AutoCloseable {

  /** The shortest ttl accepted: below it the timeouts and margins leave no room for a reply. */
  public static final Duration MIN_TTL = Duration.ofSeconds(1);

  /** Longest connect/read timeout, whatever the ttl: a reply slower than this is a failure. */
  static final long MAX_CALL_TIMEOUT_MILLIS = 5_000;

  private static final String RENEW =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then"
          + " return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
  private static final String RELEASE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

  private final HostAndPort address;
  private final JedisClientConfig config;
  private final String key;
  private final String nodeId;
  private final String value;
  private final long ttlMillis;
  private Jedis jedis; // guarded by this; null until the next call connects

  private Lease(RedisEndpoint redis, String key, String nodeId, String value, long ttlMillis) {
    this.address = redis.address();
    this.key = key;
    this.nodeId = nodeId;
    this.value = value;
    this.ttlMillis = ttlMillis;
    int timeout = (int) callTimeoutMillis(ttlMillis);
    this.config = redis.config("livegraph-lease-" + nodeId, timeout, timeout);
  }

  /**
   * A lease on {@code key} in the Redis at {@code redis} ({@code redis://HOST:PORT}), held for
   * {@code ttl} per acquire or renewal, by {@code nodeId} with a token from {@code random}.
   *
   * @throws IllegalArgumentException naming the setting that is wrong
   */
  public static Lease create(URI redis, String key, String nodeId, Duration ttl, RandomGenerator random) {
    return create(RedisEndpoint.of(redis, null), key, nodeId, ttl, random);
  }

  /** As {@link #create(URI, String, String, Duration, RandomGenerator)}, with its login. */
  public static Lease create(RedisEndpoint redis, String key, String nodeId, Duration ttl,
      RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(redis, "redis");
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("lease key must not be empty: '" + key + "'");
    }
    if (nodeId == null || nodeId.isBlank() || nodeId.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("node id must be non-empty without spaces: '" + nodeId + "'");
    }
    if (ttl == null || ttl.compareTo(MIN_TTL) < 0) {
      throw new IllegalArgumentException("lease ttl must be at least " + MIN_TTL.toMillis() + " ms: " + ttl);
    }
    byte[] token = new byte[8];
    random.nextBytes(token);
    String value = nodeId + ":" + HexFormat.of().formatHex(token);
    return new Lease(redis, key, nodeId, value, ttl.toMillis());
  }

  /**
   * The connect and read timeout of every call: a sixth of the ttl (at most {@link
   * #MAX_CALL_TIMEOUT_MILLIS}), half the renewal interval, so a failed renewal is known long
   * before the holder's local deadline (see {@link LeaseDeadline#marginMillis}).
   */
  static long callTimeoutMillis(long ttlMillis) {
    return Math.max(1, Math.min(MAX_CALL_TIMEOUT_MILLIS, ttlMillis / 6));
  }

  /** {@code SET key value NX PX ttl}: whether this node now holds the lease. */
  @Override
  public synchronized boolean tryAcquire() {
    return call(j -> "OK".equals(j.set(key, value, SetParams.setParams().nx().px(ttlMillis))));
  }

  /** {@code PTTL key}: what the holder's key has left, or -1 when there is none. */
  @Override
  public synchronized long remainingMillis() {
    Long left = call(j -> j.pttl(key));
    return left == null || left < 0 ? -1 : left;
  }

  /** Extends the ttl if this node still holds the lease: false means someone else has it, or nobody. */
  @Override
  public synchronized boolean renew() {
    return call(j -> isOne(j.eval(RENEW, List.of(key), List.of(value, Long.toString(ttlMillis)))));
  }

  /** Deletes the key if this node holds it, so another node can acquire at once; false if not held. */
  @Override
  public synchronized boolean release() {
    return call(j -> isOne(j.eval(RELEASE, List.of(key), List.of(value))));
  }

  /** The node id of the current holder (GET), empty when nobody holds the lease; for /healthz. */
  public synchronized Optional<String> holder() {
    String current = call(j -> j.get(key));
    return Optional.ofNullable(current).map(Lease::nodeOf);
  }

  /** The node id part of a lease value: everything before the last colon. */
  static String nodeOf(String leaseValue) {
    int colon = leaseValue.lastIndexOf(':');
    return colon < 0 ? leaseValue : leaseValue.substring(0, colon);
  }

  @Override
  public String key() {
    return key;
  }

  public String nodeId() {
    return nodeId;
  }

  /** This holder's value: node id and token. */
  String value() {
    return value;
  }

  @Override
  public Duration ttl() {
    return Duration.ofMillis(ttlMillis);
  }

  /** Drops the connection without releasing; {@link LeaseKeeper#close()} releases first. */
  @Override
  public synchronized void close() {
    disconnect();
  }

  private <T> T call(JedisCall<T> call) {
    if (jedis == null) {
      jedis = new Jedis(address, config);
    }
    try {
      return call.apply(jedis);
    } catch (RuntimeException e) { // connection, timeout, protocol and server errors
      disconnect(); // a timed-out connection may still deliver the late reply; never reuse it
      throw e;
    }
  }

  private void disconnect() {
    Jedis j = jedis;
    jedis = null;
    if (j != null) {
      try {
        j.close();
      } catch (RuntimeException e) {
        // The connection is already broken; nothing to release.
      }
    }
  }

  private static boolean isOne(Object reply) {
    return reply instanceof Long n && n == 1L;
  }

  @FunctionalInterface
  private interface JedisCall<T> {
    T apply(Jedis jedis);
  }

  @Override
  public String toString() {
    return "lease " + key + " for " + value + " (ttl " + ttlMillis + " ms)";
  }
}
