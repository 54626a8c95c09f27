package livegraph;

import static livegraph.testing.PublishedMessages.Measure.AVG;
import static livegraph.testing.PublishedMessages.Measure.COUNT;
import static livegraph.testing.PublishedMessages.Measure.MAX;
import static livegraph.testing.PublishedMessages.Measure.SUM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Predicate;
import livegraph.testing.BrokerProcess;
import livegraph.testing.ChartStates;
import livegraph.testing.MosquittoBroker;
import livegraph.testing.NatsBroker;
import livegraph.testing.Poll;
import livegraph.testing.PublishedMessages;
import livegraph.testing.PublishedMessages.Message;
import livegraph.testing.Publishers;
import livegraph.testing.RedisBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dashboard file with an MQTT, a NATS and a Redis source, served by a real livegraph reading
 * real Mosquitto, nats-server and redis-server processes on loopback: the charts a viewer reads
 * over {@code /ws} equal an oracle computed from the messages published, also after every
 * broker was killed and started again.
 *
 * <p>Messages are published only once every source is live (its subscription acknowledged), so
 * each one must be counted. Messages that no subscription matches, and one that is not JSON per
 * source, are published too and must not be counted.
 */
class BrokerDashboardIT {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALL = "all"; // the one window of every keyed chart here
  private static final List<String> SOURCES = List.of("mq", "nt", "rd");

  private static MosquittoBroker mosquitto;
  private static NatsBroker nats;
  private static RedisBroker redis;

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final PublishedMessages sent = new PublishedMessages();
  private final SplittableRandom random = new SplittableRandom(20240603);
  private String prefix; // keeps runs apart, also on shared brokers
  private long serial; // n of the next message
  private Livegraph livegraph;
  private ChartStates viewer;
  private Publishers publish;

  @BeforeAll
  static void startBrokers() {
    mosquitto = new MosquittoBroker();
    nats = new NatsBroker();
    redis = new RedisBroker();
  }

  @AfterAll
  static void stopBrokers() {
    for (BrokerProcess broker : new BrokerProcess[] {mosquitto, nats, redis}) {
      if (broker != null) {
        broker.close();
      }
    }
  }

  @BeforeEach
  void serveTheDashboard() throws Exception {
    prefix = "lg" + UUID.randomUUID().toString().substring(0, 8);
    Path file = dir.resolve("brokers.yaml");
    Files.writeString(file, dashboard());
    livegraph = Livegraph.create(Livegraph.Config.defaults().withFiles(List.of(file))).start(0);
    awaitSources("every source live", s -> s.path("state").asText().equals("live"));
    viewer = ChartStates.connect(URI.create("ws://127.0.0.1:" + livegraph.port() + "/ws"),
        "http://127.0.0.1:" + livegraph.port(), WAIT);
    publish = new Publishers(mosquitto, nats, redis);
  }

  @AfterEach
  void close() {
    if (publish != null) {
      publish.close();
    }
    if (viewer != null) {
      viewer.close();
    }
    if (livegraph != null) {
      livegraph.close();
    }
    // A restart test that failed half-way must not leave a broker down for the next test.
    for (BrokerProcess broker : List.of(mosquitto, nats, redis)) {
      if (broker.ownProcess()) {
        broker.start();
      }
    }
  }

  /**
   * Three sources, one per broker, each with a wildcard; charts of every kind the brokers' meta
   * fields feed. Redis messages carry their value nested, under an alias.
   */
  private String dashboard() {
    return String.join("\n",
        "title: Broker messages",
        "name: brokers",
        "sources:",
        "  mq:",
        "    mqtt: {broker: 'tcp://127.0.0.1:" + mosquitto.port() + "', topics: ['" + prefix
            + "/+/reading'], qos: 1, version: 5}",
        "  nt:",
        "    nats: {server: 'nats://127.0.0.1:" + nats.port() + "', subjects: ['" + prefix + ".>']}",
        "  rd:",
        "    redis: {server: 'redis://127.0.0.1:" + redis.port() + "', patterns: ['" + prefix
            + ":*']}",
        "    fields: {value: m.v}",
        "charts:",
        "  - {id: by-source, title: Messages by source, type: bar, by: '@source', windows: [all]}",
        "  - {id: sum-by-topic, title: Sum by topic, type: bar, source: mq, by: '@topic',",
        "     measure: sum(value), windows: [all]}",
        "  - {id: subjects, title: Messages by subject, type: pie, source: nt, by: '@subject',",
        "     windows: [all]}",
        "  - {id: max-by-channel, title: Highest by channel, type: bar, source: rd,",
        "     by: '@channel', measure: max(value), windows: [all]}",
        "  - id: levels",
        "    title: Levels",
        "    type: table",
        "    by: level",
        "    columns: [{label: Messages, measure: count}, {label: Mean, measure: avg(value)}]",
        "    windows: [all]",
        "  - {id: median, title: Median value, type: number, measure: p50(value), window: all}",
        "  - {id: mean, title: Mean value, type: number, measure: avg(value), window: all}",
        "  - {id: problems, title: Warnings and errors, type: number, measure: count,",
        "     where: {level: [warn, error]}, window: all}",
        "  - {id: latest, title: Latest NATS messages, type: list, source: nt, size: 4,",
        "     fields: [n, '@subject', value]}",
        "");
  }

  @Test
  void chartsReadOverWs_equalTheOracle_ofTheMessagesPublished() throws Exception {
    List<String> kinds = new ArrayList<>();
    viewer.hello().path("dashboard").path("charts").forEach(c -> kinds.add(c.path("kind").asText()));
    assertThat(kinds).containsExactly("bar", "bar", "pie", "bar", "table", "number", "number",
        "number", "list");

    publishUnmatchedAndBad();
    publishBatch(12);

    awaitChartsEqualTheOracle();
    JsonNode sources = health().path("dashboards").get(0).path("sources");
    for (String source : SOURCES) {
      JsonNode s = sources.path(source);
      assertThat(s.path("events").asLong()).as(source + " events")
          .isEqualTo(sent.of(source).size());
      assertThat(s.path("skipped").path("not_json").asLong()).as(source + " skipped").isEqualTo(1);
      assertThat(s.path("dropped").asLong()).as(source + " dropped").isZero();
    }
  }

  @Test
  void everyBrokerRestarted_itsSourceReconnects_andLaterMessagesAreCounted() throws Exception {
    for (BrokerProcess broker : List.of(mosquitto, nats, redis)) {
      assumeTrue(broker.ownProcess(), broker::whyNoRestart);
    }
    publishBatch(8);
    awaitChartsEqualTheOracle();
    Map<String, Long> reconnects = new LinkedHashMap<>();
    JsonNode before = health().path("dashboards").get(0).path("sources");
    SOURCES.forEach(s -> reconnects.put(s, before.path(s).path("reconnects").asLong()));

    publish.close(); // their connections die with the brokers
    mosquitto.stop();
    nats.stop();
    redis.stop();
    awaitSources("every source to notice its broker is gone",
        s -> s.path("state").asText().equals("reconnecting"));
    mosquitto.start();
    nats.start();
    redis.start();
    awaitSources("every source live again after a reconnect", s ->
        s.path("state").asText().equals("live")
            && s.path("reconnects").asLong() > reconnects.get(s.path("name").asText()));

    publishBatch(8);
    awaitChartsEqualTheOracle();
    JsonNode after = health().path("dashboards").get(0).path("sources");
    for (String source : SOURCES) {
      assertThat(after.path(source).path("events").asLong()).as(source + " events")
          .isEqualTo(sent.of(source).size());
    }
    assertThat(sent.all()).hasSize(48);
  }

  /** {@code count} messages per source, with random levels and values. */
  private void publishBatch(int count) {
    String[] rooms = {"kitchen", "garage", "attic"};
    String[] subjects = {"orders.eu", "orders.us", "refunds"};
    String[] channels = {"web", "db"};
    for (int i = 0; i < count; i++) {
      // An MQTT message without a value: counted, but left out of every measure of the value.
      Message m = message("mq", prefix + "/" + rooms[i % 3] + "/reading", i == 3 ? null : value());
      publish.mqtt(m.origin(), m.json(false));
      // A NATS value in a string: measures read it as the number.
      Message s = message("nt", prefix + "." + subjects[i % 3],
          i == 2 ? Double.toString(value()) : value());
      publish.nats(s.origin(), s.json(false));
      Message r = message("rd", prefix + ":" + channels[i % 2], value());
      assertThat(publish.redis(r.origin(), r.json(true))).as("redis subscribers").isEqualTo(1);
    }
  }

  /** Messages no subscription matches, and one per source that is not JSON (skipped). */
  private void publishUnmatchedAndBad() {
    String unmatched = "{\"n\":-1,\"level\":\"error\",\"value\":1}";
    publish.mqtt(prefix + "/kitchen/status", unmatched);
    publish.mqtt(prefix + "/kitchen/oven/reading", unmatched); // '+' is one level
    publish.mqtt(prefix + "/kitchen/reading", "not json");
    publish.nats(prefix, unmatched); // '>' needs one more token
    publish.nats(prefix + ".orders.eu", "not json");
    assertThat(publish.redis("x" + prefix + ":web", unmatched)).isZero();
    assertThat(publish.redis(prefix + ":web", "not json")).isEqualTo(1);
  }

  private Message message(String source, String origin, Object value) {
    Message m = new Message(source, origin, serial++, pickLevel(), value);
    sent.add(m);
    return m;
  }

  private String pickLevel() {
    int r = random.nextInt(10);
    return r < 6 ? "info" : r < 9 ? "warn" : "error";
  }

  /** A multiple of 1/4 in (0, 1000): sums of these are exact in any order. */
  private double value() {
    return (1 + random.nextInt(3996)) / 4.0;
  }

  /** Waits until every chart a viewer holds equals the oracle; on timeout, shows the difference. */
  private void awaitChartsEqualTheOracle() throws InterruptedException {
    if (viewer.tryAwait(WAIT, this::chartsEqualTheOracle)) {
      return;
    }
    Predicate<Message> any = m -> true;
    assertThat(viewer.keyed("by-source", ALL)).as("by-source")
        .isEqualTo(sent.keyed(any, Message::source, COUNT));
    assertThat(viewer.keyed("sum-by-topic", ALL)).as("sum-by-topic")
        .isEqualTo(sent.keyed(from("mq"), Message::origin, SUM));
    assertThat(viewer.keyed("subjects", ALL)).as("subjects")
        .isEqualTo(sent.keyed(from("nt"), Message::origin, COUNT));
    assertThat(viewer.keyed("max-by-channel", ALL)).as("max-by-channel")
        .isEqualTo(sent.keyed(from("rd"), Message::origin, MAX));
    assertThat(viewer.keyed("levels", ALL)).as("levels")
        .isEqualTo(sent.keyed(any, Message::level, COUNT, AVG));
    assertThat(viewer.number("mean")).as("mean").isEqualTo(sent.value(any, AVG));
    assertThat(viewer.number("problems")).as("problems").isEqualTo(sent.value(problem(), COUNT));
    assertThat(viewer.items("latest", "n", "@subject", "value")).as("latest").isEqualTo(latest());
    assertThat(medianWithinBound()).as("median " + viewer.number("median") + " within 1% of "
        + sent.quantile(any, 0.5)).isTrue();
    throw new AssertionError("charts differ from the oracle but every check passed: a race?");
  }

  private boolean chartsEqualTheOracle() {
    Predicate<Message> any = m -> true;
    return viewer.keyed("by-source", ALL).equals(sent.keyed(any, Message::source, COUNT))
        && viewer.keyed("sum-by-topic", ALL).equals(sent.keyed(from("mq"), Message::origin, SUM))
        && viewer.keyed("subjects", ALL).equals(sent.keyed(from("nt"), Message::origin, COUNT))
        && viewer.keyed("max-by-channel", ALL).equals(sent.keyed(from("rd"), Message::origin, MAX))
        && viewer.keyed("levels", ALL).equals(sent.keyed(any, Message::level, COUNT, AVG))
        && sent.value(any, AVG).equals(viewer.number("mean"))
        && sent.value(problem(), COUNT).equals(viewer.number("problems"))
        && viewer.items("latest", "n", "@subject", "value").equals(latest())
        && medianWithinBound();
  }

  /** p50 is a DDSketch estimate: within 1% (relative) of the exact value of its rank. */
  private boolean medianWithinBound() {
    Double shown = viewer.number("median");
    double exact = sent.quantile(m -> true, 0.5);
    return shown != null && Math.abs(shown - exact) <= 0.01 * Math.abs(exact) + 1e-9;
  }

  /** The list chart: the last four NATS messages, newest first. */
  private List<List<Object>> latest() {
    List<Message> nt = sent.of("nt");
    List<List<Object>> items = new ArrayList<>();
    for (int i = nt.size() - 1; i >= Math.max(0, nt.size() - 4); i--) {
      Message m = nt.get(i);
      items.add(Arrays.asList((double) m.n(), m.origin(), m.value()));
    }
    return items;
  }

  private static Predicate<Message> from(String source) {
    return m -> m.source().equals(source);
  }

  private static Predicate<Message> problem() {
    return m -> Set.of("warn", "error").contains(m.level());
  }

  /** Polls /healthz until every source of the dashboard passes {@code test} (given its name). */
  private void awaitSources(String what, Predicate<JsonNode> test) {
    JsonNode[] last = new JsonNode[1];
    try {
      Poll.until(WAIT, () -> {
      JsonNode sources = health().path("dashboards").get(0).path("sources");
      last[0] = sources;
      for (String name : SOURCES) {
        JsonNode s = sources.path(name).deepCopy();
        if (!s.isObject()) {
          return false;
        }
        ((ObjectNode) s).put("name", name);
        if (!test.test(s)) {
          return false;
        }
      }
      return true;
      }, what);
    } catch (AssertionError timedOut) {
      throw new AssertionError(timedOut.getMessage() + "; last /healthz sources: " + last[0]);
    }
  }

  private JsonNode health() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + livegraph.port() + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
