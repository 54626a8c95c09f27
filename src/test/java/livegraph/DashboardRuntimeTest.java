package livegraph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import livegraph.dashboard.Dashboard;
import livegraph.dashboard.HelloJson;
import livegraph.pipeline.Event;
import livegraph.source.SourceContext;
import livegraph.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DashboardRuntimeTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private EventLoopGroup group;
  private DashboardRuntime runtime;

  @BeforeEach
  void start() {
    group = Transport.group(1, "test-source");
    DashboardRuntime.Settings settings = new DashboardRuntime.Settings(now::get, 1000,
        Duration.ofMillis(20),
        new SourceContext(now::get, group, new SplittableRandom(1), Duration.ofMillis(10),
            Duration.ofMillis(100)),
        d -> new HelloJson.SourceInfo("test", "code", ""),
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    runtime = new DashboardRuntime(dashboard("Events"), settings).start();
  }

  @AfterEach
  void stop() {
    runtime.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static Dashboard dashboard(String title) {
    return CodeDashboard.build("Test", java.util.List.of(
        Chart.bar("Levels").id("levels").by("level").windows("all"),
        Chart.number(title).id("n").measure("count").window("all")));
  }

  @Test
  void reload_closesEveryView_tellingItsViewers_andNewViewsCountOnlyTheNewDashboardsEvents() {
    runtime.offer(new Event(now.get(), Map.of("level", "error")));
    Poll.until(WAIT, () -> new String(runtime.hub().charts().get("n")).contains("\"value\":1"),
        "one event counted");
    java.util.List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    livegraph.server.Views.Answer opened =
        runtime.views().open("level", "error", (lease, reason) -> told.add(reason));
    assertThat(opened).isInstanceOf(livegraph.server.Views.Opened.class);
    livegraph.hub.Hub view = ((livegraph.server.Views.Opened) opened).lease().hub();
    Poll.until(WAIT, () -> new String(view.charts().get("n")).contains("\"value\":1"),
        "the view replayed the event");

    runtime.reload(dashboard("Events, renamed"));

    assertThat(told).containsExactly("filter cleared: dashboard reloaded");
    assertThat(runtime.views().size()).isZero();
    livegraph.server.Views.Answer again = runtime.views().open("level", "error", (l, r) -> {});
    livegraph.hub.Hub fresh = ((livegraph.server.Views.Opened) again).lease().hub();
    assertThat(new String(fresh.charts().get("n"))).doesNotContain("\"value\":1");
    runtime.offer(new Event(now.get(), Map.of("level", "error")));
    Poll.until(WAIT, () -> new String(fresh.charts().get("n")).contains("\"value\":1"),
        "the new view counts the new pipeline's events");
  }

  @Test
  void reloadToTheRunningVersion_onlyClearsTheError_andKeepsTheCounts() {
    for (int i = 0; i < 5; i++) {
      assertThat(runtime.offer(new Event(now.get(), Map.of("x", 1L)))).isTrue();
    }
    Poll.until(WAIT, () -> new String(runtime.hub().charts().get("n")).contains("\"value\":5"),
        "five events counted");
    long seq = runtime.hub().seq();
    runtime.configError("test.yaml:1:1: bad");

    runtime.reload(dashboard("Events"));

    assertThat(runtime.hub().configErrorMessage()).isNull();
    assertThat(runtime.hub().seq()).isEqualTo(seq);
    assertThat(new String(runtime.hub().charts().get("n"))).contains("\"value\":5");
  }

  @Test
  void reloadToAnotherVersion_startsItsChartsAfresh() {
    assertThat(runtime.offer(new Event(now.get(), Map.of("x", 1L)))).isTrue();
    Poll.until(WAIT, () -> new String(runtime.hub().charts().get("n")).contains("\"value\":1"),
        "one event counted");

    runtime.reload(dashboard("Events, renamed"));

    assertThat(new String(runtime.hub().charts().get("n"))).doesNotContain("\"value\":1");
    assertThat(runtime.offer(new Event(now.get(), Map.of("x", 1L)))).isTrue();
    Poll.until(WAIT, () -> new String(runtime.hub().charts().get("n")).contains("\"value\":1"),
        "the new pipeline counts");
  }

  @Test
  void chartEditReadingAnotherField_keepsTheSourceConnected_andItsDecoderExtractsTheNewField()
      throws Exception {
    try (java.net.ServerSocket upstream =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String source = "title: T\nsources:\n  feed:\n    tcp: {host: 127.0.0.1, port: "
          + upstream.getLocalPort() + "}\n    fields: {lvl: /level, who: /host}\n";
      runtime.reload(livegraph.dashboard.DashboardLoader.parse(source
          + "charts:\n  - {id: levels, title: Levels, type: bar, by: lvl}\n", "t.yaml"));
      java.net.Socket connection = upstream.accept();
      java.io.Writer out = new java.io.OutputStreamWriter(
          connection.getOutputStream(), java.nio.charset.StandardCharsets.UTF_8);
      out.write("{\"level\":\"error\",\"host\":\"a\"}\n");
      out.flush();
      Poll.until(WAIT, () -> new String(runtime.hub().charts().get("levels")).contains("error"),
          "the first dashboard counts the level");

      runtime.reload(livegraph.dashboard.DashboardLoader.parse(source
          + "charts:\n  - {id: hosts, title: Hosts, type: bar, by: who}\n", "t.yaml"));
      out.write("{\"level\":\"warn\",\"host\":\"b\"}\n");
      out.flush();
      Poll.until(WAIT, () -> new String(runtime.hub().charts().get("hosts")).contains("\"b\""),
          "the edited chart reads a field the first one did not");
      upstream.setSoTimeout(200);
      assertThatThrownBy(upstream::accept)
          .as("the source kept its connection: no second connect")
          .isInstanceOf(java.net.SocketTimeoutException.class);
      connection.close();
    }
  }
}
