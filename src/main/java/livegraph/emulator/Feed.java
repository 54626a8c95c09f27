package livegraph.emulator;

import java.util.Optional;

/**
 * A sequence of raw feed frames, each with the pause to keep before sending it.
 *
 * <p>The emulator calls {@link #next()} from one event-loop thread only, so implementations
 * need not be thread-safe; they should not block for long (a file read is fine).
 */
public interface Feed {

  /** The next frame and how long to wait before sending it; empty when the feed is over. */
  Optional<Timed> next();

  /** One raw frame text and the pause, in nanoseconds, before it is sent. */
  record Timed(long delayNanos, String frame) {}
}
