package livegraph.source;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import livegraph.source.SourceStatus.State;

/**
 * The counters behind a {@link SourceStatus}: written by the source's I/O thread, read from
 * any thread (status bar, {@code /healthz}).
 */
final class SourceCounters {

  private final LongAdder events = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder heartbeats = new LongAdder();
  private final LongAdder reconnects = new LongAdder();
  // Filled once here and never changed, so reading it needs no lock.
  private final Map<SkipReason, LongAdder> skipped = new EnumMap<>(SkipReason.class);
  private volatile long lastDataAtMillis; // 0 until the first data frame

  SourceCounters() {
    for (SkipReason reason : SkipReason.values()) {
      skipped.put(reason, new LongAdder());
    }
  }

  void event() {
    events.increment();
  }

  void dropped() {
    dropped.increment();
  }

  void heartbeat() {
    heartbeats.increment();
  }

  void reconnect() {
    reconnects.increment();
  }

  void skipped(SkipReason reason) {
    skipped.get(reason).increment();
  }

  void dataAt(long millis) {
    lastDataAtMillis = millis;
  }

  long lastDataAtMillis() {
    return lastDataAtMillis;
  }

  SourceStatus status(State state, String detail) {
    Map<SkipReason, Long> bySkipReason = new EnumMap<>(SkipReason.class);
    skipped.forEach((reason, count) -> bySkipReason.put(reason, count.sum()));
    return new SourceStatus(
        state,
        detail,
        events.sum(),
        dropped.sum(),
        heartbeats.sum(),
        bySkipReason,
        reconnects.sum());
  }
}
