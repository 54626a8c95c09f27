package livegraph.dashboard;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 *
 * <p>Written with jackson-core's generator only (no data binding), so the browser build
 * describes a dashboard with this same code ({@link #dashboard}).
 */
public final class HelloJson {

  private static final JsonFactory JSON = JsonFactory.builder().build();

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
   * first column heading, and what a click on a key filters by); line/area/heatmap/number {@code measure}
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
    return bytes(json -> {
      json.writeStartObject();
      json.writeStringField("type", "hello");
      json.writeFieldName("dashboard");
      dashboard(json, dashboard);
      json.writeObjectFieldStart("source");
      json.writeStringField("description", source.description());
      json.writeStringField("mode", source.mode());
      json.writeStringField("url", source.url());
      json.writeEndObject();
      if (view != null) {
        json.writeObjectFieldStart("view");
        json.writeStringField("field", view.field());
        json.writeStringField("value", view.value());
        json.writeNumberField("historyFrom", view.historyFrom());
        json.writeBooleanField("complete", view.complete());
        json.writeEndObject();
      }
      json.writeEndObject();
    });
  }

  /** The {@code dashboard} object of {@link #hello}, on its own: what the page lays itself out from. */
  public static byte[] dashboard(Dashboard dashboard) {
    return bytes(json -> dashboard(json, dashboard));
  }

  /** {@code {"type":"config-error","message":M}}; {@code null} clears the page's banner. */
  public static byte[] configError(String message) {
    return bytes(json -> {
      json.writeStartObject();
      json.writeStringField("type", "config-error");
      json.writeStringField("message", message);
      json.writeEndObject();
    });
  }

  /** {@code /dashboards.json}: {@code [{"name","title","path":"/d/NAME/"}…]} in serving order. */
  public static byte[] dashboards(List<Dashboard> dashboards) {
    return bytes(json -> {
      json.writeStartArray();
      for (Dashboard d : dashboards) {
        json.writeStartObject();
        json.writeStringField("name", d.name());
        json.writeStringField("title", d.title());
        json.writeStringField("path", path(d));
        json.writeEndObject();
      }
      json.writeEndArray();
    });
  }

  /** Where a dashboard's page is served: {@code /d/NAME/}. */
  public static String path(Dashboard dashboard) {
    return "/d/" + dashboard.name() + "/";
  }

  private static void dashboard(JsonGenerator json, Dashboard dashboard) throws IOException {
    json.writeStartObject();
    json.writeStringField("name", dashboard.name());
    json.writeStringField("title", dashboard.title());
    json.writeArrayFieldStart("charts");
    for (ChartSpec chart : dashboard.charts()) {
      chart(json, chart);
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void chart(JsonGenerator json, ChartSpec spec) throws IOException {
    json.writeStartObject();
    json.writeStringField("id", spec.id());
    json.writeStringField("title", spec.title());
    json.writeStringField("kind", spec.type());
    if (spec instanceof KeyedChartSpec k) {
      json.writeArrayFieldStart("windows");
      for (Window w : k.windows()) {
        json.writeStartObject();
        json.writeStringField("id", w.id());
        json.writeStringField("label", w.label());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeStringField("defaultWindow", k.defaultWindow());
      json.writeArrayFieldStart("columns");
      for (KeyedChartSpec.Column column : k.columns()) {
        json.writeString(column.label());
      }
      json.writeEndArray();
      // The key's field: a table's first column heading, and what a click on a key filters by.
      json.writeStringField("by", k.by());
    } else if (spec instanceof TimeSeriesSpec t) {
      json.writeStringField("measure", t.measure().toString());
    } else if (spec instanceof HeatmapSpec h) {
      json.writeStringField("measure", h.measure().toString());
    } else if (spec instanceof NumberSpec n) {
      json.writeStringField("measure", n.measure().toString());
    } else if (spec instanceof HistogramSpec h) {
      json.writeStringField("field", h.field());
    } else if (spec instanceof ListSpec l) {
      json.writeArrayFieldStart("fields");
      for (String field : l.fields()) {
        json.writeString(field);
      }
      json.writeEndArray();
    }
    json.writeEndObject();
  }

  /** What writes one document. */
  private interface Writing {
    void writeTo(JsonGenerator json) throws IOException;
  }

  private static byte[] bytes(Writing writing) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      writing.writeTo(json);
    } catch (IOException e) {
      // A ByteArrayOutputStream does not fail; Jackson declares the exception anyway.
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
