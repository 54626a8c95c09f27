package livegraph.source;

import livegraph.pipeline.Event;

/** Where a source delivers decoded events; the pipeline's bounded intake. */
@FunctionalInterface
public interface EventSink {

  /**
   * Offers one event without blocking.
   *
   * @return {@code false} when the intake is full and the event was not taken; the caller
   *     counts it as dropped
   */
  boolean offer(Event event);
}
