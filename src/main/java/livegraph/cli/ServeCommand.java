package livegraph.cli;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import livegraph.Livegraph;
import livegraph.pipeline.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code livegraph serve}: the dashboard on a feed, until Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the StackExchange activity dashboard.",
      "Default feed: a simulated StackExchange feed from an in-process emulator on loopback."
    })
final class ServeCommand implements java.util.concurrent.Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port (0 = any free port). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(
      names = "--feed",
      defaultValue = "simulated",
      description = "simulated, live (wss://qa.sockets.stackexchange.com/), or ws://HOST:PORT/ of any server speaking the StackExchange protocol. Default: ${DEFAULT-VALUE}.")
  String feed;

  @CommandLine.Mixin FeedOptions feedOptions;

  @Option(names = "--seed", description = "Seed of the simulated feed (same seed, same frames). Default: random.")
  Long seed;

  @Option(
      names = "--silence",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description = "Reconnect when no data frame arrived for this long (dead-socket watchdog). Default: ${DEFAULT-VALUE}.")
  Duration silence;

  @Option(names = "--allow-origin", split = ",", description = "Other origins whose pages may connect to /ws.")
  List<String> allowOrigins = List.of();

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0..65535: " + port);
    }
    feedOptions.validate(spec.commandLine());
    if (feedOptions.replay != null && !feed.equals("simulated")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--replay and --feed cannot be combined");
    }
    long actualSeed = seed != null ? seed : System.nanoTime();
    Livegraph.Config config;
    try {
      config =
          new Livegraph.Config(host, feed, feedOptions.rate, actualSeed, feedOptions.replay,
              feedOptions.speed, silence,
              Duration.ofMillis(100), 10_000, new LinkedHashSet<>(allowOrigins), Clock.system());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Livegraph livegraph = Livegraph.create(config);
    try {
      livegraph.start(port);
    } catch (java.io.IOException e) {
      livegraph.close();
      System.err.println("livegraph: cannot listen on " + host + ":" + port + " (" + e.getMessage()
          + "); choose another with --port");
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      livegraph.close();
      stopped.countDown();
    }, "livegraph-shutdown"));
    String shown = host.contains(":") ? "[" + host + "]" : host;
    System.out.println("livegraph serving http://" + shown + ":" + livegraph.port() + "/  ("
        + describe(config, actualSeed) + ")  Ctrl-C to stop");
    System.out.flush();
    stopped.await();
    return 0;
  }

  private String describe(Livegraph.Config config, long actualSeed) {
    if (config.replay() != null) {
      return "replaying " + config.replay() + " at " + config.speed() + "x";
    }
    return switch (config.feed()) {
      case "simulated" -> "simulated StackExchange feed, " + config.rate() + " events/s, seed " + actualSeed;
      case "live" -> "LIVE feed " + Livegraph.LIVE_FEED;
      default -> "feed " + config.feed();
    };
  }
}
