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
      throw new IllegalArgumentException(name + " " + shortText(length) + " needs " + buckets
          + " buckets of " + shortText(bucket) + "; at most " + MAX_BUCKETS);
    }
    return (int) buckets;
  }

  /** Like {@link #bucketsFor}, but {@code length} must be a whole number of buckets. */
  static int wholeBuckets(Duration length, Duration bucket, String name) {
    if (length.toMillis() % bucket.toMillis() != 0) {
      throw new IllegalArgumentException(name + " must be a whole multiple of bucket: "
          + shortText(length) + " / " + shortText(bucket));
    }
    return bucketsFor(length, bucket, name);
  }

  static int atMost(int value, int max, String name) {
    if (value > max) {
      throw new IllegalArgumentException(name + " must be at most " + max + ": " + value);
    }
    return value;
  }

  static int notNegative(int value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative: " + value);
    }
    return value;
  }

  /** Longest duration accepted, so millisecond arithmetic never overflows. */
  static final Duration MAX_DURATION = Duration.ofDays(36_500);

  /** Positive whole milliseconds (buckets are cut in milliseconds), at most 100 years. */
  static Duration positiveMillis(Duration value, String name) {
    positive(value, name);
    if (value.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException(name + " must be whole milliseconds: " + value);
    }
    if (value.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(name + " must be at most 36500 days: " + value);
    }
    return value;
  }

  /** The duration as written in a dashboard file: see {@link Window#shortText}. */
  static String shortText(Duration d) {
    return Window.shortText(d);
  }

  static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static String quote(String value) {
    return value == null ? "null" : "\"" + value + "\"";
  }
}
