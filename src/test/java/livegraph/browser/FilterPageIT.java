package livegraph.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import livegraph.Livegraph;
import livegraph.emulator.StackExchangeEmulator;
import livegraph.testing.Frames;
import livegraph.testing.Poll;
import livegraph.testing.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Click a community to filter the other charts, in a real Chromium on a real livegraph fed known
 * frames by the local emulator: the filtered charts equal the oracle of that community's
 * questions while the communities chart still shows every community; the address reproduces
 * the view on reload; clearing returns to everything.
 */
class FilterPageIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String XSS = "<img src=x onerror=\"window.__xss=1\">";

  /** The questions sent: site, tags. */
  private static final List<Object[]> SENT = List.of(
      new Object[] {"stackoverflow", List.of("java", "maven")},
      new Object[] {"math", List.of("algebra")},
      new Object[] {"stackoverflow", List.of("java")},
      new Object[] {"superuser", List.of("linux")},
      new Object[] {"math", List.of("calculus", "algebra")},
      new Object[] {"stackoverflow", List.of("python")},
      new Object[] {"diy", List.of("wood")},
      new Object[] {"math", List.of("algebra")},
      new Object[] {"superuser", List.of("windows")},
      new Object[] {"stackoverflow", List.of("java")});

  @TempDir static Path profile;

  private static StackExchangeEmulator upstream;
  private static Livegraph livegraph;
  private static Chromium chromium;

  @BeforeAll
  static void start() throws Exception {
    upstream = StackExchangeEmulator.builder().heartbeatInterval(Duration.ofSeconds(1)).start(0);
    livegraph = Livegraph.create(Livegraph.Config.defaults()
        .withFeed("ws://127.0.0.1:" + upstream.port() + "/")).start(0);
    Poll.until(WAIT, () -> upstream.subscribedClients() == 1, "livegraph subscribed upstream");
    chromium = Chromium.openLivegraph(profile, livegraph.port(), WAIT);
    for (int i = 0; i < SENT.size(); i++) {
      @SuppressWarnings("unchecked")
      List<String> tags = (List<String>) SENT.get(i)[1];
      upstream.broadcast(Frames.question((String) SENT.get(i)[0], 100 + i, "Question " + i, tags));
    }
    chromium.until(WAIT, "every question counted", () -> total() == SENT.size());
  }

  @AfterAll
  static void stop() throws Exception {
    Resources.closeAll(chromium, livegraph, upstream);
  }

  /** Questions per community, as sent. */
  private static Map<String, Long> communities() {
    Map<String, Long> counts = new TreeMap<>();
    SENT.forEach(q -> counts.merge((String) q[0], 1L, Long::sum));
    return counts;
  }

  private static long count(String site) {
    return communities().getOrDefault(site, 0L);
  }

  /** The sum of the activity chart's drawn total line. */
  private static long total() {
    Object sum = chromium.js(
        "const d = document.getElementById('chart-activity').data;"
            + "const t = d && d.find((s) => s.name === 'total');"
            + "return t ? t.y.reduce((a, v) => a + (v || 0), 0) : -1;");
    return ((Number) sum).longValue();
  }

  /** The communities chart as drawn, in its order. */
  private static Map<String, Long> drawnCommunitiesOrNull() {
    try {
      return drawnCommunities();
    } catch (Exception e) {
      return null; // not drawn yet: the poll tries again
    }
  }

  private static Map<String, Long> drawnCommunities() throws Exception {
    JsonNode d = JSON.readTree((String) chromium.js(
        "const d = document.getElementById('chart-communities').data;"
            + "return JSON.stringify(d && d[0] ? [d[0].x, d[0].y] : [[], []]);"));
    Map<String, Long> drawn = new TreeMap<>();
    for (int i = 0; i < d.get(0).size(); i++) {
      drawn.put(d.get(0).get(i).asText(), d.get(1).get(i).asLong());
    }
    return drawn;
  }

  /** The sites of the latest list's items as drawn, newest first. */
  private static List<String> listedSites() {
    @SuppressWarnings("unchecked")
    List<Object> sites = (List<Object>) chromium.js(
        "const items = (livegraph.charts.latest || {}).items || [];"
            + "const shown = document.querySelectorAll('#chart-latest li').length;"
            + "return shown === items.length ? items.map((i) => i.apiSiteParameter) : null;");
    return sites == null ? null : sites.stream().map(String::valueOf).toList();
  }

  private static String view() throws Exception {
    return JSON.writeValueAsString(JSON.readTree(
        (String) chromium.js("return JSON.stringify(livegraph.view)")));
  }

  /** The page shows the view of {@code site}: chip, address, and every chart against the oracle. */
  private static void assertFilteredTo(String site) throws Exception {
    chromium.until(WAIT, "the view of " + site, () -> {
      try {
        return view().equals("{\"field\":\"apiSiteParameter\",\"value\":\"" + site + "\"}");
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    List<String> expected = new ArrayList<>();
    for (int i = SENT.size() - 1; i >= 0; i--) {
      if (SENT.get(i)[0].equals(site)) {
        expected.add(site);
      }
    }
    chromium.until(WAIT, "the latest list: " + site + "'s questions only",
        () -> expected.equals(listedSites()));
    chromium.until(WAIT, "the activity total: " + site + "'s", () -> total() == count(site));
    chromium.until(WAIT, "the Stack Overflow tags chart: empty for another site", () ->
        !site.equals("stackoverflow") && Boolean.TRUE.equals(chromium.js(
            "const d = document.getElementById('chart-tags').data;"
                + "return !!(d && d[0] && d[0].x.length === 0);")));
    // The page paces each chart's redraws by its drawing cost (scheduler.js), so the bars may
    // be drawn a frame or a second after the others.
    chromium.until(WAIT, "grouped by the filter field: every community, whole",
        () -> communities().equals(drawnCommunitiesOrNull()));
    assertThat(chromium.js("return document.getElementById('filter-chip').hidden")).isEqualTo(false);
    assertThat(chromium.js("return document.getElementById('filter-text').textContent"))
        .isEqualTo("Filtered: apiSiteParameter = " + site);
    assertThat(chromium.js("return location.search"))
        .asString().contains("filter=apiSiteParameter").contains("value=" + site);
  }

  private static void assertUnfiltered() throws Exception {
    chromium.until(WAIT, "no view", () -> chromium.js("return livegraph.view === null"));
    chromium.until(WAIT, "every question listed", () -> {
      List<String> sites = listedSites();
      return sites != null && sites.size() == SENT.size();
    });
    chromium.until(WAIT, "the activity total of everything", () -> total() == SENT.size());
    chromium.until(WAIT, "every community drawn", () -> communities().equals(drawnCommunitiesOrNull()));
    assertThat(chromium.js("return document.getElementById('filter-chip').hidden")).isEqualTo(true);
    assertThat(chromium.js("return location.search")).asString().doesNotContain("filter=");
  }

  /** A real mouse click in the middle of {@code site}'s bar. */
  private static void clickBar(String site) throws Exception {
    int index = new ArrayList<>(drawnCommunitiesInOrder()).indexOf(site);
    assertThat(index).as(site + " has a bar").isNotNegative();
    List<WebElement> bars = chromium.driver().findElements(
        By.cssSelector("#chart-communities .trace.bars .point path"));
    new Actions(chromium.driver()).moveToElement(bars.get(index)).click().perform();
  }

  private static List<String> drawnCommunitiesInOrder() throws Exception {
    JsonNode x = JSON.readTree((String) chromium.js(
        "return JSON.stringify(document.getElementById('chart-communities').data[0].x)"));
    List<String> keys = new ArrayList<>();
    x.forEach(k -> keys.add(k.asText()));
    return keys;
  }

  private static int views() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + livegraph.port() + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).at("/dashboards/0/views").asInt();
  }

  @Test
  void clickingACommunity_filtersTheOtherCharts_theAddressReproducesIt_andClearingReturns()
      throws Exception {
    assertUnfiltered();

    clickBar("math");
    assertFilteredTo("math");
    Poll.until(WAIT, () -> {
      try {
        return views() == 1;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, "one view on the server");

    String link = (String) chromium.js("return location.href");
    chromium.open(link);
    chromium.until(WAIT, "reloaded page live",
        () -> "live".equals(chromium.js("return window.livegraph && livegraph.connection")));
    assertFilteredTo("math");

    clickBar("superuser");
    assertFilteredTo("superuser");

    chromium.driver().findElement(By.id("filter-clear")).click();
    assertUnfiltered();

    clickBar("math");
    assertFilteredTo("math");
    new Actions(chromium.driver()).sendKeys(Keys.ESCAPE).perform();
    assertUnfiltered();
    assertThat(chromium.consoleErrors()).isEmpty();
  }

  @Test
  void aLinkToAKeyWithMarkup_opensItsView_showingTheKeyAsText() throws Exception {
    chromium.open("http://127.0.0.1:" + livegraph.port() + "/?filter=apiSiteParameter&value="
        + URLEncoder.encode(XSS, StandardCharsets.UTF_8));
    chromium.until(WAIT, "the view of the markup key", () -> chromium.js(
        "return !!(window.livegraph && livegraph.view && livegraph.view.value === arguments[0])",
        XSS));
    assertThat(chromium.js("return document.getElementById('filter-text').textContent"))
        .isEqualTo("Filtered: apiSiteParameter = " + XSS);
    assertThat(chromium.js("return document.querySelectorAll('header img').length")).isEqualTo(0L);
    chromium.until(WAIT, "nothing listed for a key no question has",
        () -> chromium.js("return (livegraph.charts.latest || {items: [1]}).items.length === 0"));

    chromium.driver().findElement(By.id("filter-clear")).click();
    assertUnfiltered();
    assertThat(chromium.js("return window.__xss === undefined")).isEqualTo(true);
    assertThat(chromium.consoleErrors()).isEmpty();
  }
}
