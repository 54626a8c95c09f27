package livegraph.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import livegraph.bench.ProcessCpu;
import livegraph.bench.StackExchangeData;
import livegraph.hub.HubFrames;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding the built-in dashboard after an hour of simulated traffic: one chart's state
 * ({@link ChartJson#encode}, what a tick does for each changed chart), the hub's frame around
 * the four states (a delta where every chart changed, or a snapshot: the same splice), and a
 * whole tick (all four charts encoded, then the frame).
 *
 * <p>{@code hourRate}: the hour's traffic, 4/s (the default {@code ./livegraph} feed)
 * or 1,000/s; the first fills the charts with fewer keys. The encoded sizes are printed at
 * setup. Scores: operations per second, with {@code cpuMicros} ({@link ProcessCpu}) for
 * operations per CPU-second on a busy machine; microseconds per op = 1e6 / that.
 *
 * <p>Full run (about 9 min): {@code java -jar target/benchmarks.jar EncodeBench -rf json -rff
 * target/encode.json}. Smoke: {@code java -jar target/benchmarks.jar EncodeBench -f 1 -wi 1 -w
 * 200ms -i 1 -r 300ms}. Build first: {@code ./mvnw -B -Pbench -DskipTests package}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class EncodeBench {

  private static final List<String> CHARTS = List.of("communities", "tags", "activity", "latest");

  /** The built-in dashboard's four charts after an hour of traffic. */
  @State(Scope.Thread)
  public static class Hour {
    @Param({"4", "1000"})
    public int hourRate;

    Aggregator[] aggregators;
    Map<String, byte[]> states;
    long seq;

    @Setup(Level.Trial)
    public void fill() {
      List<Event> events =
          StackExchangeData.events(StackExchangeData.syntheticFrames(16_384, 1));
      long start = StackExchangeData.EPOCH_MILLIS;
      aggregators = new Aggregator[CHARTS.size()];
      for (int c = 0; c < aggregators.length; c++) {
        aggregators[c] = BenchCharts.aggregator(CHARTS.get(c), start);
      }
      long total = 3600L * hourRate;
      for (long i = 0; i < total; i++) {
        long t = start + i * 1000 / hourRate;
        Event e = events.get((int) (i % events.size()));
        for (Aggregator a : aggregators) {
          a.add(t, e);
        }
      }
      long now = start + 3_600_000;
      states = new LinkedHashMap<>();
      StringBuilder sizes = new StringBuilder();
      for (int c = 0; c < aggregators.length; c++) {
        aggregators[c].advanceTo(now);
        byte[] bytes = ChartJson.encode(aggregators[c]);
        states.put(CHARTS.get(c), bytes);
        sizes.append(' ').append(CHARTS.get(c)).append('=').append(bytes.length);
      }
      System.out.printf("%n%d events/s for 1 h: state bytes%s; frame %d bytes%n",
          hourRate, sizes, HubFrames.charts("delta", 1, states).length);
    }
  }

  /** One of the four. */
  @State(Scope.Thread)
  public static class One {
    @Param({"communities", "tags", "activity", "latest"})
    public String chart;

    Aggregator aggregator;

    @Setup(Level.Trial)
    public void pick(Hour hour) {
      aggregator = hour.aggregators[CHARTS.indexOf(chart)];
    }
  }

  @Benchmark
  public byte[] encode(One one, ProcessCpu cpu) {
    cpu.op(16);
    return ChartJson.encode(one.aggregator);
  }

  @Benchmark
  public byte[] frame(Hour hour, ProcessCpu cpu) {
    cpu.op(16);
    return HubFrames.charts("delta", ++hour.seq, hour.states);
  }

  @Benchmark
  public byte[] tick(Hour hour, ProcessCpu cpu) {
    cpu.op(16);
    Map<String, byte[]> changed = new LinkedHashMap<>();
    for (int c = 0; c < hour.aggregators.length; c++) {
      changed.put(CHARTS.get(c), ChartJson.encode(hour.aggregators[c]));
    }
    return HubFrames.charts("delta", ++hour.seq, changed);
  }
}
