package livegraph.dashboard;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import livegraph.pipeline.ChartSpec;

/**
 * A named set of charts shown together on one page and fed by one pipeline.
 *
 * @param name short identifier, e.g. "stackexchange"
 * @param title shown at the top of the page
 * @param charts in display order; at least one, ids unique
 */
public record Dashboard(String name, String title, List<ChartSpec> charts) {

  public Dashboard {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("dashboard name must not be blank: " + name);
    }
    if (title == null) {
      throw new IllegalArgumentException("dashboard title must not be null");
    }
    if (charts == null || charts.isEmpty()) {
      throw new IllegalArgumentException("dashboard " + name + " must have at least one chart");
    }
    charts = List.copyOf(charts);
    Set<String> ids = new HashSet<>();
    for (ChartSpec chart : charts) {
      if (!ids.add(chart.id())) {
        throw new IllegalArgumentException(
            "duplicate chart id in dashboard " + name + ": " + chart.id());
      }
    }
  }
}
