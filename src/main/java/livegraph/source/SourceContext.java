package livegraph.source;

import io.netty.channel.EventLoopGroup;
import java.util.Objects;
import java.util.random.RandomGenerator;
import livegraph.pipeline.Clock;

/**
 * What every source shares: the clock, the I/O threads and the randomness of backoff jitter;
 * and what the sources of one dashboard share: the fields its charts read.
 *
 * @param backoffBase first reconnect delay (1 s in production; tests use less)
 * @param backoffCap longest reconnect delay (30 s in production)
 * @param demand the event fields the sources' decoders extract ({@link FieldDemand#all()}
 *     unless a dashboard narrows them, {@link #withDemand})
 */
public record SourceContext(
    Clock clock,
    EventLoopGroup group,
    RandomGenerator random,
    java.time.Duration backoffBase,
    java.time.Duration backoffCap,
    FieldDemand demand) {

  /** A context whose sources extract every field their decodings name. */
  public SourceContext(
      Clock clock,
      EventLoopGroup group,
      RandomGenerator random,
      java.time.Duration backoffBase,
      java.time.Duration backoffCap) {
    this(clock, group, random, backoffBase, backoffCap, FieldDemand.all());
  }

  /** This context for the sources of one dashboard, whose decoders follow {@code demand}. */
  public SourceContext withDemand(FieldDemand demand) {
    return new SourceContext(clock, group, random, backoffBase, backoffCap, demand);
  }

  public SourceContext {
    Objects.requireNonNull(demand, "demand");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(random, "random");
    SpecChecks.positive(backoffBase, "backoffBase");
    SpecChecks.positive(backoffCap, "backoffCap");
  }
}
