package livegraph.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import livegraph.Livegraph;
import livegraph.browser.Chromium;
import livegraph.emulator.StackExchangeEmulator;
import livegraph.testing.Poll;
import livegraph.testing.PrometheusText;
import livegraph.testing.Resources;
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
 * <p>The corpus, the dashboard and frames carrying it, the sentinel and the checks are
 * {@link XssCorpus}, shared with the exported page's test ({@link XssCorpusExportIT}). The test
 * asserts each payload is shown as text (textContent equal to it), that no element or attribute
 * was made from one, that nothing ran or tried to, and that every link is http(s).
 */
class XssCorpusPageIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static XssCorpus corpus;
  private static StackExchangeEmulator upstream;
  private static Livegraph livegraph;
  private static Chromium chromium;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    corpus = XssCorpus.load();
    upstream = StackExchangeEmulator.builder().heartbeatInterval(Duration.ofSeconds(1)).start(0);
    List<Path> files = new ArrayList<>();
    files.add(Files.writeString(dir.resolve("xss.yaml"), corpus.dashboard("xss", upstream.port())));
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
    XssCorpus.installSentinel(chromium);
  }

  @AfterAll
  static void stop() throws Exception {
    Resources.closeAll(chromium, livegraph, upstream);
  }

  private Object js(String script, Object... args) {
    return chromium.js(script, args);
  }

  private List<String> texts(String selector) {
    return XssCorpus.texts(chromium, selector);
  }

  @Test
  void everyPayload_inEveryPlace_isShownAsText_andNothingRuns() throws Exception {
    int n = corpus.size();
    List<String> payloads = corpus.payloads();
    chromium.open(base + "/d/xss/");
    chromium.until(WAIT, "page connected",
        () -> "live".equals(js("return window.livegraph && window.livegraph.connection")));
    long markupBefore = XssCorpus.markup(chromium);
    for (int i = 0; i < n; i++) {
      upstream.broadcast(corpus.frame(i));
    }
    corpus.awaitEveryQuestion(chromium, WAIT);
    corpus.assertEveryPlacementShownAsText(chromium);
    corpus.assertBarHoversShownAsText(chromium, WAIT);
    XssCorpus.assertNothingRanOrWasMade(chromium, "the live page", markupBefore);

    // the filter chip and the status bar: a view asked for each payload, as a click would.
    // Two messages per payload, at most four payloads a second: the server closes a viewer
    // that sends over 20 messages in a second (1008), and a quick machine got there.
    long nextAt = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String p = corpus.get(i);
      long wait = nextAt - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.TimeUnit.NANOSECONDS.sleep(wait); // pacing a load, not waiting for a result
      }
      nextAt = System.nanoTime() + 250_000_000L;
      js("document.getElementById('chart-bar').dispatchEvent(new CustomEvent('livegraph:key',"
          + " {bubbles: true, detail: {chart: 'bar', field: 'apiSiteParameter', value: arguments[0]}}))", p);
      chromium.until(WAIT, "chip for payload " + i, () -> {
        Object chip = js("return document.getElementById('filter-text').textContent");
        return chip instanceof String s && s.startsWith("Filtered: apiSiteParameter = " + p) ? s : null;
      });
      String badView = "document.getElementById('chart-bar').dispatchEvent(new CustomEvent('livegraph:key',"
          + " {bubbles: true, detail: {chart: 'bar', field: arguments[0], value: 'x'}}))";
      js(badView, p);
      long[] asked = {System.nanoTime()};
      chromium.until(WAIT, "status error naming payload " + i, () -> {
        Object status = js("return document.getElementById('status-message').textContent");
        if (status instanceof String s && s.contains("no chart groups by \"" + p + "\"")) {
          return s;
        }
        // A fresh connection clears a shown error (page.js), and a loaded CI machine can make
        // the page reconnect between the answer and this poll: ask again, as a user would.
        if (System.nanoTime() - asked[0] > 5_000_000_000L) {
          js(badView, p);
          asked[0] = System.nanoTime();
        }
        return null;
      });
    }
    XssCorpus.assertNothingRanOrWasMade(chromium, "the live page after the views", markupBefore);
    String metrics = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(PrometheusText.parse(metrics)
        .value("livegraph_viewer_closes_total", "reason", "flood"))
        .as("the page was never closed for sending too fast (its requests would be lost)").isZero();

    // the snapshot page, downloaded and opened from disk
    HttpResponse<byte[]> snapshot = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(base + "/d/xss/snapshot.html")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    Path file = Files.write(dir.resolve("snapshot.html"), snapshot.body());
    chromium.open(file.toUri().toString());
    chromium.until(WAIT, "snapshot drawn",
        () -> Long.valueOf(n).equals(js("return document.querySelectorAll('#chart-list li').length")) ? true : null);
    assertThat(js("return document.title")).isEqualTo(corpus.get(0) + " (snapshot)");
    assertThat(texts("#chart-list .item-title"))
        .containsExactlyInAnyOrderElementsOf(payloads.stream().map(XssCorpus::decoded).toList());
    assertThat(texts("#chart-list .tag")).containsExactlyInAnyOrderElementsOf(payloads);
    assertThat(texts(".panel h2")).containsAll(payloads);
    assertThat(texts("#chart-pie .legendtext")).containsExactlyInAnyOrderElementsOf(payloads);
    // its own scripts are in its body: as many as the file has script tags (the payloads in
    // its data block are written \u003c, so none of theirs counts)
    long ownScripts = java.util.regex.Pattern.compile("<script[ >]")
        .matcher(new String(snapshot.body(), StandardCharsets.UTF_8)).results().count();
    XssCorpus.assertNothingRanOrWasMade(chromium, "the snapshot page", ownScripts);

    // the listing: one dashboard titled with each payload
    chromium.open(base + "/");
    chromium.until(WAIT, "listing shown", () -> "shown".equals(js(
        "return window.livegraphListing && window.livegraphListing.state")) ? true : null);
    assertThat(texts(".dashboard-title")).containsAll(payloads);
    XssCorpus.assertNothingRanOrWasMade(chromium, "the listing page", 0);
  }
}
