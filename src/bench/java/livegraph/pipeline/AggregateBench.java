package livegraph.pipeline;

import java.util.List;
import java.util.concurrent.TimeUnit;
import livegraph.bench.ProcessCpu;
import livegraph.bench.StackExchangeData;
import livegraph.bench.ThreadCpu;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One decoded StackExchange event into each chart kind's aggregator ({@link BenchCharts}), and
 * {@code advanceTo} across bucket edges.
 *
 * <p>{@code add}: events of the simulated feed (16,384, cycled; sites drawn by their real
 * question counts from sites.json: 199 communities, Stack Overflow 73% of events, 106 of its
 * tags), at {@code eventsPerSecond} of simulated time, so buckets fill, leave the windows and
 * free their keys as in a steady stream; the warm-up fills the rings. Score: events/s into
 * that one chart.
 *
 * <p>{@code advanceTenMinutes}: each iteration starts from an hour of traffic at 100 events/s
 * (1,000 events per 10 s bucket) and advances the clock 10 s at a time, 60 times. Every step
 * crosses one bucket edge: the bucket of an hour ago leaves the ring and the 1 h window (its
 * keys are released when no other bucket holds them), the bucket of 10 min ago leaves the 10 min
 * window. Sixty steps, because the shortest rings (10 min charts) hold 60 buckets: each step
 * expires a full bucket in every chart. Score: time per edge; {@code cpuMicrosPerOp} ({@link
 * ThreadCpu}) is its CPU time, which a busy machine does not inflate.
 *
 * <p>{@code add} also reports {@code cpuMicros} ({@link ProcessCpu}): on a busy machine, events
 * per CPU-second = score / cpuMicros × 1e6.
 *
 * <p>Full run (about 10 min): {@code java -jar target/benchmarks.jar AggregateBench -rf json -rff
 * target/aggregate.json}. Smoke: {@code java -jar target/benchmarks.jar AggregateBench -f 1 -wi
 * 1 -w 200ms -i 1 -r 300ms}. Build first: {@code ./mvnw -B -Pbench -DskipTests package}.
 */
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class AggregateBench {

  private static final int EVENTS = 16_384;
  private static final long BUCKET_MILLIS = 10_000;
  private static final int HOUR_BUCKETS = 360;
  private static final int TEN_MINUTES = 60;

  private static volatile List<Event> events;

  static Event[] events() {
    if (events == null) {
      events = StackExchangeData.events(StackExchangeData.syntheticFrames(EVENTS, 1));
    }
    return events.toArray(Event[]::new);
  }

  /** A chart taking a steady stream. */
  @State(Scope.Thread)
  public static class Stream {
    @Param({"communities", "tags", "activity", "latest", "heatmap", "p99", "histogram",
        "distinct"})
    public String chart;

    @Param({"1000"})
    public double eventsPerSecond;

    Aggregator aggregator;
    Event[] events;
    int next;
    double nowMillis;
    double stepMillis;

    @Setup(Level.Trial)
    public void setUp() {
      events = events();
      nowMillis = StackExchangeData.EPOCH_MILLIS;
      stepMillis = 1000 / eventsPerSecond;
      aggregator = BenchCharts.aggregator(chart, (long) nowMillis);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  public boolean add(Stream s, ProcessCpu cpu) {
    cpu.op();
    Event e = s.events[s.next];
    s.next = s.next + 1 == s.events.length ? 0 : s.next + 1;
    s.nowMillis += s.stepMillis;
    return s.aggregator.add((long) s.nowMillis, e);
  }

  /** A chart holding an hour of traffic, about to be advanced through it. */
  @State(Scope.Thread)
  public static class Hour {
    @Param({"communities", "tags", "activity", "heatmap", "p99", "histogram", "distinct"})
    public String chart;

    /** Events per 10 s bucket (1,000 = 100 events/s); the smoke run makes it small. */
    @Param({"1000"})
    public int perBucket;

    Aggregator aggregator;
    long nowMillis;

    @Setup(Level.Iteration)
    public void fill() {
      Event[] all = events();
      long start = StackExchangeData.EPOCH_MILLIS;
      aggregator = BenchCharts.aggregator(chart, start);
      int i = 0;
      for (int b = 0; b < HOUR_BUCKETS; b++) {
        for (int k = 0; k < perBucket; k++) {
          aggregator.add(start + b * BUCKET_MILLIS + k * (BUCKET_MILLIS / perBucket),
              all[i]);
          i = i + 1 == all.length ? 0 : i + 1;
        }
      }
      nowMillis = start + (HOUR_BUCKETS - 1) * BUCKET_MILLIS + BUCKET_MILLIS - 1;
      aggregator.advanceTo(nowMillis);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime) // one invocation per freshly filled iteration
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(TEN_MINUTES)
  @Warmup(iterations = 20, batchSize = 1)
  @Measurement(iterations = 20, batchSize = 1)
  public long advanceTenMinutes(Hour h, ThreadCpu cpu) {
    cpu.start();
    long t = h.nowMillis;
    for (int i = 0; i < TEN_MINUTES; i++) {
      t += BUCKET_MILLIS;
      h.aggregator.advanceTo(t);
    }
    h.nowMillis = t;
    cpu.stop(TEN_MINUTES);
    return t;
  }
}
