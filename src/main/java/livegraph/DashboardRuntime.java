package livegraph;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import livegraph.cluster.ClusterKeys;
import livegraph.cluster.ClusterMember;
import livegraph.cluster.ClusterSettings;
import livegraph.dashboard.ChartFields;
import livegraph.dashboard.Dashboard;
import livegraph.dashboard.HelloJson;
import livegraph.hub.Hub;
import livegraph.journal.Journal;
import livegraph.journal.JournalSettings;
import livegraph.pipeline.ChartSpec;
import livegraph.pipeline.ChartSpecs;
import livegraph.pipeline.Event;
import livegraph.pipeline.FrameSink;
import livegraph.pipeline.Pipeline;
import livegraph.source.EventSink;
import livegraph.source.FieldDemand;
import livegraph.source.Source;
import livegraph.source.SourceContext;
import livegraph.source.SourceSpec;
import livegraph.source.SourceStatus;
import livegraph.source.Sources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One served dashboard: its sources feeding one pipeline publishing into one hub, and the swap
 * of all three (hub kept) when its file is edited.
 *
 * <p>A reload keeps every source whose spec did not change (a chart edit does not reconnect an
 * upstream): sources deliver into a {@link Intake} whose target pipeline is swapped. The old
 * pipeline is closed before {@link Hub#reset} so it can never publish the old layout after the
 * new snapshot. Threads: {@link #reload}, {@link #configError} and {@link #close} are called
 * by the wiring thread or the file watcher, serialised by this object's lock.
 *
 * <p>Journal: when the server keeps one, every batch the pipeline takes is also appended to the
 * dashboard's {@link Journal} (through the same tap that feeds the filtered views), and {@link
 * #start} replays it into the pipeline, and so into the views' history, before any source
 * starts. A reload keeps the journal: a restart after it replays the events within the new
 * charts' reach into the new charts.
 *
 * <p>The sources decode only the fields the charts read ({@link ChartFields#references}),
 * through one {@link FieldDemand} that a reload changes in place, so a chart edit that reads
 * another field narrows or widens what the kept sources extract without reconnecting them.
 */
final class DashboardRuntime implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DashboardRuntime.class);

  private final Settings settings;
  private final Intake intake = new Intake();
  private final FieldDemand demand; // its own lock-free handoff; set under this lock
  private final java.util.concurrent.atomic.LongAdder pushed = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder pushDropped = new java.util.concurrent.atomic.LongAdder();
  private final Hub hub;
  private final DashboardMeters meters;
  private final FilteredViews views;
  private final Journal journal; // null: none
  private final String journalState; // "on", "off" (not asked for) or why it is not kept
  private volatile Dashboard dashboard; // written under this lock, read from any thread
  private final String route; // the URL segment, fixed at start so links stay valid
  private volatile Pipeline pipeline; // written under this lock, read from any thread
  private final Map<SourceSpec, Source> sources = new LinkedHashMap<>(); // guarded by this
  // A copy of the sources by name for readers on other threads (status ticker, /healthz).
  private volatile Map<String, Source> byName = Map.of();
  private final ClusterPlan cluster; // null: this node alone
  private final StreamDriver driver; // cluster only: the stream drives the pipeline
  private final StreamDriver.TickClock tickClock; // cluster only: chart time from the ticks
  private ClusterMember member; // cluster only; set by start()

  /** What every dashboard of a server shares. */
  record Settings(
      livegraph.pipeline.Clock clock,
      int intakeCapacity,
      java.time.Duration tick,
      SourceContext sourceContext,
      java.util.function.Function<Dashboard, HelloJson.SourceInfo> info,
      io.micrometer.core.instrument.MeterRegistry registry,
      java.nio.file.Path journalRoot,
      JournalSettings journal,
      java.util.function.Function<Dashboard, String> journalName,
      java.util.function.Function<Dashboard, ClusterPlan> cluster) {

    /**
     * {@code journalRoot} null: no journal; {@code journalName} names a dashboard's directory
     * under it, or returns null when the dashboard keeps none (its source re-reads its input).
     * {@code cluster} gives a dashboard's place in a cluster, or null to run it on this node
     * alone.
     */
    Settings {
      Objects.requireNonNull(journal, "journal");
      Objects.requireNonNull(cluster, "cluster");
    }

    Settings(livegraph.pipeline.Clock clock, int intakeCapacity, java.time.Duration tick,
        SourceContext sourceContext,
        java.util.function.Function<Dashboard, HelloJson.SourceInfo> info,
        io.micrometer.core.instrument.MeterRegistry registry, java.nio.file.Path journalRoot,
        JournalSettings journal, java.util.function.Function<Dashboard, String> journalName) {
      this(clock, intakeCapacity, tick, sourceContext, info, registry, journalRoot, journal,
          journalName, d -> null);
    }

    /** Without a journal. */
    Settings(livegraph.pipeline.Clock clock, int intakeCapacity, java.time.Duration tick,
        SourceContext sourceContext,
        java.util.function.Function<Dashboard, HelloJson.SourceInfo> info,
        io.micrometer.core.instrument.MeterRegistry registry) {
      this(clock, intakeCapacity, tick, sourceContext, info, registry, null,
          JournalSettings.of(JournalSettings.DEFAULT_MAX_BYTES), Dashboard::name);
    }
  }

  /**
   * A dashboard's place in a cluster: the settings, the name of its stream (route and feed, as
   * a journal's), when its charts started (from Redis, the same on every node), and the thread
   * its lease keeper and ticker run on.
   */
  record ClusterPlan(ClusterSettings settings, String streamName, long chartStartMillis,
      java.util.concurrent.ScheduledExecutorService scheduler) {}

  DashboardRuntime(Dashboard dashboard, Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.dashboard = Objects.requireNonNull(dashboard, "dashboard");
    this.route = dashboard.name();
    this.cluster = settings.cluster().apply(dashboard);
    Journal opened = null;
    String state = "off";
    String journalName = settings.journalRoot() == null || cluster != null ? null
        : settings.journalName().apply(dashboard);
    if (cluster != null) {
      // The cluster's stream is the journal: a node that restarts catches up from it.
      state = "off: the cluster's stream keeps the events";
    } else if (settings.journalRoot() != null && journalName == null) {
      // Replaying a journal into a dashboard whose source reads its input again from the start
      // would count every event twice.
      state = "off: its source reads its input from the start again at each run";
    } else if (journalName != null) {
      java.nio.file.Path dir = Journal.dirFor(settings.journalRoot(), journalName);
      try {
        opened = Journal.open(dir, settings.journal(), reach(dashboard.charts()), settings.clock());
        state = "on";
      } catch (java.io.IOException e) {
        // Serving without a journal beats not serving: say so loudly, in the log and /healthz.
        state = "not kept: " + e.getMessage();
        log.warn("dashboard {}: runs WITHOUT a journal (a restart will start its charts empty): "
            + "{}", route, e.getMessage());
      }
    }
    this.journal = opened;
    this.journalState = state;
    // Charts replayed from a journal start when they first started, not at this restart; a
    // cluster's, when the cluster's first node started them.
    long start = cluster != null ? cluster.chartStartMillis()
        : journal != null ? journal.chartsStartMillis() : settings.clock().millis();
    this.tickClock = cluster != null ? new StreamDriver.TickClock(start) : null;
    this.demand = FieldDemand.of(demanded(dashboard));
    this.views = new FilteredViews(dashboard, settings.clock(), start, settings.intakeCapacity(),
        settings.tick(), FilteredViews.Limits.defaults(),
        (d, view) -> HelloJson.hello(d, settings.info().apply(d), view));
    this.pipeline = newPipeline(dashboard, start);
    // The meters read the hub and pipeline only when scraped, after start.
    this.meters = new DashboardMeters(settings.registry(), this, route);
    if (journal != null) {
      meters.journal(journal);
    }
    this.hub = new Hub(hello(dashboard), pipeline.snapshot(), settings.clock(), Hub.Limits.defaults(),
        meters.ingestToSend());
    if (cluster != null) {
      this.driver = new StreamDriver(tickClock, hub);
      driver.pipeline(pipeline);
    } else {
      this.driver = null;
    }
  }

  /** The fields the sources decode: what the charts read, and in a cluster the identities. */
  private Set<String> demanded(Dashboard d) {
    Set<String> fields = new LinkedHashSet<>(ChartFields.references(d.charts()));
    if (cluster != null) {
      identities(d).values().forEach(fields::addAll);
    }
    return fields;
  }

  /** Each source's identity fields ({@code identity:}), by source name. */
  static Map<String, java.util.List<String>> identities(Dashboard d) {
    Map<String, java.util.List<String>> byName = new LinkedHashMap<>();
    for (SourceSpec spec : d.sources()) {
      java.util.List<String> keys = spec.decoding().identity();
      if (!keys.isEmpty()) {
        byName.put(spec.name(), keys);
      }
    }
    return byName;
  }

  /**
   * Starts the pipeline thread and every source; in a cluster, the member that reads the
   * dashboard's stream into the pipeline and, while it leads, ingests the sources.
   */
  synchronized DashboardRuntime start() {
    if (cluster != null) {
      member = new ClusterMember(cluster.settings(),
          ClusterKeys.of(cluster.settings().prefix(), cluster.streamName()), route,
          reach(dashboard.charts()), identities(dashboard), this::ingest, driver,
          settings.clock(), cluster.scheduler(),
          new DefaultThreadFactory("livegraph-cluster-" + route, true),
          new java.util.SplittableRandom());
      meters.cluster(member);
      member.start();
      return this;
    }
    intake.target = pipeline;
    if (journal != null) {
      long began = System.nanoTime();
      Journal.Replayed replayed = journal.replay(pipeline::replay);
      // Publishes the replayed charts to the hub now, before any viewer or source.
      pipeline.runOnce();
      journal.start(new DefaultThreadFactory("livegraph-journal-" + route, true));
      if (replayed.events() > 0) {
        log.info("dashboard {}: {} events replayed from its journal in {} ms", route,
            replayed.events(), (System.nanoTime() - began) / 1_000_000);
      }
    }
    pipeline.start(new DefaultThreadFactory("livegraph-pipeline-" + dashboard.name(), true));
    for (SourceSpec spec : dashboard.sources()) {
      sources.put(spec, openSource(spec));
    }
    publishSources();
    return this;
  }

  /**
   * Serves {@code next} from now on: a new pipeline (its charts start empty), the sources whose
   * specs changed reopened, and every viewer sent the new layout and snapshot.
   */
  synchronized void reload(Dashboard next) {
    if (cluster != null) {
      // Every node must cut the same frames from the same charts: an edit on one node alone
      // would split them. Restart the nodes one by one instead (CLUSTER.md).
      throw new IllegalStateException("a dashboard served by a cluster is not reloaded; restart"
          + " each node with the edited file");
    }
    if (next.equals(dashboard)) {
      // A fix that restores the running version (after a bad edit) keeps the charts' state.
      hub.configError(null);
      return;
    }
    Pipeline old = pipeline;
    Pipeline fresh = newPipeline(next, settings.clock().millis());
    if (journal != null) {
      journal.retention(reach(next.charts()));
    }
    // Both dashboards' fields while the pipelines swap: an event decoded now may reach either.
    // One a source decoded just before this line and offers after the swap may lack a field
    // only the new charts read, as if its message had not had it.
    Set<String> nextFields = ChartFields.references(next.charts());
    Set<String> both = new LinkedHashSet<>(ChartFields.references(dashboard.charts()));
    both.addAll(nextFields);
    demand.set(both);
    intake.target = fresh;
    old.close();
    // After the old pipeline's last batch, before the new one's first: see FilteredViews.
    views.reset(next);
    Map<SourceSpec, Source> kept = new LinkedHashMap<>();
    for (SourceSpec spec : next.sources()) {
      Source same = sources.remove(spec);
      kept.put(spec, same);
    }
    sources.values().forEach(Source::close);
    sources.clear();
    hub.reset(hello(next), fresh.snapshot());
    pipeline = fresh;
    dashboard = next;
    fresh.start(new DefaultThreadFactory("livegraph-pipeline-" + next.name(), true));
    demand.set(nextFields);
    kept.forEach((spec, source) -> sources.put(spec, source != null ? source : openSource(spec)));
    publishSources();
    log.info("dashboard {} reloaded: {} charts, {} sources", next.name(), next.charts().size(),
        next.sources().size());
  }

  /** Shows a rejected edit on every viewer's page (null clears it); the last good one stays. */
  void configError(String message) {
    hub.configError(message);
  }

  /** Offers an event pushed by the program (not a source); false when the intake is full. */
  boolean offer(Event event) {
    if (cluster == null && intake.offer(event)) {
      pushed.increment();
      return true;
    }
    pushDropped.increment();
    return false;
  }

  /** Events the program pushed that were taken. */
  long pushed() {
    return pushed.sum();
  }

  /** Events the program pushed that a full intake refused. */
  long pushDropped() {
    return pushDropped.sum();
  }

  Hub hub() {
    return hub;
  }

  /** The dashboard's filtered views. */
  FilteredViews views() {
    return views;
  }

  /** Viewers of the dashboard and of its views. */
  int viewers() {
    return hub.viewers() + views.viewers();
  }

  /** Sends a status message to every viewer, in the dashboard's hub or a view's. */
  void broadcast(byte[] message) {
    hub.broadcast(message);
    views.broadcast(message);
  }

  /** The dashboard served now; never blocks (the server asks on its event loops). */
  Dashboard dashboard() {
    return dashboard;
  }

  /** Its URL segment: the name it started with, kept across reloads. */
  String route() {
    return route;
  }

  Pipeline pipeline() {
    return pipeline;
  }

  /** The status of each source, by name. */
  Map<String, SourceStatus> sourceStatuses() {
    if (member != null) {
      return member.sourceStatuses(); // the leader's; none on a follower
    }
    Map<String, SourceStatus> all = new LinkedHashMap<>();
    byName.forEach((name, source) -> all.put(name, source.status()));
    return all;
  }

  /** The running sources by name; safe from any thread. */
  Map<String, Source> sources() {
    return byName;
  }

  private void publishSources() {
    Map<String, Source> copy = new LinkedHashMap<>();
    sources.forEach((spec, source) -> copy.put(spec.name(), source));
    byName = java.util.Collections.unmodifiableMap(copy);
    meters.sources(copy.keySet(), dashboard.sources().isEmpty());
  }

  /** Samples the viewers' queues into the metrics; status ticker. */
  void sampleQueues() {
    meters.sampleQueues();
  }

  @Override
  public synchronized void close() {
    if (member != null) {
      member.close();
    }
    sources.values().forEach(Source::close);
    sources.clear();
    publishSources();
    pipeline.close();
    views.close();
    if (journal != null) {
      // After the pipeline's last batch: everything the charts took is written and forced.
      journal.close();
    }
  }

  /** The dashboard's journal, or null when it keeps none. */
  Journal journal() {
    return journal;
  }

  /** "on", "off" (none asked for), or why the journal asked for is not kept. */
  String journalState() {
    return journalState;
  }

  /** How far back the charts reach: the journal's retention. */
  private static long reach(java.util.List<ChartSpec> charts) {
    long reach = 1;
    for (ChartSpec chart : charts) {
      reach = Math.max(reach, ChartSpecs.reachMillis(chart));
    }
    return reach;
  }

  private Source openSource(SourceSpec spec) {
    Source source = Sources.open(spec, settings.sourceContext().withDemand(demand));
    source.start(intake);
    return source;
  }

  private Pipeline newPipeline(Dashboard d, long startMillis) {
    // The sink reads the hub field at publish time: it is set before any pipeline starts.
    if (cluster != null) {
      // No thread: the stream driver applies events and cuts frames at the stream's ticks.
      return new Pipeline(d.charts(), null, startMillis, tickClock, settings.intakeCapacity(),
          settings.tick(), new ClusterSink(), this::taken);
    }
    return new Pipeline(d.charts(), null, startMillis, settings.clock(),
        settings.intakeCapacity(), settings.tick(), new HubSink(), this::taken);
  }

  /** The pipeline's tap: the views' history and feed, then the journal; pipeline thread. */
  private void taken(java.util.List<Event> batch, long nowMillis) {
    views.taken(batch, nowMillis);
    if (journal != null) {
      journal.append(batch, nowMillis);
    }
  }

  private byte[] hello(Dashboard d) {
    return HelloJson.hello(d, settings.info().apply(d));
  }

  /** Publishes into the hub, with the newest event's arrival, read at publish time. */
  private final class HubSink implements FrameSink {
    @Override
    public void publish(Map<String, byte[]> changed) {
      hub.publish(changed);
    }

    @Override
    public void publish(Map<String, byte[]> changed, long newestEventNanos) {
      hub.publish(changed, newestEventNanos);
    }
  }

  /** The frames the pipeline cuts at the stream's ticks go to the driver, read at publish time. */
  private final class ClusterSink implements FrameSink {
    @Override
    public void publish(Map<String, byte[]> changed) {
      driver.frames().publish(changed);
    }

    @Override
    public void publish(Map<String, byte[]> changed, long newestEventNanos) {
      driver.frames().publish(changed, newestEventNanos);
    }
  }

  /** The leader's ingest: every source of the dashboard, delivering into {@code sink}. */
  private ClusterMember.Ingestion ingest(EventSink sink) {
    Map<String, Source> opened = new LinkedHashMap<>();
    for (SourceSpec spec : dashboard.sources()) {
      Source source = Sources.open(spec, settings.sourceContext().withDemand(demand));
      source.start(sink);
      opened.put(spec.name(), source);
    }
    return new ClusterMember.Ingestion() {
      @Override
      public Map<String, SourceStatus> statuses() {
        Map<String, SourceStatus> all = new LinkedHashMap<>();
        opened.forEach((name, source) -> all.put(name, source.status()));
        return all;
      }

      @Override
      public void close() {
        opened.values().forEach(Source::close);
      }
    };
  }

  /** This node's part in the dashboard's cluster, or null when it runs alone. */
  ClusterMember member() {
    return member;
  }

  /** Where sources deliver: the current pipeline, swapped by a reload. */
  private static final class Intake implements EventSink {
    private volatile Pipeline target;

    @Override
    public boolean offer(Event event) {
      Pipeline p = target;
      return p != null && p.offer(event);
    }

    @Override
    public boolean full() {
      Pipeline p = target;
      return p == null || p.full();
    }

    @Override
    public void refused() {
      Pipeline p = target;
      if (p != null) {
        p.refused();
      }
    }
  }
}
