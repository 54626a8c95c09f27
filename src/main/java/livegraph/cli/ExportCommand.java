package livegraph.cli;

import java.nio.file.Path;
import livegraph.export.SnapshotExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code livegraph export}: one self-contained HTML file of a dashboard. With {@code --snapshot
 * --from URL}, a static page of what a running server shows now (see {@link SnapshotExport}).
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Writes one self-contained HTML file of a dashboard.",
      "With --snapshot --from URL: a static page of the charts a running livegraph server shows"
          + " now (no live connection; the time of capture is shown).",
      "Exit status: 0 written, 1 the server or the file failed, 2 bad usage."
    })
final class ExportCommand implements java.util.concurrent.Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML file to write.")
  Path out;

  @Option(names = "--snapshot", description = "Capture a running server's current charts (needs --from).")
  boolean snapshot;

  @Option(names = "--from", paramLabel = "URL",
      description = "The server (http://HOST:PORT) or one of its dashboards (http://HOST:PORT/d/NAME).")
  String from;

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    if (!snapshot) {
      cl.getErr().println("livegraph export: live export is not in this build; use --snapshot --from URL");
      cl.getErr().flush();
      return 2;
    }
    if (from == null) {
      throw new CommandLine.ParameterException(cl, "--snapshot needs --from http://HOST:PORT[/d/NAME]");
    }
    return SnapshotExport.toFile(from, out, cl.getOut(), cl.getErr());
  }
}
