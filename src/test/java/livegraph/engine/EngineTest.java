package livegraph.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import livegraph.dashboard.DashboardException;
import livegraph.dashboard.DashboardLoader;
import livegraph.dashboard.HelloJson;
import org.junit.jupiter.api.Test;

/** The engine's API on the JVM: what the page may rely on besides the charts themselves. */
class EngineTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long T0 = 1_700_000_000_000L;

  private static final String DASHBOARD = """
      title: Test
      name: test
      sources:
        ws:
          websocket:
            url: ws://127.0.0.1:9/feed
            subscribe: [hello, '{"op":"sub"}']
            heartbeat: {match: {type: ping}, reply: pong}
            silence: 30s
          accept: {kind: a}
        feed:
          sse: {url: "http://127.0.0.1:9/events", events: [order, refund], silence: 1m}
        logs: {stdin: {}}
        broker:
          mqtt: {broker: "tcp://127.0.0.1:1883", topics: ["s/#"]}
      charts:
        - {id: levels, title: Levels, type: bar, by: level, windows: [1m, all]}
        - {id: latest, title: Latest, type: list, fields: [level, "@event", "@id"], size: 3}
      """;

  private final Engine engine = new Engine(new Random(1));

  private static JsonNode tree(String json) throws Exception {
    return JSON.readTree(json);
  }

  @Test
  void open_answersTheHellosDashboardObject() throws Exception {
    String hello = engine.open(DASHBOARD, "test.yaml", T0);

    assertThat(hello).isEqualTo(new String(
        HelloJson.dashboard(DashboardLoader.parse(DASHBOARD, "test.yaml")), StandardCharsets.UTF_8));
    assertThat(tree(hello).path("charts").get(0).path("id").asText()).isEqualTo("levels");
  }

  @Test
  void open_aFileWithProblems_listsThem_andKeepsTheOpenDashboard() throws Exception {
    engine.open(DASHBOARD, "test.yaml", T0);

    assertThatThrownBy(() -> engine.open("title: x\ncharts: 5\n", "bad.yaml", T0))
        .isInstanceOf(DashboardException.class)
        .hasMessageContaining("bad.yaml:1:1: missing required key 'sources'")
        .hasMessageContaining("bad.yaml:2:9:");
    assertThat(engine.frame("ws", "{\"kind\":\"a\",\"level\":\"x\"}", T0)).isEqualTo("event");
  }

  @Test
  void everyCall_beforeOpen_saysToOpenFirst() {
    assertThatThrownBy(engine::snapshot).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("open()");
    assertThatThrownBy(() -> engine.frame("ws", "{}", T0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> engine.tick(T0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void sources_sayWhatAPageCanRead_andHow() throws Exception {
    engine.open(DASHBOARD, "test.yaml", T0);

    assertThat(tree(engine.sources())).isEqualTo(tree("""
        [{"name":"ws","kind":"websocket","description":"127.0.0.1:9",
          "subscribe":["hello","{\\"op\\":\\"sub\\"}"],"events":[],"url":"ws://127.0.0.1:9/feed",
          "heartbeatReply":"pong","silenceMillis":30000,"browser":true},
         {"name":"feed","kind":"sse","description":"127.0.0.1:9/events","subscribe":[],
          "events":["order","refund"],"url":"http://127.0.0.1:9/events","heartbeatReply":null,
          "silenceMillis":60000,"browser":true},
         {"name":"logs","kind":"stdin","description":"standard input","subscribe":[],"events":[],
          "url":null,"heartbeatReply":null,"silenceMillis":null,"browser":false},
         {"name":"broker","kind":"mqtt","description":"MQTT 127.0.0.1:1883 s/#","subscribe":[],
          "events":[],"url":null,"heartbeatReply":null,"silenceMillis":null,"browser":false}]
        """));
  }

  @Test
  void frame_saysEventHeartbeatOrWhySkipped() throws Exception {
    engine.open(DASHBOARD, "test.yaml", T0);

    assertThat(engine.frame("ws", "{\"kind\":\"a\",\"level\":\"warn\"}", T0)).isEqualTo("event");
    assertThat(engine.frame("ws", "{\"type\":\"ping\"}", T0)).isEqualTo("heartbeat");
    assertThat(engine.frame("ws", "{\"kind\":\"b\"}", T0)).isEqualTo("skipped:OTHER_CHANNEL");
    assertThat(engine.frame("ws", "nope", T0)).isEqualTo("skipped:NOT_JSON");
    assertThat(engine.frame("ws", "{\"kind\":\"a\",\"x\":\"" + "é".repeat(600_000) + "\"}", T0))
        .as("over 1 MiB of UTF-8, as the wire measures a frame").isEqualTo("skipped:TOO_LARGE");
    assertThat(tree(engine.counters())).isEqualTo(tree("""
        {"events":1,"skipped":{"NOT_JSON":1,"OTHER_CHANNEL":1,"TOO_LARGE":1},"heartbeats":1,
         "late":0,"dropped":0}
        """));
  }

  @Test
  void frame_ofASourceNoPageCanRead_orNoSource_isRefusedByName() throws Exception {
    engine.open(DASHBOARD, "test.yaml", T0);

    assertThatThrownBy(() -> engine.frame("logs", "{}", T0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logs is stdin");
    assertThatThrownBy(() -> engine.frame("nope", "{}", T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no source named nope").hasMessageContaining("[ws, feed, logs, broker]");
    assertThatThrownBy(() -> engine.sseEvent("ws", "order", "{}", "", T0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use frame()");
  }

  @Test
  void sseEvent_filtersByType_andCarriesTypeAndId() throws Exception {
    engine.open(DASHBOARD, "test.yaml", T0);

    assertThat(engine.sseEvent("feed", "audit", "{\"level\":\"x\"}", "1", T0))
        .isEqualTo("skipped:OTHER_CHANNEL");
    assertThat(engine.sseEvent("feed", "order", "{\"level\":\"x\"}", "2", T0)).isEqualTo("event");
    assertThat(engine.frame("feed", "{\"level\":\"y\"}", T0))
        .as("a frame of an SSE source is an unnamed event: type message").isEqualTo("skipped:OTHER_CHANNEL");
    JsonNode latest = tree(engine.tick(T0 + 1)).path("latest").path("items").get(0);
    assertThat(latest.path("@event").asText()).isEqualTo("order");
    assertThat(latest.path("@id").asText()).isEqualTo("2");
  }

  @Test
  void tick_answersTheChangedCharts_orNullWhenNoneChanged() throws Exception {
    engine.open(DASHBOARD, "test.yaml", T0);
    assertThat(engine.tick(T0 + 100)).isNull();

    engine.frame("ws", "{\"kind\":\"a\",\"level\":\"warn\"}", T0 + 200);
    JsonNode changed = tree(engine.tick(T0 + 300));

    assertThat(changed.fieldNames()).toIterable().containsExactly("levels", "latest");
    assertThat(changed.at("/levels/windows/1m/x/0").asText()).isEqualTo("warn");
    assertThat(engine.tick(T0 + 400)).isNull();
    assertThat(tree(engine.snapshot())).isEqualTo(changed);
    JsonNode expired = tree(engine.tick(T0 + 120_000));
    assertThat(expired.fieldNames()).toIterable().containsExactly("levels");
    assertThat(expired.at("/levels/windows/1m/x").size()).isZero();
  }

  @Test
  void intake_holdsTenThousandEventsBetweenTicks_theRestAreDropped() throws Exception {
    engine.open(DASHBOARD, "test.yaml", T0);

    for (int i = 0; i < 10_003; i++) {
      assertThat(engine.frame("ws", "{\"kind\":\"a\",\"level\":\"x\"}", T0)).isEqualTo("event");
    }
    engine.tick(T0 + 1);

    JsonNode counters = tree(engine.counters());
    assertThat(counters.path("events").asLong()).isEqualTo(10_000);
    assertThat(counters.path("dropped").asLong()).isEqualTo(3);
    assertThat(tree(engine.snapshot()).at("/levels/windows/all/columns/0/0").asLong()).isEqualTo(10_000);
  }

  @Test
  void openAgain_replacesTheDashboard_withEmptyChartsAndCounters() throws Exception {
    engine.open(DASHBOARD, "test.yaml", T0);
    engine.frame("ws", "{\"kind\":\"a\",\"level\":\"warn\"}", T0);
    engine.tick(T0 + 1);

    engine.open(DASHBOARD.replace("title: Test", "title: Again"), "again.yaml", T0 + 2);

    assertThat(tree(engine.counters()).path("events").asLong()).isZero();
    assertThat(tree(engine.snapshot()).at("/levels/windows/all/x").size()).isZero();
  }

  @Test
  void lateEvents_areCounted() throws Exception {
    engine.open(DASHBOARD.replace("accept: {kind: a}", "accept: {kind: a}\n    time: ts"),
        "test.yaml", T0);

    engine.frame("ws", "{\"kind\":\"a\",\"level\":\"x\",\"ts\":" + (T0 - 3_600_000) + "}", T0);
    engine.tick(T0 + 1);

    assertThat(tree(engine.counters()).path("late").asLong()).isEqualTo(1);
  }

  @Test
  void backoffMillis_isTheServersDelayForThatAttempt() {
    for (int i = 0; i < 100; i++) {
      assertThat(engine.backoffMillis(0)).isBetween(500L, 1000L);
      assertThat(engine.backoffMillis(3)).isBetween(4000L, 8000L);
      assertThat(engine.backoffMillis(40)).isBetween(15_000L, 30_000L);
    }
    assertThatThrownBy(() -> engine.backoffMillis(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
