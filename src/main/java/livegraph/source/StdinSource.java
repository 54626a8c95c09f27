package livegraph.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import livegraph.pipeline.Clock;
import livegraph.pipeline.Event;
import livegraph.source.SourceStatus.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON lines from standard input (or any stream), read on a daemon thread of its own because
 * reading a stream blocks. At the end of the input the source is CLOSED, "end of input".
 *
 * <p>Backpressure: when the sink is full the reader waits for room, parking in growing steps
 * (50 µs up to 10 ms), for up to {@link JsonLines#MAX_WAIT_MILLIS} per line; meanwhile it reads
 * nothing, so the pipe fills and the writer waits too: a file piped in faster than the
 * pipeline digests it loses nothing. A line that still finds no room is dropped and counted,
 * so a stalled pipeline slows the reader down but never hangs it.
 *
 * <p>Closing stops delivery at once; a thread blocked reading a quiet standard input cannot be
 * woken portably, so it stays parked in {@code read} (a daemon, it does not keep the JVM alive)
 * and delivers nothing more.
 */
final class StdinSource extends LineSource {

  private static final Logger LOG = LoggerFactory.getLogger(StdinSource.class);
  private static final int CHUNK_BYTES = 64 * 1024;
  private static final long FIRST_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
  private static final long LONGEST_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final InputStream in;
  private final long maxWaitNanos;
  private final JsonLines lines;
  private volatile Thread reader;

  StdinSource(StdinSpec spec, Clock clock) {
    this(spec, clock, System.in, JsonLines.MAX_WAIT_MILLIS);
  }

  /**
   * @param in the stream read to its end; not closed by this source (it belongs to the caller)
   * @param maxWaitMillis how long one line waits for room in a full sink before it is dropped
   */
  StdinSource(StdinSpec spec, Clock clock, InputStream in, long maxWaitMillis) {
    super(spec.name(), "standard input");
    this.in = Objects.requireNonNull(in, "in");
    if (maxWaitMillis < 0) {
      throw new IllegalArgumentException("max wait must not be negative: " + maxWaitMillis);
    }
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
    this.lines = new JsonLines(spec.name(), spec.decoding(), clock, counters, LOG);
  }

  @Override
  void begin(EventSink sink) {
    status.set(State.LIVE, "reading standard input");
    Thread t = new Thread(() -> read(sink), "livegraph-stdin-" + name);
    t.setDaemon(true);
    reader = t;
    t.start();
  }

  @Override
  void release() {
    Thread t = reader;
    if (t != null) {
      t.interrupt(); // ends a wait for room, and a read of an interruptible stream
    }
  }

  private void read(EventSink sink) {
    LineSplitter splitter = new LineSplitter();
    byte[] chunk = new byte[CHUNK_BYTES];
    try {
      while (!isClosed()) {
        int n = in.read(chunk);
        if (n < 0) {
          LineSplitter.Line last = splitter.finish();
          if (last != null) {
            handle(last, sink);
          }
          status.set(State.CLOSED, "end of input");
          return;
        }
        splitter.feed(chunk, 0, n);
        for (LineSplitter.Line line = splitter.next(); line != null; line = splitter.next()) {
          handle(line, sink);
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!isClosed()) {
        String detail = "reading standard input failed: " + e.getMessage();
        LOG.warn("{}: {}", name, detail);
        status.set(State.FAILED, detail);
      }
    }
  }

  private void handle(LineSplitter.Line line, EventSink sink) {
    if (line.tooLarge()) {
      lines.tooLarge();
      return;
    }
    Event event = lines.decode(line.bytes());
    if (event != null) {
      deliver(event, sink);
    }
  }

  /** Offers until taken, waiting for room up to the bound; then counts the event as dropped. */
  private void deliver(Event event, EventSink sink) {
    if (isClosed()) {
      return;
    }
    if (lines.offer(sink, event)) {
      return;
    }
    long start = System.nanoTime();
    long park = FIRST_PARK_NANOS;
    while (System.nanoTime() - start < maxWaitNanos) {
      LockSupport.parkNanos(park);
      park = Math.min(park * 2, LONGEST_PARK_NANOS);
      if (isClosed()) {
        return;
      }
      if (lines.offer(sink, event)) {
        return;
      }
    }
    lines.dropped();
  }
}
