package livegraph.source;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import livegraph.source.SourceStatus.State;
import org.slf4j.Logger;

/**
 * The lifecycle the broker sources share: start once (CONNECTING, then the client library's
 * own first connect), status from their {@link BrokerPhase}, and a close that takes effect once.
 * Subclasses say how to connect and disconnect.
 *
 * <p>Threads: {@link #status()} and {@link #close()} from any thread; the client library's
 * threads move the phase (see each subclass).
 */
abstract sealed class BrokerSource implements Source permits MqttSource, NatsSource, RedisSource {

  private final String description;
  private final AtomicBoolean started = new AtomicBoolean();
  final BrokerPhase phase;

  private volatile EventSink sink; // written once by start()

  BrokerSource(String name, String description, Logger log) {
    this.description = description;
    this.phase = new BrokerPhase(name, log);
  }

  /** The broker as the CONNECTING status names it. */
  abstract String address();

  /** Begins connecting, on a thread of the library's or one of our own; returns at once. */
  abstract void connect();

  /** Ends the connection (and anything waiting to make one); the phase is CLOSED already. */
  abstract void release();

  /** Messages the client library discarded itself, counted as dropped; 0 unless it can. */
  long libraryDropped() {
    return 0;
  }

  @Override
  public final void start(EventSink sink) {
    Objects.requireNonNull(sink, "sink");
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("source already started: " + description);
    }
    this.sink = sink;
    if (!phase.set(State.CONNECTING, "connecting to " + address())) {
      return; // closed before it started
    }
    connect();
  }

  /** Where messages go; set by {@link #start} before any connection. */
  final EventSink sink() {
    return sink;
  }

  @Override
  public final SourceStatus status() {
    return phase.status(libraryDropped());
  }

  @Override
  public final String description() {
    return description;
  }

  /** Receives every status change; for tests. */
  final void statusListener(Consumer<SourceStatus> listener) {
    phase.listener(listener);
  }

  @Override
  public final void close() {
    if (phase.close()) {
      release();
    }
  }
}
