package livegraph;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import livegraph.dashboard.DashboardLoader;
import livegraph.dashboard.HelloJson;
import livegraph.hub.Viewer;
import livegraph.source.SkipReason;
import livegraph.source.SourceContext;
import livegraph.testing.Poll;
import livegraph.testing.PrometheusText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dashboard's meters, scraped from its registry: no sockets, a file source, fake viewers. */
class DashboardMetersTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long NOW = 1_700_000_000_000L;

  @TempDir Path dir;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private EventLoopGroup group;
  private DashboardRuntime runtime;

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
    registry.close();
  }

  /** A viewer that is always writable and says it has {@code queued} bytes waiting. */
  private record FakeViewer(long queued, List<byte[]> got) implements Viewer {
    FakeViewer(long queued) {
      this(queued, new CopyOnWriteArrayList<>());
    }

    @Override
    public boolean writable() {
      return true;
    }

    @Override
    public void send(byte[] message) {
      got.add(message);
    }

    @Override
    public long queuedBytes() {
      return queued;
    }

    @Override
    public void close(int code, String reason) {}
  }

  @Test
  void scrape_countsEventsSkipsFramesQueuesAndOneLatencyPerPublish() throws Exception {
    Files.writeString(dir.resolve("orders.jsonl"), """
        {"country": "NL"}
        {"country": "FR"}
        not json
        {"country": "NL"}
        [1, 2
        {"country": "DE"}
        {"country": "NL"}
        """);
    Path file = dir.resolve("orders.yaml");
    Files.writeString(file, """
        title: Orders
        sources:
          orders:
            file: {path: orders.jsonl, follow: false}
        charts:
          - {title: Orders by country, type: bar, by: country}
        """);
    group = Transport.group(1, "test-source");
    // A clock that never moves: the charts change only when events arrive.
    DashboardRuntime.Settings settings = new DashboardRuntime.Settings(() -> NOW, 1000,
        Duration.ofMillis(20),
        new SourceContext(() -> NOW, group, new SplittableRandom(1), Duration.ofMillis(10),
            Duration.ofMillis(100)),
        d -> new HelloJson.SourceInfo("test", "custom", ""), registry);
    runtime = new DashboardRuntime(DashboardLoader.load(file), settings).start();
    String dashboard = runtime.route();
    Poll.until(WAIT, () -> runtime.pipeline().eventsIn() == 5
            && runtime.sources().get("orders").status().skippedTotal() == 2,
        "5 events taken and 2 lines skipped");
    // All five in a published state: a first publish can hold only some of them (the source reads
    // in batches), and a scrape before the last publish would miss its latency record.
    Poll.until(WAIT, () -> publishedCount(runtime.hub().charts().values().iterator().next()) == 5,
        "all five events published");
    PrometheusText before = scrape();
    double latencies = before.value("livegraph_ingest_to_send_seconds_count",
        "dashboard", dashboard);
    assertThat(latencies).as("the pipeline's own publishes were timed").isGreaterThanOrEqualTo(1);

    FakeViewer a = new FakeViewer(100);
    FakeViewer b = new FakeViewer(300);
    runtime.hub().join(a, OptionalLong.empty()); // hello and snapshot
    runtime.hub().join(b, OptionalLong.empty());
    runtime.hub().publish(Map.of("x", "{}".getBytes()), System.nanoTime() - 3_000_000);
    runtime.sampleQueues();

    PrometheusText after = scrape();
    String[] orders = {"dashboard", dashboard, "source", "orders"};
    assertThat(after.value("livegraph_events_total", orders)).isEqualTo(5);
    assertThat(after.value("livegraph_events_dropped_total", orders)).isZero();
    assertThat(after.value("livegraph_events_skipped_total",
        "dashboard", dashboard, "source", "orders", "reason", "not_json")).isEqualTo(2);
    assertThat(after.all("livegraph_events_skipped_total", orders))
        .hasSize(SkipReason.values().length);
    assertThat(after.sum("livegraph_events_skipped_total", orders)).isEqualTo(2);
    assertThat(after.value("livegraph_frames_sent_total", "dashboard", dashboard))
        .as("2 joins × (hello + snapshot), then one delta to each of 2 viewers").isEqualTo(6);
    assertThat(a.got()).hasSize(3);
    assertThat(after.value("livegraph_viewers", "dashboard", dashboard)).isEqualTo(2);
    assertThat(after.value("livegraph_filtered_views", "dashboard", dashboard)).isZero();
    assertThat(after.value("livegraph_viewers_skipped_total", "dashboard", dashboard)).isZero();
    assertThat(after.value("livegraph_viewers_dropped_total", "dashboard", dashboard)).isZero();
    assertThat(after.value("livegraph_viewer_queue_bytes_count", "dashboard", dashboard))
        .isEqualTo(2);
    assertThat(after.value("livegraph_viewer_queue_bytes_sum", "dashboard", dashboard))
        .isEqualTo(400);
    assertThat(after.value("livegraph_viewer_queue_bytes_max", "dashboard", dashboard))
        .isEqualTo(300);
    assertThat(after.value("livegraph_ingest_to_send_seconds_count", "dashboard", dashboard))
        .as("one record per publish, not per viewer").isEqualTo(latencies + 1);
    assertThat(bucket(after, dashboard, "0.002") - bucket(before, dashboard, "0.002"))
        .as("3 ms is above the 2 ms bucket").isZero();
    assertThat(bucket(after, dashboard, "10.0") - bucket(before, dashboard, "10.0")).isEqualTo(1);
    assertThat(after.all("livegraph_ingest_to_send_seconds_bucket", "dashboard", dashboard))
        .as("14 buckets and +Inf").hasSize(15);
  }

  @Test
  void publishWithoutNewEvents_recordsNoLatency() {
    group = Transport.group(1, "test-source");
    DashboardRuntime.Settings settings = new DashboardRuntime.Settings(() -> NOW, 1000,
        Duration.ofMillis(20),
        new SourceContext(() -> NOW, group, new SplittableRandom(1), Duration.ofMillis(10),
            Duration.ofMillis(100)),
        d -> new HelloJson.SourceInfo("test", "code", ""), registry);
    runtime = new DashboardRuntime(CodeDashboard.build("Code", List.of(
        Chart.number("N").id("n").measure("count").window("all"))), settings).start();

    runtime.hub().publish(Map.of("n", "{}".getBytes()));

    PrometheusText scraped = scrape();
    String d = runtime.route();
    assertThat(scraped.value("livegraph_ingest_to_send_seconds_count", "dashboard", d)).isZero();
    assertThat(scraped.value("livegraph_events_total", "dashboard", d, "source", "app"))
        .isZero();
    assertThat(runtime.offer(new livegraph.pipeline.Event(NOW, Map.of("x", 1L)))).isTrue();
    assertThat(scrape().value("livegraph_events_total", "dashboard", d, "source", "app"))
        .isEqualTo(1);
  }

  private static double bucket(PrometheusText text, String dashboard, String le) {
    return text.value("livegraph_ingest_to_send_seconds_bucket", "dashboard", dashboard, "le", le);
  }

  private PrometheusText scrape() {
    return PrometheusText.parse(registry.scrape());
  }

  /** Events counted in a bar chart's published state: the sum of its first window's column. */
  private static long publishedCount(byte[] chart) {
    try {
      java.util.Iterator<com.fasterxml.jackson.databind.JsonNode> windows =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(chart).path("windows").elements();
      long sum = 0;
      if (windows.hasNext()) {
        for (com.fasterxml.jackson.databind.JsonNode n : windows.next().path("columns").path(0)) {
          sum += n.asLong();
        }
      }
      return sum;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
