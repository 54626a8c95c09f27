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
import livegraph.pipeline.Clock;
import livegraph.pipeline.Event;
import livegraph.source.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The leader's side of a dashboard's Redis Stream: appends each event ({@code e} payload,
 * {@code i} identity: {@link EventStreamCodec}) and each tick ({@code t} number, {@code m} time).
 *
 * <p>Threads and bounds: {@link #append} and {@link #tick} run on the sources' and the ticker's
 * threads and never block: they offer to a bounded queue ({@code capacity} items) and, when that
 * is full or the writer is closed, return false and count the item as {@link #dropped()} (a
 * dropped tick only merges two frames into one). One writer thread ({@code threads}) takes up to
 * {@link #BATCH} items at a time and sends them as one Lua script: one round trip per batch, and
 * atomic, so the fence is checked once for all of it.
 *
 * <p>Fencing: a writer made for one leadership term carries the lease's key and value ({@link
 * Fence}); the script writes nothing unless the lease key still holds that value, so a leader
 * that lost its lease (paused, cut off) cannot append after another node took over. A batch
 * refused so is counted in {@link #fenced()} and not retried.
 *
 * <p>Tick numbers: the script numbers each tick with {@code INCR} on the stream's counter key,
 * which it first sets to the writer's clock (epoch ms) when the key does not exist. So numbers
 * are consecutive across leaders, and a counter lost with Redis's data starts again above every
 * number a page can hold (a page that sees a lower seq would take it for a duplicate).
 *
 * <p>Failures: a connection or I/O error keeps the batch and retries it after a jittered
 * exponential delay ({@link Backoff}, 0.5–1 s doubling to 15–30 s), counted in {@link
 * #failures()}; meanwhile new items wait in the queue and, past its bound, are dropped. A retried
 * batch may repeat entries that reached Redis before the connection broke: readers drop repeated
 * events by identity, and a repeated tick only cuts one more (empty) frame. A batch Redis refuses
 * with a data error (the key holds another type) is not retried; its events are counted in {@link
 * #rejected()}. Events still queued at {@link #close()} are not written and are counted in {@link
 * #unwritten()}.
 *
 * <p>Trimming: after each batch the script trims the stream to the entries younger than {@code
 * reachMillis} ({@code XTRIM MINID ~}: the longest window's worth, so a node that starts can
 * rebuild its charts from the stream) and to at most {@code maxLen} entries ({@code XTRIM MAXLEN
 * ~}: the memory bound, for windows without an end such as "since start"). {@code ~} lets Redis
 * trim whole radix-tree nodes, so the stream may exceed a bound by up to a node's worth of
 * entries (100 by default).
 */
public final class EventStreamWriter implements AutoCloseable {

  /** Most items sent in one script. */
  public static final int BATCH = 256;

  /** The lease a term's writes are fenced by: its key and the value this node set. */
  public record Fence(String leaseKey, String value) {
    public Fence {
      Objects.requireNonNull(leaseKey, "leaseKey");
      Objects.requireNonNull(value, "value");
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(EventStreamWriter.class);
  private static final int TIMEOUT_MILLIS = 5_000;
  private static final byte[] EVENT = {'e'};
  private static final byte[] TICK = {'t'};
  private static final byte[] NONE = {};
  // KEYS: stream, lease (or the stream itself when unfenced), tick counter.
  // ARGV: fence value ("" = unfenced), MINID ("0" = none), MAXLEN, first tick number, then
  // (kind, a, b) per item: ("e", payload, identity) or ("t", millis, "").
  private static final byte[] SCRIPT = (
      "if ARGV[1] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end\n"
      + "local n = 0\n"
      + "for i = 5, #ARGV, 3 do\n"
      + "  if ARGV[i] == 'e' then\n"
      + "    redis.call('XADD', KEYS[1], '*', 'e', ARGV[i + 1], 'i', ARGV[i + 2])\n"
      + "  else\n"
      + "    if redis.call('EXISTS', KEYS[3]) == 0 then redis.call('SET', KEYS[3], ARGV[4]) end\n"
      + "    redis.call('XADD', KEYS[1], '*', 't', redis.call('INCR', KEYS[3]), 'm', ARGV[i + 1])\n"
      + "  end\n"
      + "  n = n + 1\n"
      + "end\n"
      + "if ARGV[2] ~= '0' then redis.call('XTRIM', KEYS[1], 'MINID', '~', ARGV[2]) end\n"
      + "redis.call('XTRIM', KEYS[1], 'MAXLEN', '~', ARGV[3])\n"
      + "return n\n").getBytes(StandardCharsets.US_ASCII);

  private final RedisEndpoint redis;
  private final List<byte[]> keys;
  private final String keyText;
  private final byte[] fenceValue;
  private final long maxLen;
  private final long reachMillis;
  private final Map<String, List<String>> identities;
  private final Clock clock;
  // Bounded: capacity items (events and ticks); full -> append()/tick() refuse and count.
  private final BlockingQueue<Object> queue;
  private final Thread thread;
  private final RandomGenerator random;

  private final AtomicLong appended = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong ticks = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong fenced = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong unwritten = new AtomicLong();
  private volatile String lastError; // for status: the latest failure, or null
  private volatile boolean sending; // a batch is taken and not yet sent
  private final RedisLink link; // the writer thread's connection; close() cuts it

  /** An item of the queue: a tick at {@code millis}. Events go in as themselves. */
  private record TickAt(long millis) {}

  /**
   * An unfenced writer to {@code key} (ticks counted in {@code key:ticks}), events identified by
   * all of them, trimmed to {@code maxLen}; for tools and tests.
   */
  public EventStreamWriter(
      HostAndPort redis, String key, long maxLen, int capacity, ThreadFactory threads,
      RandomGenerator random) {
    this(RedisEndpoint.of(redis), key, key == null ? null : key + ":ticks", null, maxLen, 0,
        Map.of(), capacity, threads, random, System::currentTimeMillis);
  }

  /**
   * A writer to the stream {@code key}; {@link #start()} starts its thread.
   *
   * @param ticksKey the counter that numbers ticks
   * @param fence the lease this term's writes need, or null for none
   * @param maxLen the approximate most entries the stream keeps (see the class note)
   * @param reachMillis how far back entries are kept, 0 for no age bound
   * @param identities each source's identity fields ({@code identity:}), by source name
   * @param capacity the bound of the queue between {@link #append} and the writer thread
   * @param threads makes the one writer thread
   * @param clock the leader's wall clock (trim age, first tick number)
   */
  public EventStreamWriter(
      HostAndPort redis, String key, String ticksKey, Fence fence, long maxLen, long reachMillis,
      Map<String, List<String>> identities, int capacity, ThreadFactory threads,
      RandomGenerator random, Clock clock) {
    this(RedisEndpoint.of(redis), key, ticksKey, fence, maxLen, reachMillis, identities, capacity,
        threads, random, clock);
  }

  /** As above, on {@code redis} with its login. */
  public EventStreamWriter(
      RedisEndpoint redis, String key, String ticksKey, Fence fence, long maxLen, long reachMillis,
      Map<String, List<String>> identities, int capacity, ThreadFactory threads,
      RandomGenerator random, Clock clock) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.link = new RedisLink(redis, "livegraph-stream-writer", TIMEOUT_MILLIS, TIMEOUT_MILLIS);
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("stream key must not be empty: " + key);
    }
    if (maxLen <= 0) {
      throw new IllegalArgumentException("maxLen must be positive: " + maxLen);
    }
    if (reachMillis < 0) {
      throw new IllegalArgumentException("reachMillis must not be negative: " + reachMillis);
    }
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.keyText = key;
    byte[] stream = key.getBytes(StandardCharsets.UTF_8);
    this.keys = List.of(stream,
        fence == null ? stream : fence.leaseKey().getBytes(StandardCharsets.UTF_8),
        Objects.requireNonNull(ticksKey, "ticksKey").getBytes(StandardCharsets.UTF_8));
    this.fenceValue = fence == null ? NONE : fence.value().getBytes(StandardCharsets.UTF_8);
    this.maxLen = maxLen;
    this.reachMillis = reachMillis;
    this.identities = Map.copyOf(identities);
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.random = Objects.requireNonNull(random, "random");
    this.clock = Objects.requireNonNull(clock, "clock");
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

  /** Queues a tick at {@code millis} after the events appended so far; false when full or closed. */
  public boolean tick(long millis) {
    if (link.closed() || !queue.offer(new TickAt(millis))) {
      dropped.incrementAndGet();
      return false;
    }
    return true;
  }

  /** Whether {@link #append} would refuse now: the queue is full or the writer closed. */
  public boolean full() {
    return link.closed() || queue.remainingCapacity() == 0;
  }

  /** Events accepted by {@link #append}. */
  public long appended() {
    return appended.get();
  }

  /** Events and ticks refused by {@link #append} and {@link #tick}: queue full or writer closed. */
  public long dropped() {
    return dropped.get();
  }

  /** Events Redis acknowledged (a retried batch counts once). */
  public long written() {
    return written.get();
  }

  /** Ticks Redis acknowledged. */
  public long ticks() {
    return ticks.get();
  }

  /** Events in batches Redis refused with a data error, not retried. */
  public long rejected() {
    return rejected.get();
  }

  /** Events not written because the lease had passed to another node (see the class note). */
  public long fenced() {
    return fenced.get();
  }

  /** Failed attempts to send a batch (each followed by a backoff and a retry). */
  public long failures() {
    return failures.get();
  }

  /** Events accepted but still queued or in a failing batch when the writer closed. */
  public long unwritten() {
    return unwritten.get();
  }

  /** Whether everything appended so far was sent (or given up): nothing queued or in flight. */
  public boolean drained() {
    return !sending && queue.isEmpty();
  }

  /** Items waiting in the queue now. */
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
    List<byte[]> args = new ArrayList<>(4 + 3 * BATCH); // writer thread only
    List<Object> taken = new ArrayList<>(BATCH); // writer thread only
    int events = 0; // in the batch being sent
    int attempt = 0; // failures since the last sent batch
    try {
      while (!link.closed()) {
        if (taken.isEmpty()) {
          Object first = queue.poll(200, TimeUnit.MILLISECONDS); // wakes to notice close()
          if (first == null) {
            continue;
          }
          sending = true;
          taken.add(first);
          queue.drainTo(taken, BATCH - 1);
          events = encode(taken, args);
        }
        try {
          if (!send(args, events, taken.size() - events)) {
            break; // closed while connecting: the batch is counted unwritten below
          }
          taken.clear();
          sending = false;
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
      long queuedEvents = queue.stream().filter(Event.class::isInstance).count();
      unwritten.addAndGet(events * (taken.isEmpty() ? 0L : 1L) + queuedEvents);
      queue.clear();
      sending = false;
      link.drop();
    }
  }

  /** The script's arguments for {@code items}; returns how many are events. */
  private int encode(List<Object> items, List<byte[]> args) {
    args.clear();
    long now = clock.millis();
    args.add(fenceValue);
    args.add(ascii(reachMillis > 0 ? Math.max(0, now - reachMillis) + "-0" : "0"));
    args.add(ascii(Long.toString(maxLen)));
    args.add(ascii(Long.toString(now)));
    int events = 0;
    for (Object item : items) {
      if (item instanceof Event e) {
        Object source = e.fields().get("@source");
        List<String> keys = source == null ? List.of() : identities.getOrDefault(source, List.of());
        Map<byte[], byte[]> fields = EventStreamCodec.encode(e, keys);
        args.add(EVENT);
        args.add(field(fields, EventStreamCodec.EVENT_FIELD));
        args.add(field(fields, EventStreamCodec.IDENTITY_FIELD));
        events++;
      } else {
        args.add(TICK);
        args.add(ascii(Long.toString(((TickAt) item).millis())));
        args.add(NONE);
      }
    }
    return events;
  }

  /** Sends one batch as one script; false when the writer closed before it could. */
  private boolean send(List<byte[]> args, int events, int tickCount) {
    Jedis jedis = link.connection();
    if (jedis == null) {
      return false; // closed
    }
    Object reply;
    try {
      reply = jedis.eval(SCRIPT, keys, args);
    } catch (JedisDataException refused) {
      // A script error: the key holds another type, say. Retrying cannot help.
      rejected.addAndGet(events);
      lastError = refused.getMessage();
      LOG.warn("stream {}: Redis refused a batch of {} events: {}", keyText, events, lastError);
      return true;
    }
    if (reply instanceof Long n && n < 0) {
      fenced.addAndGet(events);
      lastError = "the lease is held by another node: " + events + " events not written";
      LOG.info("stream {}: lease lost, {} events left to the new leader", keyText, events);
      return true;
    }
    written.addAndGet(events);
    ticks.addAndGet(tickCount);
    return true;
  }

  private static byte[] field(Map<byte[], byte[]> fields, byte[] name) {
    for (Map.Entry<byte[], byte[]> f : fields.entrySet()) {
      if (java.util.Arrays.equals(f.getKey(), name)) {
        return f.getValue();
      }
    }
    throw new IllegalStateException("the codec wrote no field " + new String(name, StandardCharsets.US_ASCII));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return "EventStreamWriter[" + keyText + " on " + redis + "]";
  }
}
