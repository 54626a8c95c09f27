package livegraph.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for asynchronous outcomes by polling with a deadline, never by a fixed sleep. */
public final class Poll {

  private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private Poll() {}

  /** Returns as soon as {@code condition} holds; fails naming {@code what} at the deadline. */
  public static void until(Duration timeout, BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      LockSupport.parkNanos(INTERVAL_NANOS);
    }
  }

  /** Checks that {@code condition} stays true for all of {@code period}: proof of absence. */
  public static void holds(Duration period, BooleanSupplier condition, String what) {
    long end = System.nanoTime() + period.toNanos();
    do {
      if (!condition.getAsBoolean()) {
        throw new AssertionError("stopped holding: " + what);
      }
      LockSupport.parkNanos(INTERVAL_NANOS);
    } while (System.nanoTime() - end < 0);
  }
}
