package livegraph.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * CPU time of the benchmark thread in a single-shot iteration, as a JMH secondary result
 * {@code cpuMicrosPerOp}: what the operation cost in CPU whatever else the machine ran (the
 * primary score is wall-clock time, which on a busy machine includes time spent waiting for a
 * core). The benchmark brackets its work with {@link #start} and {@link #stop}. JMH prints the
 * sum over iterations as its score; the JSON's rawData has each iteration's value, and
 * scripts/bench-table.py takes their mean per fork.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ThreadCpu {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** CPU microseconds per operation of the iteration's invocation. */
  public double cpuMicrosPerOp;

  /**
   * The same for the whole JVM (GC and JIT threads too): what allocation costs shows here, and
   * JIT work still going on after a short warm-up.
   */
  public double processCpuMicrosPerOp;

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private long startNanos;
  private long processStartNanos;

  @Setup(Level.Iteration)
  public void reset() {
    cpuMicrosPerOp = 0;
    processCpuMicrosPerOp = 0;
  }

  public void start() {
    processStartNanos = OS.getProcessCpuTime();
    startNanos = THREADS.getCurrentThreadCpuTime();
  }

  /** Ends the bracket begun by {@link #start}, which covered {@code ops} operations. */
  public void stop(int ops) {
    cpuMicrosPerOp = (THREADS.getCurrentThreadCpuTime() - startNanos) / 1000.0 / ops;
    processCpuMicrosPerOp = (OS.getProcessCpuTime() - processStartNanos) / 1000.0 / ops;
  }
}
