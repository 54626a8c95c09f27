package livegraph.source;

/** Formats durations for status lines: "500 ms", "4 s", "300 s". */
final class Durations {

  private Durations() {}

  static String human(long millis) {
    if (millis < 1000) {
      return millis + " ms";
    }
    return Math.round(millis / 1000.0) + " s";
  }
}
