package livegraph.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The page holding its drawing still while data keeps arriving, in headless Chromium with a fake
 * socket (see {@link FakeSocketPage}): paused by the user (button, keyboard), opened paused from
 * a link that also carries the chosen windows, and hidden in a background tab. The page is loaded
 * once (tests that open a link load it again, and load the plain page after); each test starts
 * live with a fresh snapshot.
 */
class PausedAndHiddenPageIT {

  /** Bucket start of the line chart's states: 2023-11-14T22:13:20Z. */
  private static final long T0 = 1_700_000_000_000L;

  @RegisterExtension static final FakeSocketPage page = FakeSocketPage.perClass(hello());

  @BeforeEach
  void live() {
    if (Boolean.TRUE.equals(js("return livegraph.paused"))) {
      pauseButton().click();
    }
    assertThat(js("return livegraph.paused")).isEqualTo(false);
  }

  @Test
  void pause_holdsTheDrawnCharts_whileStatesAndTheBehindCounterMoveOn_resumeDrawsTheLiveStatesKeepingTheZoom() {
    page.snapshot(Map.of("communities", bar(List.of("a", "b"), List.of(5, 3), List.of("h"), List.of(1)),
        "activity", line(List.of(1, 2, 3)), "requests", number(7)));
    page.until("snapshot drawn", () -> "[[\"a\",\"b\"],[5,3]]".equals(drawnBar("communities"))
        && "[1,2,3]".equals(drawnLine("activity")) && "7".equals(numberText("requests")));
    assertThat(pauseButton().getText()).isEqualTo("Pause");
    assertThat(js("return document.getElementById('pause-status').hidden")).isEqualTo(true);

    pauseButton().click();

    assertThat(js("return livegraph.paused")).isEqualTo(true);
    assertThat(pauseButton().getText()).isEqualTo("Resume");
    assertThat(pauseButton().getAttribute("aria-pressed")).isEqualTo("true");
    assertThat(page.text("pause-status")).isEqualTo("Paused · 0 updates behind · 0 s");
    page.afterTwoAnimationFrames();
    String bars = drawnBar("communities");
    String lineDrawn = drawnLine("activity");
    long redraws = (Long) js("return livegraph.redraws");
    Object plotCalls = js("return JSON.stringify(fakeWs.plotCalls)");

    for (int i = 1; i <= 5; i++) {
      page.send(page.delta(Map.of("communities", bar(List.of("a", "b", "c"), List.of(5 + i, 3, i), List.of("h"), List.of(1)),
          "activity", line(List.of(1, 2, 3 + i)), "requests", number(7 + i))));
    }

    assertThat(liveBar("communities")).as("states are applied while paused").isEqualTo("[[\"a\",\"b\",\"c\"],[10,3,5]]");
    assertThat(js("return livegraph.charts.requests.value")).isEqualTo(12L);
    page.until("5 updates behind", () -> page.text("pause-status").startsWith("Paused · 5 updates behind · "));
    assertThat(js("return livegraph.behind.updates")).isEqualTo(5L);
    page.afterTwoAnimationFrames();
    assertThat(drawnBar("communities")).as("the drawn bars hold still").isEqualTo(bars);
    assertThat(drawnLine("activity")).as("the drawn line holds still").isEqualTo(lineDrawn);
    assertThat(numberText("requests")).isEqualTo("7");
    assertThat(js("return livegraph.redraws")).as("nothing drawn while paused").isEqualTo(redraws);
    assertThat(js("return JSON.stringify(fakeWs.plotCalls)")).isEqualTo(plotCalls);

    page.send(page.delta(Map.of("communities", bar(List.of("a", "b", "c"), List.of(11, 4, 5), List.of("h"), List.of(1)))));
    String grown = page.until("the counter and the seconds grow", () -> {
      String text = page.text("pause-status");
      return text.matches("Paused · 6 updates behind · [1-9]\\d* s") ? text : null;
    });
    assertThat((Long) js("return livegraph.behind.millis")).as(grown).isGreaterThanOrEqualTo(1000L);

    // The user zooms while paused; resuming must keep it.
    List<String> lineRange = List.of("2023-11-14 22:13:25", "2023-11-14 22:13:35"); // T0 + 5 s, T0 + 15 s
    js("return Plotly.relayout('chart-activity', {'xaxis.range': arguments[0]})", lineRange);
    js("return Plotly.relayout('chart-communities', {'yaxis.range': [0, 4]})");
    Map<String, Long> drawsBefore = redrawsBy();
    try {
      pauseButton().click();

      page.until("the live states drawn", () -> "[[\"a\",\"b\",\"c\"],[11,4,5]]".equals(drawnBar("communities"))
          && "[1,2,8]".equals(drawnLine("activity")) && "12".equals(numberText("requests")));
      assertThat(drawnBar("communities")).isEqualTo(liveBar("communities"));
      page.afterTwoAnimationFrames();
      assertThat(drawsSince(drawsBefore)).as("one draw per chart on resume")
          .isEqualTo(Map.of("communities", 1L, "tags", 1L, "activity", 1L, "requests", 1L));
      assertThat(js("return document.getElementById('chart-activity').layout.xaxis.range")).isEqualTo(lineRange);
      assertThat(js("return document.getElementById('chart-communities').layout.yaxis.range")).isEqualTo(List.of(0L, 4L));
      assertThat(js("return livegraph.paused")).isEqualTo(false);
      assertThat(pauseButton().getText()).isEqualTo("Pause");
      assertThat(js("return document.getElementById('pause-status').hidden")).isEqualTo(true);
      assertThat(js("return livegraph.behind")).isEqualTo(Map.of("updates", 0L, "millis", 0L));

      page.send(page.delta(Map.of("communities", bar(List.of("a"), List.of(12), List.of("h"), List.of(1)))));
      page.until("live again: deltas are drawn", () -> "[[\"a\"],[12]]".equals(drawnBar("communities")));
    } finally {
      js("return Plotly.relayout('chart-activity', {'xaxis.autorange': true})");
      js("return Plotly.relayout('chart-communities', {'yaxis.autorange': true})");
    }
  }

  @Test
  void windowPickedWhilePaused_isDrawnFromTheFrozenStates_andTheAddressFollows() {
    page.snapshot(Map.of("communities", bar(List.of("a"), List.of(1), List.of("old"), List.of(9))));
    page.until("snapshot drawn", () -> "[[\"a\"],[1]]".equals(drawnBar("communities")));
    assertThat(href()).doesNotContain("w.communities").doesNotContain("paused");
    pauseButton().click();
    assertThat(href()).contains("paused=1");
    page.send(page.delta(Map.of("communities", bar(List.of("a"), List.of(2), List.of("new"), List.of(10)))));

    try {
      windowSelect("communities").selectByValue("1h");

      page.until("the frozen 1h bars", () -> "[[\"old\"],[9]]".equals(drawnBar("communities")));
      assertThat(href()).contains("w.communities=1h").contains("paused=1");
      pauseButton().click();
      page.until("the live 1h bars", () -> "[[\"new\"],[10]]".equals(drawnBar("communities")));
      assertThat(href()).contains("w.communities=1h").doesNotContain("paused");
    } finally {
      windowSelect("communities").selectByValue("10m");
    }
    page.until("10m again", () -> "[[\"a\"],[2]]".equals(drawnBar("communities")));
    assertThat(href()).as("the default window is not written").doesNotContain("w.communities");
  }

  @Test
  void spaceAndP_toggle_butNotWhileTypingInAFormControl_andSpaceOnTheButtonTogglesOnce() {
    js("document.activeElement.blur()");
    keys(Keys.SPACE);
    assertThat(js("return livegraph.paused")).isEqualTo(true);
    keys("p");
    assertThat(js("return livegraph.paused")).isEqualTo(false);
    keys("P");
    assertThat(js("return livegraph.paused")).isEqualTo(true);
    keys(Keys.SPACE);
    assertThat(js("return livegraph.paused")).isEqualTo(false);

    js("document.getElementById('window-communities').focus()");
    keys("p");
    assertThat(js("return livegraph.paused")).as("p in a selector").isEqualTo(false);
    assertThat(js("return livegraph.windows.communities")).isEqualTo("10m");

    js("document.getElementById('pause').focus()");
    keys(Keys.SPACE);
    page.until("paused by the focused button", () -> js("return livegraph.paused"));
    keys(Keys.SPACE);
    page.until("resumed by the focused button", () -> Boolean.FALSE.equals(js("return livegraph.paused")));
    js("document.activeElement.blur()");
  }

  @Test
  void link_withAWindowAndPaused_opensTheSameView_drawingTheFirstSnapshotThenHolding() {
    windowSelect("communities").selectByValue("1h");
    pauseButton().click();
    String link = href();
    assertThat(link).contains("w.communities=1h").contains("paused=1").doesNotContain("w.tags");

    try {
      page.load(link);

      assertThat(js("return livegraph.windows.communities")).isEqualTo("1h");
      assertThat(windowSelect("communities").getFirstSelectedOption().getAttribute("value")).isEqualTo("1h");
      assertThat(js("return livegraph.windows.tags")).isEqualTo("10m");
      page.snapshot(Map.of("communities", bar(List.of("a"), List.of(1), List.of("first"), List.of(3))));
      page.until("the first snapshot drawn in the linked window", () -> "[[\"first\"],[3]]".equals(drawnBar("communities")));
      assertThat(js("return livegraph.paused")).isEqualTo(true);
      assertThat(pauseButton().getText()).isEqualTo("Resume");

      page.send(page.delta(Map.of("communities", bar(List.of("a"), List.of(1), List.of("second"), List.of(4)))));
      page.until("1 update behind", () -> page.text("pause-status").startsWith("Paused · 1 update behind · "));
      page.afterTwoAnimationFrames();
      assertThat(drawnBar("communities")).isEqualTo("[[\"first\"],[3]]");
      assertThat(href()).contains("w.communities=1h").contains("paused=1");
      assertThat(js("return livegraph.ignored")).isEqualTo(0L);

      pauseButton().click();
      page.until("the live state drawn", () -> "[[\"second\"],[4]]".equals(drawnBar("communities")));
      assertThat(href()).contains("w.communities=1h").doesNotContain("paused");
    } finally {
      page.load(page.url("/"));
    }
    assertThat(js("return livegraph.windows.communities")).isEqualTo("10m");
  }

  @Test
  void link_withGarbage_isIgnoredAndCounted_dropsItFromTheAddress_andThePageWorks() {
    String tooLong = "x".repeat(101);
    try {
      page.load(page.url("/?w.communities=nope&w.ghost=1h&w.activity=1h&w.tags=" + tooLong
          + "&w." + tooLong + "=1h&w.=1h&paused=yes&w.tags=all&other=kept"));

      assertThat(js("return livegraph.ignoredBy['url parameter']"))
          .as("nope, ghost, activity (no windows), tags' long value, the long id, the empty id, paused=yes")
          .isEqualTo(7L);
      assertThat(js("return livegraph.ignored")).isEqualTo(7L);
      assertThat(js("return livegraph.windows.communities")).isEqualTo("10m");
      assertThat(js("return livegraph.windows.tags")).as("the valid one of the two").isEqualTo("all");
      assertThat(js("return 'activity' in livegraph.windows || 'ghost' in livegraph.windows")).isEqualTo(false);
      assertThat(js("return location.search")).isEqualTo("?w.tags=all&other=kept");

      page.snapshot(Map.of("communities", bar(List.of("fine"), List.of(1), List.of(), List.of())));
      page.until("the page draws", () -> "[[\"fine\"],[1]]".equals(drawnBar("communities")));
      assertThat(js("return livegraph.paused")).isEqualTo(false);
    } finally {
      page.load(page.url("/"));
    }
  }

  @Test
  void reconnectWhilePaused_staysPaused_andItsSnapshotCountsAsBehind() {
    page.snapshot(Map.of("communities", bar(List.of("held"), List.of(1), List.of(), List.of())));
    page.until("snapshot drawn", () -> "[[\"held\"],[1]]".equals(drawnBar("communities")));
    pauseButton().click();
    long sockets = (Long) js("return fakeWs.sockets.length");

    js("fakeWs.current().serverClose()");
    page.until("a new socket", () -> (Long) js("return fakeWs.sockets.length") == sockets + 1);
    js("fakeWs.current().serverOpen()");
    page.send(page.hello());
    page.until("live again", () -> "live".equals(js("return livegraph.connection")));
    page.snapshot(Map.of("communities", bar(List.of("after"), List.of(2), List.of(), List.of())));

    assertThat(js("return livegraph.paused")).isEqualTo(true);
    assertThat(js("return livegraph.behind.updates")).isEqualTo(1L);
    page.afterTwoAnimationFrames();
    assertThat(drawnBar("communities")).isEqualTo("[[\"held\"],[1]]");
    pauseButton().click();
    page.until("the snapshot drawn on resume", () -> "[[\"after\"],[2]]".equals(drawnBar("communities")));
  }

  @Test
  void reloadOfAnotherDashboardWhilePaused_resumes_andDrawsTheNewOne() {
    page.snapshot(Map.of("communities", bar(List.of("old"), List.of(1), List.of(), List.of())));
    page.until("snapshot drawn", () -> "[[\"old\"],[1]]".equals(drawnBar("communities")));
    pauseButton().click();
    try {
      page.send(FakeSocketPage.json(Map.of("type", "hello",
          "dashboard", Map.of("name", "web", "title", "Web", "charts", List.of(
              Map.of("id", "requests", "title", "Requests", "kind", "number", "measure", "rate"))),
          "source", Map.of("description", "stdin", "mode", "custom", "url", ""))));

      assertThat(js("return livegraph.paused")).isEqualTo(false);
      assertThat(href()).doesNotContain("paused");
      page.snapshot(Map.of("requests", number(42)));
      page.until("the new dashboard drawn", () -> "42".equals(numberText("requests")));
    } finally {
      page.send(page.hello());
    }
  }

  @Test
  void hiddenTab_drawsNothingWhileStatesMoveOn_thenEachChangedChartOnceWhenShown() {
    page.snapshot(Map.of("communities", bar(List.of("shown"), List.of(1), List.of(), List.of()),
        "activity", line(List.of(0)), "requests", number(0)));
    page.until("snapshot drawn", () -> "[[\"shown\"],[1]]".equals(drawnBar("communities"))
        && "[0]".equals(drawnLine("activity")) && "0".equals(numberText("requests")));
    page.afterTwoAnimationFrames();
    long redraws = (Long) js("return livegraph.redraws");
    Map<String, Long> drawsBefore = redrawsBy();
    Object plotCalls = js("return JSON.stringify(fakeWs.plotCalls)");
    Map<String, Long> reactsBefore = reacts();

    int deltas = 1500; // 500 for each of three charts, 100 frames to a page task
    try (Chromium.OtherTab other = page.chromium().hideBehindAnotherTab()) {
      page.until("the tab hidden", () -> "hidden".equals(js("return document.visibilityState")));
      for (int from = 1; from <= deltas; from += 100) {
        StringBuilder batch = new StringBuilder();
        for (int i = from; i < from + 100; i++) {
          batch.append("fakeWs.current().serverSend(").append(FakeSocketPage.json(page.delta(hiddenDelta(i)))).append(");");
        }
        js(batch.toString());
      }
      // A page timer runs (at most about a second late in a background tab): time in which
      // anything drawing on a timer instead of on animation frames would have drawn.
      page.chromium().driver().executeAsyncScript("setTimeout(arguments[0], 100)");

      assertThat(js("return document.visibilityState")).isEqualTo("hidden");
      assertThat(js("return livegraph.redraws")).as("draws while hidden").isEqualTo(redraws);
      assertThat(js("return JSON.stringify(fakeWs.plotCalls)")).as("Plotly calls while hidden").isEqualTo(plotCalls);
      assertThat(js("return livegraph.seq")).isEqualTo(page.seq());
      assertThat(liveBar("communities")).isEqualTo("[[\"n1498\"],[1498]]");
      assertThat(js("return livegraph.charts.requests.value")).isEqualTo(1500L);
    }

    page.until("shown", () -> "visible".equals(js("return document.visibilityState")));
    page.until("the latest states drawn", () -> "[[\"n1498\"],[1498]]".equals(drawnBar("communities"))
        && "[1499]".equals(drawnLine("activity")) && "1,500".equals(numberText("requests")));
    page.afterTwoAnimationFrames();
    assertThat(drawsSince(drawsBefore)).as("draws when shown, by chart")
        .isEqualTo(Map.of("communities", 1L, "tags", 0L, "activity", 1L, "requests", 1L));
    assertThat((Long) js("return livegraph.redraws") - redraws).isEqualTo(3L);
    assertThat(reactsSince(reactsBefore)).as("Plotly.react and animate calls when shown, by div")
        .isEqualTo(Map.of("chart-communities", 1L, "chart-tags", 0L, "chart-activity", 1L, "spark-requests", 1L));
  }

  @Test
  void pauseControl_countsUpdatesAndTime_drawsFromTheFrozenCopy_andResumeRedrawsOnce() {
    @SuppressWarnings("unchecked")
    Map<String, Object> result = (Map<String, Object>) page.chromium().driver().executeAsyncScript(
        "const done = arguments[0];"
            + "import('./pause.js').then(({ PauseControl, behindText, sinceText }) => {"
            + "  let now = 1000; let redraws = 0; const changes = [];"
            + "  const live = { a: 'a1', b: 'b1' };"
            + "  const c = new PauseControl({ live: () => live, redrawAll: () => redraws++,"
            + "    onChange: (p) => changes.push(p), now: () => now });"
            + "  const out = { liveFirst: c.stateOf('a'), live0: c.behind() };"
            + "  c.updated();"
            + "  c.pause();"
            + "  live.a = 'a2'; c.updated(); c.updated(); now += 12500;"
            + "  out.frozen = c.stateOf('a'); out.behind = c.behind(); out.text = behindText(c.behind());"
            + "  c.pause(); out.pausedTwice = c.behind();"
            + "  c.resume(); c.resume();"
            + "  out.resumed = c.stateOf('a'); out.after = c.behind(); out.redraws = redraws; out.changes = changes;"
            + "  out.one = behindText({ updates: 1, millis: 999 });"
            + "  out.since = [sinceText(-5), sinceText(59999), sinceText(60000), sinceText(3725000), sinceText(7500000)];"
            + "  done(out);"
            + "})");
    assertThat(result).containsEntry("liveFirst", "a1")
        .containsEntry("live0", Map.of("updates", 0L, "millis", 0L))
        .containsEntry("frozen", "a1")
        .containsEntry("behind", Map.of("updates", 2L, "millis", 12500L))
        .containsEntry("text", "Paused · 2 updates behind · 12 s")
        .containsEntry("pausedTwice", Map.of("updates", 2L, "millis", 12500L))
        .containsEntry("resumed", "a2")
        .containsEntry("after", Map.of("updates", 0L, "millis", 0L))
        .containsEntry("redraws", 1L)
        .containsEntry("changes", List.of(true, false))
        .containsEntry("one", "Paused · 1 update behind · 0 s")
        .containsEntry("since", List.of("0 s", "59 s", "1 min 0 s", "1 h 2 min", "2 h 5 min"));
  }

  // --- helpers ---------------------------------------------------------------------------

  private static Object js(String script, Object... args) {
    return page.js(script, args);
  }

  private static org.openqa.selenium.WebElement pauseButton() {
    return page.chromium().driver().findElement(By.id("pause"));
  }

  private static Select windowSelect(String chart) {
    return new Select(page.chromium().driver().findElement(By.id("window-" + chart)));
  }

  /** Key presses sent to whatever has the focus, as a user types them. */
  private static void keys(CharSequence keys) {
    new Actions(page.chromium().driver()).sendKeys(keys).perform();
  }

  private static String href() {
    return (String) js("return location.href");
  }

  /** Delta i of the hidden-tab test: one of three charts, in turn. */
  private static Map<String, Object> hiddenDelta(int i) {
    return switch (i % 3) {
      case 0 -> Map.of("requests", number(i));
      case 1 -> Map.of("communities", bar(List.of("n" + i), List.of(i), List.of(), List.of()));
      default -> Map.of("activity", line(List.of(i)));
    };
  }

  private static Map<String, Long> redrawsBy() {
    return longs(js("return Object.assign({}, livegraph.redrawsBy)"));
  }

  private static Map<String, Long> drawsSince(Map<String, Long> before) {
    return since(before, redrawsBy(), List.of("communities", "tags", "activity", "requests"));
  }

  private static Map<String, Long> reacts() {
    // A redraw of an existing plot is Plotly.react or the fast update (Plotly.animate, plot.js).
    return longs(js("const c = fakeWs.plotCalls, n = Object.assign({}, c.react);"
        + " for (const [k, v] of Object.entries(c.animate)) n[k] = (n[k] || 0) + v; return n"));
  }

  private static Map<String, Long> reactsSince(Map<String, Long> before) {
    return since(before, reacts(), List.of("chart-communities", "chart-tags", "chart-activity", "spark-requests"));
  }

  private static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after, List<String> keys) {
    Map<String, Long> diff = new LinkedHashMap<>();
    for (String key : keys) {
      diff.put(key, after.getOrDefault(key, 0L) - before.getOrDefault(key, 0L));
    }
    return diff;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Long> longs(Object map) {
    return new LinkedHashMap<>((Map<String, Long>) map);
  }

  /** [x, y] of a bar chart as drawn, as JSON. */
  private static String drawnBar(String chart) {
    return (String) js("const d = document.getElementById('chart-' + arguments[0]).data;"
        + " return d && d[0] ? JSON.stringify([d[0].x, d[0].y]) : null", chart);
  }

  /** [keys, first column] of a bar chart's latest state in its selected window, as JSON. */
  private static String liveBar(String chart) {
    return (String) js("const w = livegraph.charts[arguments[0]].windows[livegraph.windows[arguments[0]]];"
        + " return JSON.stringify([w.x, w.columns[0]])", chart);
  }

  /** The drawn "total" line's values, as JSON; null until it has its first bucket at T0. */
  private static String drawnLine(String chart) {
    return (String) js("const d = document.getElementById('chart-' + arguments[0]).data;"
        + " const t = d && d.find((s) => s.name === 'total');"
        + " return t && t.x.length && Number(t.x[0]) === arguments[1] ? JSON.stringify(t.y) : null", chart, T0);
  }

  private static String numberText(String chart) {
    return (String) js("return document.querySelector('#chart-' + arguments[0] + ' .number-value').textContent", chart);
  }

  private static Map<String, Object> bar(List<String> x10m, List<Integer> y10m, List<String> x1h, List<Integer> y1h) {
    return Map.of("windows", Map.of(
        "10m", window(x10m, y10m),
        "1h", window(x1h, y1h),
        "all", window(x1h, y1h)), "overflow", 0);
  }

  private static Map<String, Object> window(List<String> keys, List<Integer> counts) {
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("x", keys);
    w.put("columns", List.of(counts));
    w.put("other", null);
    return w;
  }

  private static Map<String, Object> line(List<Integer> totals) {
    return Map.of("start", T0, "step", 10_000, "series", List.of(Map.of("name", "total", "values", totals)));
  }

  private static Map<String, Object> number(int value) {
    List<Integer> spark = new ArrayList<>(List.of(value - 1, value));
    return Map.of("value", value, "start", T0, "step", 1000, "spark", spark);
  }

  private static String hello() {
    List<Map<String, String>> windows = List.of(Map.of("id", "10m", "label", "10 min"),
        Map.of("id", "1h", "label", "1 hour"), Map.of("id", "all", "label", "since start"));
    return FakeSocketPage.json(Map.of("type", "hello",
        "dashboard", Map.of("name", "web", "title", "Web requests", "charts", List.of(
            Map.of("id", "communities", "title", "By community", "kind", "bar",
                "windows", windows, "defaultWindow", "10m"),
            Map.of("id", "tags", "title", "By tag", "kind", "bar", "windows", windows, "defaultWindow", "10m"),
            Map.of("id", "activity", "title", "Activity", "kind", "line", "measure", "count"),
            Map.of("id", "requests", "title", "Requests", "kind", "number", "measure", "rate"))),
        "source", Map.of("description", "test feed", "mode", "custom", "url", "")));
  }
}
