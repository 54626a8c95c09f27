package livegraph.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import livegraph.emulator.Feed;
import livegraph.emulator.HistoryFeed;
import livegraph.emulator.ReplayFeed;
import livegraph.emulator.SimulatedFeed;
import livegraph.emulator.StackExchangeEmulator;
import livegraph.pipeline.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code livegraph emulate}: a stand-alone StackExchange-protocol server on loopback. */
@Command(
    name = "emulate",
    mixinStandardHelpOptions = true,
    description = "Runs a local server speaking the StackExchange realtime protocol (simulated or replayed frames), for 'serve --feed ws://…' and for tests.")
final class EmulateCommand implements java.util.concurrent.Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", defaultValue = "0", description = "Port on 127.0.0.1 (0 = any free port). Default: ${DEFAULT-VALUE}.")
  int port;

  @CommandLine.Mixin FeedOptions feedOptions;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the simulated feed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--heartbeat", defaultValue = "15s", converter = DurationConverter.class, description = "Heartbeat interval. Default: ${DEFAULT-VALUE}.")
  Duration heartbeat;

  @Option(names = "--history", converter = DurationConverter.class, description = "Simulated feed only: first send a backlog of frames whose lastActivityDate is spread over this span before the start (e.g. 1h), then the live feed. For benchmarks that need history.")
  Duration history;

  @Option(names = "--history-rate", defaultValue = "20", description = "Frames per second of --history: the backlog holds span x this many frames. Default: ${DEFAULT-VALUE}.")
  double historyRate;

  @Option(names = "--history-burst", defaultValue = "5000", description = "Backlog frames sent per second (paced: a frame for a client that is not keeping up is skipped). Default: ${DEFAULT-VALUE}.")
  double historyBurst;

  @Override
  public Integer call() throws Exception {
    feedOptions.validate(spec.commandLine());
    if (history != null && feedOptions.replay != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--history applies to the simulated feed, not to --replay");
    }
    if (!(historyRate > 0) || !(historyBurst > 0) || Double.isInfinite(historyBurst)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--history-rate and --history-burst must be positive: " + historyRate + ", " + historyBurst);
    }
    Feed feed;
    if (feedOptions.replay != null) {
      feed = ReplayFeed.open(feedOptions.replay, feedOptions.speed);
    } else if (history != null) {
      long count = Math.round(history.toMillis() / 1000.0 * historyRate);
      feed = HistoryFeed.create(feedOptions.rate, seed, Clock.system(), history, count, historyBurst);
      System.out.println("history: " + count + " frames over the past " + history.toSeconds() + " s");
    } else {
      feed = SimulatedFeed.create(feedOptions.rate, seed);
    }
    StackExchangeEmulator emulator =
        StackExchangeEmulator.builder().heartbeatInterval(heartbeat).feed(feed).start(port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      emulator.close();
      stopped.countDown();
    }, "livegraph-emulate-stop"));
    System.out.println("StackExchange protocol emulator on " + emulator.uri() + "  Ctrl-C to stop");
    System.out.flush();
    stopped.await();
    return 0;
  }
}
