package livegraph.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import livegraph.browser.Chromium;
import livegraph.testing.Frames;
import org.apache.commons.text.StringEscapeUtils;

/**
 * The XSS corpus ({@code security/xss-corpus.txt}) and what every page test does with it: a
 * dashboard file whose every title and label is a payload, emulator frames carrying one payload
 * in every field the feed has, the sentinel that records a payload that ran, and the checks that
 * each payload is shown as text where it was placed and nothing ran. Shared by the server's page
 * ({@link XssCorpusPageIT}) and the exported page ({@link XssCorpusExportIT}).
 *
 * <p>Every payload that could run calls {@code window.__xss(N)}, a sentinel installed before any
 * page script ({@link #installSentinel}); a {@code securitypolicyviolation} listener records
 * anything the CSP stopped.
 */
final class XssCorpus {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SENTINEL = "window.__xssHits = []; window.__xss = (n) => window.__xssHits.push(n);"
      + "window.__cspViolations = [];"
      + "document.addEventListener('securitypolicyviolation', (e) =>"
      + " window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample), true);";
  /** Elements no page of ours makes by itself in its body: one made from a payload shows up here. */
  private static final String MARKUP = "script, iframe, object, embed, img, meta, base, details, math, "
      + "mglyph, mtext, frame, form, textarea, b, i, sub, sup, body body, svg a, svg foreignObject, "
      + "svg script, tspan[style*='bold'], tspan[style*='italic']";
  /**
   * The places {@link #assertEveryPlacementShownAsText} checks on a live dashboard page: question
   * titles, owner names, community hosts, tags, link URLs, bar keys, pie legend, line legend,
   * heatmap keys, table keys, chart titles, window labels, column labels.
   */
  static final int DASHBOARD_PLACES = 13;
  /**
   * The bar chart's label, shown in its hover text: payload 25, {@code <b>bold</b><i onclick=…>},
   * markup Plotly itself would draw, so a label that reached Plotly unescaped reads differently.
   */
  private static final int BAR_LABEL = 24;

  private final List<String> payloads;

  private XssCorpus(List<String> payloads) {
    this.payloads = List.copyOf(payloads);
  }

  /** The corpus from the test classpath: one payload a line, lines starting "# " are comments. */
  static XssCorpus load() {
    List<String> payloads = new ArrayList<>();
    try (InputStream in = XssCorpus.class.getResourceAsStream("/security/xss-corpus.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
        if (!line.isEmpty() && !line.startsWith("# ")) {
          payloads.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new XssCorpus(payloads);
  }

  List<String> payloads() {
    return payloads;
  }

  int size() {
    return payloads.size();
  }

  String get(int i) {
    return payloads.get(i);
  }

  /**
   * A dashboard file (JSON is YAML 1.2) named {@code name} whose every title and label is a
   * payload, reading the emulator on loopback {@code port}: a bar, pie, line, heatmap and list
   * chart over the feed's fields, and one table per payload (its title, window and column label).
   */
  String dashboard(String name, int port) {
    int n = payloads.size();
    ObjectNode d = JSON.createObjectNode().put("title", get(0)).put("name", name);
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
    charts.addObject().put("id", "bar").put("title", get(1)).put("type", "bar")
        .put("by", "apiSiteParameter").put("top", 100).put("label", get(BAR_LABEL));
    charts.addObject().put("id", "pie").put("title", get(2)).put("type", "pie")
        .put("by", "siteBaseHostAddress").put("top", 100);
    charts.addObject().put("id", "line").put("title", get(3)).put("type", "line")
        .put("by", "apiSiteParameter").put("series", 50);
    charts.addObject().put("id", "heat").put("title", get(4)).put("type", "heatmap")
        .put("by", "tags").put("top", 100);
    charts.addObject().put("id", "list").put("title", get(5)).put("type", "list").put("size", 100)
        .putArray("fields").add("title").add("ownerDisplayName").add("apiSiteParameter")
        .add("siteBaseHostAddress").add("tags").add("url");
    for (int i = 0; i < n; i++) { // one table per payload: its title, window label and column label
      ObjectNode t = charts.addObject().put("id", "t" + i).put("title", get(i)).put("type", "table")
          .put("by", "ownerDisplayName").put("top", 100);
      ArrayNode windows = t.putArray("windows");
      windows.addObject().put("id", "w").put("length", "1h").put("label", get((i + 1) % n));
      windows.add("all");
      t.putArray("columns").addObject().put("label", get((i + 2) % n)).put("measure", "count");
    }
    try {
      return JSON.writeValueAsString(d);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The question frame carrying payload i in every field the feed has. */
  String frame(int i) {
    String p = get(i);
    ObjectNode q = JSON.createObjectNode();
    q.put("siteBaseHostAddress", p).put("apiSiteParameter", p).put("id", 1000 + i)
        .put("titleEncodedFancy", p).put("ownerDisplayName", p).put("lastActivityDate", 1_700_000_000L)
        // half the links are the payload itself (never a link), half an https URL carrying it
        .put("url", i % 2 == 0 ? p : "https://example.com/q/" + i + "?" + p);
    q.putArray("tags").add(p);
    return Frames.outer("155-questions-active", q.toString());
  }

  /** The text a field of the html: true kind shows: the feed's HTML entities decoded, once. */
  static String decoded(String p) {
    return p.indexOf('&') >= 0 ? StringEscapeUtils.unescapeHtml4(p) : p;
  }

  /** Makes every page {@code chromium} opens from now on define the sentinel before its own scripts. */
  static void installSentinel(Chromium chromium) {
    chromium.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", SENTINEL));
  }

  /** How many of the elements a payload could make the page's body holds now. */
  static long markup(Chromium chromium) {
    return (Long) chromium.js("return document.body.querySelectorAll(arguments[0]).length", MARKUP);
  }

  @SuppressWarnings("unchecked") // Selenium returns a JavaScript array as a List<Object>
  static List<String> texts(Chromium chromium, String selector) {
    return (List<String>) chromium.js(
        "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent)", selector);
  }

  /** Waits until the dashboard page shows every question sent: the list and the bar chart hold all. */
  void awaitEveryQuestion(Chromium chromium, Duration wait) {
    Long n = (long) size();
    chromium.until(wait, "every question in the list",
        () -> n.equals(chromium.js("return document.querySelectorAll('#chart-list li').length")) ? true : null);
    chromium.until(wait, "every key in the bar chart", () -> n.equals(chromium.js(
        "const d = document.getElementById('chart-bar').data; return d && d[0] ? d[0].x.length : 0")) ? true : null);
  }

  /**
   * The {@link #DASHBOARD_PLACES} of a page showing {@link #dashboard} after every {@link #frame}:
   * each payload is shown as text there (textContent equal to it, or to its decoded form for the
   * two fields the feed HTML-encodes), and only the https URLs became links.
   */
  void assertEveryPlacementShownAsText(Chromium chromium) {
    int n = size();
    List<String> expectedDecoded = payloads.stream().map(XssCorpus::decoded).toList();
    // the list: titles (linked or not), owner names, community hosts, tags
    assertThat(texts(chromium, "#chart-list .item-title")).containsExactlyInAnyOrderElementsOf(expectedDecoded);
    assertThat(texts(chromium, "#chart-list .item-field")).containsExactlyInAnyOrderElementsOf(expectedDecoded);
    assertThat(texts(chromium, "#chart-list .item-community")).containsExactlyInAnyOrderElementsOf(payloads);
    assertThat(texts(chromium, "#chart-list .tag")).containsExactlyInAnyOrderElementsOf(payloads);
    // links: only the https ones became links, and they point where the feed said
    assertThat(texts(chromium, "#chart-list .item-title a")).hasSize(n / 2);
    assertThat(chromium.js("return [...document.querySelectorAll('#chart-list a')].every(a => a.protocol === 'https:'"
        + " && a.hostname === 'example.com' && a.rel === 'noopener noreferrer')")).isEqualTo(true);
    // dashboard, chart, window and column titles
    assertThat(chromium.js("return document.title")).isEqualTo(get(0));
    assertThat(texts(chromium, "#title")).containsExactly(get(0));
    assertThat(texts(chromium, ".panel h2")).containsAll(payloads);
    assertThat(texts(chromium, "select option")).containsAll(payloads);
    assertThat(texts(chromium, "table th")).containsAll(payloads);
    // table keys (owner names, decoded)
    assertThat(texts(chromium, "#chart-t0 td.key, #chart-t0 th.key, #chart-t0 .key")).containsAll(expectedDecoded);
    // Plotly's ticks and legends: each text it shows is exactly a payload, never markup it read
    for (String selector : new String[] {"#chart-bar .xtick text", "#chart-heat .ytick text",
        "#chart-pie .legendtext", "#chart-line .legendtext"}) {
      List<String> shown = texts(chromium, selector);
      assertThat(shown).as(selector).isNotEmpty();
      assertThat(payloads).as(selector).containsAll(shown.stream().filter(s -> !s.equals("total")).toList());
    }
    assertThat(texts(chromium, "#chart-pie .legendtext")).containsExactlyInAnyOrderElementsOf(payloads);
  }

  /**
   * Plotly's hover label on each bar of the bar chart, shown one at a time as a pointer would
   * ({@code Plotly.Fx.hover}): the key and the chart's label ({@link #BAR_LABEL}) as text.
   * Plotly reads hover text as its own markup, so this is a place of its own beside the ticks.
   */
  void assertBarHoversShownAsText(Chromium chromium, Duration wait) {
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      int bar = i;
      // Plotly throttles hover calls; ask again until this bar's label is the one drawn.
      shown.add(chromium.until(wait, "hover label of bar " + i, () -> (String) chromium.js(
          "const gd = document.getElementById('chart-bar');"
          + "Plotly.Fx.hover(gd, [{curveNumber: 0, pointNumber: arguments[0]}]);"
          + "const h = gd.querySelector('.hoverlayer .hovertext');"
          + "const d = gd._hoverdata;"
          + "return h && d && d[0].pointNumber === arguments[0] ? h.textContent : null;", bar)));
    }
    chromium.js("Plotly.Fx.unhover(document.getElementById('chart-bar'))");
    assertThat(shown).as("bar hover labels")
        .containsExactlyInAnyOrderElementsOf(
            payloads.stream().map(p -> p + get(BAR_LABEL) + ": 1").toList());
  }

  /**
   * Nothing ran or tried to (sentinel calls, CSP violations), no element or {@code on*}
   * attribute was made from a payload (the body holds {@code markupBefore} of {@link #markup}'s
   * elements, as before the payloads came), and every link is http(s).
   */
  static void assertNothingRanOrWasMade(Chromium chromium, String where, long markupBefore) {
    assertThat(chromium.js("return window.__xssHits")).as(where + ": payloads that ran").isEqualTo(List.of());
    assertThat(chromium.js("return window.__cspViolations")).as(where + ": CSP violations").isEqualTo(List.of());
    assertThat(markup(chromium)).as(where + ": elements made from payloads").isEqualTo(markupBefore);
    assertThat(chromium.js("return [...document.querySelectorAll('*')].flatMap(e => [...e.attributes])"
        + ".filter(a => /^on/i.test(a.name)).map(a => a.name)")).as(where + ": event handler attributes")
        .isEqualTo(List.of());
    assertThat(chromium.js("return [...document.querySelectorAll('a[href], area[href]')].map(a => a.protocol)"
        + ".filter(p => p !== 'http:' && p !== 'https:')")).as(where + ": links other than http(s)")
        .isEqualTo(List.of());
  }
}
