package livegraph.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import livegraph.Livegraph;
import livegraph.emulator.StackExchangeEmulator;
import livegraph.export.LiveExport;
import livegraph.testing.ChartStates;
import livegraph.testing.Frames;
import livegraph.testing.Poll;
import livegraph.testing.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported StackExchange page opened from disk (file://) in headless Chromium, its feed
 * pointed at the local emulator, beside a livegraph server reading the same emulator: both get
 * the same frames (the emulator broadcasts each one to every subscriber), so the page's charts
 * must equal the server's. One browser and one page load for the class (Plotly costs seconds);
 * the tests run in order because the reconnect and the request log build on what came before.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExportPageIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String XSS_TITLE = "Why does <img src=x onerror=\"window.__xss=1\"> show?";
  /** Numbers equal by value: the engine writes 4.0 where JSON.stringify in the page writes 4. */
  private static final Comparator<JsonNode> BY_VALUE = (a, b) ->
      a.isNumber() && b.isNumber() ? Double.compare(a.doubleValue(), b.doubleValue())
          : a.equals(b) ? 0 : 1;

  @TempDir static Path dir;

  private static StackExchangeEmulator upstream;
  private static Livegraph livegraph;
  private static ChartStates server;
  private static Chromium chromium;
  private static Path file;
  private static String feed;
  private static final List<String> sites = new ArrayList<>(); // every question sent, in order
  private static int skippedSent; // frames sent that both sides must skip

  @BeforeAll
  static void start() throws Exception {
    // Heartbeats every 300 ms, and a client that leaves one unanswered for 3 s is dropped.
    upstream = StackExchangeEmulator.builder()
        .heartbeatInterval(Duration.ofMillis(300))
        .heartbeatTimeout(Duration.ofSeconds(3))
        .start(0);
    feed = "ws://127.0.0.1:" + upstream.port() + "/";
    livegraph = Livegraph.create(Livegraph.Config.defaults().withFeed(feed)).start(0);
    Poll.until(WAIT, () -> upstream.subscribedClients() == 1, "livegraph subscribed upstream");
    server = ChartStates.connect(URI.create("ws://127.0.0.1:" + livegraph.port() + "/ws"),
        "http://127.0.0.1:" + livegraph.port(), WAIT);

    LiveExport.Page page = LiveExport.build(builtInDashboard(), "stackexchange.yaml", List.of(feed));
    file = Files.writeString(dir.resolve("live.html"), page.html(), StandardCharsets.UTF_8);
    chromium = Chromium.startRecordingNetwork(Files.createDirectory(dir.resolve("profile")));
    chromium.open(file.toUri().toString());
    chromium.until(WAIT, "the exported page live on the emulator", () ->
        "live".equals(chromium.js("return window.livegraph.upstream && window.livegraph.upstream.state")));
    Poll.until(WAIT, () -> upstream.subscribedClients() == 2, "the page subscribed beside livegraph");
  }

  @AfterAll
  static void stop() throws Exception {
    Resources.closeAll(chromium, server, livegraph, upstream);
  }

  @Test
  @Order(1)
  void pageShowsExactlyTheServersCounts_forTheSameFrames() throws Exception {
    String[] questions = {"stackoverflow", "math", "stackoverflow", "superuser", "stackoverflow",
        "math", "stackoverflow", "diy"};
    for (String site : questions) {
      send(site, List.of("java", "maven"));
    }
    sites.add("diy");
    upstream.broadcast(Frames.question("diy", 999, XSS_TITLE, List.of("<b>tag</b>")));
    upstream.broadcast("not json at all");
    upstream.broadcast(Frames.outer("1-questions-newest", "{}"));
    skippedSent += 2;

    assertSameCharts();
    // What the page draws is what it computed.
    assertThat(chromium.until(WAIT, "the communities bars", () -> {
      Object bars = chromium.js("const d = document.getElementById('chart-communities').data;"
          + "return d && d[0] ? JSON.stringify([d[0].x, d[0].y]) : null;");
      return "[[\"stackoverflow\",\"diy\",\"math\",\"superuser\"],[4,2,2,1]]".equals(bars) ? bars : null;
    })).isNotNull();
    assertThat((String) chromium.js("return document.getElementById('chart-latest').textContent"))
        .contains(XSS_TITLE);
    assertThat(chromium.js("return window.__xss === undefined")).isEqualTo(true);
    assertThat((String) chromium.js("return document.getElementById('status-feed').textContent"))
        .isEqualTo("exported page · live from 127.0.0.1:" + upstream.port());
  }

  @Test
  @Order(2)
  void pageAnswersHeartbeats_soTheEmulatorKeepsIt() {
    long connects = pageLong("return window.livegraph.upstream.connects");
    long answered = pageLong("return window.livegraph.upstream.heartbeatsAnswered");
    long dropped = upstream.clientsDroppedForMissedHeartbeats();
    long replies = upstream.heartbeatRepliesReceived();

    // Twenty more heartbeats take 6 s: a page that left them unanswered is dropped after 3.
    chromium.until(WAIT, "twenty more heartbeats answered",
        () -> pageLong("return window.livegraph.upstream.heartbeatsAnswered") >= answered + 20);
    assertThat(upstream.heartbeatRepliesReceived() - replies)
        .as("replies the emulator received (from the page and livegraph)").isGreaterThanOrEqualTo(20);
    assertThat(upstream.clientsDroppedForMissedHeartbeats()).isEqualTo(dropped);
    assertThat(pageLong("return window.livegraph.upstream.connects")).isEqualTo(connects);
    assertThat(chromium.js("return window.livegraph.connection")).isEqualTo("live");
  }

  @Test
  @Order(3)
  @SuppressWarnings("unchecked") // Selenium returns a JavaScript array as a List<Object>
  void afterTheEmulatorDropsIt_pageReconnects_andCountsKeepMatching() throws Exception {
    long connects = pageLong("return window.livegraph.upstream.connects");
    long subscribes = upstream.subscribeMessagesReceived();
    chromium.js("window.livegraph.upstream.history.length = 0");

    upstream.disconnectAll(); // the page and livegraph both
    Poll.until(WAIT, () -> upstream.subscribeMessagesReceived() >= subscribes + 2
        && upstream.subscribedClients() == 2, "the page and livegraph subscribed again");
    chromium.until(WAIT, "the page live again", () -> "live".equals(chromium.js("return window.livegraph.connection")));
    assertThat(pageLong("return window.livegraph.upstream.connects")).isEqualTo(connects + 1);
    assertThat((List<Object>) chromium.js("return window.livegraph.upstream.history"))
        .as("the page's connection states since the drop")
        .containsSubsequence("reconnecting", "connecting", "live");
    assertThat((String) chromium.js("return document.getElementById('status-connection').textContent"))
        .isEqualTo("live");

    send("stackoverflow", List.of("java"));
    send("askubuntu", List.of());
    send("math", List.of("algebra"));
    assertSameCharts();
  }

  @Test
  @Order(4)
  void pageRequestedNothingButItselfAndTheFeed_andBrokeNoCspRule() {
    // data: and blob: URLs are read from the page's own bytes, not fetched, so they are allowed
    // (the favicon is "data:,"); everything else must be the file itself or the feed.
    String self = file.toUri().toString();
    List<String> requests = chromium.networkRequests();
    assertThat(requests).contains(self, feed);
    assertThat(requests)
        .filteredOn(url -> !url.startsWith("data:") && !url.startsWith("blob:"))
        .allMatch(url -> url.equals(self) || url.equals(feed), "is the page or the feed");
    assertThat((List<?>) chromium.js("return window.livegraph.cspViolations")).isEmpty();
    assertThat(chromium.consoleErrors()).isEmpty();
  }

  /** A question on {@code site} to every subscriber, remembered for the expected counts. */
  private static void send(String site, List<String> tags) {
    int id = 100 + sites.size();
    sites.add(site);
    upstream.broadcast(Frames.question(site, id, "Question " + id, tags));
  }

  /**
   * Waits until the server and the page have both counted every question sent, then compares:
   * the bars (every window) and the list exactly, the activity chart's total, and the skips.
   */
  private static void assertSameCharts() throws Exception {
    int sent = sites.size();
    server.await(WAIT, sent + " questions on the server", () -> total(server.chart("communities")) == sent);
    chromium.until(WAIT, sent + " questions on the page", () -> total(pageCharts().path("communities")) == sent);
    JsonNode page = pageCharts();

    for (String id : List.of("communities", "tags")) {
      assertThat(page.path(id).equals(BY_VALUE, server.chart(id)))
          .as("chart %s, page %s, server %s", id, page.path(id), server.chart(id)).isTrue();
    }
    JsonNode pageList = withoutTimes(page.path("latest"));
    JsonNode serverList = withoutTimes(server.chart("latest"));
    assertThat(pageList.path("items").size()).isEqualTo(sent);
    assertThat(pageList.equals(BY_VALUE, serverList))
        .as("latest questions, page %s, server %s", pageList, serverList).isTrue();
    // Buckets are cut at each side's own arrival time, so only the sum is exact.
    assertThat(seriesTotal(page.path("activity"))).isEqualTo(sent);
    assertThat(seriesTotal(server.chart("activity"))).isEqualTo(sent);

    JsonNode counters = JSON.readTree((String) chromium.js(
        "const c = window.livegraphEngine.counters(); return typeof c === 'string' ? c : JSON.stringify(c);"));
    long pageSkipped = 0;
    for (JsonNode n : counters.path("skipped")) {
      pageSkipped += n.asLong();
    }
    assertThat(pageSkipped).isEqualTo(skippedSent).isEqualTo(livegraph.sourceStatus().skippedTotal());
    assertThat(counters.path("events").asLong()).isEqualTo(sent).isEqualTo(livegraph.sourceStatus().events());
  }

  private static JsonNode pageCharts() {
    try {
      return JSON.readTree((String) chromium.js("return JSON.stringify(window.livegraph.charts)"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The questions a keyed chart's "all" window holds. */
  private static long total(JsonNode keyed) {
    long n = 0;
    for (JsonNode v : keyed.path("windows").path("all").path("columns").path(0)) {
      n += v.asLong();
    }
    return n;
  }

  private static long seriesTotal(JsonNode timeseries) {
    for (JsonNode series : timeseries.path("series")) {
      if (series.path("name").asText().equals("total")) {
        long n = 0;
        for (JsonNode v : series.path("values")) {
          n += v.asLong();
        }
        return n;
      }
    }
    return -1;
  }

  /** A list state without its items' arrival times, which differ between the two readers. */
  private static JsonNode withoutTimes(JsonNode list) {
    JsonNode copy = list.deepCopy();
    for (JsonNode item : copy.path("items")) {
      ((ObjectNode) item).remove("time");
    }
    return copy;
  }

  private static long pageLong(String script) {
    return ((Number) chromium.js(script)).longValue();
  }

  private static String builtInDashboard() throws Exception {
    try (InputStream in = ExportPageIT.class.getResourceAsStream("/dashboards/stackexchange.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
