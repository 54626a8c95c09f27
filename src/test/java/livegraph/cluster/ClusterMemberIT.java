package livegraph.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import livegraph.pipeline.Event;
import livegraph.source.EventSink;
import livegraph.source.SourceStatus;
import livegraph.testing.Poll;
import livegraph.testing.RedisBroker;
import livegraph.testing.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.params.SetParams;

/** Members of one dashboard's cluster in this JVM, on a real redis-server of our own. */
class ClusterMemberIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ThreadFactory DAEMONS = r -> {
    Thread t = new Thread(r, "member-test");
    t.setDaemon(true);
    return t;
  };

  private static RedisBroker redis;
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final String prefix = "mit" + UUID.randomUUID().toString().substring(0, 8);
  private final ClusterKeys keys = ClusterKeys.of(prefix, "d");

  @BeforeAll
  static void startRedis() {
    redis = new RedisBroker();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    Resources.closeAll(redis);
  }

  @AfterEach
  void close() throws Exception {
    Resources.closeAll(closing.toArray(new AutoCloseable[0]));
  }

  @Test
  void aStartingMember_catchesUpWithEverythingTheStreamKeeps_beforeItSaysLive() {
    int events = 60_000;
    EventStreamWriter filler = new EventStreamWriter(new HostAndPort("127.0.0.1", redis.port()),
        keys.stream(), keys.ticks(), null, 1_000_000, 0, Map.of(), events + 1_000, DAEMONS,
        new Random(1), System::currentTimeMillis);
    filler.start();
    for (int i = 0; i < events; i++) {
      filler.append(new Event(1_700_000_000_000L + i, Map.of("n", (long) i)));
      if (i % 100 == 99) {
        filler.tick(1_700_000_000_000L + i);
      }
    }
    Poll.until(WAIT, () -> filler.written() == events, "the stream filled");
    filler.close();

    try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", redis.port()),
        DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP2).build())) {
      // Another node leads throughout: this one only reads (no ticks of its own to count).
      jedis.set(keys.lease(), "z:1", SetParams.setParams().px(120_000));
    }
    Counting driver = new Counting();
    Ingests ingest = new Ingests();
    ClusterMember member = member("a", driver, ingest);

    assertThat(member.status().state()).isEqualTo(ClusterMember.State.CATCHING_UP);
    assertThat(member.status().detail()).contains("catching up");
    long[] deliveredWhenLive = {-1};
    Poll.until(WAIT, () -> {
      ClusterMember.Status s = member.status();
      if (s.state() == ClusterMember.State.LIVE) {
        deliveredWhenLive[0] = s.events();
        return true;
      }
      return false;
    }, "live");
    assertThat(deliveredWhenLive[0]).as("events read when it first said live").isEqualTo(events);
    assertThat(driver.events.get()).isEqualTo(events);
    assertThat(driver.ticks.get()).isEqualTo(events / 100);
    assertThat(driver.caughtUpAfter.get()).as("the driver told after the last entry")
        .isEqualTo(events);
    assertThat(member.status().leaderNode()).isEqualTo("z");
    assertThat(ingest.opened.get()).isZero();
  }

  @Test
  void oneMemberLeads_theOtherFollows_andAClosedLeaderHandsOverAtOnce_withoutLosingItsQueue() {
    Counting driverA = new Counting();
    Counting driverB = new Counting();
    Ingests ingestA = new Ingests();
    Ingests ingestB = new Ingests();
    ClusterMember a = member("a", driverA, ingestA);
    Poll.until(WAIT, () -> a.status().leader(), "a leads");
    ClusterMember b = member("b", driverB, ingestB);
    Poll.until(WAIT, () -> b.status().state() == ClusterMember.State.LIVE
        && b.status().leaderNode().equals("a"), "b follows a");
    assertThat(ingestA.opened.get()).isEqualTo(1);
    assertThat(ingestB.opened.get()).isZero();

    for (int i = 0; i < 500; i++) {
      assertThat(ingestA.sink.offer(new Event(1_700_000_000_000L + i, Map.of("n", (long) i))))
          .isTrue();
    }
    a.close();
    closing.remove(a);
    assertThat(ingestA.closed.get()).isEqualTo(1);
    Poll.until(WAIT, () -> b.status().leader(), "b leads once a let go");
    assertThat(ingestB.opened.get()).isEqualTo(1);
    Poll.until(WAIT, () -> driverB.events.get() == 500, "every event a queued, read by b");
    // Idle ticks keep coming from the new leader, numbered on from a's.
    long ticks = driverB.ticks.get();
    Poll.until(WAIT, () -> driverB.ticks.get() > ticks + 1, "b's idle ticks");
    assertThat(driverB.lastTick.get() - driverB.firstTick.get() + 1)
        .as("tick numbers consecutive across the two leaders").isEqualTo(driverB.ticks.get());
    assertThat(b.status().written()).isZero();
    assertThat(b.status().fenced()).isZero();
  }

  @Test
  void aRedisWithAPassword_isJoinedWithIt_andAWrongOneIsShownAsRedisUnreachableWithWhy()
      throws Exception {
    try (RedisBroker secured = new RedisBroker("s3cret")) {
      assumeTrue(secured.ownProcess(), secured::whyNoRestart);
      Counting driver = new Counting();
      Ingests ingest = new Ingests();
      ClusterMember good = member(URI.create("redis://:s3cret@127.0.0.1:" + secured.port()), "a",
          driver, ingest);
      Poll.until(WAIT, () -> good.status().leader(), "the member with the password leads");
      ingest.sink.offer(new Event(1_700_000_000_000L, Map.of("n", 1L)));
      Poll.until(WAIT, () -> driver.events.get() == 1, "its event read back");

      ClusterMember wrong = member(URI.create("redis://:guess@127.0.0.1:" + secured.port()), "b",
          new Counting(), new Ingests());
      Poll.until(WAIT, () -> wrong.status().state() == ClusterMember.State.REDIS_UNREACHABLE,
          "the wrong password seen");
      assertThat(wrong.status().detail()).contains("WRONGPASS").doesNotContain("guess");
      assertThat(wrong.status().leader()).isFalse();
      Resources.closeAll(closing.toArray(new AutoCloseable[0]));
      closing.clear();
    }
  }

  private ClusterMember member(String node, Counting driver, Ingests ingest) {
    return member(URI.create("redis://127.0.0.1:" + redis.port()), node, driver, ingest);
  }

  private ClusterMember member(URI redisUri, String node, Counting driver, Ingests ingest) {
    ClusterSettings settings = ClusterSettings.of(redisUri, node).withPrefix(prefix)
        .withLeaseTtl(Duration.ofSeconds(1));
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(DAEMONS);
    ClusterMember member = new ClusterMember(settings, keys, "d", 600_000, Map.of(), ingest,
        driver, System::currentTimeMillis, scheduler, DAEMONS, new Random(node.hashCode()));
    closing.add(0, scheduler::shutdownNow);
    closing.add(0, member);
    member.start();
    return member;
  }

  /** Counts what the stream delivers; reader thread. */
  private static final class Counting implements EventStreamReader.Sink {
    final AtomicLong events = new AtomicLong();
    final AtomicLong ticks = new AtomicLong();
    final AtomicLong firstTick = new AtomicLong();
    final AtomicLong lastTick = new AtomicLong();
    final AtomicLong caughtUpAfter = new AtomicLong(-1);

    @Override
    public void accept(String id, Event event) {
      events.incrementAndGet();
    }

    @Override
    public void tick(String id, long number, long millis) {
      firstTick.compareAndSet(0, number);
      lastTick.set(number);
      ticks.incrementAndGet();
    }

    @Override
    public void caughtUp() {
      caughtUpAfter.compareAndSet(-1, events.get());
    }
  }

  /** Records the leader's ingest being opened and closed, and keeps its sink. */
  private static final class Ingests implements ClusterMember.Ingest {
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    volatile EventSink sink;

    @Override
    public ClusterMember.Ingestion open(EventSink into) {
      sink = into;
      opened.incrementAndGet();
      return new ClusterMember.Ingestion() {
        @Override
        public Map<String, SourceStatus> statuses() {
          return Map.of();
        }

        @Override
        public void close() {
          closed.incrementAndGet();
        }
      };
    }
  }
}
