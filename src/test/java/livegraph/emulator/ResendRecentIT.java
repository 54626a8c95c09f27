package livegraph.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
    livegraph.testing.Resources.closeAll(toClose.toArray(new AutoCloseable[0]));
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
    return scripted(fast, total, slowMillis, 0);
  }

  /** As {@link #scripted(int, int, long)}, each frame padded with {@code padding} bytes. */
  private static Feed scripted(int fast, int total, long slowMillis, int padding) {
    String pad = "x".repeat(padding);
    Iterator<Integer> ids = java.util.stream.IntStream.range(0, total).iterator();
    return () -> {
      if (!ids.hasNext()) {
        return Optional.empty();
      }
      int id = ids.next();
      long delay = id < fast ? 0 : TimeUnit.MILLISECONDS.toNanos(slowMillis);
      return Optional.of(new Feed.Timed(delay,
          Frames.frame(Frames.ACTIVE_CHANNEL, "{\"id\":" + id + ",\"pad\":\"" + pad + "\"}")));
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
    assertThat(received.get(0)).contains("\\\"id\\\":0,");
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
    // The feed goes on while the test reads: a queue, copied at the end. A rate a loaded CI
    // machine's client keeps up with: once live, a client that falls behind is skipped frames.
    Queue<String> oracle = new ConcurrentLinkedQueue<>();
    StackExchangeEmulator emulator = start(StackExchangeEmulator.builder()
        .feed(SimulatedFeed.create(400, 5))
        .resendRecent(Duration.ofMinutes(5), 100_000)
        .onDataFrame(oracle::add));

    List<WsRecorder> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      // each subscribes in the middle of the play, racing the frames being played
      long before = emulator.framesGenerated();
      Poll.until(WAIT, () -> emulator.framesGenerated() >= before + 100, "more frames played");
      WsRecorder client = connect(emulator);
      client.send("155-questions-active");
      clients.add(client);
    }
    for (WsRecorder client : clients) {
      // 800 frames: past the 400 or so played before the last one subscribed, well into live
      List<String> received = receive(client, 800);
      assertThat(received).containsExactlyElementsOf(List.copyOf(oracle).subList(0, 800));
    }
    assertThat(emulator.framesLostInResend()).isZero();
    assertThat(emulator.framesSkippedForSlowClients()).isZero();
  }

  @Test
  void clientThatLeavesWhileCatchingUp_isForgotten() throws Exception {
    StackExchangeEmulator emulator = start(StackExchangeEmulator.builder()
        .feed(scripted(10_000, 10_000, 0, 2000)) // 20 MB: more than loopback socket buffers
        .resendRecent(Duration.ofMinutes(1), 10_000));
    Poll.until(WAIT, () -> emulator.framesGenerated() == 10_000, "all played to nobody");
    WsRecorder stuck = WsRecorder.connect(emulator.uri(), null, false); // never reads
    stuck.send("155-questions-active");
    Poll.until(WAIT, () -> emulator.resendsInProgress() == 1, "stuck catching up");
    stuck.abort();
    Poll.until(WAIT, () -> emulator.resendsInProgress() == 0, "forgotten when it left");
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
