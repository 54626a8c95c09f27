package livegraph.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The plot of latency p50 and p99 against viewers, one colour per target: an HTML page drawn by
 * the vendored Plotly (the product's own charting, so no charting library is added), and a PNG
 * of it taken by headless Chromium when {@code chromium} is installed.
 */
final class LatencyPlot {

  private static final String PLOTLY = "/web/vendor/plotly-cartesian-4.1.1.min.js";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 600;

  private LatencyPlot() {}

  /** The page: {@code summaries} as traces, {@code title} above them. */
  static String html(String title, List<Map<String, Object>> summaries) throws IOException {
    Map<String, List<Map<String, Object>>> byTarget = new LinkedHashMap<>();
    for (Map<String, Object> s : summaries) {
      byTarget.computeIfAbsent((String) s.get("target"), t -> new ArrayList<>()).add(s);
    }
    List<Map<String, Object>> traces = new ArrayList<>();
    int c = 0;
    for (Map.Entry<String, List<Map<String, Object>>> e : byTarget.entrySet()) {
      List<Map<String, Object>> rows = new ArrayList<>(e.getValue());
      rows.sort(Comparator.comparingDouble(r -> ((Number) r.get("viewers")).doubleValue()));
      String colour = COLOURS[c++ % COLOURS.length];
      traces.add(trace(e.getKey() + " p99", rows, "latencyP99Millis", colour, "solid"));
      traces.add(trace(e.getKey() + " p50", rows, "latencyP50Millis", colour, "dot"));
    }
    Map<String, Object> layout = Map.of(
        "title", Map.of("text", title),
        "xaxis", Map.of("title", Map.of("text", "viewers"), "type", "log"),
        "yaxis", Map.of("title", Map.of("text", "latency, ms (newest event sent → frame received)"),
            "type", "log"),
        "width", WIDTH, "height", HEIGHT, "margin", Map.of("t", 60));
    return page(title, traces, layout);
  }

  /** A self-contained page drawing {@code traces} with {@code layout} by the vendored Plotly. */
  static String page(String title, List<Map<String, Object>> traces, Map<String, Object> layout)
      throws IOException {
    String plotly;
    try (InputStream in = LatencyPlot.class.getResourceAsStream(PLOTLY)) {
      if (in == null) {
        throw new IOException("classpath resource missing: " + PLOTLY);
      }
      plotly = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(title)
        + "</title></head><body style=\"margin:0;background:#fff\"><div id=\"plot\"></div>\n"
        + "<script>" + plotly + "</script>\n<script>Plotly.newPlot('plot', "
        + safeJson(traces) + ", " + safeJson(layout) + ", {staticPlot: true});</script>"
        + "</body></html>\n";
  }

  private static Map<String, Object> trace(String name, List<Map<String, Object>> rows,
      String key, String colour, String dash) {
    List<Object> x = new ArrayList<>();
    List<Object> y = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      x.add(r.get("viewers"));
      Object v = r.get(key);
      y.add(v instanceof Double d && (d.isNaN() || d <= 0) ? null : v);
    }
    return Map.of("name", name, "x", x, "y", y, "type", "scatter", "mode", "lines+markers",
        "line", Map.of("color", colour, "dash", dash));
  }

  /**
   * Writes the page to {@code html} and, with Chromium, the PNG to {@code png}.
   *
   * @return a sentence saying what was written
   */
  static String write(String title, List<Map<String, Object>> summaries, Path html, Path png)
      throws IOException, InterruptedException {
    Files.writeString(html, html(title, summaries), StandardCharsets.UTF_8);
    return screenshot(html, png, WIDTH, HEIGHT);
  }

  /**
   * A PNG of the page {@code html}, {@code width} by {@code height}, by headless Chromium when
   * it is installed.
   *
   * @return a sentence saying what was written
   */
  static String screenshot(Path html, Path png, int width, int height)
      throws IOException, InterruptedException {
    String chromium = Target.onPath("chromium") ? "chromium"
        : Target.onPath("chromium-browser") ? "chromium-browser" : null;
    if (chromium == null) {
      return "wrote " + html + "; no PNG: chromium is not installed";
    }
    Path profile = Files.createTempDirectory("livegraph-bench-chromium");
    try {
      Files.deleteIfExists(png);
      Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
          "--hide-scrollbars", "--no-first-run", "--disable-background-networking",
          "--force-device-scale-factor=1", "--window-size=" + width + "," + height,
          "--virtual-time-budget=30000", "--user-data-dir=" + profile,
          "--screenshot=" + png.toAbsolutePath(), html.toAbsolutePath().toUri().toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("chromium took over 120 s to draw " + html);
      }
      if (!Files.isRegularFile(png) || Files.size(png) == 0) {
        throw new IOException("chromium (exit " + p.exitValue() + ") wrote no " + png);
      }
    } finally {
      deleteTree(profile);
    }
    return "wrote " + html + " and " + png;
  }

  private static String safeJson(Object value) throws IOException {
    return JSON.writeValueAsString(value).replace("</", "<\\/");
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;");
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
