package livegraph;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import livegraph.hub.Hub;
import livegraph.source.SkipReason;
import livegraph.source.Source;
import livegraph.source.SourceStatus;

/**
 * One dashboard's meters in the server's registry, tagged {@code dashboard}: mostly functions
 * read at scrape time from counters its sources, pipeline and hub keep anyway, so the data path
 * pays for nothing but the ingest-to-send timer (one record per frame of new events) and the
 * queue samples (one per viewer per second, on the status ticker).
 *
 * <p>Tags come from configuration only (dashboard and source names, the fixed {@link
 * SkipReason}s), never from viewers or feed data, so the series are bounded. A source a reload
 * removes keeps its series, reading 0 from then on (a counter reset, to Prometheus); a source a
 * reload adds gets its series at once. Threads: the constructor and {@link #sources} run on
 * whoever starts or reloads the dashboard, {@link #sampleQueues} on the status ticker; the
 * registry is thread-safe.
 */
final class DashboardMeters {

  /** Explicit buckets for ingest-to-send: a bounded histogram from 1 ms to 10 s. */
  private static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(150), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10)};

  private final MeterRegistry registry;
  private final DashboardRuntime runtime;
  private final Tags tags;
  private final Timer ingestToSend;
  private final DistributionSummary queueBytes;
  private final Set<String> registered = new HashSet<>(); // guarded by this

  /** Creates the dashboard-wide meters; the hub is not read until a scrape. */
  DashboardMeters(MeterRegistry registry, DashboardRuntime runtime, String dashboard) {
    this.registry = registry;
    this.runtime = runtime;
    this.tags = Tags.of("dashboard", dashboard);
    ingestToSend = Timer.builder("livegraph.ingest.to.send")
        .description("From the pipeline taking a frame's newest event to the frame being queued "
            + "on every viewer's connection")
        .tags(tags)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .minimumExpectedValue(LATENCY_BUCKETS[0])
        .maximumExpectedValue(LATENCY_BUCKETS[LATENCY_BUCKETS.length - 1])
        .register(registry);
    queueBytes = DistributionSummary.builder("livegraph.viewer.queue")
        .description("Bytes queued to each viewer, sampled once a second")
        .baseUnit("bytes")
        .tags(tags)
        .register(registry);
    counter("livegraph.frames.sent", "Frames queued to viewers (deltas, snapshots, status)",
        r -> r.hub().framesOut());
    counter("livegraph.viewers.skipped", "Deltas not sent to a viewer above its high-water mark",
        r -> r.hub().skippedForward());
    counter("livegraph.viewers.dropped", "Viewers closed for making no progress",
        r -> r.hub().dropped());
    counter("livegraph.events.late", "Events older than a chart's longest window, left out",
        r -> r.pipeline().late());
    Gauge.builder("livegraph.viewers", runtime, r -> r.viewers())
        .description("Viewers connected, of the dashboard and its filtered views")
        .tags(tags).register(registry);
    Gauge.builder("livegraph.filtered.views", runtime, r -> r.views().size())
        .description("Filtered views open").tags(tags).register(registry);
  }

  /** The timer the hub records ingest-to-send latency in. */
  Timer ingestToSend() {
    return ingestToSend;
  }

  /**
   * Registers the event counters of sources not seen before: events, dropped, and skipped by
   * each reason. A dashboard fed by the program ({@code Livegraph.event}) counts as the source
   * {@code app}.
   */
  synchronized void sources(Collection<String> names, boolean pushedByProgram) {
    for (String name : names) {
      if (registered.add(name)) {
        sourceCounters(name);
      }
    }
    if (pushedByProgram && registered.add(CodeDashboard.NAME)) {
      Tags source = tags.and("source", CodeDashboard.NAME);
      FunctionCounter.builder("livegraph.events", runtime, r -> r.pushed())
          .description("Events delivered to the pipeline").tags(source).register(registry);
      FunctionCounter.builder("livegraph.events.dropped", runtime, r -> r.pushDropped())
          .description("Events refused by a full intake").tags(source).register(registry);
    }
  }

  private void sourceCounters(String name) {
    Tags source = tags.and("source", name);
    sourceCounter("livegraph.events", "Events delivered to the pipeline", source, name,
        SourceStatus::events);
    sourceCounter("livegraph.events.dropped", "Events refused by a full intake", source, name,
        SourceStatus::dropped);
    for (SkipReason reason : SkipReason.values()) {
      sourceCounter("livegraph.events.skipped", "Frames skipped as bad or irrelevant, by reason",
          source.and("reason", reason.name().toLowerCase(Locale.ROOT)), name,
          s -> s.skipped().getOrDefault(reason, 0L));
    }
  }

  /** A counter read from the named source's status at scrape time; 0 once it is gone. */
  private void sourceCounter(String metric, String description, Tags source, String name,
      ToLongFunction<SourceStatus> f) {
    FunctionCounter.builder(metric, runtime, r -> {
      Source s = r.sources().get(name);
      return s == null ? 0 : f.applyAsLong(s.status());
    }).description(description).tags(source).register(registry);
  }

  /**
   * Registers the journal's meters: acknowledged (written to the file, survives kill -9),
   * refused (writer's queue full), unjournaled (writing failed), write failures, segments
   * dropped by the size bound, its bytes, and whether it is journaling now (1) or stopped (0).
   */
  void journal(livegraph.journal.Journal journal) {
    FunctionCounter.builder("livegraph.journal.acknowledged", journal, j -> j.acknowledged())
        .description("Events written to the journal file (survive a kill -9)").tags(tags)
        .register(registry);
    FunctionCounter.builder("livegraph.journal.refused", journal, j -> j.refused())
        .description("Events not journaled: the writer's queue was full").tags(tags)
        .register(registry);
    FunctionCounter.builder("livegraph.journal.unjournaled", journal, j -> j.unjournaled())
        .description("Events not journaled: writing had failed (disk full)").tags(tags)
        .register(registry);
    FunctionCounter.builder("livegraph.journal.write.failures", journal, j -> j.writeFailures())
        .description("Journal write, force or create errors").tags(tags).register(registry);
    FunctionCounter.builder("livegraph.journal.segments.dropped", journal,
            j -> j.segmentsDropped())
        .description("Oldest segments deleted by the journal's size bound").tags(tags)
        .register(registry);
    Gauge.builder("livegraph.journal.replayed", journal, j -> j.replayed().events())
        .description("Events replayed from the journal at start").tags(tags).register(registry);
    Gauge.builder("livegraph.journal.bytes", journal, j -> j.bytes())
        .description("Bytes of the journal's segment files").baseUnit("bytes").tags(tags)
        .register(registry);
    Gauge.builder("livegraph.journal.ok", journal, j -> j.failure() == null ? 1 : 0)
        .description("1 while journaling, 0 while stopped by a write error").tags(tags)
        .register(registry);
  }

  /** The dashboard's cluster counters and states; each read from the member when scraped. */
  void cluster(livegraph.cluster.ClusterMember member) {
    FunctionCounter.builder("livegraph.cluster.events.read", member, m -> m.status().events())
        .description("Events read from the cluster's stream, each identity once").tags(tags)
        .register(registry);
    FunctionCounter.builder("livegraph.cluster.duplicates", member,
            m -> m.status().duplicates())
        .description("Events read again (a retried write, a re-read upstream), dropped by identity")
        .tags(tags).register(registry);
    FunctionCounter.builder("livegraph.cluster.ticks", member, m -> m.status().ticks())
        .description("Tick entries read: frames cut").tags(tags).register(registry);
    FunctionCounter.builder("livegraph.cluster.written", member, m -> m.status().written())
        .description("Events this node wrote to the stream while it led").tags(tags)
        .register(registry);
    FunctionCounter.builder("livegraph.cluster.dropped", member, m -> m.status().dropped())
        .description("Events this node read while leading and could not queue for the stream")
        .tags(tags).register(registry);
    FunctionCounter.builder("livegraph.cluster.fenced", member, m -> m.status().fenced())
        .description("Events refused by Redis because another node held the lease").tags(tags)
        .register(registry);
    FunctionCounter.builder("livegraph.cluster.read.failures", member,
            m -> m.status().readFailures())
        .description("Failed stream reads (each followed by a backoff)").tags(tags)
        .register(registry);
    FunctionCounter.builder("livegraph.cluster.trimmed", member, m -> m.status().trimmed())
        .description("Entries trimmed before this node read them").tags(tags)
        .register(registry);
    Gauge.builder("livegraph.cluster.leader", member, m -> m.status().leader() ? 1 : 0)
        .description("1 while this node ingests the dashboard's sources").tags(tags)
        .register(registry);
    Gauge.builder("livegraph.cluster.live", member,
            m -> m.status().state() == livegraph.cluster.ClusterMember.State.LIVE ? 1 : 0)
        .description("1 when caught up with the stream and Redis answers").tags(tags)
        .register(registry);
  }

  /** Samples every viewer's queued bytes, the dashboard's and its views'; status ticker. */
  void sampleQueues() {
    runtime.hub().queuedBytes(queueBytes::record);
    for (Hub hub : runtime.views().hubsByView().values()) {
      hub.queuedBytes(queueBytes::record);
    }
  }

  private void counter(String name, String description, ToDoubleFunction<DashboardRuntime> f) {
    FunctionCounter.builder(name, runtime, f).description(description).tags(tags)
        .register(registry);
  }
}
