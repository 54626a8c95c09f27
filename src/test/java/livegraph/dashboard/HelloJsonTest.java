package livegraph.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hello message and dashboards.json, compared as JSON trees with the brief's contract. */
class HelloJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Dashboard dashboard = dashboard();

  private static Dashboard dashboard() {
    try {
      return DashboardLoader.parse("""
          title: Web "requests"
          name: web
          sources:
            logs: {stdin: {}}
          charts:
            - {id: b, title: By path, type: bar, by: path, windows: [1m, all], defaultWindow: all}
            - {id: t, title: Table, type: table, by: path, columns: [count, {label: p99, measure: p99(latency)}]}
            - {id: l, title: Rate, type: area, measure: rate(bytes)}
            - {id: h, title: Heat, type: heatmap, by: host, measure: p99.9(latency)}
            - {id: n, title: Users, type: number, measure: distinct(user)}
            - {id: g, title: Latency, type: histogram, field: /timing/ms, min: 0, max: 100}
            - {id: s, title: Latest, type: list, fields: [msg, level]}
          """, "web.yaml");
    } catch (DashboardException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  @Test
  void hello_describesEveryChartKind_withItsOwnFields_andTheCallersSource() throws Exception {
    byte[] hello = HelloJson.hello(dashboard,
        new HelloJson.SourceInfo("standard input", "custom", null));

    assertThat(JSON.readTree(hello)).isEqualTo(JSON.readTree("""
        {"type":"hello",
         "dashboard":{"name":"web","title":"Web \\"requests\\"","charts":[
           {"id":"b","title":"By path","kind":"bar",
            "windows":[{"id":"1m","label":"1 min"},{"id":"all","label":"since start"}],
            "defaultWindow":"all","columns":["count"],"by":"path"},
           {"id":"t","title":"Table","kind":"table",
            "windows":[{"id":"10m","label":"10 min"},{"id":"1h","label":"1 hour"},
                       {"id":"all","label":"since start"}],
            "defaultWindow":"10m","columns":["count","p99"],"by":"path"},
           {"id":"l","title":"Rate","kind":"area","measure":"rate(bytes)"},
           {"id":"h","title":"Heat","kind":"heatmap","measure":"p99.9(latency)"},
           {"id":"n","title":"Users","kind":"number","measure":"distinct(user)"},
           {"id":"g","title":"Latency","kind":"histogram","field":"/timing/ms"},
           {"id":"s","title":"Latest","kind":"list","fields":["msg","level"]}]},
         "source":{"description":"standard input","mode":"custom","url":null}}
        """));
  }

  @Test
  void helloOfAView_carriesItsFieldValueAndHistory_andTheWholeDashboardsHas_noView()
      throws Exception {
    HelloJson.SourceInfo source = new HelloJson.SourceInfo("standard input", "custom", null);

    JsonNode view = JSON.readTree(HelloJson.hello(dashboard, source,
        new HelloJson.ViewInfo("path", "/a <b>", 1_700_000_000_000L, false)));
    JsonNode whole = JSON.readTree(HelloJson.hello(dashboard, source));

    assertThat(view.get("view")).isEqualTo(JSON.readTree("""
        {"field":"path","value":"/a <b>","historyFrom":1700000000000,"complete":false}"""));
    assertThat(view.get("dashboard")).isEqualTo(whole.get("dashboard"));
    assertThat(whole.has("view")).isFalse();
  }

  @Test
  void dashboard_isTheHellosDashboardObject_byteForByte() throws Exception {
    byte[] hello = HelloJson.hello(dashboard, new HelloJson.SourceInfo("x", "custom", null));
    String whole = new String(hello, StandardCharsets.UTF_8);
    String alone = new String(HelloJson.dashboard(dashboard), StandardCharsets.UTF_8);

    assertThat(whole).contains("\"dashboard\":" + alone + ",\"source\":");
    assertThat(JSON.readTree(alone)).isEqualTo(JSON.readTree(hello).get("dashboard"));
  }

  @Test
  void hello_ofTheBuiltInDashboard_hasItsFourChartsInOrder() throws Exception {
    JsonNode hello = JSON.readTree(HelloJson.hello(StackExchangeDashboard.create(),
        new HelloJson.SourceInfo("Simulated StackExchange feed", "simulated",
            "ws://127.0.0.1:1/")));

    assertThat(hello.at("/dashboard/charts").findValuesAsText("kind"))
        .containsExactly("bar", "bar", "line", "list");
    assertThat(hello.at("/dashboard/charts/0/columns/0").asText()).isEqualTo("Questions");
    assertThat(hello.at("/source/url").asText()).isEqualTo("ws://127.0.0.1:1/");
  }

  @Test
  void dashboardsJson_listsNameTitleAndPath_inOrder() throws Exception {
    Dashboard se = StackExchangeDashboard.create();

    String json = new String(HelloJson.dashboards(List.of(se, dashboard)), StandardCharsets.UTF_8);

    assertThat(JSON.readTree(json)).isEqualTo(JSON.readTree("""
        [{"name":"stackexchange","title":"StackExchange activity","path":"/d/stackexchange/"},
         {"name":"web","title":"Web \\"requests\\"","path":"/d/web/"}]
        """));
  }

  @Test
  void configError_carriesTheMessageAsText_orNullToClear() throws Exception {
    assertThat(JSON.readTree(HelloJson.configError("dash.yaml:12:5: <b>top</b> must be…")))
        .isEqualTo(JSON.readTree(
            "{\"type\":\"config-error\",\"message\":\"dash.yaml:12:5: <b>top</b> must be…\"}"));
    assertThat(JSON.readTree(HelloJson.configError(null)).get("message").isNull()).isTrue();
  }
}
