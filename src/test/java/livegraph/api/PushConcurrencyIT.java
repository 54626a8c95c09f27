package livegraph.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import livegraph.Chart;
import livegraph.Livegraph;
import livegraph.source.SourceStatus;
import livegraph.testing.Poll;
import livegraph.testing.TestViewer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Java API under contention: eight threads each push a million values at one dashboard at
 * once, half through {@code push(field, value)} and half through {@code event(map)}; a refused
 * value (full intake) is offered again until taken. Every chart then shows exactly what was
 * taken, read both from the hub and over {@code /ws} as a browser would.
 *
 * <p>Thread {@code k} sends the integers {@code k·N … (k+1)·N − 1}: the values are all different,
 * their sum (about 3.2·10¹³) is exact in a double, and a histogram with a bin per thread counts
 * each thread's values separately whichever method sent them.
 */
class PushConcurrencyIT {

  private static final int THREADS = 8;
  private static final int PER_THREAD = 1_000_000;
  private static final long TOTAL = (long) THREADS * PER_THREAD;
  private static final double SUM = (double) TOTAL * (TOTAL - 1) / 2; // 0 + 1 + … + (TOTAL − 1)
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Generous: about 100,000 events/s on a loaded two-core machine, ten times that on a quiet one. */
  private static final Duration PUSHING = Duration.ofMinutes(5);

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void eightThreads_pushAMillionEach_chartsShowExactlyWhatWasTaken() throws Exception {
    Livegraph.Config config = Livegraph.Config.defaults()
        .withIntake(1 << 16)
        .withCharts("Push under contention",
            Chart.number("Events").id("events").measure("count").window("all"),
            Chart.number("Sum of v").id("sum").measure("sum(v)").window("all"),
            Chart.histogram("Values per thread").id("per-thread").field("v")
                .min(0).max(TOTAL).bins(THREADS).window("all"),
            Chart.bar("Events by thread").id("by-thread").by("thread").windows("all"));
    try (Livegraph live = Livegraph.create(config).start(0)) {
      long[] refused = new long[THREADS];
      CyclicBarrier go = new CyclicBarrier(THREADS + 1);
      ExecutorService pushers = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> done = new ArrayList<>();
      try {
        for (int k = 0; k < THREADS; k++) {
          int thread = k;
          done.add(pushers.submit(() -> {
            go.await();
            refused[thread] = pushAll(live, thread);
            return null;
          }));
        }
        go.await();
        long started = System.nanoTime();
        for (Future<?> f : done) {
          f.get(PUSHING.toSeconds(), TimeUnit.SECONDS);
        }
        long pushedNanos = System.nanoTime() - started;
        Poll.until(WAIT, () -> number(live.hub().charts(), "events") == TOTAL,
            "the events chart to reach " + TOTAL);
        long shownNanos = System.nanoTime() - started;
        long refusals = 0;
        for (long r : refused) {
          refusals += r;
        }
        System.out.printf("PushConcurrencyIT: %d threads pushed %,d events in %d ms (%,.0f events/s);"
                + " all shown after %d ms (%,.0f events/s end to end); %,d offers refused and retried%n",
            THREADS, TOTAL, pushedNanos / 1_000_000, TOTAL * 1e9 / pushedNanos,
            shownNanos / 1_000_000, TOTAL * 1e9 / shownNanos, refusals);

        assertExact(live.hub().charts(), "the hub's chart states");
        SourceStatus status = live.sourceStatus();
        assertThat(status.events()).as("events taken").isEqualTo(TOTAL);
        assertThat(status.dropped()).as("each refusal counted once").isEqualTo(refusals);

        try (TestViewer viewer = TestViewer.connect(
            URI.create("ws://127.0.0.1:" + live.port() + "/ws"), null)) {
          JsonNode snapshot = viewer.until(WAIT, "a snapshot", m -> "snapshot".equals(m.path("type").asText()));
          assertExact(states(snapshot.get("charts")), "the snapshot sent over /ws");
        }
      } finally {
        pushers.shutdownNow();
      }
    }
  }

  /** Sends thread {@code k}'s values; returns how many offers were refused (each retried). */
  private static long pushAll(Livegraph live, int k) {
    boolean useEvent = k >= THREADS / 2;
    String name = "t" + k;
    long refused = 0;
    for (int i = 0; i < PER_THREAD; i++) {
      long v = (long) k * PER_THREAD + i;
      while (!(useEvent ? live.event(Map.of("v", v, "thread", name)) : live.push("v", v))) {
        refused++;
        // Let the pipeline thread drain: on a small machine a spinning producer starves it.
        Thread.yield();
      }
    }
    return refused;
  }

  private static void assertExact(Map<String, byte[]> charts, String where) {
    assertThat(number(charts, "events")).as("count in " + where).isEqualTo(TOTAL);
    assertThat(tree(charts, "sum").get("value").asDouble()).as("sum in " + where).isEqualTo(SUM);

    JsonNode histogram = tree(charts, "per-thread");
    List<Long> perThread = new ArrayList<>();
    histogram.get("counts").forEach(c -> perThread.add(c.asLong()));
    assertThat(perThread).as("values of each thread in " + where)
        .isEqualTo(Collections.nCopies(THREADS, (long) PER_THREAD));
    assertThat(histogram.get("under").asLong() + histogram.get("over").asLong()).isZero();

    JsonNode bars = tree(charts, "by-thread").get("windows").get("all");
    assertThat(bars.get("x").toString()).as("threads that sent events with a name, in " + where)
        .isEqualTo("[\"t4\",\"t5\",\"t6\",\"t7\"]");
    assertThat(bars.get("columns").get(0).toString())
        .isEqualTo("[" + String.join(",", Collections.nCopies(THREADS / 2, "" + PER_THREAD)) + "]");
  }

  private static long number(Map<String, byte[]> charts, String id) {
    JsonNode value = tree(charts, id).get("value");
    return value == null || value.isNull() ? -1 : value.asLong();
  }

  private static JsonNode tree(Map<String, byte[]> charts, String id) {
    try {
      return JSON.readTree(charts.get(id));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The snapshot's chart states as the hub holds them: id → JSON bytes. */
  private static Map<String, byte[]> states(JsonNode charts) {
    Map<String, byte[]> states = new java.util.LinkedHashMap<>();
    charts.fields().forEachRemaining(e -> states.put(e.getKey(), e.getValue().toString().getBytes(
        java.nio.charset.StandardCharsets.UTF_8)));
    return states;
  }
}
