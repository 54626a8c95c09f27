package livegraph;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import livegraph.emulator.SimulatedFeed;
import livegraph.emulator.StackExchangeEmulator;
import livegraph.pipeline.Event;
import livegraph.pipeline.Clock;
import livegraph.source.Source;
import livegraph.source.SourceContext;
import livegraph.source.SourceStatus;
import livegraph.source.Sources;
import livegraph.source.StackExchangeFeed;
import livegraph.testing.Frames;
import livegraph.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real source against the real emulator on loopback: the product's own upstream path. */
class EmulatorSourceIT {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private final EventLoopGroup group = Transport.group(1, "emulator-source-it");
  private StackExchangeEmulator emulator;
  private Source source;
  private final List<Event> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
    if (emulator != null) {
      emulator.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private Source connect(Duration silence) {
    SourceContext context = new SourceContext(Clock.system(), group, new SplittableRandom(),
        Duration.ofMillis(50), Duration.ofMillis(200));
    source = Sources.open(StackExchangeFeed.spec("stackexchange", emulator.uri(), silence), context);
    source.start(events::add);
    return source;
  }

  @Test
  void heartbeatsAreAnswered_soTheEmulatorKeepsTheSourceConnected() throws Exception {
    emulator = StackExchangeEmulator.builder()
        .heartbeatInterval(Duration.ofMillis(100))
        .heartbeatTimeout(Duration.ofMillis(300))
        .start(0);
    connect(Duration.ofMinutes(5));
    Poll.until(WAIT, () -> emulator.heartbeatRepliesReceived() >= 10, "ten heartbeats answered");
    assertThat(emulator.clientsDroppedForMissedHeartbeats()).isZero();
    assertThat(source.status().heartbeats()).isGreaterThanOrEqualTo(10);
    assertThat(source.status().reconnects()).isZero();
  }

  @Test
  void simulatedFeed_arrivesAsDecodedEvents() throws Exception {
    emulator = StackExchangeEmulator.builder().feed(SimulatedFeed.create(200, 3)).start(0);
    connect(Duration.ofMinutes(5));
    Poll.until(WAIT, () -> events.size() >= 100, "100 simulated events");
    assertThat(events).allSatisfy(e -> {
      assertThat(e.string("apiSiteParameter")).isNotBlank();
      assertThat(e.string("title")).isNotBlank();
      assertThat(e.string("@source")).isEqualTo("stackexchange");
    });
    assertThat(source.status().skippedTotal()).isZero();
  }

  @Test
  void afterTheEmulatorClosesTheSocket_theSourceReconnectsAndSubscribesAgain() throws Exception {
    emulator = StackExchangeEmulator.builder().start(0);
    connect(Duration.ofMinutes(5));
    Poll.until(WAIT, () -> emulator.subscribedClients() == 1, "subscribed");

    emulator.disconnectAll();
    Poll.until(WAIT, () -> emulator.subscribeMessagesReceived() == 2
        && emulator.subscribedClients() == 1, "subscribed again");
    Poll.until(WAIT, () -> source.status().state() == SourceStatus.State.LIVE, "live again");
    assertThat(source.status().reconnects()).isEqualTo(1);

    emulator.broadcast(Frames.question("math", 1, "after", List.of()));
    Poll.until(WAIT, () -> events.size() == 1, "the event after the reconnect");
    assertThat(events.get(0).string("apiSiteParameter")).isEqualTo("math");
  }

  @Test
  void deadSocket_onlyHeartbeats_theWatchdogReconnects() throws Exception {
    emulator = StackExchangeEmulator.builder().heartbeatInterval(Duration.ofMillis(100)).start(0);
    emulator.dataPaused(true);
    connect(Duration.ofMillis(700));
    Poll.until(WAIT, () -> emulator.subscribedClients() == 1, "subscribed");

    Poll.until(WAIT, () -> emulator.subscribeMessagesReceived() >= 2, "a reconnect after the silence");
    assertThat(source.status().heartbeats()).isPositive();
    assertThat(source.status().reconnects()).isPositive();

    emulator.dataPaused(false);
    Poll.until(WAIT, () -> emulator.subscribedClients() == 1, "subscribed after the reconnect");
    emulator.broadcast(Frames.question("diy", 2, "data again", List.of()));
    Poll.until(WAIT, () -> events.size() == 1, "data flows on the new socket");
  }
}
