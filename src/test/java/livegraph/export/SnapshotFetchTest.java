package livegraph.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code export --snapshot}'s GET: URL forms, and each failure told apart, against a loopback stub. */
class SnapshotFetchTest {

  private HttpServer server;
  /** Path to (status, body); written by the test thread, read by the server's threads. */
  private final Map<String, Object[]> answers = new ConcurrentHashMap<>();
  private final CountDownLatch release = new CountDownLatch(1);
  /** When set, the Authorization header every request must carry, else 401 (as serve --token). */
  private volatile String requiredAuthorization;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext("/", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      String auth = requiredAuthorization;
      if (auth != null && !auth.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      Object[] answer = answers.get(exchange.getRequestURI().getPath());
      if (answer != null && answer[0].equals(0)) {
        release.await(30, TimeUnit.SECONDS); // a server that never answers
        return;
      }
      int status = answer == null ? 404 : (int) answer[0];
      byte[] body = (answer == null ? "not found" : (String) answer[1]).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void from_takesTheServerOrADashboard_withOrWithoutTheSlash() {
    assertThat(SnapshotFetch.of("http://127.0.0.1:8080").document()).hasToString("http://127.0.0.1:8080/snapshot.json");
    assertThat(SnapshotFetch.of("http://127.0.0.1:8080/").document()).hasToString("http://127.0.0.1:8080/snapshot.json");
    assertThat(SnapshotFetch.of("http://127.0.0.1:8080/d/web").document())
        .hasToString("http://127.0.0.1:8080/d/web/snapshot.json");
    assertThat(SnapshotFetch.of(" http://127.0.0.1:8080/d/my%20dash/ ").document())
        .hasToString("http://127.0.0.1:8080/d/my%20dash/snapshot.json");
    for (String bad : new String[] {"127.0.0.1:8080", "ftp://127.0.0.1/", "http://127.0.0.1:8080/?x=1",
        "http://user:pw@127.0.0.1/", "http://", "not a url"}) {
      assertThatThrownBy(() -> SnapshotFetch.of(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--from must be a URL like http://HOST:PORT or http://HOST:PORT/d/NAME");
    }
  }

  @Test
  void aSnapshot_isReadWithItsFacts() throws Exception {
    answers.put("/d/stackexchange/snapshot.json", new Object[] {200, SnapshotExportTest.DOC});

    Snapshot snapshot = SnapshotFetch.of(base() + "/d/stackexchange").get();

    assertThat(snapshot.json()).isEqualTo(SnapshotExportTest.DOC);
    assertThat(snapshot.title()).isEqualTo("StackExchange activity");
    assertThat(snapshot.charts()).isEqualTo(2);
    assertThat(snapshot.capturedAtMillis()).isEqualTo(SnapshotExportTest.CAPTURED);
    assertThat(snapshot.url()).isEqualTo("http://127.0.0.1:8080/");
  }

  @Test
  void aServerWithAToken_getsItAsABearerHeader_andSaysWhenItIsMissingOrWrong() throws Exception {
    answers.put("/snapshot.json", new Object[] {200, SnapshotExportTest.DOC});
    requiredAuthorization = "Bearer s3cret-token-0123456789";

    assertThat(SnapshotFetch.of(base()).withToken("s3cret-token-0123456789").get().charts()).isPositive();
    assertThatThrownBy(() -> SnapshotFetch.of(base()).get())
        .hasMessage(base() + "/snapshot.json answered HTTP 401: the server needs its token;"
            + " give it with --token or LIVEGRAPH_TOKEN");
    assertThatThrownBy(() -> SnapshotFetch.of(base()).withToken("wrong-token-0123456789").get())
        .hasMessage(base() + "/snapshot.json answered HTTP 401: the server refused the token given");
  }

  @Test
  void nothingListening_isConnectionRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(() -> SnapshotFetch.of("http://127.0.0.1:" + port).get())
        .isInstanceOf(SnapshotFetch.Failure.class)
        .hasMessage("cannot connect to 127.0.0.1:" + port + " (connection refused): is livegraph running there?");
  }

  @Test
  void unknownDashboard_isNamed_withTheOnesThereAre() {
    answers.put("/dashboards.json", new Object[] {200, "[{\"name\":\"web\",\"title\":\"Web\",\"path\":\"/d/web/\"},"
        + "{\"name\":\"logs\",\"title\":\"Logs\",\"path\":\"/d/logs/\"}]"});
    assertThatThrownBy(() -> SnapshotFetch.of(base() + "/d/nope/").get())
        .hasMessage("no dashboard 'nope' at " + base() + "/; it has: web, logs");
    assertThatThrownBy(() -> SnapshotFetch.of(base() + "/d/web").get())
        .hasMessage(base() + "/d/web/ is a livegraph server without snapshots (404 for snapshot.json); is it an older version?");
  }

  @Test
  void anotherServer_isNotLivegraph() {
    assertThatThrownBy(() -> SnapshotFetch.of(base()).get())
        .hasMessage(base() + "/ is not a livegraph server (404 for snapshot.json, and no dashboard listing at "
            + base() + "/dashboards.json)");
    answers.put("/snapshot.json", new Object[] {200, "<!doctype html><p>an app that answers everything"});
    assertThatThrownBy(() -> SnapshotFetch.of(base()).get())
        .hasMessageStartingWith(base() + "/ is not a livegraph server (snapshot.json: not JSON: ");
    answers.put("/snapshot.json", new Object[] {200, "{\"capturedAt\":1}"});
    assertThatThrownBy(() -> SnapshotFetch.of(base()).get())
        .hasMessage(base() + "/ is not a livegraph server (snapshot.json: no \"hello\" with a dashboard and its charts)");
    answers.put("/snapshot.json", new Object[] {500, "boom\n"});
    assertThatThrownBy(() -> SnapshotFetch.of(base()).get())
        .hasMessage(base() + "/snapshot.json answered HTTP 500: boom");
  }

  @Test
  void aDocumentOverTheLimit_isNotRead() {
    answers.put("/snapshot.json", new Object[] {200, SnapshotExportTest.DOC});
    assertThatThrownBy(() -> SnapshotFetch.of(base(), Duration.ofSeconds(10), 256).get())
        .hasMessage(base() + "/snapshot.json is larger than 256 bytes; not read");
  }

  @Test
  void aServerThatNeverAnswers_timesOut() {
    answers.put("/snapshot.json", new Object[] {0, null});
    assertThatThrownBy(() -> SnapshotFetch.of(base(), Duration.ofMillis(300), 1 << 20).get())
        .hasMessageMatching("no (complete )?answer from " + base() + "/snapshot.json within 300 ms");
  }
}
