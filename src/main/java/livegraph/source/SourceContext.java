package livegraph.source;

import io.netty.channel.EventLoopGroup;
import java.util.Objects;
import java.util.random.RandomGenerator;
import livegraph.pipeline.Clock;

/**
 * What every source shares: the clock, the I/O threads and the randomness of backoff jitter.
 *
 * @param backoffBase first reconnect delay (1 s in production; tests use less)
 * @param backoffCap longest reconnect delay (30 s in production)
 */
public record SourceContext(
    Clock clock,
    EventLoopGroup group,
    RandomGenerator random,
    java.time.Duration backoffBase,
    java.time.Duration backoffCap) {

  public SourceContext {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(random, "random");
    SpecChecks.positive(backoffBase, "backoffBase");
    SpecChecks.positive(backoffCap, "backoffCap");
  }
}
