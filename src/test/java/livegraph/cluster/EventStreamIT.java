package livegraph.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import livegraph.pipeline.Event;
import livegraph.testing.Poll;
import livegraph.testing.RedisBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;

/** The writer and reader against a real redis-server of our own on a loopback port. */
class EventStreamIT {

  private static final Duration WAIT = Duration.ofSeconds(30); // generous: a loaded 2-core CI
  private static final ThreadFactory DAEMONS =
      r -> {
        Thread t = new Thread(r, "stream-test");
        t.setDaemon(true);
        return t;
      };

  private static RedisBroker redis;

  private final List<AutoCloseable> closing = new ArrayList<>();
  private String key; // a fresh stream per test, also on a shared broker

  @BeforeAll
  static void startRedis() {
    redis = new RedisBroker();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @BeforeEach
  void freshKey() {
    key = "lgtest:stream:" + UUID.randomUUID();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    if (redis.accepting()) {
      try (Jedis jedis = jedis()) {
        jedis.del(key, key + ":lease", key + ":ticks");
      }
    }
  }

  @Test
  void readerFromZero_getsEveryEventInOrder_andIsCaughtUp_andAReaderFromTheMiddleGetsTheRest() {
    int n = 1_200; // more than one read's COUNT
    EventStreamWriter writer = writer(100_000);
    for (int i = 0; i < n; i++) {
      assertThat(writer.append(event(i))).isTrue();
    }
    Poll.until(WAIT, () -> writer.written() == n, "all " + n + " written");

    Recorder all = new Recorder();
    EventStreamReader reader = reader("0", all);
    Poll.until(WAIT, () -> all.size() == n && reader.caughtUp(), n + " delivered and caught up");

    assertThat(all.numbers()).isEqualTo(range(0, n));
    assertThat(all.ids()).isSortedAccordingTo(EventStreamIT::compareIds).doesNotHaveDuplicates();
    assertThat(reader.lastId()).isEqualTo(all.ids().get(n - 1));
    assertThat(reader.duplicates()).isZero();
    assertThat(reader.bad()).isZero();

    String middle = all.ids().get(499);
    Recorder rest = new Recorder();
    EventStreamReader second = reader(middle, rest);
    Poll.until(WAIT, () -> rest.size() == n - 500 && second.caughtUp(), "the rest delivered");
    assertThat(rest.numbers()).isEqualTo(range(500, n));
    assertThat(rest.ids()).isEqualTo(all.ids().subList(500, n));

    // Live: the readers keep following what is written after they caught up.
    writer.append(event(n));
    Poll.until(WAIT, () -> all.size() == n + 1 && rest.size() == n - 500 + 1, "the live event");
    assertThat(all.numbers().get(n)).isEqualTo(n);
  }

  @Test
  void sameEventsFromTwoLeaders_areDeliveredOnce_andCountedAsDuplicates() {
    EventStreamWriter oldLeader = writer(100_000);
    EventStreamWriter newLeader = writer(100_000);
    for (int i = 0; i < 100; i++) {
      oldLeader.append(event(i));
    }
    Poll.until(WAIT, () -> oldLeader.written() == 100, "the old leader's writes");
    for (int i = 50; i < 150; i++) { // the new leader re-reads 50..99 from upstream
      newLeader.append(event(i));
    }
    Poll.until(WAIT, () -> newLeader.written() == 100, "the new leader's writes");

    Recorder got = new Recorder();
    EventStreamReader reader = reader("0", got);
    Poll.until(WAIT, () -> got.size() == 150 && reader.caughtUp(), "150 distinct events");

    assertThat(got.numbers()).isEqualTo(range(0, 150));
    assertThat(reader.duplicates()).isEqualTo(50);
    try (Jedis jedis = jedis()) {
      assertThat(jedis.xlen(key)).isEqualTo(200); // the stream holds both copies
    }
  }

  @Test
  void badEntry_isSkippedAndCounted_andTheReaderGoesOn() {
    EventStreamWriter writer = writer(100_000);
    writer.append(event(0));
    Poll.until(WAIT, () -> writer.written() == 1, "first written");
    String badId;
    try (Jedis jedis = jedis()) {
      badId = jedis.xadd(key, StreamEntryID.NEW_ENTRY, Map.of("e", "garbage", "i", "short")).toString();
    }
    writer.append(event(1));
    Poll.until(WAIT, () -> writer.written() == 2, "second written");

    Recorder got = new Recorder();
    EventStreamReader reader = reader("0", got);
    Poll.until(WAIT, () -> got.size() == 2 && reader.caughtUp(), "both good events");

    assertThat(got.numbers()).containsExactly(0, 1);
    assertThat(reader.bad()).isEqualTo(1);
    assertThat(reader.lastBad()).startsWith(badId + ": identity of 5 bytes");
  }

  @Test
  void redisRestart_readerResumesFromItsLastId_noGapNoRepeat() {
    assumeTrue(redis.ownProcess(), redis::whyNoRestart);
    EventStreamWriter writer = writer(100_000);
    Recorder got = new Recorder();
    EventStreamReader reader = reader("0", got);
    for (int i = 0; i < 100; i++) {
      writer.append(event(i));
    }
    Poll.until(WAIT, () -> got.size() == 100, "the first 100 read");
    String before = reader.lastId();

    // The broker keeps nothing on disk by itself; SAVE makes this a restart that kept the data.
    try (Jedis jedis = jedis()) {
      assertThat(jedis.save()).isEqualTo("OK");
    }
    redis.stop();
    for (int i = 100; i < 150; i++) { // written while Redis is down: queued, then retried
      assertThat(writer.append(event(i))).isTrue();
    }
    Poll.until(WAIT, () -> reader.failures() > 0 && writer.failures() > 0, "both to notice the outage");
    assertThat(reader.lastId()).isEqualTo(before);
    redis.start();
    for (int i = 150; i < 200; i++) {
      writer.append(event(i));
    }

    Poll.until(WAIT, () -> writer.written() >= 200 && got.size() == 200, "all 200 read after the restart");
    assertThat(got.numbers()).isEqualTo(range(0, 200));
    assertThat(got.ids()).isSortedAccordingTo(EventStreamIT::compareIds).doesNotHaveDuplicates();
    try (Jedis jedis = jedis()) {
      // Every entry read once: a duplicate the reader dropped is one the writer's retry put there.
      assertThat(reader.duplicates()).isEqualTo(jedis.xlen(key) - 200);
    }
    assertThat(reader.trimGaps()).isZero();
  }

  @Test
  void redisRestartThatLostTheData_readerGoesOnWithNewEntries_andCountsAPossibleGap() {
    assumeTrue(redis.ownProcess(), redis::whyNoRestart);
    EventStreamWriter writer = writer(100_000);
    Recorder got = new Recorder();
    EventStreamReader reader = reader("0", got);
    for (int i = 0; i < 10; i++) {
      writer.append(event(i));
    }
    Poll.until(WAIT, () -> got.size() == 10, "the first 10 read");

    redis.restart(); // nothing on disk: the stream is gone
    for (int i = 10; i < 20; i++) {
      writer.append(event(i));
    }

    Poll.until(WAIT, () -> got.size() == 20, "the events written after the restart");
    assertThat(got.numbers()).isEqualTo(range(0, 20));
    assertThat(reader.failures()).isPositive();
    // The new stream's count of entries went back: the reader cannot prove nothing was lost.
    assertThat(reader.trimGaps()).isEqualTo(1);
    assertThat(reader.trimmed()).isZero();
  }

  @Test
  void aReplacingStreamWhoseIdsAreBehindTheLastOneRead_isReadFromItsStart() {
    long ahead = System.currentTimeMillis() + 3_600_000L; // a Redis whose clock ran an hour ahead
    try (Jedis jedis = jedis()) {
      for (int i = 0; i < 3; i++) {
        jedis.xadd(key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            XAddParams.xAddParams().id(new StreamEntryID(ahead, i)),
            EventStreamCodec.encode(event(i)));
      }
    }
    Recorder got = new Recorder();
    EventStreamReader reader = reader("0", got);
    Poll.until(WAIT, () -> got.size() == 3, "the first stream read");

    try (Jedis jedis = jedis()) {
      jedis.del(key); // replaced by a Redis on time: every new ID is below the last one read
    }
    EventStreamWriter writer = writer(100_000);
    for (int i = 3; i < 8; i++) {
      writer.append(event(i));
    }

    Poll.until(WAIT, () -> got.size() == 8, "the new stream's events");
    assertThat(got.numbers()).isEqualTo(range(0, 8));
    assertThat(reader.trimGaps()).isEqualTo(1);
  }

  @Test
  void duplicateOlderThanTheDedupeWindow_isDeliveredAgain() {
    EventStreamWriter writer = writer(100_000);
    // Window 2: the second 0 is within it (dropped), the third comes after 2 and 3 (delivered).
    for (int i : new int[] {0, 1, 0, 2, 3, 0}) {
      writer.append(event(i));
    }
    Poll.until(WAIT, () -> writer.written() == 6, "all written");

    Recorder got = new Recorder();
    EventStreamReader reader =
        new EventStreamReader(hostAndPort(), key, "0", 2, got, DAEMONS, new Random(7));
    closing.add(0, reader);
    reader.start();
    Poll.until(WAIT, () -> got.size() == 5 && reader.caughtUp(), "five delivered");

    assertThat(got.numbers()).containsExactly(0, 1, 2, 3, 0);
    assertThat(reader.duplicates()).isEqualTo(1);
  }

  @Test
  void maxLen_boundsTheStream_andALaggingReaderCountsWhatWasTrimmed() throws Exception {
    int n = 5_000;
    long maxLen = 100;
    EventStreamWriter writer = writer(maxLen);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Recorder got = new Recorder();
    EventStreamReader reader =
        reader(
            "0",
            (id, event) -> {
              got.accept(id, event);
              if (got.size() == 1) { // hold the reader on its first event while the stream trims
                entered.countDown();
                await(release);
              }
            });
    writer.append(event(0));
    assertThat(entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    for (int i = 1; i < n; i++) {
      assertThat(writer.append(event(i))).isTrue();
    }
    Poll.until(WAIT, () -> writer.written() == n, "all written");
    long length;
    try (Jedis jedis = jedis()) {
      length = jedis.xlen(key);
    }
    // "~": whole nodes of 100 entries are trimmed, so the stream may exceed maxLen by about one.
    assertThat(length).isBetween(maxLen, maxLen + 200);

    release.countDown();
    try {
      Poll.until(WAIT, () -> reader.caughtUp() && got.size() + reader.trimmed() == n,
          "delivered + trimmed to account for every entry");
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + " (delivered " + got.size() + ", trimmed " + reader.trimmed()
          + ", gaps " + reader.trimGaps() + ", stream length " + length + ")", e);
    }
    // Exact: the first event, then all the stream kept; everything between was trimmed.
    assertThat(reader.trimGaps()).isEqualTo(1);
    assertThat(reader.trimmed()).isEqualTo(n - length - 1);
    assertThat(got.numbers()).isEqualTo(concat(List.of(0), range((int) (n - length), n)));
  }

  @Test
  void fencedWriter_writesWhileItsLeaseIsHeld_andNothingOnceAnotherNodeHoldsIt() {
    String lease = holdLease("a:1");
    EventStreamWriter a = fenced(lease, "a:1");
    for (int i = 0; i < 10; i++) {
      a.append(event(i));
    }
    Poll.until(WAIT, () -> a.written() == 10, "the holder's writes");
    holdLease("b:2"); // the lease passed to node b (a was paused, say)
    for (int i = 10; i < 20; i++) {
      a.append(event(i));
    }
    Poll.until(WAIT, () -> a.fenced() == 10, "the old holder's later writes refused");

    Recorder got = new Recorder();
    EventStreamReader reader = reader("0", got);
    Poll.until(WAIT, reader::caughtUp, "caught up");
    assertThat(got.numbers()).isEqualTo(range(0, 10));
    assertThat(a.written()).isEqualTo(10);
  }

  @Test
  void ticks_areNumberedConsecutivelyAcrossLeaders_fromTheFirstWritersClock_inOrderWithEvents() {
    String lease = holdLease("a:1");
    EventStreamWriter a = fenced(lease, "a:1");
    a.append(event(0));
    a.tick(1_000);
    a.append(event(1));
    a.tick(1_100);
    Poll.until(WAIT, () -> a.ticks() == 2, "a's ticks");
    holdLease("b:2");
    EventStreamWriter b = fenced(lease, "b:2");
    b.tick(1_200);
    b.append(event(2));
    b.tick(1_300);
    Poll.until(WAIT, () -> b.ticks() == 2, "b's ticks");

    List<String> order = new CopyOnWriteArrayList<>();
    List<Long> numbers = new CopyOnWriteArrayList<>();
    EventStreamReader reader = reader("0", new EventStreamReader.Sink() {
      @Override
      public void accept(String id, Event event) {
        order.add("e" + event.fields().get("n"));
      }

      @Override
      public void tick(String id, long number, long millis) {
        numbers.add(number);
        order.add("t" + millis);
      }
    });
    Poll.until(WAIT, () -> order.size() == 7 && reader.caughtUp(), "every entry");
    assertThat(order).containsExactly("e0", "t1000", "e1", "t1100", "t1200", "e2", "t1300");
    long first = numbers.get(0);
    assertThat(numbers).containsExactly(first, first + 1, first + 2, first + 3);
    // The counter starts at the first writer's wall clock: above any seq a page holds.
    assertThat(first).isGreaterThan(1_700_000_000_000L);
    assertThat(reader.ticks()).isEqualTo(4);
  }

  @Test
  void entriesOlderThanTheChartsReach_areTrimmed() throws Exception {
    String lease = holdLease("a:1");
    try (Jedis jedis = jedis()) {
      // 500 entries from an hour ago, the age an idle ticker leaves behind
      for (int i = 0; i < 500; i++) {
        jedis.xadd(key, new StreamEntryID(System.currentTimeMillis() - 3_600_000L, i),
            Map.of("t", Integer.toString(i + 1), "m", "1"));
      }
    }
    EventStreamWriter a = new EventStreamWriter(hostAndPort(), key, key + ":ticks",
        new EventStreamWriter.Fence(lease, "a:1"), 100_000, 60_000, Map.of(), 10_000, DAEMONS,
        new Random(7), System::currentTimeMillis);
    closing.add(a);
    a.start();
    for (int i = 0; i < 300; i++) {
      a.append(event(i));
    }
    Poll.until(WAIT, () -> a.written() == 300, "the writes");
    try (Jedis jedis = jedis()) {
      // MINID ~ drops whole radix-tree nodes (100 entries each): at most one node of old ones left
      assertThat(jedis.xlen(key)).isBetween(300L, 400L);
    }
  }

  /** Sets the test stream's lease key to {@code value}, as a node acquiring it would; its key. */
  private String holdLease(String value) {
    String lease = key + ":lease";
    try (Jedis jedis = jedis()) {
      jedis.set(lease, value);
    }
    return lease;
  }

  private EventStreamWriter fenced(String lease, String value) {
    EventStreamWriter writer = new EventStreamWriter(hostAndPort(), key, key + ":ticks",
        new EventStreamWriter.Fence(lease, value), 100_000, 0, Map.of(), 10_000, DAEMONS,
        new Random(7), System::currentTimeMillis);
    closing.add(writer);
    writer.start();
    return writer;
  }

  private EventStreamWriter writer(long maxLen) {
    EventStreamWriter writer =
        new EventStreamWriter(hostAndPort(), key, maxLen, 10_000, DAEMONS, new Random(7));
    closing.add(writer);
    writer.start();
    return writer;
  }

  private EventStreamReader reader(String from, EventStreamReader.Sink sink) {
    EventStreamReader reader =
        new EventStreamReader(hostAndPort(), key, from, EventStreamReader.DEDUPE_WINDOW, sink, DAEMONS, new Random(7));
    closing.add(0, reader); // readers close before writers
    reader.start();
    return reader;
  }

  private static HostAndPort hostAndPort() {
    return new HostAndPort("127.0.0.1", redis.port());
  }

  private static Jedis jedis() {
    return new Jedis(hostAndPort(), DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP2).build());
  }

  private static Event event(int n) {
    // A fixed time per n: the same event from either leader has the same identity.
    return new Event(1_700_000_000_000L + n, Map.of("n", (long) n, "site", "s" + (n % 7)));
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> list = new ArrayList<>();
    for (int i = from; i < to; i++) {
      list.add(i);
    }
    return list;
  }

  private static List<Integer> concat(List<Integer> a, List<Integer> b) {
    List<Integer> list = new ArrayList<>(a);
    list.addAll(b);
    return list;
  }

  private static int compareIds(String a, String b) {
    return new StreamEntryID(a).compareTo(new StreamEntryID(b));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What a sink was given, in order, from the reader thread. */
  private static final class Recorder implements EventStreamReader.Sink {
    private final List<String> ids = new CopyOnWriteArrayList<>();
    private final List<Integer> numbers = new CopyOnWriteArrayList<>();

    @Override
    public void accept(String streamId, Event event) {
      numbers.add(((Long) event.fields().get("n")).intValue());
      ids.add(streamId); // last: size() counts events fully recorded
    }

    int size() {
      return ids.size();
    }

    List<String> ids() {
      return List.copyOf(ids);
    }

    List<Integer> numbers() {
      return List.copyOf(numbers);
    }
  }
}
