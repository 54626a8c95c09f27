package livegraph.bench;

import picocli.CommandLine.Command;

/** {@code livegraph bench}: the load tools; see BENCHMARKS.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Load tools: fan-out to many viewers beside peer relays, a soak, and time to first frame.",
    subcommands = {FanoutCommand.class, SoakCommand.class, StartupCommand.class})
public final class BenchCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }
}
