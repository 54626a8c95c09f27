package livegraph.security;

import livegraph.testing.SelfSignedCert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import livegraph.Livegraph;
import livegraph.Transport;
import livegraph.hub.Hub;
import livegraph.server.Dashboards;
import livegraph.server.ViewerSecurity;
import livegraph.server.ViewerServer;
import livegraph.testing.TestViewer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's security checks over real sockets on 127.0.0.1: the WebSocket Origin check on
 * every dashboard's socket, the token on every route, the headers on every response, static
 * paths that try to leave the asset root, and https/wss with a certificate made for the test.
 */
class ServerSecurityIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  static final String TOKEN = "s3cret-Token_0123456789";

  /** Every kind of route the server answers, with the status it gives when allowed. */
  private static final Map<String, Integer> ROUTES = routes();

  @TempDir Path dir;

  private EventLoopGroup group;
  private final List<ViewerServer> servers = new ArrayList<>();

  @BeforeEach
  void start() {
    group = Transport.group(2, "test-security");
  }

  @AfterEach
  void stop() {
    servers.forEach(ViewerServer::close);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static Map<String, Integer> routes() {
    Map<String, Integer> r = new LinkedHashMap<>();
    r.put("/", 200); // the listing page: two dashboards
    r.put("/dashboards.html", 200);
    r.put("/d/a/", 200);
    r.put("/d/a", 301);
    r.put("/app.js", 200);
    r.put("/styles.css", 200);
    r.put("/vendor/plotly-cartesian-4.1.1.min.js", 200);
    r.put("/d/a/app.js", 200);
    r.put("/dashboards.json", 200);
    r.put("/d/a/snapshot.json", 200);
    r.put("/d/a/snapshot.html", 200);
    r.put("/snapshot.json", 200);
    r.put("/d/b/snapshot.html", 500); // b's hello is not a dashboard's: the error path
    r.put("/metrics", 200);
    r.put("/healthz", 200);
    r.put("/nope.js", 404);
    r.put("/d/nope/", 404);
    r.put("/ws", 426); // a socket path without an upgrade
    return r;
  }

  private static Hub hub(String hello) {
    return new Hub(hello.getBytes(StandardCharsets.UTF_8),
        Map.of("c", "{\"n\":1}".getBytes(StandardCharsets.UTF_8)),
        System::currentTimeMillis, Hub.Limits.defaults());
  }

  private ViewerServer start(ViewerSecurity security, String host) throws Exception {
    Map<Dashboards.Entry, Hub> hubs = new LinkedHashMap<>();
    hubs.put(new Dashboards.Entry("a", "A"), hub(
        "{\"type\":\"hello\",\"dashboard\":{\"name\":\"a\",\"title\":\"A\",\"charts\":[]},\"source\":{}}"));
    hubs.put(new Dashboards.Entry("b", "B"), hub("{\"type\":\"hello\"}"));
    ViewerServer server = new ViewerServer(Dashboards.of(hubs),
        () -> "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8),
        () -> "# metrics\n".getBytes(StandardCharsets.UTF_8),
        Set.of("https://allowed.example"), group)
        .withSecurity(security)
        .start(host, 0);
    servers.add(server);
    return server;
  }

  private ViewerServer start(ViewerSecurity security) throws Exception {
    return start(security, "127.0.0.1");
  }

  private static URI ws(ViewerServer server, String path) {
    return URI.create("ws://127.0.0.1:" + server.port() + path);
  }

  // ---- Origin ----

  @Test
  void everyDashboardsSocket_refusesAnotherSitesOrigin_with403_andCountsEach() throws Exception {
    ViewerServer server = start(ViewerSecurity.NONE);
    String[] sockets = {"/ws", "/d/a/ws", "/d/b/ws", "/d/a/ws?filter=x&value=y"};
    String[] hostile = {"https://evil.example", "null", "http://127.0.0.1:1", "http://127.0.0.1." ,
        "https://127.0.0.1:" + server.port(), "http://allowed.example", "file://", "not a url"};
    int refused = 0;
    for (String socket : sockets) {
      for (String origin : hostile) {
        RawHttp.Answer a = RawHttp.get(server.port(), socket, "Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13", "Origin: " + origin);
        assertThat(a.status()).as(socket + " from " + origin).isEqualTo(403);
        assertThat(a.body()).isEqualTo("origin not allowed\n");
        refused++;
      }
    }
    assertThat(server.refusedOrigins()).isEqualTo(refused);
    // and the JDK's client sees the handshake fail, as a page's socket would
    assertThatThrownBy(() -> TestViewer.connect(ws(server, "/d/b/ws"), "https://evil.example"))
        .hasCauseInstanceOf(WebSocketHandshakeException.class).hasStackTraceContaining("403");
  }

  @Test
  void everyDashboardsSocket_admitsItsOwnOrigin_anAllowedOne_andNoOrigin() throws Exception {
    ViewerServer server = start(ViewerSecurity.NONE);
    String own = "http://127.0.0.1:" + server.port();
    for (String socket : new String[] {"/ws", "/d/a/ws", "/d/b/ws"}) {
      for (String origin : new String[] {own, "https://allowed.example", "HTTPS://ALLOWED.EXAMPLE", null}) {
        try (TestViewer v = TestViewer.connect(ws(server, socket), origin)) {
          assertThat(v.next(WAIT).get("type").asText()).as(socket + " from " + origin).isEqualTo("hello");
        }
      }
    }
    assertThat(server.refusedOrigins()).isZero();
  }

  // ---- Token ----

  @Test
  void withToken_everyRoute_missingOrWrongToken_is401_sayingNothingMore_andCounted() throws Exception {
    ViewerServer server = start(ViewerSecurity.NONE.withToken(TOKEN));
    String[][] wrong = {
      {},
      {"Authorization: Bearer " + TOKEN + "x"},
      {"Authorization: Bearer " + TOKEN.substring(1)},
      {"Authorization: Basic " + TOKEN},
      {"Cookie: livegraph_token=" + TOKEN.toUpperCase()},
      {"Cookie: other=" + TOKEN},
    };
    int refused = 0;
    for (String route : ROUTES.keySet()) {
      for (String[] headers : wrong) {
        RawHttp.Answer a = RawHttp.get(server.port(), route, headers);
        assertThat(a.status()).as(route + " " + List.of(headers)).isEqualTo(401);
        assertThat(a.body()).isEqualTo("unauthorized\n");
        assertThat(a.header("www-authenticate")).isEqualTo("Bearer realm=\"livegraph\"");
        assertThat(a.header("set-cookie")).isNull();
        refused++;
      }
      String sep = route.contains("?") ? "&" : "?";
      RawHttp.Answer query = RawHttp.get(server.port(), route + sep + "token=" + TOKEN + "0");
      assertThat(query.status()).as(route + " wrong ?token").isEqualTo(401);
      refused++;
    }
    assertThat(server.refusedTokens()).isEqualTo(refused);
    assertThat(server.refusedOrigins()).isZero();
  }

  @Test
  void withToken_everyRoute_admitsTheBearerHeader_theCookie_andTheQuery_whichSetsAStrictHttpOnlyCookie()
      throws Exception {
    ViewerServer server = start(ViewerSecurity.NONE.withToken(TOKEN));
    for (Map.Entry<String, Integer> route : ROUTES.entrySet()) {
      String path = route.getKey();
      int expected = route.getValue();
      assertThat(RawHttp.get(server.port(), path, "Authorization: Bearer " + TOKEN).status())
          .as(path + " bearer").isEqualTo(expected);
      RawHttp.Answer cookie = RawHttp.get(server.port(), path, "Cookie: a=b; livegraph_token=" + TOKEN);
      assertThat(cookie.status()).as(path + " cookie").isEqualTo(expected);
      assertThat(cookie.header("set-cookie")).isNull();
      RawHttp.Answer query = RawHttp.get(server.port(), path + "?token=" + TOKEN);
      assertThat(query.status()).as(path + " query").isEqualTo(expected);
      // a socket's handshake is a program's or a page's that already has the cookie
      assertThat(query.header("set-cookie")).as(path)
          .isEqualTo(path.equals("/ws") ? null : "livegraph_token=" + TOKEN + "; Path=/; HttpOnly; SameSite=Strict");
    }
    assertThat(server.refusedTokens()).isZero();
  }

  @Test
  void withToken_theSocket_refusesAViewerWithoutIt_andAdmitsOneWithIt() throws Exception {
    ViewerServer server = start(ViewerSecurity.NONE.withToken(TOKEN));
    String own = "http://127.0.0.1:" + server.port();
    assertThatThrownBy(() -> TestViewer.connect(ws(server, "/d/a/ws"), own))
        .hasCauseInstanceOf(WebSocketHandshakeException.class).hasStackTraceContaining("401");
    assertThatThrownBy(() -> TestViewer.connect(ws(server, "/d/a/ws?token=wrong-token-0123456789"), own))
        .hasCauseInstanceOf(WebSocketHandshakeException.class).hasStackTraceContaining("401");
    assertThat(server.refusedTokens()).isEqualTo(2);
    try (TestViewer v = TestViewer.connect(ws(server, "/d/a/ws?token=" + TOKEN), own)) {
      assertThat(v.next(WAIT).get("type").asText()).isEqualTo("hello");
    }
    Recorder recorder = new Recorder();
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .header("Authorization", "Bearer " + TOKEN)
        .header("Cookie", "livegraph_token=" + TOKEN)
        .buildAsync(ws(server, "/d/b/ws"), recorder).get(10, TimeUnit.SECONDS);
    assertThat(recorder.first.get(10, TimeUnit.SECONDS)).contains("\"type\":\"hello\"");
    socket.abort();
    // a token does not replace the origin check
    assertThatThrownBy(() -> TestViewer.connect(ws(server, "/d/a/ws?token=" + TOKEN), "https://evil.example"))
        .hasCauseInstanceOf(WebSocketHandshakeException.class).hasStackTraceContaining("403");
    assertThat(server.refusedTokens()).isEqualTo(2);
    assertThat(server.refusedOrigins()).isEqualTo(1);
  }

  // ---- Bind ----

  @Test
  void byDefault_livegraphListensOnLoopbackOnly_notOnTheMachinesOtherAddresses() throws Exception {
    java.net.InetAddress other = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())
        .stream().filter(i -> { try { return i.isUp(); } catch (java.net.SocketException e) { return false; } })
        .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
        .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress())
        .findFirst().orElse(null);
    org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "this machine has no other IPv4 address");
    try (Livegraph lg = Livegraph.create(Livegraph.Config.defaults()).start(0)) {
      assertThat(RawHttp.get(lg.port(), "/healthz").status()).isEqualTo(200);
      try (java.net.Socket s = new java.net.Socket()) {
        assertThatThrownBy(() -> s.connect(new java.net.InetSocketAddress(other, lg.port()), 5000))
            .as("connect to " + other).isInstanceOf(java.net.ConnectException.class);
      }
    }
    // and --host is what is bound, nothing more (127.0.0.2: another loopback address)
    ViewerServer other2 = start(ViewerSecurity.NONE, "127.0.0.2");
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.2", other2.port()), 5000);
      assertThat(s.isConnected()).isTrue();
    }
    try (java.net.Socket s = new java.net.Socket()) {
      assertThatThrownBy(() -> s.connect(new java.net.InetSocketAddress("127.0.0.1", other2.port()), 5000))
          .isInstanceOf(java.net.ConnectException.class);
    }
  }

  // ---- Headers ----

  @Test
  void everyResponse_carriesCspWithoutInlineScript_nosniff_andReferrerPolicy() throws Exception {
    ViewerServer open = start(ViewerSecurity.NONE);
    ViewerServer locked = start(ViewerSecurity.NONE.withToken(TOKEN));
    List<RawHttp.Answer> answers = new ArrayList<>();
    for (String route : ROUTES.keySet()) {
      answers.add(RawHttp.get(open.port(), route));
      answers.add(RawHttp.send(open.port(), "HEAD", route));
      answers.add(RawHttp.get(locked.port(), route)); // 401
      answers.add(RawHttp.get(locked.port(), route, "Authorization: Bearer " + TOKEN));
    }
    answers.add(RawHttp.send(open.port(), "POST", "/")); // 405
    answers.add(RawHttp.get(open.port(), "/%zz")); // 400 or 404: undecodable
    answers.add(RawHttp.get(open.port(), "/app.js", "If-None-Match: "
        + RawHttp.get(open.port(), "/app.js").header("etag"))); // 304
    answers.add(RawHttp.get(open.port(), "/ws", "Upgrade: websocket", "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13",
        "Origin: https://evil.example")); // 403
    java.util.Set<Integer> statuses = new java.util.TreeSet<>();
    for (RawHttp.Answer a : answers) {
      statuses.add(a.status());
      String csp = a.header("content-security-policy");
      assertThat(csp).as("CSP of a " + a.status()).isNotNull();
      String scriptSrc = csp.replaceAll(".*script-src ([^;]*).*", "$1");
      assertThat(scriptSrc).as("script-src of a " + a.status()).isEqualTo("'self'");
      assertThat(csp).contains("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'")
          .doesNotContain("unsafe-inline' 'self'", "unsafe-eval");
      assertThat(a.header("x-content-type-options")).isEqualTo("nosniff");
      assertThat(a.header("referrer-policy")).isEqualTo("no-referrer");
      assertThat(a.header("x-frame-options")).isEqualTo("DENY");
    }
    assertThat(statuses).contains(200, 301, 304, 401, 403, 404, 405, 426, 500);
  }

  // ---- Static paths ----

  @Test
  void staticPaths_cannotEscapeTheAssetRoot() throws Exception {
    ViewerServer server = start(ViewerSecurity.NONE);
    String[] attempts = {
      "/../pom.xml", "/../../../../etc/passwd", "/%2e%2e/pom.xml", "/%2e%2e/%2e%2e/etc/passwd",
      "/%252e%252e/pom.xml", "/..%2fpom.xml", "/..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e%5cpom.xml",
      "//etc/passwd", "///etc/passwd", "/\\..\\pom.xml", "/..\\..\\etc\\passwd", "/app.js%00.html",
      "/%00", "/etc/passwd", "/d/a/../../pom.xml", "/d/a/%2e%2e/%2e%2e/pom.xml", "/web/index.html",
      "/livegraph/server/HttpHandler.class", "/./app.js/../../pom.xml", "/export/live.js",
      "/d/a/..%252f..%252fpom.xml", "/%c0%ae%c0%ae/pom.xml", "/..;/pom.xml",
      "http://127.0.0.1/../pom.xml", "/file:///etc/passwd", "/C:/Windows/win.ini",
    };
    for (String target : attempts) {
      RawHttp.Answer a = RawHttp.get(server.port(), target);
      assertThat(a.status()).as(target).isIn(400, 404);
      assertThat(a.body()).as(target).doesNotContain("root:", "<project", "[fonts]", "cafebabe");
    }
    // the real assets are still there
    assertThat(RawHttp.get(server.port(), "/app.js").status()).isEqualTo(200);
  }

  // ---- TLS ----

  @Test
  void withTls_aClientTrustingTheCertificate_getsThePageOverHttps_andFramesOverWss() throws Exception {
    SelfSignedCert cert = SelfSignedCert.generate(dir, "server", "EC");
    ViewerServer server = start(ViewerSecurity.NONE.withTls(cert.cert, cert.key).withToken(TOKEN));
    HttpClient https = HttpClient.newBuilder().sslContext(cert.clientContext()).build();
    HttpResponse<String> page = https.send(HttpRequest.newBuilder(
            URI.create("https://127.0.0.1:" + server.port() + "/d/a/?token=" + TOKEN)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<html");
    assertThat(page.headers().firstValue("set-cookie").orElseThrow()).endsWith("; Secure");
    HttpResponse<String> snapshot = https.send(HttpRequest.newBuilder(
            URI.create("https://127.0.0.1:" + server.port() + "/d/a/snapshot.json"))
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(snapshot.body()).contains("\"url\":\"https://127.0.0.1:" + server.port() + "/d/a/\"");

    Recorder recorder = new Recorder();
    WebSocket socket = https.newWebSocketBuilder()
        .header("Origin", "https://127.0.0.1:" + server.port())
        .buildAsync(URI.create("wss://127.0.0.1:" + server.port() + "/d/a/ws?token=" + TOKEN), recorder)
        .get(10, TimeUnit.SECONDS);
    assertThat(recorder.first.get(10, TimeUnit.SECONDS)).contains("\"type\":\"hello\"");
    socket.abort();

    // plain HTTP on the TLS port gets no page
    assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/d/a/?token=" + TOKEN))
        .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.io.IOException.class);
    // nor does a client that does not trust the certificate
    assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("https://127.0.0.1:" + server.port() + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
  }

  /** Collects the first text message of a socket. */
  private static final class Recorder implements WebSocket.Listener {
    final CompletableFuture<String> first = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        first.complete(text.toString());
      }
      ws.request(1);
      return null;
    }
  }
}
