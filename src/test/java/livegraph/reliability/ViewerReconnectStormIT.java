package livegraph.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import livegraph.Chart;
import livegraph.Livegraph;
import livegraph.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A thousand viewers, a server restart, and all of them back at once: each reconnects within a
 * second of finding the new server (as the page does, with a random delay), gets a hello and a
 * snapshot, and then live deltas without a gap, while what the server queues for its viewers
 * stays within their high-water marks.
 */
class ViewerReconnectStormIT {

  private static final int VIEWERS = 1000;
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final long HIGH_WATER = 1024 * 1024;

  private Livegraph live;
  private ScheduledExecutorService feeder;

  @AfterEach
  void stop() {
    if (feeder != null) {
      feeder.shutdownNow();
    }
    if (live != null) {
      live.close();
    }
  }

  @Test
  void thousandViewers_reconnectAfterARestart_eachGetsHelloAndSnapshot_thenEveryDelta()
      throws Exception {
    live = start(0);
    int port = live.port();
    feeder = Executors.newSingleThreadScheduledExecutor();
    feeder.scheduleAtFixedRate(() -> {
      Livegraph now = live;
      if (now != null) {
        try {
          now.push("x", 1);
        } catch (RuntimeException e) {
          // between the two servers: nothing to push to
        }
      }
    }, 0, 500, TimeUnit.MILLISECONDS); // 2 deltas a second: the thousand viewers' client is one thread

    try (StormViewers viewers = new StormViewers(URI.create("ws://127.0.0.1:" + port + "/ws"),
        VIEWERS)) {
      viewers.open();
      Poll.until(WAIT, () -> live.hub().viewers() == VIEWERS, "every viewer connected");
      Poll.until(WAIT, () -> count(viewers, s -> s.deltas >= 3) == VIEWERS,
          "every viewer got live deltas before the restart");

      Livegraph old = live;
      live = null;
      old.close(); // every viewer gets 1001 and starts reconnecting
      Poll.until(WAIT, () -> count(viewers, s -> s.lastClose == 1001) == VIEWERS,
          "every viewer told the server is going away");
      long restartNanos = System.nanoTime();
      live = start(port);
      // A viewer may have reached the old server again while it was closing: what counts is
      // a connection to the new one.
      Poll.until(WAIT, () -> count(viewers, s -> s.connectedAtNanos > restartNanos && s.hellos >= 1
          && s.snapshots >= 1) == VIEWERS, "every viewer reconnected with hello and snapshot");
      double seconds = (System.nanoTime() - restartNanos) / 1e9;
      System.out.printf("storm: %d viewers back %.2f s after the restart%n", VIEWERS, seconds);
      Poll.until(WAIT, () -> live.hub().viewers() == VIEWERS, "the new hub has every viewer");

      long[] most = new long[1];
      live.hub().queuedBytes(q -> most[0] = Math.max(most[0], q));
      assertThat(most[0]).as("queued for the most-behind viewer").isLessThan(2 * HIGH_WATER);

      Poll.until(WAIT, () -> count(viewers, s -> s.connectedAtNanos > restartNanos
          && s.hellos == 1 && s.snapshots == 1 && s.deltas >= 3) == VIEWERS,
          "every viewer: one hello, one snapshot, then live deltas");
      assertThat(viewers.sum(s -> s.gaps)).as("deltas that did not follow on").isZero();
    }
  }

  private static int count(StormViewers viewers,
      java.util.function.Predicate<StormViewers.State> test) {
    try {
      return viewers.count(test);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Livegraph start(int port) throws Exception {
    return Livegraph.create(Livegraph.Config.defaults().withCharts("Storm",
        Chart.number("Events").id("n").measure("count").window("all"))).start(port);
  }
}
