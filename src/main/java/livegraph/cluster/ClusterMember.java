package livegraph.cluster;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import livegraph.pipeline.Clock;
import livegraph.pipeline.Event;
import livegraph.source.Backoff;
import livegraph.source.EventSink;
import livegraph.source.SourceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * One node's part in one dashboard's cluster: it reads the dashboard's stream, and while it holds
 * the dashboard's lease it also ingests the upstream into that stream.
 *
 * <p>Every node, the leader included, builds its charts only from the stream: a {@link
 * EventStreamReader} hands each event and each tick, in stream order, to the node's driver, which
 * applies the events and cuts one frame per tick at the tick's time, numbered by it. Every node
 * thus computes the same charts and numbers its deltas the same way, so a page can resume on any
 * node. Until its reader first reaches the end of the stream the node is catching up (it
 * rebuilds its charts from what the stream keeps) and says so in {@link #status()}.
 *
 * <p>Leadership: a {@link LeaseKeeper} keeps trying for the lease. When it gets it, this node
 * opens the dashboard's sources ({@link Ingest}) into a new {@link EventStreamWriter} fenced by
 * the lease's value, and a ticker appends a tick every {@link ClusterSettings#tick()} while events
 * come, and every {@link ClusterSettings#idleTick()} when none do. When it loses it, the sink
 * refuses events at once ({@link LeaseKeeper#held()} is checked per event), and the sources and
 * the writer are closed; a batch already on its way is refused by Redis (the fence).
 *
 * <p>Threads: the keeper's steps, the ticker and the leader poll run on the injected scheduler
 * (one thread); taking and giving up the lease (opening sources, closing the writer, which may
 * wait on its thread) runs on a thread of its own, in order, so the keeper's steps stay short.
 */
public final class ClusterMember implements AutoCloseable {

  /** Opens the dashboard's sources; the leader's ingest. */
  public interface Ingest {
    /** Starts reading the upstream into {@code sink}; closing the result stops it. */
    Ingestion open(EventSink sink);
  }

  /** Sources reading the upstream for this node while it leads. */
  public interface Ingestion extends AutoCloseable {
    /** Their statuses by source name. */
    Map<String, SourceStatus> statuses();

    @Override
    void close();
  }

  /** Where the node is with the stream. */
  public enum State {
    /** Reading what the stream keeps before showing live frames. */
    CATCHING_UP,
    /** Reading frames as the leader writes them. */
    LIVE,
    /** Redis does not answer: the charts stay as they were; reads resume from the last ID. */
    REDIS_UNREACHABLE
  }

  /** What {@link #status()} reports, for /healthz and the status bar. */
  public record Status(
      State state,
      boolean leader,
      String leaderNode,
      String detail,
      long events,
      long duplicates,
      long ticks,
      String lastId,
      long trimmed,
      long written,
      long dropped,
      long fenced,
      long writeFailures,
      long readFailures,
      long terms) {}

  private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);
  private static final long DRAIN_MILLIS = 2_000;

  private final ClusterSettings settings;
  private final ClusterKeys keys;
  private final String dashboard;
  private final long reachMillis;
  private final Map<String, List<String>> identities;
  private final Ingest ingest;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final ThreadFactory threads;
  private final RandomGenerator random;
  private final Lease lease;
  private final LeaseKeeper keeper;
  private final EventStreamReader reader;
  // Takes and gives up the lease in order, off the scheduler; bounded by the keeper's changes.
  private final ExecutorService terms;

  private volatile EventStreamWriter writer; // this term's; null while following
  // This term's sources; null while following. Taken with getAndSet so they close once.
  private final java.util.concurrent.atomic.AtomicReference<Ingestion> ingestion =
      new java.util.concurrent.atomic.AtomicReference<>();
  private ScheduledFuture<?> ticker; // terms thread
  private ScheduledFuture<?> leaderPoll;
  private long appendedAtLastTick; // scheduler thread
  private long lastTickMillis; // scheduler thread
  private volatile String leaderNode = "";
  private volatile boolean closed;
  // Counters of the terms that ended, so status() adds the current writer's to them.
  private final AtomicLong pastWritten = new AtomicLong();
  private final AtomicLong pastDropped = new AtomicLong();
  private final AtomicLong pastFenced = new AtomicLong();
  private final AtomicLong pastWriteFailures = new AtomicLong();
  private final AtomicLong termCount = new AtomicLong();
  private final AtomicLong refusedNotLeader = new AtomicLong();

  /**
   * A member for the dashboard {@code dashboard}; nothing happens until {@link #start()}.
   *
   * @param reachMillis how far back the charts reach: the stream keeps that much (see {@link
   *     EventStreamWriter})
   * @param identities each source's identity fields, by source name
   * @param driver gets every entry of the stream, on the reader's thread
   * @param clock the wall clock (ticks, trimming)
   */
  public ClusterMember(ClusterSettings settings, ClusterKeys keys, String dashboard,
      long reachMillis, Map<String, List<String>> identities, Ingest ingest,
      EventStreamReader.Sink driver, Clock clock, ScheduledExecutorService scheduler,
      ThreadFactory threads, RandomGenerator random) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.dashboard = Objects.requireNonNull(dashboard, "dashboard");
    this.reachMillis = reachMillis == Long.MAX_VALUE ? 0 : reachMillis;
    this.identities = Map.copyOf(identities);
    this.ingest = Objects.requireNonNull(ingest, "ingest");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.threads = Objects.requireNonNull(threads, "threads");
    this.random = Objects.requireNonNull(random, "random");
    this.lease = Lease.create(settings.endpoint(), keys.lease(), settings.nodeId(),
        settings.leaseTtl(), random);
    this.keeper = new LeaseKeeper(lease, new LeaseKeeper.Listener() {
      @Override
      public void onAcquired() {
        terms.execute(ClusterMember.this::lead);
      }

      @Override
      public void onLost(String reason) {
        // The sink already refuses (it asks held()); this closes the sources and the writer.
        LOG.info("dashboard {}: node {} stops ingesting: {}", dashboard, settings.nodeId(), reason);
        terms.execute(ClusterMember.this::follow);
      }
    }, scheduler, LeaseKeeper.monotonic(), random);
    this.reader = new EventStreamReader(settings.endpoint(), keys.stream(), "0",
        EventStreamReader.DEDUPE_WINDOW, driver, threads, random);
    this.terms = Executors.newSingleThreadExecutor(threads);
  }

  /**
   * When the charts of the dashboard's stream started: the value under {@link
   * ClusterKeys#start()}, set to {@code nowMillis} by the first node to ask. Every node's
   * since-start windows count from it. Retries with backoff for up to {@code waitMillis}.
   *
   * @throws IllegalStateException when Redis did not answer in that time, saying so
   */
  public static long chartStart(ClusterSettings settings, ClusterKeys keys, long nowMillis,
      long waitMillis, RandomGenerator random) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    RuntimeException last = null;
    for (int attempt = 0; ; attempt++) {
      RedisEndpoint redis = settings.endpoint();
      try (Jedis jedis = new Jedis(redis.address(),
          redis.config("livegraph-start-" + settings.nodeId(), 2_000, 2_000))) {
        jedis.set(keys.start(), Long.toString(nowMillis), SetParams.setParams().nx());
        String value = jedis.get(keys.start());
        try {
          return Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new IllegalStateException("the key " + keys.start() + " holds '" + value
              + "', not a time in ms: delete it or choose another --cluster-prefix");
        }
      } catch (IllegalStateException e) {
        throw e;
      } catch (RuntimeException e) {
        last = e;
      }
      long delay = Math.min(Backoff.delayMillis(attempt, random),
          TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      if (delay <= 0) {
        throw new IllegalStateException("cannot reach Redis at " + settings.endpoint() + " within "
            + waitMillis + " ms: " + last.getMessage(), last);
      }
      LOG.warn("waiting for Redis at {}: {}", settings.endpoint(), last.getMessage());
      Thread.sleep(delay); // a start-up wait on the starting thread, not a test's synchronisation
    }
  }

  /** Starts reading the stream and trying for the lease. */
  public void start() {
    reader.start();
    keeper.start();
    leaderPoll = scheduler.scheduleWithFixedDelay(this::pollLeader, 0, 1, TimeUnit.SECONDS);
  }

  /** This node holds the lease: open the sources into a fenced writer, start ticking. */
  private void lead() {
    if (closed || !keeper.held() || writer != null) {
      return;
    }
    EventStreamWriter w = new EventStreamWriter(settings.endpoint(), keys.stream(), keys.ticks(),
        new EventStreamWriter.Fence(keys.lease(), lease.value()), settings.maxEntries(),
        reachMillis, identities, settings.writerCapacity(), threads, random, clock);
    w.start();
    writer = w;
    termCount.incrementAndGet();
    leaderNode = settings.nodeId();
    ingestion.set(ingest.open(new LeaderSink(w)));
    long tickMillis = settings.tick().toMillis();
    ticker = scheduler.scheduleAtFixedRate(this::tick, 0, tickMillis, TimeUnit.MILLISECONDS);
    LOG.info("dashboard {}: node {} now ingests its sources into {}", dashboard,
        settings.nodeId(), keys.stream());
  }

  /** This node no longer holds the lease (or is stopping): close the sources and the writer. */
  private void follow() {
    if (ticker != null) {
      ticker.cancel(false);
      ticker = null;
    }
    Ingestion i = ingestion.getAndSet(null);
    if (i != null) {
      i.close();
    }
    EventStreamWriter w = writer;
    writer = null;
    if (w != null) {
      w.close();
      pastWritten.addAndGet(w.written());
      pastDropped.addAndGet(w.dropped() + w.unwritten());
      pastFenced.addAndGet(w.fenced());
      pastWriteFailures.addAndGet(w.failures());
    }
  }

  /** The ticker: a tick when events came since the last one, or when the idle tick is due. */
  private void tick() {
    EventStreamWriter w = writer;
    if (w == null || !keeper.held()) {
      return;
    }
    long now = clock.millis();
    long appended = w.appended();
    if (appended != appendedAtLastTick || now - lastTickMillis >= settings.idleTick().toMillis()) {
      if (w.tick(now)) {
        appendedAtLastTick = appended;
        lastTickMillis = now;
      }
    }
  }

  private void pollLeader() {
    try {
      leaderNode = lease.holder().orElse("");
    } catch (RuntimeException e) {
      leaderNode = "";
    }
  }

  /** Where this node is with the stream, and who leads; safe from any thread. */
  public Status status() {
    EventStreamWriter w = writer;
    boolean leader = w != null && keeper.held();
    State state = reader.failures() > 0 && !reader.connected() ? State.REDIS_UNREACHABLE
        : reader.caughtUp() ? State.LIVE : State.CATCHING_UP;
    String who = leader ? settings.nodeId() : leaderNode;
    String detail = switch (state) {
      case CATCHING_UP -> "catching up with the cluster's stream (" + reader.delivered()
          + " events read)";
      case REDIS_UNREACHABLE -> "Redis at " + settings.endpoint()
          + " unreachable: showing the last state, retrying (" + reader.lastError() + ")";
      case LIVE -> who.isEmpty() ? "cluster: no node ingests (lease free or Redis slow)"
          : leader ? "cluster: this node (" + settings.nodeId() + ") ingests"
          : "cluster: node " + who + " ingests";
    };
    return new Status(state, leader, who, detail, reader.delivered(), reader.duplicates(),
        reader.ticks(), reader.lastId(), reader.trimmed(),
        pastWritten.get() + (w == null ? 0 : w.written()),
        pastDropped.get() + refusedNotLeader.get() + (w == null ? 0 : w.dropped()),
        pastFenced.get() + (w == null ? 0 : w.fenced()),
        pastWriteFailures.get() + (w == null ? 0 : w.failures()), reader.failures(),
        termCount.get());
  }

  /** The sources' statuses while this node leads; empty while it follows. */
  public Map<String, SourceStatus> sourceStatuses() {
    Ingestion i = ingestion.get();
    return i == null ? Map.of() : i.statuses();
  }

  /**
   * Stops: the sources first, then (leading) waits up to 2 s for the writer to send what it
   * holds, releases the lease so another node takes over at once, and stops the reader.
   */
  @Override
  public void close() {
    closed = true;
    if (leaderPoll != null) {
      leaderPoll.cancel(false);
    }
    Ingestion i = ingestion.getAndSet(null);
    if (i != null) {
      i.close();
    }
    EventStreamWriter w = writer;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
    while (w != null && !w.drained() && System.nanoTime() < deadline) {
      try { // a bounded drain at shutdown, polled: the writer thread empties the queue
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    keeper.close();
    terms.execute(this::follow);
    terms.shutdown();
    try {
      if (!terms.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("dashboard {}: the cluster member did not stop within 10 s", dashboard);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reader.close();
  }

  /** The leader's sources deliver here: into the writer while the lease is held. */
  private final class LeaderSink implements EventSink {
    private final EventStreamWriter target;

    LeaderSink(EventStreamWriter target) {
      this.target = target;
    }

    @Override
    public boolean offer(Event event) {
      if (!keeper.held()) {
        refusedNotLeader.incrementAndGet();
        return false;
      }
      return target.append(event);
    }

    @Override
    public boolean full() {
      return !keeper.held() || target.full();
    }

    @Override
    public void refused() {
      refusedNotLeader.incrementAndGet();
    }
  }
}
