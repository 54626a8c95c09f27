package livegraph.pipeline;

import java.time.Duration;

/**
 * A time window of a bar chart, e.g. {@code new Window("10m", "10 min", Duration.ofMinutes(10))}.
 *
 * @param id key of the window in the chart state
 * @param label shown on the window selector
 * @param length how far back the window reaches, or {@code null} for "since start"
 */
public record Window(String id, String label, Duration length) {

  public Window {
    Checks.text(id, "window id");
    Checks.notNull(label, "window label");
    if (length != null) {
      Checks.positive(length, "window length");
    }
  }

  /** A window that never forgets: counts since the pipeline started. */
  public static Window sinceStart(String id, String label) {
    return new Window(id, label, null);
  }

  /** Whether this window counts everything since start. */
  public boolean isSinceStart() {
    return length == null;
  }
}
