package livegraph.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import livegraph.pipeline.ChartSpec;
import livegraph.pipeline.ChartSpecs;
import livegraph.pipeline.Window;

/** What a dashboard file or a {@code --chart} flag gets for each key it leaves out. */
final class Defaults {

  static final Duration BUCKET = Duration.ofSeconds(10);
  static final int TOP = 10;
  static final Duration RETENTION = Duration.ofHours(1);
  static final int SERIES = 5;
  static final int LIST_SIZE = 50;
  static final Duration WINDOW = Duration.ofMinutes(10);
  static final int BINS = 20;
  static final int MAX_KEYS = 5000;
  static final Duration SILENCE = Duration.ofMinutes(5);
  static final int MQTT_VERSION = 3;
  static final String TCP_HOST = "127.0.0.1";

  /**
   * Coarser buckets tried, in order, when a time series left its bucket to the default and 10 s
   * buckets would exceed a chart's memory limit (sketch measures per key over an hour).
   */
  static final List<Duration> COARSER_BUCKETS = List.of(Duration.ofSeconds(15),
      Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofMinutes(1));

  private Defaults() {}

  /** 10m, 1h and since start, labelled "10 min", "1 hour", "since start". */
  static List<Window> windows() {
    return List.of(sliding(Duration.ofMinutes(10)), sliding(Duration.ofHours(1)), sinceStart());
  }

  static Window sliding(Duration length) {
    return new Window(DurationText.shortText(length), DurationText.label(length), length);
  }

  static Window sinceStart() {
    return Window.sinceStart("all", "since start");
  }

  /**
   * {@link #MAX_KEYS}, or fewer when that many would exceed a chart's memory limit: as many as
   * fit. The estimate is linear in the keys, so one key's estimate says how many fit.
   *
   * @param build the chart with the given maxKeys; may throw for reasons of its own, which the
   *     real construction will then report
   */
  static int maxKeysThatFit(IntFunction<ChartSpec> build) {
    long perKey;
    try {
      perKey = ChartSpecs.estimateBytes(build.apply(1));
    } catch (IllegalArgumentException e) {
      return MAX_KEYS;
    }
    long fit = ChartSpecs.MAX_CHART_BYTES / Math.max(1, perKey);
    return (int) Math.max(1, Math.min(MAX_KEYS, fit));
  }

  /**
   * The default bucket, or the first coarser one whose chart fits the memory bound: a sketch
   * measure per key over an hour does not fit in 10 s buckets, and a chart that never named a
   * bucket should not fail for it. Other complaints are left to the real construction.
   */
  static Duration bucketThatFits(Function<Duration, ChartSpec> build) {
    List<Duration> candidates = new ArrayList<>();
    candidates.add(BUCKET);
    candidates.addAll(COARSER_BUCKETS);
    for (Duration bucket : candidates) {
      try {
        build.apply(bucket);
        return bucket;
      } catch (IllegalArgumentException e) {
        if (e.getMessage() == null || !e.getMessage().contains("MiB limit")) {
          return BUCKET;
        }
      }
    }
    return BUCKET;
  }
}
