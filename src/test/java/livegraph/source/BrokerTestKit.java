package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import livegraph.pipeline.Clock;
import livegraph.pipeline.Event;
import livegraph.source.SourceStatus.State;
import livegraph.testing.Poll;

/** What the broker source tests share: one message shape, its decoding, and a recording sink. */
final class BrokerTestKit {

  static final Duration WAIT = Duration.ofSeconds(10);

  /** Reconnects within tens of milliseconds, so restart tests stay quick. */
  static final Duration BACKOFF_BASE = Duration.ofMillis(20);

  static final Duration BACKOFF_CAP = Duration.ofMillis(200);

  private BrokerTestKit() {}

  static SourceContext context(EventLoopGroup group) {
    return new SourceContext(Clock.system(), group, new SplittableRandom(), BACKOFF_BASE, BACKOFF_CAP);
  }

  /** Every kind of value: integer, string, list, double, a nested one under an alias, and meta. */
  static Decoding decoding(String metaKey) {
    return new Decoding(
        Map.of(),
        null,
        null,
        List.of(
            Decoding.Extract.of("n"),
            Decoding.Extract.of("/level"),
            Decoding.Extract.of("tags"),
            Decoding.Extract.of("latency"),
            new Decoding.Extract("host", "ctx.host", false),
            Decoding.Extract.of(metaKey)));
  }

  /** Message number {@code n} as the publishers send it. */
  static String message(int n) {
    return "{\"n\":" + n + ",\"level\":\"" + level(n) + "\",\"tags\":[\"t" + n + "\",\"x\"],"
        + "\"latency\":" + (n + 0.5) + ",\"ctx\":{\"host\":\"h" + (n % 3) + "\"},\"ignored\":true}";
  }

  private static String level(int n) {
    return n % 2 == 0 ? "info" : "warn";
  }

  /** The fields message {@code n} must arrive with. */
  static Map<String, Object> fields(int n, String source, String metaKey, String origin) {
    Map<String, Object> f = new HashMap<>();
    f.put("n", (long) n);
    f.put("/level", level(n));
    f.put("tags", List.of("t" + n, "x"));
    f.put("latency", n + 0.5);
    f.put("host", "h" + (n % 3));
    f.put(metaKey, origin);
    f.put("@source", source);
    return f;
  }

  static void awaitState(Source source, State state) {
    Poll.until(WAIT, () -> source.status().state() == state, source.description() + " " + state
        + " (now " + source.status() + ")");
  }

  /** Records events and every status change. */
  static final class Recorder implements EventSink, Consumer<SourceStatus> {

    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<SourceStatus> statuses = new CopyOnWriteArrayList<>();

    @Override
    public boolean offer(Event event) {
      events.add(event);
      return true;
    }

    @Override
    public void accept(SourceStatus status) {
      statuses.add(status);
    }

    void awaitEvents(int count) {
      Poll.until(WAIT, () -> events.size() >= count, count + " events (have " + events.size() + ")");
      assertThat(events).hasSize(count);
    }

    List<Map<String, Object>> fields() {
      List<Map<String, Object>> all = new ArrayList<>();
      events.forEach(e -> all.add(e.fields()));
      return all;
    }

    List<State> states() {
      return statuses.stream().map(SourceStatus::state).toList();
    }

    /** The source was live before it first lost its server, and live again after. */
    void assertLiveBeforeAndAfterTheFirstLoss() {
      List<State> states = states();
      int lost = states.indexOf(State.RECONNECTING);
      assertThat(states.subList(0, lost)).contains(State.LIVE);
      assertThat(states.subList(lost, states.size())).contains(State.LIVE);
    }
  }
}
