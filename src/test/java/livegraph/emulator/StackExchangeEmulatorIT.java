package livegraph.emulator;

import livegraph.testing.Poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The emulator over real loopback sockets, driven by the JDK's WebSocket client. */
class StackExchangeEmulatorIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration FAST_HB = Duration.ofMillis(100);

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

  private WsRecorder connect(URI uri, String heartbeatReply) throws Exception {
    WsRecorder r = WsRecorder.connect(uri, heartbeatReply);
    toClose.add(0, r::abort); // clients go before the emulator
    return r;
  }

  @Test
  void subscribedClient_receivesBroadcastFrames_unsubscribedClientGetsNone() throws Exception {
    StackExchangeEmulator emulator = start(StackExchangeEmulator.builder());
    WsRecorder subscriber = connect(emulator.uri(), null);
    WsRecorder bystander = connect(emulator.uri(), null);
    subscriber.send("155-questions-active");
    Poll.until(WAIT, () -> emulator.subscribedClients() == 1, "one subscriber");
    assertThat(emulator.connectedClients()).isEqualTo(2);

    String first = "{\"action\":\"155-questions-active\",\"data\":\"{\\\"id\\\":1}\"}";
    String second = "not even JSON";
    assertThat(emulator.broadcast(first)).isEqualTo(1);
    assertThat(emulator.broadcast(second)).isEqualTo(1);

    assertThat(subscriber.data.poll(10, TimeUnit.SECONDS)).isEqualTo(first);
    assertThat(subscriber.data.poll(10, TimeUnit.SECONDS)).isEqualTo(second);
    assertThat(bystander.data).isEmpty();
    assertThat(emulator.framesSent()).isEqualTo(2);
    assertThat(emulator.subscribeMessagesReceived()).isEqualTo(1);
  }

  @Test
  void unsubscribe_stopsFrames() throws Exception {
    StackExchangeEmulator emulator = start(StackExchangeEmulator.builder());
    WsRecorder client = connect(emulator.uri(), null);
    client.send("155-questions-active");
    client.send("1-questions-newest");
    Poll.until(WAIT, () -> emulator.subscribeMessagesReceived() == 2, "two subscribes");
    client.send("-155-questions-active");
    client.send("-1-questions-newest");
    Poll.until(WAIT, () -> emulator.subscribedClients() == 0, "unsubscribed");

    assertThat(emulator.broadcast("{\"action\":\"x\",\"data\":\"y\"}")).isZero();
    assertThat(emulator.connectedClients()).isEqualTo(1);
  }

  @Test
  void anyPath_isAccepted() throws Exception {
    StackExchangeEmulator emulator = start(StackExchangeEmulator.builder());
    WsRecorder client = connect(emulator.uri().resolve("/some/other/path"), null);
    client.send("155-questions-active");
    Poll.until(WAIT, () -> emulator.subscribedClients() == 1, "subscribed on /some/...");
  }

  @Test
  void heartbeats_arriveOnTheInterval() throws Exception {
    StackExchangeEmulator emulator = start(StackExchangeEmulator.builder()
        .heartbeatInterval(FAST_HB).heartbeatTimeout(Duration.ofSeconds(30)));
    long connected = System.nanoTime();
    WsRecorder client = connect(emulator.uri(), null);

    Poll.until(WAIT, () -> client.heartbeatNanos.size() >= 5, "five heartbeats");
    // At a fixed rate the fifth heartbeat cannot come before five intervals have passed.
    long elapsed = client.heartbeatNanos.get(4) - connected;
    assertThat(elapsed).isGreaterThanOrEqualTo(FAST_HB.multipliedBy(5).toNanos());
    assertThat(client.data).isEmpty(); // heartbeats are not data frames
  }

  @ParameterizedTest
  @ValueSource(strings = {"hb", "pong", Frames.HEARTBEAT})
  void answeringClient_staysConnected_pastSeveralTimeouts(String reply) throws Exception {
    StackExchangeEmulator emulator = start(StackExchangeEmulator.builder()
        .heartbeatInterval(FAST_HB).heartbeatTimeout(Duration.ofMillis(250)));
    WsRecorder client = connect(emulator.uri(), reply);

    // Ten heartbeats span about four timeouts.
    Poll.until(WAIT, () -> client.heartbeatNanos.size() >= 10, "ten heartbeats");
    Poll.until(WAIT, () -> emulator.heartbeatRepliesReceived() >= 9, "replies counted");
    assertThat(client.closeCode).isNotDone();
    assertThat(emulator.connectedClients()).isEqualTo(1);
    assertThat(emulator.clientsDroppedForMissedHeartbeats()).isZero();
  }

  @Test
  void silentClient_isDropped_andCounted() throws Exception {
    StackExchangeEmulator emulator = start(StackExchangeEmulator.builder()
        .heartbeatInterval(FAST_HB).heartbeatTimeout(Duration.ofMillis(200)));
    WsRecorder silent = connect(emulator.uri(), null);
    WsRecorder answering = connect(emulator.uri(), "hb");

    assertThat(silent.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
    Poll.until(WAIT, () -> emulator.connectedClients() == 1, "only the answering one");
    assertThat(emulator.clientsDroppedForMissedHeartbeats()).isEqualTo(1);
    assertThat(answering.closeCode).isNotDone();
  }

  @Test
  void feedFrames_arriveInOrder() throws Exception {
    List<String> frames = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      frames.add(Frames.frame(Frames.ACTIVE_CHANNEL, "{\"id\":" + i + "}"));
    }
    Iterator<String> it = frames.iterator();
    Feed scripted = () -> it.hasNext()
        ? Optional.of(new Feed.Timed(TimeUnit.MILLISECONDS.toNanos(2), it.next()))
        : Optional.empty();
    StackExchangeEmulator emulator = start(StackExchangeEmulator.builder().feed(scripted));
    WsRecorder other = connect(emulator.uri(), null);
    other.send("1-questions-newest"); // another channel: gets no feed frames
    WsRecorder client = connect(emulator.uri(), null);
    client.send("155-questions-active");

    List<String> received = new ArrayList<>();
    while (received.size() < frames.size()) {
      String frame = client.data.poll(10, TimeUnit.SECONDS);
      assertThat(frame).as("frame %d", received.size()).isNotNull();
      received.add(frame);
    }
    assertThat(received).containsExactlyElementsOf(frames);
    // the counter is added after the writes, so the client can see the last frame first
    Poll.until(WAIT, () -> emulator.framesSent() == frames.size(), "all frames counted");
    assertThat(other.data).isEmpty();
  }

  @Test
  void simulatedFeed_playsDoubleEncodedFrames() throws Exception {
    StackExchangeEmulator emulator = start(StackExchangeEmulator.builder()
        .feed(SimulatedFeed.create(200, 7)));
    WsRecorder client = connect(emulator.uri(), null);
    client.send("155-questions-active");

    String frame = client.data.poll(10, TimeUnit.SECONDS);
    assertThat(frame).startsWith("{\"action\":\"155-questions-active\",\"data\":\"{\\\"site");
  }

  @Test
  void disconnectAll_closesEveryClient_withGoingAway() throws Exception {
    StackExchangeEmulator emulator = start(StackExchangeEmulator.builder());
    WsRecorder a = connect(emulator.uri(), null);
    WsRecorder b = connect(emulator.uri(), null);
    a.send("155-questions-active");
    Poll.until(WAIT, () -> emulator.connectedClients() == 2, "two clients");

    emulator.disconnectAll();

    assertThat(a.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
    assertThat(b.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
    Poll.until(WAIT, () -> emulator.connectedClients() == 0, "no clients left");
    assertThat(emulator.subscribedClients()).isZero();
  }

  @Test
  void dataPaused_sendsOnlyHeartbeats_untilResumed() throws Exception {
    StackExchangeEmulator emulator = start(StackExchangeEmulator.builder()
        .heartbeatInterval(FAST_HB));
    WsRecorder client = connect(emulator.uri(), "hb");
    client.send("155-questions-active");
    Poll.until(WAIT, () -> emulator.subscribedClients() == 1, "subscribed");

    emulator.dataPaused(true);
    assertThat(emulator.broadcast("{\"action\":\"155-questions-active\",\"data\":\"{}\"}"))
        .isZero();
    int before = client.heartbeatNanos.size();
    Poll.until(WAIT, () -> client.heartbeatNanos.size() >= before + 3, "heartbeats");
    assertThat(client.data).isEmpty();
    assertThat(emulator.framesSent()).isZero();

    emulator.dataPaused(false);
    assertThat(emulator.broadcast("resumed")).isEqualTo(1);
    assertThat(client.data.poll(10, TimeUnit.SECONDS)).isEqualTo("resumed");
  }

  @Test
  void clientThatDoesNotRead_isSkipped_notBufferedForWithoutBound() throws Exception {
    StackExchangeEmulator emulator = start(StackExchangeEmulator.builder());
    WsRecorder stuck = WsRecorder.connect(emulator.uri(), null, false);
    toClose.add(0, stuck::abort);
    stuck.send("155-questions-active");
    Poll.until(WAIT, () -> emulator.subscribedClients() == 1, "subscribed");

    // 256 KiB frames fill the socket buffers quickly; then the client must be skipped.
    String big = "x".repeat(256 * 1024);
    for (int i = 0; i < 400 && emulator.framesSkippedForSlowClients() == 0; i++) {
      emulator.broadcast(big);
    }
    assertThat(emulator.framesSkippedForSlowClients()).isPositive();

    // A reading client is unaffected by the stuck one.
    WsRecorder reader = connect(emulator.uri(), null);
    reader.send("1-questions-active");
    Poll.until(WAIT, () -> emulator.subscribedClients() == 2, "second subscriber");
    Poll.until(WAIT, () -> {
      emulator.broadcast("small");
      return reader.data.contains("small");
    }, "reader receives while the stuck client is skipped");
  }

  @Test
  void portInUse_failsWithClearMessage() {
    StackExchangeEmulator first = start(StackExchangeEmulator.builder());
    assertThatThrownBy(() -> StackExchangeEmulator.builder().start(first.port()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("127.0.0.1:" + first.port());
  }
}
