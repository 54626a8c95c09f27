package livegraph.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A process's CPU time and resident memory as Linux reports them in {@code /proc/PID/stat} and
 * {@code /proc/PID/status}, and the per-delivery and per-viewer figures computed from two
 * samples.
 *
 * @param cpuTicks user plus system time of all the process's threads, in clock ticks
 * @param rssKiB {@code VmRSS}, resident set size in KiB
 */
record ProcSample(long cpuTicks, long rssKiB) {

  /** {@code getconf CLK_TCK}: 100 on every Linux the bench is meant for (x86-64, arm64). */
  static final long TICKS_PER_SECOND = 100;

  /** Reads both files now; empty when the process is gone or /proc is not there. */
  static java.util.Optional<ProcSample> of(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
      OptionalLong rss = rssKiB(status);
      return java.util.Optional.of(new ProcSample(cpuTicks(stat), rss.orElse(-1)));
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * The sum over several processes (the nodes of a cluster and the proxy in front of them, which
   * together serve the viewers): empty when none is given or any one cannot be read, so a
   * figure never silently leaves a process out.
   */
  static java.util.Optional<ProcSample> ofAll(java.util.List<Long> pids) {
    if (pids.isEmpty()) {
      return java.util.Optional.empty();
    }
    ProcSample sum = new ProcSample(0, 0);
    for (long pid : pids) {
      java.util.Optional<ProcSample> one = of(pid);
      if (one.isEmpty()) {
        return java.util.Optional.empty();
      }
      sum = sum.plus(one.get());
    }
    return java.util.Optional.of(sum);
  }

  /** Both figures added; an unknown RSS (-1) makes the sum's unknown. */
  ProcSample plus(ProcSample other) {
    return new ProcSample(cpuTicks + other.cpuTicks,
        rssKiB < 0 || other.rssKiB < 0 ? -1 : rssKiB + other.rssKiB);
  }

  /**
   * utime + stime from a {@code /proc/PID/stat} line: fields 14 and 15, counted after the
   * command name, which is in parentheses and may itself hold spaces and parentheses.
   */
  static long cpuTicks(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: " + abbreviate(stat));
    }
    // After ") " come field 3 (state), 4, 5, …: utime is field 14, so index 11 here.
    String[] f = stat.substring(close + 1).trim().split("\\s+");
    if (f.length < 13) {
      throw new IllegalArgumentException("too few fields in /proc/PID/stat: " + abbreviate(stat));
    }
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** The {@code VmRSS:  12345 kB} line of {@code /proc/PID/status}. */
  static OptionalLong rssKiB(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] f = line.substring(6).trim().split("\\s+");
        return OptionalLong.of(Long.parseLong(f[0]));
      }
    }
    return OptionalLong.empty();
  }

  /** Server CPU µs per delivered frame between two samples; NaN without deliveries. */
  static double cpuMicrosPerDelivery(ProcSample from, ProcSample to, long deliveries) {
    if (deliveries <= 0) {
      return Double.NaN;
    }
    return cpuMicros(from, to) / deliveries;
  }

  /** CPU time used between two samples, in µs. */
  static double cpuMicros(ProcSample from, ProcSample to) {
    long ticks = to.cpuTicks - from.cpuTicks;
    if (ticks < 0) {
      throw new IllegalArgumentException("CPU time went backwards: " + from + " then " + to);
    }
    return ticks * 1e6 / TICKS_PER_SECOND;
  }

  /** Resident memory added per viewer, in KiB: (after − before) / viewers; NaN for none. */
  static double rssPerViewerKiB(ProcSample before, ProcSample after, int viewers) {
    if (viewers <= 0 || before.rssKiB < 0 || after.rssKiB < 0) {
      return Double.NaN;
    }
    return (after.rssKiB - before.rssKiB) / (double) viewers;
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
