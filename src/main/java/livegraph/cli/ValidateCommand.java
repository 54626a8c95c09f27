package livegraph.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import livegraph.dashboard.Dashboard;
import livegraph.dashboard.DashboardException;
import livegraph.dashboard.DashboardLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code livegraph validate FILE…}: checks dashboard files without serving anything. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Checks dashboard files: prints 'FILE: ok (N charts, M sources)' for a good one and every"
          + " problem of a bad one as FILE:LINE:COLUMN: MESSAGE.",
      "Exit status: 0 all good, 1 a file has problems, 2 bad usage."
    })
final class ValidateCommand implements java.util.concurrent.Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Dashboard files (YAML, see DASHBOARDS.md).")
  List<Path> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean ok = true;
    for (Path file : files) {
      try {
        Dashboard d = DashboardLoader.load(file);
        out.println(file + ": ok (" + count(d.charts().size(), "chart") + ", "
            + count(d.sources().size(), "source") + ")");
      } catch (DashboardException e) {
        e.problems().forEach(err::println);
        ok = false;
      }
    }
    out.flush();
    err.flush();
    return ok ? 0 : 1;
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
