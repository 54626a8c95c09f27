package livegraph.pipeline;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A dashboard narrowed to the events that have {@code value} as a key of {@code field}: what a
 * viewer sees after clicking the bar of {@code value} in a chart grouped by {@code field}.
 *
 * <p>Every chart keeps its own filter and gains {@link Condition.HasKey}, so the narrowed numbers
 * are exactly those the clicked bar counted; except a bar, pie or table grouped by {@code field}
 * itself, which stays whole: narrowed it would show the one bar already clicked, whole it shows
 * the others to click next. Lines, areas and heatmaps grouped by the field are narrowed (their
 * total is the clicked key's; their one series is the point of looking).
 *
 * @param field the event field, one some chart groups by (see {@link #fields})
 * @param value the key, at most {@link #MAX_VALUE} characters
 */
public record View(String field, String value) {

  /** Longest key a view accepts; keys come from the page. */
  public static final int MAX_VALUE = 200;

  public View {
    Checks.text(field, "view field");
    Checks.notNull(value, "view value");
    if (value.length() > MAX_VALUE) {
      throw new IllegalArgumentException(
          "view value must be at most " + MAX_VALUE + " characters: " + value.length());
    }
  }

  /** The filter {@code chart} gets in this view: its own, and the key unless it is grouped by it. */
  public Filter filterFor(ChartSpec chart) {
    if (chart instanceof KeyedChartSpec keyed && keyed.by().equals(field)) {
      return chart.filter();
    }
    return chart.filter().and(new Filter(List.of(new Condition.HasKey(field, value))));
  }

  /** The fields a view of {@code charts} may narrow by: every chart's {@code by}, in order. */
  public static Set<String> fields(List<ChartSpec> charts) {
    Set<String> fields = new LinkedHashSet<>();
    for (ChartSpec chart : charts) {
      String by = null;
      if (chart instanceof KeyedChartSpec k) {
        by = k.by();
      } else if (chart instanceof TimeSeriesSpec t) {
        by = t.by();
      } else if (chart instanceof HeatmapSpec h) {
        by = h.by();
      }
      if (by != null) {
        fields.add(by);
      }
    }
    return Collections.unmodifiableSet(fields);
  }
}
