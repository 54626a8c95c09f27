package livegraph.source;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Redis pub/sub; the channel of each message is the meta field {@code @channel}.
 *
 * @param channels exact channels ({@code SUBSCRIBE})
 * @param patterns glob patterns ({@code PSUBSCRIBE})
 */
public record RedisSpec(
    String name, URI server, List<String> channels, List<String> patterns, Decoding decoding)
    implements SourceSpec {

  public RedisSpec {
    SpecChecks.name(name);
    SpecChecks.uri(server, Set.of("redis"), "redis server");
    channels = List.copyOf(Objects.requireNonNull(channels, "channels"));
    patterns = List.copyOf(Objects.requireNonNull(patterns, "patterns"));
    if (channels.isEmpty() && patterns.isEmpty()) {
      throw new IllegalArgumentException("redis needs at least one channel or pattern");
    }
    Objects.requireNonNull(decoding, "decoding");
  }

  @Override
  public String description() {
    return "Redis " + SpecChecks.hostPort(server) + " "
        + String.join(" ", channels) + (patterns.isEmpty() ? "" : " " + String.join(" ", patterns));
  }
}
