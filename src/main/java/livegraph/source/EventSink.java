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

  /**
   * Whether an {@link #offer} now would be refused. A source may then refuse a message without
   * decoding it into an event (a flood would otherwise spend its time decoding events only to
   * drop them) and report it with {@link #refused()}. The default is never full.
   */
  default boolean full() {
    return false;
  }

  /** Counts one event a source refused undecoded after {@link #full()}, as a refused offer. */
  default void refused() {}
}
