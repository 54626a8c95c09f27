package livegraph.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The memory bounds of charts, checked when a spec is built so a dashboard that would not fit
 * fails at load with a message saying why, instead of exhausting the heap hours later.
 *
 * <h2>The estimate</h2>
 *
 * <p>A chart keeps, per time bucket, one row of cells per key (see {@link BucketRing}), plus one
 * row per key for each window's total or merge and for "since start". The estimate is the worst
 * case of that layout, every tracked key present in every bucket: {@code rows x row bytes} where
 * a row costs twice (arrays grow by doubling) its key slot and primitive cells, plus its
 * sketches. Cell sizes: count 8 B; sum, avg, rate(F) 16 B; last 24 B; min, max 8 B; distinct 2 KiB
 * (HLL with lgK 11, 8-bit registers); quantile 2 KiB. The quantile figure is a DDSketch whose
 * values span about two decades (a dense store of ~256 bins); one spanning the whole 2048-bin
 * bound takes 32 KiB (positive and negative stores), so a chart of wildly spread values can use
 * more than estimated, never more than 16 times. Distinct keys cost a further 128 B each.
 */
public final class ChartSpecs {

  /** Upper bound on the buckets of one window, retention or sparkline. */
  public static final int MAX_BUCKETS = Checks.MAX_BUCKETS;

  /** Upper bound on {@link #estimateBytes} of one chart. */
  public static final long MAX_CHART_BYTES = 64L << 20;

  static final int KEY_BYTES = 128;
  static final int QUANTILE_BYTES = 2048;
  static final int DISTINCT_BYTES = 2048;

  private ChartSpecs() {}

  /** Estimated bytes of the chart's state at its bounds; see the class comment. */
  public static long estimateBytes(ChartSpec spec) {
    return footprint(spec).bytes();
  }

  /**
   * How far back from now the chart's state can hold an event, in milliseconds: its bucket ring
   * (longest finite window, retention or sparkline) plus one bucket, or {@link Long#MAX_VALUE}
   * when it keeps something since start (a since-start window, a list's latest items, however
   * old). A view replaying history needs this much of it to start equal to the dashboard.
   */
  public static long reachMillis(ChartSpec spec) {
    if (spec instanceof KeyedChartSpec k) {
      return k.windows().stream().anyMatch(Window::isSinceStart) ? Long.MAX_VALUE
          : ringMillis(KeyedChartSpec.ringBuckets(k.windows(), k.bucket()), k.bucket());
    }
    if (spec instanceof TimeSeriesSpec t) {
      return ringMillis(t.points(), t.bucket());
    }
    if (spec instanceof HeatmapSpec h) {
      return ringMillis(h.points(), h.bucket());
    }
    if (spec instanceof NumberSpec n) {
      return n.window().isSinceStart() ? Long.MAX_VALUE : ringMillis(
          Math.max(KeyedChartSpec.windowBuckets(n.window(), n.bucket()), n.points()), n.bucket());
    }
    if (spec instanceof HistogramSpec h) {
      return h.window().isSinceStart() ? Long.MAX_VALUE
          : ringMillis(KeyedChartSpec.windowBuckets(h.window(), h.bucket()), h.bucket());
    }
    return Long.MAX_VALUE;
  }

  private static long ringMillis(int buckets, Duration bucket) {
    return (buckets + 1L) * bucket.toMillis();
  }

  /** The chart's layout for the estimate: buckets held, rows per key, keys, measures. */
  static Footprint footprint(ChartSpec spec) {
    if (spec instanceof KeyedChartSpec k) {
      return KeyedChartSpec.footprint(k.windows(), k.bucket(), k.maxKeys(), k.measures());
    }
    if (spec instanceof TimeSeriesSpec t) {
      return TimeSeriesSpec.footprint(t.by(), t.measure(), t.bucket(), t.retention());
    }
    if (spec instanceof HeatmapSpec h) {
      return HeatmapSpec.footprint(h.measure(), h.bucket(), h.retention(), h.maxKeys());
    }
    if (spec instanceof NumberSpec n) {
      return NumberSpec.footprint(n.measure(), n.window(), n.bucket(), n.sparkline());
    }
    if (spec instanceof HistogramSpec h) {
      return HistogramSpec.footprint(h.bins(), h.window(), h.bucket());
    }
    ListSpec list = (ListSpec) spec;
    return new Footprint("list", null, 0, 0, 0, List.of(),
        (long) list.size() * (64 + 64L * list.fields().size()));
  }

  /** Bytes of one row of cells for {@code measures}. */
  static long rowBytes(List<Measure> measures) {
    long primitive = 8; // key id and hash slot
    long objects = 0;
    for (Measure m : measures) {
      switch (m.aggregation()) {
        case COUNT, MIN, MAX -> primitive += 8;
        case RATE -> primitive += m.field() == null ? 8 : 16;
        case SUM, AVG -> primitive += 16;
        case LAST -> primitive += 24;
        case DISTINCT -> {
          primitive += 4;
          objects += DISTINCT_BYTES;
        }
        case QUANTILE -> {
          primitive += 4;
          objects += QUANTILE_BYTES;
        }
      }
    }
    return 2 * primitive + objects;
  }

  /**
   * One chart's layout for the estimate.
   *
   * @param span what the ring covers, for the message: "window 1h", "retention 1h"
   * @param bucket the bucket width, or null when there is no ring
   * @param rowsPerKey rows each key may hold: ring buckets plus totals
   * @param keys keys tracked at most
   * @param fixedBytes bytes besides the rows
   */
  record Footprint(String span, Duration bucket, long rowsPerKey, long keys,
      long keyBytes, List<Measure> measures, long fixedBytes) {

    Footprint(String span, Duration bucket, long rowsPerKey, long keys, long keyBytes,
        List<Measure> measures) {
      this(span, bucket, rowsPerKey, keys, keyBytes, measures, 0);
    }

    long bytes() {
      return rowsPerKey * keys * rowBytes(measures) + keys * keyBytes + fixedBytes;
    }

    /** Fails with the message of the brief when over {@link #MAX_CHART_BYTES}. */
    void check() {
      long bytes = bytes();
      if (bytes > MAX_CHART_BYTES) {
        String what = measures.stream().map(Measure::toString).collect(Collectors.joining(", "));
        String keyText = keys == 0 ? "" : " and " + keys + (keys == 1 ? " key" : " keys");
        throw new IllegalArgumentException(span + " with " + Checks.shortText(bucket)
            + " buckets" + keyText + " of " + what
            + " needs ~" + Math.max(1, Math.round(bytes / 1048576.0)) + " MiB, over the "
            + (MAX_CHART_BYTES >> 20) + " MiB limit of a chart");
      }
    }
  }
}
