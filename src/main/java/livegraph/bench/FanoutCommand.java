package livegraph.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import livegraph.Transport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code livegraph bench fanout}: livegraph and the peer relays, one after the other, each fed
 * the same events by this process and watched by the same viewers from this process.
 *
 * <p>For every viewer count, every target and every run: a fresh server process, see
 * {@link FanoutRun}. Progress goes to standard error; the results, one object per target and
 * viewer count with the medians of its runs and the runs themselves, to standard output and
 * {@code OUT/NAME.json}, with the plot in {@code OUT/NAME.html} and {@code .png}.
 */
@Command(
    name = "fanout",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Feeds events at --rate to livegraph and to the peer relays (bench/peers: ws and Socket.IO),"
          + " one at a time, each in its own process, opens --viewers viewers from this process,"
          + " warms up, measures, and reports delivered frames/s, latency p50/p99/max, gaps,"
          + " server CPU µs per delivery and RSS per viewer (from /proc) as JSON, with a plot.",
      "bench/fanout.sh installs the peers and runs this with the documented settings."
    })
final class FanoutCommand implements Callable<Integer> {

  private static final int FDS_BESIDES_VIEWERS = 200;

  @Option(names = "--viewers", split = ",", defaultValue = "100,1000", paramLabel = "N[,N…]", description = "Viewer counts, each measured in turn. Default: ${DEFAULT-VALUE}.")
  List<Integer> viewers;

  @Option(names = "--rate", defaultValue = "10", description = "Events per second sent by the feeder. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--warmup", defaultValue = "5s", converter = Seconds.class, description = "Feeding before the measured period. Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(names = "--measure", defaultValue = "10s", converter = Seconds.class, description = "The measured period. Default: ${DEFAULT-VALUE}.")
  Duration measured;

  @Option(names = "--runs", defaultValue = "1", description = "Runs of each target and viewer count; the report holds their medians. Default: ${DEFAULT-VALUE}.")
  int runs;

  @Option(names = "--targets", split = ",", defaultValue = "livegraph,ws,socketio", description = "Which servers to measure, in this order. Default: ${DEFAULT-VALUE}.")
  List<String> targets;


  @Option(names = "--settle", defaultValue = "2s", converter = Seconds.class, description = "Pause after start and after the viewers connected, before reading RSS. Default: ${DEFAULT-VALUE}.")
  Duration settle;

  @Option(names = "--smoke", description = "A quick proof that it works: 20 viewers, 20 events/s, 2 s warm-up, 3 s measured, one run.")
  boolean smoke;

  @Option(names = "--out", defaultValue = "target/bench", description = "Directory for the JSON, the plot and the servers' logs. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(names = "--name", defaultValue = "fanout", description = "Base name of the output files. Default: ${DEFAULT-VALUE}.")
  String name;


  @Option(names = "--baseline-jar", paramLabel = "JAR", description = "Another livegraph jar (e.g. built from main), measured as the target livegraph-before (name it in --targets), so before and after take turns in one run.")
  Path baselineJar;



  @Option(names = "--jfr", description = "Record a JFR profile of each livegraph server (OUT/logs/NAME/*.jfr).")
  boolean jfr;

  @Option(names = "--peers", defaultValue = "bench/peers", description = "Directory of the Node relays (with node_modules). Default: ${DEFAULT-VALUE}.")
  Path peers;



  @Option(names = "--target", paramLabel = "URL", description = "Measure a server already running (ws://HOST:PORT/PATH) instead; feed it from --feed-port.")
  URI target;

  @Option(names = "--protocol", defaultValue = "livegraph", description = "With --target: livegraph, ws or socketio. Default: ${DEFAULT-VALUE}.")
  String protocol;

  @Option(names = "--pid", split = ",", paramLabel = "PID[,PID…]", description = "With --target: its process id, for CPU and RSS; several (e.g. a cluster's nodes and its proxy): their sums.")
  List<Long> pids = new ArrayList<>();

  @Option(names = "--feed-port", defaultValue = "0", description = "The feeder's TCP port on 127.0.0.1 (0: any free port). Default: ${DEFAULT-VALUE}.")
  int feedPort;


  @CommandLine.Mixin ServerAndViewerOptions common;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (smoke) {
      viewers = List.of(20);
      rate = 20;
      warmup = Duration.ofSeconds(2);
      measured = Duration.ofSeconds(3);
      runs = 1;
      settle = Duration.ofMillis(500);
    }
    validate();
    PrintStream progress = System.err;
    List<Target> chosen = chooseTargets();
    Path logs = out.resolve("logs").resolve(name);
    Files.createDirectories(logs);
    MicroClock clock = MicroClock.system();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("tool", "livegraph bench fanout");
    doc.put("started", Instant.now().toString());
    doc.put("machine", Machine.describe());
    doc.put("settings", settings());
    List<Map<String, Object>> results = new ArrayList<>();
    List<Map<String, Object>> summaries = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    boolean failed = false;

    FanoutRun.Settings s = new FanoutRun.Settings(rate, warmup, measured, common.ramp, settle,
        target == null ? 100 : 0);
    EventLoopGroup clients = Transport.group(common.clientThreads, "bench-viewer");
    try (Feeder feeder = new Feeder(new EventLines(common.seed, 512), clock, feedPort, common.seed)) {
      if (target != null) {
        progress.println("fanout: feeder on 127.0.0.1:" + feeder.port()
            + "; start the server under test reading it, e.g. livegraph serve --tcp 127.0.0.1:"
            + feeder.port() + " --chart 'number: max(sent)'");
      }
      for (Target t : chosen) {
        t.skipReason().ifPresent(why -> {
          progress.println("fanout: skipping " + t.name + ": " + why);
          skipped.add(t.name + ": " + why);
        });
      }
      for (int n : viewers) {
        // Targets take turns run by run, so a change in the machine's load during a viewer
        // count touches every target alike rather than all runs of one.
        Map<Target, List<Map<String, Object>>> runsOf = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++) {
          for (Target t : chosen) {
            if (t.skipReason().isPresent()) {
              continue;
            }
            progress.printf("fanout: %s, %d viewers, %s events/s, run %d of %d%n", t.name, n,
                fmt(rate), run, runs);
            Map<String, Object> r;
            try {
              r = FanoutRun.measure(t, n, run, s, feeder, clients, clock, logs, progress);
            } catch (IOException e) {
              progress.println("fanout: " + t.name + " failed: " + e.getMessage());
              failed = true;
              continue;
            }
            String problem = problem(r, n);
            if (problem != null) {
              progress.println("fanout: " + t.name + ", " + n + " viewers: " + problem);
              r.put("problem", problem);
              failed = true;
            }
            runsOf.computeIfAbsent(t, k -> new ArrayList<>()).add(r);
            results.add(r);
          }
        }
        for (List<Map<String, Object>> rs : runsOf.values()) {
          Map<String, Object> summary = Medians.of(rs);
          summary.remove("run");
          summary.put("runs", rs.size());
          summaries.add(summary);
        }
      }
    } finally {
      clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
    doc.put("skipped", skipped);
    doc.put("summaries", summaries);
    doc.put("runs", results);
    doc.put("finished", Instant.now().toString());
    doc.put("loadAtEnd", Machine.load1());

    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    String text = json.writeValueAsString(nullForNaN(doc));
    Path jsonFile = out.resolve(name + ".json");
    Files.writeString(jsonFile, text + "\n", StandardCharsets.UTF_8);
    System.out.println(text);
    progress.println("fanout: wrote " + jsonFile);
    if (!common.noPlot && !summaries.isEmpty()) {
      String title = "Fan-out latency, " + fmt(rate) + " events/s, " + (target != null
          ? target.toString() : "livegraph dashboard " + common.dashboard) + " ("
          + String.join(", ", summaries.stream().map(m -> (String) m.get("target")).distinct()
              .toList()) + ")";
      progress.println("fanout: " + LatencyPlot.write(title, summaries,
          out.resolve(name + ".html"), out.resolve(name + ".png")));
    }
    if (summaries.isEmpty()) {
      progress.println("fanout: nothing was measured");
      return 1;
    }
    return failed ? 1 : 0;
  }

  /** Why a run's result is no measurement at all, or null. */
  static String problem(Map<String, Object> r, int viewers) {
    if (((Number) r.get("connected")).intValue() < viewers) {
      return "only " + r.get("connected") + " of " + viewers + " viewers connected";
    }
    if (((Number) r.get("framesPerSecond")).doubleValue() <= 0) {
      return "no frame arrived in the measured period";
    }
    return null;
  }

  private void validate() {
    CommandLine cl = spec.commandLine();
    if (viewers.isEmpty() || viewers.stream().anyMatch(v -> v < 1)) {
      throw new CommandLine.ParameterException(cl, "--viewers must be positive: " + viewers);
    }
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new CommandLine.ParameterException(cl, "--rate must be positive: " + rate);
    }
    if (runs < 1 || common.ramp < 1) {
      throw new CommandLine.ParameterException(cl, "--runs and --ramp must be positive: "
          + runs + ", " + common.ramp);
    }
    if (measured.isZero()) {
      throw new CommandLine.ParameterException(cl, "--measure must be positive");
    }
    int most = viewers.stream().mapToInt(Integer::intValue).max().orElse(0);
    OptionalLong limit = Machine.openFilesLimit();
    if (limit.isPresent() && limit.getAsLong() < most + FDS_BESIDES_VIEWERS) {
      throw new CommandLine.ParameterException(cl, most + " viewers need at least "
          + (most + FDS_BESIDES_VIEWERS) + " open files here and in the server (which inherits"
          + " the limit), but the limit is " + limit.getAsLong() + ": raise it with ulimit -n "
          + (most + FDS_BESIDES_VIEWERS) + " (or more) before running");
    }
    if (!pids.isEmpty() && target == null) {
      throw new CommandLine.ParameterException(cl, "--pid goes with --target");
    }
  }

  private List<Target> chooseTargets() throws IOException {
    if (target != null) {
      return List.of(Target.external(target, protocolOf(protocol), pids));
    }
    String yaml = common.dashboardText(spec.commandLine());
    List<String> jvm = common.serverJvm();
    List<Target> chosen = new ArrayList<>();
    for (String t : targets) {
      chosen.add(switch (t.trim().toLowerCase(Locale.ROOT)) {
        case "livegraph" -> Target.livegraph(common.jar, jvm, yaml, jfr);
        case "livegraph-before" -> {
          if (baselineJar == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "the target livegraph-before needs --baseline-jar");
          }
          yield Target.livegraph("livegraph-before", baselineJar, jvm, yaml, jfr);
        }
        case "ws" -> Target.peer("ws", Protocol.RELAYED, peers, "ws-relay.js");
        case "socketio", "socket.io" -> Target.peer("socketio", Protocol.SOCKET_IO, peers,
            "socketio-relay.js");
        default -> throw new CommandLine.ParameterException(spec.commandLine(),
            "unknown target '" + t + "': expected livegraph, livegraph-before, ws or socketio");
      });
    }
    return chosen;
  }


  private Protocol protocolOf(String p) {
    return switch (p.toLowerCase(Locale.ROOT)) {
      case "livegraph" -> Protocol.LIVEGRAPH;
      case "ws" -> Protocol.RELAYED;
      case "socketio", "socket.io" -> Protocol.SOCKET_IO;
      default -> throw new CommandLine.ParameterException(spec.commandLine(),
          "unknown --protocol '" + p + "': expected livegraph, ws or socketio");
    };
  }

  private Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("viewers", viewers);
    m.put("rate", rate);
    m.put("warmupSeconds", warmup.toMillis() / 1000.0);
    m.put("measuredSeconds", measured.toMillis() / 1000.0);
    m.put("runs", runs);
    m.put("rampPerSecond", common.ramp);
    m.put("settleSeconds", settle.toMillis() / 1000.0);
    m.put("clientThreads", common.clientThreadsResolved());
    m.put("dashboard", common.dashboard);
    m.put("serverJvmOptions", common.serverJvmOptions);
    m.put("seed", common.seed);
    m.put("target", target == null ? null : target.toString());
    m.put("pids", pids);
    return m;
  }

  /** A copy of {@code value} with every NaN made null (JSON has no NaN). */
  @SuppressWarnings("unchecked")
  static Object nullForNaN(Object value) {
    if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return null;
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      ((Map<String, Object>) m).forEach((k, v) -> copy.put(k, nullForNaN(v)));
      return copy;
    }
    if (value instanceof List<?> l) {
      return l.stream().map(FanoutCommand::nullForNaN).toList();
    }
    return value;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
