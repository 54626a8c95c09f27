package livegraph.hub;

import io.micrometer.core.instrument.Timer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import livegraph.pipeline.Clock;
import livegraph.pipeline.FrameSink;

/**
 * Numbers the pipeline's frames, keeps the snapshot and recent deltas, and fans each frame out to
 * every viewer as one shared byte array.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li><b>Sequence.</b> Deltas are numbered from a start value taken from the clock (epoch
 *       milliseconds) and incremented once per frame. The pipeline emits at most one frame per
 *       100 ms tick, so every seq of an earlier run is below the first seq of a later one: a
 *       page resuming across a server restart can never be mistaken for one that is merely
 *       behind, and gets a snapshot.
 *   <li><b>Resume.</b> A ring of the most recent deltas (bounded by count and bytes, oldest
 *       evicted first) answers {@code resume(seq)} with the deltas after {@code seq}; when they
 *       are no longer all there the viewer gets a snapshot instead.
 *   <li><b>Slow viewers.</b> The transport bounds each viewer's outbound bytes with a high-water
 *       mark. A viewer above it is skipped (it receives nothing) and marked behind; the first
 *       frame after it drains below the mark is a fresh snapshot, so it jumps to the live state
 *       instead of replaying a backlog. A viewer that stays unwritable for {@code dropAfterMillis}
 *       is closed with 1013 ("try again later"). Either way the publisher never waits on it.
 *   <li><b>Ordering.</b> One lock covers publish, join, resume and leave, so a viewer joining
 *       between two frames gets exactly the snapshot at seq N followed by delta N+1.
 *   <li><b>Reload.</b> {@link #reset} swaps in a new hello and chart states (the dashboard was
 *       edited): every viewer gets the new hello and a snapshot at the next seq, and the resume
 *       ring is emptied, because deltas of the old layout mean nothing in the new one. A viewer
 *       that is behind at that moment is marked as owing a hello; it gets it (then a snapshot)
 *       when it catches up, like any behind viewer.
 *   <li><b>Config errors.</b> {@link #configError} tells every viewer that an edit was rejected
 *       (the old dashboard keeps running) and is remembered for viewers that join later, until
 *       it is cleared or the next reset. A behind viewer is marked as owing the current message.
 * </ul>
 *
 * <p>Threads: {@link #publish} runs on the pipeline thread; join/resume/leave on transport event
 * loops; the status ticker calls {@link #broadcast}; whoever reloads the dashboard calls
 * {@link #reset} and {@link #configError}. All state below is guarded by {@code this}.
 */
public final class Hub implements FrameSink {

  /** Bounds and timing for a hub. */
  public record Limits(int recentDeltas, long recentDeltaBytes, long dropAfterMillis) {
    public Limits {
      if (recentDeltas < 1) {
        throw new IllegalArgumentException("recentDeltas must be positive: " + recentDeltas);
      }
      if (recentDeltaBytes < 1) {
        throw new IllegalArgumentException(
            "recentDeltaBytes must be positive: " + recentDeltaBytes);
      }
      if (dropAfterMillis < 1) {
        throw new IllegalArgumentException("dropAfterMillis must be positive: " + dropAfterMillis);
      }
    }

    /** 100 deltas (10 s at the default tick) or 8 MiB; a viewer stuck for 30 s is dropped. */
    public static Limits defaults() {
      return new Limits(100, 8L << 20, 30_000);
    }
  }

  private record Delta(long seq, byte[] bytes) {}

  /** Per-viewer bookkeeping; guarded by the hub's lock. */
  private static final class Session {
    final Viewer viewer;
    int index; // its place in members
    boolean behind;
    long behindSinceMillis;
    boolean owesHello; // a reset happened while behind: send hello before the catch-up snapshot
    boolean owesConfigError; // the config error changed while behind: send the current one

    Session(Viewer viewer) {
      this.viewer = viewer;
    }
  }

  private final Clock clock;
  private final Limits limits;
  private final Timer ingestToSend; // records once per publish of new events, or null

  private byte[] hello; // guarded by this
  private final Map<String, byte[]> charts = new LinkedHashMap<>(); // guarded by this
  private long seq; // guarded by this
  // Numbered by a cluster's ticks (publishTick, jump): every node's seq N is the same frame.
  private boolean clustered; // guarded by this
  private byte[] snapshot; // cached encoding of charts at seq, or null; guarded by this
  // Bounded by limits.recentDeltas and limits.recentDeltaBytes; full: evict the oldest.
  private final ArrayDeque<Delta> recent = new ArrayDeque<>(); // guarded by this
  private long recentBytes; // guarded by this
  private final Map<Viewer, Session> viewers = new IdentityHashMap<>(); // guarded by this
  // The same sessions as a list, walked by publish and broadcast without allocating (an
  // IdentityHashMap's entry iterator makes an entry per viewer); a leave moves the last into
  // the gap. Guarded by this.
  private final ArrayList<Session> members = new ArrayList<>();
  private byte[] lastBroadcast; // the latest status, so a new viewer need not wait; guarded by this
  private String configErrorText; // the rejected edit's message, or null; guarded by this
  private byte[] configErrorFrame; // its encoding, sent to joiners while not null; guarded by this
  private int closedCode; // set by closeAll: later joiners are closed with it; guarded by this
  private String closedReason; // guarded by this

  private final LongAdder framesOut = new LongAdder();
  private final LongAdder skippedForward = new LongAdder();
  private final LongAdder dropped = new LongAdder();

  /**
   * @param hello the first message every viewer gets (dashboard layout, source description)
   * @param initialCharts the full state of every chart before the first frame
   */
  public Hub(byte[] hello, Map<String, byte[]> initialCharts, Clock clock, Limits limits) {
    this(hello, initialCharts, clock, limits, null);
  }

  /**
   * @param ingestToSend records, for each delta holding new events, the time from the pipeline
   *     taking the newest of them to the delta being queued on every viewer's connection; or
   *     null
   */
  public Hub(byte[] hello, Map<String, byte[]> initialCharts, Clock clock, Limits limits,
      Timer ingestToSend) {
    this.ingestToSend = ingestToSend;
    this.hello = hello.clone();
    this.charts.putAll(initialCharts);
    this.clock = clock;
    this.limits = limits;
    this.seq = clock.millis();
  }

  /** Takes the pipeline's changed chart states as the next numbered delta and sends it out. */
  @Override
  public void publish(Map<String, byte[]> changed) {
    publish(changed, NO_EVENT);
  }

  /** {@link #publish(Map)}, recording the ingest-to-send latency of its newest event. */
  @Override
  public synchronized void publish(Map<String, byte[]> changed, long newestEventNanos) {
    if (changed.isEmpty()) {
      return;
    }
    publishLocked(changed, newestEventNanos);
  }

  private void publishLocked(Map<String, byte[]> changed, long newestEventNanos) {
    seq++;
    charts.putAll(changed);
    snapshot = null;
    byte[] delta = Messages.charts("delta", seq, changed);
    remember(new Delta(seq, delta));
    long now = clock.millis();
    List<Viewer> tooSlow = null;
    for (int i = 0, n = members.size(); i < n; i++) {
      Session session = members.get(i);
      if (!deliver(session.viewer, session, delta, now)) {
        if (tooSlow == null) {
          tooSlow = new ArrayList<>();
        }
        tooSlow.add(session.viewer);
      }
    }
    for (Viewer viewer : tooSlow == null ? List.<Viewer>of() : tooSlow) {
      remove(viewer);
      dropped.increment();
      viewer.close(1013, "too slow: no progress for " + limits.dropAfterMillis() / 1000 + " s");
    }
    if (ingestToSend != null && newestEventNanos != NO_EVENT) {
      ingestToSend.record(System.nanoTime() - newestEventNanos, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Takes the frame a cluster node cut at tick {@code tickSeq} (see {@code ClusterMember}): every
   * node numbers its frames by the ticks of one Redis Stream, so a page can resume on any node.
   * The next tick is sent as a delta even when nothing changed, keeping the numbers consecutive
   * for pages and resumes; a tick at or below the current seq is ignored; the first tick, and one
   * past a gap (the stream's counter started again), makes the changed charts part of a snapshot
   * at {@code tickSeq}, sent to every viewer, and empties the resume ring.
   */
  public synchronized void publishTick(long tickSeq, Map<String, byte[]> changed,
      long newestEventNanos) {
    if (!clustered || tickSeq > seq + 1) {
      // The first tick this hub sees (its own start seq is unrelated to the stream's numbers),
      // or one past a gap.
      clustered = true;
      charts.putAll(changed);
      jumpLocked(tickSeq);
      return;
    }
    if (tickSeq <= seq) {
      return;
    }
    seq = tickSeq - 1; // publishLocked takes the next number
    publishLocked(changed, newestEventNanos);
  }

  /**
   * Makes {@code allCharts} the state at {@code newSeq} and sends it as a snapshot to every
   * viewer (a behind one gets it when it catches up); the resume ring is emptied, so a resume
   * from before gets a snapshot. A cluster node calls this once it has caught up with the stream.
   */
  public synchronized void jump(long newSeq, Map<String, byte[]> allCharts) {
    clustered = true;
    charts.clear();
    charts.putAll(allCharts);
    jumpLocked(newSeq);
  }

  private void jumpLocked(long newSeq) {
    seq = newSeq;
    snapshot = null;
    recent.clear();
    recentBytes = 0;
    long now = clock.millis();
    for (Map.Entry<Viewer, Session> e : viewers.entrySet()) {
      Viewer viewer = e.getKey();
      Session session = e.getValue();
      if (viewer.writable() && !session.behind) {
        send(viewer, snapshot());
      } else if (!session.behind) {
        session.behind = true;
        session.behindSinceMillis = now;
        skippedForward.increment();
      }
    }
  }

  /** Sends the delta, or a catch-up snapshot, or skips; false when the viewer must go. */
  private boolean deliver(Viewer viewer, Session session, byte[] delta, long now) {
    if (!viewer.writable()) {
      if (!session.behind) {
        session.behind = true;
        session.behindSinceMillis = now;
      } else if (now - session.behindSinceMillis >= limits.dropAfterMillis()) {
        return false;
      }
      skippedForward.increment();
      return true;
    }
    if (session.behind) {
      catchUpAfterSkip(viewer, session, OptionalLong.empty());
    } else {
      send(viewer, delta);
    }
    return true;
  }

  private void remember(Delta delta) {
    recent.addLast(delta);
    recentBytes += delta.bytes().length;
    while (recent.size() > limits.recentDeltas()
        || (recentBytes > limits.recentDeltaBytes() && recent.size() > 1)) {
      recentBytes -= recent.removeFirst().bytes().length;
    }
  }

  /**
   * Adds a viewer: sends hello, then either the deltas after {@code resumeFrom} (when the ring
   * still holds all of them) or a snapshot.
   */
  public synchronized void join(Viewer viewer, OptionalLong resumeFrom) {
    if (closedReason != null) {
      // A handshake that finished during shutdown gets the reason the others got.
      viewer.close(closedCode, closedReason);
      return;
    }
    remove(viewer); // joining again starts over
    Session session = new Session(viewer);
    session.index = members.size();
    members.add(session);
    viewers.put(viewer, session);
    send(viewer, hello);
    catchUp(viewer, resumeFrom);
    if (configErrorFrame != null) {
      send(viewer, configErrorFrame);
    }
    if (lastBroadcast != null) {
      send(viewer, lastBroadcast);
    }
  }

  /** A viewer that saw up to {@code lastSeq} asks for what it missed. */
  public synchronized void resume(Viewer viewer, long lastSeq) {
    Session session = viewers.get(viewer);
    if (session == null) {
      return;
    }
    catchUpAfterSkip(viewer, session, OptionalLong.of(lastSeq));
  }

  /** Brings a viewer that may have missed frames up to date, with anything it is owed. */
  private void catchUpAfterSkip(Viewer viewer, Session session, OptionalLong resumeFrom) {
    session.behind = false;
    if (session.owesHello) {
      session.owesHello = false;
      send(viewer, hello);
      resumeFrom = OptionalLong.empty(); // its seq belongs to the old layout
    }
    catchUp(viewer, resumeFrom);
    if (session.owesConfigError) {
      session.owesConfigError = false;
      send(viewer, configErrorFrame != null ? configErrorFrame : Messages.configError(null));
    }
  }

  /**
   * Replaces the dashboard (a reload): new viewers get {@code newHello} and a snapshot of
   * {@code newCharts}; every connected viewer gets both now (or, when behind, once it catches
   * up), with a seq above every earlier one. The resume ring is cleared, so a resume from before
   * the reset gets a snapshot; a pending config error is cleared too. The caller stops the old
   * pipeline first: a frame it published afterwards would be taken as part of the new state.
   */
  public synchronized void reset(byte[] newHello, Map<String, byte[]> newCharts) {
    hello = newHello.clone();
    charts.clear();
    charts.putAll(newCharts);
    seq++;
    snapshot = null;
    recent.clear();
    recentBytes = 0;
    configErrorFrame = null;
    configErrorText = null;
    long now = clock.millis();
    for (Map.Entry<Viewer, Session> e : viewers.entrySet()) {
      Viewer viewer = e.getKey();
      Session session = e.getValue();
      session.owesConfigError = false; // the new hello clears the page's banner
      if (viewer.writable()) {
        session.behind = false;
        session.owesHello = false;
        send(viewer, hello);
        send(viewer, snapshot());
      } else {
        if (!session.behind) {
          session.behind = true;
          session.behindSinceMillis = now;
        }
        session.owesHello = true;
        skippedForward.increment();
      }
    }
  }

  /**
   * Tells every viewer that a dashboard edit was rejected, with {@code message} (file, line and
   * what was wrong), or with null that the error is gone. The latest non-null message is sent to
   * viewers that join later, until it is cleared or the dashboard is {@link #reset}.
   */
  public synchronized void configError(String message) {
    byte[] encoded = Messages.configError(message);
    configErrorFrame = message == null ? null : encoded;
    configErrorText = message;
    long now = clock.millis();
    for (Map.Entry<Viewer, Session> e : viewers.entrySet()) {
      Viewer viewer = e.getKey();
      Session session = e.getValue();
      // One that still owes the new hello must get this after it: the hello clears the banner.
      if (viewer.writable() && !session.owesHello) {
        send(viewer, encoded);
      } else {
        // Marked behind, so the frame after it drains brings it up to date, this included.
        if (!session.behind) {
          session.behind = true;
          session.behindSinceMillis = now;
        }
        session.owesConfigError = true;
      }
    }
  }

  /** The current config-error message, or null when there is none. */
  public synchronized String configErrorMessage() {
    return configErrorText;
  }

  private void catchUp(Viewer viewer, OptionalLong resumeFrom) {
    if (resumeFrom.isPresent()) {
      long last = resumeFrom.getAsLong();
      if (last == seq) {
        return;
      }
      if (clustered && last > seq) {
        // A page from a node further along the same stream: this node's next deltas are the
        // same frames, which the page skips as seen until they pass its seq. Nothing to send.
        return;
      }
      Delta oldest = recent.peekFirst();
      if (last < seq && oldest != null && oldest.seq() <= last + 1) {
        for (Delta d : recent) {
          if (d.seq() > last) {
            send(viewer, d.bytes());
          }
        }
        return;
      }
    }
    send(viewer, snapshot());
  }

  /** Removes a viewer; idempotent. */
  public synchronized void leave(Viewer viewer) {
    remove(viewer);
  }

  private void remove(Viewer viewer) {
    Session session = viewers.remove(viewer);
    if (session == null) {
      return;
    }
    Session last = members.remove(members.size() - 1);
    if (last != session) {
      last.index = session.index;
      members.set(session.index, last);
    }
  }

  /**
   * Closes every viewer with {@code code} and {@code reason}, e.g. 1001 at shutdown, and every
   * viewer that joins after.
   */
  public synchronized void closeAll(int code, String reason) {
    closedCode = code;
    closedReason = reason;
    for (Viewer viewer : viewers.keySet()) {
      viewer.close(code, reason);
    }
    viewers.clear();
    members.clear();
  }

  /**
   * Sends an unsequenced message (status) to every viewer with room for it; viewers that join
   * later get the latest one right after their snapshot.
   */
  public synchronized void broadcast(byte[] message) {
    lastBroadcast = message;
    for (int i = 0, n = members.size(); i < n; i++) {
      Viewer viewer = members.get(i).viewer;
      if (viewer.writable()) {
        send(viewer, message);
      }
    }
  }

  private byte[] snapshot() {
    if (snapshot == null) {
      snapshot = Messages.charts("snapshot", seq, charts);
    }
    return snapshot;
  }

  private void send(Viewer viewer, byte[] message) {
    viewer.send(message);
    framesOut.increment();
  }

  /** Gives each viewer's {@link Viewer#queuedBytes()} to {@code queued}, under the hub's lock. */
  public synchronized void queuedBytes(LongConsumer queued) {
    for (Viewer viewer : viewers.keySet()) {
      queued.accept(viewer.queuedBytes());
    }
  }

  public synchronized int viewers() {
    return viewers.size();
  }

  public synchronized long seq() {
    return seq;
  }

  /** The current full state, as a viewer joining now would receive it. */
  public synchronized byte[] snapshotMessage() {
    return snapshot().clone();
  }

  /**
   * What a viewer joining now would be shown, taken under one lock so the parts agree: the
   * hello, every chart's state at {@link #seq}, the latest status message (null before the
   * first) and the clock's time. Costs a copy of the chart map; the byte arrays are shared,
   * never written after they are stored.
   */
  public synchronized Capture capture() {
    return new Capture(clock.millis(), seq, hello, new LinkedHashMap<>(charts), lastBroadcast);
  }

  /**
   * The hub's state at one moment; see {@link #capture()}. The arrays are the hub's own (UTF-8
   * JSON): read them, never write them.
   *
   * @param capturedAtMillis the hub clock's time of the capture
   * @param hello the {@code hello} message
   * @param charts each chart's state, in the dashboard's order
   * @param status the latest {@code status} message, or null before the first
   */
  public record Capture(
      long capturedAtMillis, long seq, byte[] hello, Map<String, byte[]> charts, byte[] status) {
    public Capture {
      charts = Collections.unmodifiableMap(charts);
    }
  }

  /** The current chart states by id, unmodifiable. */
  public synchronized Map<String, byte[]> charts() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(charts));
  }

  public long framesOut() {
    return framesOut.sum();
  }

  /** Deltas not sent to a viewer because it was above its high-water mark. */
  public long skippedForward() {
    return skippedForward.sum();
  }

  /** Viewers closed for making no progress. */
  public long dropped() {
    return dropped.sum();
  }
}
