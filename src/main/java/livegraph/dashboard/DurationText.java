package livegraph.dashboard;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as dashboards write them ({@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d}) and as windows label them. */
final class DurationText {

  static final String EXPECTED = "a duration like 10s, 5m, 1h or 500ms";

  private static final Pattern TEXT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private DurationText() {}

  /**
   * Reads {@code text}.
   *
   * @throws IllegalArgumentException when it is not a positive whole number and a unit
   */
  static Duration parse(String text) {
    Matcher m = TEXT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("must be " + EXPECTED);
    }
    long n = Long.parseLong(m.group(1));
    if (n == 0) {
      throw new IllegalArgumentException("must be positive");
    }
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** For a window selector: "500 ms", "30 s", "10 min", "1 hour", "2 hours", "1 day". */
  static String label(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 != 0) {
      return ms + " ms";
    }
    long s = ms / 1000;
    if (s % 86_400 == 0) {
      return plural(s / 86_400, "day");
    }
    if (s % 3600 == 0) {
      return plural(s / 3600, "hour");
    }
    if (s % 60 == 0) {
      return s / 60 + " min";
    }
    return s + " s";
  }

  /** A tumbling window's label: "this hour", "this minute", "this 10 min", "this 2 days". */
  static String current(Duration d) {
    String label = label(d);
    return switch (label) {
      case "1 s" -> "this second";
      case "1 min" -> "this minute";
      case "1 hour" -> "this hour";
      case "1 day" -> "this day";
      default -> "this " + label;
    };
  }

  /** "1h", "10m", "90s", "250ms": the largest unit that divides the duration exactly. */
  static String shortText(Duration d) {
    return livegraph.pipeline.Window.shortText(d);
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }
}
