package livegraph.source;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A WebSocket of JSON text frames.
 *
 * @param subscribe text messages sent after every (re)connect, in order
 * @param heartbeat how the server's keep-alives look and what answers them, or {@code null}
 * @param silence reconnect when no data frame arrived for this long (heartbeats do not count)
 */
public record WebSocketSpec(
    String name,
    URI url,
    List<String> subscribe,
    HeartbeatRule heartbeat,
    Duration silence,
    Decoding decoding)
    implements SourceSpec {

  public WebSocketSpec {
    SpecChecks.name(name);
    SpecChecks.uri(url, Set.of("ws", "wss"), "websocket url");
    subscribe = List.copyOf(Objects.requireNonNull(subscribe, "subscribe"));
    SpecChecks.positive(silence, "silence");
    Objects.requireNonNull(decoding, "decoding");
  }

  @Override
  public String description() {
    return SpecChecks.hostPort(url);
  }

  /**
   * A frame whose outer document matches every entry is a heartbeat: answered with {@code
   * reply} (when not null), counted, and not an event.
   */
  public record HeartbeatRule(Map<String, String> match, String reply) {

    public HeartbeatRule {
      match = Map.copyOf(Objects.requireNonNull(match, "match"));
      if (match.isEmpty()) {
        throw new IllegalArgumentException("heartbeat match must name at least one field");
      }
      match.keySet().forEach(FieldPath::parse);
    }
  }
}
