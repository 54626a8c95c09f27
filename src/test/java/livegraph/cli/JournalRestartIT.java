package livegraph.cli;

import livegraph.testing.JarProcess;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import livegraph.testing.Poll;
import livegraph.testing.PrometheusText;
import livegraph.testing.TestViewer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal over the process boundary: the packaged command fed known events over TCP,
 * killed with SIGKILL (or stopped with SIGTERM) and started again on the same journal; its
 * charts must equal the oracle of exactly the events the journal had acknowledged.
 */
class JournalRestartIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String[] LEVELS = {"info", "warn", "error", "debug"};

  @TempDir Path dir;
  private Feeder feeder;
  private Path dashboard;
  private Path journal;

  @BeforeEach
  void setUp() throws IOException {
    feeder = new Feeder();
    journal = dir.resolve("journal");
    dashboard = Files.writeString(dir.resolve("restart.yaml"), "title: Restart\nsources:\n"
        + "  feed: {tcp: {port: " + feeder.port() + "}}\ncharts:\n"
        + "  - {id: levels, title: Levels, type: bar, by: level, windows: [all]}\n"
        + "  - {id: events, title: Events, type: number, measure: count, window: all}\n"
        + "  - {id: total, title: Sum of n, type: number, measure: sum(n), window: all}\n");
  }

  @AfterEach
  void tearDown() throws IOException {
    feeder.close();
  }

  private JarProcess serve() throws IOException {
    return JarProcess.serve(WAIT, "serve", "--port", "0", "--journal", journal.toString(),
        dashboard.toString());
  }

  private static long acknowledged(JarProcess p) {
    String metrics = new String(get(p, "/metrics"), StandardCharsets.UTF_8);
    return (long) PrometheusText.parse(metrics)
        .value("livegraph_journal_acknowledged_total", "dashboard", "restart");
  }

  private static JsonNode journalHealth(JarProcess p) {
    return p.getJson("/healthz").get("dashboards").get(0).get("journal");
  }

  @Test
  void killDashNine_midStream_thenRestart_chartsEqualTheOracleOfTheAcknowledgedEvents()
      throws Exception {
    long ackedBeforeKill;
    try (JarProcess first = serve()) {
      feeder.stream(true);
      Poll.until(WAIT, () -> acknowledged(first) >= 3000, "3000 events acknowledged");
      ackedBeforeKill = acknowledged(first);
      first.kill(); // while the feeder is still sending
    }
    feeder.stream(false);
    int sent = feeder.sent();
    assertThat(sent).as("the kill came mid-stream").isGreaterThan((int) ackedBeforeKill);

    try (JarProcess second = serve()) {
      JsonNode health = journalHealth(second);
      long replayed = health.get("replayed").get("events").asLong();
      // Whatever was acknowledged is back (0 lost); nothing beyond what was sent (0 doubled:
      // a doubled event would also break the equality with the oracle below).
      assertThat(replayed).isGreaterThanOrEqualTo(ackedBeforeKill).isLessThanOrEqualTo(sent);
      assertThat(health.get("replayed").get("corrupt").asLong()).isZero();
      assertChartsEqualTheOracle(second, (int) replayed);
      System.out.printf("journal kill -9: sent %d, acknowledged before the kill %d, replayed %d,"
          + " lost 0, doubled 0%n", sent, ackedBeforeKill, replayed);
    }
  }

  @Test
  void sigterm_closesViewersWith1001_exitsZero_andTheRestartReplaysEverything()
      throws Exception {
    int sent;
    try (JarProcess first = serve()) {
      feeder.stream(true);
      Poll.until(WAIT, () -> acknowledged(first) >= 500, "500 events acknowledged");
      feeder.stream(false);
      sent = feeder.sent();
      Poll.until(WAIT, () -> first.getJson("/healthz").get("events").asLong() == sent,
          "every event sent taken");
      try (TestViewer viewer = TestViewer.connect(
          URI.create("ws://127.0.0.1:" + first.port() + "/d/restart/ws"),
          "http://127.0.0.1:" + first.port())) {
        viewer.until(WAIT, "the snapshot", m -> m.path("type").asText().equals("snapshot"));
        long began = System.nanoTime();

        int status = first.terminate(WAIT);

        assertThat(status).as("exit status after SIGTERM").isZero();
        assertThat(viewer.closeCode(WAIT)).isEqualTo(1001);
        assertThat(viewer.closeReason(WAIT)).isEqualTo("server shutting down");
        System.out.printf("journal SIGTERM: stopped in %d ms%n",
            (System.nanoTime() - began) / 1_000_000);
      }
    }

    try (JarProcess second = serve()) {
      assertThat(journalHealth(second).get("replayed").get("events").asLong())
          .as("everything taken before SIGTERM was flushed").isEqualTo(sent);
      assertChartsEqualTheOracle(second, sent);
    }
  }

  @Test
  void aTornLastRecord_isDroppedAtRestart_andOnlyIt() throws Exception {
    try (JarProcess first = serve()) {
      feeder.stream(true);
      Poll.until(WAIT, () -> acknowledged(first) >= 200, "200 events acknowledged");
      feeder.stream(false);
      int sent = feeder.sent();
      Poll.until(WAIT, () -> acknowledged(first) == sent, "every event acknowledged");
      first.kill();
    }
    // A write torn by a crash: half of a record after the last whole one.
    List<Path> segments;
    try (var files = Files.list(journal.resolve(onlyDirectory()))) {
      segments = files.filter(f -> f.toString().endsWith(".lgj")).sorted().toList();
    }
    Path last = segments.get(segments.size() - 1);
    long whole = Files.size(last);
    byte[] bytes = Files.readAllBytes(last);
    // The tail of the last record (bytes from a record's middle) appended again, cut short.
    try (OutputStream out = Files.newOutputStream(last, java.nio.file.StandardOpenOption.APPEND)) {
      out.write(new byte[] {0, 0, 0, 40, 1, 2, 3, 4});
      out.write(bytes, bytes.length - 20, 11);
    }

    try (JarProcess second = serve()) {
      JsonNode replayed = journalHealth(second).get("replayed");
      assertThat(replayed.get("torn").asLong()).isEqualTo(1);
      assertThat(replayed.get("events").asLong()).isEqualTo(feeder.sent());
      assertChartsEqualTheOracle(second, feeder.sent());
      assertThat(Files.size(last)).as("cut back to its whole records").isEqualTo(whole);
    }
  }

  private String onlyDirectory() throws IOException {
    try (var dirs = Files.list(journal)) {
      List<Path> all = dirs.toList();
      assertThat(all).hasSize(1);
      return all.get(0).getFileName().toString();
    }
  }

  /**
   * The charts as snapshot.json gives them equal the naive oracle of events 0..count-1: the
   * count, the sum of n, and the count by level.
   */
  private static void assertChartsEqualTheOracle(JarProcess p, int count) {
    Map<String, Long> byLevel = new TreeMap<>();
    long sum = 0;
    for (int n = 0; n < count; n++) {
      byLevel.merge(LEVELS[n % LEVELS.length], 1L, Long::sum);
      sum += n;
    }
    long expectedSum = sum;
    // The replayed state is published by the start itself; poll only for the first snapshot.
    JsonNode[] charts = new JsonNode[1];
    Poll.until(WAIT, () -> {
      charts[0] = p.getJson("/d/restart/snapshot.json").get("charts");
      return charts[0] != null && charts[0].has("events");
    }, "a snapshot");
    assertThat(charts[0].get("events").get("value").asLong()).isEqualTo(count);
    assertThat(charts[0].get("total").get("value").asLong()).isEqualTo(expectedSum);
    JsonNode all = charts[0].get("levels").get("windows").get("all");
    Map<String, Long> shown = new TreeMap<>();
    for (int i = 0; i < all.get("x").size(); i++) {
      shown.put(all.get("x").get(i).asText(), all.get("columns").get(0).get(i).asLong());
    }
    assertThat(shown).isEqualTo(byLevel);
  }

  private static byte[] get(JarProcess p, String path) {
    try {
      var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
              .newBuilder(URI.create("http://127.0.0.1:" + p.port() + path)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      return r.body();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A TCP server of JSON lines {@code {"n":N,"level":L}}, N counting from 0 across connections:
   * it writes while {@link #stream} is on, to whichever connection is open. Counts the lines
   * written whole.
   */
  private static final class Feeder implements AutoCloseable {
    private final ServerSocket server =
        new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicBoolean on = new AtomicBoolean();
    private final AtomicInteger sent = new AtomicInteger();
    private final List<Socket> sockets = new ArrayList<>();
    private final Thread thread = new Thread(this::run, "feeder");

    Feeder() throws IOException {
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return server.getLocalPort();
    }

    void stream(boolean stream) {
      on.set(stream);
      if (!stream) {
        // The writer finishes the line it is on: wait until the count settles.
        synchronized (this) {
          int n;
          do {
            n = sent.get();
            try {
              wait(20);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          } while (n != sent.get());
        }
      }
    }

    int sent() {
      return sent.get();
    }

    private void run() {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          synchronized (sockets) {
            sockets.add(s);
          }
          OutputStream out = s.getOutputStream();
          while (!s.isClosed()) {
            if (!on.get()) {
              java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
              continue;
            }
            int n = sent.get();
            out.write(("{\"n\":" + n + ",\"level\":\"" + LEVELS[n % LEVELS.length] + "\"}\n")
                .getBytes(StandardCharsets.UTF_8));
            out.flush();
            sent.incrementAndGet();
            if (n % 50 == 49) {
              // About 10,000 lines a second: fast enough to be mid-stream at the kill.
              java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
            }
          }
        } catch (IOException e) {
          // the connection or the server closed: wait for the next, or end
        }
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (sockets) {
        for (Socket s : sockets) {
          s.close();
        }
      }
    }
  }
}
