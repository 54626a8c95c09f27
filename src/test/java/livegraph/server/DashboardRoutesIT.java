package livegraph.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import livegraph.Transport;
import livegraph.hub.Hub;
import livegraph.testing.Poll;
import livegraph.testing.TestViewer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several dashboards behind one server, over real sockets on 127.0.0.1. */
class DashboardRoutesIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private EventLoopGroup group;
  private Hub a;
  private Hub b;
  private Hub spaced;
  private ViewerServer server;
  private final HttpClient http = HttpClient.newHttpClient(); // follows no redirects

  @BeforeEach
  void start() throws Exception {
    group = Transport.group(2, "test-routes");
    a = hub("a");
    b = hub("b");
    spaced = hub("my dash");
    Map<Dashboards.Entry, Hub> hubs = new LinkedHashMap<>();
    hubs.put(new Dashboards.Entry("a", "Dashboard A"), a);
    hubs.put(new Dashboards.Entry("b", "<b>B</b> & co"), b);
    hubs.put(new Dashboards.Entry("my dash", "Spaced"), spaced);
    server = new ViewerServer(Dashboards.of(hubs), () -> bytes("{}"), Set.of(), group)
        .start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void dashboardPage_isServedUnderItsName_withItsAssets_andTheBareNameRedirects() throws Exception {
    HttpResponse<String> page = get("/d/a/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("src=\"app.js\"");
    assertThat(page.headers().firstValue("content-security-policy")).isPresent();

    assertThat(get("/d/a/app.js").statusCode()).isEqualTo(200);
    assertThat(get("/d/b/vendor/plotly-cartesian-4.1.1.min.js").statusCode()).isEqualTo(200);
    // The exported page's code is inlined into exported files, not served.
    assertThat(get("/d/b/export/engine.js").statusCode()).isEqualTo(404);
    assertThat(get("/export/live.js").statusCode()).isEqualTo(404);

    HttpResponse<String> bare = get("/d/a");
    assertThat(bare.statusCode()).isEqualTo(301);
    assertThat(bare.headers().firstValue("location")).hasValue("/d/a/");
    assertThat(get("/d/my%20dash").headers().firstValue("location")).hasValue("/d/my%20dash/");
    assertThat(get("/d/my%20dash/").statusCode()).isEqualTo(200);
  }

  @Test
  void unknownDashboard_is404_forPageRedirectAssetAndSocket() throws Exception {
    for (String path : new String[] {"/d/zzz/", "/d/zzz", "/d/zzz/app.js", "/d/zzz/ws", "/d//"}) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(404);
    }
    assertThatThrownBy(() -> TestViewer.connect(ws("/d/zzz/ws"), origin()))
        .hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class)
        .hasStackTraceContaining("404");
  }

  @Test
  void root_listsTheDashboards_andDashboardsJsonNamesTitlesAndPaths() throws Exception {
    HttpResponse<String> root = get("/");
    assertThat(root.statusCode()).isEqualTo(200);
    assertThat(root.body()).contains("src=\"dashboards.js\"").doesNotContain("app.js");

    HttpResponse<String> list = get("/dashboards.json");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(list.headers().firstValue("cache-control")).hasValue("no-store");
    assertThat(JSON.readTree(list.body())).isEqualTo(JSON.readTree(
        "[{\"name\":\"a\",\"title\":\"Dashboard A\",\"path\":\"/d/a/\"},"
            + "{\"name\":\"b\",\"title\":\"<b>B</b> & co\",\"path\":\"/d/b/\"},"
            + "{\"name\":\"my dash\",\"title\":\"Spaced\",\"path\":\"/d/my%20dash/\"}]"));
  }

  @Test
  void eachSocket_joinsItsOwnDashboardsHub_andRootSocketTheFirst() throws Exception {
    try (TestViewer va = TestViewer.connect(ws("/d/a/ws"), origin());
        TestViewer vb = TestViewer.connect(ws("/d/b/ws?resume=1"), origin());
        TestViewer vs = TestViewer.connect(ws("/d/my%20dash/ws"), origin());
        TestViewer root = TestViewer.connect(ws("/ws"), origin())) {
      assertThat(va.next(WAIT).get("name").asText()).isEqualTo("a");
      assertThat(vb.next(WAIT).get("name").asText()).isEqualTo("b");
      assertThat(vs.next(WAIT).get("name").asText()).isEqualTo("my dash");
      assertThat(root.next(WAIT).get("name").asText()).isEqualTo("a");
      Poll.until(WAIT, () -> a.viewers() == 2 && b.viewers() == 1 && spaced.viewers() == 1,
          "viewers counted by their own hubs");

      assertThat(va.next(WAIT).get("type").asText()).isEqualTo("snapshot");
      assertThat(vb.next(WAIT).get("type").asText()).isEqualTo("snapshot");
      b.publish(Map.of("chart", bytes("{\"from\":\"b\"}")));
      assertThat(vb.next(WAIT).at("/charts/chart/from").asText()).isEqualTo("b");
    }
  }

  @Test
  void reloadOfOneDashboard_reachesOnlyItsViewers() throws Exception {
    try (TestViewer va = TestViewer.connect(ws("/d/a/ws"), origin());
        TestViewer vb = TestViewer.connect(ws("/d/b/ws"), origin())) {
      va.next(WAIT);
      long seq = va.next(WAIT).get("seq").asLong();
      vb.next(WAIT);
      vb.next(WAIT);
      Poll.until(WAIT, () -> a.viewers() == 1 && b.viewers() == 1, "both joined");

      a.reset(bytes("{\"type\":\"hello\",\"name\":\"a\",\"version\":2}"), Map.of("new", bytes("{}")));
      a.configError(null);
      b.publish(Map.of("chart", bytes("{\"n\":1}")));

      JsonNode hello = va.next(WAIT);
      assertThat(hello.get("version").asInt()).isEqualTo(2);
      JsonNode snapshot = va.next(WAIT);
      assertThat(snapshot.get("type").asText()).isEqualTo("snapshot");
      assertThat(snapshot.get("seq").asLong()).isGreaterThan(seq);
      assertThat(snapshot.get("charts").has("new")).isTrue();
      assertThat(va.next(WAIT).get("type").asText()).isEqualTo("config-error");
      assertThat(vb.next(WAIT).get("type").asText()).isEqualTo("delta");
    }
  }

  @Test
  void everySocket_checksTheOrigin_andAPlainGetIsToldToUpgrade() throws Exception {
    assertThatThrownBy(() -> TestViewer.connect(ws("/d/b/ws"), "https://evil.example"))
        .hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class)
        .hasStackTraceContaining("403");
    assertThatThrownBy(() -> TestViewer.connect(ws("/ws"), "http://127.0.0.2:" + server.port()))
        .hasStackTraceContaining("403");
    assertThat(b.viewers()).isZero();

    HttpResponse<String> plain = get("/d/b/ws");
    assertThat(plain.statusCode()).isEqualTo(426);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI ws(String path) {
    return URI.create("ws://127.0.0.1:" + server.port() + path);
  }

  private String origin() {
    return "http://127.0.0.1:" + server.port();
  }

  private static Hub hub(String name) {
    return new Hub(bytes("{\"type\":\"hello\",\"name\":\"" + name + "\"}"), Map.of(),
        System::currentTimeMillis, Hub.Limits.defaults());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
