package livegraph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import livegraph.dashboard.Dashboard;
import livegraph.hub.Hub;
import livegraph.pipeline.Event;
import livegraph.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' drivers fed one stream: what makes a cluster's charts and delta numbers the same
 * on every node, in memory (ClusterProcessIT does it over Redis with three processes).
 */
class StreamDriverTest {

  private static final long START = 1_700_000_000_000L;

  /** One entry of a stream: an event, or a tick numbered {@code tick} at {@code millis}. */
  private record Entry(Event event, long tick, long millis) {}

  @Test
  void twoNodes_fedTheSameEntries_cutByteIdenticalFramesUnderTheSameNumbers() {
    List<Entry> stream = stream(new SplittableRandom(7), 2_000);
    Node early = new Node();
    Node late = new Node();

    early.driver.caughtUp(); // live from the start: every tick is a published frame
    early.feed(stream);
    late.feed(stream.subList(0, 1_200)); // catches up with the first part, then goes live
    late.driver.caughtUp();
    late.feed(stream.subList(1_200, stream.size()));

    assertThat(late.hub.seq()).isEqualTo(early.hub.seq()).isEqualTo(lastTick(stream));
    assertThat(text(late.hub.charts())).isEqualTo(text(early.hub.charts()));
    assertThat(text(early.hub.charts()).get("n")).contains("\"value\":" + events(stream));
  }

  @Test
  void catchingUp_publishesNothing_thenOneSnapshotAtTheLastTick_thenADeltaPerTick() {
    List<Entry> stream = stream(new SplittableRandom(3), 300);
    Node node = new Node();
    RecordingViewer viewer = new RecordingViewer();
    node.hub.join(viewer, OptionalLong.empty());

    node.feed(stream.subList(0, 200));
    int beforeCatchUp = viewer.messages.size();
    node.driver.caughtUp();
    node.feed(stream.subList(200, stream.size()));

    assertThat(beforeCatchUp).as("hello and the empty snapshot only").isEqualTo(2);
    List<String> after = viewer.messages.subList(2, viewer.messages.size());
    assertThat(after.get(0)).startsWith("{\"type\":\"snapshot\",\"seq\":"
        + lastTick(stream.subList(0, 200)));
    long ticksAfter = stream.subList(200, stream.size()).stream().filter(e -> e.event == null)
        .count();
    assertThat(after.subList(1, after.size())).hasSize((int) ticksAfter)
        .allMatch(m -> m.startsWith("{\"type\":\"delta\""));
  }

  @Test
  void eventsBeyondThePendingBound_withoutATick_areAppliedAtTheLastTicksTime_onEveryNode() {
    List<Entry> stream = new ArrayList<>();
    stream.add(new Entry(null, 10, START + 100));
    for (int i = 0; i < StreamDriver.MAX_PENDING * 2 + 5; i++) {
      stream.add(new Entry(new Event(START + 150, Map.of("level", "info")), 0, 0));
    }
    stream.add(new Entry(null, 11, START + 200));
    Node a = new Node();
    Node b = new Node();
    a.driver.caughtUp();
    b.driver.caughtUp();
    a.feed(stream);
    b.feed(stream);

    assertThat(text(a.hub.charts())).isEqualTo(text(b.hub.charts()));
    assertThat(text(a.hub.charts()).get("n"))
        .contains("\"value\":" + (StreamDriver.MAX_PENDING * 2 + 5));
  }

  /** Events and ticks as a leader writes them: a tick every 100 ms of event time. */
  private static List<Entry> stream(SplittableRandom random, int events) {
    String[] levels = {"info", "warn", "error", "debug"};
    List<Entry> entries = new ArrayList<>();
    long time = START;
    long tick = 1_000;
    long nextTick = START + 100;
    for (int i = 0; i < events; i++) {
      time += random.nextInt(0, 30);
      while (time >= nextTick) {
        entries.add(new Entry(null, tick++, nextTick));
        nextTick += 100;
      }
      entries.add(new Entry(new Event(time, Map.of("level", levels[random.nextInt(4)])), 0, 0));
    }
    entries.add(new Entry(null, tick, nextTick));
    return entries;
  }

  private static long lastTick(List<Entry> stream) {
    long last = 0;
    for (Entry e : stream) {
      if (e.event == null) {
        last = e.tick;
      }
    }
    return last;
  }

  private static long events(List<Entry> stream) {
    return stream.stream().filter(e -> e.event != null).count();
  }

  private static Map<String, String> text(Map<String, byte[]> charts) {
    Map<String, String> out = new java.util.TreeMap<>();
    charts.forEach((id, bytes) -> out.put(id, new String(bytes, StandardCharsets.UTF_8)));
    return out;
  }

  /** A node's pipeline, hub and driver, wired as DashboardRuntime wires them in a cluster. */
  private static final class Node {
    final StreamDriver.TickClock clock = new StreamDriver.TickClock(START);
    final Hub hub;
    final StreamDriver driver;

    Node() {
      Dashboard d = CodeDashboard.build("Test", List.of(
          Chart.bar("Levels").id("levels").by("level").windows("10s", "all"),
          Chart.number("Events").id("n").measure("count").window("all")));
      StreamDriver[] self = new StreamDriver[1];
      Pipeline pipeline = new Pipeline(d.charts(), null, START, clock, 10_000,
          Duration.ofMillis(100), new livegraph.pipeline.FrameSink() {
            @Override
            public void publish(Map<String, byte[]> changed) {
              self[0].frames().publish(changed);
            }

            @Override
            public void publish(Map<String, byte[]> changed, long newest) {
              self[0].frames().publish(changed, newest);
            }
          }, null);
      hub = new Hub("{\"type\":\"hello\"}".getBytes(StandardCharsets.UTF_8), pipeline.snapshot(),
          () -> START, Hub.Limits.defaults());
      driver = new StreamDriver(clock, hub);
      driver.pipeline(pipeline);
      self[0] = driver;
    }

    void feed(List<Entry> entries) {
      for (Entry e : entries) {
        if (e.event != null) {
          driver.accept("0-0", e.event);
        } else {
          driver.tick("0-0", e.tick, e.millis);
        }
      }
    }
  }

  /** Keeps each message's text. */
  private static final class RecordingViewer implements livegraph.hub.Viewer {
    final List<String> messages = new ArrayList<>();

    @Override
    public boolean writable() {
      return true;
    }

    @Override
    public void send(byte[] message) {
      messages.add(new String(message, StandardCharsets.UTF_8));
    }

    @Override
    public void close(int code, String reason) {}
  }
}
