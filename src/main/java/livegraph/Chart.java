package livegraph;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One chart defined in code, with the vocabulary of a dashboard file: each method sets the YAML
 * key of the same name, and {@link Livegraph} reads the result with the same loader, defaults
 * and checks as a file (see DASHBOARDS.md).
 *
 * <pre>{@code
 * Chart.bar("Requests by endpoint").by("endpoint").measure("count").top(10)
 * Chart.line("Heap used").measure("last(heapMiB)").bucket("1s").retention("10m")
 * Chart.histogram("Latency").field("latencyMs").min(0).max(500).bins(25).window("1m")
 * }</pre>
 *
 * <p>Not thread-safe; build charts before {@link Livegraph#start}.
 */
public final class Chart {

  private final Map<String, Object> keys = new LinkedHashMap<>(); // in the order a file has them
  private final List<Object> where = new ArrayList<>();

  private Chart(String type, String title) {
    keys.put("title", Objects.requireNonNull(title, "title"));
    keys.put("type", type);
  }

  /** Bars of a measure per key, top keys first, over selectable windows. */
  public static Chart bar(String title) {
    return new Chart("bar", title);
  }

  /** A pie of a measure per key. */
  public static Chart pie(String title) {
    return new Chart("pie", title);
  }

  /** A table of several measures ({@link #column}) per key. */
  public static Chart table(String title) {
    return new Chart("table", title);
  }

  /** A measure per time bucket, as a line per key (or the total). */
  public static Chart line(String title) {
    return new Chart("line", title);
  }

  /** Like {@link #line}, stacked and filled. */
  public static Chart area(String title) {
    return new Chart("area", title);
  }

  /** A measure per key and time bucket, as colour. */
  public static Chart heatmap(String title) {
    return new Chart("heatmap", title);
  }

  /** One number over a window, with a sparkline. */
  public static Chart number(String title) {
    return new Chart("number", title);
  }

  /** Counts of a numeric field's values in fixed bins over a window. */
  public static Chart histogram(String title) {
    return new Chart("histogram", title);
  }

  /** The latest events, newest first. */
  public static Chart list(String title) {
    return new Chart("list", title);
  }

  public Chart id(String id) {
    return set("id", id);
  }

  /** The field whose values are the keys (bars, slices, rows, series). */
  public Chart by(String field) {
    return set("by", field);
  }

  /** {@code count}, {@code rate}, {@code sum(F)}, {@code avg(F)}, {@code p99(F)}… */
  public Chart measure(String measure) {
    return set("measure", measure);
  }

  /** A table column: its heading and measure. */
  public Chart column(String label, String measure) {
    @SuppressWarnings("unchecked")
    List<Object> columns = (List<Object>) keys.computeIfAbsent("columns", k -> new ArrayList<>());
    columns.add(Map.of("label", label, "measure", measure));
    return this;
  }

  public Chart top(int top) {
    return set("top", top);
  }

  /** Whether the keys beyond the top ones show as one "other" entry. */
  public Chart other(boolean other) {
    return set("other", other);
  }

  /** Windows offered, e.g. {@code "10m", "1h", "all"}. */
  public Chart windows(String... windows) {
    return set("windows", List.of(windows));
  }

  public Chart bucket(String duration) {
    return set("bucket", duration);
  }

  public Chart bucket(Duration duration) {
    return set("bucket", millis(duration));
  }

  public Chart retention(String duration) {
    return set("retention", duration);
  }

  public Chart retention(Duration duration) {
    return set("retention", millis(duration));
  }

  /** Keyed series shown besides the total (line, area). */
  public Chart series(int series) {
    return set("series", series);
  }

  public Chart window(String duration) {
    return set("window", duration);
  }

  public Chart window(Duration duration) {
    return set("window", millis(duration));
  }

  public Chart sparkline(String duration) {
    return set("sparkline", duration);
  }

  public Chart field(String field) {
    return set("field", field);
  }

  public Chart min(double min) {
    return set("min", min);
  }

  public Chart max(double max) {
    return set("max", max);
  }

  public Chart bins(int bins) {
    return set("bins", bins);
  }

  public Chart size(int size) {
    return set("size", size);
  }

  /** The fields a list shows. */
  public Chart fields(String... fields) {
    return set("fields", List.of(fields));
  }

  public Chart maxKeys(int maxKeys) {
    return set("maxKeys", maxKeys);
  }

  /** Only events whose field equals the value (a list field: contains it). */
  public Chart whereEquals(String field, String value) {
    return condition(field, "equals", value);
  }

  /** Only events whose field is one of the values. */
  public Chart whereIn(String field, String... values) {
    return condition(field, "in", List.of(values));
  }

  /** Only events whose field matches the regular expression (anywhere in it). */
  public Chart whereMatches(String field, String regex) {
    return condition(field, "regex", regex);
  }

  /**
   * Only events whose numeric field compares so with the value.
   *
   * @param op one of {@code gt gte lt lte}
   */
  public Chart where(String field, String op, double value) {
    return condition(field, op, value);
  }

  private Chart condition(String field, String op, Object value) {
    where.add(Map.of(field, Map.of(op, value)));
    return this;
  }

  private Chart set(String key, Object value) {
    keys.put(key, Objects.requireNonNull(value, key));
    return this;
  }

  private static String millis(Duration d) {
    return d.toMillis() + "ms";
  }

  /** The chart as a dashboard file has it. */
  Map<String, Object> toYaml() {
    Map<String, Object> yaml = new LinkedHashMap<>(keys);
    if (!where.isEmpty()) {
      yaml.put("where", List.copyOf(where));
    }
    return yaml;
  }

  /** The title, for messages about this chart. */
  String title() {
    return (String) keys.get("title");
  }
}
