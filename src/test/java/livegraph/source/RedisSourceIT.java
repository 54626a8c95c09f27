package livegraph.source;

import static livegraph.source.BrokerTestKit.WAIT;
import static livegraph.source.BrokerTestKit.awaitState;
import static livegraph.source.BrokerTestKit.fields;
import static livegraph.source.BrokerTestKit.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import livegraph.Transport;
import livegraph.source.BrokerTestKit.Recorder;
import livegraph.source.SourceStatus.State;
import livegraph.testing.Poll;
import livegraph.testing.RedisBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** {@link RedisSource} against a real redis-server. */
class RedisSourceIT {

  private static RedisBroker broker;
  private static EventLoopGroup group;

  private final List<RedisSource> sources = new ArrayList<>();
  private final Recorder recorder = new Recorder();
  private String prefix; // keeps tests apart, also on a shared server

  @BeforeAll
  static void startBroker() {
    broker = new RedisBroker();
    group = Transport.group(1, "redis-it");
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  @BeforeEach
  void unique() {
    prefix = "lg" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void closeAll() {
    sources.forEach(RedisSource::close);
  }

  private RedisSource start(RedisSource source) {
    source.statusListener(recorder);
    sources.add(source);
    source.start(recorder);
    return source;
  }

  private RedisSpec spec(List<String> channels, List<String> patterns) {
    return new RedisSpec(
        "rd", broker.uri("redis"), channels, patterns, BrokerTestKit.decoding("@channel"));
  }

  private RedisSource start(List<String> channels, List<String> patterns) {
    return start(new RedisSource(spec(channels, patterns), BrokerTestKit.context(group)));
  }

  /** Publishes on a fresh connection; returns how many subscribers got it. */
  private long publish(String channel, byte[] payload) {
    try (Jedis jedis = new Jedis("127.0.0.1", broker.port())) {
      return jedis.publish(channel.getBytes(StandardCharsets.UTF_8), payload);
    }
  }

  private long publish(String channel, int n) {
    return publish(channel, message(n).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void channelsAndPatterns_deliverEveryMatchingMessageWithTheActualChannel() {
    RedisSource source = start(List.of(prefix + ".orders"), List.of(prefix + ".app.*"));
    awaitState(source, State.LIVE);
    assertThat(source.status().detail())
        .isEqualTo("subscribed to " + prefix + ".orders " + prefix + ".app.*");

    assertThat(publish(prefix + ".other", 0)).isZero();
    assertThat(publish(prefix + ".orders", 1)).isEqualTo(1);
    assertThat(publish(prefix + ".app.web", 2)).isEqualTo(1);
    assertThat(publish(prefix + ".app.db", 3)).isEqualTo(1);

    recorder.awaitEvents(3);
    assertThat(recorder.fields())
        .containsExactly(
            fields(1, "rd", "@channel", prefix + ".orders"),
            fields(2, "rd", "@channel", prefix + ".app.web"),
            fields(3, "rd", "@channel", prefix + ".app.db"));
    assertThat(source.status().events()).isEqualTo(3);
  }

  @Test
  void patternsOnly_subscribeWithPsubscribe() {
    RedisSource source = start(List.of(), List.of(prefix + ".*"));
    awaitState(source, State.LIVE);

    publish(prefix + ".x", 1);

    recorder.awaitEvents(1);
    assertThat(recorder.fields()).containsExactly(fields(1, "rd", "@channel", prefix + ".x"));
  }

  @Test
  void badPayloads_areSkippedByReason_andGoodOnesStillArrive() {
    RedisSource source = start(List.of(prefix), List.of());
    awaitState(source, State.LIVE);

    publish(prefix, "not json".getBytes(StandardCharsets.UTF_8));
    publish(prefix, "{\"n\":".getBytes(StandardCharsets.UTF_8));
    publish(prefix, new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'}); // an overlong '/'
    byte[] tooLarge = new byte[BrokerMessages.MAX_PAYLOAD_BYTES + 1];
    Arrays.fill(tooLarge, (byte) ' ');
    publish(prefix, tooLarge);
    publish(prefix, "\"just a string\"".getBytes(StandardCharsets.UTF_8));
    publish(prefix, 6);

    recorder.awaitEvents(1);
    assertThat(recorder.fields()).containsExactly(fields(6, "rd", "@channel", prefix));
    assertThat(source.status().skipped())
        .containsEntry(SkipReason.NOT_JSON, 2L)
        .containsEntry(SkipReason.INVALID_UTF8, 1L)
        .containsEntry(SkipReason.TOO_LARGE, 1L)
        .containsEntry(SkipReason.WRONG_TYPE, 1L);
    assertThat(source.status().skippedTotal()).isEqualTo(5);
  }

  @Test
  void serverRestart_reconnectsResubscribesAndCountsNewMessages() {
    assumeTrue(broker.ownProcess(), broker::whyNoRestart);
    RedisSource source = start(List.of(prefix + ".c"), List.of(prefix + ".p.*"));
    awaitState(source, State.LIVE);
    publish(prefix + ".c", 1);
    recorder.awaitEvents(1);

    broker.stop();
    awaitState(source, State.RECONNECTING);
    assertThat(source.status().detail()).startsWith("reconnecting in ");
    broker.start();
    awaitState(source, State.LIVE);

    publish(prefix + ".c", 2);
    publish(prefix + ".p.q", 3);
    recorder.awaitEvents(3);
    assertThat(recorder.fields().subList(1, 3))
        .containsExactly(
            fields(2, "rd", "@channel", prefix + ".c"), fields(3, "rd", "@channel", prefix + ".p.q"));
    assertThat(source.status().events()).isEqualTo(3);
    assertThat(source.status().reconnects()).isPositive();
    List<State> states = recorder.states();
    int lost = states.indexOf(State.RECONNECTING);
    assertThat(states.subList(0, lost)).contains(State.LIVE);
    assertThat(states.subList(lost, states.size())).contains(State.LIVE);
  }

  @Test
  void frozenServer_isNoticedByThePingWatchdog_andTheSourceComesBack() {
    assumeTrue(broker.ownProcess(), broker::whyNoRestart);
    RedisSource source =
        start(new RedisSource(spec(List.of(prefix), List.of()), BrokerTestKit.context(group),
            Duration.ofMillis(100)));
    awaitState(source, State.LIVE);

    broker.freeze(); // the socket stays open; nothing answers
    try {
      Poll.until(WAIT, () -> source.status().detail().contains("no answer to ping"),
          "the watchdog to give up, now " + source.status());
      assertThat(source.status().state()).isEqualTo(State.RECONNECTING);
    } finally {
      broker.thaw();
    }

    awaitState(source, State.LIVE);
    publish(prefix, 1);
    recorder.awaitEvents(1);
  }

  @Test
  void closedWhileServerIsDown_stopsTrying() {
    assumeTrue(broker.ownProcess(), broker::whyNoRestart);
    broker.stop();
    RedisSource source;
    try {
      source = start(List.of(prefix), List.of());
      Poll.until(WAIT, () -> source.status().detail().endsWith("connection refused"),
          "a refused connection, now " + source.status());
      source.close();
    } finally {
      broker.start();
    }
    Poll.holds(Duration.ofMillis(500),
        () -> source.status().state() == State.CLOSED && publish(prefix, 1) == 0,
        "a closed source stays closed and unsubscribed");
  }
}
