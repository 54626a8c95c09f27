package livegraph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import livegraph.cluster.EventStreamReader;
import livegraph.pipeline.FrameSink;
import livegraph.hub.Hub;
import livegraph.pipeline.Clock;
import livegraph.pipeline.Event;
import livegraph.pipeline.Pipeline;

/**
 * Drives a cluster node's pipeline from its dashboard's stream instead of a clock: events are
 * applied in stream order, and at each tick entry the charts advance to the tick's time and one
 * frame is cut, published to the hub under the tick's number.
 *
 * <p>Why: every node reads the same entries in the same order, so with time taken from the
 * ticks (never from the node's own clock) every node computes byte-identical charts and numbers
 * its deltas the same way; a page moved to another node resumes from its last seq there. The
 * pipeline has no thread of its own here: {@link Pipeline#replay} and {@link Pipeline#runOnce}
 * run on the stream reader's thread, which is the one writer of the charts.
 *
 * <p>Catching up: until the reader first reaches the end of the stream, frames are cut but not
 * published; then the hub jumps to the last tick with a snapshot of the charts, and every later
 * tick is a delta (an empty one when nothing changed, so numbers stay consecutive).
 *
 * <p>Bounds: events wait for their tick in a list of at most {@link #MAX_PENDING}; a longer run
 * without a tick (a leader that died between ticks) is applied at the last tick's time, which
 * every node does at the same entry, so the charts stay identical.
 */
final class StreamDriver implements EventStreamReader.Sink {

  static final int MAX_PENDING = 1024;

  private final TickClock clock;
  private final Hub hub;
  private Pipeline pipeline; // set once, before the reader starts
  private final List<Event> pending = new ArrayList<>(MAX_PENDING); // reader thread
  private Map<String, byte[]> changed = Map.of(); // reader thread: the frame the tick cut
  private long newestNanos = FrameSink.NO_EVENT; // reader thread
  private long lastTick; // reader thread: 0 before the first
  private volatile boolean live;
  // The pipeline publishes here on the reader thread, inside runOnce: kept for tick() to take.
  private final FrameSink frames = new FrameSink() {
    @Override
    public void publish(Map<String, byte[]> frame) {
      publish(frame, NO_EVENT);
    }

    @Override
    public void publish(Map<String, byte[]> frame, long newestEventNanos) {
      changed = frame;
      newestNanos = newestEventNanos;
    }
  };

  StreamDriver(TickClock clock, Hub hub) {
    this.clock = clock;
    this.hub = hub;
  }

  void pipeline(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** The pipeline's sink: the frame a tick cut, taken by {@link #tick}. */
  FrameSink frames() {
    return frames;
  }

  @Override
  public void accept(String streamId, Event event) {
    pending.add(event);
    if (pending.size() >= MAX_PENDING) {
      flush();
    }
  }

  @Override
  public void tick(String streamId, long number, long millis) {
    clock.advanceTo(millis);
    flush();
    changed = Map.of();
    newestNanos = FrameSink.NO_EVENT;
    pipeline.runOnce();
    lastTick = number;
    if (live) {
      hub.publishTick(number, changed, newestNanos);
    }
  }

  @Override
  public void caughtUp() {
    if (!live) {
      live = true;
      if (lastTick > 0) {
        hub.jump(lastTick, pipeline.snapshot());
      }
    }
  }

  /** Whether the node has caught up with the stream and publishes its frames. */
  boolean live() {
    return live;
  }

  private void flush() {
    if (!pending.isEmpty()) {
      pipeline.replay(pending);
      pending.clear();
    }
  }

  /**
   * Chart time on a cluster node: the time of the last tick read, never going back (a new leader's
   * clock may be a little behind the old one's; every node takes the same maximum).
   */
  static final class TickClock implements Clock {
    private volatile long millis;

    TickClock(long startMillis) {
      this.millis = startMillis;
    }

    void advanceTo(long tickMillis) {
      if (tickMillis > millis) {
        millis = tickMillis;
      }
    }

    @Override
    public long millis() {
      return millis;
    }
  }
}
