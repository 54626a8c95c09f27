package livegraph.bench;

/**
 * Wall-clock epoch microseconds, injected so tests can fix time. The feeder stamps each event
 * with it and the viewers read it when a frame arrives, in the same process, so latency is one
 * clock's difference.
 */
@FunctionalInterface
interface MicroClock {

  long micros();

  /** Epoch µs taken once from the wall clock, then advanced by {@link System#nanoTime()}. */
  static MicroClock system() {
    long baseMicros = System.currentTimeMillis() * 1000;
    long baseNanos = System.nanoTime();
    return () -> baseMicros + (System.nanoTime() - baseNanos) / 1000;
  }
}
