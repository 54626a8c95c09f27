package livegraph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import livegraph.testing.Poll;
import livegraph.testing.PrometheusText;
import livegraph.testing.TestViewer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} over the wire: the built-in dashboard on the emulator's feed, one viewer. */
class MetricsIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private Livegraph live;

  @BeforeEach
  void start() throws Exception {
    live = Livegraph.create(Livegraph.Config.defaults()).start(0);
  }

  @AfterEach
  void stop() {
    live.close();
  }

  @Test
  void metrics_countWhatHealthCounts_andTimeEachFrameFromIngestToSend() throws Exception {
    try (TestViewer viewer = TestViewer.connect(
        URI.create("ws://127.0.0.1:" + live.port() + "/ws"), null)) {
      viewer.until(WAIT, "a delta", m -> m.path("type").asText().equals("delta"));
      String[] dashboard = {"dashboard", route()};
      Poll.until(WAIT, () -> {
        PrometheusText m = PrometheusText.parse(get("/metrics").body());
        return m.value("livegraph_frames_sent_total", dashboard) >= 1
            && m.value("livegraph_ingest_to_send_seconds_count", dashboard) >= 1;
      }, "a frame sent and timed");

      HttpResponse<String> response = get("/metrics");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(response.headers().firstValue("x-content-type-options")).hasValue("nosniff");
      assertThat(response.headers().firstValue("cache-control")).hasValueSatisfying(
          v -> assertThat(v).contains("no-store"));
      PrometheusText m = PrometheusText.parse(response.body());
      assertThat(m.value("livegraph_viewers", dashboard)).isEqualTo(1);
      assertThat(m.all("jvm_memory_used_bytes")).isNotEmpty();
      assertThat(m.all("process_cpu_usage")).hasSize(1);

      // The feed keeps running: the scrape lies between two health reports taken around it.
      long before = JSON.readTree(get("/healthz").body()).path("events").asLong();
      double events = PrometheusText.parse(get("/metrics").body())
          .sum("livegraph_events_total", dashboard);
      long after = JSON.readTree(get("/healthz").body()).path("events").asLong();
      assertThat(before).isPositive();
      assertThat(events).isBetween((double) before, (double) after);
    }
  }

  private String route() throws Exception {
    return JSON.readTree(get("/healthz").body()).path("dashboards").get(0).path("name").asText();
  }

  private HttpResponse<String> get(String path) {
    try {
      return http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + live.port() + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
