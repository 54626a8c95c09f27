package livegraph.pipeline;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A bar chart of event counts per key over selectable time windows, top keys first.
 *
 * @param id unique chart id
 * @param title shown above the chart
 * @param keyField the event field counted: a string (one key) or a list (each element once)
 * @param filter only matching events count, or {@code null} for all
 * @param topK bars shown per window
 * @param windows the windows offered, in display order; ids unique
 * @param defaultWindow id of the window shown first
 * @param bucket time granularity of the finite windows (a 10 min window with 10 s buckets holds
 *     the current bucket plus the previous 59)
 * @param maxKeys distinct keys tracked per window; occurrences of further keys count as overflow
 */
public record BarChartSpec(
    String id,
    String title,
    String keyField,
    Filter filter,
    int topK,
    List<Window> windows,
    String defaultWindow,
    Duration bucket,
    int maxKeys)
    implements ChartSpec {

  public BarChartSpec {
    Checks.text(id, "chart id");
    Checks.notNull(title, "title");
    Checks.text(keyField, "keyField");
    Checks.positive(topK, "topK");
    windows = List.copyOf(Checks.notNull(windows, "windows"));
    if (windows.isEmpty()) {
      throw new IllegalArgumentException("windows must not be empty: chart " + id);
    }
    Checks.positive(bucket, "bucket");
    Checks.positive(maxKeys, "maxKeys");
    Set<String> ids = new HashSet<>();
    for (Window window : windows) {
      if (!ids.add(window.id())) {
        throw new IllegalArgumentException("duplicate window id: " + window.id());
      }
      if (!window.isSinceStart()) {
        Checks.bucketsFor(window.length(), bucket, "window " + window.id());
      }
    }
    if (!ids.contains(defaultWindow)) {
      throw new IllegalArgumentException(
          "defaultWindow must be one of " + ids + ": " + defaultWindow);
    }
  }
}
