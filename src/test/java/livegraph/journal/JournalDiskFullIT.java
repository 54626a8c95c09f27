package livegraph.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import livegraph.Chart;
import livegraph.Livegraph;
import livegraph.testing.Poll;
import livegraph.testing.PrometheusText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk over the wire: a served dashboard whose journal's writes fail (an injected
 * channel, as ENOSPC would) says so in /healthz and /metrics, and keeps charting.
 */
class JournalDiskFullIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static String get(Livegraph live, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + live.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static double metric(Livegraph live, String name) throws Exception {
    return PrometheusText.parse(get(live, "/metrics")).value(name, "dashboard", "app");
  }

  @Test
  void aFullDisk_isShownInHealthzAndMetrics_andTheChartsGoOn() throws Exception {
    AtomicBoolean full = new AtomicBoolean();
    JournalSettings settings = JournalSettings.of(4L << 20).withOpener(file -> {
      if (full.get()) {
        throw new IOException("No space left on device");
      }
      return new FailingChannel(ChannelOpener.files().create(file), full::get);
    });
    Livegraph live = Livegraph.create(Livegraph.Config.defaults().withCharts("Disk",
            Chart.number("Events").id("n").measure("count").window("all")))
        .journal(dir, settings).start(0);
    try {
      for (int i = 0; i < 5; i++) {
        assertThat(live.event(Map.of("x", i))).isTrue();
      }
      Poll.until(WAIT, () -> call(() -> metric(live, "livegraph_journal_acknowledged_total"))
          == 5, "5 acknowledged");
      JsonNode ok = JSON.readTree(get(live, "/healthz"));
      assertThat(ok.get("journal").get("state").asText()).isEqualTo("ok");

      full.set(true);
      for (int i = 0; i < 3; i++) {
        assertThat(live.event(Map.of("x", i))).isTrue();
      }
      Poll.until(WAIT, () -> call(() -> metric(live, "livegraph_journal_unjournaled_total"))
          == 3, "3 not journaled");

      JsonNode health = JSON.readTree(get(live, "/healthz"));
      assertThat(health.get("status").asText()).isEqualTo("degraded");
      JsonNode journal = health.get("dashboards").get(0).get("journal");
      assertThat(journal.get("state").asText()).isEqualTo("failed");
      assertThat(journal.get("detail").asText()).contains("No space left on device");
      assertThat(journal.get("acknowledged").asLong()).isEqualTo(5);
      assertThat(metric(live, "livegraph_journal_ok")).isZero();
      assertThat(metric(live, "livegraph_journal_write_failures_total")).isEqualTo(1);
      Poll.until(WAIT, () -> new String(live.hub().charts().get("n")).contains("\"value\":8"),
          "the charts counted all 8");
    } finally {
      live.close();
    }
  }

  private interface Check {
    double get() throws Exception;
  }

  private static double call(Check check) {
    try {
      return check.get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
