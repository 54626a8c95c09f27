package livegraph.source;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * NATS subscriptions; the subject of each message is the meta field {@code @subject}.
 *
 * @param subjects subjects, wildcards {@code *} and {@code >} allowed
 */
public record NatsSpec(String name, URI server, List<String> subjects, Decoding decoding)
    implements SourceSpec {

  public NatsSpec {
    SpecChecks.name(name);
    SpecChecks.uri(server, Set.of("nats"), "nats server");
    subjects = SpecChecks.nonEmpty(subjects, "nats subjects");
    Objects.requireNonNull(decoding, "decoding");
  }

  @Override
  public String description() {
    return "NATS " + SpecChecks.hostPort(server) + " " + String.join(" ", subjects);
  }
}
