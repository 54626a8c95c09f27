package livegraph.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import livegraph.examples.JvmDashboard;
import livegraph.testing.Poll;
import livegraph.testing.TestViewer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example of {@code examples/java} runs as a user runs it: its {@code main} in a JVM of its
 * own on port 0, read over {@code /ws} like a browser; its charts fill with its heap and its
 * simulated requests within seconds, and it stops cleanly on SIGTERM.
 */
class ExampleIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern URL = Pattern.compile("JVM dashboard at (http://127\\.0\\.0\\.1:(\\d+)/)");

  @TempDir Path dir;

  @Test
  void jvmDashboard_main_printsItsAddress_andItsChartsFillWithinSeconds() throws Exception {
    Path stderr = dir.resolve("stderr.txt");
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classPath(), JvmDashboard.class.getName(), "0")
        .redirectError(stderr.toFile())
        .start();
    try {
      BlockingQueue<String> lines = lines(process);
      long started = System.nanoTime();
      String line = lines.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(line).as("the first line of output; stderr: %s", tail(stderr)).isNotNull();
      Matcher url = URL.matcher(line);
      assertThat(url.matches()).as("an address to open: %s", line).isTrue();

      Map<String, JsonNode> charts = new HashMap<>();
      try (TestViewer viewer = TestViewer.connect(URI.create("ws://127.0.0.1:" + url.group(2) + "/ws"), null)) {
        JsonNode hello = viewer.next(WAIT);
        assertThat(hello.at("/dashboard/title").asText()).isEqualTo("This JVM");
        viewer.until(WAIT, "every chart filled", message -> {
          message.path("charts").fields().forEachRemaining(e -> charts.put(e.getKey(), e.getValue()));
          return filled(charts);
        });
      }
      System.out.printf("ExampleIT: the example's charts filled %d ms after it printed its address%n",
          (System.nanoTime() - started) / 1_000_000);

      assertThat(charts.get("heap-now").get("value").asDouble()).as("heap MiB now").isPositive();
      assertThat(histogramTotal(charts.get("latency"))).as("requests in the latency histogram").isPositive();
      double p50 = charts.get("p50").get("value").asDouble();
      double p99 = charts.get("p99").get("value").asDouble();
      assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
      assertThat(charts.get("endpoints").at("/windows/1m/x").size()).as("endpoints in the table").isEqualTo(5);
      assertThat(charts.get("p99-heatmap").get("keys").size()).isPositive();

      process.destroy(); // SIGTERM: the shutdown hook closes the server
      assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
      assertThat(Files.readString(stderr)).as("stderr").doesNotContain("Exception");
    } finally {
      process.destroyForcibly();
    }
  }

  /** Heap line and number, latency histogram and quantiles, the endpoint table and heatmap. */
  private static boolean filled(Map<String, JsonNode> charts) {
    for (String id : List.of("heap", "heap-now", "latency", "p50", "p99", "endpoints", "p99-heatmap")) {
      if (!charts.containsKey(id)) {
        return false;
      }
    }
    boolean heapLine = false;
    for (JsonNode v : charts.get("heap").at("/series/0/values")) {
      heapLine |= v.isNumber() && v.asDouble() > 0;
    }
    return heapLine
        && charts.get("heap-now").path("value").asDouble() > 0
        && histogramTotal(charts.get("latency")) > 0
        && charts.get("p99").path("value").asDouble() > 0
        && charts.get("endpoints").at("/windows/1m/x").size() == 5
        && charts.get("p99-heatmap").path("keys").size() > 0;
  }

  private static long histogramTotal(JsonNode histogram) {
    long total = 0;
    for (JsonNode c : histogram.path("counts")) {
      total += c.asLong();
    }
    return total;
  }

  /** The test JVM's real classpath (Failsafe runs tests from a manifest-only jar). */
  private static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  /** The process's standard output, line by line, read on a daemon thread. */
  private static BlockingQueue<String> lines(Process process) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, "example-stdout");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private static String tail(Path file) {
    try {
      String text = Files.readString(file);
      return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
