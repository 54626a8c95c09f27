package livegraph.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** The conformance test's inputs: dashboards, frames and the times they arrive at. */
final class Scenarios {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A few minutes before a UTC midnight, so tumbling hours, quarters and days all roll over. */
  static final long T0 = Instant.parse("2023-11-14T23:31:07.123Z").toEpochMilli();

  private Scenarios() {}

  /** The built-in dashboard file. */
  static String stackExchangeYaml() {
    return resource("dashboards/stackexchange.yaml");
  }

  /** The dashboard of every chart kind, measure, where test and window. */
  static String everyChartYaml() {
    return resource("livegraph/engine/every-chart.yaml");
  }

  /** The shared StackExchange sample frames: questions, a heartbeat, then other channels. */
  static List<String> stackExchangeFrames() {
    Path dir = Path.of(System.getProperty("livegraph.shared", "../shared"), "data", "stackexchange");
    List<String> frames = new ArrayList<>();
    try {
      frames.addAll(Files.readAllLines(dir.resolve("samples.jsonl")));
      frames.addAll(Files.readAllLines(dir.resolve("samples-other-channels.jsonl")));
    } catch (IOException e) {
      throw new UncheckedIOException("the shared StackExchange samples under " + dir, e);
    }
    frames.removeIf(String::isBlank);
    return frames;
  }

  /**
   * The sample frames again and again, shuffled, every 47 s for 80 minutes with a tick after
   * each round, then two quiet hours, then a few more rounds: the 10 min and 1 h windows and
   * the line's hour of buckets fill and empty.
   */
  static List<Step> stackExchange(Random random) {
    List<Step> steps = new ArrayList<>();
    long now = T0;
    steps.add(Step.open(stackExchangeYaml(), "stackexchange.yaml", now));
    steps.add(Step.sources());
    steps.add(Step.snapshot());
    List<String> frames = new ArrayList<>(stackExchangeFrames());
    for (int round = 0; round < 110; round++) {
      if (round == 100) {
        now += 2 * 3_600_000L;
        steps.add(Step.tick(now));
      }
      Collections.shuffle(frames, random);
      int take = 1 + random.nextInt(frames.size());
      for (String frame : frames.subList(0, take)) {
        now += random.nextInt(700);
        steps.add(Step.frame("stackexchange", frame, now));
      }
      now += 47_000;
      steps.add(Step.tick(now));
      if (round % 25 == 0) {
        steps.add(Step.snapshot());
        steps.add(Step.counters());
      }
    }
    steps.add(Step.tick(now + 1));
    steps.add(Step.snapshot());
    steps.add(Step.counters());
    return steps;
  }

  /**
   * Two and a half hours of generated application events (WebSocket) and shop events (SSE) on
   * the every-chart dashboard, with heartbeats, other channels, late and future event times, a
   * three-hour silence, and ticks every few seconds.
   */
  static List<Step> everyChart(Random random) {
    List<Step> steps = new ArrayList<>();
    long now = T0;
    steps.add(Step.open(everyChartYaml(), "every-chart.yaml", now));
    steps.add(Step.sources());
    int sseId = 0;
    for (int i = 0; i < 2400; i++) {
      now += random.nextInt(5000);
      if (i == 1500) {
        steps.add(Step.tick(now));
        now += 3 * 3_600_000L + 1234;
        steps.add(Step.tick(now));
        steps.add(Step.snapshot());
      }
      int what = random.nextInt(100);
      if (what < 70) {
        steps.add(Step.frame("app", appEvent(random, now), now));
      } else if (what < 74) {
        steps.add(Step.frame("app", "{\"type\":\"ping\"}", now));
      } else if (what < 76) {
        steps.add(Step.frame("app", "{\"kind\":\"audit\",\"level\":\"error\"}", now));
      } else if (what < 95) {
        String type = pick(random, "order", "order", "order", "refund", "audit");
        String id = random.nextInt(10) == 0 ? "" : "e" + (++sseId);
        steps.add(Step.sse("shop", type, shopEvent(random, now), id, now));
      } else {
        steps.add(Step.frame("shop", shopEvent(random, now), now)); // an unnamed event: message
      }
      if (random.nextInt(4) == 0) {
        steps.add(Step.tick(now + random.nextInt(3000)));
      }
      if (i % 400 == 0) {
        steps.add(Step.counters());
      }
    }
    steps.add(Step.tick(now + 10_000));
    steps.add(Step.snapshot());
    steps.add(Step.counters());
    return steps;
  }

  private static String appEvent(Random random, long now) {
    ObjectNode o = JSON.createObjectNode();
    o.put("kind", "app");
    switch (random.nextInt(12)) {
      case 0, 1, 2 -> { } // no time: the arrival time
      case 3 -> o.put("ts", now - random.nextInt(30_000));
      case 4 -> o.put("ts", (now - random.nextInt(30_000)) / 1000.0);
      case 5 -> o.put("ts", Instant.ofEpochMilli(now - random.nextInt(30_000)).toString());
      case 6 -> o.put("ts", OffsetDateTime.ofInstant(Instant.ofEpochMilli(now - random.nextInt(9_000)),
          ZoneOffset.ofHoursMinutes(5, 30)).toString());
      case 7 -> o.put("ts", Long.toString((now - random.nextInt(60_000)) / 1000));
      case 8 -> o.put("ts", now - 3 * 86_400_000L); // older than every finite window: late
      case 9 -> o.put("ts", now + 120_000); // from the future: counts as now
      case 10 -> o.putNull("ts");
      default -> o.put("ts", now - random.nextInt(900_000)); // up to 15 minutes old
    }
    o.put("level", pick(random, "info", "info", "info", "warn", "warn", "error", "debug"));
    o.put("path", random.nextInt(25) == 0
        ? "/p/" + random.nextInt(60) // many rare paths: the table's 20 keys overflow
        : pick(random, "/api/orders", "/api/users", "/api/items", "/health", "/static/app.js",
            "/api/orders/7", "/api/usersettings"));
    o.put("host", "web-" + (1 + random.nextInt(6)));
    switch (random.nextInt(10)) {
      case 0 -> o.put("latency", Math.round(random.nextDouble() * 900_000) / 1000.0);
      case 1 -> o.put("latency", Integer.toString(random.nextInt(1200)));
      case 2 -> { } // absent
      case 3 -> o.put("latency", "slow");
      case 4 -> o.put("latency", -5);
      case 5 -> o.put("latency", 1500 + random.nextInt(5000));
      default -> o.put("latency", (int) Math.round(Math.exp(random.nextDouble() * 7)));
    }
    o.put("bytes", random.nextInt(8) == 0 ? random.nextDouble() * 1e6 : random.nextInt(9000));
    if (random.nextInt(5) != 0) {
      o.put("user", "u" + random.nextInt(40));
    }
    ArrayNode tags = o.putArray("tags");
    for (int t = 0, n = random.nextInt(4); t < n; t++) {
      switch (random.nextInt(12)) {
        case 0 -> tags.add(1.5);
        case 1 -> tags.add(2);
        case 2 -> tags.add(true);
        case 3 -> tags.add(1e21);
        case 4 -> tags.add(0.1);
        case 5 -> tags.addNull();
        case 6 -> tags.addObject().put("x", 1);
        default -> tags.add(pick(random, "java", "spring", "sql", "c#", "naïve", "日本"));
      }
    }
    ObjectNode req = o.putObject("req");
    switch (random.nextInt(6)) {
      case 0 -> req.put("status", 500);
      case 1 -> req.put("status", 500.0);
      case 2 -> req.put("status", "500");
      case 3 -> req.put("status", 404);
      default -> req.put("status", 200);
    }
    o.put("message", pick(random, "Q &amp; A &lt;b&gt; caf&eacute;", "plain", "emoji \uD83D\uDE00 é",
        "&#39;quoted&#39; &quot;twice&quot;", "<script>x</script>"));
    return o.toString();
  }

  private static String shopEvent(Random random, long now) {
    ObjectNode data = JSON.createObjectNode();
    data.put("country", pick(random, "NL", "DE", "FR", "JP", "BR"));
    data.put("customer", "c" + random.nextInt(25));
    data.put("amount", random.nextInt(5) == 0 ? 19.99 : Math.round(random.nextDouble() * 50_000) / 100.0);
    ObjectNode outer = JSON.createObjectNode();
    outer.put("at", (now - random.nextInt(20_000)) / 1000); // epoch seconds
    if (random.nextBoolean()) {
      outer.set("data", data);
    } else {
      outer.put("data", data.toString()); // a JSON document inside a string
    }
    return outer.toString();
  }

  /** Frames every decoder must skip, each for its reason, on both dashboards' sources. */
  static List<Step> malformed() {
    List<Step> steps = new ArrayList<>();
    long now = T0;
    steps.add(Step.open(stackExchangeYaml(), "stackexchange.yaml", now));
    for (String frame : malformedStackExchangeFrames()) {
      steps.add(Step.frame("stackexchange", frame, now += 10));
    }
    steps.add(Step.tick(now += 10));
    steps.add(Step.counters());
    steps.add(Step.open(everyChartYaml(), "every-chart.yaml", now));
    for (String frame : List.of(
        "{\"kind\":\"app\",\"ts\":\"yesterday\"}",
        "{\"kind\":\"app\",\"ts\":\"2023-11-14 22:13\"}",
        "{\"kind\":\"app\",\"ts\":-5}",
        "{\"kind\":\"app\",\"ts\":true}",
        "{\"kind\":\"app\",\"ts\":1e400,\"level\":\"info\"}",
        "{\"kind\":\"app\",\"ts\":123456789012345678901234567890}",
        "{\"kind\":\"app\",\"ts\":[1]}",
        "{\"kind\":\"app\",\"latency\":123456789012345678901234567890,\"path\":\"/big\"}",
        "{\"kind\":\"app\",\"kind\":\"other\"}",
        "{\"kind\":\"other\",\"kind\":\"app\",\"level\":\"dup\"}",
        "{\"type\":[\"ping\"]}",
        "{\"type\":\"ping\",\"kind\":\"app\"}",
        "{\"kind\":\"app\",\"tags\":\"\\ud800\",\"message\":\"&bogus; &amp\"}")) {
      steps.add(Step.frame("app", frame, now += 10));
    }
    steps.add(Step.sse("shop", "audit", "{\"data\":{}}", "1", now += 10));
    steps.add(Step.sse("shop", "order", "not json", "2", now += 10));
    steps.add(Step.sse("shop", "order", "{\"at\":1}", "3", now += 10));
    steps.add(Step.sse("shop", "refund", "{\"data\":\"[1]\"}", "", now += 10));
    steps.add(Step.sse("shop", "order", "{\"data\":{\"country\":\"NL\"},\"at\":\"noon\"}", "4", now += 10));
    steps.add(Step.frame("shop", "{\"data\":{\"country\":\"NL\"}}", now += 10));
    steps.add(Step.tick(now += 10));
    steps.add(Step.counters());
    // The intake holds the server's 10,000 events between ticks; the rest are dropped.
    for (int i = 0; i < 10_005; i++) {
      steps.add(Step.frame("app", "{\"kind\":\"app\",\"level\":\"flood\",\"path\":\"/f\"}", now));
    }
    steps.add(Step.tick(now += 10));
    steps.add(Step.counters());
    steps.add(Step.snapshot());
    return steps;
  }

  /** Every way a StackExchange frame can be unusable, and a few that are fine after all. */
  static List<String> malformedStackExchangeFrames() {
    String deep = "[".repeat(40) + "]".repeat(40);
    String deepInner = "{\\\"x\\\":" + "[".repeat(40) + "]".repeat(40) + "}";
    String question = "{\\\"apiSiteParameter\\\":\\\"diy\\\",\\\"tags\\\":[\\\"a\\\"]}";
    return List.of(
        "", "   ", "hb", "{\"action\":", "{} x", "{}{}", "{'a':1}", "{\"a\":1,}", "[1,2]", "42",
        "\"text\"", "null", "true", deep,
        "{\"action\":\"155-questions-active\",\"data\":\"" + deepInner + "\"}",
        "{\"action\":\"155-questions-active\"}",
        "{\"action\":\"155-questions-active\",\"data\":null}",
        "{\"action\":\"155-questions-active\",\"data\":5}",
        "{\"action\":\"155-questions-active\",\"data\":[{}]}",
        "{\"action\":\"155-questions-active\",\"data\":\"[1]\"}",
        "{\"action\":\"155-questions-active\",\"data\":\"\\\"x\\\"\"}",
        "{\"action\":\"155-questions-active\",\"data\":\"679,081\"}",
        "{\"action\":\"155-questions-active\",\"data\":\"\"}",
        "{\"action\":155,\"data\":\"{}\"}",
        "{\"action\":[\"155-questions-active\"],\"data\":\"{}\"}",
        "{\"action\":\"hb\",\"data\":\"not hb\"}", // the rule matches action only
        "{\"action\":\"155-questions-active\",\"data\":\"" + question + "\"}",
        "{\"action\":\"155-questions-active\",\"data\":{\"apiSiteParameter\":\"math\"}}",
        "{\"action\":\"155-questions-active\",\"data\":\"{}\",\"n\":" + "9".repeat(5000) + "}",
        // Under the limit in chars, over it in UTF-8 bytes: what a WebSocket frame is measured in.
        "{\"action\":\"155-questions-active\",\"data\":\"" + "é".repeat(600_000) + "\"}",
        "{\"action\":\"x\",\"pad\":\"" + "x".repeat(1 << 20) + "\"}",
        "{\"action\":\"155-questions-active\",\"data\":\"{\\\"apiSiteParameter\\\":\\\"\\\\ud83d\\\\ude00\\\"}\"}");
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... values) {
    return values[random.nextInt(values.length)];
  }

  private static String resource(String name) {
    try (InputStream in = Scenarios.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no resource " + name + " on the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
