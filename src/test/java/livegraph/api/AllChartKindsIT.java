package livegraph.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import livegraph.Chart;
import livegraph.Livegraph;
import livegraph.browser.Chromium;
import livegraph.testing.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every chart kind, defined in code and fed through {@link Livegraph#event}, served by a real
 * livegraph and drawn by the real page in headless Chromium: what Plotly holds (bar, pie, line,
 * area, heatmap, histogram, sparkline) and what the DOM says (table, number, list) equals an
 * oracle computed here from the same events.
 *
 * <p>Chart time is a clock the test sets: the events fall into known 10 s buckets (one left
 * empty), and the page is loaded once the pipeline has caught up with the clock, so every value
 * is exact. One browser and one page load for the class (Plotly takes seconds to load here).
 */
class AllChartKindsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long T0 = 1_700_000_000_000L; // a multiple of the 10 s bucket
  private static final long BUCKET = 10_000;
  private static final int BUCKETS = 6; // retention 1m
  private static final long NOW = T0 + 55_000; // in the sixth bucket; buckets 0..5 start at T0
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as the program reports it. */
  private record Request(long time, String method, String host, String path, long ms, long bytes,
      String title) {}

  // Four buckets with events, bucket 2 and 5 without; one latency under the histogram, two over.
  private static final List<Request> SENT = List.of(
      new Request(T0 + 1_000, "GET", "web-1", "/a", 10, 100, "first"),
      new Request(T0 + 1_000, "GET", "web-1", "/a", 30, 200, "second"),
      new Request(T0 + 1_000, "POST", "web-2", "/b", 50, 300, "third"),
      new Request(T0 + 1_000, "GET", "web-2", "/a", 15, 100, "fourth"),
      new Request(T0 + 1_000, "PUT", "web-3", "/c", 105, 50, "fifth"),
      new Request(T0 + 12_000, "GET", "web-1", "/b", 20, 100, "sixth"),
      new Request(T0 + 12_000, "POST", "web-1", "/b", 70, 400, "seventh"),
      new Request(T0 + 12_000, "DELETE", "web-3", "/c", -5, 10, "eighth"),
      new Request(T0 + 12_000, "GET", "web-2", "/a", 25, 150, "ninth"),
      new Request(T0 + 12_000, "POST", "web-2", "/a", 45, 250, "tenth"),
      new Request(T0 + 12_000, "PUT", "web-1", "/c", 85, 60, "eleventh"),
      new Request(T0 + 33_000, "GET", "web-1", "/a", 5, 100, "twelfth"),
      new Request(T0 + 33_000, "GET", "web-3", "/b", 35, 100, "thirteenth"),
      new Request(T0 + 33_000, "POST", "web-2", "/b", 65, 300, "fourteenth"),
      new Request(T0 + 33_000, "DELETE", "web-2", "/c", 95, 20, "fifteenth"),
      new Request(T0 + 33_000, "GET", "web-1", "/a", 12, 100, "sixteenth"),
      new Request(T0 + 33_000, "PUT", "web-2", "/c", 140, 70, "seventeenth"),
      new Request(T0 + 44_000, "GET", "web-1", "/a", 22, 100, "eighteenth"),
      new Request(T0 + 44_000, "POST", "web-1", "/b", 48, 350, "nineteenth"),
      new Request(T0 + 44_000, "GET", "web-3", "/a", 8, 120, "twentieth"),
      new Request(T0 + 44_000, "DELETE", "web-1", "/b", 60, 30, "twenty-first"));

  @TempDir static Path profile;

  private static final AtomicLong clock = new AtomicLong(T0);
  private static Livegraph live;
  private static Chromium chromium;

  @BeforeAll
  static void serveFeedAndOpenThePage() throws Exception {
    live = Livegraph.create(Livegraph.Config.defaults().withClock(clock::get).withCharts("Every chart kind",
        Chart.bar("Requests by method").id("bars").by("method").top(2).other(true).windows("10m", "all"),
        Chart.pie("Bytes by host").id("pie").by("host").measure("sum(bytes)").windows("10m"),
        Chart.table("Paths").id("table").by("path").windows("all")
            .column("Requests", "count").column("Avg ms", "avg(ms)").column("Max ms", "max(ms)"),
        Chart.line("Requests over time").id("line").by("method").measure("count")
            .bucket("10s").retention("1m").series(2),
        Chart.area("Bytes over time").id("area").by("host").measure("sum(bytes)")
            .bucket("10s").retention("1m").series(3),
        Chart.heatmap("Slowest by path").id("heat").by("path").measure("max(ms)")
            .bucket("10s").retention("1m").top(3),
        Chart.number("Requests").id("requests").measure("count").window("all")
            .bucket("10s").sparkline("1m"),
        Chart.number("Average latency").id("avg").measure("avg(ms)").window("all").bucket("10s"),
        Chart.histogram("Latency").id("hist").field("ms").min(0).max(100).bins(5).window("all"),
        Chart.list("Latest").id("latest").fields("title", "method", "path").size(3)))
        .start(0);

    int taken = 0;
    for (Request r : SENT) {
      if (r.time() != clock.get()) {
        int before = taken;
        // Each bucket's events are in the charts before the clock moves on.
        Poll.until(WAIT, () -> requestsShown() == before, before + " requests in the charts");
        clock.set(r.time());
      }
      assertThat(live.event(fields(r))).as("taken: %s", r).isTrue();
      taken++;
    }
    Poll.until(WAIT, () -> requestsShown() == SENT.size(), "every request in the charts");
    clock.set(NOW);
    Poll.until(WAIT, () -> state("line").get("start").asLong() == T0, "the charts advanced to " + NOW);

    chromium = Chromium.start(profile);
    chromium.open("http://127.0.0.1:" + live.port() + "/");
    chromium.until(WAIT, "page connected", () -> "live".equals(js("return window.livegraph && livegraph.connection")));
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (live != null) {
      live.close();
    }
  }

  @AfterEach
  void noJavaScriptErrors() {
    assertThat(chromium.consoleErrors()).isEmpty();
    assertThat(js("return livegraph.drawErrors")).isEqualTo(0L);
  }

  @Test
  void bar_showsTheTopMethodsByCount_thenOther() {
    Keyed count = keyed(Request::method, rs -> rs.size(), 2);
    shows("bars", Arrays.asList(append(count.keys(), "other"), append(count.values(), count.other())),
        "const d = document.getElementById('chart-bars').data[0]; return [d.x, d.y]");
  }

  @Test
  void pie_showsTheBytesOfEveryHost_largestFirst() {
    Keyed bytes = keyed(Request::host, rs -> sum(rs, Request::bytes), 10);
    assertThat(bytes.values()).as("distinct sums: the order is the measure's, not the keys'")
        .doesNotHaveDuplicates();
    shows("pie", List.of(bytes.keys(), bytes.values()),
        "const d = document.getElementById('chart-pie').data[0]; return [d.labels, d.values]");
  }

  @Test
  void table_showsCountAverageAndMaximumPerPath_asFormattedText() {
    Keyed count = keyed(Request::path, rs -> rs.size(), 10);
    List<List<String>> rows = new ArrayList<>();
    for (String path : count.keys()) {
      List<Request> of = SENT.stream().filter(r -> r.path().equals(path)).toList();
      rows.add(List.of(path, format(of.size()), format(sum(of, Request::ms) / of.size()),
          format(of.stream().mapToDouble(Request::ms).max().orElseThrow())));
    }
    shows("table headings", List.of("path", "Requests", "Avg ms", "Max ms"),
        "return [...document.querySelectorAll('#chart-table thead th')].map(c => c.textContent)");
    shows("table rows", rows, "return [...document.querySelectorAll('#chart-table tbody tr')]"
        + ".map(r => [...r.children].map(c => c.textContent))");
  }

  @Test
  void line_showsTheTotalAndTheTopTwoMethods_perBucket_zeroWhereNone() {
    List<Object> expected = new ArrayList<>();
    expected.add(series("total", r -> true, rs -> rs.size()));
    for (String method : keyed(Request::method, rs -> rs.size(), 2).keys()) {
      expected.add(series(method, r -> r.method().equals(method), rs -> rs.size()));
    }
    shows("line", expected, TRACES.formatted("line"));
  }

  @Test
  void area_stacksTheBytesOfEachHost_underTheTotal() {
    List<Object> expected = new ArrayList<>();
    expected.add(series("total", r -> true, rs -> sum(rs, Request::bytes)));
    for (String host : keyed(Request::host, rs -> sum(rs, Request::bytes), 3).keys()) {
      expected.add(series(host, r -> r.host().equals(host), rs -> sum(rs, Request::bytes)));
    }
    shows("area", expected, TRACES.formatted("area"));
    assertThat(js("return document.getElementById('chart-area').data.filter(t => t.stackgroup === 'keys').length"))
        .as("the hosts stacked").isEqualTo(3L);
  }

  @Test
  void heatmap_hasARowPerPath_slowestFirst_andTheMaximumPerBucket_emptyWhereNone() {
    Keyed slowest = keyed(Request::path, rs -> rs.stream().mapToDouble(Request::ms).max().orElseThrow(), 3);
    List<List<Double>> z = new ArrayList<>();
    for (String path : slowest.keys()) {
      z.add(perBucket(r -> r.path().equals(path),
          rs -> rs.isEmpty() ? null : rs.stream().mapToDouble(Request::ms).max().orElseThrow()));
    }
    shows("heatmap", List.of(bucketStarts(), slowest.keys(), z),
        "const d = document.getElementById('chart-heat').data[0]; return [d.x.map(t => t.getTime()), d.y, d.z]");
  }

  @Test
  void numbers_showTheCountAndTheAverage_formatted_withASparklinePerBucket() {
    shows("requests", format(SENT.size()),
        "return document.querySelector('#chart-requests .number-value').textContent");
    shows("average", format(sum(SENT, Request::ms) / SENT.size()),
        "return document.querySelector('#chart-avg .number-value').textContent");
    shows("sparkline", List.of(bucketStarts(), perBucket(r -> true, rs -> (double) rs.size())),
        "const t = document.getElementById('spark-requests').data.find(t => t.meta !== 'fill');"
            + " return [t.x.map(x => x.getTime()), t.y]");
  }

  @Test
  void histogram_countsEachBin_andTheValuesOutsideAsText() {
    List<Double> counts = new ArrayList<>(Collections.nCopies(5, 0.0));
    int under = 0;
    int over = 0;
    for (Request r : SENT) {
      if (r.ms() < 0) {
        under++;
      } else if (r.ms() >= 100) {
        over++;
      } else {
        counts.set((int) (r.ms() / 20), counts.get((int) (r.ms() / 20)) + 1);
      }
    }
    assertThat(under).isEqualTo(1);
    assertThat(over).isEqualTo(2);
    shows("histogram", List.of(List.of(10, 30, 50, 70, 90), counts),
        "const d = document.getElementById('chart-hist').data[0]; return [d.x, d.y]");
    shows("outside", under + " ms below 0 · " + over + " above 100",
        "return document.getElementById('chart-hist').parentElement.querySelector('.histogram-outside').textContent");
  }

  @Test
  void list_showsTheLatestThree_newestFirst_withTheirFields() {
    List<List<String>> items = new ArrayList<>();
    for (int i = SENT.size() - 1; i >= SENT.size() - 3; i--) {
      Request r = SENT.get(i);
      items.add(List.of(r.title(), r.method(), r.path()));
    }
    shows("list", items, "return [...document.querySelectorAll('#chart-latest li')].map(li =>"
        + " [li.querySelector('.item-title').textContent,"
        + " ...[...li.querySelectorAll('.item-field')].map(s => s.textContent)])");
  }

  // --- the oracle -------------------------------------------------------------------------

  /** Line and area traces other than fills: name, bucket start times, values. */
  private static final String TRACES = "return document.getElementById('chart-%s').data"
      + ".filter(t => t.meta !== 'fill').map(t => [t.name, t.x.map(x => x.getTime()), t.y])";

  /** Keys ranked as the server ranks them (value descending, then key), the top ones and the rest. */
  private record Keyed(List<String> keys, List<Double> values, Double other) {}

  private static Keyed keyed(Function<Request, String> by, ToDoubleFunction<List<Request>> measure, int top) {
    Map<String, List<Request>> groups = new LinkedHashMap<>();
    SENT.forEach(r -> groups.computeIfAbsent(by.apply(r), k -> new ArrayList<>()).add(r));
    List<String> ranked = new ArrayList<>(groups.keySet());
    ranked.sort((a, b) -> {
      int byValue = Double.compare(measure.applyAsDouble(groups.get(b)), measure.applyAsDouble(groups.get(a)));
      return byValue != 0 ? byValue : a.compareTo(b);
    });
    List<String> keys = ranked.subList(0, Math.min(top, ranked.size()));
    List<Double> values = keys.stream().map(k -> measure.applyAsDouble(groups.get(k))).toList();
    List<Request> rest = SENT.stream().filter(r -> !keys.contains(by.apply(r))).toList();
    return new Keyed(List.copyOf(keys), values, rest.isEmpty() ? null : measure.applyAsDouble(rest));
  }

  /** A trace as the page draws it: name, bucket starts, the measure of each bucket (0 when empty). */
  private static List<Object> series(String name, Predicate<Request> which, ToDoubleFunction<List<Request>> measure) {
    return List.of(name, bucketStarts(), perBucket(which, rs -> measure.applyAsDouble(rs)));
  }

  private static List<Double> perBucket(Predicate<Request> which, Function<List<Request>, Double> measure) {
    List<Double> values = new ArrayList<>();
    for (long start : bucketStarts()) {
      values.add(measure.apply(SENT.stream()
          .filter(r -> r.time() >= start && r.time() < start + BUCKET && which.test(r)).toList()));
    }
    return values;
  }

  private static List<Long> bucketStarts() {
    List<Long> starts = new ArrayList<>();
    for (int i = 0; i < BUCKETS; i++) {
      starts.add(T0 + i * BUCKET);
    }
    return starts;
  }

  private static double sum(List<Request> requests, ToDoubleFunction<Request> field) {
    return requests.stream().mapToDouble(field).sum();
  }

  /** The page's number format (format.js): integers in full with separators, else 3 digits. */
  private static String format(double v) {
    if (v == Math.rint(v) || Math.abs(v) >= 1000) {
      return String.format(java.util.Locale.US, "%,.0f", v);
    }
    return java.math.BigDecimal.valueOf(v).round(new java.math.MathContext(3, java.math.RoundingMode.HALF_UP))
        .stripTrailingZeros().toPlainString();
  }

  private static <T> List<T> append(List<T> list, T last) {
    List<T> all = new ArrayList<>(list);
    all.add(last);
    return all;
  }

  // --- plumbing ---------------------------------------------------------------------------

  private static Map<String, Object> fields(Request r) {
    return Map.of("method", r.method(), "host", r.host(), "path", r.path(), "ms", r.ms(),
        "bytes", r.bytes(), "title", r.title());
  }

  private static long requestsShown() {
    JsonNode value = state("requests").get("value");
    return value == null || value.isNull() ? 0 : value.asLong();
  }

  private static JsonNode state(String chart) {
    try {
      return JSON.readTree(live.hub().charts().get(chart));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object js(String script, Object... args) {
    return chromium.js(script, args);
  }

  /**
   * Waits until {@code script}'s result equals {@code expected}, numbers compared as doubles
   * (the browser returns whole numbers as Long); fails with both when it never does.
   */
  private static void shows(String what, Object expected, String script) {
    Object want = normal(expected);
    AtomicReference<Object> last = new AtomicReference<>();
    try {
      chromium.until(WAIT, what + " drawn as the oracle says", () -> {
        Object got = normal(js(script));
        last.set(got);
        return want.equals(got) ? Boolean.TRUE : null;
      });
    } catch (AssertionError timedOut) {
      assertThat(last.get()).as(what).isEqualTo(want);
      throw timedOut;
    }
  }

  private static Object normal(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(normal(v)));
      return out;
    }
    return value;
  }
}
