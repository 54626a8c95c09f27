package livegraph;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import livegraph.dashboard.Dashboard;
import livegraph.dashboard.HelloJson;
import livegraph.journal.ChannelOpener;
import livegraph.journal.JournalSettings;
import livegraph.pipeline.Event;
import livegraph.server.Views;
import livegraph.source.SourceContext;
import livegraph.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dashboard's journal wired in: what one run's charts took, the next run's charts show. */
class JournalReplayTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String[] LEVELS = {"info", "warn", "error"};

  @TempDir Path root;
  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private EventLoopGroup group;
  private DashboardRuntime.Settings settings;

  @BeforeEach
  void setUp() {
    group = Transport.group(1, "test-source");
    settings = new DashboardRuntime.Settings(now::get, 1000, Duration.ofMillis(20),
        new SourceContext(now::get, group, new SplittableRandom(1), Duration.ofMillis(10),
            Duration.ofMillis(100)),
        d -> new HelloJson.SourceInfo("test", "code", ""),
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), root,
        new JournalSettings(4L << 20, 1L << 20, Duration.ofMinutes(1), Duration.ofMillis(10),
            10_000, ChannelOpener.files()),
        Dashboard::name);
  }

  @AfterEach
  void tearDown() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static Dashboard dashboard() {
    return CodeDashboard.build("Test", List.of(
        Chart.bar("Levels").id("levels").by("level").windows("all", "5m"),
        Chart.number("Events").id("n").measure("count").window("all"),
        Chart.number("Mean").id("mean").measure("avg(ms)").window("5m")));
  }

  private static Map<String, String> charts(DashboardRuntime runtime) {
    Map<String, String> text = new LinkedHashMap<>();
    runtime.hub().charts().forEach((id, bytes) -> text.put(id, new String(bytes)));
    return text;
  }

  private static void offer(DashboardRuntime runtime, long time, int from, int to) {
    for (int n = from; n < to; n++) {
      assertThat(runtime.offer(new Event(time + n, Map.of("level", LEVELS[n % 3],
          "ms", (long) n)))).isTrue();
    }
  }

  @Test
  void aRestart_showsTheChartsAsTheyWere_andTheViewsHistoryIsRefilled() {
    Map<String, String> before;
    DashboardRuntime first = new DashboardRuntime(dashboard(), settings).start();
    try {
      offer(first, now.get(), 0, 60);
      now.addAndGet(1000);
      Poll.until(WAIT, () -> first.journal().acknowledged() == 60, "60 acknowledged");
      Poll.until(WAIT, () -> charts(first).get("n").contains("\"value\":60"), "60 counted");
      before = charts(first);
    } finally {
      first.close();
    }

    DashboardRuntime second = new DashboardRuntime(dashboard(), settings).start();
    try {
      // Published by start itself, before any source or viewer: no poll needed.
      assertThat(charts(second)).isEqualTo(before);
      assertThat(second.journal().replayed().events()).isEqualTo(60);
      assertThat(second.views().historySize()).isEqualTo(60);
      Views.Answer view = second.views().open("level", "error", (lease, reason) -> { });
      livegraph.hub.Hub errors = ((Views.Opened) view).lease().hub();
      Poll.until(WAIT, () -> new String(errors.charts().get("n")).contains("\"value\":20"),
          "the view counts the replayed errors");
      assertThat(second.journal().acknowledged()).as("the replay is not journaled again")
          .isZero();

      offer(second, now.get(), 60, 63);
      Poll.until(WAIT, () -> second.journal().acknowledged() == 3, "3 more acknowledged");
    } finally {
      second.close();
    }

    DashboardRuntime third = new DashboardRuntime(dashboard(), settings).start();
    try {
      assertThat(third.journal().replayed().events()).isEqualTo(63);
      assertThat(charts(third).get("n")).contains("\"value\":63");
    } finally {
      third.close();
    }
  }

  @Test
  void aSecondRuntimeOnTheSameDirectory_runsWithoutAJournal_andSaysWhy() {
    DashboardRuntime first = new DashboardRuntime(dashboard(), settings).start();
    try {
      DashboardRuntime second = new DashboardRuntime(dashboard(), settings).start();
      try {
        assertThat(second.journal()).isNull();
        assertThat(second.journalState()).startsWith("not kept: ")
            .contains("is in use by another livegraph");
        offer(second, now.get(), 0, 1);
        Poll.until(WAIT, () -> charts(second).get("n").contains("\"value\":1"),
            "it serves all the same");
      } finally {
        second.close();
      }
    } finally {
      first.close();
    }
  }
}
