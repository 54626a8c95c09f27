package livegraph.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The real page (index.html, app.js, vendored Plotly) in headless Chromium under the
 * server's CSP, with its WebSocket replaced by a fake the test drives (fake-socket.js).
 * The page is loaded once (Plotly costs seconds to start); each test begins with a fresh
 * snapshot, which replaces all chart state.
 */
class PageIT {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Path WEB = Path.of("src", "main", "resources", "web").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path profile;

  private static StaticSite site;
  private static Chromium chromium;
  /** Last seq sent to the page; test thread only. */
  private static long seq = 100;

  @BeforeAll
  static void loadPage() throws IOException {
    String index = Files.readString(WEB.resolve("index.html"), StandardCharsets.UTF_8);
    String module = "<script type=\"module\" src=\"app.js\"></script>";
    assertThat(index).contains(module);
    site = StaticSite.start(WEB)
        .put("/index.html", index.replace(module, "<script src=\"test-fake-socket.js\" defer></script>" + module))
        .put("/test-fake-socket.js", resource("fake-socket.js"));
    chromium = Chromium.start(profile);
    chromium.open(site.url("/"));
    chromium.until(WAIT, "the page to open its socket", () -> js("return fakeWs.sockets.length === 1"));
    js("fakeWs.current().serverOpen()");
    send(hello());
    chromium.until(WAIT, "connection live", () -> "live".equals(js("return livegraph.connection")));
  }

  @AfterAll
  static void close() {
    if (chromium != null) {
      chromium.close();
    }
    if (site != null) {
      site.close();
    }
  }

  @AfterEach
  void noJavaScriptErrors_norCspRefusals() {
    assertThat(chromium.consoleErrors()).isEmpty();
  }

  @Test
  void hello_buildsOnePanelPerChartInOrder_withTitleAndWindowChoices() {
    assertThat(js("return [...document.querySelectorAll('.panel h2')].map(h => h.textContent)"))
        .isEqualTo(List.of("Active questions by community", "Stack Overflow top tags", "Activity over time",
            "Latest questions"));
    assertThat(chromium.driver().getTitle()).isEqualTo("StackExchange activity");
    assertThat(text("title")).isEqualTo("StackExchange activity");
    Select window = new Select(chromium.driver().findElement(By.id("window")));
    assertThat(window.getOptions()).extracting(WebElement::getText).containsExactly("10 min", "1 hour", "since start");
    assertThat(window.getFirstSelectedOption().getAttribute("value")).isEqualTo("10m");
    assertThat(text("status-feed")).isEqualTo("Simulated StackExchange feed");
  }

  @Test
  void bars_showTheSelectedWindow_inServerOrder() {
    snapshot(Map.of("communities", bar(List.of("stackoverflow", "math", "diy"), List.of(12, 3, 1),
        List.of("math", "stackoverflow"), List.of(40, 30))));
    chromium.until(WAIT, "10m bars", () -> List.of("stackoverflow", "math", "diy").equals(barX("communities")));
    assertThat(js("return document.getElementById('chart-communities').data[0].y")).isEqualTo(List.of(12L, 3L, 1L));

    new Select(chromium.driver().findElement(By.id("window"))).selectByValue("1h");
    try {
      chromium.until(WAIT, "1h bars", () -> List.of("math", "stackoverflow").equals(barX("communities")));
      assertThat(js("return livegraph.window")).isEqualTo("1h");
      assertThat(js("return document.getElementById('chart-communities').data[0].y")).isEqualTo(List.of(40L, 30L));
    } finally {
      new Select(chromium.driver().findElement(By.id("window"))).selectByValue("10m");
    }
  }

  @Test
  void feedText_isShownAsText_andOnlyHttpUrlsBecomeLinks() {
    String evil = "<img src=x onerror=\"window.pwned=1\"> & <b>bold</b>";
    snapshot(Map.of("latest", Map.of("items", List.of(
        item(evil, "javascript:window.pwned=2"),
        item("A normal question", "https://diy.stackexchange.com/questions/1/a")))));
    chromium.until(WAIT, "two list items", () -> js("return document.querySelectorAll('#chart-latest li').length === 2"));

    assertThat(js("return document.querySelector('#chart-latest li .item-title').textContent")).isEqualTo(evil);
    assertThat(js("return document.querySelectorAll('#chart-latest img, #chart-latest b').length")).isEqualTo(0L);
    assertThat(js("return document.querySelectorAll('#chart-latest li')[0].querySelector('a')")).isNull();
    assertThat(js("return window.pwned === undefined")).isEqualTo(true);
    @SuppressWarnings("unchecked")
    Map<String, Object> link = (Map<String, Object>) js("const a = document.querySelectorAll('#chart-latest li')[1]"
        + ".querySelector('a'); return {href: a.href, rel: a.rel, target: a.target, text: a.textContent}");
    assertThat(link).containsEntry("href", "https://diy.stackexchange.com/questions/1/a")
        .containsEntry("rel", "noopener noreferrer").containsEntry("target", "_blank")
        .containsEntry("text", "A normal question");
    assertThat(text("chart-latest")).contains("diy.stackexchange.com", "bricks", "mortar");
  }

  @Test
  void manyDeltasInOneTask_coalesceIntoOneDraw_withPlotlyReactNotNewPlot() {
    snapshot(Map.of("communities", bar(List.of("a"), List.of(1), List.of(), List.of())));
    chromium.until(WAIT, "first bar", () -> List.of("a").equals(barX("communities")));
    long redraws = (Long) js("return livegraph.redraws");

    StringBuilder burst = new StringBuilder();
    for (int i = 2; i <= 50; i++) {
      burst.append("fakeWs.current().serverSend(").append(quote(delta(
          Map.of("communities", bar(List.of("a"), List.of(i), List.of(), List.of()))))).append(");");
    }
    js(burst.toString());

    chromium.until(WAIT, "last delta drawn", () -> List.of(50L).equals(
        js("return document.getElementById('chart-communities').data[0].y")));
    assertThat((Long) js("return livegraph.redraws") - redraws).as("draws for 49 deltas in one task").isEqualTo(1);
    assertThat(js("return fakeWs.plotCalls.newPlot['chart-communities']")).isEqualTo(1L);
    assertThat((Long) js("return fakeWs.plotCalls.react['chart-communities']")).isPositive();
  }

  @Test
  void hiddenTab_drawsNothing_thenDrawsTheCurrentStateOnceWhenShown() {
    snapshot(Map.of("communities", bar(List.of("shown"), List.of(1), List.of(), List.of())));
    chromium.until(WAIT, "snapshot drawn", () -> List.of("shown").equals(barX("communities")));
    js("Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});"
        + "document.dispatchEvent(new Event('visibilitychange'))");
    try {
      long redraws = (Long) js("return livegraph.redraws");
      send(delta(Map.of("communities", bar(List.of("while-hidden-1"), List.of(1), List.of(), List.of()))));
      send(delta(Map.of("communities", bar(List.of("while-hidden-2"), List.of(2), List.of(), List.of()))));
      afterTwoAnimationFrames();
      assertThat(js("return livegraph.redraws")).isEqualTo(redraws);
      assertThat(barX("communities")).isEqualTo(List.of("shown"));

      js("delete document.hidden; document.dispatchEvent(new Event('visibilitychange'))");
      chromium.until(WAIT, "current state drawn", () -> List.of("while-hidden-2").equals(barX("communities")));
      afterTwoAnimationFrames();
      assertThat((Long) js("return livegraph.redraws") - redraws).isEqualTo(1);
    } finally {
      js("delete document.hidden");
    }
  }

  @Test
  void userZoom_survivesUpdates() {
    snapshot(Map.of("communities", bar(List.of("a", "b"), List.of(10, 5), List.of(), List.of())));
    chromium.until(WAIT, "bars drawn", () -> List.of("a", "b").equals(barX("communities")));
    js("return Plotly.relayout('chart-communities', {'yaxis.range': [0, 3]})");

    send(delta(Map.of("communities", bar(List.of("a", "b", "c"), List.of(11, 5, 2), List.of(), List.of()))));
    chromium.until(WAIT, "update drawn", () -> List.of("a", "b", "c").equals(barX("communities")));

    assertThat(js("return document.getElementById('chart-communities').layout.yaxis.range"))
        .isEqualTo(List.of(0L, 3L));
    js("return Plotly.relayout('chart-communities', {'yaxis.autorange': true})");
  }

  @Test
  void gap_sendsOneResume_andTheGappedDeltaIsIgnored() {
    snapshot(Map.of("communities", bar(List.of("before"), List.of(1), List.of(), List.of())));
    chromium.until(WAIT, "snapshot drawn", () -> List.of("before").equals(barX("communities")));
    long last = seq;
    js("fakeWs.sent.length = 0");

    send(frame("delta", last + 2, Map.of("communities", bar(List.of("gap1"), List.of(1), List.of(), List.of()))));
    send(frame("delta", last + 3, Map.of("communities", bar(List.of("gap2"), List.of(1), List.of(), List.of()))));

    assertThat(js("return fakeWs.sent")).isEqualTo(List.of(Map.of("type", "resume", "seq", last)));
    assertThat(js("return livegraph.seq")).isEqualTo(last);

    send(frame("delta", last + 1, Map.of("communities", bar(List.of("filled"), List.of(1), List.of(), List.of()))));
    seq = last + 1;
    chromium.until(WAIT, "missing delta applied", () -> List.of("filled").equals(barX("communities")));
    assertThat(js("return livegraph.seq")).isEqualTo(last + 1);
  }

  @Test
  void timeseries_drawsOneLinePerSeries_totalFirstAndThicker() {
    Map<String, Object> state = Map.of("start", 1_700_000_000_000L, "step", 5000, "series", List.of(
        Map.of("name", "stackoverflow", "values", List.of(1, 2, 3)),
        Map.of("name", "total", "values", List.of(2, 4, 6))));
    snapshot(Map.of("activity", state));
    chromium.until(WAIT, "two lines", () -> js("return document.getElementById('chart-activity').data.length === 2"));

    @SuppressWarnings("unchecked")
    Map<String, Object> shown = (Map<String, Object>) js("const d = document.getElementById('chart-activity').data;"
        + "return {names: d.map(t => t.name), widths: d.map(t => t.line.width), y: d[0].y,"
        + " x0: d[0].x[0].getTime(), dx: d[0].x[1].getTime() - d[0].x[0].getTime()}");
    assertThat(shown).containsEntry("names", List.of("total", "stackoverflow"))
        .containsEntry("y", List.of(2L, 4L, 6L))
        .containsEntry("x0", 1_700_000_000_000L)
        .containsEntry("dx", 5000L);
    @SuppressWarnings("unchecked")
    List<Number> widths = (List<Number>) shown.get("widths");
    assertThat(widths.get(0).doubleValue()).isGreaterThan(widths.get(1).doubleValue());
  }

  @Test
  void status_showsRateViewersUpstreamAndServerErrors() {
    send("{\"type\":\"status\",\"source\":{\"state\":\"reconnecting\",\"detail\":\"upstream closed 1006\","
        + "\"events\":1234,\"eventsPerSecond\":3.4,\"skipped\":7,\"dropped\":0},\"viewers\":3}");
    send("{\"type\":\"error\",\"message\":\"<b>too many viewers</b>\"}");

    assertThat(text("status-rate")).contains("3.4 events/s").contains("1,234");
    assertThat(text("status-viewers")).isEqualTo("3 viewers");
    assertThat(text("status-upstream")).contains("reconnecting", "upstream closed 1006", "7 skipped");
    assertThat(text("status-message")).isEqualTo("error: <b>too many viewers</b>");
    assertThat(text("status-connection")).isEqualTo("live");
  }

  @Test
  void lostSocket_reconnectsWithBackoff_resumingFromLastSeq_keepingThePanels() {
    snapshot(Map.of("communities", bar(List.of("kept"), List.of(1), List.of(), List.of())));
    chromium.until(WAIT, "snapshot drawn", () -> List.of("kept").equals(barX("communities")));
    js("document.getElementById('chart-communities').dataset.marker = 'same-element'");
    long sockets = (Long) js("return fakeWs.sockets.length");

    js("fakeWs.current().serverClose()");

    assertThat(js("return livegraph.connection")).isEqualTo("reconnecting");
    assertThat(text("status-connection")).matches("reconnecting in \\d+ s");
    chromium.until(WAIT, "a new socket", () -> (Long) js("return fakeWs.sockets.length") == sockets + 1);
    assertThat((String) js("return fakeWs.current().url")).endsWith("/ws?resume=" + seq).startsWith("ws://127.0.0.1:");

    js("fakeWs.current().serverOpen()");
    send(hello());
    chromium.until(WAIT, "live again", () -> "live".equals(js("return livegraph.connection")));
    assertThat(js("return document.getElementById('chart-communities').dataset.marker")).isEqualTo("same-element");
    send(delta(Map.of("communities", bar(List.of("resumed"), List.of(2), List.of(), List.of()))));
    chromium.until(WAIT, "delta after resume", () -> List.of("resumed").equals(barX("communities")));
  }

  // --- helpers ---------------------------------------------------------------------------

  private static Object js(String script, Object... args) {
    return chromium.js(script, args);
  }

  /** Returns once the page has painted two more frames: anything scheduled by now has run. */
  private static void afterTwoAnimationFrames() {
    chromium.driver().executeAsyncScript(
        "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()))");
  }

  private static String text(String id) {
    return (String) js("return document.getElementById(arguments[0]).textContent", id);
  }

  private static Object barX(String chart) {
    return js("const d = document.getElementById('chart-' + arguments[0]).data;"
        + " return d && d[0] ? d[0].x : null", chart);
  }

  private static void send(String frame) {
    js("fakeWs.current().serverSend(arguments[0])", frame);
  }

  private static void snapshot(Map<String, Object> charts) {
    send(frame("snapshot", ++seq, charts));
  }

  private static String delta(Map<String, Object> charts) {
    return frame("delta", ++seq, charts);
  }

  private static String frame(String type, long frameSeq, Map<String, Object> charts) {
    Map<String, Object> frame = new LinkedHashMap<>();
    frame.put("type", type);
    frame.put("seq", frameSeq);
    frame.put("charts", charts);
    return json(frame);
  }

  private static Map<String, Object> bar(List<String> x10m, List<Integer> y10m, List<String> x1h, List<Integer> y1h) {
    return Map.of("windows", Map.of(
        "10m", Map.of("x", x10m, "y", y10m),
        "1h", Map.of("x", x1h, "y", y1h),
        "all", Map.of("x", x1h, "y", y1h)), "overflow", 0);
  }

  private static Map<String, Object> item(String title, String url) {
    return Map.of("time", System.currentTimeMillis() - 30_000, "title", title, "apiSiteParameter", "diy",
        "siteBaseHostAddress", "diy.stackexchange.com", "tags", List.of("bricks", "mortar"), "url", url);
  }

  private static String hello() {
    List<Map<String, String>> windows = List.of(Map.of("id", "10m", "label", "10 min"),
        Map.of("id", "1h", "label", "1 hour"), Map.of("id", "all", "label", "since start"));
    return json(Map.of("type", "hello",
        "dashboard", Map.of("name", "stackexchange", "title", "StackExchange activity", "charts", List.of(
            Map.of("id", "communities", "title", "Active questions by community", "kind", "bar",
                "windows", windows, "defaultWindow", "10m"),
            Map.of("id", "tags", "title", "Stack Overflow top tags", "kind", "bar",
                "windows", windows, "defaultWindow", "10m"),
            Map.of("id", "activity", "title", "Activity over time", "kind", "timeseries"),
            Map.of("id", "latest", "title", "Latest questions", "kind", "list",
                "fields", List.of("title", "apiSiteParameter", "siteBaseHostAddress", "tags", "url")))),
        "source", Map.of("description", "Simulated StackExchange feed", "mode", "simulated",
            "url", "ws://127.0.0.1:40123/")));
  }

  private static String quote(String s) {
    return json(s);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode test frame: " + value, e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = PageIT.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
