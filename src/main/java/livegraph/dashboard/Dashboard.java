package livegraph.dashboard;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import livegraph.pipeline.ChartSpec;
import livegraph.source.SourceSpec;

/**
 * A named set of charts shown together on one page, fed by its sources through one pipeline.
 *
 * @param name short identifier, e.g. "stackexchange"; the page is served at /d/NAME/
 * @param title shown at the top of the page
 * @param sources where events come from; names unique; may be empty for a dashboard fed from
 *     Java code
 * @param charts in display order; at least one, ids unique
 */
public record Dashboard(String name, String title, List<SourceSpec> sources,
    List<ChartSpec> charts) {

  public Dashboard {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("dashboard name must not be blank: " + name);
    }
    if (title == null) {
      throw new IllegalArgumentException("dashboard title must not be null");
    }
    if (sources == null) {
      throw new IllegalArgumentException("dashboard sources must not be null");
    }
    if (charts == null || charts.isEmpty()) {
      throw new IllegalArgumentException("dashboard " + name + " must have at least one chart");
    }
    sources = List.copyOf(sources);
    charts = List.copyOf(charts);
    Set<String> names = new HashSet<>();
    for (SourceSpec source : sources) {
      if (!names.add(source.name())) {
        throw new IllegalArgumentException(
            "duplicate source name in dashboard " + name + ": " + source.name());
      }
    }
    Set<String> ids = new HashSet<>();
    for (ChartSpec chart : charts) {
      if (!ids.add(chart.id())) {
        throw new IllegalArgumentException(
            "duplicate chart id in dashboard " + name + ": " + chart.id());
      }
    }
  }

  /** The source named {@code name}, or {@code null}. */
  public SourceSpec source(String name) {
    return sources.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }
}
