package livegraph.source;

import static livegraph.source.BrokerTestKit.WAIT;
import static livegraph.source.BrokerTestKit.awaitState;
import static livegraph.source.BrokerTestKit.fields;
import static livegraph.source.BrokerTestKit.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import livegraph.source.BrokerTestKit.Recorder;
import livegraph.source.SourceStatus.State;
import livegraph.testing.MosquittoBroker;
import livegraph.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link MqttSource} against a real Mosquitto, over MQTT 3.1.1 and 5. */
class MqttSourceIT {

  @RegisterExtension
  static final BrokerFixture<MosquittoBroker> fixture = new BrokerFixture<>(MosquittoBroker::new, "mqtt-it");

  private final Recorder recorder = new Recorder();
  private Mqtt5BlockingClient publisher;

  @AfterEach
  void disconnectPublisher() {
    if (publisher != null && publisher.getState().isConnected()) {
      publisher.disconnect();
    }
  }

  private MqttSource start(int version, int qos, String clientId, String... topics) {
    MqttSpec spec =
        new MqttSpec("mq", fixture.broker().uri("tcp"), List.of(topics), qos, version, clientId,
            BrokerTestKit.decoding("@topic"));
    MqttSource source = new MqttSource(spec, fixture.context());
    return fixture.start(source, recorder, recorder);
  }

  private void publish(String topic, byte[] payload, int qos) {
    if (publisher == null || !publisher.getState().isConnected()) {
      publisher =
          MqttClient.builder().useMqttVersion5().serverHost("127.0.0.1").serverPort(fixture.broker().port())
              .buildBlocking();
      publisher.connect();
    }
    publisher.publishWith().topic(topic).payload(payload).qos(MqttQos.fromCode(qos)).send();
  }

  private void publish(String topic, int n, int qos) {
    publish(topic, message(n).getBytes(StandardCharsets.UTF_8), qos);
  }

  @ParameterizedTest(name = "MQTT {0}, QoS {1}, filter {2}")
  @CsvSource({"3,0,+", "3,1,+", "5,0,+", "5,1,+", "3,0,#", "3,1,#", "5,0,#", "5,1,#"})
  void everyMatchingMessage_arrivesWithItsFieldsAndTopic(int version, int qos, String wildcard) {
    String filter = wildcard.equals("+") ? fixture.prefix() + "/+/temp" : fixture.prefix() + "/#";
    MqttSource source = start(version, qos, null, filter);
    awaitState(source, State.LIVE);

    // Published in order on one connection, so once the last arrived any earlier one would have.
    publish(fixture.prefix() + "/s1/humidity", 0, qos); // only '#' matches
    publish(fixture.prefix() + "/s1/temp", 1, qos);
    publish(fixture.prefix() + "/s2/temp", 2, qos);
    publish(fixture.prefix() + "/s3/temp", 3, qos);

    List<Map<String, Object>> expected = new ArrayList<>();
    if (wildcard.equals("#")) {
      expected.add(fields(0, "mq", "@topic", fixture.prefix() + "/s1/humidity"));
    }
    for (int n = 1; n <= 3; n++) {
      expected.add(fields(n, "mq", "@topic", fixture.prefix() + "/s" + n + "/temp"));
    }
    recorder.awaitEvents(expected.size());
    assertThat(recorder.fields()).containsExactlyElementsOf(expected);
    assertThat(source.status().events()).isEqualTo(expected.size());
    assertThat(source.status().skippedTotal()).isZero();
    assertThat(source.status().detail()).isEqualTo("subscribed to " + filter);
  }

  @ParameterizedTest(name = "MQTT {0}")
  @ValueSource(ints = {3, 5})
  void badPayloads_areSkippedByReason_andGoodOnesStillArrive(int version) {
    MqttSource source = start(version, 1, null, fixture.prefix() + "/#");
    awaitState(source, State.LIVE);

    publish(fixture.prefix() + "/a", "not json".getBytes(StandardCharsets.UTF_8), 1);
    publish(fixture.prefix() + "/a", "{\"n\":".getBytes(StandardCharsets.UTF_8), 1);
    publish(fixture.prefix() + "/a", new byte[] {'{', '"', 'n', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, 1);
    byte[] tooLarge = new byte[BrokerMessages.MAX_PAYLOAD_BYTES + 1];
    Arrays.fill(tooLarge, (byte) ' ');
    publish(fixture.prefix() + "/a", tooLarge, 1);
    publish(fixture.prefix() + "/a", "[1,2]".getBytes(StandardCharsets.UTF_8), 1);
    publish(fixture.prefix() + "/b", 7, 1);

    recorder.awaitEvents(1);
    assertThat(recorder.fields()).containsExactly(fields(7, "mq", "@topic", fixture.prefix() + "/b"));
    SourceStatus status = source.status();
    assertThat(status.skipped())
        .containsEntry(SkipReason.NOT_JSON, 2L)
        .containsEntry(SkipReason.INVALID_UTF8, 1L)
        .containsEntry(SkipReason.TOO_LARGE, 1L)
        .containsEntry(SkipReason.WRONG_TYPE, 1L);
    assertThat(status.skippedTotal()).isEqualTo(5);
    assertThat(status.state()).isEqualTo(State.LIVE);
  }

  @Test
  void fullSink_countsEveryRefusedEventAsDropped() {
    MqttSpec spec =
        new MqttSpec("mq", fixture.broker().uri("tcp"), List.of(fixture.prefix() + "/#"), 1, 5, null,
            BrokerTestKit.decoding("@topic"));
    MqttSource source = new MqttSource(spec, fixture.context());
    fixture.track(source).start(event -> false);
    awaitState(source, State.LIVE);

    for (int n = 0; n < 5; n++) {
      publish(fixture.prefix() + "/x", n, 1);
    }

    Poll.until(WAIT, () -> source.status().dropped() == 5, "5 dropped, now " + source.status());
    assertThat(source.status().events()).isZero();
  }

  @Test
  void generatedClientIds_letTwoSourcesSubscribeSideBySide() {
    MqttSource first = start(3, 0, null, fixture.prefix() + "/#");
    MqttSource second = start(5, 0, null, fixture.prefix() + "/#");
    awaitState(first, State.LIVE);
    awaitState(second, State.LIVE);
    assertThat(first.clientId()).isNotEqualTo(second.clientId()).matches("[a-z0-9]{23}");

    publish(fixture.prefix() + "/x", 1, 0);

    recorder.awaitEvents(2); // one each; a stolen session would have lost one
    assertThat(first.status().events()).isEqualTo(1);
    assertThat(second.status().events()).isEqualTo(1);
  }

  @ParameterizedTest(name = "MQTT {0}")
  @ValueSource(ints = {3, 5})
  void brokerRestart_reconnectsResubscribesAndCountsNewMessages(int version) {
    assumeTrue(fixture.broker().ownProcess(), fixture.broker()::whyNoRestart);
    MqttSource source = start(version, 1, "lg-restart-" + version, fixture.prefix() + "/#");
    awaitState(source, State.LIVE);
    publish(fixture.prefix() + "/x", 1, 1);
    recorder.awaitEvents(1);

    fixture.restartBroker(source, () -> assertThat(source.status().detail()).startsWith("reconnecting in "));

    publish(fixture.prefix() + "/x", 2, 1); // a new publisher connection: the old one died with the broker
    recorder.awaitEvents(2);
    assertThat(recorder.fields().get(1)).isEqualTo(fields(2, "mq", "@topic", fixture.prefix() + "/x"));
    SourceStatus status = source.status();
    assertThat(status.events()).isEqualTo(2);
    assertThat(status.reconnects()).isPositive();
    List<State> states = recorder.states();
    int live = states.indexOf(State.LIVE);
    int reconnecting = states.subList(live, states.size()).indexOf(State.RECONNECTING) + live;
    assertThat(states.subList(reconnecting, states.size())).contains(State.LIVE);
  }

  @Test
  void closedWhileBrokerIsDown_staysClosedWhenItReturns() {
    assumeTrue(fixture.broker().ownProcess(), fixture.broker()::whyNoRestart);
    fixture.broker().stop();
    MqttSource source;
    try {
      source = start(5, 0, null, fixture.prefix() + "/#");
      Poll.until(WAIT, () -> source.status().detail().endsWith("connection refused"),
          "a refused connection, now " + source.status());
      assertThat(source.status().state()).isEqualTo(State.RECONNECTING);
      source.close();
    } finally {
      fixture.broker().start();
    }
    publish(fixture.prefix() + "/x", 1, 1);
    Poll.holds(Duration.ofMillis(500),
        () -> source.status().state() == State.CLOSED && recorder.events.isEmpty(),
        "closed source stays closed and receives nothing");
  }
}
