package livegraph.source;

import livegraph.pipeline.Event;
import org.slf4j.Logger;

/**
 * Hands decoded events to the sink and counts what happened to each message: delivered,
 * dropped by a full sink, or skipped with a reason (logged at most once a minute).
 *
 * <p>Owned by the source's event loop; the counters it writes are readable from any thread.
 */
final class Delivery {

  private final EventSink sink;
  private final SourceCounters counters;
  private final SkipLog skipLog;
  private final Logger log;
  private final String description;

  Delivery(EventSink sink, SourceCounters counters, Logger log, String description) {
    this.sink = sink;
    this.counters = counters;
    this.skipLog = new SkipLog(log, description);
    this.log = log;
    this.description = description;
  }

  /** Offers {@code event} without blocking; a refused event is counted as dropped. */
  void deliver(Event event) {
    boolean taken;
    try {
      taken = sink.offer(event);
    } catch (RuntimeException e) {
      // A failing sink must not tear down the upstream connection; the event is lost.
      log.warn("{}: event sink failed: {}", description, e.toString());
      taken = false;
    }
    if (taken) {
      counters.event();
    } else {
      counters.dropped();
    }
  }

  /**
   * Whether the sink would refuse an event now, so the message may be refused undecoded with
   * {@link #refuse()}; a failing sink says no, and the message is decoded and offered as usual.
   */
  boolean full() {
    try {
      return sink.full();
    } catch (RuntimeException e) {
      log.warn("{}: event sink failed: {}", description, e.toString());
      return false;
    }
  }

  /** Counts a message refused undecoded because the sink was {@link #full()}: a dropped event. */
  void refuse() {
    try {
      sink.refused();
    } catch (RuntimeException e) {
      log.warn("{}: event sink failed: {}", description, e.toString());
    }
    counters.dropped();
  }

  /** Counts a skipped message and maybe logs it. */
  void skip(SkipReason reason, long nowMillis) {
    counters.skipped(reason);
    skipLog.skipped(reason, nowMillis);
  }
}
