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
 * embedded without a thread). {@link #snapshot()}, the counters and {@link #close()} are safe
 * from any thread.
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
  // Bounded at intakeCapacity; when full, offer() refuses the newest event and counts it in
  // dropped(): a source is never blocked by a slow pipeline.
  private final BlockingQueue<Event> intake;
  private final List<Event> batch = new ArrayList<>(BATCH); // pipeline thread
  private final AtomicLong eventsIn = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong late = new AtomicLong();
  private long sinkFailures; // pipeline thread
  private volatile Map<String, byte[]> snapshot; // replaced by the pipeline thread at each publish

  private final Object lifecycle = new Object();
  private Thread thread; // guarded by lifecycle
  private volatile boolean closed;

  public Pipeline(
      List<ChartSpec> charts, Clock clock, int intakeCapacity, Duration tick, FrameSink sink) {
    Objects.requireNonNull(charts, "charts");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sink = Objects.requireNonNull(sink, "sink");
    Checks.positive(intakeCapacity, "intakeCapacity");
    this.tickNanos = Checks.positive(tick, "tick").toNanos();
    if (charts.isEmpty()) {
      throw new IllegalArgumentException("charts must not be empty");
    }
    long now = clock.millis();
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
      aggregators[i] = Aggregator.of(spec, now);
      published[i] = ChartJson.encode(aggregators[i]);
      initial.put(ids[i], published[i]);
    }
    intake = new ArrayBlockingQueue<>(intakeCapacity);
    snapshot = Collections.unmodifiableMap(initial);
  }

  /** Takes the event without blocking; {@code false} (and counted) when the intake is full. */
  @Override
  public boolean offer(Event e) {
    if (e != null && !closed && intake.offer(e)) {
      eventsIn.incrementAndGet();
      return true;
    }
    dropped.incrementAndGet();
    return false;
  }

  /** Starts the pipeline thread; at most once, and not after {@link #close()}. */
  public void start(ThreadFactory threads) {
    synchronized (lifecycle) {
      if (thread != null || closed) {
        throw new IllegalStateException(closed ? "pipeline closed" : "pipeline already started");
      }
      thread = threads.newThread(this::loop);
      if (thread == null) {
        throw new IllegalStateException("thread factory returned no thread");
      }
      thread.start();
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
      while (intake.drainTo(batch, BATCH) > 0) {
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

  /** Applies up to one batch from the intake; returns how many events it took. */
  private int drain() {
    int n = intake.drainTo(batch, BATCH);
    if (n > 0) {
      applyBatch();
    }
    return n;
  }

  private void applyBatch() {
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
    batch.clear();
  }

  private void tick() {
    long now = clock.millis();
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
      sink.publish(Collections.unmodifiableMap(changed));
    } catch (RuntimeException e) {
      sinkFailures++;
      // Powers of two: the first failures are all logged, a persistent one does not flood.
      if (Long.bitCount(sinkFailures) == 1) {
        log.warn("frame sink failed ({} times so far); charts keep updating", sinkFailures, e);
      }
    }
  }
}
