package livegraph.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import livegraph.emulator.SimulatedFeed;
import livegraph.emulator.StackExchangeEmulator;
import livegraph.testing.ChartStates;
import livegraph.testing.JarProcess;
import livegraph.testing.Poll;
import livegraph.testing.PrometheusText;
import livegraph.testing.RedisBroker;
import livegraph.testing.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three {@code livegraph serve --cluster} processes (the packaged jar, as a user runs it) on one
 * real redis-server of our own, ingesting a StackExchange emulator that re-sends its recent
 * frames to a new subscriber (as a failover needs; a real feed loses what it sends to nobody).
 *
 * <p>The oracle is every data frame the emulator generated: one event per (site, question id,
 * lastActivityDate). The tests run in order on one cluster, each leaving it whole for the next:
 * identical charts; {@code kill -9} of the leader; a Redis restart that loses all its data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterProcessIT {

  private static final Duration WAIT = Duration.ofSeconds(60); // a loaded 2-core CI machine
  private static final Duration TTL = Duration.ofSeconds(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  private RedisBroker redis;
  private StackExchangeEmulator emulator;
  private final List<String> generated = new CopyOnWriteArrayList<>();
  private final String prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
  private Path dashboard;
  private final List<Node> nodes = new ArrayList<>();

  /** One node: its process and a viewer of its dashboard. */
  private static final class Node {
    final String id;
    final JarProcess process;
    ChartStates viewer;

    Node(String id, JarProcess process) {
      this.id = id;
      this.process = process;
    }

    JsonNode cluster() {
      return process.getJson("/healthz").path("cluster");
    }
  }

  @BeforeAll
  void startCluster() throws Exception {
    redis = new RedisBroker();
    assumeTrue(redis.ownProcess(), redis::whyNoRestart);
    emulator = StackExchangeEmulator.builder()
        .feed(SimulatedFeed.create(40, 11))
        .resendRecent(Duration.ofMinutes(10), 100_000)
        .onDataFrame(generated::add)
        .heartbeatInterval(Duration.ofSeconds(5))
        .start(0);
    emulator.generationPaused(true);
    dashboard = Files.createTempDirectory("cluster-it").resolve("activity.yaml");
    Files.writeString(dashboard, String.join("\n",
        "title: Cluster activity",
        "name: activity",
        "sources:",
        "  se:",
        "    websocket:",
        "      url: " + emulator.uri(),
        "      subscribe: [155-questions-active]",
        "      heartbeat: {match: {action: hb}, reply: hb}",
        "    accept: {action: 155-questions-active}",
        "    payload: /data",
        "    fields: {site: /apiSiteParameter, id: /id, at: /lastActivityDate}",
        "    identity: [site, id, at]",
        "charts:",
        "  - {id: sites, title: Questions by site, type: bar, by: site, windows: [all],"
            + " top: 1000, maxKeys: 5000}",
        "  - {id: total, title: Questions, type: number, measure: count, window: all}",
        ""));
    for (String id : List.of("n1", "n2", "n3")) {
      nodes.add(start(id));
    }
    for (Node node : nodes) {
      Poll.until(WAIT, () -> node.cluster().path("state").asText().equals("live"),
          node.id + " live");
      node.viewer = ChartStates.connect(socket(node), origin(node), WAIT);
    }
  }

  @AfterAll
  void stopCluster() throws Exception {
    List<AutoCloseable> all = new ArrayList<>();
    for (Node node : nodes) {
      all.add(node.viewer);
      all.add(() -> {
        if (node.process.alive()) {
          node.process.kill();
        }
      });
    }
    all.add(emulator);
    all.add(redis);
    Resources.closeAll(all.toArray(new AutoCloseable[0]));
  }

  @Test
  @Order(1)
  void everyViewerOnEveryNode_seesTheSameCharts_equalToTheOracle() throws Exception {
    Node leader = leader();
    assertThat(nodes.stream().filter(n -> n.cluster().path("role").asText().equals("leader")))
        .as("exactly one leader").hasSize(1);

    generate(120);
    awaitOracle(nodes);

    assertIdenticalWhereTheyMeet(nodes);
    for (Node node : nodes) {
      JsonNode c = node.cluster();
      assertThat(c.path("leader").asText()).as(node.id + " knows the leader").isEqualTo(leader.id);
      assertThat(c.path("events").asLong()).as(node.id + " events read").isEqualTo(oracleSize());
      assertThat(c.path("duplicates").asLong()).as(node.id + " duplicates").isZero();
      assertThat(node.process.getJson("/healthz").at("/dashboards/0/pipeline/eventsIn").asLong())
          .as(node.id + " pipeline events in").isEqualTo(oracleSize());
    }
    System.out.println("cluster: every node read the oracle's " + oracleSize() + " events");
    for (Node node : nodes) {
      PrometheusText metrics = PrometheusText.parse(node.process.getText("/metrics"));
      assertThat(metrics.sum("livegraph_cluster_leader")).as(node.id + " leader gauge")
          .isEqualTo(node == leader ? 1 : 0);
      assertThat(metrics.sum("livegraph_cluster_live")).as(node.id + " live gauge").isEqualTo(1);
      assertThat(metrics.sum("livegraph_cluster_events_read_total")).as(node.id + " events read")
          .isEqualTo(oracleSize());
    }
  }

  @Test
  @Order(2)
  void killNineOfTheLeader_aNewLeaderWithinTheTtl_nothingLostOrTwice_andItsViewerResumesElsewhere()
      throws Exception {
    Node leader = leader();
    long counted = oracleSize();
    // The feed runs on through the kill: the leader dies with events read and not yet written.
    emulator.generationPaused(false);
    leader.viewer.await(WAIT, "new events counted on the leader",
        () -> leader.viewer.chart("total").path("value").asLong() > counted + 40);

    long killedAt = System.nanoTime();
    leader.process.kill();
    List<Node> alive = new ArrayList<>(nodes);
    alive.remove(leader);
    Node[] next = new Node[1];
    Poll.until(WAIT, () -> {
      for (Node node : alive) {
        if (node.cluster().path("role").asText().equals("leader")) {
          next[0] = node;
          return true;
        }
      }
      return false;
    }, "a new leader");
    long takeoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
    System.out.println("cluster: new leader " + next[0].id + " " + takeoverMillis
        + " ms after kill -9 of " + leader.id + " (lease ttl " + TTL.toMillis() + " ms)");
    // The lease ends at most a ttl after the last renewal, and the others retry right at its
    // end (PTTL); the slack is the polling of /healthz and a loaded machine's scheduling.
    assertThat(takeoverMillis).as("takeover after kill -9").isLessThan(TTL.toMillis() + 1_000);

    // The dead leader's page moves to another node and resumes from its last seq there.
    Node other = alive.get(0);
    ChartStates moved = ChartStates.resume(socket(other), origin(other), leader.viewer, WAIT);
    leader.viewer.close();
    leader.viewer = moved;

    int more = generated.size() + 40;
    Poll.until(WAIT, () -> generated.size() >= more, "more frames after the takeover");
    emulator.generationPaused(true);
    List<ChartStates> viewers = new ArrayList<>();
    alive.forEach(n -> viewers.add(n.viewer));
    viewers.add(moved);
    awaitOracle(viewers);
    assertThat(moved.snapshots()).as("the moved page resumed with deltas, no snapshot").isZero();
    List<Node> withMoved = new ArrayList<>(alive);
    assertIdenticalWhereTheyMeet(withMoved);
    for (Node node : alive) {
      JsonNode c = node.cluster();
      assertThat(c.path("events").asLong()).as(node.id + " events read, each once")
          .isEqualTo(oracleSize());
      System.out.println("cluster: after the kill, " + node.id + " read " + c.path("events")
          + " events (oracle " + oracleSize() + "), dropped " + c.path("duplicates")
          + " duplicates; moved page: " + moved.snapshots() + " snapshots");
    }

    // The killed node comes back, catches up from the stream, and serves the same charts.
    Node back = start(leader.id);
    nodes.set(nodes.indexOf(leader), back);
    Poll.until(WAIT, () -> back.cluster().path("state").asText().equals("live"), "back live");
    back.viewer = ChartStates.connect(socket(back), origin(back), WAIT);
    // Live means caught up: its very first snapshot holds every event, with nothing to wait for.
    assertThat(bySite(back.viewer)).as("the restarted node's first snapshot").isEqualTo(oracle());
    assertThat(back.cluster().path("events").asLong()).isEqualTo(oracleSize());
  }

  @Test
  @Order(3)
  void aRedisRestartThatLosesItsData_isSurvived_andTheChartsStillEqualTheOracle()
      throws Exception {
    redis.stop();
    Poll.until(WAIT, () -> nodes.stream().allMatch(
        n -> n.cluster().path("state").asText().equals("redis-unreachable")),
        "every node seeing Redis gone");
    for (Node node : nodes) {
      JsonNode health = node.process.getJson("/healthz");
      assertThat(health.path("status").asText()).isEqualTo("degraded");
      assertThat(health.path("cluster").path("detail").asText()).contains("unreachable");
    }
    for (Node node : nodes) {
      node.viewer.await(WAIT, node.id + "'s status bar saying Redis is unreachable",
          () -> node.viewer.status().at("/source/state").asText().equals("reconnecting")
              && node.viewer.status().at("/source/detail").asText().contains("unreachable"));
    }
    // Still serving the last state, to viewers that were there and to one that comes now.
    Node first = nodes.get(0);
    try (ChartStates late = ChartStates.connect(socket(first), origin(first), WAIT)) {
      assertThat(late.chart("total").path("value").asLong()).isEqualTo(oracleSize());
    }
    generate(60); // sent while Redis is down: nobody may ingest; the re-send brings them back
    redis.start();
    Poll.until(WAIT, () -> nodes.stream().allMatch(
        n -> n.cluster().path("state").asText().equals("live")), "every node live again");
    Poll.until(WAIT, () -> nodes.stream().filter(
        n -> n.cluster().path("role").asText().equals("leader")).count() == 1, "one leader");
    generate(60);
    awaitOracle(nodes);
    assertIdenticalWhereTheyMeet(nodes);
    for (Node node : nodes) {
      JsonNode c = node.cluster();
      System.out.println("cluster: after the Redis restart, " + node.id + " read "
          + c.path("events") + " events (oracle " + oracleSize() + "), " + c.path("duplicates")
          + " duplicates dropped, " + c.path("readFailures") + " failed reads");
    }
  }

  private Node start(String id) throws IOException {
    JarProcess p = JarProcess.serve(WAIT, "serve", dashboard.toString(), "--port", "0",
        "--cluster", "redis://127.0.0.1:" + redis.port(), "--node-id", id, "--cluster-prefix",
        prefix, "--lease-ttl", TTL.toSeconds() + "s");
    return new Node(id, p);
  }

  private Node leader() {
    Node[] found = new Node[1];
    Poll.until(WAIT, () -> {
      for (Node node : nodes) {
        if (node.process.alive() && node.cluster().path("role").asText().equals("leader")) {
          found[0] = node;
          return true;
        }
      }
      return false;
    }, "a leader");
    return found[0];
  }

  /** Lets the emulator generate {@code n} more frames, then pauses it. */
  private void generate(int n) {
    int target = generated.size() + n;
    emulator.generationPaused(false);
    Poll.until(WAIT, () -> generated.size() >= target, n + " frames generated");
    emulator.generationPaused(true);
  }

  /** Distinct events generated, by site: (site, id, lastActivityDate) each counted once. */
  private Map<String, Long> oracle() {
    Set<String> seen = new HashSet<>();
    Map<String, Long> bySite = new TreeMap<>();
    for (String frame : generated) {
      try {
        JsonNode data = JSON.readTree(JSON.readTree(frame).path("data").asText());
        String site = data.path("apiSiteParameter").asText();
        if (seen.add(site + "/" + data.path("id").asLong() + "/"
            + data.path("lastActivityDate").asLong())) {
          bySite.merge(site, 1L, Long::sum);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return bySite;
  }

  private long oracleSize() {
    return oracle().values().stream().mapToLong(Long::longValue).sum();
  }

  private void awaitOracle(List<?> nodesOrViewers) throws InterruptedException {
    Map<String, Long> expected = oracle();
    long total = expected.values().stream().mapToLong(Long::longValue).sum();
    for (Object o : nodesOrViewers) {
      ChartStates viewer = o instanceof Node n ? n.viewer : (ChartStates) o;
      String name = o instanceof Node n ? n.id : "viewer";
      if (!viewer.tryAwait(WAIT, () -> bySite(viewer).equals(expected))) {
        assertThat(bySite(viewer)).as(name + " sites against the oracle").isEqualTo(expected);
      }
      assertThat(viewer.chart("total").path("value").asLong()).as(name + " total")
          .isEqualTo(total);
    }
  }

  private static Map<String, Long> bySite(ChartStates viewer) {
    Map<String, Long> counts = new TreeMap<>();
    for (List<Object> row : viewer.keyed("sites", "all")) {
      counts.put((String) row.get(0), Math.round((Double) row.get(1)));
    }
    return counts;
  }

  /** Every two viewers that applied the same seq saw the same charts there. */
  private static void assertIdenticalWhereTheyMeet(List<Node> nodes) {
    int compared = 0;
    for (int i = 0; i < nodes.size(); i++) {
      for (int j = i + 1; j < nodes.size(); j++) {
        Map<Long, Map<String, String>> a = nodes.get(i).viewer.history();
        Map<Long, Map<String, String>> b = nodes.get(j).viewer.history();
        for (Map.Entry<Long, Map<String, String>> e : a.entrySet()) {
          Map<String, String> other = b.get(e.getKey());
          if (other != null) {
            assertThat(other).as("charts at seq " + e.getKey() + " on " + nodes.get(i).id
                + " and " + nodes.get(j).id).isEqualTo(e.getValue());
            compared++;
          }
        }
      }
    }
    assertThat(compared).as("frames seen by two viewers at the same seq").isGreaterThan(10);
    System.out.println("cluster: " + compared + " frames compared between two viewers at the"
        + " same seq, all identical");
  }

  private static URI socket(Node node) {
    return URI.create("ws://127.0.0.1:" + node.process.port() + "/ws");
  }

  private static String origin(Node node) {
    return "http://127.0.0.1:" + node.process.port();
  }
}
