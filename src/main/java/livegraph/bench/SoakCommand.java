package livegraph.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import livegraph.Transport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code livegraph bench soak}: livegraph from its jar in a process of its own, fed at {@code
 * --rate} for {@code --duration} and watched by {@code --viewers} viewers from this process
 * (the fan-out bench's {@link Feeder}, {@link Target} and {@link Viewers}), sampled every {@code
 * --sample}: the server's RSS from {@code /proc}; heap used and committed, the viewers' queued
 * bytes, events in and dropped, skipped and dropped viewers and close reasons from its {@code
 * /metrics}; deltas delivered from the viewers. Optionally with misbehaving viewers beside them
 * ({@link FaultyViewers}), to measure what those cost the healthy ones.
 *
 * <p>Reports, after the warm-up: the RSS slope (least squares, KiB per minute), the largest
 * heap and queue, the healthy viewers' latency p50/p99 and gaps; writes the time series and
 * summary to {@code OUT/NAME.json} (and standard output) and the plot to {@code OUT/NAME.html}
 * and {@code .png}. Exits 1 when viewers failed to connect or were closed, nothing was
 * delivered, or a bound given by {@code --max-rss-slope} or {@code --max-heap} was exceeded.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Feeds livegraph at --rate for --duration with --viewers viewers and samples its heap,"
          + " RSS, viewer queues, events in/dropped and deltas delivered every --sample; reports"
          + " the RSS slope after --warmup, as JSON with a plot.",
      "Example: livegraph bench soak --rate 1000 --viewers 1000 --duration 10m"
    })
final class SoakCommand implements Callable<Integer> {

  private static final int FDS_BESIDES_VIEWERS = 200;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration DRAIN = Duration.ofMillis(500);

  @Option(names = "--rate", defaultValue = "1000", description = "Events per second sent by the feeder. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--viewers", defaultValue = "1000", description = "Healthy viewers. Default: ${DEFAULT-VALUE}.")
  int viewers;

  @Option(names = "--duration", defaultValue = "10m", converter = Seconds.class, description = "Feeding time in all, warm-up included. Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "60s", converter = Seconds.class, description = "The first part of --duration, left out of the slope and the latency. Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(names = "--sample", defaultValue = "1s", converter = Seconds.class, description = "Time between samples. Default: ${DEFAULT-VALUE}.")
  Duration sample;

  @Option(names = "--stalled", defaultValue = "0", description = "Viewers beside the healthy ones that never read (replaced every 40 s). Default: ${DEFAULT-VALUE}.")
  int stalled;

  @Option(names = "--flooders", defaultValue = "0", description = "Viewers that each connect once a second, send 100 messages at once and are closed. Default: ${DEFAULT-VALUE}.")
  int flooders;

  @Option(names = "--max-rss-slope", defaultValue = "-1", paramLabel = "KiB/min", description = "Fail when the RSS slope after the warm-up exceeds this. Default: no bound.")
  double maxRssSlope;

  @Option(names = "--max-heap", defaultValue = "-1", paramLabel = "MiB", description = "Fail when the heap used ever exceeds this. Default: no bound.")
  double maxHeapMiB;

  @Option(names = "--out", defaultValue = "target/bench", description = "Directory for the JSON, the plot and the server's log. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(names = "--name", defaultValue = "soak", description = "Base name of the output files. Default: ${DEFAULT-VALUE}.")
  String name;








  @CommandLine.Mixin ServerAndViewerOptions common;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    validate();
    PrintStream progress = System.err;
    Target target = Target.livegraph(common.jar, common.serverJvm(), common.dashboardText(spec.commandLine()), false);
    Optional<String> skip = target.skipReason();
    if (skip.isPresent()) {
      progress.println("soak: " + skip.get());
      return 1;
    }
    Path logs = out.resolve("logs").resolve(name);
    Files.createDirectories(logs);
    MicroClock clock = MicroClock.system();
    HttpClient http = HttpClient.newHttpClient();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("tool", "livegraph bench soak");
    doc.put("started", Instant.now().toString());
    doc.put("machine", Machine.describe());
    doc.put("settings", settings());
    List<Map<String, Object>> samples = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Map<String, Object> summary = new LinkedHashMap<>();

    EventLoopGroup clients = Transport.group(common.clientThreads, "bench-viewer");
    try (Feeder feeder = new Feeder(new EventLines(common.seed, 512), clock, 0, common.seed);
        Target.Running server = target.start(feeder.port(), logs, name)) {
      if (!feeder.awaitConsumer(Duration.ofSeconds(60))) {
        throw new IOException("livegraph did not connect to the feeder within 60 s");
      }
      int port = server.uri().getPort();
      long pid = server.pid().orElseThrow();
      try (Viewers v = new Viewers(clients, server.uri(), target.protocol, clock);
          FaultyViewers faulty = new FaultyViewers(port, server.uri().getPath(), stalled,
              flooders)) {
        int ready = v.open(viewers, common.ramp, CONNECT_TIMEOUT);
        progress.printf("soak: %d of %d viewers ready%s%n", ready, viewers,
            v.failed() > 0 ? " (" + v.failed() + " failed: " + v.firstFailure() + ")" : "");
        summary.put("connected", ready);
        if (ready < viewers) {
          problems.add("only " + ready + " of " + viewers + " viewers connected");
        }
        faulty.start();
        long sentBefore = feeder.sent();
        feeder.start(rate);
        long startNanos = System.nanoTime();
        long fromMicros = clock.micros();
        v.measure(fromMicros, fromMicros + duration.toNanos() / 1000 + DRAIN.toNanos() / 1000);
        Tally atWarmup = null;
        Sampler sampler = new Sampler(http, port, pid, viewers);
        double lastProgress = 0;
        for (long i = 1; ; i++) {
          // A slot missed on a busy machine is skipped, not caught up with samples in a burst.
          i = Math.max(i, (System.nanoTime() - startNanos) / sample.toNanos() + 1);
          long due = startNanos + i * sample.toNanos();
          if (due - startNanos > duration.toNanos()) {
            break;
          }
          sleepUntil(due);
          double t = (System.nanoTime() - startNanos) / 1e9;
          Tally now = v.collect();
          if (atWarmup == null && t >= warmup.toNanos() / 1e9) {
            atWarmup = now;
          }
          Map<String, Object> s = sampler.take(t, now.frames, feeder.sent() - sentBefore);
          samples.add(s);
          if (t - lastProgress >= 10) {
            lastProgress = t;
            progress.printf("soak: %.0f s: RSS %d MiB, heap %.0f/%.0f MiB, queue max %.0f KiB,"
                    + " %.0f events/s in, %.0f dropped/s, %.1f deltas/s per viewer, load %.2f%n",
                t, ((Number) s.get("rssKiB")).longValue() / 1024,
                num(s.get("heapUsedBytes")) / 1048576, num(s.get("heapCommittedBytes")) / 1048576,
                num(s.get("queueBytesMax")) / 1024, num(s.get("eventsInPerSecond")),
                num(s.get("eventsDroppedPerSecond")), num(s.get("deliveredPerViewerPerSecond")),
                Machine.load1());
          }
        }
        feeder.stop();
        Thread.sleep(DRAIN.toMillis());
        Tally end = v.collect();
        summary.put("closedEarly", v.closedEarly());
        if (v.closedEarly() > 0) {
          problems.add(v.closedEarly() + " healthy viewers were closed during the soak");
        }
        if (end.frames == 0) {
          problems.add("no frame was delivered");
        }
        summarise(summary, samples, atWarmup == null ? new Tally() : atWarmup, end);
        summary.put("eventsSent", feeder.sent() - sentBefore);
        summary.put("faultyViewers", faulty.report());
        summary.put("loadAtEnd", Machine.load1());
      }
    } finally {
      clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
    double slope = num(summary.get("rssSlopeKiBPerMinute"));
    if (maxRssSlope >= 0 && !(slope <= maxRssSlope)) {
      problems.add(String.format("RSS slope %.0f KiB/min is over the bound of %.0f", slope,
          maxRssSlope));
    }
    double heapMiB = num(summary.get("heapUsedMaxBytes")) / 1048576;
    if (maxHeapMiB >= 0 && !(heapMiB <= maxHeapMiB)) {
      problems.add(String.format("heap used reached %.0f MiB, over the bound of %.0f MiB",
          heapMiB, maxHeapMiB));
    }
    summary.put("problems", problems);
    doc.put("summary", summary);
    doc.put("samples", samples);
    doc.put("finished", Instant.now().toString());

    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    String text = json.writeValueAsString(FanoutCommand.nullForNaN(doc));
    Files.createDirectories(out);
    Path jsonFile = out.resolve(name + ".json");
    Files.writeString(jsonFile, text + "\n", StandardCharsets.UTF_8);
    System.out.println(json.writeValueAsString(FanoutCommand.nullForNaN(summary)));
    progress.println("soak: wrote " + jsonFile);
    if (!common.noPlot && !samples.isEmpty()) {
      String title = String.format("Soak: %s events/s, %d viewers%s, %s", fmt(rate), viewers,
          stalled + flooders > 0 ? " + " + stalled + " stalled, " + flooders + " flooding" : "",
          duration.toSeconds() % 60 == 0 ? duration.toMinutes() + " min"
              : duration.toSeconds() + " s");
      progress.println("soak: " + SoakPlot.write(title, samples, warmup.toMillis() / 1000.0,
          out.resolve(name + ".html"), out.resolve(name + ".png")));
    }
    progress.printf("soak: RSS slope %.0f KiB/min after the warm-up, heap used max %.0f MiB,"
            + " queue max %.0f KiB, healthy p50 %.1f ms, p99 %.1f ms, %s gaps%n", slope, heapMiB,
        num(summary.get("queueBytesMax")) / 1024, num(summary.get("latencyP50Millis")),
        num(summary.get("latencyP99Millis")), summary.get("gaps"));
    for (String p : problems) {
      progress.println("soak: FAILED: " + p);
    }
    return problems.isEmpty() ? 0 : 1;
  }

  /** Fills the summary from the samples after the warm-up and the tallies. */
  private void summarise(Map<String, Object> summary, List<Map<String, Object>> samples,
      Tally atWarmup, Tally end) {
    double from = warmup.toNanos() / 1e9;
    List<Map<String, Object>> after = samples.stream()
        .filter(s -> num(s.get("t")) >= from).toList();
    double[] x = after.stream().mapToDouble(s -> num(s.get("t")) / 60).toArray();
    double[] rss = after.stream().mapToDouble(s -> num(s.get("rssKiB"))).toArray();
    summary.put("samplesAfterWarmup", after.size());
    summary.put("rssSlopeKiBPerMinute", LeastSquares.slope(x, rss));
    summary.put("rssAtWarmupKiB", rss.length == 0 ? Double.NaN : rss[0]);
    summary.put("rssEndKiB", rss.length == 0 ? Double.NaN : rss[rss.length - 1]);
    summary.put("rssMaxKiB", max(samples, "rssKiB"));
    summary.put("heapUsedMaxBytes", max(samples, "heapUsedBytes"));
    summary.put("heapCommittedMaxBytes", max(samples, "heapCommittedBytes"));
    summary.put("heapUsedAfterWarmupMeanBytes", after.stream()
        .mapToDouble(s -> num(s.get("heapUsedBytes"))).average().orElse(Double.NaN));
    summary.put("queueBytesMax", max(samples, "queueBytesMax"));
    summary.put("queueBytesMeanAfterWarmup", after.stream()
        .mapToDouble(s -> num(s.get("queueBytesMean"))).filter(Double::isFinite).average()
        .orElse(Double.NaN));
    Map<String, Object> last = samples.isEmpty() ? Map.of() : samples.get(samples.size() - 1);
    for (String k : List.of("eventsIn", "eventsDropped", "eventsSkipped", "framesSent",
        "viewersSkipped", "viewersDropped", "closes", "delivered")) {
      summary.put(k, last.get(k));
    }
    Tally measured = end.copy();
    measured.latencyMicros.subtract(atWarmup.latencyMicros);
    summary.put("deliveredAfterWarmup", end.frames - atWarmup.frames);
    summary.put("gaps", end.gaps - atWarmup.gaps);
    summary.put("latencyP50Millis", measured.latencyMillis(50));
    summary.put("latencyP99Millis", measured.latencyMillis(99));
    summary.put("latencyMaxMillis", measured.maxLatencyMillis());
    summary.put("latencySamples", measured.latencyMicros.getTotalCount());
  }

  /** One sample after another: the server's figures, and rates from the previous sample. */
  private static final class Sampler {
    private final HttpClient http;
    private final int port;
    private final long pid;
    private final int viewers;
    private Map<String, Object> previous;
    private double previousQueueSum;
    private double previousQueueCount;

    Sampler(HttpClient http, int port, long pid, int viewers) {
      this.http = http;
      this.port = port;
      this.pid = pid;
      this.viewers = viewers;
    }

    Map<String, Object> take(double t, long delivered, long fed) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("t", Math.round(t * 1000) / 1000.0);
      s.put("rssKiB", ProcSample.of(pid).map(ProcSample::rssKiB).orElse(-1L));
      s.put("load1", Machine.load1());
      s.put("fed", fed);
      s.put("delivered", delivered);
      try {
        Scrape m = Scrape.of(http, port);
        s.put("heapUsedBytes", m.sum("jvm_memory_used_bytes", "area", "heap"));
        s.put("heapCommittedBytes", m.sum("jvm_memory_committed_bytes", "area", "heap"));
        s.put("viewers", m.sum("livegraph_viewers"));
        double queueSum = m.sum("livegraph_viewer_queue_bytes_sum");
        double queueCount = m.sum("livegraph_viewer_queue_bytes_count");
        s.put("queueBytesMax", m.max("livegraph_viewer_queue_bytes_max"));
        s.put("queueBytesMean", queueCount > previousQueueCount
            ? (queueSum - previousQueueSum) / (queueCount - previousQueueCount) : Double.NaN);
        previousQueueSum = queueSum;
        previousQueueCount = queueCount;
        s.put("eventsIn", m.sum("livegraph_events_total"));
        s.put("eventsDropped", m.sum("livegraph_events_dropped_total"));
        s.put("eventsSkipped", m.sum("livegraph_events_skipped_total"));
        s.put("framesSent", m.sum("livegraph_frames_sent_total"));
        s.put("viewersSkipped", m.sum("livegraph_viewers_skipped_total"));
        s.put("viewersDropped", m.sum("livegraph_viewers_dropped_total"));
        s.put("closes", m.sum("livegraph_viewer_closes_total"));
      } catch (IOException e) {
        s.put("scrapeError", String.valueOf(e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (previous != null) {
        double dt = t - num(previous.get("t"));
        s.put("eventsInPerSecond", rate(s, "eventsIn", dt));
        s.put("eventsDroppedPerSecond", rate(s, "eventsDropped", dt));
        s.put("deliveredPerViewerPerSecond", rate(s, "delivered", dt) / viewers);
      }
      previous = s;
      return s;
    }

    private double rate(Map<String, Object> s, String key, double dt) {
      Object now = s.get(key);
      Object before = previous.get(key);
      if (!(now instanceof Number) || !(before instanceof Number) || dt <= 0) {
        return Double.NaN;
      }
      return (num(now) - num(before)) / dt;
    }
  }

  private static double max(List<Map<String, Object>> samples, String key) {
    return samples.stream().map(s -> s.get(key)).filter(o -> o instanceof Number)
        .mapToDouble(SoakCommand::num).max().orElse(Double.NaN);
  }

  private static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long wait;
    while ((wait = nanos - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  private void validate() {
    CommandLine cl = spec.commandLine();
    if (viewers < 1) {
      throw new CommandLine.ParameterException(cl, "--viewers must be positive: " + viewers);
    }
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new CommandLine.ParameterException(cl, "--rate must be positive: " + rate);
    }
    if (duration.isZero() || sample.isZero() || sample.compareTo(duration) > 0) {
      throw new CommandLine.ParameterException(cl, "--duration and --sample must be positive,"
          + " --sample at most --duration: " + duration + ", " + sample);
    }
    if (warmup.compareTo(duration) >= 0) {
      throw new CommandLine.ParameterException(cl, "--warmup (" + warmup.toSeconds()
          + " s) must be shorter than --duration (" + duration.toSeconds() + " s)");
    }
    if (stalled < 0 || flooders < 0 || common.ramp < 1) {
      throw new CommandLine.ParameterException(cl, "--stalled and --flooders must not be"
          + " negative, --ramp must be positive");
    }
    OptionalLong limit = Machine.openFilesLimit();
    int needed = viewers + stalled + flooders + FDS_BESIDES_VIEWERS;
    if (limit.isPresent() && limit.getAsLong() < needed) {
      throw new CommandLine.ParameterException(cl, "the soak needs at least " + needed
          + " open files, but the limit is " + limit.getAsLong() + ": raise it with ulimit -n");
    }
  }



  private Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rate", rate);
    m.put("viewers", viewers);
    m.put("durationSeconds", duration.toMillis() / 1000.0);
    m.put("warmupSeconds", warmup.toMillis() / 1000.0);
    m.put("sampleSeconds", sample.toMillis() / 1000.0);
    m.put("stalled", stalled);
    m.put("flooders", flooders);
    m.put("maxRssSlopeKiBPerMinute", maxRssSlope);
    m.put("maxHeapMiB", maxHeapMiB);
    m.put("dashboard", common.dashboard);
    m.put("serverJvmOptions", common.serverJvmOptions);
    m.put("clientThreads", common.clientThreadsResolved());
    m.put("seed", common.seed);
    return m;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
