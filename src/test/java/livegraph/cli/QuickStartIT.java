package livegraph.cli;

import livegraph.testing.JarProcess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import livegraph.testing.LiveCharts;
import livegraph.testing.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's one-command quick starts, run as the packaged jar: JSON lines piped into
 * {@code serve --stdin}, and a log file followed with {@code --file --follow} through a
 * rotation. The charts read over {@code /ws} must equal an oracle computed from the same
 * lines; bad lines must be skipped and counted in {@code /healthz}.
 */
class QuickStartIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] LEVELS = {"info", "warn", "error", "debug", "fatal"};
  private static final int[] LEVEL_WEIGHTS = {50, 20, 10, 15, 5};
  private static final String[] PATHS = {"/api/orders", "/api/users", "/health", "/login"};

  @TempDir Path dir;

  // ---- stdin

  @Test
  void stdinPipe_chartsEqualTheOracleOfTheSameLines_badLinesSkippedAndCounted()
      throws Exception {
    Oracle oracle = new Oracle();
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    SplittableRandom random = new SplittableRandom(20240601);
    Map<String, Long> expectedSkips = new LinkedHashMap<>();
    for (int i = 0; i < 4000; i++) {
      if (i % 97 == 13) {
        badLine(i / 97, input, expectedSkips);
        continue;
      }
      if (i % 501 == 7) {
        input.writeBytes("\n   \n".getBytes(StandardCharsets.UTF_8)); // blank: ignored
      }
      ObjectNode event = JSON.createObjectNode();
      if (random.nextInt(100) >= 4) {
        event.put("level", pick(random));
      }
      int shape = random.nextInt(100);
      if (shape < 10) {
        event.put("latency", random.nextInt(2000));
      } else if (shape < 15) {
        event.put("latency", Double.toString(random.nextInt(200_000) / 100.0)); // numeric text
      } else if (shape < 18) {
        event.put("latency", "fast"); // not a number: left out of avg, still counted
      } else if (shape >= 23) { // 18..22: no latency at all
        event.put("latency", Math.round(random.nextDouble() * 1e6) / 1000.0);
      }
      event.put("msg", "request " + i);
      oracle.add(event);
      // A CRLF now and then, as a log written on Windows would have.
      String end = i % 50 == 0 ? "\r\n" : "\n";
      input.writeBytes((event + end).getBytes(StandardCharsets.UTF_8));
    }
    long skipped = expectedSkips.values().stream().mapToLong(Long::longValue).sum();
    assertThat(skipped).as("the input holds bad lines of every kind").isGreaterThan(30);

    try (JarProcess p = JarProcess.serve(WAIT, "serve", "--port", "0", "--stdin",
        "--chart", "count by level",
        "--chart", "number: avg(latency)",
        "--chart", "table: count, sum(latency), max(latency) by level",
        "--chart", "line: rate by level")) {
      try (OutputStream stdin = p.stdin()) {
        stdin.write(input.toByteArray());
      } // end of input

      Poll.until(WAIT, () -> p.source().get("state").asText().equals("closed"),
          "standard input read to its end");
      JsonNode source = p.source();
      assertThat(source.get("detail").asText()).isEqualTo("end of input");
      assertThat(source.get("events").asLong()).isEqualTo(oracle.events);
      assertThat(source.get("dropped").asLong()).isZero();
      for (Map.Entry<String, Long> e : expectedSkips.entrySet()) {
        assertThat(source.at("/skipped/" + e.getKey()).asLong()).as("skipped " + e.getKey())
            .isEqualTo(e.getValue());
      }
      assertThat(p.getJson("/healthz").get("skippedFrames").asLong()).isEqualTo(skipped);

      try (LiveCharts live = LiveCharts.connect(p.port(), "/ws")) {
        // The line's total counts every event, with a level or not: all of them are in.
        live.await(WAIT, "every event in the charts", c -> Long.valueOf(oracle.events)
            .equals(seriesCounts(c.chart("rate by level")).get("total")) && sum(
            c.chart("count by level").at("/windows/all/columns/0")) == oracle.eventsWithLevel());
        assertThat(live.titles()).containsExactly("count by level", "avg(latency)",
            "count, sum(latency), max(latency) by level", "rate by level");

        List<String> levels = oracle.levelsByCountThenName();
        for (String window : List.of("10m", "1h", "all")) {
          JsonNode bar = live.chart("count by level").at("/windows/" + window);
          assertThat(texts(bar.get("x"))).as("bar keys in " + window).isEqualTo(levels);
          assertThat(longs(bar.at("/columns/0"))).as("bar counts in " + window)
              .isEqualTo(levels.stream().map(l -> oracle.count.get(l)).toList());
        }

        double avg = live.chart("avg(latency)").get("value").asDouble();
        assertThat(avg).isCloseTo(oracle.latencySum / oracle.latencyN,
            within(1e-9 * Math.abs(oracle.latencySum / oracle.latencyN)));

        JsonNode table = live.chart("count, sum(latency), max(latency) by level").at("/windows/all");
        assertThat(texts(table.get("x"))).isEqualTo(levels);
        for (int i = 0; i < levels.size(); i++) {
          String level = levels.get(i);
          assertThat(table.at("/columns/0/" + i).asLong()).as("count of " + level)
              .isEqualTo(oracle.count.get(level));
          double sum = oracle.sum.get(level);
          assertThat(table.at("/columns/1/" + i).asDouble()).as("sum of " + level)
              .isCloseTo(sum, within(1e-9 * Math.abs(sum)));
          assertThat(table.at("/columns/2/" + i).asDouble()).as("max of " + level)
              .isEqualTo(oracle.max.get(level));
        }

        // Events per second in each bucket: times the bucket length, the counts again.
        Map<String, Long> perSeries = seriesCounts(live.chart("rate by level"));
        Map<String, Long> expected = new HashMap<>(oracle.count);
        expected.put("total", oracle.events);
        assertThat(perSeries).isEqualTo(expected);
      }
      assertThat(p.alive()).as("serving on after the end of its input").isTrue();
    }
  }

  /** Writes the {@code n}th bad line, cycling through every kind, and counts its reason. */
  private static void badLine(int n, ByteArrayOutputStream input, Map<String, Long> skips) {
    String reason;
    byte[] line;
    switch (n % 7) {
      case 0 -> {
        reason = "not_json";
        line = bytes("this is not json " + n);
      }
      case 1 -> {
        reason = "not_json";
        line = bytes("{\"level\":\"info\",\"latency\":"); // cut off mid-write
      }
      case 2 -> {
        reason = "wrong_type";
        line = bytes(n % 2 == 0 ? "[1,2,3]" : "\"just a string\"");
      }
      case 3 -> {
        reason = "too_deep";
        line = bytes("{\"a\":".repeat(40) + "1" + "}".repeat(40));
      }
      case 4 -> {
        reason = "invalid_utf8";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(bytes("{\"level\":\"info\",\"msg\":\""));
        b.write(0xff);
        b.write(0xfe);
        b.writeBytes(bytes("\"}"));
        line = b.toByteArray();
      }
      case 5 -> {
        reason = "wrong_type";
        line = bytes("42");
      }
      default -> {
        reason = "too_large";
        line = bytes("{\"level\":\"info\",\"msg\":\"" + "x".repeat((1 << 20) + 10) + "\"}");
      }
    }
    input.writeBytes(line);
    input.write('\n');
    skips.merge(reason, 1L, Long::sum);
  }

  // ---- file --follow

  @Test
  void fileFollow_readmeCommand_countsLinesAppendedAfterStartExactlyOnce_acrossRotation()
      throws Exception {
    Path log = dir.resolve("app.log");
    SplittableRandom random = new SplittableRandom(77);
    // Lines already in the file when following starts are history, as with tail -F.
    List<String> history = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      history.add(logLine(random, "old " + i, 5));
    }
    Files.write(log, history);

    // The README's command, word for word, with --port 0.
    try (JarProcess p = JarProcess.serve(WAIT, "serve", "--port", "0",
        "--file", log.toString(), "--follow", "--time", "ts",
        "--chart", "pie: count by level", "--chart", "number: p99(latency)",
        "--chart", "table: count, avg(latency), p99(latency) by path",
        "--chart", "list: ts,level,msg")) {
      Poll.until(WAIT, () -> p.source().get("state").asText().equals("live"),
          "the file opened at its end");
      assertThat(p.source().get("detail").asText()).isEqualTo("following " + log);

      Oracle oracle = new Oracle();
      List<String> a = lines(random, oracle, "a", 200);
      append(log, a, true);
      Poll.until(WAIT, () -> p.source().get("events").asLong() == 200, "the appended lines read");

      // Rotation as logrotate does it: the file is renamed away, its writer still has it open
      // and writes a few more lines (the last one cut short), then a new file takes its name.
      Path rotated = dir.resolve("app.log.1");
      Files.move(log, rotated);
      List<String> b = lines(random, oracle, "b", 40);
      append(rotated, b.subList(0, 39), true);
      append(rotated, List.of("{\"ts\":\"yesterday-ish\",\"level\":\"info\"}"), true); // bad time
      append(rotated, b.subList(39, 40), false); // no newline: taken as a line at the switch
      List<String> c = lines(random, oracle, "c", 150);
      append(log, c, true);
      List<String> d = lines(random, oracle, "d", 60);
      append(log, d, true);

      Poll.until(WAIT, () -> p.source().get("events").asLong() == oracle.events,
          "every line after the start read once: " + oracle.events);
      JsonNode source = p.source();
      assertThat(source.get("reconnects").asLong()).as("the rotation seen").isEqualTo(1);
      assertThat(source.at("/skipped/bad_time").asLong()).isEqualTo(1);
      assertThat(source.get("state").asText()).isEqualTo("live");

      try (LiveCharts live = LiveCharts.connect(p.port(), "/ws")) {
        live.await(WAIT, "the pie holding every event", ch -> sum(
            ch.chart("count by level").at("/windows/all/columns/0")) == oracle.eventsWithLevel());
        assertThat(live.titles()).containsExactly("count by level", "p99(latency)",
            "count, avg(latency), p99(latency) by path", "ts,level,msg");
        assertThat(live.hello().at("/dashboard/charts/0/kind").asText()).isEqualTo("pie");

        List<String> levels = oracle.levelsByCountThenName();
        JsonNode pie = live.chart("count by level").at("/windows/10m");
        assertThat(texts(pie.get("x"))).isEqualTo(levels);
        assertThat(longs(pie.at("/columns/0")))
            .isEqualTo(levels.stream().map(l -> oracle.count.get(l)).toList());

        // One latency in ten is 900 on every path: any p99 of these lines is 900 (DDSketch: 1%).
        assertThat(live.chart("p99(latency)").get("value").asDouble())
            .isCloseTo(900.0, within(9.0));

        JsonNode table =
            live.chart("count, avg(latency), p99(latency) by path").at("/windows/10m");
        List<String> paths = texts(table.get("x"));
        assertThat(paths).containsExactlyInAnyOrder(PATHS);
        for (int i = 0; i < paths.size(); i++) {
          String path = paths.get(i);
          assertThat(table.at("/columns/0/" + i).asLong()).as("count of " + path)
              .isEqualTo(oracle.pathCount.get(path));
          double avg = oracle.pathSum.get(path) / oracle.pathCount.get(path);
          assertThat(table.at("/columns/1/" + i).asDouble()).as("avg of " + path)
              .isCloseTo(avg, within(1e-9 * avg));
          assertThat(table.at("/columns/2/" + i).asDouble()).as("p99 of " + path)
              .isCloseTo(900.0, within(9.0));
        }

        // The latest 50, newest first: the last lines of the new file.
        JsonNode items = live.chart("ts,level,msg").get("items");
        List<String> msgs = new ArrayList<>();
        items.forEach(item -> msgs.add(item.get("msg").asText()));
        List<String> expected = new ArrayList<>();
        for (int i = d.size() - 1; i >= d.size() - 50; i--) {
          expected.add(JSON.readTree(d.get(i)).get("msg").asText());
        }
        assertThat(msgs).isEqualTo(expected);
      }
      assertThat(p.source().get("events").asLong()).as("nothing read twice").isEqualTo(oracle.events);
    }
  }

  @Test
  void readmeStdinExample_tailFollowPipedIntoServe_countsTheTailAndEveryLaterLine()
      throws Exception {
    Path log = dir.resolve("app.log");
    SplittableRandom random = new SplittableRandom(5);
    List<String> before = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      before.add(logLine(random, "before " + i, i));
    }
    Files.write(log, before);
    Oracle oracle = new Oracle();
    before.subList(15, 25).forEach(line -> oracle.add(readTree(line))); // tail's last 10 lines

    // tail -F app.log | ./livegraph serve --stdin --chart 'count by level' --chart 'line: rate by level'
    try (JarProcess p = JarProcess.servePipedFrom(List.of("tail", "-F", log.toString()), WAIT,
        "serve", "--port", "0", "--stdin", "--chart", "count by level",
        "--chart", "line: rate by level")) {
      Poll.until(WAIT, () -> p.source().get("events").asLong() == 10, "tail's last ten lines");
      List<String> later = lines(random, oracle, "later", 300);
      append(log, later, true);
      Poll.until(WAIT, () -> p.source().get("events").asLong() == oracle.events,
          "the appended lines: " + oracle.events);
      try (LiveCharts live = LiveCharts.connect(p.port(), "/ws")) {
        List<String> levels = oracle.levelsByCountThenName();
        String expected = longsOf(levels, oracle).toString().replace(" ", "");
        live.await(WAIT, "the bars equal to the lines", c -> c.chart("count by level")
            .at("/windows/all/columns/0").toString().equals(expected));
        assertThat(texts(live.chart("count by level").at("/windows/all/x"))).isEqualTo(levels);
        live.await(WAIT, "the total rate covering every line", c -> Long.valueOf(oracle.events)
            .equals(seriesCounts(c.chart("rate by level")).get("total")));
        Map<String, Long> expectedSeries = new HashMap<>(oracle.count);
        expectedSeries.put("total", oracle.events);
        assertThat(seriesCounts(live.chart("rate by level"))).isEqualTo(expectedSeries);
      }
    }
  }

  private static List<Long> longsOf(List<String> levels, Oracle oracle) {
    return levels.stream().map(l -> oracle.count.get(l)).toList();
  }

  /** Each series' events: its per-second rates times the bucket length, summed. */
  private static Map<String, Long> seriesCounts(JsonNode line) {
    Map<String, Long> counts = new HashMap<>();
    if (line.isMissingNode()) {
      return counts;
    }
    double step = line.get("step").asDouble() / 1000.0;
    for (JsonNode series : line.get("series")) {
      double total = 0;
      for (JsonNode v : series.get("values")) {
        total += v.isNull() ? 0 : v.asDouble();
      }
      counts.put(series.get("name").asText(), Math.round(total * step));
    }
    return counts;
  }

  /** {@code n} log lines of batch {@code batch}, added to the oracle. */
  private static List<String> lines(SplittableRandom random, Oracle oracle, String batch, int n) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String line = logLine(random, batch + " " + i, i);
      oracle.add(readTree(line));
      lines.add(line);
    }
    return lines;
  }

  private static String logLine(SplittableRandom random, String msg, int i) {
    ObjectNode e = JSON.createObjectNode();
    e.put("ts", Instant.now().toString());
    e.put("level", pick(random));
    e.put("path", PATHS[i % PATHS.length]);
    // Every tenth line of each path is slow; the rest are 1..100 ms.
    e.put("latency", (i / PATHS.length) % 10 == 9 ? 900 : 1 + random.nextInt(100_000) / 1000.0);
    e.put("msg", msg);
    return e.toString();
  }

  private static void append(Path file, List<String> lines, boolean newline) throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      text.append(lines.get(i));
      if (newline || i < lines.size() - 1) {
        text.append('\n');
      }
    }
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  // ---- the oracle: what the charts must say, computed naively from the lines

  private static final class Oracle {
    long events;
    final Map<String, Long> count = new HashMap<>();
    final Map<String, Double> sum = new HashMap<>();
    final Map<String, Double> max = new HashMap<>();
    double latencySum;
    long latencyN;
    final Map<String, Long> pathCount = new HashMap<>();
    final Map<String, Double> pathSum = new HashMap<>();

    void add(JsonNode e) {
      events++;
      Double latency = number(e.get("latency"));
      if (latency != null) {
        latencySum += latency;
        latencyN++;
      }
      if (e.hasNonNull("level")) {
        String level = e.get("level").asText();
        count.merge(level, 1L, Long::sum);
        if (latency != null) {
          sum.merge(level, latency, Double::sum);
          max.merge(level, latency, Math::max);
        }
      }
      if (e.hasNonNull("path") && latency != null) {
        pathCount.merge(e.get("path").asText(), 1L, Long::sum);
        pathSum.merge(e.get("path").asText(), latency, Double::sum);
      }
    }

    long eventsWithLevel() {
      return count.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Keyed charts sort by the first column descending, then by key. */
    List<String> levelsByCountThenName() {
      return count.keySet().stream()
          .sorted(Comparator.comparing((String l) -> -count.get(l)).thenComparing(l -> l))
          .toList();
    }

    /** A number, or numeric text, counts; anything else is left out of a measure. */
    private static Double number(JsonNode v) {
      if (v == null || v.isNull()) {
        return null;
      }
      if (v.isNumber()) {
        return v.asDouble();
      }
      try {
        return Double.parseDouble(v.asText());
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  private static String pick(SplittableRandom random) {
    int r = random.nextInt(100);
    for (int i = 0; i < LEVELS.length; i++) {
      r -= LEVEL_WEIGHTS[i];
      if (r < 0) {
        return LEVELS[i];
      }
    }
    return LEVELS[0];
  }

  private static long sum(JsonNode values) {
    long total = 0;
    for (JsonNode v : values) {
      total += v.asLong();
    }
    return total;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static List<Long> longs(JsonNode array) {
    List<Long> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asLong()));
    return out;
  }

  private static JsonNode readTree(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
