package livegraph.pipeline;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A chart of one or more measures per key over selectable time windows: bars, pie slices or
 * table rows, sorted by the first column descending, then by key.
 *
 * @param id unique chart id
 * @param title shown above the chart
 * @param kind how it is drawn; {@link Kind#BAR} and {@link Kind#PIE} have exactly one column
 * @param by the event field whose values are the keys: a string (one key), a number or boolean
 *     (its text) or a list (each distinct element once)
 * @param columns the measures shown per key, in display order
 * @param filter only matching events count ({@link Filter#ALL} when null)
 * @param topK keys shown per window
 * @param other whether the keys beyond the top K are merged into one "other" row
 * @param windows the windows offered, in display order; ids unique
 * @param defaultWindow id of the window shown first
 * @param bucket time granularity of the finite windows (a sliding 10 min window with 10 s
 *     buckets holds the current bucket plus the previous 59); tumbling windows must be a whole
 *     number of buckets
 * @param maxKeys distinct keys tracked by the finite windows together, and by "since start";
 *     occurrences of further keys count as overflow
 */
public record KeyedChartSpec(
    String id,
    String title,
    Kind kind,
    String by,
    List<Column> columns,
    Filter filter,
    int topK,
    boolean other,
    List<Window> windows,
    String defaultWindow,
    Duration bucket,
    int maxKeys)
    implements ChartSpec {

  /** Upper bound on {@code topK}: a chart is for reading. */
  static final int MAX_TOP = 10_000;

  /** How a keyed chart is drawn. */
  public enum Kind {
    BAR,
    PIE,
    TABLE
  }

  /**
   * One measure shown per key.
   *
   * @param label column header, e.g. "p99"
   * @param measure what the number is
   */
  public record Column(String label, Measure measure) {
    public Column {
      Checks.notNull(label, "column label");
      Checks.notNull(measure, "column measure");
    }
  }

  public KeyedChartSpec {
    Checks.text(id, "chart id");
    Checks.notNull(title, "title");
    Checks.notNull(kind, "kind");
    Checks.text(by, "by");
    columns = List.copyOf(Checks.notNull(columns, "columns"));
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("columns must not be empty: chart " + id);
    }
    if (kind != Kind.TABLE && columns.size() != 1) {
      throw new IllegalArgumentException(kind.name().toLowerCase(java.util.Locale.ROOT)
          + " chart " + id + " must have exactly one column: " + columns.size());
    }
    filter = filter == null ? Filter.ALL : filter;
    Checks.positive(topK, "topK");
    Checks.atMost(topK, MAX_TOP, "topK");
    windows = List.copyOf(Checks.notNull(windows, "windows"));
    if (windows.isEmpty()) {
      throw new IllegalArgumentException("windows must not be empty: chart " + id);
    }
    Checks.positiveMillis(bucket, "bucket");
    Checks.positive(maxKeys, "maxKeys");
    Set<String> ids = new HashSet<>();
    for (Window window : windows) {
      if (!ids.add(window.id())) {
        throw new IllegalArgumentException("duplicate window id: " + window.id());
      }
    }
    if (!ids.contains(defaultWindow)) {
      throw new IllegalArgumentException(
          "defaultWindow must be one of " + ids + ": " + defaultWindow);
    }
    footprint(windows, bucket, maxKeys, measures(columns)).check();
  }

  /** The columns' measures, in order. */
  public List<Measure> measures() {
    return measures(columns);
  }

  private static List<Measure> measures(List<Column> columns) {
    return columns.stream().map(Column::measure).toList();
  }

  /** Ring buckets the finite windows need: the longest one's. */
  static int ringBuckets(List<Window> windows, Duration bucket) {
    int ring = 0;
    for (Window window : windows) {
      if (!window.isSinceStart()) {
        ring = Math.max(ring, windowBuckets(window, bucket));
      }
    }
    return ring;
  }

  /** Buckets of one finite window: sliding rounds up, tumbling must be whole. */
  static int windowBuckets(Window window, Duration bucket) {
    String name = "window " + window.id();
    return window.tumbling()
        ? Checks.wholeBuckets(window.length(), bucket, name)
        : Checks.bucketsFor(window.length(), bucket, name);
  }

  static ChartSpecs.Footprint footprint(
      List<Window> windows, Duration bucket, int maxKeys, List<Measure> measures) {
    Window longest = null;
    int ring = 0;
    for (Window window : windows) {
      if (!window.isSinceStart()) {
        int buckets = windowBuckets(window, bucket);
        if (buckets > ring) {
          ring = buckets;
          longest = window;
        }
      }
    }
    // One total (or merge) row per window besides the ring's.
    String span = longest == null ? "window " + windows.get(0).id() + " (since start)"
        : "window " + Checks.shortText(longest.length());
    return new ChartSpecs.Footprint(span, bucket, ring + windows.size(), maxKeys,
        ChartSpecs.KEY_BYTES, measures);
  }

  @Override
  public String type() {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
