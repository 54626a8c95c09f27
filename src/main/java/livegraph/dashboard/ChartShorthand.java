package livegraph.dashboard;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

/**
 * The one-line chart grammar of {@code livegraph serve --chart SPEC}, for charting a stream
 * without writing a file. The defaults are those of a dashboard file.
 *
 * <pre>
 * SPEC      = [TYPE ":"] BODY                   (no TYPE: bar)
 * bar, pie  = MEASURE "by" FIELD ["top" N]      count by level, pie: count by level top 5
 * table     = MEASURE {"," MEASURE} "by" FIELD ["top" N]   table: count, avg(latency) by path
 * line, area = MEASURE ["by" FIELD]             line: rate by level, area: avg(latency)
 * heatmap   = MEASURE "by" FIELD ["top" N]      heatmap: p90(latency) by path
 * number    = MEASURE                           number: p99(latency)
 * histogram = FIELD MIN ".." MAX ["/" BINS]     histogram: latency 0..1000/20
 * list      = FIELD {"," FIELD}                 list: ts,level,msg
 * </pre>
 *
 * <p>The chart's title is its body as written; its id is the title's slug, made unique.
 */
public final class ChartShorthand {

  private static final Pattern TYPED = Pattern.compile("([A-Za-z]+)\\s*:\\s*(.*)", Pattern.DOTALL);
  private static final Pattern BY =
      Pattern.compile("(.+?)\\s+by\\s+(\\S+)(?:\\s+top\\s+(\\d{1,5}))?");
  private static final Pattern HISTOGRAM = Pattern.compile(
      "(\\S+)\\s+(-?[0-9.]+(?:[eE][-+]?\\d+)?)\\s*\\.\\.\\s*(-?[0-9.]+(?:[eE][-+]?\\d+)?)"
          + "(?:\\s*/\\s*(\\d{1,5}))?");

  private ChartShorthand() {}

  /**
   * Reads each spec, giving ids unique among them.
   *
   * @throws IllegalArgumentException naming the spec, what is wrong and an example of the form
   */
  public static List<ChartSpec> parseAll(List<String> specs) {
    Set<String> ids = new HashSet<>();
    List<ChartSpec> charts = new ArrayList<>();
    for (String spec : specs) {
      charts.add(parse(spec, ids));
    }
    return charts;
  }

  /** Reads one spec; its id is the slug of its title, not among {@code taken} (then added). */
  static ChartSpec parse(String spec, Set<String> taken) {
    String text = spec.trim();
    String type = "bar";
    Matcher typed = TYPED.matcher(text);
    if (typed.matches()) { // a word and a colon: no measure or field starts like that
      type = typed.group(1).toLowerCase(Locale.ROOT);
      text = typed.group(2).trim();
      if (!ChartReader.TYPES.contains(type)) {
        throw bad(spec, "unknown chart type '" + typed.group(1) + "'"
            + Suggestions.hint(type, ChartReader.TYPES));
      }
    }
    if (text.isEmpty()) {
      throw bad(spec, "nothing after the chart type; e.g. " + example(type));
    }
    String id = Slugs.unique(Slugs.of(text, "chart"), taken);
    try {
      return switch (type) {
        case "bar", "pie", "table" -> keyed(spec, id, text, Kind.valueOf(type.toUpperCase(
            Locale.ROOT)));
        case "line", "area" -> series(spec, id, text, type.equals("line")
            ? TimeSeriesSpec.Style.LINE : TimeSeriesSpec.Style.AREA);
        case "heatmap" -> heatmap(spec, id, text);
        case "number" -> new NumberSpec(id, text, measure(text), Filter.ALL,
            Defaults.sliding(Defaults.WINDOW), Defaults.BUCKET, Defaults.WINDOW);
        case "histogram" -> histogram(spec, id, text);
        default -> new ListSpec(id, text, Defaults.LIST_SIZE, fields(spec, text));
      };
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith("--chart") ? e : bad(spec, e.getMessage());
    }
  }

  private static ChartSpec keyed(String spec, String id, String text, Kind kind) {
    Matcher by = by(spec, text, kind.name().toLowerCase(Locale.ROOT));
    List<Column> columns = new ArrayList<>();
    for (String part : splitTopLevel(by.group(1))) {
      columns.add(new Column(part, measure(part)));
    }
    if (kind != Kind.TABLE && columns.size() > 1) {
      throw bad(spec, "a " + kind.name().toLowerCase(Locale.ROOT) + " chart shows one measure;"
          + " for several write 'table: " + by.group(1) + " by " + by.group(2) + "'");
    }
    String field = field(spec, by.group(2));
    int top = top(by);
    IntFunction<ChartSpec> build = keys -> new KeyedChartSpec(id, text, kind, field, columns,
        Filter.ALL, top, false, Defaults.windows(), "10m", Defaults.BUCKET, keys);
    return build.apply(Defaults.maxKeysThatFit(build));
  }

  private static ChartSpec series(String spec, String id, String text,
      TimeSeriesSpec.Style style) {
    Matcher by = BY.matcher(text);
    boolean keyed = by.matches() && by.group(3) == null;
    Measure measure = measure(keyed ? by.group(1) : text);
    String field = keyed ? field(spec, by.group(2)) : null;
    return new TimeSeriesSpec(id, text, style, field, measure, Filter.ALL,
        Defaults.bucketThatFits(b -> new TimeSeriesSpec(id, text, style, field, measure,
            Filter.ALL, b, Defaults.RETENTION, Defaults.SERIES)),
        Defaults.RETENTION, Defaults.SERIES);
  }

  private static ChartSpec heatmap(String spec, String id, String text) {
    Matcher by = by(spec, text, "heatmap");
    Measure measure = measure(by.group(1));
    String field = field(spec, by.group(2));
    int top = top(by);
    IntFunction<ChartSpec> build = keys -> new HeatmapSpec(id, text, field, measure, Filter.ALL,
        Defaults.BUCKET, Defaults.RETENTION, top, keys);
    return build.apply(Defaults.maxKeysThatFit(build));
  }

  private static ChartSpec histogram(String spec, String id, String text) {
    Matcher m = HISTOGRAM.matcher(text);
    if (!m.matches()) {
      throw bad(spec, "expected FIELD MIN..MAX[/BINS], e.g. " + example("histogram"));
    }
    double min;
    double max;
    try {
      min = Double.parseDouble(m.group(2));
      max = Double.parseDouble(m.group(3));
    } catch (NumberFormatException e) {
      throw bad(spec, "MIN and MAX must be numbers, e.g. " + example("histogram"));
    }
    int bins = m.group(4) == null ? Defaults.BINS : Integer.parseInt(m.group(4));
    return new HistogramSpec(id, text, field(spec, m.group(1)), Filter.ALL, min, max, bins,
        Defaults.sliding(Defaults.WINDOW), Defaults.BUCKET);
  }

  private static List<String> fields(String spec, String text) {
    List<String> fields = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      fields.add(field(spec, part.trim()));
    }
    return fields;
  }

  private static Matcher by(String spec, String text, String type) {
    Matcher by = BY.matcher(text);
    if (!by.matches()) {
      throw bad(spec, "a " + type + " chart needs 'MEASURE by FIELD', e.g. " + example(type));
    }
    return by;
  }

  private static int top(Matcher by) {
    return by.group(3) == null ? Defaults.TOP : Integer.parseInt(by.group(3));
  }

  private static Measure measure(String text) {
    return Measure.parse(text.trim());
  }

  private static String field(String spec, String text) {
    if (text.isEmpty()) {
      throw bad(spec, "a field is empty");
    }
    FieldRefs.check(text);
    return text;
  }

  /** Splits on commas outside parentheses: "count, avg(a) " → [count, avg(a)]. */
  private static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i).trim());
        start = i + 1;
      }
    }
    parts.add(text.substring(start).trim());
    return parts;
  }

  private static String example(String type) {
    return switch (type) {
      case "bar" -> "'count by level'";
      case "pie" -> "'pie: count by level'";
      case "table" -> "'table: count, avg(latency) by path'";
      case "line", "area" -> "'" + type + ": rate by level'";
      case "heatmap" -> "'heatmap: p90(latency) by path'";
      case "number" -> "'number: p99(latency)'";
      case "histogram" -> "'histogram: latency 0..1000/20'";
      default -> "'list: ts,level,msg'";
    };
  }

  private static IllegalArgumentException bad(String spec, String message) {
    return new IllegalArgumentException("--chart '" + spec + "': " + message);
  }
}
