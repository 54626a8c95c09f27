package livegraph.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import livegraph.pipeline.ChartSpec;
import livegraph.pipeline.Filter;
import livegraph.pipeline.HeatmapSpec;
import livegraph.pipeline.HistogramSpec;
import livegraph.pipeline.KeyedChartSpec;
import livegraph.pipeline.KeyedChartSpec.Column;
import livegraph.pipeline.KeyedChartSpec.Kind;
import livegraph.pipeline.ListSpec;
import livegraph.pipeline.Measure;
import livegraph.pipeline.NumberSpec;
import livegraph.pipeline.TimeSeriesSpec;
import livegraph.pipeline.Window;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads a file's {@code charts:} list into chart specs, with the defaults of {@link Defaults}.
 * Ids are settled first (explicit ones, then slugs of titles made unique) so a generated id
 * never takes one written later in the file.
 */
final class ChartReader {

  static final List<String> TYPES = List.of(
      "bar", "pie", "table", "line", "area", "heatmap", "number", "histogram", "list");

  private static final List<String> COMMON = List.of("id", "title", "type", "source", "where");

  private static final List<String> KEYED = List.of("by", "measure", "label", "columns", "top",
      "other", "windows", "defaultWindow", "bucket", "maxKeys");

  private static final Map<String, List<String>> TYPE_KEYS = typeKeys();

  /** Key → the chart types that take it, for "'top' does not apply to a line chart". */
  private static final Map<String, String> APPLIES = applies();

  /**
   * One chart as read.
   *
   * @param spec the chart, or {@code null} when it has problems (reported)
   * @param source the source it names, or {@code null} for all sources
   * @param refs every field reference it makes
   */
  record Read(ChartSpec spec, String source, List<Ref> refs) {}

  private final Values values;
  private final Problems problems;
  private final WhereReader where;
  private final List<String> sources;

  /** @param sources the names of the file's sources, broken ones included */
  ChartReader(Values values, List<String> sources) {
    this.values = values;
    this.problems = values.problems();
    this.where = new WhereReader(values);
    this.sources = sources;
  }

  List<Read> read(Node section) {
    List<Read> charts = new ArrayList<>();
    List<Node> items = values.list(section, "charts", false);
    if (items == null) {
      return charts;
    }
    if (items.isEmpty()) {
      problems.at(section, "charts must list at least one chart, e.g. "
          + "'- {title: Events by level, type: bar, by: level}'");
      return charts;
    }
    List<YamlMap> maps = new ArrayList<>();
    for (Node item : items) {
      if (item instanceof MappingNode) {
        maps.add(values.map(item, "chart"));
      } else {
        problems.at(item, "each chart must be a mapping (title:, type:, …), not a "
            + Values.kind(item));
        maps.add(null);
      }
    }
    List<String> ids = ids(maps);
    for (int i = 0; i < maps.size(); i++) {
      if (maps.get(i) != null) {
        charts.add(chart(maps.get(i), ids.get(i)));
      }
    }
    return charts;
  }

  /** Explicit ids as written (duplicates reported), then unique slugs of titles for the rest. */
  private List<String> ids(List<YamlMap> maps) {
    Map<String, Node> explicit = new HashMap<>();
    List<String> ids = new ArrayList<>();
    for (YamlMap m : maps) {
      String id = null;
      if (m != null && m.has("id")) {
        id = values.text(m.get("id"), "id");
        if (id != null && !Slugs.NAME.matcher(id).matches()) {
          problems.at(m.get("id"), "id '" + id + "' must be " + Slugs.NAME_RULE);
        } else if (id != null && explicit.containsKey(id)) {
          problems.at(m.get("id"), "duplicate chart id '" + id + "' (first at line "
              + Values.line(explicit.get(id)) + ")");
        } else if (id != null) {
          explicit.put(id, m.get("id"));
        }
      }
      ids.add(id);
    }
    Set<String> taken = new HashSet<>(explicit.keySet());
    for (int i = 0; i < maps.size(); i++) {
      YamlMap m = maps.get(i);
      if (m != null && ids.get(i) == null) {
        Node title = m.get("title");
        String text = title instanceof ScalarNode s && !Values.isNull(s) ? s.getValue() : "";
        ids.set(i, Slugs.unique(Slugs.of(text, "chart"), taken));
      }
    }
    return ids;
  }

  private Read chart(YamlMap m, String id) {
    int before = problems.count();
    List<Ref> refs = new ArrayList<>();
    String type = null;
    if (!m.has("type")) {
      m.missing("type", "missing required key 'type': one of " + String.join(", ", TYPES),
          problems);
    } else {
      type = values.text(m.get("type"), "type");
      if (type != null && !TYPES.contains(type)) {
        problems.at(m.get("type"), "unknown chart type '" + type + "'"
            + Suggestions.hint(type, TYPES));
        type = null;
      }
    }
    if (type != null) {
      List<String> allowed = new ArrayList<>(COMMON);
      allowed.addAll(TYPE_KEYS.get(type));
      m.checkKeys(allowed, APPLIES, "a " + type + " chart", problems);
    } else {
      m.checkKeys(allKeys(), Map.of(), "a chart", problems);
    }
    String title = required(m, "title", "the chart's heading");
    String source = source(m);
    Filter filter = m.has("where") ? where.read(m.get("where"), refs) : Filter.ALL;
    if (filter != null && source != null && sources.size() > 1) {
      filter = Filter.equals(ChartFields.SOURCE_META, source).and(filter);
    }
    if (type == null || title == null || filter == null) {
      return new Read(null, source, refs);
    }
    Common c = new Common(m, id, title, filter, refs);
    ChartSpec spec = switch (type) {
      case "bar", "pie", "table" -> keyed(c, Kind.valueOf(type.toUpperCase(java.util.Locale.ROOT)));
      case "line", "area" -> series(c, type.equals("line") ? TimeSeriesSpec.Style.LINE
          : TimeSeriesSpec.Style.AREA);
      case "heatmap" -> heatmap(c);
      case "number" -> number(c);
      case "histogram" -> histogram(c);
      default -> list(c);
    };
    return new Read(problems.count() == before ? spec : null, source, refs);
  }

  /** What every chart type reads the same way. */
  private record Common(YamlMap m, String id, String title, Filter filter, List<Ref> refs) {}

  private String source(YamlMap m) {
    if (!m.has("source")) {
      return null;
    }
    String source = values.text(m.get("source"), "source");
    if (source != null && !sources.contains(source)) {
      String best = Suggestions.closest(source, sources);
      problems.at(m.get("source"), "unknown source '" + source + "'"
          + (best != null ? ": did you mean '" + best + "'?" : "")
          + (sources.isEmpty() ? " (the file declares no sources)"
              : " (sources: " + String.join(", ", sources) + ")"));
      return null;
    }
    return source;
  }

  private ChartSpec keyed(Common c, Kind kind) {
    YamlMap m = c.m();
    String by = requiredRef(c, "by", "the field whose values are the " + switch (kind) {
      case BAR -> "bars";
      case PIE -> "slices";
      default -> "rows";
    });
    List<Column> columns = columns(c);
    int top = intOr(m, "top", 1, Defaults.TOP);
    boolean other = m.has("other") && Boolean.TRUE.equals(values.bool(m.get("other"), "other"));
    List<Window> windows = m.has("windows") ? windows(m.get("windows")) : Defaults.windows();
    Duration bucket = durationOr(m, "bucket", Defaults.BUCKET);
    String defaultWindow = m.has("defaultWindow")
        ? values.text(m.get("defaultWindow"), "defaultWindow")
        : windows == null || windows.isEmpty() ? null : windows.get(0).id();
    Integer maxKeys = m.has("maxKeys") ? values.wholeNumber(m.get("maxKeys"), "maxKeys", 1) : null;
    if (windows != null && defaultWindow != null
        && windows.stream().noneMatch(w -> w.id().equals(defaultWindow))) {
      problems.at(m.get("defaultWindow"), "defaultWindow '" + defaultWindow + "' is not one of "
          + "the windows: " + String.join(", ", windows.stream().map(Window::id).toList()));
      return null;
    }
    if (by == null || columns == null || windows == null || bucket == null
        || defaultWindow == null || (m.has("maxKeys") && maxKeys == null)) {
      return null;
    }
    IntFunction<ChartSpec> build = keys -> new KeyedChartSpec(c.id(), c.title(), kind, by,
        columns, c.filter(), top, other, windows, defaultWindow, bucket, keys);
    int keys = maxKeys != null ? maxKeys : Defaults.maxKeysThatFit(build);
    return construct(c, () -> build.apply(keys));
  }

  /** The columns: {@code columns:} (each a measure or {label, measure}), or measure and label. */
  private List<Column> columns(Common c) {
    YamlMap m = c.m();
    if (m.has("columns")) {
      if (m.has("measure")) {
        problems.at(m.keyNode("measure"), "give 'measure' or 'columns', not both");
        return null;
      }
      if (m.has("label")) {
        problems.at(m.keyNode("label"), "'label' names the one column of 'measure'; with "
            + "'columns' give each column its label");
        return null;
      }
      List<Node> items = values.list(m.get("columns"), "columns", false);
      if (items == null) {
        return null;
      }
      List<Column> columns = new ArrayList<>();
      for (Node item : items) {
        Column column = column(c, item);
        if (column == null) {
          return null;
        }
        columns.add(column);
      }
      return columns;
    }
    Measure measure = measureOr(c, Measure.COUNT);
    String label = m.has("label") ? values.text(m.get("label"), "label")
        : measure == null ? null : measure.toString();
    return measure == null || label == null ? null : List.of(new Column(label, measure));
  }

  private Column column(Common c, Node item) {
    if (item instanceof ScalarNode) {
      Measure measure = measure(c, item);
      return measure == null ? null : new Column(((ScalarNode) item).getValue().trim(), measure);
    }
    YamlMap col = values.map(item, "column");
    if (col == null) {
      return null;
    }
    col.checkKeys(List.of("label", "measure"), Map.of(), "a column", problems);
    if (!col.has("measure")) {
      problems.at(col.node(), "a column needs 'measure', e.g. {label: p99, measure: "
          + "p99(latency)}");
      return null;
    }
    Measure measure = measure(c, col.get("measure"));
    String label = col.has("label") ? values.text(col.get("label"), "label")
        : measure == null ? null : measure.toString();
    return measure == null || label == null ? null : new Column(label, measure);
  }

  private ChartSpec series(Common c, TimeSeriesSpec.Style style) {
    YamlMap m = c.m();
    String by = m.has("by") ? ref(c, "by") : null;
    Measure measure = measureOr(c, Measure.COUNT);
    Duration retention = durationOr(m, "retention", Defaults.RETENTION);
    Integer series = m.has("series") ? values.wholeNumber(m.get("series"), "series", 0)
        : Integer.valueOf(Defaults.SERIES);
    Duration bucket = durationOr(m, "bucket", Defaults.BUCKET);
    if ((m.has("by") && by == null) || measure == null || retention == null || series == null
        || bucket == null) {
      return null;
    }
    if (!m.has("bucket")) {
      bucket = Defaults.bucketThatFits(b -> new TimeSeriesSpec(c.id(), c.title(), style, by, measure,
          c.filter(), b, retention, series));
    }
    Duration b = bucket;
    return construct(c, () -> new TimeSeriesSpec(c.id(), c.title(), style, by, measure,
        c.filter(), b, retention, series));
  }

  private ChartSpec heatmap(Common c) {
    YamlMap m = c.m();
    String by = requiredRef(c, "by", "the field whose values are the rows");
    Measure measure = measureOr(c, Measure.COUNT);
    Duration bucket = durationOr(m, "bucket", Defaults.BUCKET);
    Duration retention = durationOr(m, "retention", Defaults.RETENTION);
    int top = intOr(m, "top", 1, Defaults.TOP);
    Integer maxKeys = m.has("maxKeys") ? values.wholeNumber(m.get("maxKeys"), "maxKeys", 1) : null;
    if (by == null || measure == null || bucket == null || retention == null
        || (m.has("maxKeys") && maxKeys == null)) {
      return null;
    }
    IntFunction<ChartSpec> build = keys -> new HeatmapSpec(c.id(), c.title(), by, measure,
        c.filter(), bucket, retention, top, keys);
    int keys = maxKeys != null ? maxKeys : Defaults.maxKeysThatFit(build);
    return construct(c, () -> build.apply(keys));
  }

  private ChartSpec number(Common c) {
    YamlMap m = c.m();
    Measure measure = measureOr(c, Measure.COUNT);
    Window window = m.has("window") ? window(m.get("window"), "window")
        : Defaults.sliding(Defaults.WINDOW);
    Duration bucket = durationOr(m, "bucket", Defaults.BUCKET);
    Duration sparkline = null;
    boolean noSparkline = false;
    if (m.has("sparkline")) {
      Node node = m.get("sparkline");
      if (node instanceof ScalarNode s && s.getValue().trim().equals("none")) {
        noSparkline = true;
      } else {
        sparkline = values.duration(node, "sparkline");
        if (sparkline == null) {
          return null;
        }
      }
    }
    if (measure == null || window == null || bucket == null) {
      return null;
    }
    if (sparkline == null && !noSparkline) {
      // As long as the window, whole buckets; a since-start number sparks over the retention.
      Duration span = window.isSinceStart() ? Defaults.RETENTION : window.length();
      long buckets = Math.max(1, -Math.floorDiv(-span.toMillis(), bucket.toMillis()));
      sparkline = bucket.multipliedBy(buckets);
    }
    Duration spark = sparkline;
    return construct(c, () -> new NumberSpec(c.id(), c.title(), measure, c.filter(), window,
        bucket, spark));
  }

  private ChartSpec histogram(Common c) {
    YamlMap m = c.m();
    String field = requiredRef(c, "field", "the numeric field counted into bins");
    Double min = requiredNumber(m, "min");
    Double max = requiredNumber(m, "max");
    int bins = intOr(m, "bins", 1, Defaults.BINS);
    Window window = m.has("window") ? window(m.get("window"), "window")
        : Defaults.sliding(Defaults.WINDOW);
    Duration bucket = durationOr(m, "bucket", Defaults.BUCKET);
    if (field == null || min == null || max == null || window == null || bucket == null) {
      return null;
    }
    return construct(c, () -> new HistogramSpec(c.id(), c.title(), field, c.filter(), min, max,
        bins, window, bucket));
  }

  private ChartSpec list(Common c) {
    YamlMap m = c.m();
    int size = intOr(m, "size", 1, Defaults.LIST_SIZE);
    if (!m.has("fields")) {
      problems.at(m.node(), "missing required key 'fields': the event fields each item shows, "
          + "e.g. [ts, level, msg]");
      return null;
    }
    List<Node> items = values.list(m.get("fields"), "fields", false);
    if (items == null) {
      return null;
    }
    List<String> fields = new ArrayList<>();
    for (Node item : items) {
      String field = values.text(item, "fields entry");
      if (field == null) {
        return null;
      }
      c.refs().add(new Ref(field, item, "fields"));
      fields.add(field);
    }
    return construct(c, () -> new ListSpec(c.id(), c.title(), size, fields, c.filter()));
  }

  /** Builds the spec; its own complaint (a window, the memory bound…) goes to the key it is about. */
  private ChartSpec construct(Common c, Supplier<ChartSpec> build) {
    YamlMap m = c.m();
    Node windowish = first(m.get("windows"), m.get("window"), m.get("bucket"));
    Routes routes = new Routes(m.node())
        .add("chart id", m.get("id"))
        .add("topK", m.get("top"), "top")
        .add("topSeries", m.get("series"), "series")
        .add("maxKeys", m.get("maxKeys"))
        .add("defaultWindow", first(m.get("defaultWindow"), m.get("windows")))
        .add("duplicate window id", m.get("windows"))
        .add("windows", m.get("windows"))
        .add("window", windowish)
        .add("retention", first(m.get("retention"), m.get("bucket")))
        .add("sparkline", first(m.get("sparkline"), m.get("window"), m.get("bucket")))
        .add("bucket", m.get("bucket"))
        .add("bins", m.get("bins"))
        .add("min must be less than max", first(m.get("min"), m.get("max")))
        .add("size", m.get("size"))
        .add("fields", m.get("fields"))
        .add("duplicate field", m.get("fields"))
        .add("field", first(m.get("field"), m.get("fields")))
        .add("columns", m.get("columns"))
        .add("bar chart", m.get("columns"))
        .add("pie chart", m.get("columns"));
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      if (message != null && message.contains("MiB limit of a chart")) {
        message += "; use a coarser bucket, shorter windows or retention, or fewer keys (maxKeys)";
      }
      routes.report(new IllegalArgumentException(message, e), problems);
      return null;
    }
  }

  private List<Window> windows(Node node) {
    List<Node> items = values.list(node, "windows", true);
    if (items == null) {
      return null;
    }
    List<Window> windows = new ArrayList<>();
    for (Node item : items) {
      Window window = window(item, "windows entry");
      if (window == null) {
        return null;
      }
      windows.add(window);
    }
    return windows;
  }

  /** {@code 10m}, {@code all}, or {@code {id, length, tumbling, label}}. */
  private Window window(Node node, String key) {
    if (node instanceof ScalarNode) {
      String text = values.text(node, key);
      if (text == null) {
        return null;
      }
      text = text.trim();
      if (text.equals("all")) {
        return Defaults.sinceStart();
      }
      Duration length = values.duration(node, key + " (or 'all')");
      return length == null ? null : new Window(text, DurationText.label(length), length);
    }
    YamlMap w = values.map(node, key);
    if (w == null) {
      return null;
    }
    w.checkKeys(List.of("id", "length", "tumbling", "label"), Map.of(), "a window", problems);
    if (!w.has("length")) {
      problems.at(w.node(), "a window needs 'length': a duration like 10m, or 'all'");
      return null;
    }
    String lengthText = values.text(w.get("length"), "length");
    if (lengthText == null) {
      return null;
    }
    boolean all = lengthText.trim().equals("all");
    Duration length = all ? null : values.duration(w.get("length"), "length (or 'all')");
    boolean tumbling = w.has("tumbling")
        && Boolean.TRUE.equals(values.bool(w.get("tumbling"), "tumbling"));
    String id = w.has("id") ? values.text(w.get("id"), "id") : lengthText.trim();
    String plain = all ? "since start" : length == null ? null : DurationText.label(length);
    String label = w.has("label") ? values.text(w.get("label"), "label")
        : tumbling && plain != null ? DurationText.current(length) : plain;
    if ((!all && length == null) || id == null || label == null) {
      return null;
    }
    try {
      return new Window(id, label, length, tumbling);
    } catch (IllegalArgumentException e) {
      problems.at(w.node(), e.getMessage());
      return null;
    }
  }

  private Measure measureOr(Common c, Measure absent) {
    return c.m().has("measure") ? measure(c, c.m().get("measure")) : absent;
  }

  private Measure measure(Common c, Node node) {
    String text = values.text(node, "measure");
    if (text == null) {
      return null;
    }
    try {
      Measure measure = Measure.parse(text);
      if (measure.field() != null) {
        c.refs().add(new Ref(measure.field(), node, "measure"));
      }
      return measure;
    } catch (IllegalArgumentException e) {
      problems.at(node, e.getMessage());
      return null;
    }
  }

  private String required(YamlMap m, String key, String what) {
    if (!m.has(key)) {
      m.missing(key, "missing required key '" + key + "': " + what, problems);
      return null;
    }
    return values.text(m.get(key), key);
  }

  private String requiredRef(Common c, String key, String what) {
    if (!c.m().has(key)) {
      c.m().missing(key, "missing required key '" + key + "': " + what, problems);
      return null;
    }
    return ref(c, key);
  }

  private String ref(Common c, String key) {
    String text = values.text(c.m().get(key), key);
    if (text != null) {
      c.refs().add(new Ref(text, c.m().get(key), key));
    }
    return text;
  }

  private Double requiredNumber(YamlMap m, String key) {
    if (!m.has(key)) {
      problems.at(m.node(), "missing required key '" + key + "': a histogram needs min and max, "
          + "e.g. min: 0, max: 1000");
      return null;
    }
    return values.number(m.get(key), key);
  }

  private int intOr(YamlMap m, String key, int min, int absent) {
    if (!m.has(key)) {
      return absent;
    }
    Integer value = values.wholeNumber(m.get(key), key, min);
    return value == null ? absent : value;
  }

  private Duration durationOr(YamlMap m, String key, Duration absent) {
    return m.has(key) ? values.duration(m.get(key), key) : absent;
  }

  private static Node first(Node... nodes) {
    for (Node node : nodes) {
      if (node != null) {
        return node;
      }
    }
    return null;
  }

  private static List<String> allKeys() {
    Set<String> all = new LinkedHashSet<>(COMMON);
    TYPE_KEYS.values().forEach(all::addAll);
    return List.copyOf(all);
  }

  private static Map<String, List<String>> typeKeys() {
    Map<String, List<String>> keys = new LinkedHashMap<>();
    keys.put("bar", KEYED);
    keys.put("pie", KEYED);
    keys.put("table", KEYED);
    List<String> series = List.of("by", "measure", "bucket", "retention", "series");
    keys.put("line", series);
    keys.put("area", series);
    keys.put("heatmap", List.of("by", "measure", "bucket", "retention", "top", "maxKeys"));
    keys.put("number", List.of("measure", "window", "bucket", "sparkline"));
    keys.put("histogram", List.of("field", "min", "max", "bins", "window", "bucket"));
    keys.put("list", List.of("size", "fields"));
    return java.util.Collections.unmodifiableMap(keys);
  }

  private static Map<String, String> applies() {
    Map<String, List<String>> types = new LinkedHashMap<>();
    for (String type : TYPES) {
      for (String key : TYPE_KEYS.get(type)) {
        types.computeIfAbsent(key, k -> new ArrayList<>()).add(type);
      }
    }
    Map<String, String> applies = new HashMap<>();
    types.forEach((key, list) -> applies.put(key, String.join(", ", list) + " charts"));
    return Map.copyOf(applies);
  }
}
