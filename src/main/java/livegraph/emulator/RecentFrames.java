package livegraph.emulator;

/**
 * The feed frames played in the last {@code window}, kept to be re-sent to a new subscriber;
 * each frame has a sequence number (0, 1, 2, ... in the order played).
 *
 * <p>Bounded twice: at most {@code capacity} frames (a full ring overwrites its oldest frame),
 * and a frame older than the window is dropped when the next one is added, unless a reader
 * that is still catching up has not read it yet ({@link #add}'s {@code keepFrom}). Owned by
 * the feed player's event loop; not thread-safe.
 */
final class RecentFrames {

  private final long windowMillis;
  private final String[] frames;
  private final long[] atMillis;
  private long oldestSeq; // sequence number of the oldest frame held
  private long nextSeq; // sequence number the next added frame gets

  RecentFrames(long windowMillis, int capacity) {
    if (windowMillis <= 0) {
      throw new IllegalArgumentException("windowMillis must be positive: " + windowMillis);
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.windowMillis = windowMillis;
    this.frames = new String[capacity];
    this.atMillis = new long[capacity];
  }

  /**
   * Adds {@code frame}, played at {@code nowMillis}; drops what is older than the window
   * except frames from {@code keepFrom} on (pass {@link #nextSeq()} when nobody is catching up).
   */
  void add(String frame, long nowMillis, long keepFrom) {
    if (nextSeq - oldestSeq == frames.length) {
      drop(); // full: the oldest is overwritten, even if a reader still wanted it
    }
    int i = index(nextSeq);
    frames[i] = frame;
    atMillis[i] = nowMillis;
    nextSeq++;
    while (oldestSeq < nextSeq && oldestSeq < keepFrom && tooOld(oldestSeq, nowMillis)) {
      drop();
    }
  }

  /** The sequence number of the oldest frame younger than the window at {@code nowMillis}. */
  long firstYoungerThanWindow(long nowMillis) {
    long seq = oldestSeq;
    while (seq < nextSeq && tooOld(seq, nowMillis)) {
      seq++;
    }
    return seq;
  }

  /** Whether frame {@code seq} is still held. */
  boolean holds(long seq) {
    return seq >= oldestSeq && seq < nextSeq;
  }

  /** Frame {@code seq}, which must be {@linkplain #holds held}. */
  String get(long seq) {
    if (!holds(seq)) {
      throw new IllegalArgumentException("frame " + seq + " is not held: " + oldestSeq + ".."
          + (nextSeq - 1));
    }
    return frames[index(seq)];
  }

  long oldestSeq() {
    return oldestSeq;
  }

  long nextSeq() {
    return nextSeq;
  }

  /** Frames held now. */
  int size() {
    return (int) (nextSeq - oldestSeq);
  }

  private boolean tooOld(long seq, long nowMillis) {
    return nowMillis - atMillis[index(seq)] >= windowMillis;
  }

  private void drop() {
    frames[index(oldestSeq)] = null; // let the string go
    oldestSeq++;
  }

  private int index(long seq) {
    return (int) (seq % frames.length);
  }
}
