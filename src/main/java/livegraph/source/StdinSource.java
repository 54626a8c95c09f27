package livegraph.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import livegraph.pipeline.Clock;
import livegraph.pipeline.Event;
import livegraph.source.SourceStatus.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON lines from standard input (or any stream). At the end of the input the source is
 * CLOSED, "end of input".
 *
 * <p>One reader per stream: reading blocks, and a thread blocked reading a quiet standard input
 * cannot be woken portably, so a closed source cannot take its reader with it. Were each
 * source to read for itself, a dashboard reload that replaces a stdin source (an edit whose
 * charts read another field) would leave the old reader behind, to swallow the next chunk of
 * input or split lines with the new one. So each stream has one daemon {@link StreamReader}
 * thread, which hands every line to the stream's current source: the one started most recently
 * and not yet closed. While there is none (a reload, between closing the old source and
 * starting the new one) the line waits, and so does the writer once the pipe is full; a line
 * the current source was closed before taking goes to the next one.
 *
 * <p>Backpressure: when the sink is full the source waits for room, parking in growing steps
 * (50 µs up to 10 ms), for up to {@link JsonLines#MAX_WAIT_MILLIS} per line; meanwhile nothing
 * is read, so the pipe fills and the writer waits too: a file piped in faster than the
 * pipeline digests it loses nothing. A line that still finds no room is dropped and counted,
 * so a stalled pipeline slows the reader down but never hangs it.
 */
final class StdinSource extends LineSource {

  private static final Logger LOG = LoggerFactory.getLogger(StdinSource.class);
  private static final int CHUNK_BYTES = 64 * 1024;
  private static final long FIRST_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
  private static final long LONGEST_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final InputStream in;
  private final long maxWaitNanos;
  private final JsonLines lines; // used on the stream's reader thread only
  private volatile EventSink sink;
  private volatile StreamReader reader;

  StdinSource(StdinSpec spec, Clock clock) {
    this(spec, clock, FieldDemand.all());
  }

  StdinSource(StdinSpec spec, Clock clock, FieldDemand demand) {
    this(spec, clock, System.in, JsonLines.MAX_WAIT_MILLIS, demand);
  }

  /**
   * @param in the stream read to its end; not closed by this source (it belongs to the caller)
   * @param maxWaitMillis how long one line waits for room in a full sink before it is dropped
   */
  StdinSource(StdinSpec spec, Clock clock, InputStream in, long maxWaitMillis) {
    this(spec, clock, in, maxWaitMillis, FieldDemand.all());
  }

  StdinSource(
      StdinSpec spec, Clock clock, InputStream in, long maxWaitMillis, FieldDemand demand) {
    super(spec.name(), "standard input");
    this.in = Objects.requireNonNull(in, "in");
    if (maxWaitMillis < 0) {
      throw new IllegalArgumentException("max wait must not be negative: " + maxWaitMillis);
    }
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
    this.lines = new JsonLines(spec.name(), spec.decoding(), clock, counters, LOG, demand);
  }

  @Override
  void begin(EventSink sink) {
    this.sink = sink;
    status.set(State.LIVE, "reading standard input");
    reader = StreamReader.attach(in, this);
  }

  @Override
  void release() {
    StreamReader r = reader;
    if (r != null) {
      r.detach(this); // a wait for room notices the close within 10 ms
    }
  }

  /**
   * Takes one line, on the stream's reader thread; {@code false} when this source was closed
   * before the line was delivered, so that the next source gets it.
   */
  private boolean take(LineSplitter.Line line) {
    if (isClosed()) {
      return false;
    }
    if (line.tooLarge()) {
      lines.tooLarge();
      return true;
    }
    // Decoding consumes the buffer, and the next source may need the line.
    Event event = lines.decode(line.bytes().duplicate());
    return event == null || deliver(event);
  }

  /**
   * Offers until taken, waiting for room up to the bound; then counts the event as dropped.
   * {@code false} when this source was closed meanwhile.
   */
  private boolean deliver(Event event) {
    if (lines.offer(sink, event)) {
      return true;
    }
    long start = System.nanoTime();
    long park = FIRST_PARK_NANOS;
    while (System.nanoTime() - start < maxWaitNanos) {
      LockSupport.parkNanos(park);
      park = Math.min(park * 2, LONGEST_PARK_NANOS);
      if (isClosed()) {
        return false;
      }
      if (lines.offer(sink, event)) {
        return true;
      }
    }
    lines.dropped();
    return true;
  }

  /**
   * The one thread reading a stream, handing its lines to the stream's current source. Lives
   * until the end of the stream (or a read error); a stream nobody reads any more stays unread.
   */
  private static final class StreamReader {

    // Guarded by the class lock, which is taken before a reader's own lock, never after: one
    // reader per stream, removed when its stream ends.
    private static final Map<InputStream, StreamReader> READERS = new IdentityHashMap<>();

    private final InputStream in;
    private StdinSource current; // the source taking lines, or null; guarded by this

    private StreamReader(InputStream in) {
      this.in = in;
    }

    /** Makes {@code source} the current one of {@code in}'s reader, starting that if need be. */
    static StreamReader attach(InputStream in, StdinSource source) {
      // Under the class lock, so that a reader finishing at this moment either is replaced or
      // tells this source that the input has ended (see finish).
      synchronized (StreamReader.class) {
        StreamReader reader = READERS.get(in);
        if (reader == null) {
          reader = new StreamReader(in);
          READERS.put(in, reader);
          Thread t = new Thread(reader::read, "livegraph-stdin");
          t.setDaemon(true);
          t.start();
        }
        synchronized (reader) {
          reader.current = source;
          reader.notifyAll();
        }
        return reader;
      }
    }

    synchronized void detach(StdinSource source) {
      if (current == source) {
        current = null;
      }
    }

    /** The current source, waiting for one while there is none. */
    private synchronized StdinSource awaitCurrent() throws InterruptedException {
      while (current == null) {
        wait();
      }
      return current;
    }

    private void read() {
      LineSplitter splitter = new LineSplitter();
      byte[] chunk = new byte[CHUNK_BYTES];
      State end = State.CLOSED;
      String detail = "end of input";
      try {
        int n;
        while ((n = in.read(chunk)) >= 0) {
          splitter.feed(chunk, 0, n);
          for (LineSplitter.Line line = splitter.next(); line != null; line = splitter.next()) {
            hand(line);
          }
        }
        LineSplitter.Line last = splitter.finish();
        if (last != null) {
          hand(last);
        }
      } catch (IOException | RuntimeException e) {
        end = State.FAILED;
        detail = "reading standard input failed: " + e.getMessage();
        LOG.warn("{}", detail);
      } catch (InterruptedException e) {
        end = State.FAILED;
        detail = "reading standard input was interrupted";
      } finally {
        finish(end, detail);
      }
    }

    /** Gives the line to the current source, or to the next one if that was closed meanwhile. */
    private void hand(LineSplitter.Line line) throws InterruptedException {
      while (true) {
        StdinSource source = awaitCurrent();
        if (source.take(line)) {
          return;
        }
        detach(source);
      }
    }

    /** The stream is done: its current source says why; a later source starts a new reader. */
    private void finish(State state, String detail) {
      StdinSource source;
      synchronized (StreamReader.class) {
        READERS.remove(in);
        synchronized (this) {
          source = current;
        }
      }
      if (source != null) {
        source.status.set(state, detail);
      }
    }
  }
}
