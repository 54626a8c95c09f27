package livegraph.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import livegraph.Livegraph;
import livegraph.browser.Chromium;
import livegraph.emulator.StackExchangeEmulator;
import livegraph.testing.Frames;
import livegraph.testing.Poll;
import livegraph.testing.Resources;
import org.apache.commons.text.StringEscapeUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The XSS corpus ({@code security/xss-corpus.txt}) in every text the page shows, through the
 * real path: emulator frames (titles, owner names, tags, community names and hosts, link URLs)
 * and a dashboard file (dashboard, chart, column and window titles) → livegraph → the page in
 * Chromium; then the filter chip and the status bar (a view asked for each payload), the
 * listing page (one dashboard titled with each payload) and the downloaded snapshot page.
 *
 * <p>Every payload that could run calls {@code window.__xss(N)}, a sentinel installed before any
 * page script; a {@code securitypolicyviolation} listener records anything the CSP stopped. The
 * test asserts each payload is shown as text (textContent equal to it), that no element or
 * attribute was made from one, that nothing ran or tried to, and that every link is http(s).
 */
class XssCorpusPageIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SENTINEL = "window.__xssHits = []; window.__xss = (n) => window.__xssHits.push(n);"
      + "window.__cspViolations = [];"
      + "document.addEventListener('securitypolicyviolation', (e) =>"
      + " window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample), true);";
  /** Elements no page of ours makes by itself in its body: one made from a payload shows up here. */
  private static final String MARKUP = "script, iframe, object, embed, img, meta, base, details, math, "
      + "mglyph, mtext, frame, form, textarea, b, i, sub, sup, body body, svg a, svg foreignObject, "
      + "svg script, tspan[style*='bold'], tspan[style*='italic']";

  @TempDir static Path dir;

  static List<String> corpus;
  private static StackExchangeEmulator upstream;
  private static Livegraph livegraph;
  private static Chromium chromium;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    corpus = new ArrayList<>();
    for (String line : new String(XssCorpusPageIT.class.getResourceAsStream("/security/xss-corpus.txt")
        .readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
      if (!line.isEmpty() && !line.startsWith("# ")) {
        corpus.add(line);
      }
    }
    upstream = StackExchangeEmulator.builder().heartbeatInterval(Duration.ofSeconds(1)).start(0);
    List<Path> files = new ArrayList<>();
    files.add(Files.writeString(dir.resolve("xss.yaml"), mainDashboard(upstream.port())));
    for (int i = 0; i < corpus.size(); i++) {
      ObjectNode d = JSON.createObjectNode().put("title", corpus.get(i)).put("name", "l" + i);
      d.putObject("sources").putObject("t").putObject("tcp").put("host", "127.0.0.1").put("port", 0).put("listen", true);
      d.putArray("charts").addObject().put("title", "n").put("type", "number");
      files.add(Files.writeString(dir.resolve("l" + i + ".yaml"), JSON.writeValueAsString(d)));
    }
    livegraph = Livegraph.create(Livegraph.Config.defaults().withFiles(files)).start(0);
    base = "http://127.0.0.1:" + livegraph.port();
    Poll.until(WAIT, () -> upstream.subscribedClients() == 1, "livegraph subscribed upstream");
    chromium = Chromium.start(Files.createDirectories(dir.resolve("profile")));
    chromium.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", SENTINEL));
  }

  @AfterAll
  static void stop() throws Exception {
    Resources.closeAll(chromium, livegraph, upstream);
  }

  /** A dashboard file (JSON is YAML 1.2) whose every title and label is a payload. */
  private static String mainDashboard(int port) throws Exception {
    int n = corpus.size();
    ObjectNode d = JSON.createObjectNode().put("title", corpus.get(0)).put("name", "xss");
    ObjectNode src = d.putObject("sources").putObject("se");
    ObjectNode ws = src.putObject("websocket").put("url", "ws://127.0.0.1:" + port + "/");
    ws.putArray("subscribe").add("155-questions-active");
    ws.putObject("heartbeat").put("reply", "hb").putObject("match").put("action", "hb");
    src.putObject("accept").put("action", "155-questions-active");
    src.put("payload", "/data");
    ObjectNode fields = src.putObject("fields");
    for (String f : List.of("apiSiteParameter", "siteBaseHostAddress", "id", "tags", "url")) {
      fields.put(f, "/" + f);
    }
    fields.putObject("title").put("path", "/titleEncodedFancy").put("html", true);
    fields.putObject("ownerDisplayName").put("path", "/ownerDisplayName").put("html", true);
    ArrayNode charts = d.putArray("charts");
    charts.addObject().put("id", "bar").put("title", corpus.get(1)).put("type", "bar")
        .put("by", "apiSiteParameter").put("top", 100).put("label", corpus.get(2));
    charts.addObject().put("id", "pie").put("title", corpus.get(2)).put("type", "pie")
        .put("by", "siteBaseHostAddress").put("top", 100);
    charts.addObject().put("id", "line").put("title", corpus.get(3)).put("type", "line")
        .put("by", "apiSiteParameter").put("series", 50);
    charts.addObject().put("id", "heat").put("title", corpus.get(4)).put("type", "heatmap")
        .put("by", "tags").put("top", 100);
    charts.addObject().put("id", "list").put("title", corpus.get(5)).put("type", "list").put("size", 100)
        .putArray("fields").add("title").add("ownerDisplayName").add("apiSiteParameter")
        .add("siteBaseHostAddress").add("tags").add("url");
    for (int i = 0; i < n; i++) { // one table per payload: its title, window label and column label
      ObjectNode t = charts.addObject().put("id", "t" + i).put("title", corpus.get(i)).put("type", "table")
          .put("by", "ownerDisplayName").put("top", 100);
      ArrayNode windows = t.putArray("windows");
      windows.addObject().put("id", "w").put("length", "1h").put("label", corpus.get((i + 1) % n));
      windows.add("all");
      t.putArray("columns").addObject().put("label", corpus.get((i + 2) % n)).put("measure", "count");
    }
    return JSON.writeValueAsString(d);
  }

  /** The question frame carrying payload i in every field the feed has. */
  private static String frame(int i) {
    String p = corpus.get(i);
    ObjectNode q = JSON.createObjectNode();
    q.put("siteBaseHostAddress", p).put("apiSiteParameter", p).put("id", 1000 + i)
        .put("titleEncodedFancy", p).put("ownerDisplayName", p).put("lastActivityDate", 1_700_000_000L)
        // half the links are the payload itself (never a link), half an https URL carrying it
        .put("url", i % 2 == 0 ? p : "https://example.com/q/" + i + "?" + p);
    q.putArray("tags").add(p);
    return Frames.outer("155-questions-active", q.toString());
  }

  /** The text a field of the html: true kind shows: the feed's HTML entities decoded, once. */
  private static String decoded(String p) {
    return p.indexOf('&') >= 0 ? StringEscapeUtils.unescapeHtml4(p) : p;
  }

  private Object js(String script, Object... args) {
    return chromium.js(script, args);
  }

  @SuppressWarnings("unchecked")
  private List<String> texts(String selector) {
    return (List<String>) js("return [...document.querySelectorAll(arguments[0])].map(e => e.textContent)", selector);
  }

  private void assertNothingRanOrWasMade(String where, long markupBefore) {
    assertThat(js("return window.__xssHits")).as(where + ": payloads that ran").isEqualTo(List.of());
    assertThat(js("return window.__cspViolations")).as(where + ": CSP violations").isEqualTo(List.of());
    assertThat(js("return document.body.querySelectorAll(arguments[0]).length", MARKUP))
        .as(where + ": elements made from payloads").isEqualTo(markupBefore);
    assertThat(js("return [...document.querySelectorAll('*')].flatMap(e => [...e.attributes])"
        + ".filter(a => /^on/i.test(a.name)).map(a => a.name)")).as(where + ": event handler attributes")
        .isEqualTo(List.of());
    assertThat(js("return [...document.querySelectorAll('a[href], area[href]')].map(a => a.protocol)"
        + ".filter(p => p !== 'http:' && p !== 'https:')")).as(where + ": links other than http(s)")
        .isEqualTo(List.of());
  }

  @Test
  void everyPayload_inEveryPlace_isShownAsText_andNothingRuns() throws Exception {
    int n = corpus.size();
    chromium.open(base + "/d/xss/");
    chromium.until(WAIT, "page connected",
        () -> "live".equals(js("return window.livegraph && window.livegraph.connection")));
    long markupBefore = (Long) js("return document.body.querySelectorAll(arguments[0]).length", MARKUP);
    for (int i = 0; i < n; i++) {
      upstream.broadcast(frame(i));
    }
    chromium.until(WAIT, "every question in the list",
        () -> Long.valueOf(n).equals(js("return document.querySelectorAll('#chart-list li').length")) ? true : null);
    chromium.until(WAIT, "every key in the bar chart", () -> Long.valueOf(n).equals(js(
        "const d = document.getElementById('chart-bar').data; return d && d[0] ? d[0].x.length : 0")) ? true : null);

    List<String> expectedDecoded = corpus.stream().map(XssCorpusPageIT::decoded).toList();
    // the list: titles (linked or not), owner names, community hosts, tags
    assertThat(texts("#chart-list .item-title")).containsExactlyInAnyOrderElementsOf(expectedDecoded);
    assertThat(texts("#chart-list .item-field")).containsExactlyInAnyOrderElementsOf(expectedDecoded);
    assertThat(texts("#chart-list .item-community")).containsExactlyInAnyOrderElementsOf(corpus);
    assertThat(texts("#chart-list .tag")).containsExactlyInAnyOrderElementsOf(corpus);
    // links: only the https ones became links, and they point where the feed said
    assertThat(texts("#chart-list .item-title a")).hasSize(n / 2);
    assertThat(js("return [...document.querySelectorAll('#chart-list a')].every(a => a.protocol === 'https:'"
        + " && a.hostname === 'example.com' && a.rel === 'noopener noreferrer')")).isEqualTo(true);
    // dashboard, chart, window and column titles
    assertThat(js("return document.title")).isEqualTo(corpus.get(0));
    assertThat(texts("#title")).containsExactly(corpus.get(0));
    List<String> chartTitles = texts(".panel h2");
    assertThat(chartTitles).containsAll(corpus);
    assertThat(texts("select option")).containsAll(corpus);
    assertThat(texts("table th")).containsAll(corpus);
    // table keys (owner names, decoded)
    assertThat(texts("#chart-t0 td.key, #chart-t0 th.key, #chart-t0 .key")).containsAll(expectedDecoded);
    // Plotly's ticks and legends: each text it shows is exactly a payload, never markup it read
    for (String selector : new String[] {"#chart-bar .xtick text", "#chart-heat .ytick text",
        "#chart-pie .legendtext", "#chart-line .legendtext"}) {
      List<String> shown = texts(selector);
      assertThat(shown).as(selector).isNotEmpty();
      assertThat(corpus).as(selector).containsAll(shown.stream().filter(s -> !s.equals("total")).toList());
    }
    assertThat(texts("#chart-pie .legendtext")).containsExactlyInAnyOrderElementsOf(corpus);
    assertNothingRanOrWasMade("the live page", markupBefore);

    // the filter chip and the status bar: a view asked for each payload, as a click would
    for (int i = 0; i < n; i++) {
      String p = corpus.get(i);
      js("document.getElementById('chart-bar').dispatchEvent(new CustomEvent('livegraph:key',"
          + " {bubbles: true, detail: {chart: 'bar', field: 'apiSiteParameter', value: arguments[0]}}))", p);
      chromium.until(WAIT, "chip for payload " + i, () -> {
        Object chip = js("return document.getElementById('filter-text').textContent");
        return chip instanceof String s && s.startsWith("Filtered: apiSiteParameter = " + p) ? s : null;
      });
      js("document.getElementById('chart-bar').dispatchEvent(new CustomEvent('livegraph:key',"
          + " {bubbles: true, detail: {chart: 'bar', field: arguments[0], value: 'x'}}))", p);
      chromium.until(WAIT, "status error naming payload " + i, () -> {
        Object status = js("return document.getElementById('status-message').textContent");
        return status instanceof String s && s.contains("no chart groups by \"" + p + "\"") ? s : null;
      });
    }
    assertNothingRanOrWasMade("the live page after the views", markupBefore);

    // the snapshot page, downloaded and opened from disk
    HttpResponse<byte[]> snapshot = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(base + "/d/xss/snapshot.html")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    Path file = Files.write(dir.resolve("snapshot.html"), snapshot.body());
    chromium.open(file.toUri().toString());
    chromium.until(WAIT, "snapshot drawn",
        () -> Long.valueOf(n).equals(js("return document.querySelectorAll('#chart-list li').length")) ? true : null);
    assertThat(js("return document.title")).isEqualTo(corpus.get(0) + " (snapshot)");
    assertThat(texts("#chart-list .item-title")).containsExactlyInAnyOrderElementsOf(expectedDecoded);
    assertThat(texts("#chart-list .tag")).containsExactlyInAnyOrderElementsOf(corpus);
    assertThat(texts(".panel h2")).containsAll(corpus);
    assertThat(texts("#chart-pie .legendtext")).containsExactlyInAnyOrderElementsOf(corpus);
    // its own scripts are in its body: as many as the file has script tags (the payloads in
    // its data block are written \u003c, so none of theirs counts)
    long ownScripts = java.util.regex.Pattern.compile("<script[ >]")
        .matcher(new String(snapshot.body(), StandardCharsets.UTF_8)).results().count();
    assertNothingRanOrWasMade("the snapshot page", ownScripts);

    // the listing: one dashboard titled with each payload
    chromium.open(base + "/");
    chromium.until(WAIT, "listing shown", () -> "shown".equals(js(
        "return window.livegraphListing && window.livegraphListing.state")) ? true : null);
    assertThat(texts(".dashboard-title")).containsAll(corpus);
    assertNothingRanOrWasMade("the listing page", 0);
  }
}
