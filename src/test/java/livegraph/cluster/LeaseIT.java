package livegraph.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import livegraph.pipeline.Clock;
import livegraph.testing.Poll;
import livegraph.testing.RedisBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import redis.clients.jedis.Jedis;

/** {@link Lease} and {@link LeaseKeeper} against a real redis-server of our own. */
class LeaseIT {

  private static final Duration TTL = Duration.ofSeconds(2);
  private static final Duration WAIT = Duration.ofSeconds(20); // generous: a loaded 2-core CI machine
  private static final AtomicInteger KEYS = new AtomicInteger();
  private static final Clock CLOCK = LeaseKeeper.monotonic();

  private static RedisBroker broker;

  private final List<LeaseKeeper> keepers = new ArrayList<>();
  private final Map<LeaseKeeper, Lease> leases = new HashMap<>();
  private final List<ScheduledExecutorService> executors = new ArrayList<>();
  private String key;

  @BeforeAll
  static void startRedis() {
    broker = new RedisBroker();
  }

  @AfterAll
  static void stopRedis() {
    broker.close();
  }

  @BeforeEach
  void uniqueKey(TestInfo test) {
    if (broker.ownProcess()) {
      broker.start(); // a test may have left it stopped
    }
    key = "livegraph-lease-it:" + ProcessHandle.current().pid() + ":" + KEYS.incrementAndGet()
        + ":" + test.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void stopKeepers() {
    keepers.forEach(LeaseKeeper::close);
    executors.forEach(ScheduledExecutorService::shutdownNow);
    if (broker.accepting()) {
      try (Jedis jedis = jedis()) {
        jedis.del(key);
      }
    }
  }

  @Test
  void twoKeepersOnOneKey_exactlyOneAcquires() {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    LeaseKeeper ka = keeper("node-a", TTL, a);
    LeaseKeeper kb = keeper("node-b", TTL, b);
    ka.start();
    kb.start();

    Poll.until(WAIT, () -> ka.held() || kb.held(), "one keeper to acquire");
    // Safety over several renewal rounds: never both at once.
    Poll.holds(TTL.multipliedBy(2), () -> !(ka.held() && kb.held()), "at most one holder");

    LeaseKeeper winner = ka.held() ? ka : kb;
    LeaseKeeper loser = winner == ka ? kb : ka;
    assertThat(leases.get(winner).holder()).contains(leases.get(winner).nodeId());
    assertThat(loser.held()).isFalse();
    assertThat(loser.lastReason()).isEqualTo("held by another node");
    assertThat((winner == ka ? b : a).events()).doesNotContain("acquired");
  }

  @Test
  void holderStops_otherAcquires_withinTtlPlusOneRetry() {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    LeaseKeeper ka = keeper("node-a", TTL, a);
    ka.start();
    Poll.until(WAIT, ka::held, "node-a to acquire");
    LeaseKeeper kb = keeper("node-b", TTL, b);
    b.other = ka;
    kb.start();
    Poll.until(WAIT, () -> "held by another node".equals(kb.lastReason()), "node-b to find it held");

    executors.get(0).shutdownNow(); // node-a dies: no renewal, no release
    long died = CLOCK.millis();
    Poll.until(WAIT, () -> !b.events().isEmpty(), "node-b to take over");
    System.out.printf("takeover after the holder died: %d ms (ttl %d ms)%n", CLOCK.millis() - died, TTL.toMillis());

    assertThat(leases.get(kb).holder()).contains("node-b");
    assertThat(b.events()).containsExactly("acquired");
    assertThat(b.othersHeldAtAcquire)
        .as("the dead holder's own deadline had passed before node-b got the key")
        .isFalse();
  }

  @Test
  void renewalAfterAnotherNodeTookTheKey_reportsLostWithAReason() {
    Recorder a = new Recorder();
    LeaseKeeper ka = keeper("node-a", TTL, a);
    ka.start();
    Poll.until(WAIT, ka::held, "node-a to acquire");

    try (Jedis jedis = jedis()) {
      jedis.set(key, "intruder:0123");
    }
    Poll.until(WAIT, () -> a.events().size() == 2, "node-a to be told it lost the lease");
    assertThat(ka.held()).isFalse();

    assertThat(a.events()).containsExactly("acquired", "lost: renewal refused: the key expired or another node holds it");
    try (Jedis jedis = jedis()) {
      assertThat(jedis.get(key)).as("the loser neither renews nor deletes the key").isEqualTo("intruder:0123");
      assertThat(jedis.pttl(key)).as("no ttl was put on the intruder's key").isEqualTo(-1L);
    }
  }

  @Test
  void redisStopped_holderReportsLostBeforeTtl_andReacquiresWhenBack() {
    assumeTrue(broker.ownProcess(), broker::whyNoRestart);
    Recorder a = new Recorder();
    LeaseKeeper ka = keeper("node-a", TTL, a);
    ka.start();
    Poll.until(WAIT, ka::held, "node-a to acquire");

    long stopping = CLOCK.millis(); // every confirmed renewal was sent before this
    broker.stop();
    Poll.until(WAIT, () -> a.events().size() >= 2, "node-a to report the lease lost");
    assertThat(ka.held()).isFalse();

    assertThat(a.events()).hasSize(2).first().isEqualTo("acquired");
    assertThat(a.events().get(1)).startsWith("lost: ");
    // The loss must be declared before the key could have expired in Redis and let another in.
    System.out.printf("lost %d ms after Redis began stopping (ttl %d ms)%n", a.lostAt() - stopping, TTL.toMillis());
    assertThat(a.lostAt() - stopping).isLessThan(TTL.toMillis());

    broker.start();
    Poll.until(WAIT, () -> a.events().size() >= 3, "node-a to acquire again once Redis is back");
    assertThat(a.events()).hasSize(3).last().isEqualTo("acquired");
    assertThat(leases.get(ka).holder()).contains("node-a");
  }

  @Test
  void redisHung_renewalTimesOut_holderReportsLostBeforeTtl() {
    assumeTrue(broker.ownProcess(), broker::whyNoRestart);
    Recorder a = new Recorder();
    LeaseKeeper ka = keeper("node-a", TTL, a);
    ka.start();
    Poll.until(WAIT, ka::held, "node-a to acquire");

    long freezing = CLOCK.millis();
    broker.freeze(); // connections stay open and get no answer
    try {
      Poll.until(WAIT, () -> a.events().size() >= 2, "node-a to report the lease lost");
      System.out.printf("lost %d ms after Redis hung (ttl %d ms)%n", a.lostAt() - freezing, TTL.toMillis());
      assertThat(a.events().get(1)).startsWith("lost: Redis failed during renewal: SocketTimeoutException");
      assertThat(a.lostAt() - freezing).isLessThan(TTL.toMillis());
    } finally {
      broker.thaw();
    }
    Poll.until(WAIT, () -> a.events().size() >= 3, "node-a to acquire again once Redis answers");
    assertThat(a.events()).hasSize(3).last().isEqualTo("acquired");
  }

  @Test
  void release_letsTheOtherAcquireAtOnce() {
    Duration longTtl = Duration.ofSeconds(30); // far longer than the test: only a release frees it
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    LeaseKeeper ka = keeper("node-a", longTtl, a);
    ka.start();
    Poll.until(WAIT, ka::held, "node-a to acquire");
    LeaseKeeper kb = keeper("node-b", Duration.ofSeconds(3), b);
    kb.start();
    Poll.until(WAIT, () -> "held by another node".equals(kb.lastReason()), "node-b to find it held");

    long closing = CLOCK.millis();
    ka.close();

    assertThat(a.events()).containsExactly("acquired", "lost: released: the node is stopping");
    try (Jedis jedis = jedis()) {
      String now = jedis.get(key);
      assertThat(now == null || now.startsWith("node-b:")).as("node-a's key is gone: %s", now).isTrue();
    }
    Poll.until(WAIT, () -> !b.events().isEmpty(), "node-b to acquire after the release");
    assertThat(CLOCK.millis() - closing).as("well before node-a's ttl").isLessThan(longTtl.toMillis());
    assertThat(leases.get(kb).holder()).contains("node-b");
  }

  @Test
  void restartedNodeWithTheSameId_isADifferentHolder() {
    Lease before = lease("node-a", TTL, 1);
    Lease after = lease("node-a", TTL, 2);
    try (before; after) {
      assertThat(before.tryAcquire()).isTrue();
      assertThat(after.tryAcquire()).isFalse();
      assertThat(after.renew()).as("the new life cannot renew the old life's lease").isFalse();
      assertThat(after.release()).isFalse();
      assertThat(before.holder()).contains("node-a");
      assertThat(before.renew()).isTrue();
      assertThat(before.release()).isTrue();
      assertThat(after.holder()).isEmpty();
      assertThat(after.tryAcquire()).isTrue();
    }
  }

  private Lease lease(String node, Duration ttl, long seed) {
    return Lease.create(broker.uri("redis"), key, node, ttl, new SplittableRandom(seed));
  }

  private LeaseKeeper keeper(String node, Duration ttl, Recorder recorder) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lease-" + node);
              t.setDaemon(true);
              return t;
            });
    executors.add(executor);
    Lease lease = lease(node, ttl, node.hashCode());
    LeaseKeeper keeper = new LeaseKeeper(lease, recorder, executor, CLOCK, new SplittableRandom(7));
    keepers.add(keeper);
    leases.put(keeper, lease);
    return keeper;
  }

  private static Jedis jedis() {
    return new Jedis("127.0.0.1", broker.port());
  }

  /** Records listener callbacks in order; bounded, as a test that floods it has failed anyway. */
  private static final class Recorder implements LeaseKeeper.Listener {

    private final BlockingQueue<String> events = new ArrayBlockingQueue<>(100);
    private volatile long lostAt;
    volatile LeaseKeeper other; // another node's keeper, probed when this one acquires
    volatile Boolean othersHeldAtAcquire;

    @Override
    public void onAcquired() {
      LeaseKeeper o = other;
      if (o != null) {
        othersHeldAtAcquire = o.held();
      }
      add("acquired");
    }

    @Override
    public void onLost(String reason) {
      lostAt = CLOCK.millis();
      add("lost: " + reason);
    }

    private void add(String event) {
      if (!events.offer(event)) {
        throw new AssertionError("more than 100 lease events: " + events);
      }
    }

    List<String> events() {
      return List.copyOf(events);
    }

    long lostAt() {
      return lostAt;
    }
  }
}
