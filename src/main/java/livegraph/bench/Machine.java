package livegraph.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** What the bench ran on, from /proc and the JVM, for the JSON and BENCHMARKS.md. */
final class Machine {

  private Machine() {}

  static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpu", firstValue(read("/proc/cpuinfo"), "model name"));
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("memTotalKiB", firstValue(read("/proc/meminfo"), "MemTotal"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("node", command("node", "--version"));
    m.put("openFilesLimit", openFilesLimit().orElse(-1));
    m.put("loadAtStart", read("/proc/loadavg").trim());
    return m;
  }

  /** The 1-minute load average, or NaN. */
  static double load1() {
    String s = read("/proc/loadavg");
    try {
      return Double.parseDouble(s.split("\\s+")[0]);
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The soft limit on open files of this process (its children inherit it). */
  static OptionalLong openFilesLimit() {
    return openFilesLimit(read("/proc/self/limits"));
  }

  /** The soft "Max open files" value in the text of a {@code /proc/PID/limits} file. */
  static OptionalLong openFilesLimit(String limits) {
    for (String line : limits.split("\n")) {
      if (line.startsWith("Max open files")) {
        String[] f = line.substring("Max open files".length()).trim().split("\\s+");
        return f[0].equals("unlimited") ? OptionalLong.of(Long.MAX_VALUE)
            : OptionalLong.of(Long.parseLong(f[0]));
      }
    }
    return OptionalLong.empty();
  }

  private static String firstValue(String text, String key) {
    for (String line : text.split("\n")) {
      if (line.startsWith(key)) {
        int colon = line.indexOf(':');
        return colon < 0 ? "" : line.substring(colon + 1).trim();
      }
    }
    return "";
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  static String command(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
