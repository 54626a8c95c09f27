package livegraph.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import livegraph.pipeline.ChartSpec;
import livegraph.pipeline.HistogramSpec;
import livegraph.pipeline.HeatmapSpec;
import livegraph.pipeline.KeyedChartSpec;
import livegraph.pipeline.ListSpec;
import livegraph.pipeline.NumberSpec;
import livegraph.pipeline.TimeSeriesSpec;
import livegraph.pipeline.Window;

/**
 * The browser protocol's description of a dashboard (PROTOCOL.md): the {@code hello} message a
 * page lays itself out from, the {@code config-error} banner, and {@code /dashboards.json}.
 * Encoded once per dashboard version and shared by every viewer.
 */
public final class HelloJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the page says about where the events come from.
   *
   * @param description for people, e.g. "Simulated StackExchange feed" or "MQTT 127.0.0.1:1883"
   * @param mode e.g. "simulated", "live", "replay", "custom"
   * @param url the upstream address, or {@code null} when there is none (stdin, a file)
   */
  public record SourceInfo(String description, String mode, String url) {}

  /**
   * The view a hello is for, when it is not the whole dashboard.
   *
   * @param field the field narrowed by
   * @param value its key
   * @param historyFrom epoch ms from which the view counts every event its dashboard took
   * @param complete whether that reaches as far back as every chart does (else the page says
   *     since when it counts)
   */
  public record ViewInfo(String field, String value, long historyFrom, boolean complete) {}

  private HelloJson() {}

  /**
   * {@code {"type":"hello","dashboard":{"name","title","charts":[…]},"source":{…}}}; each chart
   * is {@code {"id","title","kind"}} plus, by kind: bar/pie/table {@code windows} (id, label),
   * {@code defaultWindow}, {@code columns} (labels) and {@code by} (the key's field: a table's
   * first column heading, and the field a click on a key filters by); line/area/heatmap/number {@code measure}
   * (its text, e.g. "p99(latency)"); histogram {@code field}; list {@code fields}.
   */
  public static byte[] hello(Dashboard dashboard, SourceInfo source) {
    return hello(dashboard, source, null);
  }

  /**
   * The hello of a view of the dashboard: as {@link #hello(Dashboard, SourceInfo)}, plus {@code
   * "view":{"field","value","historyFrom","complete"}} ({@code view} null: the whole dashboard,
   * without the key).
   */
  public static byte[] hello(Dashboard dashboard, SourceInfo source, ViewInfo view) {
    ObjectNode s = JSON.createObjectNode();
    s.put("description", source.description());
    s.put("mode", source.mode());
    s.put("url", source.url());
    ObjectNode root = root(dashboard, s);
    if (view != null) {
      ObjectNode v = root.putObject("view");
      v.put("field", view.field());
      v.put("value", view.value());
      v.put("historyFrom", view.historyFrom());
      v.put("complete", view.complete());
    }
    return bytes(root);
  }

  /** Like {@link #hello(Dashboard, SourceInfo)} with any source object the caller built. */
  public static byte[] hello(Dashboard dashboard, JsonNode source) {
    return bytes(root(dashboard, source));
  }

  private static ObjectNode root(Dashboard dashboard, JsonNode source) {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", "hello");
    ObjectNode d = root.putObject("dashboard");
    d.put("name", dashboard.name());
    d.put("title", dashboard.title());
    ArrayNode charts = d.putArray("charts");
    dashboard.charts().forEach(chart -> chart(chart, charts.addObject()));
    root.set("source", source);
    return root;
  }

  /** {@code {"type":"config-error","message":M}}; {@code null} clears the page's banner. */
  public static byte[] configError(String message) {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", "config-error");
    root.put("message", message);
    return bytes(root);
  }

  /** {@code /dashboards.json}: {@code [{"name","title","path":"/d/NAME/"}…]} in serving order. */
  public static byte[] dashboards(List<Dashboard> dashboards) {
    ArrayNode list = JSON.createArrayNode();
    for (Dashboard d : dashboards) {
      list.addObject().put("name", d.name()).put("title", d.title()).put("path", path(d));
    }
    return bytes(list);
  }

  /** Where a dashboard's page is served: {@code /d/NAME/}. */
  public static String path(Dashboard dashboard) {
    return "/d/" + dashboard.name() + "/";
  }

  private static void chart(ChartSpec spec, ObjectNode c) {
    c.put("id", spec.id());
    c.put("title", spec.title());
    c.put("kind", spec.type());
    if (spec instanceof KeyedChartSpec k) {
      ArrayNode windows = c.putArray("windows");
      for (Window w : k.windows()) {
        windows.addObject().put("id", w.id()).put("label", w.label());
      }
      c.put("defaultWindow", k.defaultWindow());
      ArrayNode columns = c.putArray("columns");
      k.columns().forEach(column -> columns.add(column.label()));
      // The key's field: a table's first column heading, and what a click on a key filters by.
      c.put("by", k.by());
    } else if (spec instanceof TimeSeriesSpec t) {
      c.put("measure", t.measure().toString());
    } else if (spec instanceof HeatmapSpec h) {
      c.put("measure", h.measure().toString());
    } else if (spec instanceof NumberSpec n) {
      c.put("measure", n.measure().toString());
    } else if (spec instanceof HistogramSpec h) {
      c.put("field", h.field());
    } else if (spec instanceof ListSpec l) {
      ArrayNode fields = c.putArray("fields");
      l.fields().forEach(fields::add);
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always encodes", e);
    }
  }
}
