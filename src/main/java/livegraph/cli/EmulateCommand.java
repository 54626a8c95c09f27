package livegraph.cli;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import livegraph.emulator.Fault;
import livegraph.emulator.FaultSchedule;
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

  @Option(names = "--fault", paramLabel = "MODE[,MODE]", description = "Upstream faults to play in turn, one per --fault-every: close, reset, hang, heartbeats-only, heartbeat-loss, slow-trickle, flood, malformed-json, wrong-types, oversized, binary, invalid-utf8, deep-nesting.")
  String fault;

  @Option(names = "--fault-every", defaultValue = "10s", converter = DurationConverter.class, description = "How long each --fault lasts before the next. Default: ${DEFAULT-VALUE}.")
  Duration faultEvery;

  @Option(names = "--history", converter = DurationConverter.class, description = "Simulated feed only: first send a backlog of frames whose lastActivityDate is spread over this span before the start (e.g. 1h), then the live feed. For benchmarks that need history.")
  Duration history;

  @Option(names = "--history-rate", defaultValue = "20", description = "Frames per second of --history: the backlog holds span x this many frames. Default: ${DEFAULT-VALUE}.")
  double historyRate;

  @Option(names = "--history-burst", defaultValue = "5000", description = "Backlog frames sent per second (paced: a frame for a client that is not keeping up is skipped). Default: ${DEFAULT-VALUE}.")
  double historyBurst;

  @Option(names = "--resend-recent", paramLabel = "DURATION", converter = DurationConverter.class, description = "Re-send to each new 155-questions-active subscriber the frames played in this last span (e.g. 10s), then the live ones, and play from start-up whether or not anyone listens: a consumer taking over after a failover misses nothing. Off unless given.")
  Duration resendRecent;

  @Option(names = "--resend-max-frames", defaultValue = "100000", description = "Most frames --resend-recent keeps (newest win; about 1.5 KB each), 1..1000000. Default: ${DEFAULT-VALUE}.")
  int resendMaxFrames;

  @Override
  public Integer call() throws Exception {
    feedOptions.validate(spec.commandLine());
    List<Fault> faults = List.of();
    if (fault != null) {
      try {
        faults = Fault.parseList(fault);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--fault: " + e.getMessage());
      }
    }
    if (history != null && feedOptions.replay != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--history applies to the simulated feed, not to --replay");
    }
    if (!(historyRate > 0) || !(historyBurst > 0) || Double.isInfinite(historyBurst)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--history-rate and --history-burst must be positive: " + historyRate + ", " + historyBurst);
    }
    if (resendMaxFrames < 1 || resendMaxFrames > StackExchangeEmulator.MAX_RESEND_FRAMES) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--resend-max-frames must be 1.."
          + StackExchangeEmulator.MAX_RESEND_FRAMES + ": " + resendMaxFrames);
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
    StackExchangeEmulator.Builder builder =
        StackExchangeEmulator.builder().heartbeatInterval(heartbeat).feed(feed);
    if (resendRecent != null) {
      builder.resendRecent(resendRecent, resendMaxFrames);
      System.out.println("resend: the frames of the last " + resendRecent.toMillis()
          + " ms (at most " + resendMaxFrames + ") to each new subscriber");
    }
    StackExchangeEmulator emulator = builder.start(port);
    ScheduledExecutorService faultThread = null;
    FaultSchedule schedule = null;
    if (!faults.isEmpty()) {
      faultThread = Executors.newSingleThreadScheduledExecutor(
          new DefaultThreadFactory("livegraph-emulate-faults", true));
      schedule = new FaultSchedule(emulator, faults, f -> {
        System.out.println("fault: " + f.flag());
        System.out.flush();
      }).start(faultThread, faultEvery);
    }
    FaultSchedule faultsToStop = schedule;
    ScheduledExecutorService threadToStop = faultThread;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (faultsToStop != null) {
        faultsToStop.close();
        threadToStop.shutdownNow();
      }
      emulator.close();
      stopped.countDown();
    }, "livegraph-emulate-stop"));
    System.out.println("StackExchange protocol emulator on " + emulator.uri() + "  Ctrl-C to stop"
        + (faults.isEmpty() ? "" : "  (faults every " + faultEvery.toMillis() + " ms)"));
    System.out.flush();
    stopped.await();
    return 0;
  }
}
