package livegraph.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import livegraph.Chart;
import livegraph.Livegraph;
import livegraph.testing.Poll;
import livegraph.testing.Resources;
import livegraph.testing.PrometheusText;
import livegraph.testing.TestViewer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Viewers that do not keep up, over the wire: one that stops reading after the handshake (its
 * TCP window fills) and one that reads slowly. Deltas here are about 100 KB (a list of 25
 * items of 4,000 characters), about 1 MB/s, so the 1 MiB high-water mark is reached in
 * seconds. The dashboard's clock is the test's, so the 30 s no-progress limit is reached by
 * moving it, not by waiting.
 */
class ViewerStalledReaderIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long HIGH_WATER = 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private Livegraph live;
  private ScheduledExecutorService feeder;
  private TestViewer healthy;
  private long largestFrame; // the largest delta or snapshot the healthy viewer saw

  @BeforeEach
  void serveLargeDeltas() throws Exception {
    live = Livegraph.create(Livegraph.Config.defaults().withClock(clock::get).withCharts(
        "Stalled viewers",
        Chart.number("Events").id("n").measure("count").window("all"),
        Chart.list("Latest").id("latest").fields("text").size(25))).start(0);
    healthy = TestViewer.connect(URI.create("ws://127.0.0.1:" + live.port() + "/ws"), null);
    SplittableRandom random = new SplittableRandom(1);
    feeder = Executors.newSingleThreadScheduledExecutor();
    feeder.scheduleAtFixedRate(() -> {
      char[] text = new char[4000];
      for (int i = 0; i < text.length; i++) {
        text[i] = (char) ('a' + random.nextInt(26));
      }
      live.event(Map.of("text", new String(text)));
    }, 0, 40, TimeUnit.MILLISECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (feeder != null) {
      feeder.shutdownNow();
    }
    Resources.closeAll(healthy, live);
  }

  @Test
  void stoppedReader_isSkipped_holdsAtMostTheHighWaterMark_thenIsClosed1013() throws Exception {
    RawViewer stalled = RawViewer.connect(live.port(), "/ws", 4096);
    Poll.until(WAIT, () -> live.hub().viewers() == 2, "the stalled viewer joined");
    Poll.until(WAIT, () -> metric("livegraph_viewers_skipped_total") >= 20,
        "twenty deltas skipped for the stalled viewer");
    // While it is skipped, what the server holds for it stays at the mark plus one frame.
    long[] most = new long[1];
    Poll.holds(Duration.ofSeconds(2), () -> {
      live.hub().queuedBytes(q -> most[0] = Math.max(most[0], q));
      return most[0] <= HIGH_WATER + 512 * 1024;
    }, "queued bytes within the high-water mark plus one frame");
    assertThat(most[0]).as("it did fill its queue").isGreaterThan(HIGH_WATER / 2);
    assertThat(metric("livegraph_viewers_dropped_total")).isZero();

    clock.addAndGet(31_000); // 30 s without progress, as the dashboard's clock sees it
    Poll.until(WAIT, () -> metric("livegraph_viewers_dropped_total") == 1,
        "the stalled viewer dropped");
    Poll.until(WAIT, () -> live.hub().viewers() == 1, "only the healthy viewer left");
    // It never reads the close frame, so the server must close the socket without it.
    Poll.until(WAIT, () -> !serverSide(stalled).equals(TcpStates.ESTABLISHED),
        "the server closed its end of the stalled viewer's connection");
    assertThat(stalled.closeCode(WAIT)).as("what it finds when it reads at last")
        .isIn(1013, -1);
    stalled.close();
    assertHealthyGotEveryDelta();
  }

  @Test
  void slowReader_isSkippedForwardToASnapshot_andStaysConnected() throws Exception {
    try (RawViewer slow = RawViewer.connect(live.port(), "/ws", 4096)) {
      Poll.until(WAIT, () -> live.hub().viewers() == 2, "the slow viewer joined");
      long lastSeq = -1;
      long skippedTo = -1;
      long deltasAfter = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      // About 200 KB/s, a fifth of what it is sent: it falls behind, is skipped, drains,
      // and must then get a snapshot that jumps it forward, and deltas after that.
      while (deltasAfter < 5) {
        assertThat(System.nanoTime()).as("skipped forward and caught up within 90 s")
            .isLessThan(deadline);
        RawViewer.Frame f = slow.read(WAIT);
        assertThat(f.opcode()).as("no close: a slow reader is not dropped")
            .isEqualTo(RawViewer.TEXT);
        JsonNode m = JSON.readTree(f.payload());
        String type = m.path("type").asText();
        if (type.equals("snapshot")) {
          if (lastSeq >= 0 && m.get("seq").asLong() > lastSeq + 1) {
            skippedTo = m.get("seq").asLong();
          }
          lastSeq = m.get("seq").asLong();
        } else if (type.equals("delta")) {
          assertThat(m.get("seq").asLong()).as("deltas follow on").isEqualTo(lastSeq + 1);
          lastSeq = m.get("seq").asLong();
          if (skippedTo >= 0) {
            deltasAfter++;
          }
        }
        Thread.sleep(f.payload().length / 200); // reading pace, not synchronisation
      }
      assertThat(metric("livegraph_viewers_skipped_total")).isPositive();
      assertThat(metric("livegraph_viewers_dropped_total")).isZero();
      assertThat(live.hub().viewers()).isEqualTo(2);
    }
    assertHealthyGotEveryDelta();
  }

  /** The healthy viewer got one snapshot and then every delta in order, to the current seq. */
  private void assertHealthyGotEveryDelta() throws Exception {
    long target = live.hub().seq() + 2;
    long last = -1;
    long deltas = 0;
    while (last < target) {
      JsonNode m = healthy.next(WAIT);
      String type = m.path("type").asText();
      if (type.equals("snapshot")) {
        assertThat(last).as("a snapshot only at the start: never skipped").isEqualTo(-1);
        last = m.get("seq").asLong();
      } else if (type.equals("delta")) {
        assertThat(m.get("seq").asLong()).as("the delta after %d", last).isEqualTo(last + 1);
        last = m.get("seq").asLong();
        deltas++;
      }
    }
    assertThat(deltas).isGreaterThan(20);
  }

  /** The state of the server's end of {@code viewer}'s connection, or "gone". */
  private String serverSide(RawViewer viewer) {
    try {
      return TcpStates.state(live.port(), viewer.localPort()).orElse("gone");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private double metric(String name) {
    try {
      String text = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + live.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      return PrometheusText.parse(text).sum(name);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
