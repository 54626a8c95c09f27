package livegraph.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LeaseKeeper}'s transitions with a scripted store, a manual clock and an executor that
 * only records what was scheduled: the test runs each step by hand, so nothing here is timed.
 */
class LeaseKeeperTest {

  private static final long TTL = 1_200; // interval 400, call timeout 200, margin 240, deadline send + 960

  private final ManualClock clock = new ManualClock();
  private final ScriptedStore store = new ScriptedStore();
  private final RecordingExecutor executor = new RecordingExecutor();
  private final List<String> events = new ArrayList<>();
  private final LeaseKeeper keeper =
      new LeaseKeeper(
          store,
          new LeaseKeeper.Listener() {
            @Override
            public void onAcquired() {
              events.add("acquired");
            }

            @Override
            public void onLost(String reason) {
              events.add("lost: " + reason);
            }
          },
          executor,
          clock,
          new SplittableRandom(3));

  @AfterEach
  void shutdown() {
    executor.shutdownNow();
  }

  @Test
  void acquired_thenRenewedEveryThirdOfTheTtl() {
    store.acquire.add(() -> true);
    keeper.start();
    assertThat(executor.lastDelay()).isZero();

    keeper.step();
    assertThat(events).containsExactly("acquired");
    assertThat(keeper.held()).isTrue();
    assertThat(executor.lastDelay()).isEqualTo(400);

    clock.now = 400;
    store.renew.add(() -> true);
    keeper.step();
    assertThat(store.renewCalls).isEqualTo(1);
    assertThat(keeper.held()).isTrue();
    assertThat(executor.lastDelay()).isEqualTo(400);
  }

  @Test
  void deadline_countsFromWhenTheAcquireWasSent_notWhenItWasAnswered() {
    // The reply takes 300 ms: counting from it would believe until 1,260 instead of 960.
    store.acquire.add(() -> clock.advance(300));
    keeper.step();
    assertThat(keeper.held()).isTrue();

    clock.now = 959;
    assertThat(keeper.held()).isTrue();
    store.renew.add(() -> true);
    keeper.step();
    assertThat(keeper.held()).as("one ms before the deadline a renewal may still confirm").isTrue();

    // That renewal was sent at 959: the next deadline is 959 + 960.
    clock.now = 959 + 960;
    store.acquire.add(() -> false);
    keeper.step();
    assertThat(store.renewCalls).as("no renewal once the deadline passed").isEqualTo(1);
    assertThat(keeper.held()).isFalse();
    assertThat(events).hasSize(2);
    assertThat(events.get(1)).startsWith("lost: no renewal confirmed before the local deadline (0 ms late)");
  }

  @Test
  void lateStep_declaresLostBeforeRenewing_evenIfRedisWouldStillConfirm() {
    store.acquire.add(() -> true);
    keeper.step();

    clock.now = 2_000; // the executor ran this step far too late
    assertThat(keeper.held()).as("readers see the deadline pass before the keeper runs").isFalse();
    store.acquire.add(() -> false); // held by someone else by now
    keeper.step();

    assertThat(store.renewCalls).isZero();
    assertThat(events).containsExactly(
        "acquired", "lost: no renewal confirmed before the local deadline (1040 ms late)");
    assertThat(keeper.lastReason()).isEqualTo("held by another node");
  }

  @Test
  void refusedRenewal_isLostAtOnce_andAcquiringResumesAfterAnInterval() {
    store.acquire.add(() -> true);
    keeper.step();
    clock.now = 400;
    store.renew.add(() -> false);
    keeper.step();

    assertThat(events).containsExactly(
        "acquired", "lost: renewal refused: the key expired or another node holds it");
    assertThat(executor.lastDelay()).isEqualTo(400);
  }

  @Test
  void redisErrorDuringRenewal_isLostAtOnce_thenBacksOffAtMostATtl() {
    store.acquire.add(() -> true);
    keeper.step();
    clock.now = 400;
    store.renew.add(ScriptedStore.fails("Connection refused"));
    keeper.step();

    assertThat(events).containsExactly(
        "acquired", "lost: Redis failed during renewal: IllegalStateException: Connection refused");
    for (int i = 0; i < 6; i++) {
      assertThat(executor.lastDelay()).isBetween(1L, TTL);
      store.acquire.add(ScriptedStore.fails("Connection refused"));
      keeper.step();
    }
    assertThat(keeper.lastReason()).isEqualTo("Redis unreachable: IllegalStateException: Connection refused");
    assertThat(executor.lastDelay()).as("backoff capped at the ttl").isEqualTo(TTL);
    assertThat(events).hasSize(2);
  }

  @Test
  void close_whileHeld_releasesAndTellsTheListener_andStopsTheChain() {
    store.acquire.add(() -> true);
    keeper.step();

    keeper.close();
    keeper.step(); // a step already scheduled runs after close: it must do nothing

    assertThat(store.releaseCalls).isEqualTo(1);
    assertThat(store.closed).isTrue();
    assertThat(store.acquireCalls).isEqualTo(1);
    assertThat(events).containsExactly("acquired", "lost: released: the node is stopping");
    assertThat(executor.scheduled.getLast().isCancelled()).isTrue();
  }

  @Test
  void close_whileNotHeld_releasesNothing() {
    store.acquire.add(() -> false);
    keeper.step();
    keeper.close();

    assertThat(store.releaseCalls).isZero();
    assertThat(events).isEmpty();
  }

  /** Milliseconds that move only when the test says so. */
  private static final class ManualClock implements livegraph.pipeline.Clock {
    long now;

    @Override
    public long millis() {
      return now;
    }

    boolean advance(long by) {
      now += by;
      return true;
    }
  }

  /** Answers each call from a queue of scripted outcomes; an empty queue fails the test. */
  private static final class ScriptedStore implements LeaseStore {
    final Deque<BooleanSupplier> acquire = new ArrayDeque<>();
    final Deque<BooleanSupplier> renew = new ArrayDeque<>();
    int acquireCalls;
    int renewCalls;
    int releaseCalls;
    boolean closed;

    static BooleanSupplier fails(String message) {
      return () -> {
        throw new IllegalStateException(message);
      };
    }

    @Override
    public boolean tryAcquire() {
      acquireCalls++;
      return next(acquire, "acquire");
    }

    @Override
    public boolean renew() {
      renewCalls++;
      return next(renew, "renew");
    }

    @Override
    public boolean release() {
      releaseCalls++;
      return true;
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public String key() {
      return "k";
    }

    @Override
    public Duration ttl() {
      return Duration.ofMillis(TTL);
    }

    private static boolean next(Deque<BooleanSupplier> script, String call) {
      BooleanSupplier outcome = script.poll();
      if (outcome == null) {
        throw new AssertionError("unscripted " + call);
      }
      return outcome.getAsBoolean();
    }
  }

  /** Records the delays asked for; the tasks never run by themselves (scheduled a day out). */
  private static final class RecordingExecutor extends ScheduledThreadPoolExecutor {
    final List<Long> delays = new ArrayList<>();
    final Deque<ScheduledFuture<?>> scheduled = new ArrayDeque<>();

    RecordingExecutor() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      delays.add(unit.toMillis(delay));
      ScheduledFuture<?> future = super.schedule(() -> {}, 1, TimeUnit.DAYS);
      scheduled.add(future);
      return future;
    }

    long lastDelay() {
      return delays.get(delays.size() - 1);
    }
  }
}
