package livegraph.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches dashboard files and reloads one when its contents change: {@link
 * Listener#onReload} with the new dashboard after a good edit, {@link Listener#onError} with
 * every problem after a bad one (the caller keeps serving the last good version).
 *
 * <h2>Design</h2>
 *
 * <p>Polling, not {@code WatchService}: editors save by writing in place, by writing a temporary
 * file and renaming it over the old one, or by deleting and recreating it, and a directory watch
 * sees each of those differently (and not at all on some file systems). Every {@code interval}
 * (500 ms by default) each file's size, modification time and file key (inode) are compared
 * with the last poll's; only when they differ, or a change is still settling, is the file read
 * (at most {@link DashboardLoader#MAX_BYTES} + 1 bytes) and hashed. A new content hash is loaded
 * once two polls in a row have seen it, so a save caught half-written, or a file briefly missing
 * between an editor's delete and create, is not reported as an error. A change that keeps the
 * same size, modification time and inode is not noticed; modification times have at worst
 * a few milliseconds' granularity, far finer than a person saving a file. Content equal to what was
 * last reported (a {@code touch}, a save without edits) is not reported again.
 *
 * <p>Threads: polls run on the injected executor; callbacks run there too, one at a time. The
 * per-file state below is only touched by {@link #poll}, which is synchronized so a test may
 * call it directly.
 */
public final class DashboardWatcher implements AutoCloseable {

  /** Hears about changed files; called on the watcher's executor, one call at a time. */
  public interface Listener {

    /** {@code file} changed and loads: serve {@code dashboard} from now on. */
    void onReload(Path file, Dashboard dashboard);

    /** {@code file} changed and does not load: keep the last good version, show the problems. */
    void onError(Path file, DashboardException error);
  }

  /** How often files are looked at unless told otherwise. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);

  private static final Logger log = LoggerFactory.getLogger(DashboardWatcher.class);

  /** What the file system says about a file without reading it. */
  private record Signature(long size, FileTime modified, Object fileKey) {}

  /** One file's state; owned by {@link #poll}. */
  private static final class Watched {
    Signature signature; // at the last poll; null when missing
    String reported; // hash of the contents last loaded or reported (the baseline at start)
    String settling; // hash seen at the last poll, not yet reported; null when none
  }

  private final Map<Path, Watched> files = new LinkedHashMap<>();
  private final ScheduledExecutorService executor;
  private final Duration interval;
  private final Listener listener;
  private ScheduledFuture<?> task; // guarded by this

  /**
   * @param files the dashboard files, as the user named them (that is how problems show them)
   * @param executor runs the polls and the callbacks; not shut down by {@link #close}
   * @param interval between polls
   */
  public DashboardWatcher(Collection<Path> files, ScheduledExecutorService executor,
      Duration interval, Listener listener) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    files.forEach(f -> this.files.put(f, new Watched()));
    this.executor = Objects.requireNonNull(executor, "executor");
    this.interval = interval;
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Polls every {@link #DEFAULT_INTERVAL}. */
  public DashboardWatcher(Collection<Path> files, ScheduledExecutorService executor,
      Listener listener) {
    this(files, executor, DEFAULT_INTERVAL, listener);
  }

  /**
   * Takes the files' current contents as the versions being served (call it right after loading
   * them) and starts polling.
   */
  public synchronized DashboardWatcher start() {
    if (task != null) {
      throw new IllegalStateException("already started");
    }
    for (Map.Entry<Path, Watched> e : files.entrySet()) {
      Watched w = e.getValue();
      w.signature = signature(e.getKey());
      w.reported = hash(e.getKey(), w.signature);
    }
    long ms = interval.toMillis();
    task = executor.scheduleWithFixedDelay(this::pollQuietly, ms, ms, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Stops polling; a poll under way finishes. Idempotent. */
  @Override
  public synchronized void close() {
    if (task != null) {
      task.cancel(false);
    }
  }

  /** One look at every file; runs on the executor (or in a test). */
  synchronized void poll() {
    for (Map.Entry<Path, Watched> e : files.entrySet()) {
      try {
        poll(e.getKey(), e.getValue());
      } catch (RuntimeException failed) {
        // The listener's failure; the change counts as reported, and the other files go on.
        log.warn("dashboard watcher: handling a change of {} failed", e.getKey(), failed);
      }
    }
  }

  private void poll(Path file, Watched w) {
    Signature now = signature(file);
    if (Objects.equals(now, w.signature) && w.settling == null) {
      return;
    }
    w.signature = now;
    byte[] bytes = now == null ? null : read(file);
    String hash = hash(bytes);
    if (hash.equals(w.reported)) {
      w.settling = null; // changed back, or touched
      return;
    }
    if (!hash.equals(w.settling)) {
      w.settling = hash; // seen once; load when the next poll sees the same
      return;
    }
    w.settling = null;
    w.reported = hash;
    if (bytes == null) {
      listener.onError(file, DashboardLoader.fileProblem(file.toString(),
          "cannot read the file: " + (now == null ? "no such file" : "read failed")));
      return;
    }
    Dashboard dashboard;
    try {
      dashboard = DashboardLoader.parse(bytes, file.toString(), DashboardLoader.baseDir(file));
    } catch (DashboardException e) {
      listener.onError(file, e);
      return;
    }
    listener.onReload(file, dashboard);
  }

  /** Nothing may end the schedule: a periodic task that throws never runs again. */
  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      log.warn("dashboard watcher: a poll failed; polling goes on", e);
    }
  }

  private static Signature signature(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Signature(a.size(), a.lastModifiedTime(), a.fileKey());
    } catch (IOException e) {
      return null;
    }
  }

  private static byte[] read(Path file) {
    try {
      return DashboardLoader.read(file);
    } catch (IOException e) {
      return null;
    }
  }

  private static String hash(Path file, Signature signature) {
    return hash(signature == null ? null : read(file));
  }

  private static String hash(byte[] bytes) {
    if (bytes == null) {
      return "unreadable";
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
