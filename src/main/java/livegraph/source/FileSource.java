package livegraph.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import livegraph.pipeline.Clock;
import livegraph.pipeline.Event;
import livegraph.source.SourceStatus.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON lines from a file: read once from the start to the end (then CLOSED, "end of file (N
 * lines)"), or followed like {@code tail -F}.
 *
 * <p>Following starts at the current end of the file and polls for more every poll interval.
 * At the end of what it has, it checks the path: a size below the read position means the
 * file was truncated in place ({@code copytruncate}), so reading starts again at 0; a different
 * file key (device and inode on Unix) means the file was rotated, so the old file is read to
 * its end once more, its unterminated last line is taken as a line, and the new file is read
 * from its start. While the path names no file the old file is still read (its writer may not
 * have reopened yet); with no file open at all the status is RECONNECTING, "waiting for PATH",
 * and the path is polled until a file appears, which is then read from its start. Without file
 * keys (some filesystems) only truncation is detected; like {@code tail}, a truncated file that
 * has grown past the old read position again before the next poll is not noticed. A line still
 * missing its newline waits for it.
 *
 * <p>Threads and memory: every step runs as a task on the injected scheduler (an event loop),
 * one at a time and each reading at most 1 MiB before it yields, so a large file does not
 * monopolise the loop. Memory is one 64 KiB chunk, the splitter's carried partial line (at most
 * 1 MiB) and one event waiting for room. When the sink is full the event waits, retried every
 * millisecond without blocking the loop, for up to {@link JsonLines#MAX_WAIT_MILLIS}; reading
 * stops meanwhile (the file keeps the rest), and an event that still finds no room is dropped
 * and counted.
 */
final class FileSource extends LineSource {

  /** How often a followed file is checked for new data, rotation and truncation. */
  static final long DEFAULT_POLL_MILLIS = 200;

  private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);
  private static final int CHUNK_BYTES = 64 * 1024;
  private static final int CHUNKS_PER_STEP = 16;
  private static final long RETRY_MILLIS = 1;

  private final Path path;
  private final boolean follow;
  private final ScheduledExecutorService scheduler;
  private final long pollMillis;
  private final long maxWaitNanos;
  private final JsonLines lines;

  // Owned by the step task (one at a time on the scheduler; the lock makes that hold for any
  // scheduler and orders close against a running step).
  private EventSink sink;
  private final LineSplitter splitter = new LineSplitter();
  private final byte[] chunk = new byte[CHUNK_BYTES];
  private final ByteBuffer chunkBuffer = ByteBuffer.wrap(chunk);
  private FileChannel channel; // null while no file is open
  private Object fileKey; // of the open file; null where the filesystem has none
  private long position; // next byte of the open file to read
  private long lineCount;
  private boolean firstLook = true; // a file there at start is followed from its end
  private boolean opened; // a file was open before: the next one is a reconnect
  private boolean rotated; // the path names another file: finish the old one, then switch
  private boolean finished; // nothing more to do (end of file, or a file that cannot be read once)
  private Event pending; // refused by the full sink, offered again shortly
  private long pendingSinceNanos;
  private ScheduledFuture<?> nextStep;

  /**
   * @param scheduler runs every step; an event loop in production
   * @param pollMillis how often a followed file is checked when there is nothing new
   * @param maxWaitMillis how long one event waits for room in a full sink before it is dropped
   */
  FileSource(
      FileSpec spec,
      Clock clock,
      ScheduledExecutorService scheduler,
      long pollMillis,
      long maxWaitMillis) {
    this(spec, clock, scheduler, pollMillis, maxWaitMillis, FieldDemand.all());
  }

  /** @param demand the event fields the decoder extracts */
  FileSource(
      FileSpec spec,
      Clock clock,
      ScheduledExecutorService scheduler,
      long pollMillis,
      long maxWaitMillis,
      FieldDemand demand) {
    super(spec.name(), spec.description());
    this.path = spec.path();
    this.follow = spec.follow();
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    if (pollMillis < 1) {
      throw new IllegalArgumentException("poll interval must be at least 1 ms: " + pollMillis);
    }
    if (maxWaitMillis < 0) {
      throw new IllegalArgumentException("max wait must not be negative: " + maxWaitMillis);
    }
    this.pollMillis = pollMillis;
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
    this.lines = new JsonLines(spec.name(), spec.decoding(), clock, counters, LOG, demand);
  }

  @Override
  void begin(EventSink sink) {
    synchronized (this) {
      this.sink = sink;
    }
    status.set(State.CONNECTING, "opening " + path);
    schedule(0);
  }

  // Synchronized: taking the steps' lock waits out a running step, so nothing is delivered
  // after close() returns; later steps see the flag and do nothing.
  @Override
  synchronized void release() {
    if (nextStep != null) {
      nextStep.cancel(false);
      nextStep = null;
    }
    closeChannel();
    pending = null;
  }

  private void schedule(long delayMillis) {
    try {
      nextStep = scheduler.schedule(this::step, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      status.set(State.FAILED, "scheduler is shut down");
    }
  }

  /** One unit of work: deliver a waiting event, then read up to 1 MiB; schedules the next. */
  private synchronized void step() {
    nextStep = null;
    if (isClosed() || finished) {
      return;
    }
    try {
      if (pending != null && !retryPending()) {
        return;
      }
      if (!drain()) {
        return;
      }
      for (int i = 0; i < CHUNKS_PER_STEP; i++) {
        if (channel == null && !open()) {
          if (!finished) {
            schedule(pollMillis);
          }
          return;
        }
        chunkBuffer.clear();
        int n = channel.read(chunkBuffer, position);
        if (n > 0) {
          position += n;
          splitter.feed(chunk, 0, n);
          if (!drain()) {
            return;
          }
          continue;
        }
        if (!follow) {
          endOfFile();
          return;
        }
        if (!changedUnderUs()) {
          schedule(pollMillis);
          return;
        }
        if (pending != null) {
          return; // the old file's last line waits for room; its retry continues from here
        }
      }
      schedule(0); // yield to the loop's other tasks, then carry on
    } catch (IOException e) {
      readFailed(e);
    } catch (RuntimeException e) {
      // A failing sink is a bug elsewhere; say so instead of stalling silently.
      LOG.error("{}: reading {} stopped", name, path, e);
      closeChannel();
      finished = true;
      status.set(State.FAILED, "stopped: " + e);
    }
  }

  /** Delivers the lines left in the current chunk; {@code false} if one waits for room. */
  private boolean drain() {
    for (LineSplitter.Line line = splitter.next(); line != null; line = splitter.next()) {
      if (!handle(line)) {
        return false;
      }
    }
    return true;
  }

  /** Counts and decodes one line and offers its event; {@code false} if it waits for room. */
  private boolean handle(LineSplitter.Line line) {
    lineCount++;
    if (line.tooLarge()) {
      lines.tooLarge();
      return true;
    }
    Event event = lines.decode(line.bytes());
    if (event == null || lines.offer(sink, event)) {
      return true;
    }
    pending = event;
    pendingSinceNanos = System.nanoTime();
    schedule(RETRY_MILLIS);
    return false;
  }

  private boolean retryPending() {
    if (lines.offer(sink, pending)) {
      pending = null;
      return true;
    }
    if (System.nanoTime() - pendingSinceNanos >= maxWaitNanos) {
      lines.dropped();
      pending = null;
      return true;
    }
    schedule(RETRY_MILLIS);
    return false;
  }

  /** Opens the file at the path; {@code false} when there is none (or it cannot be read). */
  private boolean open() throws IOException {
    boolean atStart = firstLook;
    firstLook = false;
    FileChannel opening = null;
    try {
      BasicFileAttributes before = Files.readAttributes(path, BasicFileAttributes.class);
      if (before.isDirectory()) {
        cannotRead("is a directory");
        return false;
      }
      opening = FileChannel.open(path, StandardOpenOption.READ);
      Object key = before.fileKey();
      // Rotated between the two looks: which file did we open? Look again next poll.
      if (key != null && !key.equals(Files.readAttributes(path, BasicFileAttributes.class).fileKey())) {
        opening.close();
        return false;
      }
      channel = opening;
      fileKey = key;
      position = follow && atStart ? opening.size() : 0;
    } catch (NoSuchFileException e) {
      closeQuietly(opening);
      missing();
      return false;
    } catch (AccessDeniedException e) {
      closeQuietly(opening);
      cannotRead("permission denied");
      return false;
    }
    if (opened) {
      counters.reconnect();
    }
    opened = true;
    splitter.reset();
    String detail = (follow ? "following " : "reading ") + path;
    if (status.set(State.LIVE, detail) && follow && !atStart) {
      LOG.info("{}: {} (from its start)", name, detail);
    }
    return true;
  }

  /**
   * At the end of the open file while following: whether the path changed under us (then the
   * caller reads on at once), or there is simply nothing new yet.
   */
  private boolean changedUnderUs() throws IOException {
    if (rotated) {
      // The old file has been read to its end a last time since the rotation was seen.
      rotated = false;
      LineSplitter.Line last = splitter.finish();
      closeChannel();
      LOG.info("{}: {} was rotated; reading the new file", name, path);
      if (last != null) {
        handle(last);
      }
      return true;
    }
    if (channel.size() < position) {
      LOG.info("{}: {} was truncated; reading it from the start", name, path);
      position = 0;
      splitter.reset(); // the rest of a partial line went with the truncation
      return true;
    }
    BasicFileAttributes now;
    try {
      now = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return false; // moved away, no new file yet: keep reading the old one
    }
    Object key = now.fileKey();
    if (fileKey != null && key != null && !key.equals(fileKey)) {
      rotated = true; // one more pass over the old file for lines written before the switch
      return true;
    }
    return false;
  }

  private void endOfFile() {
    LineSplitter.Line last = splitter.finish();
    if (last != null && !handle(last)) {
      return; // the retry comes back here, and finish() then has nothing left
    }
    closeChannel();
    finished = true;
    status.set(State.CLOSED, "end of file (" + lineCount + (lineCount == 1 ? " line)" : " lines)"));
  }

  private void missing() {
    if (!follow) {
      finished = true;
      status.set(State.FAILED, "no such file: " + path);
      return;
    }
    String detail = "waiting for " + path;
    if (!detail.equals(status.detail()) && status.set(State.RECONNECTING, detail)) {
      LOG.info("{}: {}", name, detail);
    }
  }

  private void cannotRead(String reason) {
    if (!follow) {
      finished = true;
      status.set(State.FAILED, "cannot read " + path + ": " + reason);
      return;
    }
    String detail = "cannot read " + path + " (" + reason + "); checking again";
    if (!detail.equals(status.detail()) && status.set(State.RECONNECTING, detail)) {
      LOG.warn("{}: {}", name, detail);
    }
  }

  private void readFailed(IOException e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    closeChannel();
    splitter.reset();
    rotated = false;
    if (!follow) {
      finished = true;
      status.set(State.FAILED, "reading " + path + " failed: " + reason);
      LOG.warn("{}: reading {} failed: {}", name, path, reason);
      return;
    }
    cannotRead(reason);
    schedule(pollMillis);
  }

  private void closeChannel() {
    closeQuietly(channel);
    channel = null;
    fileKey = null;
  }

  private static void closeQuietly(FileChannel c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException e) {
      // Only reading; nothing was written that could be lost.
    }
  }
}
