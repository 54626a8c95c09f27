package livegraph.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import livegraph.dashboard.Dashboard;
import livegraph.dashboard.DashboardException;
import livegraph.dashboard.DashboardLoader;
import livegraph.dashboard.Problem;

/** Loads the dashboard files named on a command line, printing every problem of every file. */
final class DashboardFiles {

  private DashboardFiles() {}

  /**
   * The files' dashboards in order, or {@code null} when any file has a problem; each problem
   * goes to {@code err} as {@code file:line:column: message}. Names must differ: each is served
   * at /d/NAME/.
   */
  static List<Dashboard> load(List<Path> files, PrintWriter err) {
    List<Dashboard> dashboards = new ArrayList<>();
    Map<String, Path> names = new HashMap<>();
    boolean ok = true;
    for (Path file : files) {
      try {
        Dashboard d = DashboardLoader.load(file);
        Path other = names.putIfAbsent(d.name(), file);
        if (other != null) {
          err.println(new Problem(file.toString(), 1, 1, "dashboard name '" + d.name()
              + "' is also the name of " + other + "; give one of them another 'name:'"));
          ok = false;
        }
        dashboards.add(d);
      } catch (DashboardException e) {
        e.problems().forEach(err::println);
        ok = false;
      }
    }
    err.flush();
    return ok ? dashboards : null;
  }
}
