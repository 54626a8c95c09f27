package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import livegraph.pipeline.Event;
import livegraph.source.SourceStatus.State;
import livegraph.testing.Poll;
import livegraph.testing.Resources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The WebSocket source, as StackExchange feed and as a generic one, against a real server on loopback. */
class WebSocketSourceIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CHANNEL = "155-questions-active";
  private static final String HEARTBEAT = "{\"action\":\"hb\",\"data\":\"hb\"}";

  @RegisterExtension static final EventLoops loops = new EventLoops(2, "source-it");

  private FeedTestServer server;
  private WebSocketSource source;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<SourceStatus> statuses = new CopyOnWriteArrayList<>();
  private final List<String> rawFrames = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws InterruptedException {
    server = new FeedTestServer(loops.group());
  }

  @AfterEach
  void stopAll() throws Exception {
    Resources.closeAll(source, server);
  }

  private WebSocketSpec stackExchange(Duration silence) {
    return StackExchangeFeed.spec("se", server.uri(), silence);
  }

  private void start(WebSocketSpec spec) {
    start(spec, loops.context(7, Duration.ofMillis(20), Duration.ofMillis(50)));
  }

  private void start(WebSocketSpec spec, SourceContext context) {
    source = new WebSocketSource(spec, context, rawFrames::add, statuses::add);
    source.start(events::add);
  }

  private long subscriptions() {
    return server.received().stream().filter(CHANNEL::equals).count();
  }

  private void awaitLive(int connections) {
    Poll.until(
        WAIT,
        () -> server.connections() == connections && subscriptions() == connections
            && source.status().state() == State.LIVE,
        "connection " + connections + " live and subscribed");
  }

  private static List<String> samples() throws IOException {
    Path path = Path.of(System.getProperty("livegraph.shared"), "data", "stackexchange", "samples.jsonl");
    return Files.readAllLines(path, StandardCharsets.UTF_8);
  }

  @Test
  void subscribesWithChannelName_andAnswersHeartbeatsWithHb() {
    start(stackExchange(Duration.ofMinutes(5)));
    awaitLive(1);
    assertThat(server.received()).containsExactly(CHANNEL);
    assertThat(source.status().detail()).isEqualTo("subscribed to " + CHANNEL);

    server.broadcast(HEARTBEAT);
    server.broadcast(HEARTBEAT);

    Poll.until(WAIT, () -> server.received().size() == 3, "two heartbeat answers");
    assertThat(server.received()).containsExactly(CHANNEL, "hb", "hb");
    assertThat(source.status().heartbeats()).isEqualTo(2);
    assertThat(source.lastDataAtMillis()).as("heartbeats are not data").isZero();
    assertThat(statuses).extracting(SourceStatus::state).containsExactly(State.CONNECTING, State.LIVE);
  }

  @Test
  void dataFrames_arriveAsEvents_andRawFramesAreRecorded() throws IOException {
    start(stackExchange(Duration.ofMinutes(5)));
    awaitLive(1);
    List<String> samples = samples();

    server.broadcast(samples.get(0));
    server.broadcast(samples.get(1));

    Poll.until(WAIT, () -> events.size() == 2, "two events");
    assertThat(events).extracting(e -> e.string("apiSiteParameter")).containsExactly("diy", "chinese");
    assertThat(events).extracting(e -> e.string("@source")).containsOnly("se");
    assertThat(events.get(0).keys("tags")).containsExactly("cabinets", "lock", "new-home");
    assertThat(rawFrames).containsExactly(samples.get(0), samples.get(1));
    assertThat(source.status().events()).isEqualTo(2);
    assertThat(source.lastDataAtMillis()).isPositive();
    assertThat(source.description()).isEqualTo("127.0.0.1:" + server.uri().getPort());
  }

  @Test
  void genericFeed_jsonSubscribe_pingAnswered_eventsDecodedWithTheirTime() {
    WebSocketSpec spec = new WebSocketSpec(
        "trades",
        server.uri(),
        List.of("{\"op\":\"subscribe\",\"channel\":\"trades\"}"),
        new WebSocketSpec.HeartbeatRule(Map.of("type", "ping"), "{\"type\":\"pong\"}"),
        Duration.ofMinutes(5),
        new Decoding(Map.of("type", "trade"), "/data", "ts",
            List.of(Decoding.Extract.of("sym"), Decoding.Extract.of("px"))));
    start(spec);
    Poll.until(WAIT, () -> server.received().size() == 1 && source.status().state() == State.LIVE,
        "subscribed");
    assertThat(server.received()).containsExactly("{\"op\":\"subscribe\",\"channel\":\"trades\"}");

    server.broadcast("{\"type\":\"ping\"}");
    server.broadcast("{\"type\":\"trade\",\"data\":{\"sym\":\"X\",\"px\":10.5,\"ts\":\"2023-11-14T22:13:20Z\"}}");
    server.broadcast("{\"type\":\"trade\",\"data\":{\"sym\":\"Y\",\"px\":3,\"ts\":\"later\"}}");
    server.broadcast("not json");

    Poll.until(WAIT, () -> server.received().size() == 2 && source.status().skippedTotal() == 2,
        "pong sent and two frames skipped");
    assertThat(server.received().get(1)).isEqualTo("{\"type\":\"pong\"}");
    assertThat(events).containsExactly(new Event(1_700_000_000_000L,
        Map.of("sym", "X", "px", 10.5, "@source", "trades")));
    assertThat(source.status().skipped())
        .containsEntry(SkipReason.BAD_TIME, 1L)
        .containsEntry(SkipReason.NOT_JSON, 1L);
    assertThat(source.status().heartbeats()).isEqualTo(1);
  }

  @Test
  void binaryFrames_areSkippedAsBinary_andTheConnectionStays() throws IOException {
    start(stackExchange(Duration.ofMinutes(5)));
    awaitLive(1);

    server.broadcastBinary(new byte[] {1, 2, 3});
    server.broadcast(samples().get(0));

    Poll.until(WAIT, () -> events.size() == 1, "the event after the binary frame");
    assertThat(source.status().skipped()).containsEntry(SkipReason.BINARY, 1L);
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void serverClose_reconnectsAndSubscribesAgain() {
    start(stackExchange(Duration.ofMinutes(5)));
    awaitLive(1);

    server.closeAll();

    awaitLive(2);
    assertThat(statuses)
        .extracting(SourceStatus::state)
        .containsExactly(State.CONNECTING, State.LIVE, State.RECONNECTING, State.CONNECTING, State.LIVE);
    SourceStatus reconnecting = statuses.get(2);
    assertThat(reconnecting.detail())
        .matches("reconnecting in \\d+ ms: connection closed by server \\(1000\\)");
    assertThat(source.status().reconnects()).isEqualTo(1);
  }

  @Test
  void deadSocket_onlyHeartbeats_isReplacedAfterSilenceTimeout() {
    server.heartbeatEvery(Duration.ofMillis(100), HEARTBEAT);
    start(stackExchange(Duration.ofMillis(500)));

    Poll.until(WAIT, () -> server.connections() >= 2 && subscriptions() >= 2, "a second connection");

    assertThat(source.status().heartbeats()).as("heartbeats kept arriving").isPositive();
    assertThat(statuses)
        .filteredOn(s -> s.state() == State.RECONNECTING)
        .first()
        .extracting(SourceStatus::detail)
        .asString()
        .endsWith(": no data for 500 ms");
  }

  @Test
  void dataFrames_keepTheWatchdogQuiet() throws IOException {
    start(stackExchange(Duration.ofMillis(500)));
    awaitLive(1);
    String question = samples().get(0);

    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
    int sent = 0;
    while (System.nanoTime() < deadline) {
      server.broadcast(question);
      sent++;
      int expected = sent;
      // Paced by the source's own progress, not by sleeping: one frame each 100 ms or so.
      Poll.until(WAIT, () -> events.size() == expected, "event " + expected);
      Poll.holds(Duration.ofMillis(100), () -> server.connections() == 1, "still one connection");
    }
    assertThat(server.connections()).isEqualTo(1);
    assertThat(source.status().reconnects()).isZero();
  }

  @Test
  void frameOverOneMebibyte_isSkippedWithoutReconnecting() throws IOException {
    start(stackExchange(Duration.ofMinutes(5)));
    awaitLive(1);

    server.broadcast("{\"action\":\"hb\",\"data\":\"" + "x".repeat(2 << 20) + "\"}");
    server.broadcast(samples().get(0));

    Poll.until(WAIT, () -> events.size() == 1, "the event after the big frame");
    assertThat(source.status().skipped()).containsEntry(SkipReason.TOO_LARGE, 1L);
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void frameBeyondTheWireLimit_countsTooLarge_andReconnects() {
    start(stackExchange(Duration.ofMinutes(5)));
    awaitLive(1);

    server.broadcast("x".repeat(WebSocketSource.MAX_WIRE_FRAME_BYTES + 1));

    awaitLive(2);
    assertThat(source.status().skipped()).containsEntry(SkipReason.TOO_LARGE, 1L);
    assertThat(statuses).filteredOn(s -> s.state() == State.RECONNECTING)
        .extracting(SourceStatus::detail).singleElement().asString().endsWith(": frame too large");
  }

  @Test
  void refusedConnection_keepsRetrying_withReasonInStatus() {
    int port = server.uri().getPort();
    server.close();
    start(StackExchangeFeed.spec("se", URI.create("ws://127.0.0.1:" + port + "/"), Duration.ofMinutes(5)));

    Poll.until(WAIT, () -> source.status().reconnects() >= 2, "two retries");
    assertThat(source.status().state()).isIn(State.RECONNECTING, State.CONNECTING);
    Poll.until(
        WAIT,
        () -> source.status().detail().matches("reconnecting in \\d+ ms: connect failed: connection refused"),
        "reason shown");
  }

  @Test
  void close_whileWaitingToReconnect_cancelsTheReconnect() {
    start(stackExchange(Duration.ofMinutes(5)),
        loops.context(7, Duration.ofMillis(400), Duration.ofMillis(400)));
    awaitLive(1);
    server.closeAll();
    Poll.until(WAIT, () -> source.status().state() == State.RECONNECTING, "reconnecting");

    source.close();

    assertThat(source.status().state()).isEqualTo(State.CLOSED);
    Poll.holds(Duration.ofMillis(800), () -> server.connections() == 1, "no new connection after close");
    assertThat(statuses.get(statuses.size() - 1).state()).isEqualTo(State.CLOSED);
  }

  @Test
  void close_ofLiveSource_disconnects_andLeavesTheSharedGroupRunning() throws Exception {
    start(stackExchange(Duration.ofMinutes(5)));
    awaitLive(1);

    source.close();
    source.close(); // idempotent

    assertThat(source.status().state()).isEqualTo(State.CLOSED);
    Poll.until(WAIT, () -> server.connected() == 0, "server sees the client gone");
    Poll.holds(Duration.ofMillis(300), () -> server.connections() == 1, "no reconnect after close");
    assertThat(loops.group().isShuttingDown()).as("the group belongs to the caller").isFalse();
    assertThat(loops.group().submit(() -> 42).get(5, TimeUnit.SECONDS)).isEqualTo(42);
  }

  @Test
  void sourcesOpen_buildsTheWebSocketSource() {
    Source opened = Sources.open(stackExchange(Duration.ofMinutes(5)),
        loops.context(7, Duration.ofMillis(20), Duration.ofMillis(50)));
    try {
      assertThat(opened).isInstanceOf(WebSocketSource.class);
      opened.start(events::add);
      Poll.until(WAIT, () -> opened.status().state() == State.LIVE && subscriptions() == 1, "live");
    } finally {
      opened.close();
    }
  }
}
