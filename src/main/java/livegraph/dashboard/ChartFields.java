package livegraph.dashboard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import livegraph.pipeline.ChartSpec;
import livegraph.pipeline.Condition;
import livegraph.pipeline.HeatmapSpec;
import livegraph.pipeline.HistogramSpec;
import livegraph.pipeline.KeyedChartSpec;
import livegraph.pipeline.ListSpec;
import livegraph.pipeline.Measure;
import livegraph.pipeline.NumberSpec;
import livegraph.pipeline.TimeSeriesSpec;
import livegraph.source.Decoding;
import livegraph.source.Decoding.Extract;

/**
 * The event fields charts read, so a source decodes exactly those: an event carries only what
 * some chart uses, whatever else the messages hold.
 */
public final class ChartFields {

  /** Set by every source itself; never extracted. */
  static final String SOURCE_META = "@source";

  private ChartFields() {}

  /**
   * Every field reference {@code chart} reads, in a stable order: by, measure fields, filter
   * fields, list fields, histogram field.
   */
  public static Set<String> references(ChartSpec chart) {
    Set<String> refs = new LinkedHashSet<>();
    if (chart instanceof KeyedChartSpec k) {
      refs.add(k.by());
      k.measures().forEach(m -> addField(refs, m));
    } else if (chart instanceof TimeSeriesSpec t) {
      if (t.by() != null) {
        refs.add(t.by());
      }
      addField(refs, t.measure());
    } else if (chart instanceof HeatmapSpec h) {
      refs.add(h.by());
      addField(refs, h.measure());
    } else if (chart instanceof NumberSpec n) {
      addField(refs, n.measure());
    } else if (chart instanceof HistogramSpec h) {
      refs.add(h.field());
    } else if (chart instanceof ListSpec l) {
      refs.addAll(l.fields());
    }
    for (Condition c : chart.filter().conditions()) {
      refs.add(c.field());
    }
    refs.remove(SOURCE_META);
    return refs;
  }

  /** The references of all {@code charts}, each once, in chart order. */
  public static Set<String> references(Collection<? extends ChartSpec> charts) {
    Set<String> refs = new LinkedHashSet<>();
    charts.forEach(c -> refs.addAll(references(c)));
    return refs;
  }

  /**
   * A decoding of the whole message (or of {@code payload} inside it) that copies every field
   * {@code charts} read under its own reference: what a source given on the command line needs.
   *
   * @param payload where the event sits in each message, or {@code null} for the whole message
   * @param timeField the event time field, or {@code null} for arrival time
   * @throws IllegalArgumentException naming a bad field reference
   */
  public static Decoding decodingFor(
      Collection<? extends ChartSpec> charts, String payload, String timeField) {
    return withAliases(Map.of(), payload, timeField, Map.of(), references(charts), List.of());
  }

  /**
   * The aliases' extracts followed by one for each of {@code refs} that is not an alias (and,
   * for a time field that is not an alias, one for it too, so charts may show it).
   *
   * @param identity aliases that identify one upstream event, see {@link Decoding#identity()}
   */
  static Decoding withAliases(Map<String, String> accept, String payload, String timeField,
      Map<String, Extract> aliases, Collection<String> refs, List<String> identity) {
    Map<String, Extract> extracts = new LinkedHashMap<>(aliases);
    List<String> wanted = new ArrayList<>(refs);
    if (timeField != null) {
      wanted.add(timeField);
    }
    for (String ref : wanted) {
      if (!ref.equals(SOURCE_META)) {
        extracts.computeIfAbsent(ref, Extract::of);
      }
    }
    Extract timeAlias = timeField == null ? null : aliases.get(timeField);
    String time = timeAlias != null ? timeAlias.path() : timeField;
    return new Decoding(accept, payload, time, List.copyOf(extracts.values()), identity);
  }

  /**
   * The identity keys of all of {@code dashboard}'s sources, each once, in source order: the
   * fields a source must extract beyond those its charts read, so that events re-read after a
   * failover can be recognised. Not part of {@link #references}: the charts do not read them.
   */
  public static Set<String> identityFields(Dashboard dashboard) {
    Set<String> keys = new LinkedHashSet<>();
    dashboard.sources().forEach(s -> keys.addAll(s.decoding().identity()));
    return java.util.Collections.unmodifiableSet(keys);
  }

  static void addField(Set<String> refs, Measure measure) {
    if (measure.field() != null) {
      refs.add(measure.field());
    }
  }
}
