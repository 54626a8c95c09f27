package livegraph.pipeline;

import java.time.Duration;

/**
 * A time window of a chart, e.g. {@code new Window("10m", "10 min", Duration.ofMinutes(10))}.
 *
 * <p>Sliding: the last {@code length} (to bucket granularity: the current bucket and the full
 * ones before it). Tumbling: the current aligned period {@code [floor(now / length) * length,
 * now]}, which empties when the next period begins. Since start: everything since the pipeline
 * started.
 *
 * @param id key of the window in the chart state
 * @param label shown on the window selector
 * @param length how far back the window reaches, or {@code null} for "since start"
 * @param tumbling whether the window is the current aligned period instead of sliding
 */
public record Window(String id, String label, Duration length, boolean tumbling) {

  public Window {
    Checks.text(id, "window id");
    Checks.notNull(label, "window label");
    if (length != null) {
      Checks.positiveMillis(length, "window length");
    } else if (tumbling) {
      throw new IllegalArgumentException("window " + id + " since start cannot be tumbling");
    }
  }

  /** A sliding window of {@code length}, or since start when {@code length} is null. */
  public Window(String id, String label, Duration length) {
    this(id, label, length, false);
  }

  /** A window that never forgets: counts since the pipeline started. */
  public static Window sinceStart(String id, String label) {
    return new Window(id, label, null, false);
  }

  /** Whether this window counts everything since start. */
  public boolean isSinceStart() {
    return length == null;
  }

  /**
   * A duration as a dashboard file writes it: "1h", "10m", "90s", "250ms", "2d", in the largest
   * unit that divides it exactly; also the id of a window of that length.
   */
  public static String shortText(Duration d) {
    long ms = d.toMillis();
    if (ms == 0 || ms % 1000 != 0) {
      return ms + "ms";
    }
    long s = ms / 1000;
    if (s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
