package livegraph.pipeline;

import livegraph.testing.Poll;
import static livegraph.pipeline.TestEvents.event;
import static livegraph.pipeline.TestEvents.json;
import static livegraph.pipeline.TestEvents.site;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class PipelineTest {

  private static final long T0 = 1_700_000_000_000L; // a bucket boundary
  private static final Duration TICK = Duration.ofMillis(100);

  private static final List<KeyedChartSpec.Column> COUNT =
      List.of(new KeyedChartSpec.Column("Questions", Measure.COUNT));

  private static final List<Window> WINDOWS = List.of(
      new Window("10m", "10 min", Duration.ofMinutes(10)),
      Window.sinceStart("all", "since start"));

  private static final List<ChartSpec> CHARTS = List.of(
      new KeyedChartSpec("communities", "Communities", KeyedChartSpec.Kind.BAR,
          "apiSiteParameter", COUNT, Filter.ALL, 30, false, WINDOWS, "10m",
          Duration.ofSeconds(10), 100),
      new KeyedChartSpec("tags", "Tags", KeyedChartSpec.Kind.BAR, "tags", COUNT,
          Filter.equals("apiSiteParameter", "stackoverflow"), 25, false, WINDOWS, "10m",
          Duration.ofSeconds(10), 100),
      new ListSpec("latest", "Latest", 5, List.of("apiSiteParameter")));

  private final ManualClock clock = new ManualClock(T0);
  private final ConcurrentLinkedQueue<Map<String, byte[]>> frames = new ConcurrentLinkedQueue<>();

  private Pipeline pipeline(List<ChartSpec> charts, int capacity) {
    return new Pipeline(charts, clock, capacity, TICK, frames::add);
  }

  @Test
  void runOnce_publishesOnlyChangedCharts_inSpecOrder() {
    try (Pipeline pipeline = pipeline(CHARTS, 100)) {
      pipeline.offer(event(T0, "apiSiteParameter", "stackoverflow", "tags", List.of("java")));
      pipeline.runOnce();
      assertThat(frames.poll().keySet()).containsExactly("communities", "tags", "latest");

      pipeline.offer(site(T0, "math")); // not Stack Overflow: tags unchanged
      pipeline.runOnce();
      Map<String, byte[]> frame = frames.poll();
      assertThat(frame.keySet()).containsExactly("communities", "latest");
      assertThat(json(frame.get("communities")).at("/windows/10m/x").toString())
          .isEqualTo("[\"math\",\"stackoverflow\"]");
      assertThat(frames).isEmpty();
    }
  }

  @Test
  void runOnce_publishesNothing_whenNothingChanged() {
    try (Pipeline pipeline = pipeline(CHARTS, 100)) {
      pipeline.runOnce(); // initial empty state equals the snapshot: nothing new
      assertThat(frames).isEmpty();

      pipeline.offer(site(T0, "math"));
      pipeline.runOnce();
      assertThat(frames.poll()).isNotNull();

      clock.advance(Duration.ofSeconds(30)); // buckets move, but no count does
      pipeline.runOnce();
      pipeline.runOnce();
      assertThat(frames).isEmpty();
    }
  }

  @Test
  void publish_saysWhenItsNewestEventWasTaken_andNoEventWhenOnlyTimeMoved() {
    List<Long> newest = new java.util.ArrayList<>();
    FrameSink sink = new FrameSink() {
      @Override
      public void publish(Map<String, byte[]> changed) {
        throw new AssertionError("the pipeline calls the two-argument publish");
      }

      @Override
      public void publish(Map<String, byte[]> changed, long newestEventNanos) {
        newest.add(newestEventNanos);
      }
    };
    try (Pipeline pipeline = new Pipeline(CHARTS, clock, 100, TICK, sink)) {
      long before = System.nanoTime();
      pipeline.offer(site(T0, "math"));
      pipeline.runOnce();
      assertThat(newest).hasSize(1);
      assertThat(newest.get(0) - before).isBetween(0L, Duration.ofSeconds(10).toNanos());

      clock.set(T0 + 600_000); // a frame only because the 10 min window emptied
      pipeline.runOnce();
      assertThat(newest).hasSize(2);
      assertThat(newest.get(1)).isEqualTo(FrameSink.NO_EVENT);
    }
  }

  @Test
  void runOnce_publishes_whenOnlyTimeMovedEnoughToExpireABucket() {
    try (Pipeline pipeline = pipeline(CHARTS, 100)) {
      pipeline.offer(site(T0, "math"));
      pipeline.runOnce();
      frames.clear();

      clock.set(T0 + 599_999);
      pipeline.runOnce();
      assertThat(frames).isEmpty();

      clock.set(T0 + 600_000);
      pipeline.runOnce();
      Map<String, byte[]> frame = frames.poll();
      assertThat(frame.keySet()).containsExactly("communities");
      assertThat(json(frame.get("communities")).at("/windows/10m/x")).isEmpty();
      assertThat(json(frame.get("communities")).at("/windows/all/x").toString())
          .isEqualTo("[\"math\"]");
    }
  }

  @Test
  void timeSeries_isPublished_whenTimeEntersANewBucket() {
    List<ChartSpec> charts = List.of(new TimeSeriesSpec("activity", "Activity",
        TimeSeriesSpec.Style.LINE, "apiSiteParameter", Measure.COUNT, Filter.ALL,
        Duration.ofSeconds(10), Duration.ofMinutes(1), 3));
    try (Pipeline pipeline = pipeline(charts, 100)) {
      clock.advance(Duration.ofSeconds(9));
      pipeline.runOnce();
      assertThat(frames).isEmpty();

      clock.advance(Duration.ofSeconds(1));
      pipeline.runOnce();
      assertThat(json(frames.poll().get("activity")).get("start").asLong())
          .isEqualTo(T0 - 40_000);
    }
  }

  @Test
  void full_saysWhetherOfferWouldRefuse_andRefusedCountsAsDropped() {
    Pipeline pipeline = pipeline(CHARTS, 2);
    try (pipeline) {
      assertThat(pipeline.full()).isFalse();
      assertThat(pipeline.offer(site(T0, "a"))).isTrue();
      assertThat(pipeline.full()).isFalse();
      assertThat(pipeline.offer(site(T0, "b"))).isTrue();
      assertThat(pipeline.full()).isTrue();
      pipeline.refused();
      assertThat(pipeline.eventsIn()).isEqualTo(2);
      assertThat(pipeline.dropped()).isEqualTo(1);
    }
    assertThat(pipeline.full()).as("closed").isTrue();
  }

  @Test
  void offer_returnsFalse_whenIntakeFull_andCountsDropped() {
    try (Pipeline pipeline = pipeline(CHARTS, 2)) {
      assertThat(pipeline.offer(site(T0, "a"))).isTrue();
      assertThat(pipeline.offer(site(T0, "b"))).isTrue();
      assertThat(pipeline.offer(site(T0, "c"))).isFalse();
      assertThat(pipeline.eventsIn()).isEqualTo(2);
      assertThat(pipeline.dropped()).isEqualTo(1);

      pipeline.runOnce(); // drained: room again
      assertThat(pipeline.offer(site(T0, "d"))).isTrue();
      assertThat(json(frames.poll().get("communities")).at("/windows/all/x").toString())
          .isEqualTo("[\"a\",\"b\"]");
    }
  }

  @Test
  void futureEvent_countsAsNow_andTooOldEvent_isCountedLate() {
    List<ChartSpec> charts = List.of(
        new TimeSeriesSpec("activity", "Activity", TimeSeriesSpec.Style.LINE,
            "apiSiteParameter", Measure.COUNT, Filter.ALL, Duration.ofSeconds(10),
            Duration.ofMinutes(1), 3),
        new ListSpec("latest", "Latest", 5, List.of("apiSiteParameter")));
    try (Pipeline pipeline = pipeline(charts, 100)) {
      pipeline.offer(site(T0 + Duration.ofHours(1).toMillis(), "future"));
      pipeline.offer(site(T0 - Duration.ofHours(1).toMillis(), "ancient"));
      pipeline.runOnce();

      Map<String, byte[]> frame = frames.poll();
      assertThat(json(frame.get("latest")).at("/items/1/time").asLong()).isEqualTo(T0);
      assertThat(json(frame.get("activity")).at("/series/0/values/5").asLong()).isEqualTo(1);
      assertThat(json(frame.get("activity")).at("/series/1/name").asText()).isEqualTo("future");
      assertThat(pipeline.late()).isEqualTo(1);
    }
  }

  @Test
  void snapshot_holdsEveryChart_asOfTheLastPublish() {
    try (Pipeline pipeline = pipeline(CHARTS, 100)) {
      assertThat(pipeline.snapshot().keySet()).containsExactly("communities", "tags", "latest");
      assertThat(json(pipeline.snapshot().get("latest")).get("items")).isEmpty();

      pipeline.offer(site(T0, "math"));
      pipeline.runOnce();

      Map<String, byte[]> snapshot = pipeline.snapshot();
      assertThat(snapshot.keySet()).containsExactly("communities", "tags", "latest");
      assertThat(json(snapshot.get("latest")).get("items")).hasSize(1);
      assertThat(json(snapshot.get("tags")).at("/windows/all/x")).isEmpty();
    }
  }

  @Test
  void failingSink_doesNotStopLaterPublishes() {
    AtomicReference<Map<String, byte[]>> last = new AtomicReference<>();
    int[] calls = {0};
    try (Pipeline pipeline = new Pipeline(CHARTS, clock, 10, TICK, frame -> {
      calls[0]++;
      if (calls[0] == 1) {
        throw new IllegalStateException("hub down");
      }
      last.set(frame);
    })) {
      pipeline.offer(site(T0, "a"));
      pipeline.runOnce();
      pipeline.offer(site(T0, "b"));
      pipeline.runOnce();
      assertThat(calls[0]).isEqualTo(2);
      assertThat(json(last.get().get("communities")).at("/windows/all/x").toString())
          .isEqualTo("[\"a\",\"b\"]");
    }
  }

  @Test
  void threadedMode_appliesEveryEvent_ofAFloodThenATrickle_thenIdlesAndWakesForTheNext() {
    Pipeline pipeline = pipeline(CHARTS, 10_000);
    pipeline.start(task -> new Thread(task, "pipeline-test"));
    try {
      // A flood of several batches, then a trickle the thread takes while napping between
      // drains, then a pause long enough for it to go back to waiting on the intake.
      int offered = 0;
      for (int i = 0; i < 5_000; i++) {
        offered += pipeline.offer(site(T0, "so")) ? 1 : 0;
      }
      for (int i = 0; i < 20; i++) {
        offered += pipeline.offer(site(T0, "so")) ? 1 : 0;
        LockSupport.parkNanos(200_000);
      }
      assertThat(offered).isEqualTo(5_020);
      awaitCount(pipeline, 5_020);
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
      assertThat(pipeline.offer(site(T0, "so"))).isTrue();
      awaitCount(pipeline, 5_021);
    } finally {
      pipeline.close();
    }
  }

  private static void awaitCount(Pipeline pipeline, long count) {
    Poll.until(Duration.ofSeconds(5),
        () -> json(pipeline.snapshot().get("communities")).at("/windows/all/columns/0/0")
            .asLong() == count,
        "communities count " + count);
  }

  @Test
  void threadedMode_deliversFrames_andStopsOnClose() {
    Pipeline pipeline = pipeline(CHARTS, 100);
    Thread[] thread = new Thread[1];
    pipeline.start(task -> thread[0] = new Thread(task, "pipeline-test"));
    try {
      assertThat(pipeline.offer(site(T0, "math"))).isTrue();
      Poll.until(Duration.ofSeconds(5), () -> !frames.isEmpty(), "condition");
      assertThat(json(frames.poll().get("communities")).at("/windows/10m/x").toString())
          .isEqualTo("[\"math\"]");

      clock.advance(Duration.ofMinutes(10)); // a tick with no event still expires the bucket
      Poll.until(Duration.ofSeconds(5), () -> !frames.isEmpty(), "condition");
      assertThat(json(frames.poll().get("communities")).at("/windows/10m/x")).isEmpty();

      assertThatThrownBy(pipeline::runOnce).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> pipeline.start(Thread::new))
          .isInstanceOf(IllegalStateException.class);
    } finally {
      pipeline.close();
    }
    assertThat(thread[0].isAlive()).isFalse();
    pipeline.close(); // idempotent
    assertThat(pipeline.offer(site(T0, "late"))).isFalse();
  }

  @Test
  void constructor_rejectsDuplicateChartIds() {
    List<ChartSpec> charts = List.of(CHARTS.get(0), CHARTS.get(0));
    assertThatThrownBy(() -> pipeline(charts, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate chart id: communities");
  }

  @Test
  void aViewsPipeline_takesWholeBatches_boundedInEvents_andRefusesOneThatDoesNotFitWhole() {
    try (Pipeline view = new Pipeline(CHARTS, new View("apiSiteParameter", "math"), T0, clock,
        3, TICK, frames::add, null)) {
      assertThat(view.offerAll(List.of(site(T0, "math"), site(T0, "ux")))).isTrue();
      assertThat(view.offerAll(List.of(site(T0, "math"), site(T0, "math")))).isFalse();
      assertThat(view.offer(site(T0, "math"))).isTrue();
      assertThat(view.eventsIn()).isEqualTo(3);
      assertThat(view.dropped()).isEqualTo(2);

      view.runOnce();

      Map<String, byte[]> frame = frames.poll();
      assertThat(json(frame.get("latest")).get("items").size()).as("math only").isEqualTo(2);
      assertThat(json(frame.get("communities")).at("/windows/all/x").toString())
          .as("grouped by the view's field: whole").isEqualTo("[\"math\",\"ux\"]");
      assertThat(view.offerAll(List.of(site(T0, "math"), site(T0, "math"), site(T0, "math"))))
          .as("room again once taken").isTrue();
    }
  }

  /** A fixed bug: the view-narrowing constructor dropped a chart's own where for the whole dashboard. */
  @Test
  void aChartsOwnFilter_leavesOutOtherEvents_inTheWholeDashboardAndInAView() {
    for (View view : new View[] {null, new View("tags", "java")}) {
      frames.clear();
      try (Pipeline pipeline = new Pipeline(CHARTS, view, T0, clock, 100, TICK, frames::add,
          null)) {
        pipeline.offer(event(T0, "apiSiteParameter", "math", "tags", List.of("java")));
        pipeline.offer(event(T0, "apiSiteParameter", "stackoverflow", "tags", List.of("java")));
        pipeline.runOnce();

        assertThat(json(frames.poll().get("tags")).at("/windows/all/columns/0").toString())
            .as("view " + view).isEqualTo("[1]");
      }
    }
  }
}
