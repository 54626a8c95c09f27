package livegraph.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The page's side of filtered views with a fake socket (see {@link FakeSocketPage}): what a click
 * on a bar, a slice or a table row asks the server, what a hello's view shows, and the socket
 * address a reconnect uses. The server's side is FilterPageIT's and FilteredViewsIT's.
 */
class FilterControlPageIT {

  @RegisterExtension static final FakeSocketPage page = FakeSocketPage.perClass(hello(null));

  @BeforeEach
  void wholeDashboard_withKeysDrawn() {
    page.send(hello(null));
    page.snapshot(Map.of(
        "sites", keyed(List.of("math", "ux"), List.of(3, 2), 5),
        "hosts", keyed(List.of("h1", "h2"), List.of(2, 1), 4),
        "levels", keyed(List.of("error", "warn"), List.of(2, 1), null)));
    page.until("the keys drawn", () -> js(
        "return document.querySelectorAll('#chart-sites .point path').length === 3"
            + " && document.querySelectorAll('#chart-levels .slice path').length === 2"
            + " && document.querySelectorAll('#chart-hosts tbody tr').length === 3"));
    js("fakeWs.sent.length = 0");
  }

  private static Object js(String script, Object... args) {
    return page.js(script, args);
  }

  private static Object sent() {
    return js("return fakeWs.sent.filter((m) => m.type === 'view')");
  }

  /**
   * A real mouse click well inside {@code element}, not on its edge and not where something
   * covers it (a pie slice's box centre may be in the hole, or on another slice).
   */
  private static void click(WebElement element) {
    @SuppressWarnings("unchecked")
    List<Long> offset = (List<Long>) js(
        "const el = arguments[0]; const r = el.getBoundingClientRect();"
            + "const cx = r.left + r.width / 2, cy = r.top + r.height / 2;"
            + "const on = (x, y) => { const hit = document.elementFromPoint(x, y);"
            + "  return hit !== null && (hit === el || el.contains(hit)); };"
            + "for (let i = 0; i <= 20; i++) for (let j = 0; j <= 20; j++) {"
            + "  const x = r.left + r.width * (i + 0.5) / 21, y = r.top + r.height * (j + 0.5) / 21;"
            + "  if (on(x, y) && on(x - 6, y) && on(x + 6, y) && on(x, y - 6) && on(x, y + 6))"
            + "    return [Math.round(x - cx), Math.round(y - cy)];"
            + "}"
            + "return [0, 0];", element);
    new Actions(page.chromium().driver())
        .moveToElement(element, offset.get(0).intValue(), offset.get(1).intValue()).click().perform();
  }

  private static List<WebElement> all(String css) {
    return page.chromium().driver().findElements(By.cssSelector(css));
  }

  @Test
  void aViewAskedForWhileTheSocketIsDown_isAskedAfterTheNextHello_newestOnly() {
    long sockets = (Long) js("return fakeWs.sockets.length");
    js("fakeWs.current().serverClose()");

    click(all("#chart-sites .point path").get(1)); // ux
    click(all("#chart-levels .slice path").get(0)); // error: the newest
    assertThat((List<?>) sent()).as("nothing sent on a closed socket").isEmpty();
    page.until("a new socket", () -> (Long) js("return fakeWs.sockets.length") == sockets + 1);
    js("fakeWs.current().serverOpen()");
    assertThat((List<?>) sent()).as("not before the hello").isEmpty();
    page.send(hello(null));

    page.until("the view asked after the hello, not " + sent(), () -> ((List<?>) sent()).size() == 1);
    assertThat(sent()).isEqualTo(List.of(
        Map.of("type", "view", "filter", Map.of("field", "level", "value", "error"))));
  }

  @Test
  void clickingABarASliceOrARow_asksForTheViewOfItsKey_inItsChartsField() {
    click(all("#chart-sites .point path").get(1));
    click(all("#chart-levels .slice path").get(0));
    click(all("#chart-hosts tbody tr").get(1).findElement(By.cssSelector("th")));

    page.until("three view requests, not " + sent(), () -> ((List<?>) sent()).size() == 3);
    assertThat(sent()).isEqualTo(List.of(
        Map.of("type", "view", "filter", Map.of("field", "site", "value", "ux")),
        Map.of("type", "view", "filter", Map.of("field", "level", "value", "error")),
        Map.of("type", "view", "filter", Map.of("field", "host", "value", "h2"))));
  }

  @Test
  void theOtherBarAndRow_areNotKeys_andAskForNothing() {
    click(all("#chart-sites .point path").get(2));
    click(all("#chart-hosts tbody tr.other-row th").get(0));
    click(all("#chart-sites .point path").get(0)); // a key after them: the clicks did land

    page.until("one view request", () -> ((List<?>) sent()).size() == 1);
    assertThat(sent()).isEqualTo(List.of(
        Map.of("type", "view", "filter", Map.of("field", "site", "value", "math"))));
  }

  @Test
  void aHellosView_showsTheChipAsText_writesTheAddress_andAReconnectAsksForItAgain() {
    String key = "<b>c# & co</b>";
    page.send(hello(Map.of("field", "site", "value", key, "historyFrom", 0, "complete", false)));
    page.until("the view shown", () -> js("return livegraph.view && livegraph.view.value === arguments[0]", key));

    assertThat(js("return livegraph.view")).isEqualTo(Map.of("field", "site", "value", key));
    assertThat(page.text("filter-text")).startsWith("Filtered: site = " + key + " (history since ");
    assertThat(js("return document.querySelectorAll('#filter-chip b').length")).isEqualTo(0L);
    assertThat(js("return new URLSearchParams(location.search).get('value')")).isEqualTo(key);
    page.snapshot(Map.of("sites", keyed(List.of("math"), List.of(3), null)));

    js("fakeWs.current().serverClose()");
    page.until("a new socket", () -> js("return fakeWs.current().readyState === 0"));
    String url = (String) js("return fakeWs.current().url");
    assertThat(url).contains("filter=site").contains("value=%3Cb%3Ec%23+%26+co%3C%2Fb%3E")
        .endsWith("&resume=" + page.seq());
    js("fakeWs.current().serverOpen()");
    page.send(hello(null)); // the server refused it this time
    page.until("no view", () -> js("return livegraph.view === null"));
    assertThat(js("return document.getElementById('filter-chip').hidden")).isEqualTo(true);
    assertThat(js("return location.search")).asString().doesNotContain("filter=");
  }

  @Test
  void clearAndEscape_askForTheWholeDashboard_onlyWhileFiltered() {
    new Actions(page.chromium().driver()).sendKeys(Keys.ESCAPE).perform();
    page.send(hello(Map.of("field", "site", "value", "math", "historyFrom", 0, "complete", true)));
    page.until("the view shown", () -> js("return livegraph.view !== null"));
    assertThat(page.text("filter-text")).isEqualTo("Filtered: site = math");

    page.chromium().driver().findElement(By.id("filter-clear")).click();
    new Actions(page.chromium().driver()).sendKeys(Keys.ESCAPE).perform();

    page.until("two requests", () -> ((List<?>) sent()).size() == 2);
    Map<String, Object> whole = new java.util.HashMap<>();
    whole.put("type", "view");
    whole.put("filter", null);
    assertThat(sent()).isEqualTo(List.of(whole, whole));
  }

  @Test
  void aMalformedView_isIgnoredAndCounted_andShowsNone() {
    long before = (Long) js("return livegraph.ignoredBy['malformed view'] || 0");
    page.send(hello(Map.of("field", 7, "value", "x")));
    page.until("counted", () -> (Long) js("return livegraph.ignoredBy['malformed view'] || 0") == before + 1);
    assertThat(js("return livegraph.view")).isNull();
    assertThat(js("return document.getElementById('filter-chip').hidden")).isEqualTo(true);
  }

  private static Map<String, Object> keyed(List<String> keys, List<Integer> values, Integer other) {
    Map<String, Object> window = new java.util.HashMap<>();
    window.put("x", keys);
    window.put("columns", List.of(values));
    window.put("other", other == null ? null : List.of(other));
    return Map.of("windows", Map.of("all", window), "overflow", 0);
  }

  private static String hello(Map<String, Object> view) {
    List<Map<String, String>> windows = List.of(Map.of("id", "all", "label", "since start"));
    Map<String, Object> hello = new java.util.LinkedHashMap<>();
    hello.put("type", "hello");
    hello.put("dashboard", Map.of("name", "logs", "title", "Logs", "charts", List.of(
        Map.of("id", "sites", "title", "Sites", "kind", "bar", "by", "site",
            "windows", windows, "defaultWindow", "all", "columns", List.of("count")),
        Map.of("id", "levels", "title", "Levels", "kind", "pie", "by", "level",
            "windows", windows, "defaultWindow", "all", "columns", List.of("count")),
        Map.of("id", "hosts", "title", "Hosts", "kind", "table", "by", "host",
            "windows", windows, "defaultWindow", "all", "columns", List.of("count")))));
    hello.put("source", Map.of("description", "test", "mode", "custom", "url", ""));
    if (view != null) {
      hello.put("view", view);
    }
    return FakeSocketPage.json(hello);
  }
}
