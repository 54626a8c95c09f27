package livegraph.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The naive model the aggregators are checked against: keeps every event and recomputes
 * everything from scratch, with the documented semantics written out as plainly as possible.
 *
 * <p>Key admission is modelled from the history too: an occurrence of a key enters the ring when
 * the key already has an admitted occurrence in a bucket the ring still holds, or fewer than
 * maxKeys keys have; "since start" admits the first maxKeys keys ever seen.
 */
final class Oracle {

  /** One admitted occurrence of an event under a key. */
  record Occ(String key, long time, long seq, long bucket, Event event) {}

  private final long start;
  private final long bucketMillis;
  private final int ring;
  private final int maxKeys;
  private final boolean hasSince;
  private final List<Occ> inRing = new ArrayList<>();
  private final List<Occ> sinceStart = new ArrayList<>();
  private long now;
  private long seq;
  private long overflow;

  Oracle(long start, long bucketMillis, int ring, int maxKeys, boolean hasSince) {
    this.start = start;
    this.now = start;
    this.bucketMillis = bucketMillis;
    this.ring = ring;
    this.maxKeys = maxKeys;
    this.hasSince = hasSince;
  }

  void advance(long millis) {
    now = Math.max(now, millis);
  }

  long now() {
    return now;
  }

  long current() {
    return Math.floorDiv(now, bucketMillis);
  }

  /** @return whether the event was recent enough for the ring (or there is no ring) */
  boolean add(long time, Collection<String> keys, Event event) {
    advance(time);
    long bucket = Math.floorDiv(time, bucketMillis);
    long current = current();
    boolean recent = current - bucket < ring;
    long order = ++seq;
    for (String key : new java.util.LinkedHashSet<>(keys)) {
      boolean over = false;
      if (recent) {
        Set<String> live = new HashSet<>();
        for (Occ o : inRing) {
          if (current - o.bucket() < ring) {
            live.add(o.key());
          }
        }
        if (live.contains(key) || live.size() < maxKeys) {
          inRing.add(new Occ(key, time, order, bucket, event));
        } else {
          over = true;
        }
      }
      if (hasSince) {
        Set<String> seen = new HashSet<>();
        sinceStart.forEach(o -> seen.add(o.key()));
        if (seen.contains(key) || seen.size() < maxKeys) {
          sinceStart.add(new Occ(key, time, order, bucket, event));
        } else {
          over = true;
        }
      }
      if (over) {
        overflow++;
      }
    }
    return recent || ring == 0;
  }

  long overflow() {
    return overflow;
  }

  /** Occurrences in a finite window. */
  List<Occ> window(Window window) {
    if (window.isSinceStart()) {
      return List.copyOf(sinceStart);
    }
    long current = current();
    long first;
    if (window.tumbling()) {
      long k = window.length().toMillis() / bucketMillis;
      first = Math.floorDiv(current, k) * k;
    } else {
      first = current - Checks.ceilDiv(window.length().toMillis(), bucketMillis) + 1;
    }
    List<Occ> out = new ArrayList<>();
    for (Occ o : inRing) {
      if (o.bucket() >= first && o.bucket() <= current && current - o.bucket() < ring) {
        out.add(o);
      }
    }
    return out;
  }

  /** Occurrences in bucket {@code b} (held by the ring). */
  List<Occ> bucket(long b) {
    List<Occ> out = new ArrayList<>();
    for (Occ o : inRing) {
      if (o.bucket() == b && current() - b < ring) {
        out.add(o);
      }
    }
    return out;
  }

  /** Seconds a window covers now, as documented for rates. */
  double seconds(Window window) {
    if (window.isSinceStart()) {
      return Math.max(1000, now - start) / 1000.0;
    }
    if (window.tumbling()) {
      long k = window.length().toMillis() / bucketMillis;
      long periodStart = Math.floorDiv(current(), k) * k * bucketMillis;
      return Math.max(bucketMillis, now - periodStart) / 1000.0;
    }
    return window.length().toMillis() / 1000.0;
  }

  static Map<String, List<Occ>> byKey(List<Occ> occs) {
    Map<String, List<Occ>> out = new LinkedHashMap<>();
    for (Occ o : occs) {
      out.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o);
    }
    return out;
  }

  /** Keys by {@code measure} over their occurrences, highest first, none last, then key. */
  static List<String> rank(Map<String, List<Occ>> byKey, Measure measure, double seconds) {
    Map<String, Double> values = new LinkedHashMap<>();
    byKey.forEach((k, occs) -> values.put(k, truth(measure, occs, seconds)));
    List<String> keys = new ArrayList<>(byKey.keySet());
    keys.sort((a, b) -> {
      double va = values.get(a);
      double vb = values.get(b);
      if (Double.isNaN(va) != Double.isNaN(vb)) {
        return Double.isNaN(va) ? 1 : -1;
      }
      if (!Double.isNaN(va) && va != vb) {
        return va > vb ? -1 : 1;
      }
      return a.compareTo(b);
    });
    return keys;
  }

  /**
   * The measure over occurrences, exactly: for distinct the true count of distinct values, for
   * quantiles the value of rank floor(q * (n - 1)); NaN for none.
   */
  static double truth(Measure m, List<Occ> occs, double seconds) {
    List<Double> values = new ArrayList<>();
    for (Occ o : occs) {
      double v = m.field() == null ? Double.NaN
          : Values.number(o.event().fields().get(m.field()));
      if (!Double.isNaN(v)) {
        values.add(v);
      }
    }
    switch (m.aggregation()) {
      case COUNT:
        return occs.size();
      case RATE:
        return m.field() == null ? occs.size() / seconds : sum(values) / seconds;
      case SUM:
        return sum(values);
      case AVG:
        return values.isEmpty() ? Double.NaN : sum(values) / values.size();
      case MIN:
        return values.stream().mapToDouble(d -> d).min().orElse(Double.NaN);
      case MAX:
        return values.stream().mapToDouble(d -> d).max().orElse(Double.NaN);
      case LAST: {
        Occ last = null;
        for (Occ o : occs) {
          if (!Double.isNaN(Values.number(o.event().fields().get(m.field())))
              && (last == null || o.time() > last.time()
                  || (o.time() == last.time() && o.seq() > last.seq()))) {
            last = o;
          }
        }
        return last == null ? Double.NaN : Values.number(last.event().fields().get(m.field()));
      }
      case DISTINCT: {
        Set<String> distinct = new HashSet<>();
        occs.forEach(o -> distinct.addAll(Values.texts(o.event().fields().get(m.field()))));
        return distinct.size();
      }
      case QUANTILE: {
        if (values.isEmpty()) {
          return Double.NaN;
        }
        values.sort(null);
        return values.get((int) Math.floor(m.quantile() * (values.size() - 1)));
      }
      default:
        throw new AssertionError(m);
    }
  }

  private static double sum(List<Double> values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }

  /** The measure's value where there are no occurrences at all. */
  static double empty(Measure m) {
    return switch (m.aggregation()) {
      case COUNT, SUM, RATE, DISTINCT -> 0;
      default -> Double.NaN;
    };
  }

  /** Whether the measure's result is approximate. */
  static boolean approximate(Measure m) {
    return m.aggregation() == Measure.Aggregation.DISTINCT
        || m.aggregation() == Measure.Aggregation.QUANTILE;
  }

  /**
   * Whether {@code actual} (NaN for JSON null) is the measure's value {@code truth}: equal for
   * exact measures; for quantiles within 1% relative; for distinct counts equal up to the
   * sketch's exact-mode size (192 at lgK 11, checked at 150) and within 3 standard errors
   * (3 x 2.3%) above.
   */
  static boolean matches(Measure m, double actual, double truth) {
    if (Double.isNaN(truth) || Double.isNaN(actual)) {
      return Double.isNaN(truth) && Double.isNaN(actual);
    }
    return switch (m.aggregation()) {
      case QUANTILE -> Math.abs(actual - truth) <= 0.01 * Math.abs(truth) + 1e-12;
      case DISTINCT -> truth <= 150 ? actual == truth
          : Math.abs(actual - truth) <= 3 * 1.04 / Math.sqrt(1 << 11) * truth + 1;
      default -> actual == truth;
    };
  }
}
