package livegraph.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import livegraph.Transport;
import livegraph.hub.Hub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code snapshot.json} and {@code snapshot.html} from a real server on 127.0.0.1, over HTTP. */
class SnapshotRoutesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long CAPTURED = Instant.parse("2026-11-29T07:41:12.345Z").toEpochMilli();
  private static final String HELLO = "{\"type\":\"hello\",\"dashboard\":{\"name\":\"web\","
      + "\"title\":\"Web </script> & co\",\"charts\":[{\"id\":\"methods\",\"title\":\"Methods\",\"kind\":\"bar\","
      + "\"windows\":[{\"id\":\"10m\",\"label\":\"10 min\"}],\"defaultWindow\":\"10m\",\"columns\":[\"count\"]}]},"
      + "\"source\":{\"description\":\"test feed\",\"mode\":\"custom\",\"url\":\"\"}}";
  private static final Pattern DATA_BLOCK =
      Pattern.compile("<script type=\"application/json\" id=\"livegraph-snapshot\">(.*?)</script>", Pattern.DOTALL);

  private EventLoopGroup group;
  private Hub web;
  private Hub other;
  private ViewerServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    group = Transport.group(1, "test-snapshot");
    web = new Hub(bytes(HELLO), Map.of("methods", bytes(keyed("GET", 5))), () -> CAPTURED, Hub.Limits.defaults());
    other = new Hub(bytes("{\"type\":\"hello\",\"name\":\"not a dashboard's hello\"}"), Map.of(),
        () -> CAPTURED, Hub.Limits.defaults());
    Map<Dashboards.Entry, Hub> hubs = new LinkedHashMap<>();
    hubs.put(new Dashboards.Entry("web", "Web"), web);
    hubs.put(new Dashboards.Entry("other", "Other"), other);
    server = new ViewerServer(Dashboards.of(hubs), () -> bytes("{}"), Set.of(), group).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void snapshotJson_isTheHubsHelloChartsAndLatestStatus_atTheHubsClock_andFollowsTheHub() throws Exception {
    web.publish(Map.of("methods", bytes(keyed("POST", 7))));
    web.broadcast(bytes("{\"type\":\"status\",\"viewers\":3}"));

    HttpResponse<String> response = get("/d/web/snapshot.json");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
    JsonNode doc = JSON.readTree(response.body());
    assertThat(fieldNames(doc)).isEqualTo("[capturedAt, url, hello, charts, status]");
    assertThat(doc.get("capturedAt").asLong()).isEqualTo(CAPTURED);
    assertThat(doc.get("url").asText()).isEqualTo("http://127.0.0.1:" + server.port() + "/d/web/");
    assertThat(doc.get("hello")).isEqualTo(JSON.readTree(HELLO));
    assertThat(doc.get("charts")).isEqualTo(hubCharts(web));
    assertThat(doc.at("/charts/methods/windows/10m/x/0").asText()).isEqualTo("POST");
    assertThat(doc.at("/charts/methods/windows/10m/columns/0/0").asInt()).isEqualTo(7);
    assertThat(doc.get("status")).isEqualTo(JSON.readTree("{\"type\":\"status\",\"viewers\":3}"));

    web.publish(Map.of("methods", bytes(keyed("PUT", 9))));
    JsonNode later = JSON.readTree(get("/d/web/snapshot.json").body());
    assertThat(later.at("/charts/methods/windows/10m/x/0").asText()).as("the current state, not a cached one")
        .isEqualTo("PUT");
  }

  @Test
  void snapshotHtml_isAnAttachmentNamedForDashboardAndCaptureTime_holdingTheSameDocument() throws Exception {
    web.broadcast(bytes("{\"type\":\"status\",\"viewers\":1}"));

    HttpResponse<String> page = get("/d/web/snapshot.html");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("content-disposition"))
        .hasValue("attachment; filename=\"web-20261129-0741.html\"");
    assertThat(page.headers().firstValue("cache-control")).hasValue("no-store");
    String html = page.body();
    Matcher block = DATA_BLOCK.matcher(html);
    assertThat(block.find()).isTrue();
    assertThat(block.group(1)).doesNotContain("<");
    assertThat(JSON.readTree(block.group(1))).isEqualTo(JSON.readTree(get("/d/web/snapshot.json").body()));
    assertThat(html).contains("connect-src 'none'")
        .contains("<title>Web &lt;/script&gt; &amp; co (snapshot)</title>")
        .doesNotContain("<script src=")
        .doesNotContain("type=\"module\"")
        .doesNotContain("download-snapshot");

    HttpResponse<String> head = http.send(request("/d/web/snapshot.html").method("HEAD", HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("content-disposition")).hasValue("attachment; filename=\"web-20261129-0741.html\"");
    assertThat(head.body()).isEmpty();
  }

  @Test
  void rootSnapshot_isTheFirstDashboards_takenFromItsOwnPage() throws Exception {
    JsonNode doc = JSON.readTree(get("/snapshot.json").body());
    assertThat(doc.at("/hello/dashboard/name").asText()).isEqualTo("web");
    assertThat(doc.get("url").asText())
        .as("/ is the listing when there are two dashboards")
        .isEqualTo("http://127.0.0.1:" + server.port() + "/d/web/");
    assertThat(get("/snapshot.html").headers().firstValue("content-disposition"))
        .hasValue("attachment; filename=\"web-20261129-0741.html\"");
  }

  @Test
  void unknownDashboard_is404_forBothForms() throws Exception {
    for (String path : new String[] {"/d/zzz/snapshot.json", "/d/zzz/snapshot.html", "/d/web/x/snapshot.json"}) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(404);
    }
  }

  @Test
  void aHubWithoutADashboardHello_hasItsDocument_butNoPage() throws Exception {
    HttpResponse<String> json = get("/d/other/snapshot.json");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(json.body()).get("status").isNull()).as("no status broadcast yet").isTrue();

    HttpResponse<String> page = get("/d/other/snapshot.html");
    assertThat(page.statusCode()).isEqualTo(500);
    assertThat(page.body()).startsWith("no snapshot page: no \"hello\" with a dashboard");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
  }

  private static JsonNode hubCharts(Hub hub) throws Exception {
    ObjectNode charts = JSON.createObjectNode();
    for (Map.Entry<String, byte[]> e : hub.charts().entrySet()) {
      charts.set(e.getKey(), JSON.readTree(e.getValue()));
    }
    return charts;
  }

  private static String fieldNames(JsonNode node) {
    java.util.List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names.toString();
  }

  private static String keyed(String key, int count) {
    return "{\"windows\":{\"10m\":{\"x\":[\"" + key + "\"],\"columns\":[[" + count + "]],\"other\":null}},\"overflow\":0}";
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
