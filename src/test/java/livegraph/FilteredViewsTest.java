package livegraph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import livegraph.dashboard.Dashboard;
import livegraph.dashboard.HelloJson;
import livegraph.hub.Hub;
import livegraph.pipeline.Event;
import livegraph.pipeline.Pipeline;
import livegraph.pipeline.View;
import livegraph.server.Views;
import livegraph.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The views of one dashboard, in memory: sharing, bounds and idle expiry on a clock the test
 * moves, a reload, and a view created while events pour in that counts each exactly once.
 */
class FilteredViewsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration TICK = Duration.ofMillis(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long T0 = 1_700_000_000_000L;

  private final AtomicLong now = new AtomicLong(T0);
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  /** Sites, their tags, a count of everything, the latest few. */
  private static Dashboard dashboard() {
    return CodeDashboard.build("Sites", List.of(
        Chart.bar("Sites").id("sites").by("site").windows("10m", "all"),
        Chart.bar("Tags").id("tags").by("tags").windows("10m", "all").top(100),
        Chart.number("Questions").id("n").measure("count").window("all"),
        Chart.list("Latest").id("latest").fields("site", "i").size(5)));
  }

  private FilteredViews views(FilteredViews.Limits limits) {
    FilteredViews views = new FilteredViews(dashboard(), now::get, 100_000, TICK, limits,
        (d, view) -> HelloJson.hello(d, new HelloJson.SourceInfo("test", "code", ""), view));
    closing.add(views);
    return views;
  }

  private static Views.Lease lease(Views.Answer answer) {
    assertThat(answer).isInstanceOf(Views.Opened.class);
    return ((Views.Opened) answer).lease();
  }

  private static String refusal(Views.Answer answer) {
    assertThat(answer).isInstanceOf(Views.Refused.class);
    return ((Views.Refused) answer).reason();
  }

  private static final Views.OnClosed IGNORE = (lease, reason) -> {};

  @Test
  void viewersOfTheSameFilter_shareOneHub_otherFiltersGetTheirOwn() {
    FilteredViews views = views(FilteredViews.Limits.defaults());

    Views.Lease a = lease(views.open("site", "math", IGNORE));
    Views.Lease b = lease(views.open("site", "math", IGNORE));
    Views.Lease c = lease(views.open("site", "stackoverflow", IGNORE));
    Views.Lease d = lease(views.open("tags", "math", IGNORE));

    assertThat(a.hub()).isSameAs(b.hub());
    assertThat(c.hub()).isNotSameAs(a.hub());
    assertThat(d.hub()).isNotSameAs(a.hub()).isNotSameAs(c.hub());
    assertThat(views.size()).isEqualTo(3);
    assertThat(views.hubsByView()).containsOnlyKeys(new View("site", "math"),
        new View("site", "stackoverflow"), new View("tags", "math"));
  }

  @Test
  void aFieldNoChartGroupsBy_orAnOverlongValue_isRefused_andOpensNothing() {
    FilteredViews views = views(FilteredViews.Limits.defaults());

    assertThat(refusal(views.open("i", "1", IGNORE)))
        .isEqualTo("no chart groups by \"i\"; filter by one of [site, tags]");
    assertThat(refusal(views.open("site", "x".repeat(201), IGNORE)))
        .isEqualTo("the value must be at most 200 characters");
    assertThat(views.size()).isZero();
  }

  @Test
  void full_takesTheViewIdleLongest_andRefusesWhenEveryViewIsWatched() {
    FilteredViews views = views(new FilteredViews.Limits(2, 30_000));
    Views.Lease math = lease(views.open("site", "math", IGNORE));
    Views.Lease so = lease(views.open("site", "so", IGNORE));

    assertThat(refusal(views.open("site", "ux", IGNORE)))
        .isEqualTo("too many filtered views of this dashboard (2, all being watched); "
            + "try again later");

    so.release();
    now.addAndGet(1_000);
    math.release();
    Views.Lease ux = lease(views.open("site", "ux", IGNORE));

    assertThat(views.hubsByView()).containsOnlyKeys(new View("site", "math"),
        new View("site", "ux"));
    assertThat(ux.hub()).isNotSameAs(so.hub());
  }

  @Test
  void anUnwatchedView_closesAfterTheGracePeriod_aWatchedOneNever() {
    FilteredViews views = views(new FilteredViews.Limits(16, 30_000));
    Views.Lease math = lease(views.open("site", "math", IGNORE));
    Views.Lease kept = lease(views.open("site", "so", IGNORE));
    Hub hub = math.hub();

    math.release();
    math.release(); // idempotent: the count does not go below zero
    now.addAndGet(29_999);
    views.sweep();
    assertThat(views.size()).isEqualTo(2);

    Views.Lease back = lease(views.open("site", "math", IGNORE));
    assertThat(back.hub()).as("back within the grace period: the same view").isSameAs(hub);
    back.release();
    now.addAndGet(29_999);
    views.sweep();
    assertThat(views.size()).as("the grace counts from the last release").isEqualTo(2);
    now.addAndGet(1);
    views.sweep();
    assertThat(views.hubsByView()).containsOnlyKeys(new View("site", "so"));

    now.addAndGet(3_600_000);
    views.sweep();
    assertThat(views.size()).isEqualTo(1);
    kept.release();
  }

  @Test
  void reset_closesEveryView_andTellsEachLeaseHolder() {
    FilteredViews views = views(FilteredViews.Limits.defaults());
    ConcurrentLinkedQueue<String> told = new ConcurrentLinkedQueue<>();
    Views.OnClosed record = (lease, reason) -> told.add(lease.hub().viewers() + " " + reason);
    lease(views.open("site", "math", record));
    lease(views.open("site", "math", record));
    lease(views.open("site", "so", record)).release();

    views.reset(dashboard());

    assertThat(told).containsExactly("0 " + FilteredViews.RELOADED, "0 " + FilteredViews.RELOADED);
    assertThat(views.size()).isZero();
    assertThat(views.historySize()).isZero();
  }

  /**
   * The race the history lock settles: events pour in from four threads while views are
   * created, one after another; afterwards each view has counted every event with its key
   * exactly once, and a keyed chart grouped by the filter field still shows every key.
   */
  @Test
  void viewsCreatedWhileEventsArrive_countEachOfTheirEventsOnce_historyThenLive()
      throws Exception {
    FilteredViews views = views(FilteredViews.Limits.defaults());
    Dashboard dashboard = dashboard();
    Pipeline main = new Pipeline(dashboard.charts(), null, T0, now::get, 100_000, TICK,
        changed -> {}, views);
    closing.add(main);
    main.start(FilteredViewsTest::daemon);

    int perThread = 3_000;
    String[] sites = {"math", "stackoverflow", "superuser", "ux"};
    String[] tags = {"algebra", "java", "c#", "linux", "python"};
    List<List<Event>> streams = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      SplittableRandom random = new SplittableRandom(t);
      List<Event> stream = new ArrayList<>();
      for (int i = 0; i < perThread; i++) {
        stream.add(new Event(T0, Map.of("site", sites[random.nextInt(sites.length)],
            "tags", List.of(tags[random.nextInt(tags.length)], tags[random.nextInt(2)]),
            "i", (long) (t * perThread + i))));
      }
      streams.add(stream);
    }
    AtomicLong offered = new AtomicLong();
    List<Thread> producers = new ArrayList<>();
    for (List<Event> stream : streams) {
      Thread producer = daemon(() -> {
        for (Event event : stream) {
          while (!main.offer(event)) {
            Thread.onSpinWait();
          }
          offered.incrementAndGet();
          // Paced, so the views below are created while the pipeline is taking batches.
          java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
      });
      producer.start();
      producers.add(producer);
    }
    Map<String, Views.Lease> leases = new HashMap<>();
    for (int s = 0; s < sites.length; s++) {
      long due = (s + 1L) * streams.size() * perThread / (sites.length + 1);
      Poll.until(WAIT, () -> offered.get() >= due, due + " events offered");
      leases.put(sites[s], lease(views.open("site", sites[s], IGNORE)));
    }
    for (Thread producer : producers) {
      producer.join();
    }

    for (String site : sites) {
      long count = 0;
      Map<String, Long> siteTags = new HashMap<>();
      for (List<Event> stream : streams) {
        for (Event e : stream) {
          if (e.string("site").equals(site)) {
            count++;
            for (String tag : new java.util.LinkedHashSet<>(e.keys("tags"))) {
              siteTags.merge(tag, 1L, Long::sum);
            }
          }
        }
      }
      long expected = count;
      Hub hub = leases.get(site).hub();
      Poll.until(WAIT, () -> number(hub) >= expected, site + ": the view to count " + expected);
      Poll.holds(Duration.ofMillis(200), () -> number(hub) == expected,
          site + ": the view counts " + expected + " (no event twice)");
      assertThat(bars(hub, "tags")).as(site).isEqualTo(siteTags);
      assertThat(bars(hub, "sites")).as("grouped by the filter field: every site")
          .containsOnlyKeys(sites);
    }
    assertThat(main.dropped()).isZero();
    assertThat(views.historySize()).isEqualTo(4 * perThread);
  }

  /** The same without threads: what the history held, then what came after, each once. */
  @Test
  void aView_replaysTheHistory_thenTakesLiveEvents() {
    FilteredViews views = views(FilteredViews.Limits.defaults());
    Pipeline main = new Pipeline(dashboard().charts(), null, T0, now::get, 1000, TICK,
        changed -> {}, views);
    closing.add(main);
    for (int i = 0; i < 3; i++) {
      main.offer(new Event(T0, Map.of("site", "math", "tags", List.of("algebra"))));
      main.offer(new Event(T0, Map.of("site", "ux", "tags", List.of("algebra"))));
    }
    main.runOnce();

    Hub hub = lease(views.open("tags", "algebra", IGNORE)).hub();
    main.offer(new Event(T0, Map.of("site", "math", "tags", List.of("algebra", "calculus"))));
    main.offer(new Event(T0, Map.of("site", "math", "tags", List.of("calculus"))));
    main.runOnce();

    Poll.until(WAIT, () -> number(hub) == 7, "3 + 3 from history, 1 live");
    assertThat(bars(hub, "sites")).isEqualTo(Map.of("math", 4L, "ux", 3L));
    assertThat(bars(hub, "tags")).as("grouped by the filter field: whole")
        .isEqualTo(Map.of("algebra", 7L, "calculus", 2L));
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task, "test-producer");
    thread.setDaemon(true);
    return thread;
  }

  private static JsonNode chart(Hub hub, String id) {
    try {
      return JSON.readTree(hub.charts().get(id));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long number(Hub hub) {
    return chart(hub, "n").get("value").asLong();
  }

  private static Map<String, Long> bars(Hub hub, String id) {
    JsonNode all = chart(hub, id).at("/windows/all");
    Map<String, Long> bars = new HashMap<>();
    for (int i = 0; i < all.get("x").size(); i++) {
      bars.put(all.get("x").get(i).asText(), all.at("/columns/0/" + i).asLong());
    }
    return bars;
  }
}
