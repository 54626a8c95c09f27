package livegraph.source;

/**
 * Owns one upstream connection (or file, or stream), decodes it into events and keeps it up.
 *
 * <p>Network failures never throw out of a source: they become {@link #status()} and a
 * reconnect. Bad input is counted and skipped.
 */
public interface Source extends AutoCloseable {

  /** Starts delivering events to {@code sink}; returns at once. Called at most once. */
  void start(EventSink sink);

  /** The current state and counters; safe to call from any thread. */
  SourceStatus status();

  /** What this source reads, for people: "Simulated StackExchange feed", a host name. */
  String description();

  /** Stops and releases the connection; idempotent. */
  @Override
  void close();
}
