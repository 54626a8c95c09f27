package livegraph.examples;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import livegraph.Chart;
import livegraph.Livegraph;

/**
 * A program charting itself with livegraph: its own heap, and the latency of requests to a
 * simulated service, about 200 a second over five endpoints, each with its own log-normal
 * latency.
 *
 * <p>Run it with {@code examples/run-jvm-dashboard.sh [PORT]} and open the address it prints
 * (port 8080 by default; 0 picks a free one). Two threads feed the charts at once, as the
 * threads of a real program would: {@link Livegraph#push} and {@link Livegraph#event} are safe
 * from any thread, never block, and return {@code false} when the dashboard's intake is full;
 * this program then drops the sample and counts it, which is what a program that must not slow
 * down should do.
 */
public final class JvmDashboard implements AutoCloseable {

  /** The simulated endpoints: name, median latency in ms, spread (σ of the log), share of requests. */
  private record Endpoint(String name, double medianMs, double sigma, double share) {}

  private static final Endpoint[] ENDPOINTS = {
      new Endpoint("GET /api/items", 25, 0.4, 0.40),
      new Endpoint("GET /api/search", 80, 0.6, 0.25),
      new Endpoint("GET /static", 3, 0.5, 0.20),
      new Endpoint("POST /login", 120, 0.3, 0.10),
      new Endpoint("POST /api/checkout", 200, 0.7, 0.05),
  };
  private static final int REQUESTS_PER_TICK = 10; // every 50 ms: 200 a second

  private final Livegraph live;
  private final ScheduledExecutorService producers;
  private final LongAdder refused = new LongAdder();
  // Read by serveRequests only; a fixed-rate task never overlaps itself.
  private final SplittableRandom random = new SplittableRandom(42);
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

  private JvmDashboard(Livegraph live, ScheduledExecutorService producers) {
    this.live = live;
    this.producers = producers;
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    JvmDashboard dashboard = start(port);
    Runtime.getRuntime().addShutdownHook(new Thread(dashboard::close, "jvm-dashboard-stop"));
    System.out.println("JVM dashboard at http://127.0.0.1:" + dashboard.live().port() + "/");
    // livegraph's threads are daemons, so they never keep a program running by themselves; this
    // one has no other work, so main waits until the JVM is stopped (Ctrl-C).
    Thread.currentThread().join();
  }

  /** Serves the dashboard on {@code port} (0: a free one) and starts feeding it. */
  public static JvmDashboard start(int port) throws Exception {
    Livegraph live = Livegraph.create(Livegraph.Config.defaults().withCharts("This JVM",
        Chart.line("Heap used (MiB)").id("heap").measure("last(heapMiB)")
            .bucket("1s").retention("10m").series(0),
        Chart.number("Heap used now (MiB)").id("heap-now").measure("last(heapMiB)")
            .window("10s").bucket("1s").sparkline("5m"),
        Chart.histogram("Request latency (ms), last minute").id("latency")
            .field("latencyMs").min(0).max(500).bins(50).window("1m").bucket("1s"),
        Chart.number("p50 latency (ms)").id("p50").measure("p50(latencyMs)")
            .window("1m").bucket("1s"),
        Chart.number("p99 latency (ms)").id("p99").measure("p99(latencyMs)")
            .window("1m").bucket("1s"),
        Chart.table("Endpoints").id("endpoints").by("endpoint")
            .column("Requests", "count")
            .column("Avg ms", "avg(latencyMs)")
            .column("p99 ms", "p99(latencyMs)")
            .windows("1m", "10m", "all"),
        Chart.heatmap("p99 latency by endpoint").id("p99-heatmap").by("endpoint")
            .measure("p99(latencyMs)").bucket("10s").retention("10m"),
        Chart.line("Requests per second").id("rate").by("endpoint").measure("rate")
            .bucket("1s").retention("5m")))
        .start(port);
    ScheduledExecutorService producers = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "jvm-dashboard-producer");
      t.setDaemon(true);
      return t;
    });
    JvmDashboard dashboard = new JvmDashboard(live, producers);
    producers.scheduleAtFixedRate(dashboard::sampleHeap, 0, 1, TimeUnit.SECONDS);
    producers.scheduleAtFixedRate(dashboard::serveRequests, 0, 50, TimeUnit.MILLISECONDS);
    return dashboard;
  }

  /** The running livegraph, e.g. for its {@link Livegraph#port()}. */
  public Livegraph live() {
    return live;
  }

  /** Samples refused because the intake was full. */
  public long refused() {
    return refused.sum();
  }

  private void sampleHeap() {
    double mib = memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    count(live.push("heapMiB", mib));
  }

  private void serveRequests() {
    for (int i = 0; i < REQUESTS_PER_TICK; i++) {
      Endpoint endpoint = pick();
      // Log-normal: the log of the latency is normal around the log of the median.
      double latencyMs = endpoint.medianMs() * Math.exp(endpoint.sigma() * random.nextGaussian());
      count(live.event(Map.of("endpoint", endpoint.name(), "latencyMs", latencyMs)));
    }
  }

  private Endpoint pick() {
    double r = random.nextDouble();
    for (Endpoint endpoint : ENDPOINTS) {
      r -= endpoint.share();
      if (r < 0) {
        return endpoint;
      }
    }
    return ENDPOINTS[ENDPOINTS.length - 1];
  }

  private void count(boolean taken) {
    if (!taken) {
      refused.increment();
    }
  }

  /** Stops feeding and closes the server; idempotent. */
  @Override
  public void close() {
    producers.shutdownNow();
    live.close();
  }
}
