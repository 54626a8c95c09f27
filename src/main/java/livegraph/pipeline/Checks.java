package livegraph.pipeline;

import java.time.Duration;

/** Precondition checks whose messages name the value and what was expected. */
final class Checks {

  /** Upper bound on buckets in one ring, so a typo (1 ms buckets over a day) fails at load. */
  static final int MAX_BUCKETS = 100_000;

  private Checks() {}

  static String text(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank: " + quote(value));
    }
    return value;
  }

  static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }

  static int positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  static Duration positive(Duration value, String name) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  /** Buckets of {@code bucket} covering {@code length}, rounded up, checked against the cap. */
  static int bucketsFor(Duration length, Duration bucket, String name) {
    long buckets = ceilDiv(length.toMillis(), bucket.toMillis());
    if (buckets > MAX_BUCKETS) {
      throw new IllegalArgumentException(name + " " + length + " needs " + buckets
          + " buckets of " + bucket + "; at most " + MAX_BUCKETS);
    }
    return (int) buckets;
  }

  static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static String quote(String value) {
    return value == null ? "null" : "\"" + value + "\"";
  }
}
