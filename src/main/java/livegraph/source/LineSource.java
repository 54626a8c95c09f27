package livegraph.source;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import livegraph.source.SourceStatus.State;

/**
 * The lifecycle the JSON-lines sources share: start once, status from a {@link StatusCell} and
 * their counters, and a close that takes effect once and leaves the status CLOSED. Subclasses
 * say how reading begins and what closing releases.
 *
 * <p>Threads: {@link #status()}, {@link #close()} and {@link #isClosed()} from any thread.
 */
abstract sealed class LineSource implements Source permits FileSource, StdinSource, TcpSource {

  final String name;
  private final String description;
  final SourceCounters counters = new SourceCounters();
  final StatusCell status = new StatusCell();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  LineSource(String name, String description) {
    this.name = name;
    this.description = description;
  }

  /** Starts reading into {@code sink}; called once, unless the source was closed first. */
  abstract void begin(EventSink sink);

  /** Stops reading and lets go of files, threads or sockets; the status is CLOSED already. */
  abstract void release();

  @Override
  public final void start(EventSink sink) {
    Objects.requireNonNull(sink, "sink");
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("source already started: " + name);
    }
    if (closed.get()) {
      return;
    }
    begin(sink);
  }

  @Override
  public final SourceStatus status() {
    return status.status(counters);
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    status.set(State.CLOSED, "closed");
    release();
  }

  final boolean isClosed() {
    return closed.get();
  }
}
