package livegraph.source;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * MQTT subscriptions; the topic of each message is the meta field {@code @topic}.
 *
 * @param broker {@code tcp://host:port}
 * @param topics topic filters, wildcards {@code +} and {@code #} allowed
 * @param qos 0 or 1
 * @param version 3 (3.1.1) or 5
 * @param clientId the client identifier, or {@code null} for a generated one
 */
public record MqttSpec(
    String name, URI broker, List<String> topics, int qos, int version, String clientId,
    Decoding decoding)
    implements SourceSpec {

  public MqttSpec {
    SpecChecks.name(name);
    SpecChecks.uri(broker, Set.of("tcp", "mqtt"), "mqtt broker");
    topics = SpecChecks.nonEmpty(topics, "mqtt topics");
    if (qos != 0 && qos != 1) {
      throw new IllegalArgumentException("mqtt qos must be 0 or 1: " + qos);
    }
    if (version != 3 && version != 5) {
      throw new IllegalArgumentException("mqtt version must be 3 (3.1.1) or 5: " + version);
    }
    Objects.requireNonNull(decoding, "decoding");
  }

  @Override
  public String description() {
    return "MQTT " + SpecChecks.hostPort(broker) + " " + String.join(" ", topics);
  }
}
