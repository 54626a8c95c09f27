package livegraph.bench;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One measurement: a fresh server under test, its feeder connection, {@code viewers} viewers,
 * a warm-up and a measured period, and the figures that come out of it.
 *
 * <p>Order, so that each figure means one thing:
 * <ol>
 *   <li>start the server; wait until it connected to the feeder;
 *   <li>open and close a few viewers (code paths warmed, so the next sample is not the JIT's);
 *   <li>RSS "before"; open the viewers at a bounded rate; let them settle; RSS "idle": the
 *       difference over the viewers is the memory an idle viewer costs (no event sent yet);
 *   <li>start the feed; warm up; then the measured period, with the server's CPU time read
 *       at its start and end and only frames received inside it counted;
 *   <li>stop the feed, collect, close the viewers, stop the server.
 * </ol>
 */
final class FanoutRun {

  /** How each measurement runs. */
  record Settings(double rate, Duration warmup, Duration measured, int rampPerSecond,
      Duration settle, int prewarmViewers) {}

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration DRAIN = Duration.ofMillis(500);

  private FanoutRun() {}

  static Map<String, Object> measure(Target target, int viewers, int run, Settings s,
      Feeder feeder, EventLoopGroup clients, MicroClock clock, Path logs, PrintStream progress)
      throws IOException, InterruptedException {
    String label = target.name + "-" + viewers + "-" + run;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("target", target.name);
    r.put("viewers", viewers);
    r.put("run", run);
    r.put("rate", s.rate());
    try (Target.Running server = target.start(feeder.port(), logs, label)) {
      if (!feeder.awaitConsumer(Duration.ofSeconds(60))) {
        throw new IOException(target.name + " did not connect to the feeder on 127.0.0.1:"
            + feeder.port() + " within 60 s");
      }
      List<Long> pids = server.pids();
      if (s.prewarmViewers() > 0) {
        try (Viewers warm = new Viewers(clients, server.uri(), target.protocol, clock)) {
          warm.open(Math.min(s.prewarmViewers(), viewers), s.rampPerSecond(), CONNECT_TIMEOUT);
          Thread.sleep(s.settle().toMillis() / 2);
        }
      }
      Thread.sleep(s.settle().toMillis());
      Optional<ProcSample> before = sample(pids);
      try (Viewers v = new Viewers(clients, server.uri(), target.protocol, clock)) {
        long rampStart = System.nanoTime();
        int ready = v.open(viewers, s.rampPerSecond(), CONNECT_TIMEOUT);
        double rampSeconds = (System.nanoTime() - rampStart) / 1e9;
        progress.printf("  %s: %d of %d viewers ready in %.1f s%s%n", label, ready, viewers,
            rampSeconds, v.failed() > 0 ? " (" + v.failed() + " failed: " + v.firstFailure() + ")"
                : "");
        r.put("connected", ready);
        r.put("connectFailures", v.failed());
        r.put("connectSeconds", rampSeconds);
        Thread.sleep(s.settle().toMillis());
        Optional<ProcSample> idle = sample(pids);

        long sentBefore = feeder.sent();
        long notSentBefore = feeder.notSent();
        feeder.start(s.rate());
        Thread.sleep(s.warmup().toMillis());
        long from = clock.micros();
        long to = from + s.measured().toNanos() / 1000;
        v.measure(from, to);
        Optional<ProcSample> cpuFrom = sample(pids);
        Optional<ProcSample> clientFrom = ProcSample.of(ProcessHandle.current().pid());
        sleepUntil(clock, to);
        Optional<ProcSample> cpuTo = sample(pids);
        Optional<ProcSample> clientTo = ProcSample.of(ProcessHandle.current().pid());
        double load = Machine.load1();
        feeder.stop();
        Thread.sleep(DRAIN.toMillis());
        Tally t = v.collect();
        double seconds = s.measured().toNanos() / 1e9;

        r.put("framesPerSecond", t.frames / seconds);
        r.put("eventsRepresentedPerSecond", t.represented / seconds);
        r.put("bytesPerFrame", t.frames == 0 ? Double.NaN : t.bytes / (double) t.frames);
        r.put("controlFramesPerSecond", t.controlFrames / seconds);
        r.put("latencyP50Millis", t.latencyMillis(50));
        r.put("latencyP99Millis", t.latencyMillis(99));
        r.put("latencyMaxMillis", t.maxLatencyMillis());
        r.put("latencySamples", t.latencyMicros.getTotalCount());
        r.put("gaps", t.gaps);
        r.put("repeats", t.repeats);
        r.put("closedEarly", v.closedEarly());
        r.put("cpuMicrosPerDelivery", cpuFrom.isPresent() && cpuTo.isPresent()
            ? ProcSample.cpuMicrosPerDelivery(cpuFrom.get(), cpuTo.get(), t.frames) : Double.NaN);
        r.put("serverCpuCores", cpuFrom.isPresent() && cpuTo.isPresent()
            ? ProcSample.cpuMicros(cpuFrom.get(), cpuTo.get()) / 1e6 / seconds : Double.NaN);
        r.put("clientCpuCores", clientFrom.isPresent() && clientTo.isPresent()
            ? ProcSample.cpuMicros(clientFrom.get(), clientTo.get()) / 1e6 / seconds
            : Double.NaN);
        r.put("rssPerViewerKiB", before.isPresent() && idle.isPresent()
            ? ProcSample.rssPerViewerKiB(before.get(), idle.get(), ready) : Double.NaN);
        r.put("rssBeforeKiB", before.map(ProcSample::rssKiB).orElse(-1L));
        r.put("rssIdleKiB", idle.map(ProcSample::rssKiB).orElse(-1L));
        r.put("rssEndKiB", cpuTo.map(ProcSample::rssKiB).orElse(-1L));
        r.put("eventsSent", feeder.sent() - sentBefore);
        r.put("eventsNotSent", feeder.notSent() - notSentBefore);
        r.put("load1", load);
        progress.printf("  %s: %.0f frames/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d gaps,"
                + " %.2f µs CPU/frame, server %.2f and client %.2f cores, %.1f KiB/viewer,"
                + " load %.2f%n", label, t.frames / seconds, t.latencyMillis(50),
            t.latencyMillis(99), t.maxLatencyMillis(), t.gaps, r.get("cpuMicrosPerDelivery"),
            r.get("serverCpuCores"), r.get("clientCpuCores"), r.get("rssPerViewerKiB"), load);
      }
    } finally {
      feeder.stop();
      if (target.managed()) {
        feeder.disconnectAll();
      }
    }
    return r;
  }

  private static Optional<ProcSample> sample(List<Long> pids) {
    return ProcSample.ofAll(pids);
  }

  private static void sleepUntil(MicroClock clock, long micros) throws InterruptedException {
    long wait;
    while ((wait = micros - clock.micros()) > 0) {
      Thread.sleep(Math.max(1, wait / 1000));
    }
  }
}
