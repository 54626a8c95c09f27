package livegraph.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code livegraph} command; with no subcommand it serves the default dashboard. */
@Command(
    name = "livegraph",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Live event streams as live charts in the browser.",
    subcommands = {ServeCommand.class, ValidateCommand.class, RecordCommand.class,
        EmulateCommand.class, ExportCommand.class, livegraph.bench.BenchCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  /** {@code livegraph} alone is {@code livegraph serve} with its defaults. */
  @Override
  public Integer call() throws Exception {
    return new CommandLine(new ServeCommand()).execute();
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"livegraph " + (v == null ? "development" : v)};
    }
  }
}
