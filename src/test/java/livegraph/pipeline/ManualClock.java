package livegraph.pipeline;

import java.time.Duration;

/** A clock that moves only when a test says so; safe to read from another thread. */
final class ManualClock implements Clock {

  private volatile long now;

  ManualClock(long startMillis) {
    now = startMillis;
  }

  @Override
  public long millis() {
    return now;
  }

  void advance(Duration by) {
    now += by.toMillis();
  }

  void set(long millis) {
    now = millis;
  }
}
