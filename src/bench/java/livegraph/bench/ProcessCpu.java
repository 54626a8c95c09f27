package livegraph.bench;

import java.lang.management.ManagementFactory;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * CPU time of the whole benchmark JVM (every thread: benchmark, pipeline, GC, JIT), as a JMH
 * secondary result {@code cpuMicros}: microseconds of CPU per second of the iteration, so
 * 1,000,000 is one core busy. A throughput divided by it (times 1e6) is per CPU-second, i.e.
 * per core.
 *
 * <p>The benchmark calls {@link #sample} now and then, or {@link #op} on every operation (a
 * sample every 1,024, or as many as it says for slow ones: a system call of about a
 * microsecond, under 1% of any op here); what ran after the last sample of an iteration is not
 * counted.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ProcessCpu {

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** CPU microseconds since the iteration began; JMH reports it per second. */
  public long cpuMicros;

  private long lastNanos;
  private int ops;

  @Setup(Level.Iteration)
  public void begin() {
    cpuMicros = 0;
    ops = 0;
    lastNanos = OS.getProcessCpuTime();
  }

  /** Adds the CPU used since the previous sample. */
  public void sample() {
    long now = OS.getProcessCpuTime();
    cpuMicros += (now - lastNanos) / 1000;
    lastNanos = now;
  }

  /** Counts one operation; samples every 1,024th. */
  public void op() {
    op(1024);
  }

  /** Counts one operation; samples every {@code every}th (fewer for slow operations). */
  public void op(int every) {
    if (++ops >= every) {
      ops = 0;
      sample();
    }
  }
}
