package livegraph.source;

import static livegraph.source.BrokerTestKit.WAIT;
import static livegraph.source.BrokerTestKit.awaitState;
import static livegraph.source.BrokerTestKit.fields;
import static livegraph.source.BrokerTestKit.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import livegraph.source.BrokerTestKit.Recorder;
import livegraph.source.SourceStatus.State;
import livegraph.testing.Poll;
import livegraph.testing.RedisBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/** {@link RedisSource} against a real redis-server. */
class RedisSourceIT {

  @RegisterExtension
  static final BrokerFixture<RedisBroker> fixture = new BrokerFixture<>(RedisBroker::new, "redis-it");

  private final Recorder recorder = new Recorder();

  private RedisSource start(RedisSource source) {
    return fixture.start(source, recorder, recorder);
  }

  private RedisSpec spec(List<String> channels, List<String> patterns) {
    return new RedisSpec(
        "rd", fixture.broker().uri("redis"), channels, patterns, BrokerTestKit.decoding("@channel"));
  }

  private RedisSource start(List<String> channels, List<String> patterns) {
    return start(new RedisSource(spec(channels, patterns), fixture.context()));
  }

  /** Publishes on a fresh connection; returns how many subscribers got it. */
  private long publish(String channel, byte[] payload) {
    try (Jedis jedis = new Jedis("127.0.0.1", fixture.broker().port())) {
      return jedis.publish(channel.getBytes(StandardCharsets.UTF_8), payload);
    }
  }

  private long publish(String channel, int n) {
    return publish(channel, message(n).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void channelsAndPatterns_deliverEveryMatchingMessageWithTheActualChannel() {
    RedisSource source = start(List.of(fixture.prefix() + ".orders"), List.of(fixture.prefix() + ".app.*"));
    awaitState(source, State.LIVE);
    assertThat(source.status().detail())
        .isEqualTo("subscribed to " + fixture.prefix() + ".orders " + fixture.prefix() + ".app.*");

    assertThat(publish(fixture.prefix() + ".other", 0)).isZero();
    assertThat(publish(fixture.prefix() + ".orders", 1)).isEqualTo(1);
    assertThat(publish(fixture.prefix() + ".app.web", 2)).isEqualTo(1);
    assertThat(publish(fixture.prefix() + ".app.db", 3)).isEqualTo(1);

    recorder.awaitEvents(3);
    assertThat(recorder.fields())
        .containsExactly(
            fields(1, "rd", "@channel", fixture.prefix() + ".orders"),
            fields(2, "rd", "@channel", fixture.prefix() + ".app.web"),
            fields(3, "rd", "@channel", fixture.prefix() + ".app.db"));
    assertThat(source.status().events()).isEqualTo(3);
  }

  @Test
  void patternsOnly_subscribeWithPsubscribe() {
    RedisSource source = start(List.of(), List.of(fixture.prefix() + ".*"));
    awaitState(source, State.LIVE);

    publish(fixture.prefix() + ".x", 1);

    recorder.awaitEvents(1);
    assertThat(recorder.fields()).containsExactly(fields(1, "rd", "@channel", fixture.prefix() + ".x"));
  }

  @Test
  void badPayloads_areSkippedByReason_andGoodOnesStillArrive() {
    RedisSource source = start(List.of(fixture.prefix()), List.of());
    awaitState(source, State.LIVE);

    publish(fixture.prefix(), "not json".getBytes(StandardCharsets.UTF_8));
    publish(fixture.prefix(), "{\"n\":".getBytes(StandardCharsets.UTF_8));
    publish(fixture.prefix(), new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'}); // an overlong '/'
    byte[] tooLarge = new byte[BrokerMessages.MAX_PAYLOAD_BYTES + 1];
    Arrays.fill(tooLarge, (byte) ' ');
    publish(fixture.prefix(), tooLarge);
    publish(fixture.prefix(), "\"just a string\"".getBytes(StandardCharsets.UTF_8));
    publish(fixture.prefix(), 6);

    recorder.awaitEvents(1);
    assertThat(recorder.fields()).containsExactly(fields(6, "rd", "@channel", fixture.prefix()));
    assertThat(source.status().skipped())
        .containsEntry(SkipReason.NOT_JSON, 2L)
        .containsEntry(SkipReason.INVALID_UTF8, 1L)
        .containsEntry(SkipReason.TOO_LARGE, 1L)
        .containsEntry(SkipReason.WRONG_TYPE, 1L);
    assertThat(source.status().skippedTotal()).isEqualTo(5);
  }

  @Test
  void serverRestart_reconnectsResubscribesAndCountsNewMessages() {
    assumeTrue(fixture.broker().ownProcess(), fixture.broker()::whyNoRestart);
    RedisSource source = start(List.of(fixture.prefix() + ".c"), List.of(fixture.prefix() + ".p.*"));
    awaitState(source, State.LIVE);
    publish(fixture.prefix() + ".c", 1);
    recorder.awaitEvents(1);

    fixture.restartBroker(source, () -> assertThat(source.status().detail()).startsWith("reconnecting in "));

    publish(fixture.prefix() + ".c", 2);
    publish(fixture.prefix() + ".p.q", 3);
    recorder.awaitEvents(3);
    assertThat(recorder.fields().subList(1, 3))
        .containsExactly(
            fields(2, "rd", "@channel", fixture.prefix() + ".c"), fields(3, "rd", "@channel", fixture.prefix() + ".p.q"));
    assertThat(source.status().events()).isEqualTo(3);
    assertThat(source.status().reconnects()).isPositive();
    recorder.assertLiveBeforeAndAfterTheFirstLoss();
  }

  @Test
  void frozenServer_isNoticedByThePingWatchdog_andTheSourceComesBack() {
    assumeTrue(fixture.broker().ownProcess(), fixture.broker()::whyNoRestart);
    RedisSource source =
        start(new RedisSource(spec(List.of(fixture.prefix()), List.of()), fixture.context(),
            Duration.ofMillis(100)));
    awaitState(source, State.LIVE);

    fixture.broker().freeze(); // the socket stays open; nothing answers
    try {
      Poll.until(WAIT, () -> source.status().detail().contains("no answer to ping"),
          "the watchdog to give up, now " + source.status());
      assertThat(source.status().state()).isEqualTo(State.RECONNECTING);
    } finally {
      fixture.broker().thaw();
    }

    awaitState(source, State.LIVE);
    publish(fixture.prefix(), 1);
    recorder.awaitEvents(1);
  }

  @Test
  void closedWhileServerIsDown_stopsTrying() {
    assumeTrue(fixture.broker().ownProcess(), fixture.broker()::whyNoRestart);
    fixture.broker().stop();
    RedisSource source;
    try {
      source = start(List.of(fixture.prefix()), List.of());
      Poll.until(WAIT, () -> source.status().detail().endsWith("connection refused"),
          "a refused connection, now " + source.status());
      source.close();
    } finally {
      fixture.broker().start();
    }
    Poll.holds(Duration.ofMillis(500),
        () -> source.status().state() == State.CLOSED && publish(fixture.prefix(), 1) == 0,
        "a closed source stays closed and unsubscribed");
  }
}
