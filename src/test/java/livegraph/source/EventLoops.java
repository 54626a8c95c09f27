package livegraph.source;

import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import livegraph.Transport;
import livegraph.pipeline.Clock;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real event loop group for a test class, started before its first test and shut down
 * after its last. Register as a static {@code @RegisterExtension} field.
 */
final class EventLoops implements BeforeAllCallback, AfterAllCallback {

  private final int threads;
  private final String name;
  private EventLoopGroup group;

  EventLoops(int threads, String name) {
    this.threads = threads;
    this.name = name;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    group = Transport.group(threads, name);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  EventLoopGroup group() {
    return group;
  }

  /** A context on this group with the system clock, jitter from {@code seed} and backoff from {@code base} to {@code cap}. */
  SourceContext context(long seed, Duration base, Duration cap) {
    return new SourceContext(Clock.system(), group, new SplittableRandom(seed), base, cap);
  }
}
