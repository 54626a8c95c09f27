package livegraph.pipeline;

/** Wall-clock milliseconds, injected so tests can drive time instead of sleeping. */
@FunctionalInterface
public interface Clock {

  long millis();

  static Clock system() {
    return System::currentTimeMillis;
  }
}
