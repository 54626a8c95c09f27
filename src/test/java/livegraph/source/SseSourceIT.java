package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import livegraph.pipeline.Event;
import livegraph.source.SourceStatus.State;
import livegraph.source.SseTestServer.Answer;
import livegraph.testing.Poll;
import livegraph.testing.Resources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SSE source against a real HTTP server (the JDK's) on loopback. */
class SseSourceIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension static final EventLoops loops = new EventLoops(1, "sse-it");

  private SseTestServer server;
  private SseSource source;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<SourceStatus> statuses = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = new SseTestServer();
  }

  @AfterEach
  void stopAll() throws Exception {
    Resources.closeAll(source, server);
  }

  private SseSpec spec(Set<String> types, Duration silence) {
    return new SseSpec("ticks", server.uri("/events?since=now"), types, silence,
        new Decoding(Map.of(), null, "ts",
            List.of(Decoding.Extract.of("px"), Decoding.Extract.of("@event"), Decoding.Extract.of("@id"))));
  }

  private void start(SseSpec spec, SourceContext context) {
    source = new SseSource(spec, context, statuses::add);
    source.start(events::add);
  }

  private void start(SseSpec spec) {
    start(spec, loops.context(3, Duration.ofMillis(20), Duration.ofMillis(50)));
  }

  private void awaitStreams(int n) {
    Poll.until(WAIT, () -> server.streams() == n && source.status().state() == State.LIVE,
        "stream " + n + " open and live");
  }

  private List<String> details(State state) {
    return statuses.stream().filter(s -> s.state() == state).map(SourceStatus::detail).toList();
  }

  @Test
  void events_arriveDecoded_withTypeIdAndSource() {
    start(spec(Set.of(), Duration.ofMinutes(5)));
    awaitStreams(1);
    assertThat(server.requests()).singleElement().satisfies(r -> {
      assertThat(r.target()).isEqualTo("/events?since=now");
      assertThat(r.accept()).isEqualTo("text/event-stream");
      assertThat(r.lastEventId()).isNull();
    });
    assertThat(source.status().detail()).isEqualTo("streaming 127.0.0.1:" + server.port() + "/events");

    server.send("id: 1\nevent: tick\ndata: {\"px\":1.5,\"ts\":1700000000}\n\n");
    server.send("data: {\"px\":2,\n");
    server.send("data: \"ts\":\"2023-11-14T22:13:21Z\"}\n\n");

    Poll.until(WAIT, () -> events.size() == 2, "two events");
    assertThat(events).containsExactly(
        new Event(1_700_000_000_000L, Map.of("px", 1.5, "@event", "tick", "@id", "1", "@source", "ticks")),
        new Event(1_700_000_001_000L, Map.of("px", 2L, "@event", "message", "@id", "1", "@source", "ticks")));
    assertThat(source.status().events()).isEqualTo(2);
  }

  @Test
  void serverEndsTheStream_sourceReconnectsWithLastEventId_andLaterEventsCount() {
    start(spec(Set.of(), Duration.ofMinutes(5)));
    awaitStreams(1);
    server.send("id: 41\ndata: {\"px\":1}\n\nid: 42\ndata: {\"px\":2}\n\n");
    Poll.until(WAIT, () -> events.size() == 2, "two events before the restart");

    server.endStream();

    awaitStreams(2);
    assertThat(server.requests()).extracting(SseTestServer.Request::lastEventId).containsExactly(null, "42");
    assertThat(details(State.RECONNECTING)).singleElement().asString()
        .matches("reconnecting in \\d+ ms: server ended the stream");
    assertThat(source.status().reconnects()).isEqualTo(1);

    server.send("data: {\"px\":3}\n\n");
    Poll.until(WAIT, () -> events.size() == 3, "the event after the reconnect");
    assertThat(events.get(2).fields()).containsEntry("px", 3L).containsEntry("@id", "42");
  }

  @Test
  void badJson_isCountedAsSkipped_andTheStreamGoesOn() {
    start(spec(Set.of(), Duration.ofMinutes(5)));
    awaitStreams(1);

    server.send("data: {oops\n\ndata: [1,2]\n\ndata: {\"px\":1,\"ts\":\"soon\"}\n\ndata: {\"px\":4}\n\n");

    Poll.until(WAIT, () -> events.size() == 1, "the good event");
    assertThat(source.status().skipped())
        .containsEntry(SkipReason.NOT_JSON, 1L)
        .containsEntry(SkipReason.WRONG_TYPE, 1L)
        .containsEntry(SkipReason.BAD_TIME, 1L);
    assertThat(server.streams()).isEqualTo(1);
  }

  @Test
  void onlyTheAskedEventTypes_areTaken() {
    start(spec(Set.of("tick"), Duration.ofMinutes(5)));
    awaitStreams(1);

    server.send("event: status\ndata: {\"px\":0}\n\nevent: tick\ndata: {\"px\":1}\n\ndata: {\"px\":2}\n\n");
    server.send("event: tick\ndata: {\"px\":3}\n\n");

    Poll.until(WAIT, () -> events.size() == 2, "two ticks");
    assertThat(events).extracting(e -> e.fields().get("px")).containsExactly(1L, 3L);
    assertThat(source.status().skipped()).containsEntry(SkipReason.OTHER_CHANNEL, 2L);
  }

  @Test
  void httpError_thenStream_reconnectsWithTheStatusShown() {
    server.answerNext(new Answer(503, "text/plain"), new Answer(200, "text/html"));
    start(spec(Set.of(), Duration.ofMinutes(5)));

    awaitStreams(1);
    assertThat(details(State.RECONNECTING)).hasSize(2);
    assertThat(details(State.RECONNECTING).get(0)).matches("reconnecting in \\d+ ms: HTTP 503 Service Unavailable");
    assertThat(details(State.RECONNECTING).get(1))
        .matches("reconnecting in \\d+ ms: not an event stream \\(Content-Type: text/html\\)");
    assertThat(source.status().reconnects()).isEqualTo(2);

    server.send("data: {\"px\":1}\n\n");
    Poll.until(WAIT, () -> events.size() == 1, "an event once streaming");
  }

  @Test
  void noContent_stopsTheSource_forGood() {
    server.answerNext(new Answer(204, null));
    start(spec(Set.of(), Duration.ofMinutes(5)));

    Poll.until(WAIT, () -> source.status().state() == State.CLOSED, "closed by the server");
    assertThat(source.status().detail()).isEqualTo("server asked not to reconnect (HTTP 204)");
    Poll.holds(Duration.ofMillis(300), () -> server.requests().size() == 1, "no reconnect");
    assertThat(source.status().reconnects()).isZero();
  }

  @Test
  void retry_setsTheReconnectDelay_boundedByTheBackoffCap() {
    start(spec(Set.of(), Duration.ofMinutes(5)),
        loops.context(3, Duration.ofMillis(20), Duration.ofMillis(400)));
    awaitStreams(1);
    server.send("retry: 150\ndata: {\"px\":1}\n\n");
    Poll.until(WAIT, () -> events.size() == 1, "an event");
    server.endStream();
    awaitStreams(2);

    server.send("retry: 60000\ndata: {\"px\":2}\n\n");
    Poll.until(WAIT, () -> events.size() == 2, "an event on the second stream");
    server.endStream();
    awaitStreams(3);

    assertThat(details(State.RECONNECTING)).containsExactly(
        "reconnecting in 150 ms: server ended the stream",
        "reconnecting in 400 ms: server ended the stream");
  }

  @Test
  void commentsKeepTheStreamAlive_silenceReplacesIt() {
    start(spec(Set.of(), Duration.ofMillis(400)));
    awaitStreams(1);

    // Paced by what the source has seen, not by sleeping: a comment every ~100 ms for ~1 s.
    for (int i = 1; i <= 10; i++) {
      server.send(": keep-alive\n");
      int expected = i;
      Poll.until(WAIT, () -> source.status().heartbeats() == expected, "comment " + expected);
      Poll.holds(Duration.ofMillis(100), () -> server.streams() == 1, "still one stream");
    }
    assertThat(source.status().reconnects()).isZero();

    awaitStreams(2); // nothing more sent: the watchdog replaces the stream
    assertThat(details(State.RECONNECTING)).first().asString()
        .endsWith(": nothing received for 400 ms");
  }

  @Test
  void refusedConnection_keepsRetrying_withReasonInStatus() {
    int port = server.port();
    server.close();
    start(new SseSpec("ticks", URI.create("http://127.0.0.1:" + port + "/"), Set.of(),
        Duration.ofMinutes(5), Decoding.fields("px")));

    Poll.until(WAIT, () -> source.status().reconnects() >= 2, "two retries");
    Poll.until(WAIT,
        () -> source.status().detail().matches("reconnecting in \\d+ ms: connect failed: connection refused"),
        "reason shown");
  }

  @Test
  void close_disconnects_andNothingReconnects() {
    start(spec(Set.of(), Duration.ofMinutes(5)));
    awaitStreams(1);

    source.close();
    source.close(); // idempotent

    assertThat(source.status().state()).isEqualTo(State.CLOSED);
    assertThat(source.status().detail()).isEqualTo("closed");
    Poll.holds(Duration.ofMillis(300), () -> server.requests().size() == 1, "no reconnect after close");
  }

  @Test
  void sourcesOpen_buildsTheSseSource() {
    Source opened = Sources.open(spec(Set.of(), Duration.ofMinutes(5)),
        loops.context(3, Duration.ofMillis(20), Duration.ofMillis(50)));
    try {
      assertThat(opened).isInstanceOf(SseSource.class);
      opened.start(events::add);
      Poll.until(WAIT, () -> opened.status().state() == State.LIVE, "live");
      server.send("data: {\"px\":9}\n\n");
      Poll.until(WAIT, () -> events.size() == 1, "an event");
    } finally {
      opened.close();
    }
  }
}
