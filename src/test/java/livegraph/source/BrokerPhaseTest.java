package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import livegraph.testing.Poll;
import livegraph.source.SourceStatus.State;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class BrokerPhaseTest {

  private final BrokerPhase phase = new BrokerPhase("src", LoggerFactory.getLogger(BrokerPhaseTest.class));

  @Test
  void closed_isFinal_lateCallbacksCannotReviveIt() {
    List<State> seen = new ArrayList<>();
    phase.listener(s -> seen.add(s.state()));
    phase.set(State.LIVE, "subscribed to a");

    assertThat(phase.close()).isTrue();
    assertThat(phase.close()).isFalse();
    assertThat(phase.set(State.LIVE, "subscribed to a")).isFalse();

    assertThat(phase.status(0).state()).isEqualTo(State.CLOSED);
    assertThat(phase.status(0).detail()).isEqualTo("closed");
    assertThat(seen).containsExactly(State.LIVE, State.CLOSED);
  }

  @Test
  void libraryDrops_addToTheSinksDrops() {
    phase.counters().dropped();

    assertThat(phase.status(0).dropped()).isEqualTo(1);
    assertThat(phase.status(5).dropped()).isEqualTo(6);
  }

  @Test
  void closing_endsABackoffWaitAtOnce() throws Exception {
    AtomicBoolean stillOpen = new AtomicBoolean(true);
    Thread waiter = new Thread(() -> {
      try {
        stillOpen.set(phase.awaitUnlessClosed(60_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    waiter.start();
    Poll.until(Duration.ofSeconds(5), () -> waiter.getState() == Thread.State.TIMED_WAITING, "the wait");

    phase.close();

    waiter.join(5_000);
    assertThat(waiter.isAlive()).isFalse();
    assertThat(stillOpen.get()).isFalse();
  }

  @Test
  void anOpenSource_waitsItsDelay() throws Exception {
    assertThat(phase.awaitUnlessClosed(1)).isTrue();
  }

  @Test
  void describe_findsTheSocketErrorInsideLibraryWrappers() {
    IOException jedis = new IOException("Failed to connect to 127.0.0.1:1.");
    jedis.addSuppressed(new ConnectException("Connection refused"));
    assertThat(BrokerPhase.describe(jedis)).isEqualTo("connection refused");

    Exception hivemq =
        new CompletionException(new RuntimeException("wrapped", new ConnectException("finishConnect(..) failed: Connection refused")));
    assertThat(BrokerPhase.describe(hivemq)).isEqualTo("connection refused");

    assertThat(BrokerPhase.describe(new RuntimeException(new SocketTimeoutException("Read timed out"))))
        .isEqualTo("timed out");
    assertThat(BrokerPhase.describe(new IOException("Read channel closed.")))
        .isEqualTo("Read channel closed.");
    assertThat(BrokerPhase.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
    assertThat(BrokerPhase.describe(null)).isEqualTo("connection lost");
  }
}
