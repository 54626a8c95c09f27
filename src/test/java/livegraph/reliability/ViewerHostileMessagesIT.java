package livegraph.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import livegraph.Chart;
import livegraph.Livegraph;
import livegraph.testing.Poll;
import livegraph.testing.Resources;
import livegraph.testing.PrometheusText;
import livegraph.testing.TestViewer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Hostile viewers over the wire, against a real server with events flowing: each is closed
 * with its close code and counted by reason in {@code /metrics}, and a healthy viewer beside
 * them all gets every delta, without a gap, to the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ViewerHostileMessagesIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Livegraph live;
  private static ScheduledExecutorService feeder;
  private static TestViewer healthy;
  private static long seqBeforeHostiles; // the hub's seq once the healthy viewer had joined

  @BeforeAll
  static void serveWithEventsFlowing() throws Exception {
    live = Livegraph.create(Livegraph.Config.defaults().withCharts("Hostile viewers",
        Chart.number("Events").id("n").measure("count").window("all"))).start(0);
    healthy = TestViewer.connect(URI.create("ws://127.0.0.1:" + live.port() + "/ws"), null);
    Poll.until(WAIT, () -> live.hub().viewers() == 1, "the healthy viewer joined");
    seqBeforeHostiles = live.hub().seq();
    feeder = Executors.newSingleThreadScheduledExecutor();
    // About 5 deltas a second: one every other tick.
    feeder.scheduleAtFixedRate(() -> live.push("x", 1), 0, 200, TimeUnit.MILLISECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (feeder != null) {
      feeder.shutdownNow();
    }
    Resources.closeAll(healthy, live);
  }

  @Test
  @Order(1)
  void oversizedMessage_isClosedWith1009_andCounted() throws Exception {
    double before = closes("too_big");
    try (RawViewer v = viewer()) {
      v.sendText("{\"type\":\"resume\",\"seq\":1,\"pad\":\"" + "x".repeat(5000) + "\"}");
      assertThat(v.closeCode(WAIT)).isEqualTo(1009);
    }
    countedOnce("too_big", before);
  }

  @Test
  @Order(2)
  void binaryFrame_isClosedWith1003_andCounted() throws Exception {
    double before = closes("binary");
    try (RawViewer v = viewer()) {
      v.send(RawViewer.BINARY, true, new byte[] {1, 2, 3}, true);
      assertThat(v.closeCode(WAIT)).isEqualTo(1003);
    }
    countedOnce("binary", before);
  }

  @Test
  @Order(3)
  void fragmentedMessage_isClosedWith1003_andCounted() throws Exception {
    double before = closes("fragmented");
    try (RawViewer v = viewer()) {
      v.send(RawViewer.TEXT, false, bytes("{\"type\":\"res"), true);
      v.send(RawViewer.CONTINUATION, true, bytes("ume\",\"seq\":1}"), true);
      assertThat(v.closeCode(WAIT)).isEqualTo(1003);
    }
    countedOnce("fragmented", before);
  }

  @Test
  @Order(4)
  void invalidMessages_eachGetAnError_andTheEleventhCloses1008() throws Exception {
    double before = closes("invalid");
    Map<String, String> answers = new java.util.LinkedHashMap<>();
    answers.put("not json at all", "invalid message: not JSON");
    answers.put("[1,2]", "invalid message: expected a JSON object");
    answers.put("{\"type\":\"explode\"}", "invalid message: unknown type: explode");
    answers.put("{\"type\":7}", "invalid message: type must be a string");
    answers.put("{\"type\":\"resume\",\"seq\":\"12\"}", "invalid message: seq must be an integer");
    answers.put("{\"type\":\"resume\",\"seq\":-1}",
        "invalid message: resume needs a non-negative seq");
    answers.put("{\"type\":\"view\",\"filter\":5}",
        "invalid message: filter must be an object or null");
    answers.put("{\"type\":\"view\",\"filter\":{\"field\":1,\"value\":\"a\"}}",
        "invalid message: filter field must be a string");
    answers.put("{\"type\":\"resume\",\"seq\":1} trailing", "invalid message: not JSON");
    answers.put("{\"type\":\"resume\"", "invalid message: not JSON");
    try (RawViewer v = viewer()) {
      for (Map.Entry<String, String> e : answers.entrySet()) {
        v.sendText(e.getKey());
        assertThat(nextError(v)).as("answer to %s", e.getKey()).isEqualTo(e.getValue());
      }
      assertThat(closes("invalid")).as("ten invalid messages are answered, not closed")
          .isEqualTo(before);
      v.sendText("{}");
      assertThat(v.closeCode(WAIT)).isEqualTo(1008);
    }
    countedOnce("invalid", before);
  }

  @Test
  @Order(5)
  void floodOfValidMessages_isClosedWith1008_andCounted() throws Exception {
    double before = closes("flood");
    try (RawViewer v = viewer()) {
      byte[] resume = bytes("{\"type\":\"resume\",\"seq\":1}");
      java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
      for (int i = 0; i < 200; i++) {
        burst.writeBytes(RawViewer.frame(RawViewer.TEXT, true, resume, true));
      }
      v.sendRaw(burst.toByteArray());
      assertThat(v.closeCode(WAIT)).isEqualTo(1008);
    }
    countedOnce("flood", before);
  }

  @Test
  @Order(6)
  void unmaskedFrame_isClosedWith1002_asAProtocolError() throws Exception {
    double before = closes("protocol_error");
    try (RawViewer v = viewer()) {
      v.send(RawViewer.TEXT, true, bytes("{\"type\":\"resume\",\"seq\":1}"), false);
      assertThat(v.closeCode(WAIT)).isEqualTo(1002);
    }
    countedOnce("protocol_error", before);
  }

  @Test
  @Order(7)
  void resetInsideAFrame_isCountedAndTheViewerLeaves() throws Exception {
    double before = closes("reset");
    RawViewer v = viewer();
    Poll.until(WAIT, () -> live.hub().viewers() == 2, "the raw viewer joined");
    byte[] whole = RawViewer.frame(RawViewer.TEXT, true, bytes("{\"type\":\"resume\",\"seq\":1}"), true);
    v.sendRaw(java.util.Arrays.copyOf(whole, whole.length / 2));
    v.reset();
    Poll.until(WAIT, () -> live.hub().viewers() == 1, "the reset viewer left the hub");
    Poll.until(WAIT, () -> closes("reset") == before + 1, "the reset counted");
  }

  @Test
  @Order(8)
  void closeWithoutACloseFrame_insideAFrame_theViewerLeaves() throws Exception {
    RawViewer v = viewer();
    Poll.until(WAIT, () -> live.hub().viewers() == 2, "the raw viewer joined");
    byte[] whole = RawViewer.frame(RawViewer.TEXT, true, bytes("{\"type\":\"resume\",\"seq\":1}"), true);
    v.sendRaw(java.util.Arrays.copyOf(whole, 5));
    v.close(); // FIN, no close frame
    Poll.until(WAIT, () -> live.hub().viewers() == 1, "the vanished viewer left the hub");
  }

  @Test
  @Order(100)
  void healthyViewer_gotEveryDeltaWithNoGap_throughAllOfIt() throws Exception {
    long target = live.hub().seq() + 3;
    long last = -1;
    long deltas = 0;
    while (last < target) {
      JsonNode m = healthy.next(WAIT);
      String type = m.path("type").asText();
      if (type.equals("snapshot")) {
        assertThat(last).as("one snapshot, at the start: it was never skipped").isEqualTo(-1);
        last = m.get("seq").asLong();
        assertThat(last).as("the snapshot came before the hostile viewers")
            .isLessThanOrEqualTo(seqBeforeHostiles);
      } else if (type.equals("delta")) {
        assertThat(m.get("seq").asLong()).as("the delta after %d", last).isEqualTo(last + 1);
        last = m.get("seq").asLong();
        deltas++;
      } else {
        assertThat(type).isIn("hello", "status");
      }
    }
    // Every delta from before the first hostile viewer to after the last, each once.
    assertThat(deltas).isGreaterThanOrEqualTo(target - seqBeforeHostiles);
    assertThat(closes("internal_error")).isZero();
  }

  private static RawViewer viewer() throws IOException {
    return RawViewer.connect(live.port(), "/ws", 0);
  }

  /** The next {@code error} message's text, skipping hello, snapshot, deltas and status. */
  private static String nextError(RawViewer v) throws IOException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      RawViewer.Frame f = v.read(WAIT);
      if (f.opcode() == RawViewer.CLOSE) {
        throw new AssertionError("closed with " + f.closeCode() + " instead of an error");
      }
      JsonNode m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.text());
      if (m.path("type").asText().equals("error")) {
        return m.get("message").asText();
      }
    }
    throw new AssertionError("no error message within " + WAIT);
  }

  /**
   * Waits for one close of this reason to be counted, then checks no second one was. The count can
   * trail the close frame: for a protocol error Netty's decoder sends the frame before the handler
   * hears of it.
   */
  static void countedOnce(String reason, double before) {
    Poll.until(WAIT, () -> closes(reason) >= before + 1, "a " + reason + " close counted");
    assertThat(closes(reason)).as("one %s close, however many messages followed", reason)
        .isEqualTo(before + 1);
  }

  static double closes(String reason) {
    try {
      String text = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + live.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      return PrometheusText.parse(text).value("livegraph_viewer_closes_total", "reason", reason);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
