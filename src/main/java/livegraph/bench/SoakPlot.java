package livegraph.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The soak's plot: three panels over time sharing the x axis — memory (RSS, heap used and
 * committed, MiB), the viewers' queued bytes (largest and mean, KiB) and the rates (events in,
 * dropped, deltas delivered, per second) — drawn by {@link LatencyPlot}'s Plotly page and
 * Chromium screenshot.
 */
final class SoakPlot {

  private static final int WIDTH = 1100;
  private static final int HEIGHT = 900;

  private SoakPlot() {}

  static String write(String title, List<Map<String, Object>> samples, double warmupSeconds,
      Path html, Path png) throws IOException, InterruptedException {
    List<Map<String, Object>> traces = new ArrayList<>();
    traces.add(trace("RSS MiB", samples, "rssKiB", 1 / 1024.0, "y", "#1f77b4"));
    traces.add(trace("heap used MiB", samples, "heapUsedBytes", 1 / 1048576.0, "y", "#2ca02c"));
    traces.add(trace("heap committed MiB", samples, "heapCommittedBytes", 1 / 1048576.0, "y",
        "#98df8a"));
    traces.add(trace("queue max KiB", samples, "queueBytesMax", 1 / 1024.0, "y2", "#d62728"));
    traces.add(trace("queue mean KiB", samples, "queueBytesMean", 1 / 1024.0, "y2", "#ff9896"));
    traces.add(trace("events in /s", samples, "eventsInPerSecond", 1, "y3", "#9467bd"));
    traces.add(trace("events dropped /s", samples, "eventsDroppedPerSecond", 1, "y3", "#8c564b"));
    traces.add(trace("deltas delivered /s ÷ viewers", samples, "deliveredPerViewerPerSecond", 1,
        "y3", "#ff7f0e"));
    Map<String, Object> layout = Map.of(
        "title", Map.of("text", title),
        "width", WIDTH, "height", HEIGHT, "margin", Map.of("t", 60),
        "xaxis", Map.of("title", Map.of("text", "seconds since the feed started"), "anchor", "y3"),
        "yaxis", Map.of("title", Map.of("text", "MiB"), "domain", List.of(0.7, 1.0),
            "rangemode", "tozero"),
        "yaxis2", Map.of("title", Map.of("text", "queued KiB"), "domain", List.of(0.37, 0.63),
            "rangemode", "tozero"),
        "yaxis3", Map.of("title", Map.of("text", "per second"), "domain", List.of(0.0, 0.3),
            "rangemode", "tozero"),
        "shapes", List.of(Map.of("type", "line", "xref", "x", "yref", "paper",
            "x0", warmupSeconds, "x1", warmupSeconds, "y0", 0, "y1", 1,
            "line", Map.of("color", "#888", "dash", "dot"))));
    Files.writeString(html, LatencyPlot.page(title, traces, layout), StandardCharsets.UTF_8);
    return LatencyPlot.screenshot(html, png, WIDTH, HEIGHT);
  }

  private static Map<String, Object> trace(String name, List<Map<String, Object>> samples,
      String key, double scale, String yaxis, String colour) {
    List<Object> x = new ArrayList<>();
    List<Object> y = new ArrayList<>();
    for (Map<String, Object> s : samples) {
      x.add(s.get("t"));
      Object v = s.get(key);
      y.add(v instanceof Number n && Double.isFinite(n.doubleValue())
          ? n.doubleValue() * scale : null);
    }
    return Map.of("name", name, "x", x, "y", y, "type", "scatter", "mode", "lines",
        "yaxis", yaxis, "line", Map.of("color", colour));
  }
}
