package livegraph.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import livegraph.Livegraph;
import livegraph.cli.Main;
import livegraph.emulator.StackExchangeEmulator;
import livegraph.testing.Frames;
import livegraph.testing.Poll;
import livegraph.testing.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import picocli.CommandLine;

/**
 * Snapshots end to end: a real livegraph fed known frames by the in-process StackExchange
 * emulator, {@code livegraph export --snapshot} and the live page's "Download snapshot" link
 * writing the static page, and that page opened from {@code file://} in headless Chromium, which
 * must show the server's values, stay as it was when the server moves on, and make no request.
 */
class SnapshotPageIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COUNTS = "[[\"stackoverflow\",\"diy\",\"math\",\"superuser\"],[4,2,2,1]]";
  private static final DateTimeFormatter JS_ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern DATA_BLOCK =
      Pattern.compile("<script type=\"application/json\" id=\"livegraph-snapshot\">(.*?)</script>", Pattern.DOTALL);

  @TempDir static Path profile;
  @TempDir static Path dir;

  private static StackExchangeEmulator upstream;
  private static Livegraph livegraph;
  private static Chromium chromium;
  private static Path downloads;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    upstream = StackExchangeEmulator.builder().heartbeatInterval(Duration.ofSeconds(1)).start(0);
    livegraph = Livegraph.create(Livegraph.Config.defaults()
        .withFeed("ws://127.0.0.1:" + upstream.port() + "/")).start(0);
    Poll.until(WAIT, () -> upstream.subscribedClients() == 1, "livegraph subscribed upstream");
    String[] sites = {"stackoverflow", "math", "stackoverflow", "superuser", "stackoverflow", "math",
        "stackoverflow", "diy", "diy"};
    for (int i = 0; i < sites.length; i++) {
      upstream.broadcast(Frames.question(sites[i], 100 + i, "Question " + i, List.of("java")));
    }
    Poll.until(WAIT, () -> COUNTS.equals(counts(hubCharts().get("communities"), "10m")), "the server counted the frames");
    downloads = Files.createDirectories(dir.resolve("downloads"));
    chromium = Chromium.start(profile, Chromium::withNetworkLog);
    chromium.downloadTo(downloads);
  }

  @AfterAll
  static void stop() throws Exception {
    Resources.closeAll(chromium, livegraph, upstream);
  }

  @Test
  void cliSnapshot_showsTheServersValues_fromFile_withoutAnyRequest_andStaysAsItWas() throws Exception {
    String from = "http://127.0.0.1:" + livegraph.port() + "/d/stackexchange";
    // The activity chart's buckets move with the clock, so take one that agrees with the hub.
    JsonNode served = chromium.until(WAIT, "snapshot.json equal to the hub's charts", () -> {
      JsonNode doc = getJson(from + "/snapshot.json");
      return doc.get("charts").equals(hubCharts()) ? doc : null;
    });
    assertThat(counts(served.at("/charts/communities"), "10m")).isEqualTo(COUNTS);
    assertThat(served.at("/hello/dashboard/title").asText()).isEqualTo("StackExchange activity");

    Path file = dir.resolve("snap.html");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = new CommandLine(new Main()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute("export", "--snapshot", "--from", from, "--out", file.toString());
    assertThat(err.toString()).isEmpty();
    assertThat(status).isZero();
    JsonNode doc = dataBlock(file);
    assertThat(out.toString()).matches(Pattern.quote("wrote " + file + " (") + "1\\.\\d MB"
        + Pattern.quote("): \"StackExchange activity\", 4 charts, captured ") + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC"
        + Pattern.quote(" from " + from + "/") + "\\R");
    assertThat(counts(doc.at("/charts/communities"), "10m")).isEqualTo(COUNTS);

    chromium.requestedUrls(); // forget the requests so far
    openSnapshot(file);

    assertThat(drawnCommunities()).isEqualTo(COUNTS);
    assertThat(JSON.readTree((String) chromium.js("return JSON.stringify(window.livegraph.charts)")))
        .isEqualTo(doc.get("charts"));
    assertThat(chromium.js("return document.getElementById('status-connection').textContent")).isEqualTo("snapshot");
    assertThat(chromium.js("return document.getElementById('snapshot-caption').textContent")).isEqualTo(
        "Snapshot of StackExchange activity, captured "
            + chromium.js("return new Date(arguments[0]).toLocaleString()", doc.get("capturedAt").asLong())
            + " (" + JS_ISO.format(Instant.ofEpochMilli(doc.get("capturedAt").asLong())) + ") from " + from + "/");
    assertThat(chromium.js("return document.title")).isEqualTo("StackExchange activity (snapshot)");
    assertThat(chromium.js("return document.getElementById('download-snapshot')")).as("no server to ask").isNull();

    new Select(chromium.driver().findElement(By.id("window-communities"))).selectByValue("1h");
    chromium.until(WAIT, "the 1h window drawn from the file", () ->
        counts(doc.at("/charts/communities"), "1h").equals(drawnCommunities()));

    chromium.driver().findElement(By.id("csv-communities")).click();
    assertThat(download(Pattern.compile("stackexchange-communities-\\d{8}-\\d{6}\\.csv"))).isEqualTo(
        "apiSiteParameter,Questions\r\nstackoverflow,4\r\ndiy,2\r\nmath,2\r\nsuperuser,1\r\n");

    List<String> requested = chromium.requestedUrls();
    assertThat(requested).as("the log saw the page itself load").contains(file.toUri().toString());
    assertThat(requested).as("requests from the snapshot page")
        .allMatch(url -> url.startsWith("file:") || url.startsWith("data:") || url.startsWith("blob:"));
    assertThat(chromium.consoleErrors()).isEmpty();
    assertThat(chromium.js("return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content"))
        .asString().contains("connect-src 'none'");

    // The server moves on; the file does not.
    for (int i = 0; i < 3; i++) {
      upstream.broadcast(Frames.question("superuser", 200 + i, "Later " + i, List.of("linux")));
    }
    Poll.until(WAIT, () -> "[[\"stackoverflow\",\"superuser\",\"diy\",\"math\"],[4,4,2,2]]".equals(
        counts(getJson(from + "/snapshot.json").at("/charts/communities"), "10m")), "the server counted the later frames");
    new Select(chromium.driver().findElement(By.id("window-communities"))).selectByValue("10m");
    chromium.until(WAIT, "the 10m window again", () -> COUNTS.equals(drawnCommunities()));
    chromium.driver().navigate().refresh();
    chromium.until(WAIT, "the reloaded snapshot drawn", () -> COUNTS.equals(drawnCommunities()));
    assertThat(JSON.readTree((String) chromium.js("return JSON.stringify(window.livegraph.charts)")))
        .isEqualTo(doc.get("charts"));

    // And the browser itself refuses a connection from it.
    Object refused = chromium.driver().executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "let violated = null;"
        + "document.addEventListener('securitypolicyviolation', (e) => { violated = e.effectiveDirective; });"
        + "fetch(arguments[0]).then(() => done('fetched'), (e) => setTimeout(() => done(e.name + ' ' + violated), 0));",
        "http://127.0.0.1:" + livegraph.port() + "/healthz");
    assertThat(refused).isEqualTo("TypeError connect-src");
  }

  @Test
  void downloadSnapshotLink_ofTheLivePage_savesAStaticPageOfWhatTheServerHas() throws Exception {
    chromium.open("http://127.0.0.1:" + livegraph.port() + "/");
    chromium.until(WAIT, "page connected", () -> "live".equals(chromium.js("return window.livegraph.connection")));
    JsonNode communities = hubCharts().get("communities");
    chromium.until(WAIT, "the live page drawn", () -> counts(communities, "10m").equals(drawnCommunities()));

    chromium.driver().findElement(By.id("download-snapshot")).click();

    Path file = chromium.until(WAIT, "the snapshot saved", () -> find(Pattern.compile("stackexchange-\\d{8}-\\d{4}\\.html")));
    JsonNode doc = dataBlock(file);
    assertThat(doc.at("/charts/communities")).isEqualTo(communities);
    assertThat(doc.get("url").asText()).isEqualTo("http://127.0.0.1:" + livegraph.port() + "/");
    assertThat(chromium.requestedUrls()).as("the network log sees the live page's requests")
        .contains("http://127.0.0.1:" + livegraph.port() + "/app.js", "ws://127.0.0.1:" + livegraph.port() + "/ws");
    openSnapshot(file);
    assertThat(drawnCommunities()).isEqualTo(counts(communities, "10m"));
    assertThat(chromium.requestedUrls()).contains(file.toUri().toString())
        .allMatch(url -> url.startsWith("file:") || url.startsWith("data:"));
    Files.delete(file);
  }

  // --- helpers ---------------------------------------------------------------------------

  private static void openSnapshot(Path file) {
    chromium.open(file.toUri().toString());
    chromium.until(WAIT, "the snapshot drawn", () -> chromium.js(
        "const d = document.getElementById('chart-communities'); return !!(d && d.data && d.data[0])"));
  }

  /** The communities bars as drawn: [[keys…],[counts…]] as JSON. */
  private static String drawnCommunities() {
    return (String) chromium.js("const d = document.getElementById('chart-communities').data;"
        + "return d && d[0] ? JSON.stringify([d[0].x, d[0].y]) : null;");
  }

  /** A keyed state's window as [[keys…],[first column…]] in JSON. */
  private static String counts(JsonNode state, String window) {
    JsonNode w = state.at("/windows/" + window);
    return "[" + w.get("x") + "," + w.at("/columns/0") + "]";
  }

  private static ObjectNode hubCharts() {
    ObjectNode charts = JSON.createObjectNode();
    try {
      for (Map.Entry<String, byte[]> e : livegraph.hub().charts().entrySet()) {
        charts.set(e.getKey(), JSON.readTree(e.getValue()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return charts;
  }

  private static JsonNode getJson(String url) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode dataBlock(Path file) throws IOException {
    Matcher m = DATA_BLOCK.matcher(Files.readString(file, StandardCharsets.UTF_8));
    assertThat(m.find()).as("the snapshot's data block").isTrue();
    return JSON.readTree(m.group(1));
  }

  private static String download(Pattern name) throws IOException {
    Path file = chromium.until(WAIT, "a download named like " + name, () -> find(name));
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Files.delete(file);
    return text;
  }

  private static Path find(Pattern name) {
    try (Stream<Path> files = Files.list(downloads)) {
      return files.filter(f -> name.matcher(f.getFileName().toString()).matches())
          .filter(f -> f.toFile().length() > 0).findFirst().orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
