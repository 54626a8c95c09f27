package livegraph.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import livegraph.Livegraph;
import livegraph.dashboard.Dashboard;
import livegraph.journal.JournalSettings;
import livegraph.pipeline.Clock;
import livegraph.pipeline.Pipeline;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code livegraph serve}: dashboards on their feeds, until Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves dashboards: the dashboard files given (each at /d/NAME/, see DASHBOARDS.md), or one"
          + " built from quick-start flags (--stdin --chart 'count by level'), or by default the"
          + " StackExchange activity dashboard.",
      "Default feed of the StackExchange dashboard: a simulated feed from an in-process emulator"
          + " on loopback."
    })
final class ServeCommand implements java.util.concurrent.Callable<Integer> {

  /** Options that choose the StackExchange dashboard's feed; meaningless with other dashboards. */
  private static final List<String> FEED_OPTIONS =
      List.of("--feed", "--rate", "--replay", "--speed", "--seed");

  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "Dashboard files (YAML) to serve; each is checked before anything starts, and reloaded when edited (not with --cluster).")
  List<Path> files = new ArrayList<>();

  @CommandLine.Mixin QuickStartOptions quickStart;

  /** Set by {@link #checkDashboards}; empty: the built-in StackExchange dashboard. */
  private List<Dashboard> dashboards = List.of();

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

  @Option(names = "--journal", paramLabel = "DIR", description = "Keep each dashboard's recent events in DIR/NAME-…/ and replay them at start, so a restart (even kill -9) keeps the charts. Default: $XDG_STATE_HOME/livegraph, else ~/.local/state/livegraph.")
  Path journal;

  @Option(names = "--no-journal", description = "Keep no journal: a restart starts the charts empty.")
  boolean noJournal;

  @Option(names = "--journal-max", paramLabel = "SIZE", defaultValue = "256m", converter = ByteSizeConverter.class, description = "Bound on each dashboard's journal; when reached, its oldest segment is deleted first. Default: ${DEFAULT-VALUE}.")
  long journalMax;

  /** How long SIGTERM (or Ctrl-C) waits for a clean stop before exiting anyway. */
  static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

  @Option(names = "--token", paramLabel = "TOKEN", description = "Require this token (16-256 of A-Z a-z 0-9 -._~+/=) on every request; open the page once as /?token=TOKEN. Default: the LIVEGRAPH_TOKEN environment variable (keeps it out of ps), else none.")
  String token;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain: serve https and wss (with --tls-key).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (PKCS#8, unencrypted) of --tls-cert.")
  Path tlsKey;

  @Option(names = "--cluster", paramLabel = "redis://HOST:PORT", description = "Join the cluster of nodes sharing this Redis: one node ingests each dashboard's sources into a Redis Stream, every node builds its charts from it (CLUSTER.md). redis://:PASSWORD@HOST:PORT or USER:PASSWORD@ to log in (or the password in LIVEGRAPH_REDIS_PASSWORD, out of ps), rediss:// for TLS. Default: none, this node alone.")
  java.net.URI cluster;

  @Option(names = "--node-id", paramLabel = "ID", description = "This node's name in the cluster (letters, digits, . _ -). Default: the host name and process id.")
  String nodeId;

  @Option(names = "--cluster-prefix", paramLabel = "PREFIX", defaultValue = "livegraph", description = "First part of the cluster's Redis keys, so clusters can share a Redis. Default: ${DEFAULT-VALUE}.")
  String clusterPrefix;

  @Option(names = "--lease-ttl", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class, description = "How long the ingesting node's lease lasts unless renewed: the longest a dead node's ingest is missed. Default: ${DEFAULT-VALUE}.")
  Duration leaseTtl;

  @Option(names = "--cluster-max-entries", paramLabel = "N", defaultValue = "1000000", description = "Most entries a dashboard's stream keeps (events older than the charts' reach are trimmed anyway). Default: ${DEFAULT-VALUE}.")
  long clusterMaxEntries;

  /** Where LIVEGRAPH_TOKEN is read; tests replace it. */
  java.util.function.UnaryOperator<String> environment = System::getenv;

  /**
   * The token and TLS settings from the flags, checked: a bad token or TLS file stops the start
   * with a message naming it.
   */
  livegraph.server.ViewerSecurity security() {
    CommandLine cl = spec.commandLine();
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new CommandLine.ParameterException(cl, "--tls-cert and --tls-key go together");
    }
    String t = token != null ? token : environment.apply("LIVEGRAPH_TOKEN");
    livegraph.server.ViewerSecurity security = livegraph.server.ViewerSecurity.NONE;
    try {
      if (t != null && !t.isEmpty()) {
        security = security.withToken(t);
      }
      if (tlsCert != null) {
        security = security.withTls(tlsCert, tlsKey);
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, (token == null && t != null ? "LIVEGRAPH_TOKEN: " : "")
          + e.getMessage());
    }
    return security;
  }

  /**
   * The dashboards to serve, in order: those of the FILE arguments, or the one the quick-start
   * flags build. Empty means the built-in StackExchange dashboard on {@code --feed}. Valid once
   * {@link #call} (or {@link #checkDashboards}) has checked them, before anything starts.
   */
  List<Dashboard> dashboards() {
    return dashboards;
  }

  /**
   * Reads the dashboard files, or builds the quick-start dashboard, into {@link #dashboards}.
   *
   * @return false when a file has problems; each was printed to stderr as file:line:column
   * @throws CommandLine.ParameterException for flags that do not fit together (exit status 2)
   */
  boolean checkDashboards() {
    CommandLine cl = spec.commandLine();
    boolean quick = quickStart.given();
    if (!files.isEmpty() && quick) {
      throw new CommandLine.ParameterException(cl,
          "give dashboard files or quick-start flags (--stdin, --chart…), not both");
    }
    if (files.isEmpty() && !quick) {
      dashboards = List.of();
      return true;
    }
    for (String option : FEED_OPTIONS) {
      if (cl.getParseResult() != null && cl.getParseResult().hasMatchedOption(option)) {
        throw new CommandLine.ParameterException(cl, option + " chooses the StackExchange "
            + "dashboard's feed; it does not apply to " + (quick ? "quick-start charts"
            : "dashboard files") + " (a file names its own sources)");
      }
    }
    if (quick) {
      dashboards = List.of(quickStart.dashboard(cl, silence));
      return true;
    }
    List<Dashboard> loaded = DashboardFiles.load(files, cl.getErr());
    if (loaded == null) {
      return false;
    }
    dashboards = loaded;
    return true;
  }

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0..65535: " + port);
    }
    feedOptions.validate(spec.commandLine());
    if (!checkDashboards()) {
      return 1;
    }
    if (feedOptions.replay != null && !feed.equals("simulated")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--replay and --feed cannot be combined");
    }
    livegraph.server.ViewerSecurity security = security();
    long actualSeed = seed != null ? seed : System.nanoTime();
    Livegraph.Config config;
    try {
      config =
          new Livegraph.Config(host, feed, feedOptions.rate, actualSeed, feedOptions.replay,
              feedOptions.speed, silence,
              Duration.ofMillis(100), Pipeline.DEFAULT_INTAKE_CAPACITY, new LinkedHashSet<>(allowOrigins), Clock.system(),
              files, quickStart.given() ? dashboards : List.of());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Livegraph livegraph = Livegraph.create(config).withSecurity(security);
    if (noJournal && journal != null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--journal and --no-journal cannot be combined");
    }
    if (cluster != null) {
      if (journal != null) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--journal and --cluster cannot be combined: the cluster's stream keeps the events");
      }
      try {
        livegraph.cluster(new livegraph.cluster.ClusterSettings(cluster,
            environment.apply("LIVEGRAPH_REDIS_PASSWORD"), nodeId != null ? nodeId : defaultNodeId(), clusterPrefix, leaseTtl,
            Duration.ofMillis(100), Duration.ofSeconds(1), clusterMaxEntries, 100_000));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    } else if (nodeId != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--node-id needs --cluster");
    }
    if (!noJournal && cluster == null) {
      try {
        livegraph.journal(journal != null ? journal : defaultJournal(System.getenv(),
            System.getProperty("user.home")), JournalSettings.of(journalMax));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--journal-max: "
            + e.getMessage());
      }
    }
    try {
      livegraph.start(port);
    } catch (IllegalArgumentException | IllegalStateException e) {
      livegraph.close();
      System.err.println("livegraph: " + e.getMessage());
      return 1;
    } catch (java.io.IOException e) {
      livegraph.close();
      System.err.println("livegraph: cannot listen on " + host + ":" + port + " (" + e.getMessage()
          + "); choose another with --port");
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      int status = stop(livegraph);
      stopped.countDown();
      System.out.flush();
      System.err.flush();
      // exit() would block forever in a hook; halt ends with the status, the stop being done.
      Runtime.getRuntime().halt(status);
    }, "livegraph-shutdown"));
    String shown = host.contains(":") ? "[" + host + "]" : host;
    System.out.println("livegraph serving " + (security.tls() ? "https://" : "http://") + shown + ":"
        + livegraph.port() + "/" + (security.tokenRequired() ? "?token=…" : "") + "  ("
        + describe(config, actualSeed) + ")  Ctrl-C to stop");
    if (!security.tokenRequired() && !isLoopback(host)) {
      System.err.println("livegraph: warning: listening on " + host + " without --token: anyone who"
          + " can reach this port can watch the dashboards");
    }
    System.out.flush();
    stopped.await();
    return 0;
  }

  /**
   * Stops {@code livegraph} cleanly (viewers told "server shutting down" with 1001, sources
   * stopped, journals written and forced) within {@link #SHUTDOWN_WAIT}; returns the exit
   * status: 0, or 1 when it took longer and the rest is abandoned. Runs in the shutdown hook:
   * SIGTERM asks for a stop, so a clean one exits 0 rather than the JVM's 143.
   */
  static int stop(Livegraph livegraph) {
    Thread closer = new Thread(livegraph::close, "livegraph-close");
    closer.setDaemon(true);
    closer.start();
    try {
      closer.join(SHUTDOWN_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (closer.isAlive()) {
      System.err.println("livegraph: did not stop within " + SHUTDOWN_WAIT.toSeconds()
          + " s; exiting anyway");
      return 1;
    }
    return 0;
  }

  /** The host name (reduced to letters, digits, '.', '_', '-') and this process's id. */
  static String defaultNodeId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "node";
    }
    String clean = host.replaceAll("[^A-Za-z0-9._-]", "-");
    if (clean.length() > 40) {
      clean = clean.substring(0, 40);
    }
    return (clean.isEmpty() ? "node" : clean) + "-" + ProcessHandle.current().pid();
  }

  /**
   * The journal's default root: {@code $XDG_STATE_HOME/livegraph} when that is an absolute
   * path (as the XDG base directory spec asks), else {@code ~/.local/state/livegraph}.
   */
  static Path defaultJournal(java.util.Map<String, String> env, String home) {
    String state = env.get("XDG_STATE_HOME");
    if (state != null && !state.isBlank() && Path.of(state).isAbsolute()) {
      return Path.of(state, "livegraph");
    }
    return Path.of(home, ".local", "state", "livegraph");
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  private String describe(Livegraph.Config config, long actualSeed) {
    if (!dashboards.isEmpty()) {
      return (dashboards.size() == 1 ? "dashboard " : "dashboards ") + String.join(", ",
          dashboards.stream().map(d -> d.name() + " at /d/" + d.name() + "/").toList())
          + (files.isEmpty() ? ""
              : cluster == null ? ", reloaded when edited"
              : ", in cluster " + clusterPrefix + " (not reloaded when edited: restart each node)");
    }
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
