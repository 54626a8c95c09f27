package livegraph.bench;

import org.HdrHistogram.Histogram;

/**
 * What some viewers received in the measured period: frames, bytes, gaps, events represented
 * and a latency histogram. One per client event loop, touched only by that loop's thread while
 * the viewers run; read by the coordinator after the loop hands over a {@link #copy()}.
 */
final class Tally {

  /** Latencies are recorded in µs up to an hour (larger ones count as an hour), 3 digits. */
  static final long MAX_LATENCY_MICROS = 3_600_000_000L;

  final Histogram latencyMicros = new Histogram(MAX_LATENCY_MICROS, 3);
  long frames; // data frames: livegraph deltas and snapshots, relayed events
  long bytes; // their payload bytes
  long controlFrames; // everything else: livegraph hello and status, Engine.IO pings
  long gaps; // sequence numbers skipped (livegraph deltas, relayed events)
  long repeats; // frames whose sequence was not above the last one
  long represented; // new feeder events these frames brought, summed over viewers

  void latency(long micros) {
    latencyMicros.recordValue(Math.max(0, Math.min(micros, MAX_LATENCY_MICROS)));
  }

  void add(Tally other) {
    latencyMicros.add(other.latencyMicros);
    frames += other.frames;
    bytes += other.bytes;
    controlFrames += other.controlFrames;
    gaps += other.gaps;
    repeats += other.repeats;
    represented += other.represented;
  }

  Tally copy() {
    Tally t = new Tally();
    t.add(this);
    return t;
  }

  /** The latency at percentile {@code p} (0..100) in milliseconds, or NaN with no sample. */
  double latencyMillis(double p) {
    if (latencyMicros.getTotalCount() == 0) {
      return Double.NaN;
    }
    return latencyMicros.getValueAtPercentile(p) / 1000.0;
  }

  double maxLatencyMillis() {
    return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getMaxValue() / 1000.0;
  }
}
