package livegraph.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import livegraph.source.EventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of all chart state for one dashboard: takes events through a bounded
 * intake, updates each chart's aggregator, and at each tick publishes the charts that changed.
 *
 * <p>Threads: {@link #offer} is called by sources on any thread; everything else happens on
 * the one pipeline thread started by {@link #start} (or on the caller of {@link #runOnce} when
 * embedded without a thread), the {@link Tap} included. {@link #snapshot()}, the counters and
 * {@link #close()} are safe from any thread.
 *
 * <p>Views: a pipeline may narrow its charts to a {@link View} and start from a history it
 * replays before its intake (the events its dashboard took before it existed); see {@code
 * FilteredViews}.
 *
 * <p>Time: chart time comes from the injected {@link Clock}. Events stamped later than the
 * clock count as now; events older than a chart's longest finite window or retention are left
 * out of it and counted in {@link #late()}. The tick cadence is real elapsed time (a timed wait
 * on the intake), so a pipeline driven by a fake clock still ticks.
 *
 * <p>A tick advances every chart to {@code clock.millis()}, encodes each chart whose state may
 * have changed, and publishes those whose bytes differ from the last published ones; when none
 * do it publishes nothing.
 */
public final class Pipeline implements EventSink, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

  /** Sees what the pipeline takes; the history views replay is kept by one. */
  @FunctionalInterface
  public interface Tap {
    /**
     * Called on the pipeline thread with each batch its charts took, in intake order, at
     * {@code nowMillis} (the time events stamped later count at). The list is reused: copy what
     * you keep.
     */
    void taken(List<Event> batch, long nowMillis);
  }

  /** The intake's capacity in a served dashboard (and in the browser build). */
  public static final int DEFAULT_INTAKE_CAPACITY = 10_000;

  /** Events applied between deadline checks, so a flood delays a tick by one batch at most. */
  private static final int BATCH = 1024;

  /** While events keep coming, the thread naps this long between drains; see {@link #loop}. */
  private static final long NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final String[] ids;
  private final Aggregator[] aggregators; // pipeline thread
  private final byte[][] published; // last published bytes per chart; pipeline thread
  private final Clock clock;
  private final long tickNanos;
  private final FrameSink sink;
  private final Tap tap; // null: none
  // Bounded at intakeCapacity; when full, offer() refuses the newest event and counts it in
  // dropped(): a source is never blocked by a slow pipeline.
  private final BlockingQueue<Event> intake;
  // A view's pipeline is fed whole batches by its dashboard's pipeline thread (offerAll): one
  // hand-off per batch, not per event. Bounded at intakeCapacity events, counted in feedEvents;
  // a batch that does not fit is refused whole and counted in dropped(). Null unless a view.
  private final BlockingQueue<List<Event>> feed;
  private final AtomicInteger feedEvents = new AtomicInteger();
  private final int intakeCapacity;
  private final List<Event> batch = new ArrayList<>(BATCH); // pipeline thread
  private final AtomicLong eventsIn = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong late = new AtomicLong();
  private long sinkFailures; // pipeline thread
  // When the newest batch since the last publish was taken (System.nanoTime), or NO_EVENT; one
  // clock read per batch, not per event. Pipeline thread.
  private long newestBatchNanos = FrameSink.NO_EVENT;
  private volatile Map<String, byte[]> snapshot; // replaced by the pipeline thread at each publish

  private final Object lifecycle = new Object();
  private Thread thread; // guarded by lifecycle
  private List<Event> history = List.of(); // set before the thread starts; then pipeline thread
  private volatile boolean closed;

  /** The whole dashboard, its charts starting now, seen by no tap. */
  public Pipeline(
      List<ChartSpec> charts, Clock clock, int intakeCapacity, Duration tick, FrameSink sink) {
    this(charts, null, clockMillis(clock), clock, intakeCapacity, tick, sink, null);
  }

  /**
   * @param view narrows every chart ({@link View#filterFor}), or null for the whole dashboard
   * @param startMillis when the charts start (their since-start windows count from here): now,
   *     or for a view the start of the history it will replay
   * @param tap sees every batch this pipeline takes, or null
   */
  public Pipeline(List<ChartSpec> charts, View view, long startMillis, Clock clock,
      int intakeCapacity, Duration tick, FrameSink sink, Tap tap) {
    Objects.requireNonNull(charts, "charts");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.tap = tap;
    Checks.positive(intakeCapacity, "intakeCapacity");
    this.tickNanos = Checks.positive(tick, "tick").toNanos();
    if (charts.isEmpty()) {
      throw new IllegalArgumentException("charts must not be empty");
    }
    long now = startMillis;
    ids = new String[charts.size()];
    aggregators = new Aggregator[charts.size()];
    published = new byte[charts.size()][];
    Set<String> seen = new HashSet<>();
    Map<String, byte[]> initial = new LinkedHashMap<>();
    for (int i = 0; i < ids.length; i++) {
      ChartSpec spec = Objects.requireNonNull(charts.get(i), "chart spec");
      if (!seen.add(spec.id())) {
        throw new IllegalArgumentException("duplicate chart id: " + spec.id());
      }
      ids[i] = spec.id();
      aggregators[i] = Aggregator.of(spec, view == null ? spec.filter() : view.filterFor(spec), now);
      published[i] = ChartJson.encode(aggregators[i]);
      initial.put(ids[i], published[i]);
    }
    this.intakeCapacity = intakeCapacity;
    intake = new ArrayBlockingQueue<>(view == null ? intakeCapacity : 1);
    feed = view == null ? null : new ArrayBlockingQueue<>(intakeCapacity);
    snapshot = Collections.unmodifiableMap(initial);
  }

  /** Takes the event without blocking; {@code false} (and counted) when the intake is full. */
  @Override
  public boolean offer(Event e) {
    if (feed != null) {
      return e != null ? offerAll(List.of(e)) : offerAll(List.of());
    }
    if (e != null && !closed && intake.offer(e)) {
      eventsIn.incrementAndGet();
      return true;
    }
    dropped.incrementAndGet();
    return false;
  }

  /**
   * Whether {@link #offer} would refuse an event now: the intake is full or the pipeline closed.
   * A view's pipeline, fed whole batches, never says so.
   */
  @Override
  public boolean full() {
    return feed == null && (closed || intake.remainingCapacity() == 0);
  }

  /** Counts an event a source refused undecoded after {@link #full()}, as {@link #offer} would. */
  @Override
  public void refused() {
    dropped.incrementAndGet();
  }

  /**
   * Takes a batch of events, never changed afterwards, without blocking: a view's pipeline is
   * fed this way by its dashboard's. {@code false} (and all counted as dropped) when they do not
   * all fit in the intake. A pipeline of the whole dashboard takes them one by one.
   */
  public boolean offerAll(List<Event> events) {
    if (feed == null) {
      boolean all = true;
      for (Event e : events) {
        all &= offer(e);
      }
      return all;
    }
    int n = events.size();
    if (n == 0) {
      dropped.incrementAndGet(); // as offer(null)
      return false;
    }
    if (!closed && feedEvents.addAndGet(n) <= intakeCapacity) {
      if (feed.offer(events)) {
        eventsIn.addAndGet(n);
        return true;
      }
    }
    feedEvents.addAndGet(-n);
    dropped.addAndGet(n);
    return false;
  }

  /** Starts the pipeline thread; at most once, and not after {@link #close()}. */
  public void start(ThreadFactory threads) {
    start(threads, List.of());
  }

  /**
   * Starts the pipeline thread, which first takes {@code history} (oldest first, events taken
   * before any in the intake), publishes, and then goes on with the intake; at most once, and
   * not after {@link #close()}.
   */
  public void start(ThreadFactory threads, List<Event> history) {
    synchronized (lifecycle) {
      if (thread != null || closed) {
        throw new IllegalStateException(closed ? "pipeline closed" : "pipeline already started");
      }
      this.history = List.copyOf(history);
      thread = threads.newThread(this::loop);
      if (thread == null) {
        throw new IllegalStateException("thread factory returned no thread");
      }
      thread.start();
    }
  }

  /**
   * Takes {@code history} (oldest first) on the calling thread, as {@link #start(ThreadFactory,
   * List)} does on the pipeline thread; for tests and embedding without a thread.
   *
   * @throws IllegalStateException after {@link #start} or {@link #close()}
   */
  public void replay(List<Event> history) {
    synchronized (lifecycle) {
      if (thread != null || closed) {
        throw new IllegalStateException(
            closed ? "pipeline closed" : "replay is not allowed once started");
      }
      applyAll(history);
    }
  }

  /**
   * Drains the intake, advances time to {@code clock.millis()} and publishes what changed, on
   * the calling thread; for tests and embedding without a thread.
   *
   * @throws IllegalStateException after {@link #start} or {@link #close()}
   */
  public void runOnce() {
    synchronized (lifecycle) {
      if (thread != null || closed) {
        throw new IllegalStateException(
            closed ? "pipeline closed" : "runOnce is not allowed once started");
      }
      // poll, not drainTo: the browser build runs this method, and TeaVM 0.16's
      // ArrayBlockingQueue.drainTo(c, n) hands out empty slots as events once n reaches the
      // queue's tail index.
      for (Event event = intake.poll(); event != null; event = intake.poll()) {
        batch.add(event);
        if (batch.size() == BATCH) {
          applyBatch();
        }
      }
      if (!batch.isEmpty()) {
        applyBatch();
      }
      while (drainFeed(null)) {
        applyBatch();
      }
      tick();
    }
  }

  /**
   * The full state of every chart as of the last publish (or the empty initial state), in spec
   * order; unmodifiable, arrays shared: never write to them. Safe from any thread.
   */
  public Map<String, byte[]> snapshot() {
    return snapshot;
  }

  /** Events taken into the intake. */
  public long eventsIn() {
    return eventsIn.get();
  }

  /** Events refused because the intake was full (or the pipeline closed). */
  public long dropped() {
    return dropped.get();
  }

  /** Events older than some chart's longest finite window or retention, left out of it. */
  public long late() {
    return late.get();
  }

  /** Stops the pipeline thread and waits briefly for it; idempotent. */
  @Override
  public void close() {
    Thread running;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      running = thread;
    }
    if (running != null && running != Thread.currentThread()) {
      running.interrupt();
      try {
        running.join(TimeUnit.NANOSECONDS.toMillis(tickNanos) + 5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (running.isAlive()) {
        log.warn("pipeline thread {} did not stop within 5 s", running.getName());
      }
    }
  }

  private void loop() {
    if (!history.isEmpty()) {
      try {
        applyAll(history);
        tick();
      } catch (RuntimeException e) {
        batch.clear();
        log.error("replaying the history failed; going on with live events", e);
      }
      history = List.of();
    }
    long deadline = System.nanoTime() + tickNanos;
    int drained = 0; // events taken by the last drain
    while (!closed) {
      try {
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
          tick();
          deadline += tickNanos;
          long now = System.nanoTime();
          if (deadline - now < 0) {
            // Fell behind (a pause, a slow sink): skip the missed ticks instead of bursting.
            deadline = now + tickNanos;
          }
          continue;
        }
        if (feed != null) {
          // A filtered view: its events come in whole batches from the dashboard's pipeline.
          if (drainFeed(feed.poll(wait, TimeUnit.NANOSECONDS))) {
            applyBatch();
          }
          continue;
        }
        if (drained >= BATCH) {
          drained = drain(); // a flood: drain on, checking the deadline between batches
        } else if (drained > 0) {
          // Events are coming: nap, then take what gathered, instead of waiting on the intake.
          // A thread waiting there is woken by every offer (a futex call on each side per
          // event: 18% of the CPU of IngestBench.threaded at 120k events/s). Charts are
          // published at the tick, so applying an event up to a nap later delays nothing a
          // viewer sees; at 1 ms the intake fills only above 10M events/s.
          TimeUnit.NANOSECONDS.sleep(Math.min(NAP_NANOS, wait));
          drained = drain();
        } else {
          // Idle: wait for the first event (or the tick).
          Event first = intake.poll(wait, TimeUnit.NANOSECONDS);
          if (first != null) {
            batch.add(first);
            drained = 1 + intake.drainTo(batch, BATCH - 1);
            applyBatch();
          }
        }
      } catch (InterruptedException e) {
        if (!closed) {
          log.warn("pipeline thread interrupted without close(); stopping");
        }
        return;
      } catch (RuntimeException e) {
        // A bug in one chart must not stop the others from updating.
        batch.clear();
        drained = 0;
        log.error("pipeline tick failed; continuing", e);
      }
    }
  }

  /**
   * Moves {@code first} (if not null) and the fed batches after it into {@code batch}, up to
   * about {@link #BATCH} events; whether there were any.
   */
  private boolean drainFeed(List<Event> first) {
    if (feed == null) {
      return false;
    }
    List<Event> next = first != null ? first : feed.poll();
    boolean any = false;
    while (next != null) {
      any = true;
      batch.addAll(next);
      feedEvents.addAndGet(-next.size());
      next = batch.size() < BATCH ? feed.poll() : null;
    }
    return any;
  }

  private void applyAll(List<Event> events) {
    for (int i = 0; i < events.size(); i += BATCH) {
      batch.addAll(events.subList(i, Math.min(events.size(), i + BATCH)));
      applyBatch();
    }
  }

  /** Applies up to one batch from the intake; returns how many events it took. */
  private int drain() {
    int n = intake.drainTo(batch, BATCH);
    if (n > 0) {
      applyBatch();
    }
    return n;
  }

  private void applyBatch() {
    newestBatchNanos = System.nanoTime();
    long now = clock.millis();
    for (Event event : batch) {
      long time = Math.min(event.timeMillis(), now);
      boolean tooOld = false;
      for (Aggregator aggregator : aggregators) {
        tooOld |= !aggregator.add(time, event);
      }
      if (tooOld) {
        late.incrementAndGet();
      }
    }
    if (tap != null) {
      tap.taken(batch, now);
    }
    batch.clear();
  }

  private static long clockMillis(Clock clock) {
    return Objects.requireNonNull(clock, "clock").millis();
  }

  private void tick() {
    long now = clock.millis();
    // Events whose batch changed no chart's bytes are sent in no frame: forget them here.
    long newest = newestBatchNanos;
    newestBatchNanos = FrameSink.NO_EVENT;
    Map<String, byte[]> changed = null;
    for (int i = 0; i < aggregators.length; i++) {
      Aggregator aggregator = aggregators[i];
      aggregator.advanceTo(now);
      if (aggregator.changed()) {
        byte[] bytes = ChartJson.encode(aggregator);
        // A change below the top K, or a bucket change that moved no count, leaves the bytes
        // equal: not worth a frame.
        if (!Arrays.equals(bytes, published[i])) {
          published[i] = bytes;
          if (changed == null) {
            changed = new LinkedHashMap<>();
          }
          changed.put(ids[i], bytes);
        }
      }
    }
    if (changed == null) {
      return;
    }
    Map<String, byte[]> next = new LinkedHashMap<>();
    for (int i = 0; i < ids.length; i++) {
      next.put(ids[i], published[i]);
    }
    snapshot = Collections.unmodifiableMap(next);
    try {
      sink.publish(Collections.unmodifiableMap(changed), newest);
    } catch (RuntimeException e) {
      sinkFailures++;
      // Powers of two: the first failures are all logged, a persistent one does not flood.
      if (Long.bitCount(sinkFailures) == 1) {
        log.warn("frame sink failed ({} times so far); charts keep updating", sinkFailures, e);
      }
    }
  }
}
