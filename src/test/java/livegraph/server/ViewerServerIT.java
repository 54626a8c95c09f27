package livegraph.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.EventLoopGroup;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import livegraph.Transport;
import livegraph.hub.Hub;
import livegraph.testing.Poll;
import livegraph.testing.TestViewer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The viewer server over real sockets on 127.0.0.1, with a hub fed directly by the test. */
class ViewerServerIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private EventLoopGroup group;
  private Hub hub;
  private ViewerServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    group = Transport.group(2, "test-server");
    hub = new Hub("{\"type\":\"hello\"}".getBytes(StandardCharsets.UTF_8),
        Map.of("a", "{\"n\":0}".getBytes(StandardCharsets.UTF_8)),
        System::currentTimeMillis, Hub.Limits.defaults());
    server = new ViewerServer(hub, () -> "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8),
        Set.of("https://allowed.example"), group).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private URI ws() {
    return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
  }

  private String origin() {
    return "http://127.0.0.1:" + server.port();
  }

  @Test
  void page_isServedWithSecurityHeaders_gzip_andEtagRevalidation() throws Exception {
    HttpResponse<byte[]> page = http.send(
        HttpRequest.newBuilder(url("/")).header("Accept-Encoding", "gzip").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
        .contains("script-src 'self'").doesNotContain("unsafe-eval");
    assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("referrer-policy")).hasValue("no-referrer");
    String html = new String(
        page.headers().firstValue("content-encoding").isPresent()
            ? new GZIPInputStream(new java.io.ByteArrayInputStream(page.body())).readAllBytes()
            : page.body(),
        StandardCharsets.UTF_8);
    assertThat(html).contains("<html");

    String etag = page.headers().firstValue("etag").orElseThrow();
    HttpResponse<String> again = http.send(
        HttpRequest.newBuilder(url("/")).header("If-None-Match", etag).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).isEqualTo(304);

    HttpResponse<String> plotly = http.send(
        HttpRequest.newBuilder(url("/vendor/plotly-cartesian-4.1.1.min.js")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(plotly.statusCode()).isEqualTo(200);
    assertThat(plotly.headers().firstValue("cache-control").orElseThrow()).contains("immutable");
    assertThat(plotly.body()).contains("plotly.js (cartesian - minified) v4.1.1");

    HttpResponse<byte[]> zipped = http.send(
        HttpRequest.newBuilder(url("/vendor/plotly-cartesian-4.1.1.min.js"))
            .header("Accept-Encoding", "gzip").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(zipped.headers().firstValue("content-encoding")).hasValue("gzip");
    assertThat(zipped.body().length).isLessThan(plotly.body().length() / 2);
    assertThat(new String(new GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))
        .readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(plotly.body());
  }

  @Test
  void unknownAndEscapingPaths_are404() throws Exception {
    for (String path : new String[] {"/nope.js", "/../pom.xml", "/%2e%2e/pom.xml", "/web/index.html"}) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(url(path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(404);
    }
    // a raw request line the client library would normalise
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.getOutputStream().write(
          "GET /../../../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(head).isEqualTo("HTTP/1.1 404");
    }
  }

  @Test
  void healthz_isJson() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url("/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
  }

  @Test
  void websocketFromAnotherSite_isRefused_ownAndAllowedOriginsAccepted() throws Exception {
    assertThatThrownBy(() -> TestViewer.connect(ws(), "https://evil.example"))
        .hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class)
        .hasStackTraceContaining("403");
    try (TestViewer own = TestViewer.connect(ws(), origin());
        TestViewer allowed = TestViewer.connect(ws(), "https://allowed.example")) {
      assertThat(own.next(WAIT).get("type").asText()).isEqualTo("hello");
      assertThat(allowed.next(WAIT).get("type").asText()).isEqualTo("hello");
    }
  }

  @Test
  void viewer_getsHelloSnapshotThenDeltas_andResumeAnswersWhatItMissed() throws Exception {
    try (TestViewer v = TestViewer.connect(ws(), origin())) {
      assertThat(v.next(WAIT).get("type").asText()).isEqualTo("hello");
      JsonNode snapshot = v.next(WAIT);
      assertThat(snapshot.get("type").asText()).isEqualTo("snapshot");
      long seq = snapshot.get("seq").asLong();
      Poll.until(WAIT, () -> hub.viewers() == 1, "viewer registered");

      hub.publish(Map.of("a", "{\"n\":1}".getBytes(StandardCharsets.UTF_8)));
      hub.publish(Map.of("a", "{\"n\":2}".getBytes(StandardCharsets.UTF_8)));
      JsonNode d1 = v.next(WAIT);
      JsonNode d2 = v.next(WAIT);
      assertThat(d1.get("seq").asLong()).isEqualTo(seq + 1);
      assertThat(d2.get("seq").asLong()).isEqualTo(seq + 2);
      assertThat(d2.at("/charts/a/n").asInt()).isEqualTo(2);

      v.send("{\"type\":\"resume\",\"seq\":" + (seq + 1) + "}");
      JsonNode again = v.next(WAIT);
      assertThat(again.get("type").asText()).isEqualTo("delta");
      assertThat(again.get("seq").asLong()).isEqualTo(seq + 2);
    }
  }

  @Test
  void reconnectingViewer_resumesFromTheUrl_withoutASnapshot() throws Exception {
    long seq = hub.seq();
    hub.publish(Map.of("a", "{\"n\":5}".getBytes(StandardCharsets.UTF_8)));
    try (TestViewer v = TestViewer.connect(URI.create(ws() + "?resume=" + seq), origin())) {
      assertThat(v.next(WAIT).get("type").asText()).isEqualTo("hello");
      JsonNode d = v.next(WAIT);
      assertThat(d.get("type").asText()).isEqualTo("delta");
      assertThat(d.get("seq").asLong()).isEqualTo(seq + 1);
    }
  }

  @Test
  void invalidClientMessages_getAnError_thenTheViewerIsClosedWith1008() throws Exception {
    try (TestViewer v = TestViewer.connect(ws(), origin())) {
      v.next(WAIT);
      v.next(WAIT);
      v.send("not json");
      assertThat(v.until(WAIT, "error", m -> m.get("type").asText().equals("error"))
          .get("message").asText()).contains("not JSON");
      v.send("{\"type\":\"subscribe\"}");
      assertThat(v.until(WAIT, "error", m -> m.get("type").asText().equals("error"))
          .get("message").asText()).contains("unknown type: subscribe");
      for (int i = 0; i < ViewerHandler.MAX_BAD; i++) {
        v.send("[]");
      }
      assertThat(v.closeCode(WAIT)).isEqualTo(1008);
    }
  }

  @Test
  void oversizedClientMessage_closesWith1009() throws Exception {
    try (TestViewer v = TestViewer.connect(ws(), origin())) {
      v.next(WAIT);
      v.send("{\"type\":\"resume\",\"pad\":\"" + "x".repeat(ViewerServer.MAX_CLIENT_FRAME) + "\"}");
      assertThat(v.closeCode(WAIT)).isEqualTo(1009);
    }
  }

  @Test
  void stalledViewer_isSkippedForward_whileAnotherGetsEveryDeltaInOrder() throws Exception {
    try (Socket stalled = stalledViewer(); TestViewer healthy = TestViewer.connect(ws(), origin())) {
      healthy.next(WAIT);
      long seq = healthy.next(WAIT).get("seq").asLong();
      Poll.until(WAIT, () -> hub.viewers() == 2, "two viewers");

      String big = "{\"pad\":\"" + "y".repeat(100_000) + "\",\"n\":";
      int frames = 120; // 12 MB: far past the stalled socket's buffers and the 1 MiB high mark
      // Lockstep: the healthy viewer must get each frame before the next is published, so any
      // wait on the stalled viewer would show up as a missing or late delta here.
      for (int i = 1; i <= frames; i++) {
        hub.publish(Map.of("a", (big + i + "}").getBytes(StandardCharsets.UTF_8)));
        JsonNode d = healthy.next(WAIT);
        assertThat(d.get("type").asText()).isEqualTo("delta");
        assertThat(d.get("seq").asLong()).isEqualTo(seq + i);
      }
      assertThat(hub.skippedForward()).isPositive();
      assertThat(hub.viewers()).isEqualTo(2);
      assertThat(stalled.isConnected()).isTrue();
    }
  }

  /** A viewer that completes the handshake and then never reads. */
  private Socket stalledViewer() throws Exception {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", server.port()));
    OutputStream out = s.getOutputStream();
    out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    InputStream in = s.getInputStream();
    byte[] status = in.readNBytes(12);
    assertThat(new String(status, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 101");
    return s;
  }
}
