package livegraph.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import livegraph.pipeline.Event;
import livegraph.source.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAddParams;

/**
 * The leader's side of a source's Redis Stream: appends each event with {@code XADD key MAXLEN
 * ~ N * e <payload> i <identity>} ({@link EventStreamCodec}).
 *
 * <p>Threads and bounds: {@link #append} runs on the source's thread and never blocks: it
 * offers the event to a bounded queue ({@code capacity} events) and, when that is full or the
 * writer is closed, returns false and counts the event as {@link #dropped()}. One writer thread
 * ({@code threads}) takes up to {@link #BATCH} events at a time, encodes them and sends them as
 * one pipeline (one round trip per batch, not per event).
 *
 * <p>Failures: a connection or I/O error keeps the batch and retries it after a jittered
 * exponential delay ({@link Backoff}, 0.5–1 s doubling to 15–30 s), counted in {@link
 * #failures()}; meanwhile new events wait in the queue and, past its bound, are dropped. A retried
 * batch may repeat entries that reached Redis before the connection broke: readers drop them by
 * identity. An entry Redis refuses (a data error, e.g. the key holds another type) is not
 * retried; it is counted in {@link #rejected()}. Events still queued at {@link #close()} are not
 * written and are counted in {@link #unwritten()}.
 *
 * <p>Trimming: {@code maxLen} bounds what the stream keeps, so a node that starts or reconnects
 * can rebuild its charts from it. The caller derives it from the longest window and the rate:
 * {@code maxLen = longestWindowSeconds × peak events per second × margin} (e.g. a 10-minute
 * window at 200 events/s peak, margin 1.5: 180,000). {@code ~} lets Redis trim whole radix-tree
 * nodes, so the stream may exceed {@code maxLen} by up to a node's worth of entries (100 by
 * default) and is never shorter than it.
 */
public final class EventStreamWriter implements AutoCloseable {

  /** Most events sent in one pipeline. */
  public static final int BATCH = 256;

  private static final Logger LOG = LoggerFactory.getLogger(EventStreamWriter.class);
  private static final int TIMEOUT_MILLIS = 5_000;

  private final HostAndPort redis;
  private final byte[] key;
  private final String keyText;
  private final long maxLen;
  // Bounded: capacity events; full -> append() refuses and counts the event as dropped.
  private final BlockingQueue<Event> queue;
  private final Thread thread;
  private final RandomGenerator random;

  private final AtomicLong appended = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong unwritten = new AtomicLong();
  private volatile String lastError; // for status: the latest failure, or null
  private final RedisLink link; // the writer thread's connection; close() cuts it

  /**
   * A writer to {@code key} on {@code redis}; {@link #start()} starts its thread.
   *
   * @param maxLen the approximate length the stream is trimmed to (see the class note)
   * @param capacity the bound of the queue between {@link #append} and the writer thread
   * @param threads makes the one writer thread
   */
  public EventStreamWriter(
      HostAndPort redis, String key, long maxLen, int capacity, ThreadFactory threads,
      RandomGenerator random) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.link = new RedisLink(redis, "livegraph-stream-writer", TIMEOUT_MILLIS, TIMEOUT_MILLIS);
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("stream key must not be empty: " + key);
    }
    if (maxLen <= 0) {
      throw new IllegalArgumentException("maxLen must be positive: " + maxLen);
    }
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.keyText = key;
    this.key = key.getBytes(StandardCharsets.UTF_8);
    this.maxLen = maxLen;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.random = Objects.requireNonNull(random, "random");
    this.thread = threads.newThread(this::run);
  }

  public void start() {
    thread.start();
  }

  /**
   * Queues {@code event} for the stream without blocking; false (and counted as dropped) when
   * the queue is full or the writer closed.
   */
  public boolean append(Event event) {
    if (link.closed() || !queue.offer(event)) {
      dropped.incrementAndGet();
      return false;
    }
    appended.incrementAndGet();
    return true;
  }

  /** Events accepted by {@link #append}. */
  public long appended() {
    return appended.get();
  }

  /** Events refused by {@link #append}: queue full or writer closed. */
  public long dropped() {
    return dropped.get();
  }

  /** Events Redis acknowledged (a retried batch counts once). */
  public long written() {
    return written.get();
  }

  /** Events Redis refused with a data error, not retried. */
  public long rejected() {
    return rejected.get();
  }

  /** Failed attempts to send a batch (each followed by a backoff and a retry). */
  public long failures() {
    return failures.get();
  }

  /** Events accepted but still queued or in a failing batch when the writer closed. */
  public long unwritten() {
    return unwritten.get();
  }

  /** Events waiting in the queue now. */
  public int pending() {
    return queue.size();
  }

  /** The latest failure, for status; null when there was none. */
  public String lastError() {
    return lastError;
  }

  /** Stops the writer thread, cutting a write in progress; queued events are counted unwritten. */
  @Override
  public void close() {
    link.closeAndJoin(thread, TIMEOUT_MILLIS);
  }

  /** The writer thread: take a batch, send it until it is sent, again. */
  private void run() {
    List<Map<byte[], byte[]>> batch = new ArrayList<>(BATCH); // writer thread only
    List<Event> taken = new ArrayList<>(BATCH); // writer thread only
    int attempt = 0; // failures since the last sent batch
    try {
      while (!link.closed()) {
        if (batch.isEmpty()) {
          Event first = queue.poll(200, TimeUnit.MILLISECONDS); // wakes to notice close()
          if (first == null) {
            continue;
          }
          taken.add(first);
          queue.drainTo(taken, BATCH - 1);
          for (Event e : taken) {
            batch.add(EventStreamCodec.encode(e));
          }
          taken.clear();
        }
        try {
          if (!send(batch)) {
            break; // closed while connecting: the batch is counted unwritten below
          }
          batch.clear();
          attempt = 0;
        } catch (RuntimeException e) { // Jedis' connection and protocol errors
          if (link.closed()) {
            break;
          }
          failures.incrementAndGet();
          lastError = String.valueOf(e.getMessage());
          link.drop();
          long delay = Backoff.delayMillis(attempt++, random);
          LOG.debug("stream {}: write failed, retrying in {} ms: {}", keyText, delay, lastError);
          link.awaitUnlessClosed(delay);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      unwritten.addAndGet(batch.size() + queue.size());
      queue.clear();
      link.drop();
    }
  }

  /** Sends the batch as one pipeline; false when the writer closed before it could. */
  private boolean send(List<Map<byte[], byte[]>> batch) {
    Jedis jedis = link.connection();
    if (jedis == null) {
      return false; // closed
    }
    XAddParams params = XAddParams.xAddParams().maxLen(maxLen).approximateTrimming();
    Pipeline pipeline = jedis.pipelined();
    for (Map<byte[], byte[]> fields : batch) {
      pipeline.xadd(key, params, fields);
    }
    List<Object> replies = pipeline.syncAndReturnAll();
    long ok = 0;
    for (Object reply : replies) {
      if (reply instanceof JedisDataException refused) {
        rejected.incrementAndGet();
        lastError = refused.getMessage();
      } else {
        ok++;
      }
    }
    if (ok < replies.size()) {
      LOG.warn("stream {}: Redis refused {} of {} entries: {}", keyText, replies.size() - ok, replies.size(), lastError);
    }
    written.addAndGet(ok);
    return true;
  }



  @Override
  public String toString() {
    return "EventStreamWriter[" + keyText + " on " + redis + "]";
  }
}
