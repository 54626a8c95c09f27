package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.SplittableRandom;
import livegraph.source.SourceStatus.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker sources without a broker: what they refuse when built, and their first status. */
class BrokerSourcesTest {

  @RegisterExtension static final EventLoops loops = new EventLoops(1, "broker-unit");

  private static SourceContext context() {
    return BrokerTestKit.context(loops.group());
  }

  private static final Decoding DECODING = Decoding.fields("n");

  private static MqttSpec mqtt(String topic, String clientId) {
    return new MqttSpec("m", URI.create("tcp://127.0.0.1:1"), List.of(topic), 0, 5, clientId, DECODING);
  }

  @Test
  void sources_openTheBrokerKinds() {
    assertThat(Sources.open(mqtt("a/#", null), context())).isInstanceOf(MqttSource.class);
    assertThat(Sources.open(new NatsSpec("n", URI.create("nats://127.0.0.1:1"), List.of("a.>"), DECODING), context()))
        .isInstanceOf(NatsSource.class);
    assertThat(Sources.open(new RedisSpec("r", URI.create("redis://127.0.0.1:1"), List.of("a"), List.of(), DECODING), context()))
        .isInstanceOf(RedisSource.class);
  }

  @Test
  void mqttTopicFilter_withAMisplacedWildcard_isRefusedWithItsText() {
    assertThatThrownBy(() -> new MqttSource(mqtt("a/#/b", null), context()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("mqtt topic filter \"a/#/b\" is not valid");
    assertThatThrownBy(() -> new MqttSource(mqtt("a/b+", null), context()))
        .hasMessageContaining("a/b+");
  }

  @Test
  void natsSubject_withAMisplacedWildcard_isRefusedWithItsText() {
    for (String bad : List.of("a.>.b", "a..b", "a.b*", "a b")) {
      assertThatThrownBy(
              () -> new NatsSource(new NatsSpec("n", URI.create("nats://127.0.0.1:1"), List.of(bad), DECODING), context()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("nats subject \"" + bad + "\" is not valid");
    }
  }

  @Test
  void mqttClientId_isGeneratedWhenNone_andKeptWhenGiven() {
    SplittableRandom random = new SplittableRandom(1);
    String a = MqttSource.generatedClientId(random);
    String b = MqttSource.generatedClientId(random);
    assertThat(a).matches("livegraph[0-9a-f]{14}").hasSize(23).isNotEqualTo(b);

    assertThat(new MqttSource(mqtt("a", "mine"), context()).clientId()).isEqualTo("mine");
    assertThat(new MqttSource(mqtt("a", null), context()).clientId()).startsWith("livegraph");
  }

  @Test
  void closedBeforeStart_staysClosed_andStartsNothing() {
    List<Source> sources =
        List.of(
            new MqttSource(mqtt("a", null), context()),
            new NatsSource(new NatsSpec("n", URI.create("nats://127.0.0.1:1"), List.of("a"), DECODING), context()),
            new RedisSource(new RedisSpec("r", URI.create("redis://127.0.0.1:1"), List.of("a"), List.of(), DECODING), context()));
    for (Source source : sources) {
      assertThat(source.status().state()).isEqualTo(State.CONNECTING);
      assertThat(source.status().detail()).isEqualTo("not started");
      source.close();
      source.start(event -> true);
      assertThat(source.status().state()).isEqualTo(State.CLOSED);
      source.close(); // idempotent
    }
  }

  @Test
  void startingTwice_isRefused() {
    RedisSource source =
        new RedisSource(new RedisSpec("r", URI.create("redis://127.0.0.1:1"), List.of("a"), List.of(), DECODING), context());
    try {
      source.start(event -> true);
      assertThatThrownBy(() -> source.start(event -> true)).isInstanceOf(IllegalStateException.class);
    } finally {
      source.close();
    }
  }

  @Test
  void descriptions_nameTheServerAndWhatIsRead() {
    assertThat(new MqttSource(mqtt("s/+/t", null), context()).description()).isEqualTo("MQTT 127.0.0.1:1 s/+/t");
  }
}
