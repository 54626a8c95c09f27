package livegraph.source;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import livegraph.testing.BrokerProcess;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every broker source IT sets up: one real broker and one event loop group per class, a
 * fresh name prefix per test (keeping tests apart, also on a shared broker), and the sources a
 * test started, closed after it. Register as a static {@code @RegisterExtension} field.
 */
final class BrokerFixture<B extends BrokerProcess>
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final Supplier<B> brokers;
  private final EventLoops loops;
  private final List<BrokerSource> sources = new ArrayList<>();
  private B broker;
  private String prefix;

  BrokerFixture(Supplier<B> brokers, String groupName) {
    this.brokers = brokers;
    this.loops = new EventLoops(1, groupName);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    broker = brokers.get();
    loops.beforeAll(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    broker.close();
    loops.afterAll(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    prefix = "lg" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    sources.forEach(BrokerSource::close);
    sources.clear();
  }

  B broker() {
    return broker;
  }

  /** A context on this class's event loop group, with the kit's short backoff. */
  SourceContext context() {
    return BrokerTestKit.context(loops.group());
  }

  /**
   * Stops the broker and waits until {@code source} is reconnecting, runs {@code whileDown},
   * then starts the broker again and waits until {@code source} is live.
   */
  void restartBroker(Source source, Runnable whileDown) {
    broker.stop();
    BrokerTestKit.awaitState(source, SourceStatus.State.RECONNECTING);
    whileDown.run();
    broker.start();
    BrokerTestKit.awaitState(source, SourceStatus.State.LIVE);
  }

  /** Unique to the running test: the start of its topic, channel or subject names. */
  String prefix() {
    return prefix;
  }

  /** Closes {@code source} after the test. */
  <S extends BrokerSource> S track(S source) {
    sources.add(source);
    return source;
  }

  /** Starts {@code source} into {@code sink}, its status changes going to {@code statuses}. */
  <S extends BrokerSource> S start(S source, Consumer<SourceStatus> statuses, EventSink sink) {
    source.statusListener(statuses);
    track(source);
    source.start(sink);
    return source;
  }
}
