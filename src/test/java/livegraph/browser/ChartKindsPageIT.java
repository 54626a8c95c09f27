package livegraph.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * Every chart kind of the browser contract, fed known states through a fake socket (see
 * {@link FakeSocketPage}), checked against what Plotly or the DOM then holds: values in order,
 * nulls as gaps (never zeros), "other" last, feed text as text. One page load for the class.
 */
class ChartKindsPageIT {

  private static final long START = 1_700_000_000_000L;
  private static final String XSS_KEY = "<img src=x onerror=\"window.__xss=1\">";

  @RegisterExtension static final FakeSocketPage page = FakeSocketPage.perClass(hello());

  /** After the page's own checks (no console errors, no {@code window.__xss}), see {@link FakeSocketPage}. */
  @AfterEach
  void noDrawErrors() {
    assertThat(js("return livegraph.drawErrors")).isEqualTo(0L);
  }

  @Test
  void bar_showsTheFirstColumn_withOtherAsTheLastBar_andNullAsNoBar() {
    page.snapshot(Map.of("bars", keyed(
        "10m", List.of("GET", "POST", "PUT"), List.of(List.of(50, 20, 7), List.of(1.5, 2.5, 3.5)), List.of(9, 0.5),
        "1h", List.of("GET", "DELETE"), List.of(Arrays.asList(500, null)), null)));

    page.until("bars drawn", () -> List.of("GET", "POST", "PUT", "other").equals(data("bars", "x")));
    assertThat(data("bars", "y")).isEqualTo(List.of(50L, 20L, 7L, 9L));
    @SuppressWarnings("unchecked")
    List<String> colors = (List<String>) js("return document.getElementById('chart-bars').data[0].marker.color");
    assertThat(colors.get(3)).isNotEqualTo(colors.get(0));

    new Select(page.chromium().driver().findElement(By.id("window-bars"))).selectByValue("1h");
    try {
      page.until("1h bars, no other row", () -> List.of("GET", "DELETE").equals(data("bars", "x")));
      assertThat(data("bars", "y")).as("null stays a gap").isEqualTo(Arrays.asList(500L, null));
    } finally {
      new Select(page.chromium().driver().findElement(By.id("window-bars"))).selectByValue("10m");
    }
  }

  @Test
  void pie_hasASlicePerKeyInServerOrder_otherLast_andNoSliceForNull() {
    page.snapshot(Map.of("shares", keyed(
        "10m", List.of("stackoverflow", "math", "diy", "gone"), List.of(Arrays.asList(60, 25, 10, null)), List.of(5),
        "1h", List.of(), List.of(), null)));

    page.until("pie drawn", () -> List.of("stackoverflow", "math", "diy", "other").equals(data("shares", "labels")));
    assertThat(data("shares", "values")).isEqualTo(List.of(60L, 25L, 10L, 5L));
    assertThat(js("return document.getElementById('chart-shares').data[0].sort")).isEqualTo(false);
  }

  @Test
  void table_showsColumnLabels_keysAndFormattedValuesAsText_otherRowLast() {
    page.snapshot(Map.of("levels", keyed(
        "10m", List.of("error", XSS_KEY, "warn"),
        List.of(List.of(12, 3, 7), Arrays.asList(0.123456, null, 1234.5)), Arrays.asList(100, 45.678),
        "1h", List.of(), List.of(), null)));

    page.until("table rows", () -> js("return document.querySelectorAll('#chart-levels tbody tr').length === 4"));
    assertThat(js("return [...document.querySelectorAll('#chart-levels thead th')].map(c => c.textContent)"))
        .isEqualTo(List.of("level", "Requests", "p99 latency"));
    assertThat(js("return [...document.querySelectorAll('#chart-levels tbody tr')]"
        + ".map(r => [...r.children].map(c => c.textContent))"))
        .isEqualTo(List.of(
            List.of("error", "12", "0.123"),
            List.of(XSS_KEY, "3", "–"),
            List.of("warn", "7", "1,235"),
            List.of("other", "100", "45.7")));
    assertThat(js("return document.querySelector('#chart-levels tbody tr:last-child').className")).isEqualTo("other-row");
    assertThat(js("return document.querySelectorAll('#chart-levels img').length")).isEqualTo(0L);
  }

  @Test
  void line_drawsOneLinePerSeries_totalFirstAndThicker_nullAsAGap() {
    page.snapshot(Map.of("activity", Map.of("start", START, "step", 5000, "series", List.of(
        Map.of("name", "stackoverflow", "values", Arrays.asList(1, null, 3)),
        Map.of("name", "total", "values", List.of(2, 4, 6))))));
    page.until("two lines", () -> js("return (document.getElementById('chart-activity').data || []).length === 2"));

    @SuppressWarnings("unchecked")
    Map<String, Object> shown = (Map<String, Object>) js("const d = document.getElementById('chart-activity').data;"
        + "return {names: d.map(t => t.name), widths: d.map(t => t.line.width), total: d[0].y, key: d[1].y,"
        + " connect: d.map(t => t.connectgaps), fills: d.map(t => t.fill || null),"
        + " x0: d[0].x[0].getTime(), dx: d[0].x[1].getTime() - d[0].x[0].getTime()}");
    assertThat(shown).containsEntry("names", List.of("total", "stackoverflow"))
        .containsEntry("total", List.of(2L, 4L, 6L))
        .containsEntry("key", Arrays.asList(1L, null, 3L))
        .containsEntry("connect", List.of(false, false))
        .containsEntry("fills", Arrays.asList(null, null))
        .containsEntry("x0", START)
        .containsEntry("dx", 5000L);
    @SuppressWarnings("unchecked")
    List<Number> widths = (List<Number>) shown.get("widths");
    assertThat(widths.get(0).doubleValue()).isGreaterThan(widths.get(1).doubleValue());
  }

  @Test
  void area_stacksTheKeysOfACount_underTheTotalLine() {
    page.snapshot(Map.of("stacked", Map.of("start", START, "step", 10_000, "series", List.of(
        Map.of("name", "total", "values", List.of(5, 7)),
        Map.of("name", "a", "values", List.of(3, 4)),
        Map.of("name", "b", "values", List.of(2, 3))))));
    page.until("three traces", () -> js("return (document.getElementById('chart-stacked').data || []).length === 3"));

    assertThat(js("return document.getElementById('chart-stacked').data.map(t => [t.name, t.stackgroup || null, t.fill || null])"))
        .isEqualTo(List.of(Arrays.asList("total", null, null), Arrays.asList("a", "keys", null), Arrays.asList("b", "keys", null)));
    assertThat(js("return document.getElementById('chart-stacked').data[1].y")).isEqualTo(List.of(3L, 4L));
  }

  @Test
  void area_ofAPercentile_isFilledRunByRun_notStacked_soItsGapsStayEmpty() {
    page.snapshot(Map.of("latency-area", Map.of("start", START, "step", 10_000, "series", List.of(
        Map.of("name", "total", "values", Arrays.asList(120.5, null, 90, 80))))));
    page.until("the line", () -> js("return (document.getElementById('chart-latency-area').data || [])"
        + ".some(t => t.meta !== 'fill')"));

    assertThat(js("const t = document.getElementById('chart-latency-area').data.find(t => t.meta !== 'fill');"
        + "return [t.name, t.fill || null, t.stackgroup || null, t.connectgaps, t.y]"))
        .isEqualTo(Arrays.asList("total", null, null, false, Arrays.asList(120.5, null, 90L, 80L)));
    assertThat(js("return document.getElementById('chart-latency-area').data.filter(t => t.meta === 'fill')"
        + ".map(t => [t.fill, t.y, t.x.map(d => d.getTime() - arguments[0])])", START))
        .as("one fill per run of values, none over the gap")
        .isEqualTo(List.of(List.of("tozeroy", List.of(120.5), List.of(0L)),
            List.of("tozeroy", List.of(90L, 80L), List.of(20_000L, 30_000L))));
  }

  @Test
  void heatmap_hasARowPerKeyAndAColumnPerBucket_nullCellsEmpty() {
    page.snapshot(Map.of("heat", Map.of("start", START, "step", 60_000, "keys", List.of("api", "web"),
        "z", List.of(Arrays.asList(1, null, 3), List.of(4, 5, 6.5)))));
    page.until("heatmap drawn", () -> List.of("api", "web").equals(data("heat", "y")));

    assertThat(data("heat", "z")).isEqualTo(List.of(Arrays.asList(1L, null, 3L), List.of(4L, 5L, 6.5)));
    assertThat(js("const d = document.getElementById('chart-heat').data[0];"
        + "return [d.type, d.x.length, d.x[2].getTime() - d.x[0].getTime(), d.hoverongaps]"))
        .isEqualTo(List.of("heatmap", 3L, 120_000L, false));
  }

  @Test
  void number_showsTheValueBig_formatted_withASparklineWithGaps() {
    page.snapshot(Map.of("rate", number(1234.5678, Arrays.asList(1, null, 3))));
    page.until("number drawn", () -> "1,235".equals(numberText("rate")));
    page.until("sparkline drawn", () -> Arrays.asList(1L, null, 3L).equals(
        js("const d = document.getElementById('spark-rate').data; return d && d.find(t => t.meta !== 'fill').y")));
    assertThat(js("return document.getElementById('spark-rate').data.filter(t => t.meta === 'fill').map(t => t.y)"))
        .isEqualTo(List.of(List.of(1L), List.of(3L)));
    assertThat(js("return document.querySelector('#chart-rate .number-caption').textContent")).isEqualTo("rate");

    for (Object[] shown : new Object[][] {{42, "42"}, {0.012345, "0.0123"}, {3.14159, "3.14"}, {-7, "-7"},
        {0.0000123, "0.0000123"}}) {
      page.send(page.delta(Map.of("rate", number(shown[0], List.of()))));
      page.until(shown[1] + " shown for " + shown[0], () -> shown[1].equals(numberText("rate")));
    }
    page.send(page.delta(Map.of("rate", number(null, List.of()))));
    page.until("no value shown as a dash, not 0", () -> "–".equals(numberText("rate")));
  }

  @Test
  void histogram_drawsABarOverEachBin_andUnderOverAsText() {
    page.snapshot(Map.of("latency", Map.of("min", 0, "max", 100, "counts", List.of(1, 2, 3, 4), "under", 3, "over", 5)));
    page.until("histogram drawn", () -> List.of(1L, 2L, 3L, 4L).equals(data("latency", "y")));

    assertThat(data("latency", "x")).isEqualTo(List.of(12.5, 37.5, 62.5, 87.5));
    assertThat(js("return document.getElementById('chart-latency').data[0].width")).isEqualTo(25L);
    assertThat(js("return document.getElementById('chart-latency').data[0].customdata[1]")).isEqualTo("[25, 50): 2");
    assertThat(js("return document.querySelector('.panel-histogram .histogram-outside').textContent"))
        .isEqualTo("3 latency below 0 · 5 above 100");
  }

  @Test
  void list_showsItems_newestFirst_asText() {
    long now = System.currentTimeMillis();
    page.snapshot(Map.of("latest", Map.of("items", List.of(
        Map.of("time", now, "path", "/api/b", "level", XSS_KEY),
        Map.of("time", now - 60_000, "path", "/api/a", "level", "info")))));
    page.until("two items", () -> js("return document.querySelectorAll('#chart-latest li').length === 2"));
    assertThat(page.text("chart-latest")).contains(XSS_KEY, "info");
    assertThat(js("return document.querySelectorAll('#chart-latest img').length")).isEqualTo(0L);
    // Without a "title" field the first field is each item's headline, not "(untitled)".
    assertThat(js("return [...document.querySelectorAll('#chart-latest .item-title')]"
        + ".map(e => e.textContent)")).isEqualTo(List.of("/api/b", "/api/a"));
  }

  @Test
  void everyKind_drawsAnEmptyStateWithoutErrors() {
    Map<String, Object> empty = new LinkedHashMap<>();
    for (String id : List.of("bars", "shares", "levels", "activity", "stacked", "latency-area", "heat", "rate",
        "latency", "latest")) {
      empty.put(id, Map.of());
    }
    page.snapshot(empty);
    page.until("the table emptied", () -> js("return document.querySelectorAll('#chart-levels tbody tr').length === 0"));
    // Ten charts are drawn over a few frames (scheduler.js: frame budget and pacing).
    page.until("every chart drawn empty", () -> "–".equals(numberText("rate")) && List.of().equals(data("bars", "x")));
    page.afterTwoAnimationFrames();
    assertThat(numberText("rate")).isEqualTo("–");
    assertThat(data("bars", "x")).isEqualTo(List.of());
  }

  // --- helpers ---------------------------------------------------------------------------

  private static Object js(String script, Object... args) {
    return page.js(script, args);
  }

  /** data[0][field] of a chart's Plotly div, or null before it is drawn. */
  private static Object data(String chart, String field) {
    return js("const d = document.getElementById('chart-' + arguments[0]).data;"
        + " return d && d[0] ? d[0][arguments[1]] : null", chart, field);
  }

  private static Object numberText(String chart) {
    return js("return document.querySelector('#chart-' + arguments[0] + ' .number-value').textContent", chart);
  }

  private static Map<String, Object> number(Object value, List<Integer> spark) {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("value", value);
    state.put("start", START);
    state.put("step", 10_000);
    state.put("spark", spark);
    return state;
  }

  /** A keyed state with two windows: keys, columns and other (null: no "other" row) for each. */
  private static Map<String, Object> keyed(String w1, List<String> x1, List<? extends List<?>> columns1, List<?> other1,
      String w2, List<String> x2, List<? extends List<?>> columns2, List<?> other2) {
    Map<String, Object> windows = new LinkedHashMap<>();
    windows.put(w1, window(x1, columns1, other1));
    windows.put(w2, window(x2, columns2, other2));
    return Map.of("windows", windows, "overflow", 0);
  }

  private static Map<String, Object> window(List<String> x, List<? extends List<?>> columns, List<?> other) {
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("x", x);
    w.put("columns", new ArrayList<>(columns));
    w.put("other", other);
    return w;
  }

  private static String hello() {
    List<Map<String, String>> windows = List.of(Map.of("id", "10m", "label", "10 min"),
        Map.of("id", "1h", "label", "1 hour"));
    return FakeSocketPage.json(Map.of("type", "hello",
        "dashboard", Map.of("name", "web", "title", "Every kind", "charts", List.of(
            Map.of("id", "bars", "title", "Requests by method", "kind", "bar",
                "windows", windows, "defaultWindow", "10m", "columns", List.of("Requests")),
            Map.of("id", "shares", "title", "Share by community", "kind", "pie",
                "windows", windows, "defaultWindow", "10m", "columns", List.of("Questions")),
            Map.of("id", "levels", "title", "By level", "kind", "table", "by", "level",
                "windows", windows, "defaultWindow", "10m", "columns", List.of("Requests", "p99 latency")),
            Map.of("id", "activity", "title", "Activity", "kind", "line", "measure", "count"),
            Map.of("id", "stacked", "title", "Stacked", "kind", "area", "measure", "count"),
            Map.of("id", "latency-area", "title", "Latency", "kind", "area", "measure", "p99(latency)"),
            Map.of("id", "heat", "title", "Heat", "kind", "heatmap", "measure", "count"),
            Map.of("id", "rate", "title", "Rate", "kind", "number", "measure", "rate"),
            Map.of("id", "latency", "title", "Latency histogram", "kind", "histogram", "field", "latency"),
            Map.of("id", "latest", "title", "Latest", "kind", "list", "fields", List.of("path", "level")))),
        "source", Map.of("description", "test feed", "mode", "custom", "url", "")));
  }
}
