package livegraph.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import livegraph.pipeline.KeyedChartSpec.Column;
import livegraph.pipeline.KeyedChartSpec.Kind;
import livegraph.pipeline.Oracle.Occ;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Every aggregator kind and every measure against {@link Oracle}, a model that keeps all events
 * and recomputes from scratch. Random sequences of events (at, before and after bucket and
 * window boundaries, duplicated keys, late, ancient and future ones) and clock moves (small
 * steps, exactly to the next boundary, jumps longer than any window, and backwards, which must
 * not move time back); after every step the chart's JSON must equal the model's, exactly for
 * exact measures and within the stated error for distinct counts and quantiles, and an
 * unchanged chart must encode to the same bytes as before.
 */
class AggregatorPropertiesTest {

  /** Deliberately not on a bucket boundary. */
  static final long T0 = 1_000_000_007L;
  static final long BUCKET = 10;
  static final Duration BUCKET_D = Duration.ofMillis(BUCKET);
  static final long TO_BOUNDARY = -1;

  static final List<Window> WINDOWS = List.of(
      new Window("s10", "", Duration.ofMillis(10)),
      new Window("s25", "", Duration.ofMillis(25)), // not whole buckets: 3, rates per 25 ms
      new Window("s30", "", Duration.ofMillis(30)),
      new Window("t40", "", Duration.ofMillis(40), true),
      new Window("t20", "", Duration.ofMillis(20), true),
      Window.sinceStart("all", ""));

  static final List<Measure> EXACT = List.of(Measure.COUNT, Measure.parse("sum(v)"),
      Measure.parse("avg(v)"), Measure.parse("min(v)"), Measure.parse("max(v)"),
      Measure.parse("last(v)"), Measure.parse("rate"), Measure.parse("rate(v)"));

  static final List<Measure> APPROXIMATE = List.of(Measure.parse("distinct(u)"),
      Measure.parse("distinct(v)"), Measure.parse("p50(v)"), Measure.parse("p90(v)"),
      Measure.parse("p99.9(v)"), Measure.parse("p1(v)"));

  // ---- operations -----------------------------------------------------------------------

  sealed interface Op permits Tick, Back, Add {}

  /** The clock moves forward by {@code delta} ms, or to the next bucket boundary. */
  record Tick(long delta) implements Op {}

  /** The clock goes back by {@code delta} ms; charts must not move back. */
  record Back(long delta) implements Op {}

  /** An event stamped relative to the clock (see {@link #time}), with these fields. */
  record Add(String when, long amount, Map<String, Object> fields) implements Op {

    long time(long clock) {
      return switch (when) {
        case "late" -> clock - amount;
        case "future" -> clock + amount; // clamped to the clock, as the pipeline does
        case "boundary" -> (Math.floorDiv(clock, BUCKET) - amount) * BUCKET;
        case "ancient" -> clock - 10_000;
        default -> clock;
      };
    }
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, add()),
        net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(0, 12).map(d -> (Op) new Tick(d))),
        net.jqwik.api.Tuple.of(1, Arbitraries.just((Op) new Tick(TO_BOUNDARY))),
        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(35, 150).map(d -> (Op) new Tick(d))),
        // past "since start"'s first second, where its rates start to divide by elapsed time
        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(900, 2500).map(d -> (Op) new Tick(d))),
        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1, 30).map(d -> (Op) new Back(d))))
        .list().ofMinSize(1).ofMaxSize(50);
  }

  private Arbitrary<Op> add() {
    Arbitrary<String> when = Arbitraries.frequency(
        net.jqwik.api.Tuple.of(5, "now"), net.jqwik.api.Tuple.of(3, "late"),
        net.jqwik.api.Tuple.of(1, "future"), net.jqwik.api.Tuple.of(2, "boundary"),
        net.jqwik.api.Tuple.of(1, "ancient"));
    Arbitrary<Long> amount = Arbitraries.longs().between(0, 45);
    Arbitrary<Object> key = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.of("a", "b", "c", "d", "e", "f").map(k -> (Object) k)),
        net.jqwik.api.Tuple.of(2, Arbitraries.of("a", "b", "c", "d").list().ofMaxSize(3)
            .map(k -> (Object) k)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just((Object) 7L)))
        .injectNull(0.05);
    Arbitrary<Object> value = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, Arbitraries.longs().between(-20, 20).map(v -> (Object) v)),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(-400, 400)
            .map(q -> (Object) (q / 4.0))),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(-9, 9)
            .map(v -> (Object) String.valueOf(v))),
        net.jqwik.api.Tuple.of(1, Arbitraries.just((Object) "x")))
        .injectNull(0.1);
    Arbitrary<Object> user = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, Arbitraries.of("u0", "u1", "u2", "u3", "u4", "u5", "u6")
            .map(u -> (Object) u)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("u0", "u1", "u7", "u8").list().ofMaxSize(3)
            .map(u -> (Object) u)))
        .injectNull(0.1);
    return Combinators.combine(when, amount, key, value, user).as((w, a, k, v, u) -> {
      Map<String, Object> fields = new LinkedHashMap<>();
      if (k != null) {
        fields.put("k", k);
      }
      if (v != null) {
        fields.put("v", v);
      }
      if (u != null) {
        fields.put("u", u);
      }
      return new Add(w, a, fields);
    });
  }

  @Provide
  Arbitrary<Filter> filters() {
    return Arbitraries.frequency(
        net.jqwik.api.Tuple.of(5, Filter.ALL),
        net.jqwik.api.Tuple.of(1, Filter.equals("k", "a")),
        net.jqwik.api.Tuple.of(1, Filter.of(List.of(new Condition.Gt("v", 0)))),
        net.jqwik.api.Tuple.of(1, Filter.of(List.of(new Condition.NotEquals("u", "u1"),
            new Condition.Exists("v")))),
        net.jqwik.api.Tuple.of(1, Filter.of(List.of(new Condition.Regex("k", "^[a-c]")))));
  }

  @Provide
  Arbitrary<List<Window>> windowSets() {
    return Arbitraries.of(WINDOWS).set().ofMinSize(1).ofMaxSize(4).map(ArrayList::new);
  }

  @Provide
  Arbitrary<Window> windows() {
    return Arbitraries.of(WINDOWS);
  }

  @Provide
  Arbitrary<Measure> exact() {
    return Arbitraries.of(EXACT);
  }

  @Provide
  Arbitrary<Measure> measures() {
    List<Measure> all = new ArrayList<>(EXACT);
    all.addAll(APPROXIMATE);
    return Arbitraries.of(all);
  }

  // ---- the harness ------------------------------------------------------------------------

  /** Feeds the aggregator and the model the same steps; after each, compares. */
  interface Model {
    boolean add(long time, Event event);

    void advance(long now);

    void check(JsonNode state);
  }

  static void run(List<Op> ops, Aggregator aggregator, Model model) {
    long clock = T0;
    byte[] previous = ChartJson.encode(aggregator);
    model.check(TestEvents.json(previous));
    for (Op op : ops) {
      if (op instanceof Tick tick) {
        clock = tick.delta() == TO_BOUNDARY
            ? (Math.floorDiv(clock, BUCKET) + 1) * BUCKET : clock + tick.delta();
        aggregator.advanceTo(clock);
        model.advance(clock);
      } else if (op instanceof Back back) {
        clock -= back.delta();
        aggregator.advanceTo(clock);
        model.advance(clock);
      } else {
        Add add = (Add) op;
        long time = Math.min(add.time(clock), clock);
        Event event = new Event(add.time(clock), add.fields());
        assertThat(aggregator.add(time, event)).as("in time for the ring: %s", add)
            .isEqualTo(model.add(time, event));
      }
      boolean changed = aggregator.changed();
      byte[] bytes = ChartJson.encode(aggregator);
      if (!changed) {
        assertThat(new String(bytes)).as("unchanged after %s", op)
            .isEqualTo(new String(previous));
      }
      previous = bytes;
      model.check(TestEvents.json(bytes));
    }
  }

  static double number(JsonNode node) {
    assertThat(node.isNull() || node.isNumber()).as("number or null: %s", node).isTrue();
    return node.isNull() ? Double.NaN : node.asDouble();
  }

  static void assertValue(Measure m, JsonNode actual, double truth, String where) {
    double a = number(actual);
    assertThat(Oracle.matches(m, a, truth))
        .as("%s at %s: %s, truth %s", m, where, actual, truth).isTrue();
  }

  static List<String> keys(Event event, String by) {
    return new ArrayList<>(new LinkedHashSet<>(Values.texts(event.fields().get(by))));
  }

  // ---- keyed charts -----------------------------------------------------------------------

  @Property(tries = 250)
  void keyedChart_matchesOracle(
      @ForAll @IntRange(min = 1, max = 4) int topK,
      @ForAll boolean other,
      @ForAll @IntRange(min = 1, max = 6) int maxKeys,
      @ForAll("windowSets") List<Window> windows,
      @ForAll("exact") Measure first,
      @ForAll @Size(max = 3) List<@From("measures") Measure> more,
      @ForAll("filters") Filter filter,
      @ForAll("ops") List<Op> ops) {
    List<Column> columns = new ArrayList<>();
    columns.add(new Column("c0", first));
    more.forEach(m -> columns.add(new Column("c" + columns.size(), m)));
    KeyedChartSpec spec = new KeyedChartSpec("k", "K", Kind.TABLE, "k", columns, filter, topK,
        other, windows, windows.get(0).id(), BUCKET_D, maxKeys);
    int ring = KeyedChartSpec.ringBuckets(windows, BUCKET_D);
    boolean since = windows.stream().anyMatch(Window::isSinceStart);
    Oracle oracle = new Oracle(T0, BUCKET, ring, maxKeys, since);
    run(ops, Aggregator.of(spec, T0), new Model() {
      @Override
      public boolean add(long time, Event event) {
        return !filter.matches(event) || oracle.add(time, keys(event, "k"), event);
      }

      @Override
      public void advance(long now) {
        oracle.advance(now);
      }

      @Override
      public void check(JsonNode state) {
        assertThat(state.get("overflow").asLong()).as("overflow").isEqualTo(oracle.overflow());
        assertThat(state.get("windows").size()).isEqualTo(windows.size());
        for (Window window : windows) {
          JsonNode w = state.get("windows").get(window.id());
          Map<String, List<Occ>> byKey = Oracle.byKey(oracle.window(window));
          double seconds = oracle.seconds(window);
          List<String> ranked = Oracle.rank(byKey, first, seconds);
          List<String> shown = ranked.subList(0, Math.min(topK, ranked.size()));
          assertThat(TestEvents.strings(w.get("x"))).as("x of %s", window.id())
              .isEqualTo(shown);
          for (int c = 0; c < columns.size(); c++) {
            Measure m = columns.get(c).measure();
            assertThat(w.get("columns").get(c).size()).isEqualTo(shown.size());
            for (int i = 0; i < shown.size(); i++) {
              assertValue(m, w.get("columns").get(c).get(i),
                  Oracle.truth(m, byKey.get(shown.get(i)), seconds),
                  window.id() + "/" + shown.get(i));
            }
          }
          if (!other) {
            assertThat(w.has("other")).isFalse();
          } else if (ranked.size() <= topK) {
            assertThat(w.get("other").isNull()).as("other of %s", window.id()).isTrue();
          } else {
            List<Occ> rest = new ArrayList<>();
            ranked.subList(topK, ranked.size()).forEach(k -> rest.addAll(byKey.get(k)));
            for (int c = 0; c < columns.size(); c++) {
              Measure m = columns.get(c).measure();
              assertValue(m, w.get("other").get(c), Oracle.truth(m, rest, seconds),
                  window.id() + "/other");
            }
          }
        }
      }
    });
  }

  // ---- time series and heatmaps -----------------------------------------------------------

  @Property(tries = 200)
  void timeSeries_matchesOracle(
      @ForAll boolean keyed,
      @ForAll("measures") Measure measure,
      @ForAll @IntRange(min = 1, max = 6) int points,
      @ForAll @IntRange(min = 0, max = 3) int topSeries,
      @ForAll("filters") Filter filter,
      @ForAll("ops") List<Op> ops) {
    TimeSeriesSpec spec = new TimeSeriesSpec("s", "S", TimeSeriesSpec.Style.LINE,
        keyed ? "k" : null, measure, filter, BUCKET_D, BUCKET_D.multipliedBy(points), topSeries);
    Oracle total = new Oracle(T0, BUCKET, points, 1, false);
    Oracle byKey = new Oracle(T0, BUCKET, points, Math.max(1, spec.maxKeys()), false);
    Window retention = new Window("r", "", spec.retention());
    run(ops, Aggregator.of(spec, T0), new Model() {
      @Override
      public boolean add(long time, Event event) {
        if (!filter.matches(event)) {
          return true;
        }
        if (keyed) {
          byKey.add(time, keys(event, "k"), event);
        }
        return total.add(time, List.of(""), event);
      }

      @Override
      public void advance(long now) {
        total.advance(now);
        byKey.advance(now);
      }

      @Override
      public void check(JsonNode state) {
        long current = total.current();
        assertThat(state.get("start").asLong()).isEqualTo((current - points + 1) * BUCKET);
        assertThat(state.get("step").asLong()).isEqualTo(BUCKET);
        JsonNode series = state.get("series");
        assertThat(series.get(0).get("name").asText()).isEqualTo("total");
        checkBuckets(measure, total, "", series.get(0).get("values"), points);
        List<String> ranked = keyed ? Oracle.rank(Oracle.byKey(byKey.window(retention)),
            measure, retention.length().toMillis() / 1000.0) : List.of();
        int shown = Math.min(topSeries, ranked.size());
        assertThat(series.size()).isEqualTo(1 + shown);
        for (int i = 0; i < shown; i++) {
          String name = series.get(i + 1).get("name").asText();
          if (!Oracle.approximate(measure)) {
            assertThat(name).isEqualTo(ranked.get(i));
          } else {
            assertThat(ranked).contains(name); // rank by an estimate may differ
          }
          checkBuckets(measure, byKey, name, series.get(i + 1).get("values"), points);
        }
      }
    });
  }

  /** Values per bucket, oldest first, of key {@code key}. */
  static void checkBuckets(Measure m, Oracle oracle, String key, JsonNode values, int points) {
    assertThat(values.size()).isEqualTo(points);
    long first = oracle.current() - points + 1;
    for (int i = 0; i < points; i++) {
      List<Occ> occs = oracle.bucket(first + i).stream().filter(o -> o.key().equals(key))
          .toList();
      double truth = occs.isEmpty() ? Oracle.empty(m) : Oracle.truth(m, occs, BUCKET / 1000.0);
      assertValue(m, values.get(i), truth, key + " bucket " + (first + i));
    }
  }

  @Property(tries = 200)
  void heatmap_matchesOracle(
      @ForAll("measures") Measure measure,
      @ForAll @IntRange(min = 1, max = 6) int points,
      @ForAll @IntRange(min = 1, max = 3) int topK,
      @ForAll @IntRange(min = 1, max = 5) int maxKeys,
      @ForAll("filters") Filter filter,
      @ForAll("ops") List<Op> ops) {
    HeatmapSpec spec = new HeatmapSpec("h", "H", "k", measure, filter, BUCKET_D,
        BUCKET_D.multipliedBy(points), topK, maxKeys);
    Oracle oracle = new Oracle(T0, BUCKET, points, maxKeys, false);
    Window retention = new Window("r", "", spec.retention());
    run(ops, Aggregator.of(spec, T0), new Model() {
      @Override
      public boolean add(long time, Event event) {
        return !filter.matches(event) || oracle.add(time, keys(event, "k"), event);
      }

      @Override
      public void advance(long now) {
        oracle.advance(now);
      }

      @Override
      public void check(JsonNode state) {
        assertThat(state.get("start").asLong())
            .isEqualTo((oracle.current() - points + 1) * BUCKET);
        assertThat(state.get("step").asLong()).isEqualTo(BUCKET);
        List<String> ranked = Oracle.rank(Oracle.byKey(oracle.window(retention)), measure,
            retention.length().toMillis() / 1000.0);
        List<String> keys = TestEvents.strings(state.get("keys"));
        assertThat(keys).hasSize(Math.min(topK, ranked.size()));
        if (!Oracle.approximate(measure)) {
          assertThat(keys).isEqualTo(ranked.subList(0, keys.size()));
        }
        assertThat(state.get("z").size()).isEqualTo(keys.size());
        for (int i = 0; i < keys.size(); i++) {
          assertThat(ranked).contains(keys.get(i));
          checkBuckets(measure, oracle, keys.get(i), state.get("z").get(i), points);
        }
      }
    });
  }

  // ---- numbers, histograms, lists ---------------------------------------------------------

  @Property(tries = 250)
  void number_matchesOracle(
      @ForAll("measures") Measure measure,
      @ForAll("windows") Window window,
      @ForAll @IntRange(min = 0, max = 6) int points,
      @ForAll("filters") Filter filter,
      @ForAll("ops") List<Op> ops) {
    NumberSpec spec = new NumberSpec("n", "N", measure, filter, window, BUCKET_D,
        points == 0 ? null : BUCKET_D.multipliedBy(points));
    int windowBuckets = window.isSinceStart() ? 0 : KeyedChartSpec.windowBuckets(window, BUCKET_D);
    Oracle oracle = new Oracle(T0, BUCKET, Math.max(points, windowBuckets), 1,
        window.isSinceStart());
    run(ops, Aggregator.of(spec, T0), new Model() {
      @Override
      public boolean add(long time, Event event) {
        return !filter.matches(event) || oracle.add(time, List.of(""), event);
      }

      @Override
      public void advance(long now) {
        oracle.advance(now);
      }

      @Override
      public void check(JsonNode state) {
        List<Occ> occs = oracle.window(window);
        double truth = occs.isEmpty() ? Oracle.empty(measure)
            : Oracle.truth(measure, occs, oracle.seconds(window));
        assertValue(measure, state.get("value"), truth, "value");
        long current = oracle.current();
        assertThat(state.get("start").asLong())
            .isEqualTo(Math.min(current - points + 1, current) * BUCKET);
        assertThat(state.get("step").asLong()).isEqualTo(BUCKET);
        if (points == 0) {
          assertThat(state.get("spark").size()).isZero();
        } else {
          checkBuckets(measure, oracle, "", state.get("spark"), points);
        }
      }
    });
  }

  @Property(tries = 200)
  void histogram_matchesOracle(
      @ForAll("windows") Window window,
      @ForAll @IntRange(min = 1, max = 7) int bins,
      @ForAll boolean narrow,
      @ForAll("filters") Filter filter,
      @ForAll("ops") List<Op> ops) {
    double min = narrow ? -2.5 : -10;
    double max = narrow ? 3 : 20.25;
    HistogramSpec spec = new HistogramSpec("h", "H", "v", filter, min, max, bins, window,
        BUCKET_D);
    int ring = window.isSinceStart() ? 0 : KeyedChartSpec.windowBuckets(window, BUCKET_D);
    Oracle oracle = new Oracle(T0, BUCKET, ring, bins + 2, window.isSinceStart());
    run(ops, Aggregator.of(spec, T0), new Model() {
      @Override
      public boolean add(long time, Event event) {
        double v = Values.number(event.fields().get("v"));
        if (!filter.matches(event) || Double.isNaN(v)) {
          return true;
        }
        String bin = v < min ? "under" : v >= max ? "over"
            : String.valueOf(Math.min(bins - 1, (int) Math.floor((v - min) / (max - min) * bins)));
        return oracle.add(time, List.of(bin), event);
      }

      @Override
      public void advance(long now) {
        oracle.advance(now);
      }

      @Override
      public void check(JsonNode state) {
        Map<String, List<Occ>> byBin = Oracle.byKey(oracle.window(window));
        long[] counts = new long[bins];
        for (int i = 0; i < bins; i++) {
          counts[i] = byBin.getOrDefault(String.valueOf(i), List.of()).size();
        }
        assertThat(state.get("min").asDouble()).isEqualTo(min);
        assertThat(state.get("max").asDouble()).isEqualTo(max);
        assertThat(TestEvents.longs(state.get("counts"))).as("counts")
            .containsExactly(Arrays.stream(counts).boxed().toArray(Long[]::new));
        assertThat(state.get("under").asLong()).isEqualTo(
            byBin.getOrDefault("under", List.of()).size());
        assertThat(state.get("over").asLong()).isEqualTo(
            byBin.getOrDefault("over", List.of()).size());
      }
    });
  }

  @Property(tries = 100)
  void list_matchesOracle(
      @ForAll @IntRange(min = 1, max = 5) int size,
      @ForAll("filters") Filter filter,
      @ForAll("ops") List<Op> ops) {
    ListSpec spec = new ListSpec("l", "L", size, List.of("k", "v"), filter);
    List<Map<String, Object>> items = new ArrayList<>(); // newest first
    run(ops, Aggregator.of(spec, T0), new Model() {
      @Override
      public boolean add(long time, Event event) {
        if (filter.matches(event)) {
          Map<String, Object> item = new LinkedHashMap<>();
          item.put("time", time);
          for (String f : List.of("k", "v")) {
            if (event.fields().containsKey(f)) {
              item.put(f, event.fields().get(f));
            }
          }
          items.add(0, item);
          if (items.size() > size) {
            items.remove(size);
          }
        }
        return true;
      }

      @Override
      public void advance(long now) {}

      @Override
      public void check(JsonNode state) {
        assertThat(state.get("items").size()).isEqualTo(items.size());
        for (int i = 0; i < items.size(); i++) {
          JsonNode item = state.get("items").get(i);
          assertThat(item.size()).isEqualTo(items.get(i).size());
          for (Map.Entry<String, Object> e : items.get(i).entrySet()) {
            Object expected = e.getValue();
            JsonNode actual = item.get(e.getKey());
            if (expected instanceof List<?> list) {
              assertThat(TestEvents.strings(actual)).isEqualTo(list);
            } else if (expected instanceof Number n) {
              assertThat(actual.asDouble()).isEqualTo(n.doubleValue());
            } else {
              assertThat(actual.asText()).isEqualTo(expected.toString());
            }
          }
        }
      }
    });
  }

  // ---- sketches beyond the small cases ----------------------------------------------------

  /** Distinct counts past the sketch's exact mode stay within three standard errors. */
  @Property(tries = 25)
  void distinct_aboveExactMode_withinThreeStandardErrors(
      @ForAll @IntRange(min = 100, max = 4000) int distinct,
      @ForAll @IntRange(min = 1, max = 3) int repeats,
      @ForAll("windows") Window window,
      @ForAll long seed) {
    NumberSpec spec = new NumberSpec("n", "N", Measure.parse("distinct(u)"), null, window,
        BUCKET_D, BUCKET_D.multipliedBy(4));
    NumberChart chart = new NumberChart(spec, T0);
    java.util.Random random = new java.util.Random(seed);
    int windowBuckets = window.isSinceStart() ? 0 : KeyedChartSpec.windowBuckets(window, BUCKET_D);
    Oracle oracle = new Oracle(T0, BUCKET, Math.max(4, windowBuckets), 1, window.isSinceStart());
    long clock = T0;
    for (int i = 0; i < distinct * repeats; i++) {
      clock += random.nextInt(3) == 0 ? 1 : 0; // spread over several buckets
      Event e = TestEvents.event(clock, "u", "user-" + random.nextInt(distinct));
      chart.add(clock, e);
      oracle.add(clock, List.of(""), e);
    }
    JsonNode state = TestEvents.json(chart);
    List<Occ> occs = oracle.window(window);
    Measure m = spec.measure();
    assertValue(m, state.get("value"), occs.isEmpty() ? 0 : Oracle.truth(m, occs, 1), "value");
    checkBuckets(m, oracle, "", state.get("spark"), 4);
  }

  /** Quantiles of values spread over twelve decades, both signs, stay within 1%. */
  @Property(tries = 40)
  void quantiles_ofWidelySpreadValues_withinOnePercent(
      @ForAll @IntRange(min = 1, max = 3000) int count,
      @ForAll("quantiles") Measure measure,
      @ForAll boolean negatives,
      @ForAll long seed) {
    NumberSpec spec = new NumberSpec("n", "N", measure, null,
        new Window("s30", "", Duration.ofMillis(30)), BUCKET_D, BUCKET_D.multipliedBy(3));
    NumberChart chart = new NumberChart(spec, T0);
    Oracle oracle = new Oracle(T0, BUCKET, 3, 1, false);
    java.util.Random random = new java.util.Random(seed);
    long clock = T0;
    for (int i = 0; i < count; i++) {
      clock += random.nextInt(50) == 0 ? 1 : 0;
      double v = Math.pow(10, random.nextDouble() * 12 - 3);
      if (negatives && random.nextBoolean()) {
        v = -v;
      }
      Event e = TestEvents.event(clock, "v", random.nextInt(20) == 0 ? 0.0 : v);
      chart.add(clock, e);
      oracle.add(clock, List.of(""), e);
    }
    JsonNode state = TestEvents.json(chart);
    assertValue(measure, state.get("value"),
        Oracle.truth(measure, oracle.window(spec.window()), 1), "value");
    checkBuckets(measure, oracle, "", state.get("spark"), 3);
  }

  @Provide
  Arbitrary<Measure> quantiles() {
    return Arbitraries.of("p1(v)", "p10(v)", "p50(v)", "p90(v)", "p99(v)", "p99.9(v)")
        .map(Measure::parse);
  }
}
