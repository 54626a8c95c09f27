package livegraph.source;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A Server-Sent Events stream with EventSource semantics; each event's data is one JSON
 * message. Meta fields: {@code @event} (type) and {@code @id}.
 *
 * @param events the event types taken; empty takes all
 * @param silence reconnect when nothing (not even a comment) arrived for this long
 */
public record SseSpec(String name, URI url, Set<String> events, Duration silence, Decoding decoding)
    implements SourceSpec {

  public SseSpec {
    SpecChecks.name(name);
    SpecChecks.uri(url, Set.of("http", "https"), "sse url");
    events = Set.copyOf(Objects.requireNonNull(events, "events"));
    SpecChecks.positive(silence, "silence");
    Objects.requireNonNull(decoding, "decoding");
  }

  @Override
  public String description() {
    return SpecChecks.hostPort(url) + url.getRawPath();
  }
}
