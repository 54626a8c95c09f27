package livegraph.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import livegraph.pipeline.Clock;
import livegraph.pipeline.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dashboard's append-only journal of the events its charts took, kept in segment files in
 * one directory, replayed at start so a restart shows the charts it stopped with.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li><b>What is kept.</b> Decoded {@link Event}s (time and fields), not upstream frames: they
 *       are what the pipeline took and replays, events pushed by a program have no frame, a
 *       frame would need its source's decoder (whose settings a reload may have changed) to
 *       mean anything, and a StackExchange frame is several times its event's size.
 *   <li><b>Records.</b> Length-prefixed, each with a CRC32C of its payload; see {@link
 *       SegmentFormat} and, for a bad record, {@link SegmentScan}.
 *   <li><b>Acknowledged</b> means written to the file by write(2): the kernel has it, and it
 *       survives the process being killed ({@code kill -9}). The writer forces the file to disk
 *       every {@link JournalSettings#fsyncEvery} (1 s), at each roll and at close, so a power
 *       loss loses at most the last second.
 *   <li><b>Bounds.</b> Retention is the charts' longest reach: whole segments whose newest
 *       event is older are deleted at each roll, and events older are skipped at replay. The
 *       size bound deletes the oldest segment first. The writer's queue holds at most {@link
 *       JournalSettings#queueEvents}; a batch that does not fit is not journaled (counted in
 *       {@link #refused}), the charts still show it.
 *   <li><b>Disk full.</b> An {@link IOException} from writing, forcing or creating a segment
 *       stops journaling: logged once, counted in {@link #writeFailures}, the events from then
 *       on counted in {@link #unjournaled}, shown by {@link #failure} in /healthz, and the
 *       dashboard keeps serving. Every {@link JournalSettings#rollEvery} the writer applies the
 *       bounds (which may free space) and tries a new segment.
 *   <li><b>One process per directory.</b> A lock file ({@code lock}, {@link FileChannel#tryLock})
 *       is held while open; {@link #open} throws {@link LockedException} when another holds it.
 * </ul>
 *
 * <p>Threads: {@link #open}, {@link #replay} and {@link #start} by whoever starts the
 * dashboard, in that order; {@link #append} on its pipeline thread; segment files and {@code
 * segments} on the writer thread once started; counters from any thread; {@link #close} once,
 * by whoever stops the dashboard.
 */
public final class Journal implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Journal.class);

  /** Events handed to the replay consumer at once. */
  static final int REPLAY_CHUNK = 4096;
  /** Bytes gathered from the queue into one write(2) at most. */
  private static final int WRITE_BYTES = 1 << 20;
  /** How long {@link #close} waits for the writer to drain, force and close. */
  private static final long CLOSE_MILLIS = 4_000;
  private static final Event[] STOP = new Event[0];

  /** Another process (or this one) holds the directory's lock. */
  public static final class LockedException extends IOException {
    private static final long serialVersionUID = 1L;

    LockedException(String message) {
      super(message);
    }
  }

  /**
   * What a replay found.
   *
   * @param events events given to the consumer
   * @param expired events older than the retention, skipped
   * @param torn torn records cut from the end of the last segment (0 or 1)
   * @param corrupt corrupt records, each ending its segment's replay
   * @param segments segment files read
   */
  public record Replayed(long events, long expired, long torn, long corrupt, long segments) {}

  /** A closed segment on disk; writer thread (the opener's before start). */
  private record Segment(Path file, long bytes, long newestMillis) {}

  private final Path dir;
  private final JournalSettings settings;
  private final Clock clock;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final long chartsStartMillis;
  private volatile long retentionMillis; // Long.MAX_VALUE: no limit but the size bound

  private final ArrayDeque<Segment> segments = new ArrayDeque<>(); // oldest first; writer thread
  private long nextNumber; // writer thread
  private FileChannel channel; // the segment being written, null while failed; writer thread
  private Path channelFile; // writer thread
  private long channelBytes; // bytes whole in it; writer thread
  private long channelNewest = Long.MIN_VALUE; // writer thread
  private long channelOpenedAt; // writer thread
  private long lastForce; // writer thread
  private boolean dirty; // written since the last force; writer thread
  private long failedAt; // when the last write error happened; writer thread

  // Bounded at queueEvents events (counted in queued), one slot more for STOP; a batch that
  // does not fit is refused whole and counted.
  private final BlockingQueue<Event[]> queue;
  private final AtomicInteger queued = new AtomicInteger();
  private volatile boolean live; // set by start: appends before it are the replay's own
  private Thread writer;

  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong unjournaled = new AtomicLong();
  private final AtomicLong writeFailures = new AtomicLong();
  private final AtomicLong segmentsDropped = new AtomicLong();
  private final AtomicLong bytesOnDisk = new AtomicLong();
  private volatile Replayed replayed = new Replayed(0, 0, 0, 0, 0);
  private volatile String failure; // null while journaling

  private Journal(Path dir, JournalSettings settings, long retentionMillis, Clock clock,
      FileChannel lockChannel, FileLock lock, long chartsStartMillis) {
    this.dir = dir;
    this.settings = settings;
    this.retentionMillis = retentionMillis;
    this.clock = clock;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.chartsStartMillis = chartsStartMillis;
    this.queue = new ArrayBlockingQueue<>(settings.queueEvents() + 1);
  }

  /**
   * Opens the journal in {@code dir} (created if absent) and takes its lock.
   *
   * @param retentionMillis how far back the charts reach ({@link Long#MAX_VALUE}: no limit)
   * @throws LockedException when another process uses {@code dir}
   * @throws IOException when {@code dir} cannot be created or locked
   */
  public static Journal open(Path dir, JournalSettings settings, long retentionMillis,
      Clock clock) throws IOException {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(clock, "clock");
    if (retentionMillis <= 0) {
      throw new IllegalArgumentException("retention must be positive: " + retentionMillis);
    }
    Files.createDirectories(dir);
    Path lockFile = dir.resolve("lock");
    FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      lockChannel.close();
      throw e;
    }
    if (lock == null) {
      lockChannel.close();
      throw new LockedException(dir + " is in use by another livegraph (it holds " + lockFile
          + "); give this one another --journal DIR, or --no-journal");
    }
    long start = clock.millis();
    for (Path file : segmentFiles(dir)) {
      long found = headerStart(file);
      if (found != Long.MIN_VALUE) {
        start = found;
        break;
      }
    }
    return new Journal(dir, settings, retentionMillis, clock, lockChannel, lock, start);
  }

  /**
   * The directory of one dashboard's journal under {@code root}: its name, with any character
   * but letters, digits, '.', '-' and '_' written as '_' (a name from code may hold anything).
   */
  public static Path dirFor(Path root, String dashboard) {
    String safe = dashboard.replaceAll("[^A-Za-z0-9._-]", "_");
    if (safe.isEmpty() || safe.chars().allMatch(c -> c == '.')) {
      safe = "_" + safe;
    }
    return root.resolve(safe);
  }

  /**
   * When the charts whose events this journal keeps started: the start recorded in its oldest
   * segment, or now for a new journal. Replayed charts start here, so since-start windows
   * count from where they did before the restart.
   */
  public long chartsStartMillis() {
    return chartsStartMillis;
  }

  public Path dir() {
    return dir;
  }

  /**
   * Reads every segment, oldest first, giving the events within retention to {@code chunks}
   * (oldest first, in lists of at most {@value #REPLAY_CHUNK}); cuts a torn last record off the
   * newest segment and deletes segments beyond the bounds. Before {@link #start}, once.
   */
  public Replayed replay(Consumer<List<Event>> chunks) {
    long now = clock.millis();
    long cutoff = cutoff(now);
    List<Path> files = segmentFiles(dir);
    List<Long> sizes = new ArrayList<>();
    long total = 0;
    for (Path file : files) {
      long size = size(file);
      sizes.add(size);
      total += size;
    }
    // The size bound first, so events about to be deleted are not replayed.
    while (!files.isEmpty() && total > settings.maxBytes() - settings.segmentBytes()) {
      total -= sizes.remove(0);
      dropForSize(files.remove(0));
    }
    long events = 0;
    long expired = 0;
    long torn = 0;
    long corrupt = 0;
    List<Event> chunk = new ArrayList<>(REPLAY_CHUNK);
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      boolean last = i == files.size() - 1;
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException | OutOfMemoryError e) {
        corrupt++;
        log.warn("journal segment {} cannot be read ({}); skipped", file, e.toString());
        continue;
      }
      long[] kept = {0, 0};
      SegmentScan scan = SegmentScan.read(file, SegmentFormat.number(file), bytes, last, e -> {
        if (e.timeMillis() < cutoff) {
          kept[1]++;
          return;
        }
        kept[0]++;
        chunk.add(e);
        if (chunk.size() == REPLAY_CHUNK) {
          chunks.accept(List.copyOf(chunk));
          chunk.clear();
        }
      });
      events += kept[0];
      expired += kept[1];
      long bytesKept = scan.fileSize();
      if (scan.problem() == SegmentScan.Problem.TORN) {
        torn++;
        bytesKept = cutTornTail(scan);
      } else if (scan.problem() == SegmentScan.Problem.CORRUPT) {
        corrupt++;
        log.warn("journal segment {}: {}; the {} bytes after it are not replayed "
            + "({} events before it were)", file, scan.detail(),
            scan.fileSize() - scan.goodEnd(), scan.events());
      }
      if (bytesKept == 0 || scan.events() == 0 && scan.problem() == SegmentScan.Problem.NONE
          || scan.newestMillis() < cutoff && kept[0] == 0 && scan.hasHeader()) {
        delete(file); // empty, or wholly past retention
      } else if (bytesKept > 0) {
        segments.add(new Segment(file, bytesKept, scan.newestMillis()));
      }
    }
    if (!chunk.isEmpty()) {
      chunks.accept(List.copyOf(chunk));
    }
    nextNumber = files.isEmpty() ? 1 : SegmentFormat.number(files.get(files.size() - 1)) + 1;
    bytesOnDisk.set(segments.stream().mapToLong(Segment::bytes).sum());
    Replayed r = new Replayed(events, expired, torn, corrupt, files.size());
    replayed = r;
    if (!files.isEmpty()) {
      log.info("journal {}: replayed {} events from {} segments ({} past retention skipped)",
          dir, events, files.size(), expired);
    }
    return r;
  }

  /** Starts the writer thread; events appended from now on are journaled. */
  public synchronized void start(ThreadFactory threads) {
    if (writer != null) {
      throw new IllegalStateException("journal already started");
    }
    if (nextNumber == 0) {
      nextNumber = segmentFiles(dir).stream().mapToLong(SegmentFormat::number).max().orElse(0)
          + 1;
    }
    writer = threads.newThread(this::run);
    live = true;
    writer.start();
  }

  /**
   * Queues a batch the charts took at {@code nowMillis} (times later than it count as it, as
   * the pipeline counts them), without blocking; pipeline thread. Not journaled, and counted
   * in {@link #refused}, when the queue is full; ignored before {@link #start} (the replay's own
   * events coming back through the pipeline).
   */
  public void append(List<Event> batch, long nowMillis) {
    if (!live || batch.isEmpty()) {
      return;
    }
    int n = batch.size();
    if (queued.addAndGet(n) > settings.queueEvents()) {
      queued.addAndGet(-n);
      long total = refused.addAndGet(n);
      if (Long.bitCount(total / n) == 1) {
        log.warn("journal {}: writer behind, {} events not journaled so far", dir, total);
      }
      return;
    }
    Event[] copy = new Event[n];
    for (int i = 0; i < n; i++) {
      Event e = batch.get(i);
      copy[i] = e.timeMillis() > nowMillis ? new Event(nowMillis, e.fields()) : e;
    }
    queue.add(copy); // room is guaranteed by queued
  }

  /** Sets how far back the charts reach, after a reload changed them. */
  public void retention(long millis) {
    if (millis <= 0) {
      throw new IllegalArgumentException("retention must be positive: " + millis);
    }
    retentionMillis = millis;
  }

  /** Events written to the journal file (the kernel has them): they survive a kill -9. */
  public long acknowledged() {
    return acknowledged.get();
  }

  /** Events not journaled because the writer's queue was full (or one was over 1 MiB). */
  public long refused() {
    return refused.get();
  }

  /** Events not journaled because writing had failed (a full disk). */
  public long unjournaled() {
    return unjournaled.get();
  }

  /** Write, force or create errors; each stops journaling until the next retry. */
  public long writeFailures() {
    return writeFailures.get();
  }

  /** Segments deleted by the size bound (not by retention). */
  public long segmentsDropped() {
    return segmentsDropped.get();
  }

  /** Bytes of the segment files. */
  public long bytes() {
    return bytesOnDisk.get();
  }

  /** What the start's replay found. */
  public Replayed replayed() {
    return replayed;
  }

  /** Why journaling is stopped, or null while it works. */
  public String failure() {
    return failure;
  }

  /**
   * Writes what is queued, forces it to disk, closes the segment and releases the lock, waiting
   * at most 4 s for the writer; idempotent.
   */
  @Override
  public void close() {
    Thread w;
    synchronized (this) {
      w = writer;
      live = false;
    }
    if (w != null && w.isAlive()) {
      queue.add(STOP); // the slot kept for it: queued never exceeds queueEvents
      try {
        w.join(CLOSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (w.isAlive()) {
        log.warn("journal {}: writer did not finish within {} ms", dir, CLOSE_MILLIS);
      }
    }
    try {
      if (lock.isValid()) {
        lock.release();
      }
      lockChannel.close();
    } catch (IOException e) {
      log.warn("journal {}: releasing the lock failed: {}", dir, e.toString());
    }
  }

  // ---- writer thread ----

  private void run() {
    try {
      loop();
    } catch (RuntimeException | Error e) {
      // A bug here must not pass silently: appends now fill the queue and are counted refused.
      failure = "journal writer stopped: " + e;
      log.error("journal {}: writer stopped; events are no longer journaled", dir, e);
      throw e;
    }
  }

  private void loop() {
    ByteBuffer buffer = ByteBuffer.allocate(64 << 10);
    lastForce = clock.millis();
    enforceBounds(clock.millis());
    openSegment();
    boolean stop = false;
    while (!stop) {
      Event[] first;
      try {
        first = queue.poll(settings.fsyncEvery().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        log.warn("journal {}: writer interrupted; stopping", dir);
        break;
      }
      int events = 0;
      buffer.clear();
      // One write(2) per gathering, up to 1 MiB or the segment's room: a segment outgrows its
      // size by one batch at most.
      long room = Math.min(WRITE_BYTES, Math.max(0, settings.segmentBytes() - channelBytes));
      for (Event[] batch = first; batch != null; batch = buffer.position() < room
          ? queue.poll() : null) {
        if (batch == STOP) {
          stop = true;
          break;
        }
        queued.addAndGet(-batch.length);
        for (Event e : batch) {
          int at = buffer.position();
          buffer = EventCodec.room(buffer, SegmentFormat.RECORD_HEADER_BYTES);
          buffer.position(at + SegmentFormat.RECORD_HEADER_BYTES);
          buffer = EventCodec.encode(e, buffer);
          int length = buffer.position() - at - SegmentFormat.RECORD_HEADER_BYTES;
          if (length > SegmentFormat.MAX_PAYLOAD) {
            buffer.position(at);
            refused.incrementAndGet();
            continue;
          }
          buffer.putInt(at, length);
          buffer.putInt(at + 4, SegmentFormat.crc(buffer.array(),
              at + SegmentFormat.RECORD_HEADER_BYTES, length));
          channelNewest = Math.max(channelNewest, e.timeMillis());
          events++;
        }
      }
      long now = clock.millis();
      if (events > 0) {
        write(buffer.flip(), events);
      }
      if (stop) {
        break;
      }
      if (channel == null) {
        if (now - failedAt >= settings.rollEvery().toMillis()) {
          enforceBounds(now);
          openSegment();
        }
      } else if (channelBytes >= settings.segmentBytes()
          || channelBytes > SegmentFormat.HEADER_BYTES
              && now - channelOpenedAt >= settings.rollEvery().toMillis()) {
        roll(now);
      } else if (dirty && now - lastForce >= settings.fsyncEvery().toMillis()) {
        force(now);
      }
    }
    if (channel != null) {
      force(clock.millis());
    }
    if (channel != null) { // a failed force closed it already
      closeChannel();
    }
  }

  private void write(ByteBuffer bytes, int events) {
    if (channel == null) {
      unjournaled.addAndGet(events);
      return;
    }
    try {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channelBytes += bytes.limit();
      bytesOnDisk.addAndGet(bytes.limit());
      dirty = true;
      acknowledged.addAndGet(events);
    } catch (IOException e) {
      unjournaled.addAndGet(events);
      fail("writing " + channelFile, e);
    }
  }

  private void force(long now) {
    try {
      channel.force(false);
      dirty = false;
      lastForce = now;
    } catch (IOException e) {
      fail("forcing " + channelFile + " to disk", e);
    }
  }

  private void roll(long now) {
    force(now);
    if (channel == null) {
      return;
    }
    closeChannel();
    enforceBounds(now);
    openSegment();
  }

  private void closeChannel() {
    try {
      channel.close();
    } catch (IOException e) {
      log.warn("journal {}: closing {} failed: {}", dir, channelFile, e.toString());
    }
    segments.add(new Segment(channelFile, channelBytes, channelNewest));
    channel = null;
  }

  private void openSegment() {
    Path file = dir.resolve(SegmentFormat.name(nextNumber++));
    FileChannel opened = null;
    try {
      opened = settings.opener().create(file);
      ByteBuffer header = SegmentFormat.header(chartsStartMillis);
      while (header.hasRemaining()) {
        opened.write(header);
      }
    } catch (IOException e) {
      if (opened != null) {
        try {
          opened.close();
        } catch (IOException ignored) {
          // already failing; the first error is the one reported
        }
      }
      delete(file);
      fail("creating " + file, e);
      return;
    }
    channel = opened;
    channelFile = file;
    channelBytes = SegmentFormat.HEADER_BYTES;
    channelNewest = Long.MIN_VALUE;
    channelOpenedAt = clock.millis();
    dirty = true;
    bytesOnDisk.addAndGet(SegmentFormat.HEADER_BYTES);
    if (failure != null) {
      log.info("journal {}: journaling again in {} ({} events were not journaled)", dir, file,
          unjournaled.get());
      failure = null;
    }
  }

  /** Stops journaling until the next retry; the first failure of a streak is logged. */
  private void fail(String what, IOException e) {
    writeFailures.incrementAndGet();
    failedAt = clock.millis();
    if (failure == null) {
      log.warn("journal {}: {} failed ({}); journaling stops, the charts go on; retrying every "
          + "{}", dir, what, e.toString(), settings.rollEvery());
    }
    failure = what + " failed: " + e.getMessage();
    if (channel != null) {
      // Cut a partly written record off, so this segment ends whole (best effort: a full disk
      // still lets a file shrink).
      try {
        channel.truncate(channelBytes);
      } catch (IOException ignored) {
        // the replay reads a partial record here as corruption and drops only it
      }
      closeChannel();
    }
  }

  /** Deletes whole segments past retention, then the oldest ones over the size bound. */
  private void enforceBounds(long now) {
    long cutoff = cutoff(now);
    while (!segments.isEmpty() && segments.peekFirst().newestMillis() < cutoff) {
      Segment old = segments.removeFirst();
      delete(old.file());
      bytesOnDisk.addAndGet(-old.bytes());
    }
    long total = segments.stream().mapToLong(Segment::bytes).sum();
    // Room for the segment about to be opened, so the files stay within maxBytes.
    while (!segments.isEmpty() && total + settings.segmentBytes() > settings.maxBytes()) {
      Segment old = segments.removeFirst();
      total -= old.bytes();
      bytesOnDisk.addAndGet(-old.bytes());
      dropForSize(old.file());
    }
  }

  private void dropForSize(Path file) {
    long n = segmentsDropped.incrementAndGet();
    if (Long.bitCount(n) == 1) {
      log.warn("journal {}: size bound {} bytes reached, deleted the oldest segment {} ({} so "
          + "far); a restart replays less than the longest window", dir, settings.maxBytes(),
          file.getFileName(), n);
    }
    delete(file);
  }

  private long cutoff(long now) {
    long r = retentionMillis;
    return r == Long.MAX_VALUE || now - r > now ? Long.MIN_VALUE : now - r;
  }

  private long cutTornTail(SegmentScan scan) {
    log.warn("journal segment {}: torn last record dropped ({}); {} events before it kept",
        scan.file(), scan.detail(), scan.events());
    if (!scan.hasHeader()) {
      delete(scan.file());
      return 0;
    }
    try (FileChannel c = FileChannel.open(scan.file(), StandardOpenOption.WRITE)) {
      c.truncate(scan.goodEnd());
      c.force(false);
    } catch (IOException e) {
      log.warn("journal segment {}: cutting the torn record failed: {}", scan.file(),
          e.toString());
    }
    return scan.goodEnd();
  }

  private void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("journal {}: deleting {} failed: {}", dir, file, e.toString());
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /** The segment files in {@code dir}, oldest first. */
  static List<Path> segmentFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> SegmentFormat.number(f) >= 0)
          .sorted((a, b) -> Long.compare(SegmentFormat.number(a), SegmentFormat.number(b)))
          .toList();
    } catch (IOException e) {
      log.warn("journal {}: cannot list it: {}", dir, e.toString());
      return List.of();
    }
  }

  /** The charts' start in a segment's header, or Long.MIN_VALUE when it has none. */
  private static long headerStart(Path file) {
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(SegmentFormat.HEADER_BYTES);
      while (b.hasRemaining() && c.read(b) >= 0) {
        // read the header whole
      }
      if (b.hasRemaining() || b.getInt(0) != SegmentFormat.MAGIC
          || b.getInt(12) != SegmentFormat.crc(b.array(), 0, 12)) {
        return Long.MIN_VALUE;
      }
      return b.getLong(4);
    } catch (IOException e) {
      return Long.MIN_VALUE;
    }
  }

  @Override
  public String toString() {
    return "Journal[" + dir + ", " + acknowledged.get() + " acknowledged]";
  }
}
