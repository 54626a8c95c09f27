package livegraph.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import livegraph.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StackExchangeEmulator.Builder#resendRecent} over real loopback sockets: what a new
 * leader connecting after a failover reads, checked against the oracle of every frame played.
 */
class ResendRecentIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private StackExchangeEmulator start(StackExchangeEmulator.Builder builder) {
    StackExchangeEmulator e = builder.start(0);
    toClose.add(e);
    return e;
  }

  private WsRecorder connect(StackExchangeEmulator emulator) throws Exception {
    WsRecorder r = WsRecorder.connect(emulator.uri(), null);
    toClose.add(0, r::abort); // clients go before the emulator
    return r;
  }

  private static List<String> receive(WsRecorder client, int n) throws InterruptedException {
    List<String> received = new ArrayList<>();
    while (received.size() < n) {
      String frame = client.data.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(frame).as("frame %d", received.size()).isNotNull();
      received.add(frame);
    }
    return received;
  }

  /** Frames 0..fast-1 at once, then one every {@code slowMillis} up to {@code total}. */
  private static Feed scripted(int fast, int total, long slowMillis) {
    Iterator<Integer> ids = java.util.stream.IntStream.range(0, total).iterator();
    return () -> {
      if (!ids.hasNext()) {
        return Optional.empty();
      }
      int id = ids.next();
      long delay = id < fast ? 0 : TimeUnit.MILLISECONDS.toNanos(slowMillis);
      return Optional.of(new Feed.Timed(delay,
          Frames.frame(Frames.ACTIVE_CHANNEL, "{\"id\":" + id + "}")));
    };
  }

  @Test
  void subscriberAfterFramesPlayedToNobody_getsExactlyThose_thenTheLiveOnes() throws Exception {
    List<String> oracle = new CopyOnWriteArrayList<>();
    StackExchangeEmulator emulator = start(StackExchangeEmulator.builder()
        .feed(scripted(20, 40, 25))
        .resendRecent(Duration.ofMinutes(1), 1000)
        .onDataFrame(oracle::add));

    // Nobody has connected: the feed plays anyway and the oracle sees it.
    Poll.until(WAIT, () -> emulator.framesGenerated() >= 20, "twenty frames played to nobody");
    assertThat(emulator.connectedClients()).isZero();
    WsRecorder client = connect(emulator);
    client.send("155-questions-active");
    List<String> received = receive(client, 40);

    Poll.until(WAIT, () -> emulator.framesGenerated() == 40, "the feed played to its end");
    assertThat(received).containsExactlyElementsOf(oracle);
    assertThat(oracle).hasSize(40).doesNotHaveDuplicates();
    assertThat(received.get(0)).contains("\\\"id\\\":0}");
    Poll.holds(Duration.ofMillis(200), client.data::isEmpty, "nothing after the last frame");
    assertThat(emulator.framesLostInResend()).isZero();
  }

  @Test
  void framesOlderThanTheWindow_areNotResent() throws Exception {
    long[] now = {1_000_000};
    List<String> oracle = new CopyOnWriteArrayList<>();
    StackExchangeEmulator emulator = start(StackExchangeEmulator.builder()
        .feed(scripted(10, 10, 0))
        .resendRecent(Duration.ofSeconds(10), 1000)
        .clock(() -> now[0])
        .onDataFrame(oracle::add));
    Poll.until(WAIT, () -> emulator.framesGenerated() == 10, "ten frames played to nobody");
    now[0] += 10_000; // every frame is now the window old

    WsRecorder client = connect(emulator);
    client.send("155-questions-active");
    Poll.until(WAIT, () -> emulator.subscribedClients() == 1, "subscribed");
    Poll.holds(Duration.ofMillis(300), client.data::isEmpty, "no frame older than the window");
  }

  @Test
  void subscribersJoiningWhileTheFeedPlaysFast_eachGetTheWholeFeed_noGapNoRepeat()
      throws Exception {
    List<String> oracle = new CopyOnWriteArrayList<>();
    StackExchangeEmulator emulator = start(StackExchangeEmulator.builder()
        .feed(SimulatedFeed.create(2000, 5))
        .resendRecent(Duration.ofMinutes(5), 100_000)
        .onDataFrame(oracle::add));

    List<WsRecorder> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      // each subscribes in the middle of the play, racing the frames being played
      long before = emulator.framesGenerated();
      Poll.until(WAIT, () -> emulator.framesGenerated() >= before + 150, "more frames played");
      WsRecorder client = connect(emulator);
      client.send("155-questions-active");
      clients.add(client);
    }
    for (WsRecorder client : clients) {
      List<String> received = receive(client, 1000);
      assertThat(received).containsExactlyElementsOf(oracle.subList(0, 1000));
    }
    assertThat(emulator.framesLostInResend()).isZero();
    assertThat(emulator.framesSkippedForSlowClients()).isZero();
  }

  @Test
  void withoutResend_nothingPlaysBeforeTheFirstSubscriber_asBefore() throws Exception {
    List<String> oracle = new CopyOnWriteArrayList<>();
    StackExchangeEmulator emulator = start(StackExchangeEmulator.builder()
        .feed(scripted(20, 20, 0))
        .onDataFrame(oracle::add));
    Poll.holds(Duration.ofMillis(200), () -> emulator.framesGenerated() == 0, "not started");

    WsRecorder client = connect(emulator);
    client.send("155-questions-active");
    assertThat(receive(client, 20)).containsExactlyElementsOf(oracle);
  }
}
