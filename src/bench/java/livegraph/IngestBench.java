package livegraph;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import livegraph.bench.ProcessCpu;
import livegraph.bench.StackExchangeData;
import livegraph.dashboard.Dashboard;
import livegraph.hub.Hub;
import livegraph.pipeline.Clock;
import livegraph.pipeline.Pipeline;
import livegraph.source.JsonEventDecoder;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole ingest path of the built-in dashboard: a StackExchange text frame decoded as the
 * WebSocket source decodes it, offered to the dashboard's {@link Pipeline}, aggregated into its
 * four charts, which each tick encodes and publishes to a {@link Hub} (no viewers: fan-out is
 * measured elsewhere). The frames are 1,024 of the simulated feed, cycled. Scores are frames/s;
 * the secondary result {@code cpuMicros} ({@link ProcessCpu}) gives the CPU it took, so frames
 * per core = score / cpuMicros × 1e6. This is issue 5's "StackExchange frames decoded and
 * aggregated, one core" row.
 *
 * <ul>
 *   <li>{@code runOnce}: one thread does everything, as {@link Pipeline#runOnce} embeds it: per
 *       invocation 10,000 frames (the default intake) decoded and offered, then one tick with
 *       the clock 100 ms later. At 100k frames/s of simulated feed the ticks are as frequent as
 *       a real 100 ms tick at that rate; at higher rates a real pipeline ticks less often per
 *       frame, so this overstates the tick's share.
 *   <li>{@code threaded}: the served arrangement. The benchmark thread stands for the source's
 *       event loop (decode, {@link Pipeline#offer}); the pipeline thread applies batches and
 *       ticks every 100 ms of real time. When the intake is full the producer parks 50 µs and
 *       offers again (a real source would drop and count). Uses up to two cores.
 * </ul>
 *
 * <p>Full run (about 2 min): {@code java -jar target/benchmarks.jar IngestBench -rf json -rff
 * target/ingest.json}. Smoke: {@code java -jar target/benchmarks.jar IngestBench -f 1 -wi 1 -w
 * 200ms -i 1 -r 300ms}. Profile: add {@code -prof jfr} (JMH 1.37 writes a .jfr per fork).
 * Build first: {@code ./mvnw -B -Pbench -DskipTests package}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class IngestBench {

  private static final int TICK_FRAMES = 10_000;
  private static final int FRAMES = 1024;

  /** Frames of the simulated feed and the built-in dashboard's decoder. */
  @State(Scope.Thread)
  public abstract static class Feed {
    /**
     * {@code dashboard}: as served, the built-in source's decoding narrowed to the fields its
     * charts read ({@code FieldDemand}); {@code all}: every one of its eight extracts, as a
     * source without a dashboard decodes ({@code -p fields=all}); {@code charted}: a decoding
     * written with only the five charted extracts.
     */
    @Param({"dashboard"})
    public String fields;

    String[] frames;
    JsonEventDecoder decoder;
    Dashboard dashboard;
    int next;

    void load() {
      frames = StackExchangeData.syntheticFrames(FRAMES, 1).toArray(String[]::new);
      decoder = switch (fields) {
        case "charted" -> StackExchangeData.chartedDecoder();
        case "all" -> StackExchangeData.allFieldsDecoder();
        default -> StackExchangeData.decoder();
      };
      dashboard = StackExchangeData.dashboard();
    }

    String nextFrame() {
      String f = frames[next];
      next = next + 1 == frames.length ? 0 : next + 1;
      return f;
    }

    /** A pipeline of the dashboard's charts publishing into a hub, as DashboardRuntime wires it. */
    Pipeline pipeline(Clock clock) {
      Hub[] hub = new Hub[1];
      Pipeline p = new Pipeline(dashboard.charts(), clock, TICK_FRAMES, Duration.ofMillis(100),
          changed -> hub[0].publish(changed));
      hub[0] = new Hub(new byte[] {'{', '}'}, p.snapshot(), clock, Hub.Limits.defaults());
      return p;
    }
  }

  @State(Scope.Thread)
  public static class Single extends Feed {
    Pipeline pipeline;
    long nowMillis = StackExchangeData.EPOCH_MILLIS;

    @Setup(Level.Trial)
    public void setUp() {
      load();
      pipeline = pipeline(() -> nowMillis);
    }

    @TearDown(Level.Trial)
    public void check() {
      pipeline.close();
      if (pipeline.dropped() > 0) {
        throw new IllegalStateException("intake refused " + pipeline.dropped() + " events");
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(TICK_FRAMES)
  public void runOnce(Single s, ProcessCpu cpu) {
    long now = s.nowMillis;
    for (int i = 0; i < TICK_FRAMES; i++) {
      JsonEventDecoder.Result r = s.decoder.decode(s.nextFrame(), StackExchangeData.META, now);
      if (r instanceof JsonEventDecoder.Decoded d) {
        s.pipeline.offer(d.event());
      }
    }
    s.nowMillis = now + 100;
    s.pipeline.runOnce();
    cpu.sample();
  }

  /**
   * {@link #runOnce} as single shots of fixed work, timed by CPU rather than the clock: on a
   * machine so loaded that a fork gets a tenth of a core, a time-based warm-up never reaches
   * compiled code, and per-second scores mean little. Each iteration is one invocation (10,000
   * frames and a tick); {@code cpuMicrosPerOp} is the benchmark thread's CPU per frame, {@code
   * processCpuMicrosPerOp} the JVM's (GC, JIT). Run: {@code java -jar target/benchmarks.jar
   * IngestBench.runOnceCpu -f 3 -rf json -rff target/ingest-cpu.json}.
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 300)
  @Measurement(iterations = 100)
  public void runOnceCpu(Single s, livegraph.bench.ThreadCpu cpu) {
    cpu.start();
    long now = s.nowMillis;
    for (int i = 0; i < TICK_FRAMES; i++) {
      JsonEventDecoder.Result r = s.decoder.decode(s.nextFrame(), StackExchangeData.META, now);
      if (r instanceof JsonEventDecoder.Decoded d) {
        s.pipeline.offer(d.event());
      }
    }
    s.nowMillis = now + 100;
    s.pipeline.runOnce();
    cpu.stop(TICK_FRAMES);
  }

  @State(Scope.Thread)
  public static class Threaded extends Feed {
    Pipeline pipeline;

    @Setup(Level.Trial)
    public void setUp() {
      load();
      pipeline = pipeline(Clock.system());
      pipeline.start(r -> {
        Thread t = new Thread(r, "livegraph-pipeline-bench");
        t.setDaemon(true);
        return t;
      });
    }

    @TearDown(Level.Trial)
    public void stop() {
      pipeline.close();
    }
  }

  @Benchmark
  public void threaded(Threaded s, ProcessCpu cpu) {
    JsonEventDecoder.Result r =
        s.decoder.decode(s.nextFrame(), StackExchangeData.META, System.currentTimeMillis());
    if (r instanceof JsonEventDecoder.Decoded d) {
      while (!s.pipeline.offer(d.event())) {
        LockSupport.parkNanos(50_000);
      }
    }
    cpu.op();
  }
}
