package livegraph.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition with a deadline instead of sleeping a fixed time. */
public final class Poll {

  private Poll() {}

  /** Returns once {@code probe} gives true; fails naming {@code what} after {@code timeout}. */
  public static void until(Duration timeout, String what, Supplier<Boolean> probe)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Boolean.TRUE.equals(probe.get())) {
        return;
      }
      Thread.sleep(20); // polling interval, not synchronisation: the condition decides
    }
    throw new AssertionError("timed out after " + timeout + " waiting for " + what);
  }
}
