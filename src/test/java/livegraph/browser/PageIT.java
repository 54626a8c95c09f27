package livegraph.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The page's protocol behaviour in headless Chromium with a fake socket (see {@link
 * FakeSocketPage}): layout from hello, reloads, config errors, sequencing, redraw budget,
 * reconnects, and what it does with garbage. The page is loaded once; each test begins with a
 * fresh snapshot, which replaces all chart state.
 */
class PageIT {

  private static final String XSS = "<img src=x onerror=\"window.__xss=1\"> & <b>bold</b>";

  @RegisterExtension static final FakeSocketPage page = FakeSocketPage.perClass(hello());

  /** After the page's own checks (no console errors, no {@code window.__xss}), see {@link FakeSocketPage}. */
  @AfterEach
  void noFeedScriptRan() {
    assertThat(js("return window.pwned === undefined")).isEqualTo(true);
  }

  @Test
  void hello_buildsOnePanelPerChartInOrder_withTitleAndPerChartWindowChoices() {
    assertThat(js("return [...document.querySelectorAll('.panel h2')].map(h => h.textContent)"))
        .isEqualTo(List.of("Active questions by community", "Stack Overflow top tags", "Activity over time",
            "Latest questions"));
    assertThat(page.chromium().driver().getTitle()).isEqualTo("StackExchange activity");
    assertThat(page.text("title")).isEqualTo("StackExchange activity");
    for (String chart : List.of("communities", "tags")) {
      Select window = windowSelect(chart);
      assertThat(window.getOptions()).extracting(WebElement::getText).containsExactly("10 min", "1 hour", "since start");
      assertThat(window.getFirstSelectedOption().getAttribute("value")).isEqualTo("10m");
    }
    assertThat(js("return document.querySelectorAll('select').length")).isEqualTo(2L);
    assertThat(page.text("status-feed")).isEqualTo("Simulated StackExchange feed");
  }

  @Test
  void bars_showTheirOwnSelectedWindow_inServerOrder() {
    Map<String, Object> state = bar(List.of("stackoverflow", "math", "diy"), List.of(12, 3, 1),
        List.of("math", "stackoverflow"), List.of(40, 30));
    page.snapshot(Map.of("communities", state, "tags", state));
    page.until("10m bars", () -> List.of("stackoverflow", "math", "diy").equals(barX("communities")));
    assertThat(barY("communities")).isEqualTo(List.of(12L, 3L, 1L));

    windowSelect("communities").selectByValue("1h");
    try {
      page.until("1h bars", () -> List.of("math", "stackoverflow").equals(barX("communities")));
      assertThat(js("return livegraph.windows.communities")).isEqualTo("1h");
      assertThat(barY("communities")).isEqualTo(List.of(40L, 30L));
      assertThat(barX("tags")).as("the other chart keeps its window").isEqualTo(List.of("stackoverflow", "math", "diy"));
      assertThat(js("return livegraph.windows.tags")).isEqualTo("10m");
    } finally {
      windowSelect("communities").selectByValue("10m");
    }
  }

  @Test
  void feedText_isShownAsText_andOnlyHttpUrlsBecomeLinks() {
    page.snapshot(Map.of("latest", Map.of("items", List.of(
        item(XSS, "javascript:window.pwned=2"),
        item("A normal question", "https://diy.stackexchange.com/questions/1/a")))));
    page.until("two list items", () -> js("return document.querySelectorAll('#chart-latest li').length === 2"));

    assertThat(js("return document.querySelector('#chart-latest li .item-title').textContent")).isEqualTo(XSS);
    assertThat(js("return document.querySelectorAll('#chart-latest img, #chart-latest b').length")).isEqualTo(0L);
    assertThat(js("return document.querySelectorAll('#chart-latest li')[0].querySelector('a')")).isNull();
    @SuppressWarnings("unchecked")
    Map<String, Object> link = (Map<String, Object>) js("const a = document.querySelectorAll('#chart-latest li')[1]"
        + ".querySelector('a'); return {href: a.href, rel: a.rel, target: a.target, text: a.textContent}");
    assertThat(link).containsEntry("href", "https://diy.stackexchange.com/questions/1/a")
        .containsEntry("rel", "noopener noreferrer").containsEntry("target", "_blank")
        .containsEntry("text", "A normal question");
    assertThat(page.text("chart-latest")).contains("diy.stackexchange.com", "bricks", "mortar");
  }

  @Test
  void manyDeltasInOneTask_coalesceIntoOneDraw_anUpdateNotNewPlot() {
    page.snapshot(Map.of("communities", bar(List.of("a"), List.of(1), List.of(), List.of())));
    page.until("first bar", () -> List.of("a").equals(barX("communities")));
    long redraws = (Long) js("return livegraph.redraws");
    long newPlots = (Long) js("return fakeWs.plotCalls.newPlot['chart-communities']");

    StringBuilder burst = new StringBuilder();
    for (int i = 2; i <= 50; i++) {
      burst.append("fakeWs.current().serverSend(").append(FakeSocketPage.json(page.delta(
          Map.of("communities", bar(List.of("a"), List.of(i), List.of(), List.of()))))).append(");");
    }
    js(burst.toString());

    page.until("last delta drawn", () -> List.of(50L).equals(barY("communities")));
    assertThat((Long) js("return livegraph.redraws") - redraws).as("draws for 49 deltas in one task").isEqualTo(1);
    assertThat(js("return fakeWs.plotCalls.newPlot['chart-communities']")).isEqualTo(newPlots);
    // Same keys, new heights: the fast update (plot.js), which is Plotly.animate.
    assertThat((Long) js("return fakeWs.plotCalls.animate['chart-communities']")).isPositive();
  }

  @Test
  void userZoom_survivesUpdates() {
    page.snapshot(Map.of("communities", bar(List.of("a", "b"), List.of(10, 5), List.of(), List.of())));
    page.until("bars drawn", () -> List.of("a", "b").equals(barX("communities")));
    js("return Plotly.relayout('chart-communities', {'yaxis.range': [0, 3]})");

    page.send(page.delta(Map.of("communities", bar(List.of("a", "b", "c"), List.of(11, 5, 2), List.of(), List.of()))));
    page.until("update drawn", () -> List.of("a", "b", "c").equals(barX("communities")));

    assertThat(js("return document.getElementById('chart-communities').layout.yaxis.range"))
        .isEqualTo(List.of(0L, 3L));
    js("return Plotly.relayout('chart-communities', {'yaxis.autorange': true})");
  }

  @Test
  void newAndReorderedKeys_areAFastUpdate_andTheAxisShowsThemInOrder() {
    page.snapshot(Map.of("communities", bar(List.of("alpha", "beta", "gamma"), List.of(10, 5, 2), List.of(), List.of())));
    page.until("bars drawn", () -> labelsAre("communities", "alpha", "beta", "gamma"));
    long reacts = plotCalls("react", "chart-communities");
    long animates = plotCalls("animate", "chart-communities");

    // Reordered, one key replaced, the same count: a fast update.
    page.send(page.delta(Map.of("communities", bar(List.of("beta", "alpha", "c"), List.of(40, 10, 1), List.of(), List.of()))));
    page.until("labels follow the keys", () -> labelsAre("communities", "beta", "alpha", "c"));
    assertThat(barY("communities")).isEqualTo(List.of(40L, 10L, 1L));
    assertThat(((Number) js("return document.getElementById('chart-communities')._fullLayout.yaxis.range[1]")).doubleValue())
        .as("the value axis grew with the tallest bar").isGreaterThanOrEqualTo(40);
    assertThat(plotCalls("react", "chart-communities")).as("no react for new heights and keys").isEqualTo(reacts);
    assertThat(plotCalls("animate", "chart-communities")).isGreaterThan(animates);

    // A key longer than any drawn by react may not fit the margin react measured: react again.
    page.send(page.delta(Map.of("communities",
        bar(List.of("a-key-much-longer-than-alpha", "beta", "c"), List.of(50, 3, 1), List.of(), List.of()))));
    page.until("the long key drawn", () -> labelsAre("communities", "a-key-much-longer-than-alpha", "beta", "c"));
    assertThat(plotCalls("react", "chart-communities")).isEqualTo(reacts + 1);
    // Fewer keys (an animate's range must not outlive the next react, which autoranges the axis).
    page.send(page.delta(Map.of("communities", bar(List.of("beta", "c"), List.of(4, 2), List.of(), List.of()))));
    page.until("two keys drawn", () -> labelsAre("communities", "beta", "c"));
    assertThat(js("return document.getElementById('chart-communities')._fullLayout.xaxis.range")).isEqualTo(List.of(-0.5, 1.5));
  }

  @Test
  void gap_sendsOneResume_andTheGappedDeltaIsIgnored() {
    page.snapshot(Map.of("communities", bar(List.of("before"), List.of(1), List.of(), List.of())));
    page.until("snapshot drawn", () -> List.of("before").equals(barX("communities")));
    long last = page.seq();
    js("fakeWs.sent.length = 0");

    page.send(FakeSocketPage.frame("delta", last + 2, Map.of("communities", bar(List.of("gap1"), List.of(1), List.of(), List.of()))));
    page.send(FakeSocketPage.frame("delta", last + 3, Map.of("communities", bar(List.of("gap2"), List.of(1), List.of(), List.of()))));

    assertThat(js("return fakeWs.sent")).isEqualTo(List.of(Map.of("type", "resume", "seq", last)));
    assertThat(js("return livegraph.seq")).isEqualTo(last);

    page.send(FakeSocketPage.frame("delta", last + 1, Map.of("communities", bar(List.of("filled"), List.of(1), List.of(), List.of()))));
    page.seq(last + 1);
    page.until("missing delta applied", () -> List.of("filled").equals(barX("communities")));
    assertThat(js("return livegraph.seq")).isEqualTo(last + 1);
  }

  @Test
  void status_showsRateViewersUpstreamAndServerErrors() {
    page.send("{\"type\":\"status\",\"source\":{\"state\":\"reconnecting\",\"detail\":\"upstream closed 1006\","
        + "\"events\":1234,\"eventsPerSecond\":3.4,\"skipped\":7,\"dropped\":0},\"viewers\":3}");
    page.send("{\"type\":\"error\",\"message\":\"<b>too many viewers</b>\"}");

    assertThat(page.text("status-rate")).contains("3.4 events/s").contains("1,234");
    assertThat(page.text("status-viewers")).isEqualTo("3 viewers");
    assertThat(page.text("status-upstream")).contains("reconnecting", "upstream closed 1006", "7 skipped");
    assertThat(page.text("status-message")).isEqualTo("error: <b>too many viewers</b>");
    assertThat(page.text("status-connection")).isEqualTo("live");
  }

  @Test
  void configError_showsABannerWithTheMessageAsText_clearedByNullAndByTheNextHello() {
    String message = "dash.yaml:12:5: unknown chart type " + XSS;
    assertThat(bannerShown()).isFalse();

    page.send(configError(message));

    assertThat(bannerShown()).isTrue();
    assertThat(page.text("config-error-message")).isEqualTo(message);
    assertThat(js("return livegraph.configError")).isEqualTo(message);
    assertThat(js("return document.querySelectorAll('#config-error img, #config-error b').length")).isEqualTo(0L);
    assertThat(page.chromium().driver().findElement(By.id("config-error")).isDisplayed()).isTrue();

    page.send("{\"type\":\"config-error\",\"message\":null}");
    assertThat(bannerShown()).isFalse();
    assertThat(js("return livegraph.configError")).isNull();

    page.send(configError("dash.yaml:3:1: bad"));
    assertThat(bannerShown()).isTrue();
    long layouts = (Long) js("return livegraph.layouts");
    page.send(hello());
    assertThat(bannerShown()).isFalse();
    assertThat(js("return livegraph.layouts")).as("same dashboard: panels kept").isEqualTo(layouts);
  }

  @Test
  void reload_aSecondHelloRebuildsTheLayout_andTheSnapshotAfterItFillsIt() {
    page.snapshot(Map.of("communities", bar(List.of("old"), List.of(1), List.of(), List.of())));
    page.until("old layout drawn", () -> List.of("old").equals(barX("communities")));
    long layouts = (Long) js("return livegraph.layouts");
    try {
      page.send(FakeSocketPage.json(Map.of("type", "hello",
          "dashboard", Map.of("name", "web", "title", "Web requests", "charts", List.of(
              Map.of("id", "requests", "title", "Requests", "kind", "number", "measure", "rate"),
              Map.of("id", "communities", "title", "Now a pie", "kind", "pie",
                  "windows", List.of(Map.of("id", "5m", "label", "5 min")), "defaultWindow", "5m",
                  "columns", List.of("Requests")))),
          "source", Map.of("description", "stdin", "mode", "custom", "url", ""))));

      assertThat(js("return livegraph.layouts")).isEqualTo(layouts + 1);
      assertThat(js("return [...document.querySelectorAll('.panel h2')].map(h => h.textContent)"))
          .isEqualTo(List.of("Requests", "Now a pie"));
      assertThat(page.text("title")).isEqualTo("Web requests");
      assertThat(js("return document.getElementById('chart-latest')")).isNull();

      page.snapshot(Map.of(
          "requests", Map.of("value", 42, "start", 0, "step", 1000, "spark", List.of(40, 41, 42)),
          "communities", Map.of("windows", Map.of("5m", Map.of("x", List.of("GET", "POST"),
              "columns", List.of(List.of(30, 12)))), "overflow", 0)));
      page.until("the number drawn", () -> "42".equals(js(
          "return document.querySelector('#chart-requests .number-value').textContent")));
      page.until("the pie drawn", () -> List.of("GET", "POST").equals(js(
          "const d = document.getElementById('chart-communities').data; return d && d[0].labels")));
      assertThat(js("return document.getElementById('chart-communities').data[0].type")).isEqualTo("pie");
    } finally {
      page.send(hello());
    }
    assertThat(js("return [...document.querySelectorAll('.panel h2')].map(h => h.textContent)"))
        .isEqualTo(List.of("Active questions by community", "Stack Overflow top tags", "Activity over time",
            "Latest questions"));
    page.snapshot(Map.of("communities", bar(List.of("back"), List.of(1), List.of(), List.of())));
    page.until("bars again", () -> List.of("back").equals(barX("communities")));
  }

  @Test
  void garbageFromTheServer_isIgnoredAndCounted_neverBreaksThePage() {
    long ignored = (Long) js("return livegraph.ignored");
    List<String> garbage = List.of("not json", "[]", "42", "null", "{\"type\":\"bogus\"}", "{\"no\":\"type\"}",
        "{\"type\":\"hello\"}", "{\"type\":\"hello\",\"dashboard\":{\"charts\":\"x\"}}",
        "{\"type\":\"snapshot\",\"seq\":\"7\",\"charts\":{}}", "{\"type\":\"snapshot\",\"seq\":7,\"charts\":[]}",
        "{\"type\":\"delta\",\"seq\":1.5,\"charts\":{}}", "{\"type\":\"config-error\",\"message\":{\"a\":1}}");
    for (String frame : garbage) {
      page.send(frame);
    }
    assertThat((Long) js("return livegraph.ignored") - ignored).isEqualTo(garbage.size());
    assertThat(js("return livegraph.ignoredBy['unknown type'] >= 2 && livegraph.ignoredBy['not JSON text'] >= 1"))
        .isEqualTo(true);
    assertThat(bannerShown()).isFalse();
    assertThat(page.text("title")).isEqualTo("StackExchange activity");

    // Well-formed messages whose chart states are nonsense: drawn as empty, nothing thrown.
    long drawErrors = (Long) js("return livegraph.drawErrors");
    page.snapshot(Map.of(
        "communities", Map.of("windows", Map.of("10m", Map.of("x", "abc", "columns", List.of("x", 3)))),
        "tags", List.of(1, 2, 3),
        "activity", Map.of("start", "soon", "step", -5, "series", List.of("x", Map.of("values", "y"))),
        "latest", Map.of("items", List.of(7, "x", Map.of("title", List.of(1))))));
    page.afterTwoAnimationFrames();
    page.snapshot(Map.of("communities", bar(List.of("fine"), List.of(1), List.of(), List.of())));
    page.until("a good snapshot still draws", () -> List.of("fine").equals(barX("communities")));
    assertThat(js("return livegraph.drawErrors")).isEqualTo(drawErrors);
  }

  @Test
  void socketUrl_isBesideThePage_soEachDashboardGetsItsOwnSocket() {
    Object urls = page.chromium().driver().executeAsyncScript(
        "const done = arguments[0];"
            + "import('./connection.js').then((m) => done([m.socketUrl({href: 'http://h:8/d/web/', protocol: 'http:'}, null),"
            + " m.socketUrl({href: 'https://h/d/my%20dash/?x=1#y', protocol: 'https:'}, 5),"
            + " m.socketUrl({href: 'http://h:8/', protocol: 'http:'}, null)]))");
    assertThat(urls).isEqualTo(List.of("ws://h:8/d/web/ws", "wss://h/d/my%20dash/ws?resume=5", "ws://h:8/ws"));
  }

  @Test
  void serverShuttingDown_isShownWithTheCountdown_andThePageReconnects() {
    long sockets = (Long) js("return fakeWs.sockets.length");

    js("fakeWs.current().serverClose(1001, 'server shutting down')");

    assertThat(js("return livegraph.connection")).isEqualTo("reconnecting");
    assertThat(page.text("status-connection"))
        .matches("server shutting down · reconnecting in \\d+ s");
    page.until("a new socket", () -> (Long) js("return fakeWs.sockets.length") == sockets + 1);
    js("fakeWs.current().serverOpen()");
    page.send(hello());
    page.until("live again", () -> "live".equals(js("return livegraph.connection")));
    assertThat(page.text("status-connection")).isEqualTo("live");
  }

  @Test
  void lostSocket_reconnectsWithBackoff_resumingFromLastSeq_keepingThePanels() {
    page.snapshot(Map.of("communities", bar(List.of("kept"), List.of(1), List.of(), List.of())));
    page.until("snapshot drawn", () -> List.of("kept").equals(barX("communities")));
    js("document.getElementById('chart-communities').dataset.marker = 'same-element'");
    long sockets = (Long) js("return fakeWs.sockets.length");

    js("fakeWs.current().serverClose()");

    assertThat(js("return livegraph.connection")).isEqualTo("reconnecting");
    assertThat(page.text("status-connection")).matches("reconnecting in \\d+ s");
    page.until("a new socket", () -> (Long) js("return fakeWs.sockets.length") == sockets + 1);
    assertThat((String) js("return fakeWs.current().url"))
        .endsWith("/ws?resume=" + page.seq()).startsWith("ws://127.0.0.1:");

    js("fakeWs.current().serverOpen()");
    page.send(hello());
    page.until("live again", () -> "live".equals(js("return livegraph.connection")));
    assertThat(js("return document.getElementById('chart-communities').dataset.marker")).isEqualTo("same-element");
    page.send(page.delta(Map.of("communities", bar(List.of("resumed"), List.of(2), List.of(), List.of()))));
    page.until("delta after resume", () -> List.of("resumed").equals(barX("communities")));
  }

  // --- helpers ---------------------------------------------------------------------------

  private static Object js(String script, Object... args) {
    return page.js(script, args);
  }

  private static Select windowSelect(String chart) {
    return new Select(page.chromium().driver().findElement(By.id("window-" + chart)));
  }

  private static boolean bannerShown() {
    return (Boolean) js("return !document.getElementById('config-error').hidden");
  }

  private static String configError(String message) {
    return FakeSocketPage.json(Map.of("type", "config-error", "message", message));
  }

  private static Object barX(String chart) {
    return js("const d = document.getElementById('chart-' + arguments[0]).data;"
        + " return d && d[0] ? d[0].x : null", chart);
  }

  /** The category labels of a chart's x axis as shown, left to right. */
  private static Object tickLabels(String chart) {
    return js("return [...document.querySelectorAll('#chart-' + arguments[0] + ' .xtick text')]"
        + ".map((t) => [t.getBoundingClientRect().left, t.textContent]).sort((a, b) => a[0] - b[0]).map((p) => p[1])", chart);
  }

  /** True when the x axis shows these labels; otherwise throws with what it shows (for until's message). */
  private static boolean labelsAre(String chart, String... labels) {
    Object shown = tickLabels(chart);
    if (!List.of(labels).equals(shown)) {
      throw new IllegalStateException("axis shows " + shown + ", data " + barX(chart));
    }
    return true;
  }

  private static long plotCalls(String call, String div) {
    return (Long) js("return fakeWs.plotCalls[arguments[0]][arguments[1]] || 0", call, div);
  }

  private static Object barY(String chart) {
    return js("return document.getElementById('chart-' + arguments[0]).data[0].y", chart);
  }

  /** A bar state in the first format (x and y per window), which the page still reads. */
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
    return FakeSocketPage.json(Map.of("type", "hello",
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
}
