package livegraph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import livegraph.cluster.ClusterKeys;
import livegraph.cluster.ClusterMember;
import livegraph.cluster.ClusterSettings;
import livegraph.dashboard.Dashboard;
import livegraph.dashboard.DashboardException;
import livegraph.dashboard.DashboardLoader;
import livegraph.dashboard.DashboardWatcher;
import livegraph.dashboard.HelloJson;
import livegraph.dashboard.StackExchangeDashboard;
import livegraph.emulator.Feed;
import livegraph.emulator.ReplayFeed;
import livegraph.emulator.SimulatedFeed;
import livegraph.emulator.StackExchangeEmulator;
import livegraph.hub.Hub;
import livegraph.pipeline.Clock;
import livegraph.pipeline.Event;
import livegraph.pipeline.Pipeline;
import livegraph.server.Dashboards;
import livegraph.server.ViewerCloses;
import livegraph.server.ViewerSecurity;
import livegraph.server.ViewerServer;
import livegraph.server.Views;
import livegraph.source.Backoff;
import livegraph.source.SourceContext;
import livegraph.source.SourceSpec;
import livegraph.source.SourceStatus;
import livegraph.source.SseSpec;
import livegraph.source.StackExchangeFeed;
import livegraph.source.WebSocketSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running livegraph: for each dashboard, sources → pipeline → hub, and one server in front of
 * them all; wired in {@link #start}.
 *
 * <p>Dashboards come from files (watched and reloaded when edited), from charts defined in code
 * ({@link Config#withCharts}, fed by {@link #event} and {@link #push}), or, when neither is given,
 * the built-in StackExchange dashboard on a simulated feed: an in-process emulator of the
 * StackExchange protocol on a loopback port, which the source connects to exactly as it would
 * to the real service.
 *
 * <pre>{@code
 * Livegraph live = Livegraph.create(Livegraph.Config.defaults().withCharts("My service",
 *         Chart.line("Heap used").measure("last(heapMiB)").bucket("1s").retention("10m"),
 *         Chart.histogram("Latency").field("ms").min(0).max(500).bins(25).window("1m")))
 *     .start(8080);
 * live.event(Map.of("ms", 12.5));   // from any thread; false when the intake is full
 * }</pre>
 */
public final class Livegraph implements AutoCloseable {

  /** The real feed; used only when a user asks for {@code --feed live}. */
  public static final URI LIVE_FEED = StackExchangeFeed.LIVE_URI;

  private static final Logger log = LoggerFactory.getLogger(Livegraph.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Config config;
  private EventLoopGroup group;
  private EventLoopGroup sourceGroup;
  private StackExchangeEmulator emulator;
  private Upstream upstream; // the built-in dashboard's feed, or null
  private final List<DashboardRuntime> runtimes = new ArrayList<>();
  private final Map<DashboardRuntime, StatusReport> reports = new HashMap<>(); // status ticker
  private ScheduledExecutorService watcherThread;
  private DashboardWatcher watcher;
  private ViewerServer server;
  private ViewerSecurity security = ViewerSecurity.NONE; // token and TLS; set before start
  private ScheduledFuture<?> statusTicker;
  // This server's own registry (never the global one), so two in one JVM do not share counts.
  private PrometheusMeterRegistry registry;
  private JvmGcMetrics gcMetrics; // holds GC notification listeners until closed
  private Path journalRoot; // null: no journal (the default of the in-process API)
  private livegraph.journal.JournalSettings journalSettings =
      livegraph.journal.JournalSettings.of(livegraph.journal.JournalSettings.DEFAULT_MAX_BYTES);
  private ClusterSettings cluster; // null: this node alone (the default)
  private ScheduledExecutorService clusterThread; // the lease keepers' and tickers' thread

  private Livegraph(Config config) {
    this.config = config;
  }

  public static Livegraph create(Config config) {
    return new Livegraph(Objects.requireNonNull(config, "config"));
  }

  /** Requires viewers to present a token and/or serves https and wss; call before start. */
  public Livegraph withSecurity(ViewerSecurity security) {
    this.security = Objects.requireNonNull(security, "security");
    return this;
  }

  /**
   * Keeps a journal of each dashboard's events in {@code root/NAME/} and replays it at start,
   * so a restart (even after {@code kill -9}) shows the charts as they were; see {@link
   * livegraph.journal.Journal}. Call before {@link #start}. Without it (the default here; {@code
   * livegraph serve} keeps one unless told {@code --no-journal}) nothing is written to disk.
   */
  public Livegraph journal(Path root, livegraph.journal.JournalSettings settings) {
    this.journalRoot = Objects.requireNonNull(root, "root");
    this.journalSettings = Objects.requireNonNull(settings, "settings");
    return this;
  }

  /**
   * Joins the cluster of nodes sharing {@code settings.endpoint()}: each dashboard with sources is
   * ingested by whichever node holds its lease, into a Redis Stream that every node's charts are
   * built from (CLUSTER.md). Call before {@link #start}; {@code start} then waits up to 30 s for
   * Redis. Dashboards that read their input from the start at each run (a replay, a file read
   * whole) and dashboards fed by the program run on this node alone.
   */
  public Livegraph cluster(ClusterSettings settings) {
    this.cluster = Objects.requireNonNull(settings, "settings");
    return this;
  }

  /**
   * Wires and starts everything; {@code port} 0 binds a free port (see {@link #port()}).
   *
   * @throws IllegalArgumentException when a dashboard file has problems (each named as
   *     file:line:column) or two dashboards share a name
   */
  public Livegraph start(int port) throws Exception {
    Clock clock = config.clock();
    registry = registry();
    group = Transport.group(0, "livegraph-io");
    // Sources get their own one-thread loop: resolving a real upstream's host name blocks its
    // loop, and that must never stall the viewers' loops.
    sourceGroup = Transport.group(1, "livegraph-source");
    SourceContext sources = new SourceContext(clock, sourceGroup, new SplittableRandom(),
        Backoff.BASE, Backoff.CAP);
    if (cluster != null) {
      clusterThread = Executors.newSingleThreadScheduledExecutor(
          new DefaultThreadFactory("livegraph-cluster", true));
    }
    DashboardRuntime.Settings settings =
        new DashboardRuntime.Settings(clock, config.intake(), config.tick(), sources, this::info,
            registry, journalRoot, journalSettings, this::journalName, this::clusterPlan);

    Map<Path, Dashboard> files = loadFiles();
    List<Dashboard> all = new ArrayList<>(files.values());
    all.addAll(config.dashboards());
    if (all.isEmpty()) {
      all.add(builtIn());
    }
    checkNames(all);

    Map<Path, DashboardRuntime> byFile = new HashMap<>();
    for (Dashboard dashboard : all) {
      DashboardRuntime runtime = new DashboardRuntime(dashboard, settings).start();
      runtimes.add(runtime);
      reports.put(runtime, new StatusReport());
      files.forEach((file, d) -> {
        if (d == dashboard) {
          byFile.put(file, runtime);
        }
      });
    }

    PrometheusMeterRegistry scraped = registry;
    server = new ViewerServer(new Registry(runtimes), this::health,
        () -> scraped.scrape().getBytes(StandardCharsets.UTF_8), config.allowOrigins(), group)
        .withSecurity(security)
        .start(config.host(), port);
    for (ViewerCloses.Reason reason : ViewerCloses.Reason.values()) {
      ViewerCloses closes = server.closes();
      FunctionCounter.builder("livegraph.viewer.closes", closes, c -> c.get(reason))
          .description("Viewers the server closed (a limit broken), or lost abruptly, by reason")
          .tags("reason", reason.label())
          .register(registry);
    }

    statusTicker =
        group.next().scheduleAtFixedRate(this::broadcastStatus, 1, 1, TimeUnit.SECONDS);
    if (!byFile.isEmpty() && cluster == null) {
      watch(byFile);
    } else if (!byFile.isEmpty()) {
      log.info("cluster: dashboard files are not reloaded when edited (every node must cut the"
          + " same frames); restart each node with the edited file");
    }
    return this;
  }

  /** A dashboard's place in the cluster, or null when it runs on this node alone. */
  private DashboardRuntime.ClusterPlan clusterPlan(Dashboard dashboard) {
    if (cluster == null) {
      return null;
    }
    String stream = dashboard.sources().isEmpty() ? null : journalName(dashboard);
    if (stream == null) {
      log.warn("dashboard {}: runs on this node alone, not in the cluster: {}", dashboard.name(),
          dashboard.sources().isEmpty() ? "the program feeds it"
              : "its source reads its input from the start at each run");
      return null;
    }
    try {
      long start = ClusterMember.chartStart(cluster, ClusterKeys.of(cluster.prefix(), stream),
          config.clock().millis(), 30_000, new SplittableRandom());
      return new DashboardRuntime.ClusterPlan(cluster, stream, start, clusterThread);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Redis", e);
    }
  }

  /**
   * Offers one event to the first dashboard, from any thread, without blocking.
   *
   * <p>Values may be strings, numbers, booleans or collections (their elements' text); a
   * non-finite number or any other value leaves that field out. Field names are looked up as
   * written in the charts ({@code by("level")} reads the field {@code "level"}).
   *
   * @return {@code false} when the dashboard's bounded intake is full and the event was not
   *     taken (it is counted as dropped); every event taken is counted exactly once
   */
  public boolean event(Map<String, ?> fields) {
    if (runtimes.isEmpty()) {
      throw new IllegalStateException("start() the server before sending it events");
    }
    return event(runtimes.get(0), fields);
  }

  /** {@link #event(Map)} for the dashboard named {@code dashboard}. */
  public boolean event(String dashboard, Map<String, ?> fields) {
    for (DashboardRuntime runtime : runtimes) {
      if (runtime.route().equals(dashboard)) {
        return event(runtime, fields);
      }
    }
    throw new IllegalArgumentException("no dashboard named " + dashboard + "; there are "
        + runtimes.stream().map(DashboardRuntime::route).toList());
  }

  /** One numeric field: {@code push("latencyMs", 12.5)}; see {@link #event(Map)}. */
  public boolean push(String field, double value) {
    return event(Map.of(field, value));
  }

  private boolean event(DashboardRuntime runtime, Map<String, ?> fields) {
    Map<String, Object> values = new HashMap<>(fields.size() + 1);
    fields.forEach((name, value) -> {
      Object normal = normal(value);
      if (name != null && normal != null) {
        values.put(name, normal);
      }
    });
    values.put("@source", CodeDashboard.NAME);
    return runtime.offer(new Event(config.clock().millis(), values));
  }

  private static Object normal(Object value) {
    if (value instanceof String || value instanceof Boolean || value instanceof Long) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? d : null;
    }
    if (value instanceof Collection<?> items) {
      return items.stream().filter(Objects::nonNull).map(String::valueOf).toList();
    }
    return null;
  }

  public int port() {
    return server.port();
  }

  /** The first dashboard's hub. */
  public Hub hub() {
    return runtimes.get(0).hub();
  }

  /** The first dashboard's sources, combined as its status bar shows them. */
  public SourceStatus sourceStatus() {
    return status(runtimes.get(0));
  }

  /** The emulator of the simulated feed, or null when reading a real upstream. */
  public StackExchangeEmulator emulator() {
    return emulator;
  }

  /** Closes viewers with 1001, then sources, pipelines, server and threads; idempotent. */
  @Override
  public synchronized void close() {
    if (group == null) {
      return;
    }
    if (watcher != null) {
      watcher.close();
    }
    if (watcherThread != null) {
      watcherThread.shutdownNow();
    }
    if (statusTicker != null) {
      statusTicker.cancel(false);
    }
    // Stop accepting first: a page told "server shutting down" reconnects, and must find the
    // port closed rather than be let in and then cut off without a reason.
    if (server != null) {
      server.close();
    }
    for (DashboardRuntime runtime : runtimes) {
      runtime.hub().closeAll(1001, "server shutting down");
      runtime.close();
    }
    // Quiet period 0: the sources' close tasks already ran; nothing else uses this group.
    sourceGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    if (emulator != null) {
      emulator.close();
    }
    if (clusterThread != null) {
      clusterThread.shutdownNow();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    group = null;
    gcMetrics.close();
    registry.close();
  }

  /** A Prometheus registry with the JVM's memory, GC, threads, classes, CPU and uptime. */
  private PrometheusMeterRegistry registry() {
    PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(r);
    new JvmMemoryMetrics().bindTo(r);
    gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(r);
    new JvmThreadMetrics().bindTo(r);
    new ProcessorMetrics().bindTo(r);
    new UptimeMetrics().bindTo(r);
    return r;
  }

  private Map<Path, Dashboard> loadFiles() {
    Map<Path, Dashboard> loaded = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (Path file : config.files()) {
      try {
        loaded.put(file, DashboardLoader.load(file));
      } catch (DashboardException e) {
        e.problems().forEach(p -> problems.add(p.toString()));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return loaded;
  }

  private static void checkNames(List<Dashboard> all) {
    Set<String> names = new HashSet<>();
    for (Dashboard d : all) {
      if (!names.add(d.name())) {
        throw new IllegalArgumentException("two dashboards are named " + d.name()
            + " (each is served at /d/NAME/): give one of them another 'name:'");
      }
    }
  }

  private void watch(Map<Path, DashboardRuntime> byFile) {
    watcherThread = Executors.newSingleThreadScheduledExecutor(
        new DefaultThreadFactory("livegraph-watcher", true));
    watcher = new DashboardWatcher(byFile.keySet(), watcherThread, new DashboardWatcher.Listener() {
      @Override
      public void onReload(Path file, Dashboard dashboard) {
        DashboardRuntime runtime = byFile.get(file);
        try {
          runtime.reload(dashboard);
          log.info("{}: reloaded", file);
        } catch (RuntimeException e) {
          // A dashboard that loads but cannot run (a source refusing its spec) keeps the last.
          log.warn("{}: reload failed, keeping the last good version", file, e);
          runtime.configError(file + ": " + e.getMessage());
        }
      }

      @Override
      public void onError(Path file, DashboardException error) {
        List<String> lines = error.problems().stream().map(Object::toString).toList();
        log.warn("{}: not reloaded, keeping the last good version:\n{}", file,
            String.join("\n", lines));
        byFile.get(file).configError(String.join("\n", lines));
      }
    }).start();
  }

  private record Upstream(URI uri, String description, String mode) {}

  /** The StackExchange dashboard, its source pointed at the configured feed. */
  private Dashboard builtIn() throws Exception {
    upstream = upstream();
    Dashboard file = StackExchangeDashboard.create();
    List<SourceSpec> sources = new ArrayList<>();
    for (SourceSpec spec : file.sources()) {
      if (spec instanceof WebSocketSpec ws) {
        sources.add(new WebSocketSpec(ws.name(), upstream.uri(), ws.subscribe(), ws.heartbeat(),
            config.silence(), ws.decoding()));
      } else {
        sources.add(spec);
      }
    }
    return new Dashboard(file.name(), file.title(), sources, file.charts());
  }

  private Upstream upstream() throws Exception {
    String feed = config.feed();
    if (config.replay() != null) {
      emulator = emulator(ReplayFeed.open(config.replay(), config.speed()));
      return new Upstream(emulator.uri(),
          "Replay of " + config.replay().getFileName() + " (" + config.speed() + "×)", "replay");
    }
    if (feed.equals("simulated")) {
      emulator = emulator(SimulatedFeed.create(config.rate(), config.seed()));
      return new Upstream(emulator.uri(), "Simulated StackExchange feed", "simulated");
    }
    URI uri = feed.equals("live") ? LIVE_FEED : URI.create(feed);
    String mode = feed.equals("live") ? "live" : "custom";
    return new Upstream(uri, uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : ""), mode);
  }

  private StackExchangeEmulator emulator(Feed feed) throws InterruptedException {
    return StackExchangeEmulator.builder()
        .heartbeatInterval(Duration.ofSeconds(15))
        .feed(feed)
        .group(group)
        .start(0);
  }

  /**
   * The directory of a dashboard's journal: its name and what feeds it, so a dashboard of the
   * same name on another stream (a quick start on another source, the built-in one on another
   * feed) does not replay this one's events; null when its source re-reads its input from the
   * start at each run (a replay, a file read whole), which a journal would count twice.
   */
  private String journalName(Dashboard dashboard) {
    if (upstream != null) {
      return switch (upstream.mode()) {
        case "replay" -> null;
        case "simulated", "live" -> dashboard.name() + "-" + upstream.mode();
        default -> dashboard.name() + "-" + shortHash(upstream.uri().toString());
      };
    }
    if (dashboard.sources().isEmpty()) {
      return dashboard.name();
    }
    for (SourceSpec spec : dashboard.sources()) {
      if (spec instanceof livegraph.source.FileSpec file && !file.follow()) {
        return null;
      }
    }
    return dashboard.name() + "-" + shortHash(String.join("\n",
        dashboard.sources().stream().map(s -> s.name() + "=" + s.description()).toList()));
  }

  private static String shortHash(String text) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", crc.getValue());
  }

  /** What the page's status bar says the dashboard reads. */
  private HelloJson.SourceInfo info(Dashboard dashboard) {
    if (upstream != null) {
      return new HelloJson.SourceInfo(upstream.description(), upstream.mode(),
          upstream.uri().toString());
    }
    if (dashboard.sources().isEmpty()) {
      return new HelloJson.SourceInfo("events pushed by the program", "code", "");
    }
    String url = "";
    for (SourceSpec spec : dashboard.sources()) {
      if (spec instanceof WebSocketSpec ws) {
        url = ws.url().toString();
      } else if (spec instanceof SseSpec sse) {
        url = sse.url().toString();
      }
    }
    String description = String.join(", ",
        dashboard.sources().stream().map(SourceSpec::description).toList());
    return new HelloJson.SourceInfo(description, "custom", url);
  }

  private SourceStatus status(DashboardRuntime runtime) {
    ClusterMember member = runtime.member();
    if (member != null) {
      return ClusterStatuses.of(member.status(), runtime.sourceStatuses());
    }
    return SourceStatuses.combine(runtime.sourceStatuses(), runtime.pushed(),
        runtime.pushDropped());
  }

  private void broadcastStatus() {
    long now = config.clock().millis();
    for (DashboardRuntime runtime : runtimes) {
      runtime.views().sweep();
      runtime.sampleQueues();
      runtime.broadcast(reports.get(runtime).message(status(runtime), now, runtime.viewers()));
    }
  }

  private byte[] health() {
    ObjectNode root = JSON.createObjectNode();
    // The first dashboard's figures at the top level, as a single-dashboard server has always
    // answered; every dashboard in "dashboards".
    DashboardRuntime first = runtimes.get(0);
    SourceStatus s = status(first);
    boolean allLive = runtimes.stream().allMatch(r -> status(r).state() == SourceStatus.State.LIVE);
    boolean journaling = runtimes.stream()
        .allMatch(r -> r.journal() == null || r.journal().failure() == null);
    // The status of a cluster node is its stream's (catching up, Redis unreachable) as well.
    root.put("status", allLive && journaling ? "ok" : "degraded");
    ObjectNode src = root.putObject("source");
    src.put("description", info(first.dashboard()).description());
    putStatus(src, s);
    root.put("viewers", first.viewers());
    root.put("events", s.events());
    root.put("skippedFrames", s.skippedTotal());
    root.put("seq", first.hub().seq());
    putPipeline(root.putObject("pipeline"), first);
    ObjectNode fanout = root.putObject("hub");
    putHub(fanout, first.hub());
    fanout.put("badClientMessages", server.badClientMessages());
    putJournal(root.putObject("journal"), first);
    root.putObject("security").put("refusedOrigins", server.refusedOrigins())
        .put("refusedTokens", server.refusedTokens());
    ArrayNode dashboards = root.putArray("dashboards");
    for (DashboardRuntime runtime : runtimes) {
      ObjectNode d = dashboards.addObject();
      d.put("name", runtime.route());
      d.put("title", runtime.dashboard().title());
      d.put("viewers", runtime.viewers());
      d.put("views", runtime.views().size());
      d.put("seq", runtime.hub().seq());
      String error = runtime.hub().configErrorMessage();
      if (error != null) {
        d.put("configError", error);
      }
      ObjectNode sources = d.putObject("sources");
      runtime.sources().forEach((name, source) -> {
        ObjectNode one = sources.putObject(name);
        one.put("description", source.description());
        putStatus(one, source.status());
      });
      if (runtime.member() != null) {
        // In a cluster the sources run on the leader only: there, their statuses.
        runtime.sourceStatuses().forEach((name, status) -> {
          ObjectNode one = sources.putObject(name);
          runtime.dashboard().sources().stream().filter(spec -> spec.name().equals(name))
              .findFirst().ifPresent(spec -> one.put("description", spec.description()));
          putStatus(one, status);
        });
      }
      putPipeline(d.putObject("pipeline"), runtime);
      putHub(d.putObject("hub"), runtime.hub());
      putJournal(d.putObject("journal"), runtime);
      if (runtime.member() != null) {
        putCluster(d.putObject("cluster"), runtime.member().status());
      }
    }
    if (cluster != null) {
      ObjectNode c = root.putObject("cluster");
      c.put("node", cluster.nodeId());
      c.put("redis", cluster.endpoint().toString()); // never the password
      DashboardRuntime firstMember = runtimes.stream().filter(r -> r.member() != null)
          .findFirst().orElse(null);
      if (firstMember != null) {
        putCluster(c, firstMember.member().status());
      }
    }
    return bytes(root);
  }

  private static void putCluster(ObjectNode node, ClusterMember.Status s) {
    node.put("state", s.state().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    node.put("role", s.leader() ? "leader" : "follower");
    node.put("leader", s.leaderNode());
    node.put("detail", s.detail());
    node.put("events", s.events());
    node.put("duplicates", s.duplicates());
    node.put("ticks", s.ticks());
    node.put("lastId", s.lastId());
    node.put("trimmed", s.trimmed());
    node.put("written", s.written());
    node.put("dropped", s.dropped());
    node.put("fenced", s.fenced());
    node.put("writeFailures", s.writeFailures());
    node.put("readFailures", s.readFailures());
    node.put("terms", s.terms());
  }

  private static void putJournal(ObjectNode node, DashboardRuntime runtime) {
    livegraph.journal.Journal journal = runtime.journal();
    if (journal == null) {
      node.put("state", runtime.journalState().equals("off") ? "off" : "unavailable");
      node.put("detail", runtime.journalState());
      return;
    }
    String failure = journal.failure();
    node.put("state", failure == null ? "ok" : "failed");
    node.put("detail", failure == null ? "" : failure);
    node.put("dir", journal.dir().toString());
    node.put("acknowledged", journal.acknowledged());
    node.put("refused", journal.refused());
    node.put("unjournaled", journal.unjournaled());
    node.put("writeFailures", journal.writeFailures());
    node.put("segmentsDropped", journal.segmentsDropped());
    node.put("bytes", journal.bytes());
    livegraph.journal.Journal.Replayed r = journal.replayed();
    ObjectNode replayed = node.putObject("replayed");
    replayed.put("events", r.events());
    replayed.put("expired", r.expired());
    replayed.put("torn", r.torn());
    replayed.put("corrupt", r.corrupt());
  }

  private static void putStatus(ObjectNode node, SourceStatus s) {
    node.put("state", s.state().name().toLowerCase(Locale.ROOT));
    node.put("detail", s.detail());
    node.put("events", s.events());
    node.put("heartbeats", s.heartbeats());
    node.put("reconnects", s.reconnects());
    node.put("dropped", s.dropped());
    ObjectNode skipped = node.putObject("skipped");
    s.skipped().forEach((reason, n) -> skipped.put(reason.name().toLowerCase(Locale.ROOT), n));
  }

  private static void putPipeline(ObjectNode node, DashboardRuntime runtime) {
    Pipeline pipeline = runtime.pipeline();
    ClusterMember member = runtime.member();
    // A cluster node's pipeline takes its events from the stream's driver, not its intake.
    node.put("eventsIn", member != null ? member.status().events() : pipeline.eventsIn());
    node.put("dropped", pipeline.dropped());
    node.put("late", pipeline.late());
  }

  private static void putHub(ObjectNode node, Hub hub) {
    node.put("framesOut", hub.framesOut());
    node.put("skippedForward", hub.skippedForward());
    node.put("droppedViewers", hub.dropped());
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The server's view of the dashboards: route and current title of each, and its hub. */
  private record Registry(List<DashboardRuntime> runtimes) implements Dashboards {

    @Override
    public List<Entry> list() {
      return runtimes.stream()
          .map(r -> new Entry(r.route(), r.dashboard().title()))
          .toList();
    }

    @Override
    public Hub hub(String name) {
      DashboardRuntime runtime = runtime(name);
      return runtime == null ? null : runtime.hub();
    }

    @Override
    public Views views(String name) {
      DashboardRuntime runtime = runtime(name);
      return runtime == null ? Views.NONE : runtime.views();
    }

    private DashboardRuntime runtime(String name) {
      for (DashboardRuntime runtime : runtimes) {
        if (runtime.route().equals(name)) {
          return runtime;
        }
      }
      return null;
    }
  }

  /**
   * What to run.
   *
   * <p>{@code files} are dashboard files, watched and reloaded when edited; {@code dashboards}
   * are dashboards built elsewhere (quick-start flags, {@link #withCharts}). With neither, the
   * built-in StackExchange dashboard runs on {@code feed}: "simulated", "live", or a ws:// or
   * wss:// URL of any server speaking the StackExchange protocol; {@code replay} (if set) plays
   * a recorded file instead.
   */
  public record Config(
      String host,
      String feed,
      double rate,
      long seed,
      Path replay,
      double speed,
      Duration silence,
      Duration tick,
      int intake,
      Set<String> allowOrigins,
      Clock clock,
      List<Path> files,
      List<Dashboard> dashboards) {

    public Config {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(feed, "feed");
      if (!(rate > 0)) {
        throw new IllegalArgumentException("rate must be positive: " + rate);
      }
      if (!(speed > 0)) {
        throw new IllegalArgumentException("speed must be positive: " + speed);
      }
      if (silence.isNegative() || silence.isZero()) {
        throw new IllegalArgumentException("silence must be positive: " + silence);
      }
      if (intake <= 0) {
        throw new IllegalArgumentException("intake must be positive: " + intake);
      }
      if (!feed.equals("simulated") && !feed.equals("live")) {
        URI uri;
        try {
          uri = new URI(feed);
        } catch (java.net.URISyntaxException e) {
          throw new IllegalArgumentException("feed must be simulated, live, or a ws:// or wss:// URL: " + feed);
        }
        if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme()) || uri.getHost() == null) {
          throw new IllegalArgumentException("feed must be simulated, live, or a ws:// or wss:// URL: " + feed);
        }
      }
      allowOrigins = Set.copyOf(allowOrigins);
      Objects.requireNonNull(clock, "clock");
      files = List.copyOf(files);
      dashboards = List.copyOf(dashboards);
    }

    /** The built-in dashboard's settings, without files or dashboards of its own. */
    public Config(String host, String feed, double rate, long seed, Path replay, double speed,
        Duration silence, Duration tick, int intake, Set<String> allowOrigins, Clock clock) {
      this(host, feed, rate, seed, replay, speed, silence, tick, intake, allowOrigins, clock,
          List.of(), List.of());
    }

    /** Loopback, simulated feed at 4 events/s, seed 1, 5 min silence watchdog, 10 ticks/s. */
    public static Config defaults() {
      return new Config("127.0.0.1", "simulated", 4, 1, null, 1, Duration.ofMinutes(5),
          Duration.ofMillis(100), Pipeline.DEFAULT_INTAKE_CAPACITY, Set.of(), Clock.system());
    }

    public Config withFeed(String feed) {
      return new Config(host, feed, rate, seed, replay, speed, silence, tick, intake,
          allowOrigins, clock, files, dashboards);
    }

    /** Dashboard files to serve (and reload when edited) instead of the built-in one. */
    public Config withFiles(List<Path> files) {
      return new Config(host, feed, rate, seed, replay, speed, silence, tick, intake,
          allowOrigins, clock, files, dashboards);
    }

    /** Dashboards to serve besides the files (e.g. from quick-start flags). */
    public Config withDashboards(List<Dashboard> dashboards) {
      return new Config(host, feed, rate, seed, replay, speed, silence, tick, intake,
          allowOrigins, clock, files, dashboards);
    }

    /**
     * A dashboard of charts defined in code, at {@code /d/app/} (and {@code /} when it is the
     * only one), fed by {@link Livegraph#event}.
     *
     * @throws IllegalArgumentException naming each chart with a problem
     */
    public Config withCharts(String title, Chart... charts) {
      List<Dashboard> more = new ArrayList<>(dashboards);
      more.add(CodeDashboard.build(title, List.of(charts)));
      return withDashboards(more);
    }

    /** Events the intake of each dashboard holds before {@link Livegraph#event} says false. */
    public Config withIntake(int intake) {
      return new Config(host, feed, rate, seed, replay, speed, silence, tick, intake,
          allowOrigins, clock, files, dashboards);
    }

    /** Where to listen: 127.0.0.1 (the default) or another address. */
    public Config withHost(String host) {
      return new Config(host, feed, rate, seed, replay, speed, silence, tick, intake,
          allowOrigins, clock, files, dashboards);
    }

    /** Chart time; tests pass a clock they move. */
    public Config withClock(Clock clock) {
      return new Config(host, feed, rate, seed, replay, speed, silence, tick, intake,
          allowOrigins, clock, files, dashboards);
    }
  }
}
