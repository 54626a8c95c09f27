package livegraph.cluster;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import livegraph.cluster.EventStreamCodec.Bad;
import livegraph.cluster.EventStreamCodec.Decoded;
import livegraph.cluster.EventStreamCodec.Entry;
import livegraph.cluster.EventStreamCodec.Identity;
import livegraph.cluster.EventStreamCodec.Tick;
import livegraph.pipeline.Event;
import livegraph.source.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntryBinary;

/**
 * A node's side of a source's Redis Stream: one thread reads it with {@code XREAD BLOCK} from
 * the last ID it delivered and hands each event, in stream order, to a {@link Sink}.
 *
 * <p>Resume: the thread keeps the ID of the last entry it read ({@link #lastId()}); after any
 * failure it waits a jittered exponential delay ({@link Backoff}) and reads again from that ID,
 * so a Redis restart that kept the data, or a network cut, costs neither a gap nor a repeat.
 * Start with {@code "0"} to read all the stream retains, or with an ID saved earlier.
 *
 * <p>Duplicates: a new leader may write an event the old one wrote already (a retried pipeline,
 * a re-read upstream). The reader remembers the identities of the last {@code dedupeWindow}
 * entries (insertion order, oldest forgotten first; 100,000 by default, about 8 MB) and
 * delivers an identity seen among them once; the rest are counted in {@link #duplicates()}.
 *
 * <p>Trimming: the writer trims with {@code MAXLEN ~}; a reader that falls behind by more than
 * that loses what was trimmed past its last ID. Before each read it asks {@code XINFO STREAM}
 * (one more round trip per read, not per entry; Redis 7) for the oldest entry's ID and the
 * entries ever added. It keeps its logical offset (entries ever added up to its last ID, known
 * once it started from {@code "0"} or crossed a trim), so when the oldest entry is past its last
 * ID it counts exactly the entries lost ({@link #trimmed()}) and the gap ({@link #trimGaps()}),
 * then reads on from the oldest kept entry. Started from a saved ID, it can tell only that a
 * gap may have happened. Entries trimmed before a reader started from {@code "0"} are not a
 * gap: "0" means what the stream retains.
 *
 * <p>A bad entry (missing fields, broken payload) is skipped and counted ({@link #bad()}), its ID
 * and reason logged; a sink that throws is counted ({@link #sinkErrors()}) and the reader goes
 * on. The counters and {@link #lastId()} are safe to read from any thread; everything else is
 * the reader thread's.
 */
public final class EventStreamReader implements AutoCloseable {

  /** Where entries go, on the reader thread, in stream order. */
  @FunctionalInterface
  public interface Sink {
    /** An event, delivered once per identity. */
    void accept(String streamId, Event event);

    /** A tick numbered above every tick delivered before (a stale or repeated one is skipped). */
    default void tick(String streamId, long number, long millis) {}

    /** A read reached the end of the stream: what follows arrives as it is written. */
    default void caughtUp() {}
  }

  /** The default number of identities remembered to drop duplicates. */
  public static final int DEDUPE_WINDOW = 100_000;

  /** Most entries asked for in one read. */
  static final int COUNT = 512;

  private static final Logger LOG = LoggerFactory.getLogger(EventStreamReader.class);
  private static final int BLOCK_MILLIS = 1_000;
  private static final int TIMEOUT_MILLIS = 5_000;
  private static final StreamEntryID ZERO = new StreamEntryID(0, 0);
  private static final int LOGGED_BAD = 10; // bad entries logged one by one, then every 1000th

  private final RedisEndpoint redis;
  private final byte[] key;
  private final String keyText;
  private final Sink sink;
  private final Thread thread;
  private final RandomGenerator random;
  private final boolean fromStart;
  // Bounded: dedupeWindow identities; the oldest inserted is forgotten first. Reader thread only.
  private final LinkedHashMap<Identity, Boolean> seen;

  private volatile StreamEntryID lastId; // written by the reader thread only
  private long offset = -1; // reader thread: entries ever added up to lastId; -1 unknown
  private volatile boolean caughtUp;
  private final RedisLink link; // the reader thread's connection; close() cuts it
  private volatile String lastError;
  private volatile String lastBad;

  private long lastTick; // reader thread: the number of the last tick delivered
  private volatile boolean connected; // the last read succeeded
  private final AtomicLong ticks = new AtomicLong();
  private final AtomicLong staleTicks = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong bad = new AtomicLong();
  private final AtomicLong trimGaps = new AtomicLong();
  private final AtomicLong trimmed = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong sinkErrors = new AtomicLong();

  /**
   * A reader of {@code key} on {@code redis} from {@code startId} ({@code "0"}, or an entry ID
   * such as {@code "1700000000000-0"}); {@link #start()} starts its thread.
   *
   * @param dedupeWindow identities remembered for dropping duplicates ({@link #DEDUPE_WINDOW})
   * @param threads makes the one reader thread
   */
  public EventStreamReader(
      HostAndPort redis, String key, String startId, int dedupeWindow, Sink sink,
      ThreadFactory threads, RandomGenerator random) {
    this(RedisEndpoint.of(redis), key, startId, dedupeWindow, sink, threads, random);
  }

  /** As above, on {@code redis} with its login. */
  public EventStreamReader(
      RedisEndpoint redis, String key, String startId, int dedupeWindow, Sink sink,
      ThreadFactory threads, RandomGenerator random) {
    this.redis = Objects.requireNonNull(redis, "redis");
    // A blocked read answers within BLOCK_MILLIS, so a socket silent past that and the timeout is broken.
    this.link = new RedisLink(redis, "livegraph-stream-reader", TIMEOUT_MILLIS, BLOCK_MILLIS + TIMEOUT_MILLIS);
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("stream key must not be empty: " + key);
    }
    if (dedupeWindow <= 0) {
      throw new IllegalArgumentException("dedupeWindow must be positive: " + dedupeWindow);
    }
    this.keyText = key;
    this.key = key.getBytes(StandardCharsets.UTF_8);
    this.lastId = parseStart(startId);
    this.fromStart = lastId.equals(ZERO);
    this.sink = Objects.requireNonNull(sink, "sink");
    this.random = Objects.requireNonNull(random, "random");
    this.seen =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Identity, Boolean> eldest) {
            return size() > dedupeWindow;
          }
        };
    this.thread = threads.newThread(this::run);
  }

  private static StreamEntryID parseStart(String startId) {
    if ("0".equals(startId) || "0-0".equals(startId)) {
      return ZERO;
    }
    try {
      return new StreamEntryID(Objects.requireNonNull(startId, "startId"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "start ID must be \"0\" or a stream entry ID like 1700000000000-0: " + startId);
    }
  }

  public void start() {
    thread.start();
  }

  /** The ID of the last entry read (delivered, duplicate or bad); the start ID before any. */
  public String lastId() {
    return lastId.toString();
  }

  /** True once a read returned fewer entries than asked: the reader reached the stream's end. */
  public boolean caughtUp() {
    return caughtUp;
  }

  /** Whether the last read succeeded: false before the first and after a failure. */
  public boolean connected() {
    return connected;
  }

  /** Ticks delivered. */
  public long ticks() {
    return ticks.get();
  }

  /** Ticks skipped because their number was not above the last one (a repeated write). */
  public long staleTicks() {
    return staleTicks.get();
  }

  public long delivered() {
    return delivered.get();
  }

  public long duplicates() {
    return duplicates.get();
  }

  public long bad() {
    return bad.get();
  }

  /** The latest bad entry, "ID: reason"; null when there was none. */
  public String lastBad() {
    return lastBad;
  }

  /** Times the stream was found trimmed past the last ID read. */
  public long trimGaps() {
    return trimGaps.get();
  }

  /** Entries lost to trimming, where the reader knew its offset (see the class note). */
  public long trimmed() {
    return trimmed.get();
  }

  /** Failed reads (each followed by a backoff and a resume from {@link #lastId()}). */
  public long failures() {
    return failures.get();
  }

  public long sinkErrors() {
    return sinkErrors.get();
  }

  /** The latest failure, for status; null when there was none. */
  public String lastError() {
    return lastError;
  }

  /** Stops the reader thread, cutting a blocked read. */
  @Override
  public void close() {
    link.closeAndJoin(thread, TIMEOUT_MILLIS);
  }

  /** The reader thread: read from the last ID, deliver, again; on failure wait and resume. */
  private void run() {
    int attempt = 0; // failures since the last successful read
    try {
      while (!link.closed()) {
        try {
          readOnce();
          attempt = 0;
        } catch (RuntimeException e) { // Jedis' connection and protocol errors
          if (link.closed()) {
            break;
          }
          failures.incrementAndGet();
          connected = false;
          lastError = String.valueOf(e.getMessage());
          link.drop();
          long delay = Backoff.delayMillis(attempt++, random);
          LOG.debug("stream {}: read failed, resuming from {} in {} ms: {}", keyText, lastId, delay, lastError);
          link.awaitUnlessClosed(delay);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      link.drop();
    }
  }

  private void readOnce() {
    Jedis jedis = link.connection();
    if (jedis == null) {
      return; // closed
    }
    checkTrim(jedis);
    List<Map.Entry<byte[], List<StreamEntryBinary>>> reply =
        jedis.xreadBinary(
            XReadParams.xReadParams().count(COUNT).block(BLOCK_MILLIS), Map.of(key, lastId));
    List<StreamEntryBinary> entries =
        reply == null || reply.isEmpty() || reply.get(0).getValue() == null
            ? List.of()
            : reply.get(0).getValue();
    connected = true;
    for (StreamEntryBinary entry : entries) {
      if (link.closed()) {
        return;
      }
      take(entry);
    }
    if (entries.size() < COUNT) {
      try {
        sink.caughtUp(); // first: whoever sees caughtUp() true finds the sink caught up too
      } catch (RuntimeException error) {
        sinkErrors.incrementAndGet();
        LOG.warn("stream {}: the sink failed at the end of the stream", keyText, error);
      }
      caughtUp = true;
    }
  }


  /** One entry read: remember its ID and offset, then skip it or deliver it once. */
  private void take(StreamEntryBinary entry) {
    StreamEntryID id = entry.getID();
    lastId = id;
    if (offset >= 0) {
      offset++;
    }
    Decoded decoded = EventStreamCodec.decode(entry.getFields());
    if (decoded instanceof Bad b) {
      long n = bad.incrementAndGet();
      lastBad = id + ": " + b.reason();
      if (n <= LOGGED_BAD || n % 1000 == 0) {
        LOG.warn("stream {}: skipped bad entry {} ({} so far): {}", keyText, id, n, b.reason());
      }
      return;
    }
    if (decoded instanceof Tick t) {
      if (t.number() <= lastTick) {
        staleTicks.incrementAndGet();
        return;
      }
      lastTick = t.number();
      ticks.incrementAndGet();
      try {
        sink.tick(id.toString(), t.number(), t.millis());
      } catch (RuntimeException error) {
        sinkErrors.incrementAndGet();
        LOG.warn("stream {}: the sink failed on tick {}", keyText, id, error);
      }
      return;
    }
    Entry e = (Entry) decoded;
    if (seen.put(e.identity(), Boolean.TRUE) != null) {
      duplicates.incrementAndGet();
      return;
    }
    delivered.incrementAndGet();
    try {
      sink.accept(id.toString(), e.event());
    } catch (RuntimeException error) {
      sinkErrors.incrementAndGet();
      LOG.warn("stream {}: the sink failed on entry {}", keyText, id, error);
    }
  }

  /**
   * Detects a trim past {@link #lastId}: the stream's oldest entry ({@code
   * recorded-first-entry-id}) beyond it means the head was trimmed past what this reader read.
   * Trimming removes entries from the head only, so {@code entries-added − length} entries were
   * ever removed, and with a known offset the difference is what this reader never read.
   * (Redis 7.0 does not move {@code max-deleted-entry-id} when it trims, only on XDEL.)
   */
  private void checkTrim(Jedis jedis) {
    Map<String, Object> info;
    try {
      info = jedis.xinfoStream(keyText).getStreamInfo();
    } catch (JedisDataException noStream) { // no such key
      if (offset != 0 && !(fromStart && lastId.equals(ZERO))) {
        // Gone after we read from it (Redis lost its data, or the key was deleted): what was
        // written and not yet read is gone too, if anything was.
        trimGaps.incrementAndGet();
        LOG.warn("stream {}: the stream is gone after entry {}; entries may be lost", keyText, lastId);
      }
      offset = 0; // a new stream under this key counts its entries from 0
      // Its IDs come from the clock of whichever Redis holds it now, maybe behind our last ID:
      // read it from its start (repeats are dropped by identity).
      lastId = ZERO;
      return;
    }
    StreamEntryID first = id(info.get("recorded-first-entry-id"));
    long added = number(info.get("entries-added"));
    long length = number(info.get("length"));
    if (first == null || added < 0 || length < 0) {
      return; // before Redis 7: no trim detection
    }
    long removed = added - length;
    boolean nothingReadYet = fromStart && lastId.equals(ZERO); // lastId moves at the first entry
    if (nothingReadYet) {
      offset = removed; // "0": whatever was removed before we start lies behind us
      return;
    }
    StreamEntryID lastGenerated = id(info.get("last-generated-id"));
    if (added < offset || (lastGenerated != null && lastGenerated.compareTo(lastId) < 0)) {
      // Fewer ever added than we read, or a newest ID below the last one we read (IDs of one
      // stream only grow): a new stream under the key since we last looked.
      trimGaps.incrementAndGet();
      LOG.warn("stream {}: the stream was replaced after entry {}; entries may be lost", keyText, lastId);
      // As for a stream gone: the new one is read from its start, whatever its IDs.
      lastId = ZERO;
      offset = removed;
      return;
    }
    if (length > 0 && first.compareTo(lastId) <= 0) {
      return; // every entry after the last one read is still there
    }
    if (offset >= 0 && removed >= offset) {
      long lost = removed - offset;
      if (lost > 0) {
        trimGaps.incrementAndGet();
        trimmed.addAndGet(lost);
        LOG.warn("stream {}: trimmed past the last entry read {}: {} entries lost", keyText, lastId, lost);
      }
    } else if (length > 0) {
      // Unknown offset (a reader started from a saved ID): the oldest entry is past our last
      // one, so entries may be lost.
      trimGaps.incrementAndGet();
      LOG.warn("stream {}: oldest entry {} is past the last entry read {}; entries may be lost",
          keyText, first, lastId);
    }
    offset = removed;
  }

  private static StreamEntryID id(Object value) {
    if (value instanceof StreamEntryID id) {
      return id;
    }
    if (value instanceof byte[] bytes) {
      return new StreamEntryID(new String(bytes, StandardCharsets.US_ASCII));
    }
    if (value instanceof String s) {
      return new StreamEntryID(s);
    }
    return null; // before Redis 7: no trim detection
  }

  private static long number(Object value) {
    return value instanceof Number n ? n.longValue() : -1;
  }



  @Override
  public String toString() {
    return "EventStreamReader[" + keyText + " on " + redis + " at " + lastId + "]";
  }
}
