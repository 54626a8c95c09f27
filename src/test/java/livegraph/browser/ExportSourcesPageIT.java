package livegraph.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import livegraph.emulator.StackExchangeEmulator;
import livegraph.export.LiveExport;
import livegraph.source.SseTestServer;
import livegraph.testing.Frames;
import livegraph.testing.Poll;
import livegraph.testing.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exported page of a dashboard with two feeds, a WebSocket (the emulator, with a 2 s silence
 * watchdog) and an SSE stream (a JDK HTTP server that allows any origin), opened from disk in
 * headless Chromium: the page's own upstream code, beyond what the StackExchange page exercises.
 */
class ExportSourcesPageIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String DASHBOARD = """
      title: Two feeds
      sources:
        questions:
          websocket:
            url: wss://questions.invalid/
            subscribe: [155-questions-active]
            heartbeat: {match: {action: hb}, reply: hb}
            silence: 2s
          accept: {action: 155-questions-active}
          payload: /data
          fields: {site: /apiSiteParameter}
        orders:
          sse: {url: 'https://orders.invalid/events', events: [order]}
          fields: {country: /country}
      charts:
        - {id: sites, title: Sites, type: bar, by: site, source: questions, windows: [all]}
        - {id: countries, title: Countries, type: bar, by: country, source: orders, windows: [all]}
        - {id: orders, title: Orders, type: list, fields: ["@event", "@id", country], source: orders}
      """;

  @TempDir static Path dir;

  private static StackExchangeEmulator emulator;
  private static SseTestServer sse;
  private static Chromium chromium;

  @BeforeAll
  static void start() throws Exception {
    emulator = StackExchangeEmulator.builder()
        .heartbeatInterval(Duration.ofMillis(200))
        .heartbeatTimeout(Duration.ofSeconds(3))
        .start(0);
    emulator.dataPaused(true); // a "dead" socket: heartbeats only
    sse = new SseTestServer().allowAnyOrigin();
    LiveExport.Page page = LiveExport.build(DASHBOARD, "two.yaml", List.of(
        "questions=ws://127.0.0.1:" + emulator.port() + "/",
        "orders=" + sse.uri("/events")));
    Path file = Files.writeString(dir.resolve("two.html"), page.html(), StandardCharsets.UTF_8);
    chromium = Chromium.start(Files.createDirectory(dir.resolve("profile")));
    chromium.open(file.toUri().toString());
    chromium.until(WAIT, "the SSE stream open", () -> "live".equals(source("orders", "state")));
  }

  @AfterAll
  static void stop() throws Exception {
    Resources.closeAll(chromium, sse, emulator);
  }

  @AfterEach
  void nothingRefusedOrLogged() {
    assertThat((List<?>) chromium.js("return window.livegraph.cspViolations")).isEmpty();
    assertThat(chromium.consoleErrors()).isEmpty();
  }

  @Test
  void deadWebSocket_isReconnectedByTheSilenceWatchdog_andDataKeepsItOpen() throws Exception {
    chromium.until(WAIT, "three connections to the silent socket", () -> number(source("questions", "connects")) >= 3);
    assertThat(String.valueOf(source("questions", "reasons"))).contains("no data for 2 s");
    assertThat(number(source("questions", "heartbeatsAnswered"))).isPositive();
    assertThat(emulator.clientsDroppedForMissedHeartbeats()).as("closed by the page, not the emulator").isZero();

    emulator.dataPaused(false);
    AtomicInteger sent = new AtomicInteger();
    ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor();
    try {
      // A question every 200 ms: data well within the 2 s silence.
      pump.scheduleAtFixedRate(() -> emulator.broadcast(
          Frames.question("math", sent.incrementAndGet(), "q", List.of())), 0, 200, TimeUnit.MILLISECONDS);
      chromium.until(WAIT, "questions counted", () -> chromium.js(
          "const w = window.livegraph.charts.sites; return w && w.windows.all.x.length > 0"));
      long connects = number(source("questions", "connects"));
      Poll.holds(Duration.ofSeconds(3), () -> number(source("questions", "connects")) == connects,
          "no reconnect while data flows");
    } finally {
      pump.shutdownNow();
      assertThat(pump.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void sseEvents_countWithTheirTypeAndId_andTheBrowsersOwnReconnectSendsLastEventId() {
    sse.send("retry: 300\nevent: order\nid: 1\ndata: {\"country\":\"fr\"}\n\n");
    sse.send("data: {\"country\":\"xx\"}\n\n"); // not an order: skipped, as the server skips it
    chromium.until(WAIT, "the order counted", () -> "[[\"fr\"],[1]]".equals(chromium.js(
        "const w = window.livegraph.charts.countries; return w && JSON.stringify([w.windows.all.x, w.windows.all.columns[0]])")));
    assertThat(chromium.js("const i = window.livegraph.charts.orders.items[0];"
        + " return [i['@event'], i['@id'], i.country].join(' ')")).isEqualTo("order 1 fr");
    chromium.until(WAIT, "the unnamed event skipped", () -> chromium.js(
        "const c = JSON.parse(window.livegraphEngine.counters());"
            + " return Object.values(c.skipped).reduce((a, b) => a + b, 0) === 1"));

    sse.endStream();
    Poll.until(WAIT, () -> sse.requests().size() == 2, "the browser reconnected");
    assertThat(sse.requests()).extracting(SseTestServer.Request::lastEventId).containsExactly(null, "1");
    chromium.until(WAIT, "the stream live again",
        () -> number(source("orders", "connects")) == 2 && "live".equals(source("orders", "state")));
    sse.send("event: order\nid: 3\ndata: {\"country\":\"fr\"}\n\n");
    chromium.until(WAIT, "the next order counted once", () -> "[[\"fr\"],[2]]".equals(chromium.js(
        "const w = window.livegraph.charts.countries; return JSON.stringify([w.windows.all.x, w.windows.all.columns[0]])")));
  }

  private static Object source(String name, String field) {
    return chromium.js("const s = window.livegraph.upstream && window.livegraph.upstream.sources[arguments[0]];"
        + " return s ? s[arguments[1]] : null", name, field);
  }

  private static long number(Object value) {
    return value == null ? -1 : ((Number) value).longValue();
  }
}
