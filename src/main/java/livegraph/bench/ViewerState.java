package livegraph.bench;

import static livegraph.bench.FrameProbe.NONE;

/**
 * One viewer's place in the stream: the last sequence number, feeder event number and send
 * time it saw, and what each new data frame adds to a {@link Tally}.
 *
 * <ul>
 *   <li><b>Gap</b>: a sequence number above the last one plus one; the numbers in between are
 *       counted (livegraph's delta {@code seq}, a relay's event {@code n}). A livegraph snapshot
 *       after a skip-forward counts the deltas it replaced. The first frame sets the start.
 *   <li><b>Events represented</b>: how far the newest event number moved ({@code n} minus the
 *       last {@code n}): one per relayed event, all the events of the tick for a livegraph delta.
 *   <li><b>Latency</b>: receipt time minus the send time of the newest event in the frame, for
 *       frames that bring a newer event than the viewer had (a livegraph delta that changed only
 *       other charts carries no new event and gives no sample).
 * </ul>
 *
 * <p>Owned by the viewer's event loop thread.
 */
final class ViewerState {

  private long lastSeq = NONE;
  private long lastN = NONE;
  private long lastSent = NONE;

  /**
   * Takes one data frame. Counts into {@code tally} only when {@code counting} (the frame
   * arrived in the measured period); the viewer's place moves on either way.
   */
  void onData(long seq, long n, long sent, long receivedMicros, int bytes, Tally tally,
      boolean counting) {
    if (counting) {
      tally.frames++;
      tally.bytes += bytes;
    }
    if (seq != NONE) {
      if (lastSeq != NONE && seq <= lastSeq) {
        if (counting) {
          tally.repeats++;
        }
      } else {
        if (counting && lastSeq != NONE && seq > lastSeq + 1) {
          tally.gaps += seq - lastSeq - 1;
        }
        lastSeq = seq;
      }
    }
    if (n != NONE && n > lastN) {
      if (counting && lastN != NONE) {
        tally.represented += n - lastN;
      } else if (counting) {
        tally.represented++;
      }
      lastN = n;
    }
    if (sent != NONE && sent > lastSent) {
      if (counting) {
        tally.latency(receivedMicros - sent);
      }
      lastSent = sent;
    }
  }
}
