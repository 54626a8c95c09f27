package livegraph.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import livegraph.emulator.Feed;
import livegraph.emulator.ReplayFeed;
import livegraph.emulator.SimulatedFeed;
import livegraph.emulator.StackExchangeEmulator;
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

  @Override
  public Integer call() throws Exception {
    feedOptions.validate(spec.commandLine());
    Feed feed = feedOptions.replay != null
        ? ReplayFeed.open(feedOptions.replay, feedOptions.speed)
        : SimulatedFeed.create(feedOptions.rate, seed);
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
