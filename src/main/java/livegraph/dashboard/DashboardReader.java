package livegraph.dashboard;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import livegraph.source.SourceSpec;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads one composed YAML document into a dashboard: the top-level keys, then sources, then
 * charts, then the field references the charts make (checked against each source's aliases),
 * then each source with the fields it must extract. Every part is read even when an earlier one
 * had problems, so one run reports every mistake.
 */
final class DashboardReader {

  private static final List<String> KEYS = List.of("title", "name", "sources", "charts");

  private final Problems problems;
  private final Values values;
  private final Path baseDir;
  private final String defaultName;
  private final boolean sourcesRequired; // false for charts defined in code, fed by the program

  DashboardReader(Problems problems, Path baseDir, String defaultName, boolean sourcesRequired) {
    this.problems = problems;
    this.values = new Values(problems);
    this.baseDir = baseDir;
    this.defaultName = defaultName;
    this.sourcesRequired = sourcesRequired;
  }

  /** The dashboard, or {@code null} when there were problems (reported). */
  Dashboard read(Node root) {
    if (!(root instanceof MappingNode)) {
      problems.at(root, "a dashboard file must be a mapping with title, sources and charts, not a "
          + Values.kind(root));
      return null;
    }
    YamlMap top = values.map(root, "dashboard");
    // Top-level keys starting with "x-" are the file's own, e.g. a place for YAML anchors.
    List<String> allowed = new ArrayList<>(KEYS);
    top.keys().stream().filter(k -> k.startsWith("x-")).forEach(allowed::add);
    top.checkKeys(allowed, Map.of(), "the dashboard", problems);
    String title = null;
    if (!top.has("title")) {
      top.missing("title", "missing required key 'title': the heading of the page", problems);
    } else {
      title = values.text(top.get("title"), "title");
    }
    String name = defaultName;
    if (top.has("name")) {
      name = values.text(top.get("name"), "name");
      if (name != null && !Slugs.NAME.matcher(name).matches()) {
        problems.at(top.get("name"), "name '" + name + "' must be " + Slugs.NAME_RULE
            + " (it is the page's address, /d/" + "NAME/)");
      }
    }
    SourceReader sourceReader = new SourceReader(values, baseDir);
    List<SourceReader.Draft> drafts = new ArrayList<>();
    if (!top.has("sources")) {
      if (sourcesRequired) {
        top.missing("sources", "missing required key 'sources': where the events come from, e.g. "
            + "'sources: {logs: {stdin: {}}}'", problems);
      }
    } else {
      drafts = sourceReader.read(top.get("sources"));
    }
    List<String> sourceNames = drafts.stream().map(SourceReader.Draft::name).toList();
    List<ChartReader.Read> charts = new ArrayList<>();
    if (!top.has("charts")) {
      top.missing("charts", "missing required key 'charts': the list of charts to show",
          problems);
    } else {
      charts = new ChartReader(values, sourceNames).read(top.get("charts"));
    }
    Set<String> badRefs = checkRefs(charts, drafts);
    List<SourceSpec> sources = new ArrayList<>();
    for (SourceReader.Draft draft : drafts) {
      Set<String> refs = refsFor(draft, charts);
      refs.removeAll(badRefs); // reported at the chart; not again at the source
      SourceSpec spec = sourceReader.build(draft, refs);
      if (spec != null) {
        sources.add(spec);
      }
    }
    if (!problems.isEmpty()) {
      return null;
    }
    try {
      return new Dashboard(name, title, sources,
          charts.stream().map(ChartReader.Read::spec).toList());
    } catch (IllegalArgumentException e) {
      problems.at(root, e.getMessage()); // every rule of the record was checked above; a backstop
      return null;
    }
  }

  /**
   * Each reference must be an alias in every source the chart reads, or else a field reference
   * of its own (pointer, dotted path, meta field).
   */
  private Set<String> checkRefs(List<ChartReader.Read> charts, List<SourceReader.Draft> drafts) {
    Set<String> bad = new java.util.HashSet<>();
    for (ChartReader.Read chart : charts) {
      for (Ref ref : chart.refs()) {
        boolean aliasEverywhere = !drafts.isEmpty() && drafts.stream()
            .filter(d -> chart.source() == null || d.name().equals(chart.source()))
            .allMatch(d -> d.hasAlias(ref.text()));
        if (aliasEverywhere) {
          continue;
        }
        try {
          FieldRefs.check(ref.text());
        } catch (IllegalArgumentException e) {
          problems.at(ref.node(), ref.key() + ": " + e.getMessage());
          bad.add(ref.text());
        }
      }
    }
    return bad;
  }

  /** The references of the charts that read {@code draft}: those naming it and those naming none. */
  private static Set<String> refsFor(SourceReader.Draft draft, List<ChartReader.Read> charts) {
    Set<String> refs = new LinkedHashSet<>();
    for (ChartReader.Read chart : charts) {
      if (chart.spec() != null
          && (chart.source() == null || chart.source().equals(draft.name()))) {
        refs.addAll(ChartFields.references(chart.spec()));
      }
    }
    return refs;
  }
}
