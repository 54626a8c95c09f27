package livegraph.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import livegraph.browser.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser build computes what the server computes: the built {@code web/export/engine.js},
 * run in headless Chromium, and the server's own classes on the JVM ({@link ServerReference})
 * take the same calls at the same clock readings, and every answer must match: each frame's
 * verdict, each tick's changed charts and every snapshot (as parsed JSON), the counters, and the
 * dashboard description.
 *
 * <p>The page is about:blank with the script inserted inline, as the exported page will hold it;
 * nothing is fetched. A scenario runs in the page in chunks through one small runner function,
 * so a few calls carry thousands of steps.
 */
class EngineConformanceIT {

  /** Steps sent to the page per call, and text they may carry, to stay well inside the script timeout. */
  private static final int CHUNK_STEPS = 3000;
  private static final int CHUNK_CHARS = 3 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String INSTALL = """
      const before = new Set(Object.getOwnPropertyNames(window));
      const script = document.createElement('script');
      script.textContent = arguments[0];
      document.head.appendChild(script);
      const added = Object.getOwnPropertyNames(window).filter(n => !before.has(n));
      window.conformance = function (stepsJson) {
        const out = [];
        for (const s of JSON.parse(stepsJson)) {
          const e = livegraphEngine;
          try {
            switch (s.op) {
              case 'open': out.push(e.open(s.text, s.source, s.now)); break;
              case 'sources': out.push(e.sources()); break;
              case 'frame': out.push(e.frame(s.source, s.text, s.now)); break;
              case 'sse': out.push(e.sseEvent(s.source, s.type, s.text, s.id, s.now)); break;
              case 'tick': out.push(e.tick(s.now)); break;
              case 'snapshot': out.push(e.snapshot()); break;
              case 'counters': out.push(e.counters()); break;
              default: out.push('error:unknown step ' + s.op);
            }
          } catch (err) {
            out.push('error:' + (err instanceof Error ? err.message : String(err)));
          }
        }
        return JSON.stringify(out);
      };
      return added;
      """;

  @TempDir static Path profile;

  private static Chromium chromium;

  @BeforeAll
  static void loadTheBuiltEngine() {
    String engine = resource("web/export/engine.js");
    chromium = Chromium.start(profile);
    chromium.open("about:blank");
    Object added = chromium.js(INSTALL, engine);
    assertThat(added).as("globals the script defines").isEqualTo(List.of("livegraphEngine"));
  }

  @AfterAll
  static void closeBrowser() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @AfterEach
  void noConsoleErrors() {
    assertThat(chromium.consoleErrors()).isEmpty();
  }

  @Test
  void stackExchangeSamples_throughTheBuiltInDashboard_sameChartsAsTheServer() {
    List<Step> steps = Scenarios.stackExchange(new Random(11));

    List<String> browser = assertSameAsServer(steps);

    List<String> frames = Scenarios.stackExchangeFrames();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (step.op().equals("frame")) {
        int sample = frames.indexOf(step.text());
        String expected = sample < 2 ? "event" : sample == 2 ? "heartbeat" : "skipped:OTHER_CHANNEL";
        assertThat(browser.get(i)).as("sample frame %d", sample).isEqualTo(expected);
      }
    }
    JsonNode counters = tree(browser.get(browser.size() - 1));
    assertThat(counters.path("events").asLong()).isPositive();
    assertThat(counters.path("heartbeats").asLong()).isPositive();
    assertThat(counters.path("skipped").path("OTHER_CHANNEL").asLong()).isPositive();
    JsonNode sources = tree(browser.get(1));
    assertThat(sources.get(0).path("heartbeatReply").asText()).isEqualTo("hb");
    assertThat(sources.get(0).path("subscribe").get(0).asText()).isEqualTo("155-questions-active");
  }

  @Test
  void everyChartKindMeasureFilterAndWindow_overTwoHoursOfEvents_sameChartsAsTheServer() {
    List<Step> steps = Scenarios.everyChart(new Random(7));

    List<String> browser = assertSameAsServer(steps);

    long ticksWithChanges = 0;
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).op().equals("tick") && browser.get(i) != null) {
        ticksWithChanges++;
      }
    }
    assertThat(ticksWithChanges).as("ticks that changed a chart").isGreaterThan(300);
    JsonNode counters = tree(browser.get(browser.size() - 1));
    assertThat(counters.path("late").asLong()).as("late events").isPositive();
    assertThat(counters.path("heartbeats").asLong()).isPositive();
    assertThat(counters.path("skipped").path("OTHER_CHANNEL").asLong()).isPositive();
    JsonNode snapshot = tree(browser.get(browser.size() - 2));
    assertThat(snapshot.path("per-path").path("overflow").asLong()).as("table overflow").isPositive();
    assertThat(snapshot.path("levels").path("windows").path("all").path("x").size()).isEqualTo(3);
  }

  @Test
  void malformedFrames_areSkippedForTheServersReasons() {
    List<Step> steps = Scenarios.malformed();

    List<String> browser = assertSameAsServer(steps);

    List<String> frames = Scenarios.malformedStackExchangeFrames();
    List<String> verdicts = browser.subList(1, 1 + frames.size());
    assertThat(verdicts).containsExactly(
        "skipped:NOT_JSON", "skipped:NOT_JSON", "skipped:NOT_JSON", "skipped:NOT_JSON",
        "skipped:NOT_JSON", "skipped:NOT_JSON", "skipped:NOT_JSON", "skipped:NOT_JSON",
        "skipped:WRONG_TYPE", "skipped:WRONG_TYPE", "skipped:WRONG_TYPE", "skipped:WRONG_TYPE",
        "skipped:WRONG_TYPE", "skipped:TOO_DEEP", "skipped:TOO_DEEP",
        "skipped:MISSING_FIELD", "skipped:MISSING_FIELD",
        "skipped:WRONG_TYPE", "skipped:WRONG_TYPE", "skipped:WRONG_TYPE", "skipped:WRONG_TYPE",
        "skipped:NOT_JSON", "skipped:NOT_JSON",
        "skipped:OTHER_CHANNEL", "skipped:OTHER_CHANNEL", "heartbeat", "event", "event", "skipped:TOO_LARGE", "skipped:TOO_LARGE", "skipped:TOO_LARGE", "event");
    JsonNode flooded = tree(browser.get(browser.size() - 2));
    assertThat(flooded.path("dropped").asLong()).as("events beyond the intake").isEqualTo(5);
  }

  /**
   * Runs {@code steps} in the page and in {@link ServerReference}, asserts every answer alike,
   * and returns the page's answers.
   */
  private static List<String> assertSameAsServer(List<Step> steps) {
    List<String> browser = inBrowser(steps);
    List<String> server = new ServerReference().run(steps);
    assertThat(browser).hasSameSizeAs(steps);
    int json = 0;
    int sameBytes = 0;
    ulpDifferences = 0;
    ulpCharts.clear();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      String b = browser.get(i);
      String s = server.get(i);
      String where = "step " + i + " " + step;
      if (!step.answersJson() || b != null && b.startsWith("error:")) {
        assertThat(b).as(where).isEqualTo(s);
      } else if (step.op().equals("open")) {
        assertThat(tree(b)).as(where + ": the hello's dashboard").isEqualTo(tree(s).path("dashboard"));
      } else if (step.op().equals("sources")) {
        assertThat(tree(b).isArray()).as(where).isTrue();
      } else if (b == null || s == null) {
        assertThat(b).as(where + " (null: no chart changed)").isEqualTo(s);
      } else {
        assertSameTree(where, tree(b), tree(s));
        json++;
        sameBytes += b.equals(s) ? 1 : 0;
      }
    }
    System.out.printf("%d steps alike; %d of %d chart and counter answers byte for byte; "
        + "%d numbers an ulp or so apart, in %s%n", steps.size(), sameBytes, json, ulpDifferences,
        ulpCharts);
    return browser;
  }

  /**
   * Compared chart by chart, so a failure names the chart. Alike means the same shape, texts,
   * booleans and integers, and fractional numbers within {@link #ULPS} units in the last place:
   * DDSketch's quantiles go through {@code Math.log} and {@code Math.exp}, which the JDK allows
   * to differ by an ulp between implementations, and HotSpot's intrinsics and V8 do. A moved
   * window edge, a lost event or a different key changes a count, a key or a shape.
   */
  private static void assertSameTree(String where, JsonNode browser, JsonNode server) {
    if (browser.isObject() && server.isObject()) {
      assertThat(iterable(browser.fieldNames())).as(where + ": charts").containsExactlyElementsOf(
          iterable(server.fieldNames()));
      for (Iterator<String> it = server.fieldNames(); it.hasNext(); ) {
        String id = it.next();
        long before = ulpDifferences;
        boolean alike = alike(browser.get(id), server.get(id));
        if (ulpDifferences > before) {
          ulpCharts.add(id);
        }
        if (!alike) {
          throw new AssertionError(where + ": chart " + id + " differs at "
              + difference(browser.get(id), server.get(id), "") + "\nbrowser: "
              + ascii(browser.get(id).toString()) + "\nserver:  " + ascii(server.get(id).toString()));
        }
      }
    }
    if (!alike(browser, server)) {
      throw new AssertionError(where + " differs at " + difference(browser, server, "")
          + "\nbrowser: " + ascii(browser.toString()) + "\nserver:  " + ascii(server.toString()));
    }
  }

  /** Where two trees first differ, as a JSON Pointer with both values. */
  private static String difference(JsonNode a, JsonNode b, String at) {
    if (a.isContainerNode() && a.getNodeType() == b.getNodeType()) {
      if (a.isArray()) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
          if (!a.has(i) || !b.has(i) || !alike(a.get(i), b.get(i))) {
            return a.has(i) && b.has(i) ? difference(a.get(i), b.get(i), at + "/" + i)
                : at + "/" + i + ": one side has no element";
          }
        }
      } else {
        for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
          String name = it.next();
          if (!a.has(name) || !alike(a.get(name), b.get(name))) {
            return a.has(name) ? difference(a.get(name), b.get(name), at + "/" + name)
                : at + "/" + name + ": only the server has it";
          }
        }
        return at + ": the browser has more fields " + ascii(a.toString());
      }
    }
    return at + ": browser " + ascii(a.toString()) + ", server " + ascii(b.toString());
  }

  /** Non-ASCII as escapes, so a report never loses a character to its encoding. */
  private static String ascii(String text) {
    String shown = text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
    StringBuilder out = new StringBuilder();
    shown.chars().forEach(c -> out.append(c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
    return out.toString();
  }

  /** The most units in the last place two fractional numbers may differ by. */
  private static final int ULPS = 4;

  private static long ulpDifferences;
  private static final Set<String> ulpCharts = new TreeSet<>();

  private static boolean alike(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber() && (a.isFloatingPointNumber() || b.isFloatingPointNumber())) {
      double x = a.doubleValue();
      double y = b.doubleValue();
      if (x == y) {
        return true;
      }
      boolean close = Math.abs(x - y) <= ULPS * Math.ulp(Math.max(Math.abs(x), Math.abs(y)));
      ulpDifferences += close ? 1 : 0;
      return close;
    }
    if (a.getNodeType() != b.getNodeType() || a.size() != b.size()) {
      return false;
    }
    if (a.isArray()) {
      for (int i = 0; i < a.size(); i++) {
        if (!alike(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject()) {
      for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!b.has(name) || !alike(a.get(name), b.get(name))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  private static List<String> inBrowser(List<Step> steps) {
    List<String> answers = new ArrayList<>(steps.size());
    int from = 0;
    while (from < steps.size()) {
      int to = from;
      long chars = 0;
      while (to < steps.size() && to - from < CHUNK_STEPS
          && (to == from || chars + length(steps.get(to)) <= CHUNK_CHARS)) {
        chars += length(steps.get(to));
        to++;
      }
      String out = (String) chromium.js("return window.conformance(arguments[0]);",
          Step.toJson(steps.subList(from, to)));
      for (JsonNode answer : tree(out)) {
        answers.add(answer.isNull() ? null : answer.asText());
      }
      from = to;
    }
    return answers;
  }

  private static long length(Step step) {
    return step.text() == null ? 0 : step.text().length();
  }

  private static List<String> iterable(Iterator<String> names) {
    List<String> list = new ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + (json.length() > 200 ? json.substring(0, 200) : json), e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = EngineConformanceIT.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is not on the classpath: build it with ./mvnw process-classes");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
