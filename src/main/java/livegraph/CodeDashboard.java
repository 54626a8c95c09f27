package livegraph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import livegraph.dashboard.Dashboard;
import livegraph.dashboard.DashboardException;
import livegraph.dashboard.DashboardLoader;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Turns charts defined in code into a dashboard by writing them as a dashboard file and
 * reading it with {@link DashboardLoader}: code and files share one vocabulary, one set of
 * defaults and one set of checks, so they cannot drift apart.
 */
final class CodeDashboard {

  /** The URL segment of a dashboard defined in code: {@code /d/app/}. */
  static final String NAME = "app";

  private CodeDashboard() {}

  /**
   * @throws IllegalArgumentException naming each chart with a problem and what is wrong
   */
  static Dashboard build(String title, List<Chart> charts) {
    if (charts.isEmpty()) {
      throw new IllegalArgumentException("a dashboard needs at least one chart");
    }
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("name", NAME);
    file.put("title", title);
    List<Object> list = new ArrayList<>();
    charts.forEach(chart -> list.add(chart.toYaml()));
    file.put("charts", list);
    String yaml = new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build()).dumpToString(file);
    try {
      return DashboardLoader.parseFedByProgram(yaml, "code");
    } catch (DashboardException e) {
      throw new IllegalArgumentException(describe(e, yaml, charts), e);
    }
  }

  /** Each problem named by its chart's title rather than a line of YAML nobody wrote. */
  private static String describe(DashboardException e, String yaml, List<Chart> charts) {
    List<Integer> starts = chartLines(yaml);
    StringBuilder text = new StringBuilder("charts defined in code have problems:");
    for (var problem : e.problems()) {
      int chart = -1;
      for (int i = 0; i < starts.size(); i++) {
        if (problem.line() >= starts.get(i)) {
          chart = i;
        }
      }
      text.append("\n  ");
      if (chart >= 0 && chart < charts.size()) {
        text.append("chart \"").append(charts.get(chart).title()).append("\": ");
      }
      text.append(problem.message());
    }
    return text.toString();
  }

  /** The 1-based line where each chart's mapping starts in the dumped YAML. */
  private static List<Integer> chartLines(String yaml) {
    List<Integer> starts = new ArrayList<>();
    String[] lines = yaml.split("\n", -1);
    boolean inCharts = false;
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith("charts:")) {
        inCharts = true;
      } else if (inCharts && lines[i].startsWith("- ")) {
        starts.add(i + 1);
      }
    }
    return starts;
  }
}
