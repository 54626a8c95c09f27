package livegraph.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options {@code bench fanout} and {@code bench soak} share (a picocli mixin): the livegraph
 * server they start and the viewers' client that watches it, so both tools take them alike.
 */
final class ServerAndViewerOptions {

  @Option(names = "--jar", defaultValue = "target/livegraph-all.jar", description = "livegraph's jar, run as the server under test. Default: ${DEFAULT-VALUE}.")
  Path jar;

  @Option(names = "--dashboard", defaultValue = "stackexchange", description = {
      "livegraph's dashboard: stackexchange (the built-in one's charts without its list, deltas"
          + " of about 6 KB), minimal (the probe charts only, about 200 bytes), or a YAML file"
          + " whose tcp port is FEED_PORT and whose first charts are the probes 'sent' and 'n'"
          + " (see src/main/resources/bench/). Default: ${DEFAULT-VALUE}."})
  String dashboard;

  @Option(names = "--server-jvm-opts", defaultValue = "", description = "JVM options for the livegraph server, space-separated. Default: none (as ./livegraph).")
  String serverJvmOptions;

  @Option(names = "--ramp", defaultValue = "2000", description = "Viewers opened per second at most. Default: ${DEFAULT-VALUE}.")
  int ramp;

  @Option(names = "--client-threads", defaultValue = "0", description = "Event loops of the viewers (0 = one per core).")
  int clientThreads;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the events' questions. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--no-plot", description = "Skip the plot.")
  boolean noPlot;

  /** --server-jvm-opts as separate options. */
  List<String> serverJvm() {
    return serverJvmOptions.isBlank() ? List.of() : List.of(serverJvmOptions.trim().split("\\s+"));
  }

  /** The dashboard's YAML; a bad name or file is a usage error of {@code cl}. */
  String dashboardText(CommandLine cl) throws IOException {
    return BenchDashboards.text(dashboard, cl);
  }

  /** The viewers' event loops, 0 resolved to one per core (as {@code Transport.group} does). */
  int clientThreadsResolved() {
    return clientThreads == 0 ? Runtime.getRuntime().availableProcessors() : clientThreads;
  }
}
