package livegraph.cluster;

import java.util.concurrent.TimeUnit;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * The Redis connection of one stream thread ({@link EventStreamWriter}, {@link EventStreamReader})
 * and the way that thread is stopped: connected on first use with bounded timeouts, dropped after
 * a failure so that the next use reconnects, and cut by {@link #close()} from any thread, which
 * also ends a backoff wait at once. The connection is used by the owning thread only; {@code
 * closed} and the connection reference are volatile so {@code close()} sees and cuts it.
 */
final class RedisLink {

  private final HostAndPort redis;
  private final JedisClientConfig config;
  private final Object waits = new Object(); // close() wakes a backoff wait through it
  private volatile boolean closed;
  private volatile Jedis current; // the owning thread's connection, or null

  RedisLink(RedisEndpoint redis, String clientName, int connectTimeoutMillis, int socketTimeoutMillis) {
    this.redis = redis.address();
    this.config = redis.config(clientName, connectTimeoutMillis, socketTimeoutMillis);
  }

  boolean closed() {
    return closed;
  }

  /** The connection, made when there is none; null once closed. Owning thread only. */
  Jedis connection() {
    Jedis jedis = current;
    if (jedis == null) {
      jedis = new Jedis(redis, config);
      current = jedis;
      if (closed) {
        drop(); // close() may have run before this connection existed
        return null;
      }
    }
    return jedis;
  }

  /** Drops the connection after a failure or at the end; the next use reconnects. */
  void drop() {
    Jedis jedis = current;
    current = null;
    disconnect(jedis);
  }

  /** Waits {@code millis}, or less if closed meanwhile. */
  void awaitUnlessClosed(long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (waits) {
      long left;
      while (!closed && (left = end - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(waits, left);
      }
    }
  }

  /** Marks it closed, ends a backoff wait and cuts the connection (a blocked call fails); any thread. */
  void close() {
    closed = true;
    synchronized (waits) {
      waits.notifyAll();
    }
    disconnect(current);
  }

  /**
   * {@link #close()}, then waits up to {@code millis} for {@code owner} (the thread using this
   * link) to end, unless called from it.
   */
  void closeAndJoin(Thread owner, long millis) {
    close();
    if (owner.isAlive() && owner != Thread.currentThread()) {
      try {
        owner.join(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void disconnect(Jedis jedis) {
    if (jedis == null) {
      return;
    }
    try {
      jedis.getConnection().forceDisconnect();
    } catch (Exception e) {
      // Already broken: nothing to release.
    }
  }
}
