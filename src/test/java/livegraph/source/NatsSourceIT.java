package livegraph.source;

import static livegraph.source.BrokerTestKit.WAIT;
import static livegraph.source.BrokerTestKit.awaitState;
import static livegraph.source.BrokerTestKit.fields;
import static livegraph.source.BrokerTestKit.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Options;
import io.nats.client.Nats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import livegraph.source.BrokerTestKit.Recorder;
import livegraph.source.SourceStatus.State;
import livegraph.testing.NatsBroker;
import livegraph.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link NatsSource} against a real nats-server. */
class NatsSourceIT {

  @RegisterExtension
  static final BrokerFixture<NatsBroker> fixture = new BrokerFixture<>(NatsBroker::new, "nats-it");

  private final Recorder recorder = new Recorder();
  private Connection publisher;

  @AfterEach
  void closePublisher() throws InterruptedException {
    if (publisher != null) {
      publisher.close();
    }
  }

  private NatsSpec spec(String... subjects) {
    return new NatsSpec("nt", fixture.broker().uri("nats"), List.of(subjects), BrokerTestKit.decoding("@subject"));
  }

  private NatsSource start(NatsSource source, EventSink sink) {
    return fixture.start(source, recorder, sink);
  }

  private NatsSource start(String... subjects) {
    return start(new NatsSource(spec(subjects), fixture.context()), recorder);
  }

  private void publish(String subject, byte[] payload) throws Exception {
    if (publisher == null || publisher.getStatus() != Connection.Status.CONNECTED) {
      if (publisher != null) {
        publisher.close();
      }
      publisher = connectPublisher();
    }
    publisher.publish(subject, payload);
    publisher.flush(Duration.ofSeconds(5)); // the server has it once the flush returns
  }

  private static Connection connectPublisher() throws Exception {
    ErrorListener quiet = new ErrorListener() {}; // its own reconnect is of no interest here
    return Nats.connect(
        new Options.Builder().server(fixture.broker().uri("nats").toString()).errorListener(quiet).build());
  }

  private void publish(String subject, int n) throws Exception {
    publish(subject, message(n).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void starAndGreaterThanSubjects_deliverEveryMatchingMessageWithItsSubject() throws Exception {
    NatsSource source = start(fixture.prefix() + ".*.temp", fixture.prefix() + ".logs.>");
    awaitState(source, State.LIVE);
    assertThat(source.status().detail())
        .isEqualTo("subscribed to " + fixture.prefix() + ".*.temp " + fixture.prefix() + ".logs.>");

    publish(fixture.prefix() + ".a.humidity", 0); // matches neither
    publish(fixture.prefix() + ".logs", 0); // '>' needs at least one more token
    publish(fixture.prefix() + ".a.b.temp", 0); // '*' is exactly one token
    publish(fixture.prefix() + ".a.temp", 1);
    publish(fixture.prefix() + ".logs.web.error", 2);
    publish(fixture.prefix() + ".b.temp", 3);

    recorder.awaitEvents(3);
    assertThat(recorder.fields())
        .containsExactly(
            fields(1, "nt", "@subject", fixture.prefix() + ".a.temp"),
            fields(2, "nt", "@subject", fixture.prefix() + ".logs.web.error"),
            fields(3, "nt", "@subject", fixture.prefix() + ".b.temp"));
    assertThat(source.status().events()).isEqualTo(3);
    assertThat(source.status().skippedTotal()).isZero();
  }

  @Test
  void badPayloads_areSkippedByReason_andGoodOnesStillArrive() throws Exception {
    NatsSource source = start(fixture.prefix() + ".>");
    awaitState(source, State.LIVE);

    publish(fixture.prefix() + ".a", "not json".getBytes(StandardCharsets.UTF_8));
    publish(fixture.prefix() + ".a", "{\"n\":".getBytes(StandardCharsets.UTF_8));
    publish(fixture.prefix() + ".a", new byte[] {'"', (byte) 0xFF, '"'});
    publish(fixture.prefix() + ".a", new byte[0]);
    publish(fixture.prefix() + ".b", 4);

    recorder.awaitEvents(1);
    assertThat(recorder.fields()).containsExactly(fields(4, "nt", "@subject", fixture.prefix() + ".b"));
    assertThat(source.status().skipped())
        .containsEntry(SkipReason.NOT_JSON, 3L) // the empty message is not JSON either
        .containsEntry(SkipReason.INVALID_UTF8, 1L);
    assertThat(source.status().skippedTotal()).isEqualTo(4);
  }

  @Test
  void slowConsumer_dropsBeyondPendingLimits_andCountsThemAsDropped() throws Exception {
    CountDownLatch pipelineStalled = new CountDownLatch(1);
    AtomicLong taken = new AtomicLong();
    // A pipeline that stalls on its first event holds the dispatcher thread, so messages pile
    // up in jnats' queue, which holds 10.
    EventSink stalling =
        event -> {
          if (taken.incrementAndGet() == 1) {
            try {
              pipelineStalled.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return true;
        };
    NatsSource source =
        start(new NatsSource(spec(fixture.prefix() + ".x"), fixture.context(), 10, 1 << 20), stalling);
    awaitState(source, State.LIVE);

    for (int n = 0; n < 100; n++) {
      publisher(fixture.prefix() + ".x", n);
    }
    publisher.flush(Duration.ofSeconds(5));
    Poll.until(WAIT, () -> taken.get() >= 1, "the first event");
    // All but the stalled one and the ten queued behind it (give or take one, depending on
    // whether the dispatcher took the first before the next arrived) are dropped.
    Poll.until(WAIT, () -> source.status().dropped() >= 88, "88 dropped, now " + source.status());
    pipelineStalled.countDown();

    Poll.until(WAIT, () -> source.status().events() + source.status().dropped() == 100,
        "events + dropped = 100, now " + source.status());
    assertThat(source.status().dropped()).isBetween(88L, 90L);
    assertThat(source.status().events()).isEqualTo(taken.get());
  }

  private void publisher(String subject, int n) throws Exception {
    if (publisher == null) {
      publisher = connectPublisher();
    }
    publisher.publish(subject, message(n).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void serverRestart_reconnectsResubscribesAndCountsNewMessages() throws Exception {
    assumeTrue(fixture.broker().ownProcess(), fixture.broker()::whyNoRestart);
    NatsSource source = start(fixture.prefix() + ".>");
    awaitState(source, State.LIVE);
    publish(fixture.prefix() + ".x", 1);
    recorder.awaitEvents(1);

    fixture.restartBroker(source, () -> Poll.until(WAIT,
        () -> source.status().detail().startsWith("reconnecting in "),
        "a reconnect delay in the status, now " + source.status()));

    publish(fixture.prefix() + ".x", 2);
    recorder.awaitEvents(2);
    assertThat(recorder.fields().get(1)).isEqualTo(fields(2, "nt", "@subject", fixture.prefix() + ".x"));
    assertThat(source.status().events()).isEqualTo(2);
    assertThat(source.status().reconnects()).isPositive();
    recorder.assertLiveBeforeAndAfterTheFirstLoss();
  }

  @Test
  void serverDownAtStart_retriesWithBackoff_andSubscribesWhenItComes() throws Exception {
    assumeTrue(fixture.broker().ownProcess(), fixture.broker()::whyNoRestart);
    fixture.broker().stop();
    NatsSource source;
    try {
      source = start(fixture.prefix() + ".>");
      Poll.until(WAIT, () -> source.status().reconnects() >= 2,
          "two retries, now " + source.status());
      assertThat(source.status().state()).isEqualTo(State.RECONNECTING);
      assertThat(source.status().detail()).startsWith("reconnecting in ");
    } finally {
      fixture.broker().start();
    }
    awaitState(source, State.LIVE);
    publish(fixture.prefix() + ".y", 5);
    recorder.awaitEvents(1);
    assertThat(recorder.fields()).containsExactly(fields(5, "nt", "@subject", fixture.prefix() + ".y"));
  }
}
