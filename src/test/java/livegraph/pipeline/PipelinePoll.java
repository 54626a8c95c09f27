package livegraph.pipeline;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline instead of sleeping a fixed time. */
final class PipelinePoll {

  private PipelinePoll() {}

  /** Returns as soon as {@code condition} holds; fails the test after {@code timeout}. */
  static void until(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
