package livegraph.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The per-chart PNG and CSV downloads of the live page (chartfiles.js, csv.js) in headless
 * Chromium: the CSV builder for every chart kind run in the page itself, and real clicks on the
 * buttons whose downloaded files are read back: the CSV's rows are the chart's values, the
 * PNG's bars are as tall as their counts say.
 */
class ChartFilesPageIT {

  private static final long START = 1_700_000_000_000L; // 2023-11-14T22:13:20Z
  private static final String T0 = "2023-11-14T22:13:20.000Z";

  @RegisterExtension static final FakeSocketPage page = FakeSocketPage.perClass(hello());

  @TempDir static Path downloads;

  @BeforeAll
  static void saveDownloads() {
    page.chromium().downloadTo(downloads);
  }

  // --- csv.js, the pure builder, run in the page ------------------------------------------

  @Test
  void keyedCsv_isTheSelectedWindow_keyThenColumns_otherLast_nullsEmpty_textGuardedAndQuoted() {
    String chart = "{\"id\":\"bars\",\"kind\":\"bar\",\"columns\":[\"Requests\",\"p99 latency\"],\"defaultWindow\":\"10m\"}";
    String state = "{\"windows\":{\"10m\":{\"x\":[\"GET\",\"=HYPERLINK(\\\"http://x.example\\\")\",\"a,b\",\"say \\\"hi\\\"\","
        + "\"-1\",\"@x\",\"\\tTab\",\"+1\",\"\\rCR\",\"line\\nbreak\"],"
        + "\"columns\":[[50,20,7,1,2,3,4,5,6,7],[1.5,null,3.5,-7,0.1,1e-7,null,null,0,2]],\"other\":[9,null]},"
        + "\"1h\":{\"x\":[\"GET\"],\"columns\":[[500]],\"other\":null}},\"overflow\":0}";

    assertThat(csv(chart, state, "10m")).isEqualTo(lines(
        "key,Requests,p99 latency",
        "GET,50,1.5",
        "\"'=HYPERLINK(\"\"http://x.example\"\")\",20,",
        "\"a,b\",7,3.5",
        "\"say \"\"hi\"\"\",1,-7",
        "'-1,2,0.1",
        "'@x,3,1e-7",
        "'\tTab,4,",
        "'+1,5,",
        "\"'\rCR\",6,0",
        "\"line\nbreak\",7,2",
        "other,9,"));
    assertThat(csv(chart, state, "1h")).isEqualTo(lines("key,Requests", "GET,500"));
    assertThat(csv(chart, state, "gone")).as("an unknown window falls back to the default")
        .startsWith(lines("key,Requests,p99 latency", "GET,50,1.5"));
  }

  @Test
  void tableCsv_headsTheKeyColumnWithItsField_andKeepsAKeyCalledOtherApartFromTheOtherRow() {
    String chart = "{\"id\":\"levels\",\"kind\":\"table\",\"by\":\"level\",\"columns\":[\"Requests\"],\"defaultWindow\":\"10m\"}";
    String state = "{\"windows\":{\"10m\":{\"x\":[\"other\",\"warn\"],\"columns\":[[3,2]],\"other\":[1]}},\"overflow\":0}";
    assertThat(csv(chart, state, null)).isEqualTo(lines("level,Requests", "other,3", "warn,2", "other (rest),1"));
  }

  @Test
  void lineCsv_hasATimeRowPerBucket_totalFirst_gapsEmpty() {
    String state = "{\"start\":" + START + ",\"step\":5000,\"series\":[{\"name\":\"stackoverflow\",\"values\":[1,null,3]},"
        + "{\"name\":\"total\",\"values\":[2,4,6,8]}]}";
    assertThat(csv("{\"id\":\"activity\",\"kind\":\"line\"}", state, null)).isEqualTo(lines(
        "time,total,stackoverflow",
        T0 + ",2,1",
        "2023-11-14T22:13:25.000Z,4,",
        "2023-11-14T22:13:30.000Z,6,3",
        "2023-11-14T22:13:35.000Z,8,"));
    assertThat(csv("{\"id\":\"stacked\",\"kind\":\"area\"}", state, null)).startsWith("time,total,stackoverflow\r\n");
  }

  @Test
  void heatmapCsv_hasATimeRowPerBucket_andAColumnPerKey() {
    String state = "{\"start\":" + START + ",\"step\":60000,\"keys\":[\"api\",\"=web\"],\"z\":[[1,null,3],[4,5,6.5]]}";
    assertThat(csv("{\"id\":\"heat\",\"kind\":\"heatmap\"}", state, null)).isEqualTo(lines(
        "time,api,'=web",
        T0 + ",1,4",
        "2023-11-14T22:14:20.000Z,,5",
        "2023-11-14T22:15:20.000Z,3,6.5"));
  }

  @Test
  void numberCsv_isTheSparkThenTheCurrentValue() {
    String chart = "{\"id\":\"rate\",\"kind\":\"number\"}";
    assertThat(csv(chart, "{\"value\":1234.5678,\"start\":" + START + ",\"step\":10000,\"spark\":[1,null,3]}", null))
        .isEqualTo(lines("time,value", T0 + ",1", "2023-11-14T22:13:30.000Z,", "2023-11-14T22:13:40.000Z,3",
            "current,1234.5678"));
    assertThat(csv(chart, "{\"value\":null,\"spark\":[]}", null)).isEqualTo(lines("time,value", "current,"));
  }

  @Test
  void histogramCsv_isABinPerRow_thenBelowMinAndAboveMax() {
    assertThat(csv("{\"id\":\"latency\",\"kind\":\"histogram\"}",
        "{\"min\":0,\"max\":100,\"counts\":[1,2,3,4],\"under\":3,\"over\":5}", null)).isEqualTo(lines(
        "from,to,count", "0,25,1", "25,50,2", "50,75,3", "75,100,4", ",0,3", "100,,5"));
    assertThat(csv("{\"id\":\"latency\",\"kind\":\"histogram\"}", "{}", null)).isEqualTo(lines("from,to,count"));
  }

  @Test
  void listCsv_isAnItemPerRow_withItsTimeAndFields() {
    String chart = "{\"id\":\"latest\",\"kind\":\"list\",\"fields\":[\"title\",\"tags\",\"score\",\"time\"]}";
    String state = "{\"items\":[{\"time\":" + START + ",\"title\":\"=cmd|\\\"/c calc\\\"!A1\",\"tags\":[\"java\",\"c#\"],"
        + "\"score\":-3},{\"title\":\"plain\",\"extra\":\"not a field\"},\"not an item\"]}";
    assertThat(csv(chart, state, null)).isEqualTo(lines(
        "time,title,tags,score",
        T0 + ",\"'=cmd|\"\"/c calc\"\"!A1\",java; c#,-3",
        ",plain,,"));
  }

  @Test
  void unknownKind_hasNoCsv_andFileNamesAreSafe() {
    assertThat(csv("{\"id\":\"x\",\"kind\":\"pi\"}", "{}", null)).isNull();
    assertThat(js("return import('./csv.js').then(m => [m.fileName('web', 'bars', new Date(2026, 10, 29, 7, 41, 12).getTime(), 'csv'),"
        + " m.fileName('my dash', '../x', new Date(2026, 0, 2, 3, 4, 5).getTime(), '')])"))
        .isEqualTo(List.of("web-bars-20261129-074112.csv", "my_dash-.._x-20260102-030405"));
  }

  // --- the buttons, clicked, with the files they save read back ----------------------------

  @Test
  void csvButton_savesTheChartsRowsInTheSelectedWindow() throws Exception {
    page.snapshot(Map.of("bars", keyed(List.of("GET", "=1+1", "PUT"), Arrays.asList(50, 20, null), List.of(9),
        List.of("DELETE"), List.of(500))));
    page.until("bars drawn", () -> List.of("GET", "=1+1", "PUT", "other").equals(
        js("const d = document.getElementById('chart-bars').data; return d && d[0].x")));
    new Select(page.chromium().driver().findElement(By.id("window-bars"))).selectByValue("1h");
    try {
      page.until("1h drawn", () -> List.of("DELETE").equals(js("return document.getElementById('chart-bars').data[0].x")));

      page.chromium().driver().findElement(By.id("csv-bars")).click();

      assertThat(download(CSV)).isEqualTo(lines("key,Requests", "DELETE,500"));
    } finally {
      new Select(page.chromium().driver().findElement(By.id("window-bars"))).selectByValue("10m");
    }
    page.chromium().driver().findElement(By.id("csv-bars")).click();
    assertThat(download(CSV)).isEqualTo(lines("key,Requests", "GET,50", "'=1+1,20", "PUT,", "other,9"));
  }

  @Test
  void pngButton_savesThePlotlyImage_withBarsAsTallAsTheirCounts() throws Exception {
    page.snapshot(Map.of("bars", keyed(List.of("a", "b", "c"), List.of(40, 10, 25), null, List.of(), List.of())));
    page.until("bars drawn", () -> List.of(40L, 10L, 25L).equals(
        js("const d = document.getElementById('chart-bars').data; return d && d[0].y")));
    @SuppressWarnings("unchecked")
    List<Number> size = (List<Number>) js("const l = document.getElementById('chart-bars')._fullLayout; return [l.width, l.height]");

    page.chromium().driver().findElement(By.id("png-bars")).click();

    Path file = awaitDownload(Pattern.compile("web-bars-\\d{8}-\\d{6}\\.png"));
    BufferedImage image = ImageIO.read(file.toFile());
    Files.delete(file);
    assertThat(image).as("a PNG").isNotNull();
    assertThat((double) image.getWidth()).as("the chart's width").isCloseTo(size.get(0).doubleValue(), within(1.0));
    assertThat((double) image.getHeight()).as("the chart's height").isCloseTo(size.get(1).doubleValue(), within(1.0));
    List<Integer> heights = barHeights(image, 0x2f6db5);
    assertThat(heights).as("three bars in the accent colour").hasSize(3);
    assertThat(heights.get(0) / (double) heights.get(1)).isCloseTo(40 / 10.0, org.assertj.core.data.Percentage.withPercentage(3));
    assertThat(heights.get(2) / (double) heights.get(1)).isCloseTo(25 / 10.0, org.assertj.core.data.Percentage.withPercentage(3));
    assertThat(heights.get(0)).as("a bar of real height").isGreaterThan(100);
  }

  @Test
  void buttons_onEveryChartTheyFit_pngOnlyWherePlotlyDrawsTheChart() {
    assertThat(js("return [...document.querySelectorAll('.panel')].map(p => p.id.replace('panel-', '') + ':'"
        + " + [...p.querySelectorAll('.panel-tools .tool-button')].map(b => b.textContent).join('+'))"))
        .isEqualTo(List.of("bars:PNG+CSV", "levels:CSV", "activity:PNG+CSV", "heat:PNG+CSV", "rate:CSV",
            "latency:PNG+CSV", "latest:CSV"));
  }

  // --- helpers ---------------------------------------------------------------------------

  private static Object js(String script, Object... args) {
    return page.js(script, args);
  }

  /** csv.js's chartCsv(chart, state, window) in the page. */
  private static String csv(String chart, String state, String window) {
    // As JSON, so the CRLFs come back exactly as the page made them.
    String json = (String) js("const [chart, state, win] = arguments;"
        + " return import('./csv.js').then(m => JSON.stringify(m.chartCsv(JSON.parse(chart), JSON.parse(state), win)))",
        chart, state, window);
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, String.class);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String lines(String... rows) {
    return String.join("\r\n", rows) + "\r\n";
  }

  private static final Pattern CSV = Pattern.compile("web-bars-\\d{8}-\\d{6}\\.csv");

  /** The text of the file saved under a name like {@code name}, which is then deleted. */
  private static String download(Pattern name) throws IOException {
    Path file = awaitDownload(name);
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Files.delete(file);
    return text;
  }

  private static Path awaitDownload(Pattern name) {
    return page.until("a download named like " + name, () -> newest(name));
  }

  /** The file in the downloads folder whose whole name matches, once complete; else null. */
  private static Path newest(Pattern name) {
    try (Stream<Path> files = Files.list(downloads)) {
      return files.filter(f -> name.matcher(f.getFileName().toString()).matches())
          .filter(f -> f.toFile().length() > 0).findFirst().orElse(null);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The height in pixels of each bar: runs of image columns holding pixels of exactly
   * {@code rgb}, each bar's height the most such pixels in one of its columns.
   */
  static List<Integer> barHeights(BufferedImage image, int rgb) {
    List<Integer> heights = new ArrayList<>();
    int current = 0;
    for (int x = 0; x < image.getWidth(); x++) {
      int count = 0;
      for (int y = 0; y < image.getHeight(); y++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          count++;
        }
      }
      if (count > 0) {
        current = Math.max(current, count);
      } else if (current > 0) {
        heights.add(current);
        current = 0;
      }
    }
    if (current > 0) {
      heights.add(current);
    }
    return heights;
  }

  private static Map<String, Object> keyed(List<String> x10, List<Integer> counts10, List<Integer> other10,
      List<String> x1h, List<Integer> counts1h) {
    Map<String, Object> windows = new LinkedHashMap<>();
    windows.put("10m", window(x10, counts10, other10));
    windows.put("1h", window(x1h, counts1h, null));
    return Map.of("windows", windows, "overflow", 0);
  }

  private static Map<String, Object> window(List<String> x, List<Integer> counts, List<Integer> other) {
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("x", x);
    w.put("columns", List.of(counts));
    w.put("other", other);
    return w;
  }

  private static String hello() {
    List<Map<String, String>> windows = List.of(Map.of("id", "10m", "label", "10 min"), Map.of("id", "1h", "label", "1 hour"));
    return FakeSocketPage.json(Map.of("type", "hello",
        "dashboard", Map.of("name", "web", "title", "Downloads", "charts", List.of(
            Map.of("id", "bars", "title", "Requests by method", "kind", "bar",
                "windows", windows, "defaultWindow", "10m", "columns", List.of("Requests")),
            Map.of("id", "levels", "title", "By level", "kind", "table", "by", "level",
                "windows", windows, "defaultWindow", "10m", "columns", List.of("Requests")),
            Map.of("id", "activity", "title", "Activity", "kind", "line", "measure", "count"),
            Map.of("id", "heat", "title", "Heat", "kind", "heatmap", "measure", "count"),
            Map.of("id", "rate", "title", "Rate", "kind", "number", "measure", "rate"),
            Map.of("id", "latency", "title", "Latency", "kind", "histogram", "field", "latency"),
            Map.of("id", "latest", "title", "Latest", "kind", "list", "fields", List.of("path")))),
        "source", Map.of("description", "test feed", "mode", "custom", "url", "")));
  }
}
