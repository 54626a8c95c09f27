package livegraph.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import livegraph.dashboard.DashboardException;
import livegraph.export.LiveExport.ExportException;
import org.junit.jupiter.api.Test;

/** The exported page as text: what it refuses, which feed it reads, and that it loads nothing. */
class LiveExportTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHART = "charts:\n  - {title: A, type: number}\n";

  private static String oneSource(String name, String kind) {
    return "title: T\nsources:\n  " + name + ": {" + kind + "}\n" + CHART;
  }

  @Test
  void everySourceABrowserCannotOpen_isRefusedByNameAndKind() {
    String yaml = "title: Plant\nsources:\n"
        + "  logs: {stdin: {}}\n"
        + "  tail: {file: {path: app.log}}\n"
        + "  lines: {tcp: {port: 9000}}\n"
        + "  plant: {mqtt: {broker: tcp://127.0.0.1:1883, topics: [a/#]}}\n"
        + "  bus: {nats: {server: nats://127.0.0.1:4222, subjects: [x]}}\n"
        + "  cache: {redis: {server: redis://127.0.0.1:6379, channels: [c]}}\n"
        + "  web: {websocket: {url: ws://127.0.0.1:1/}}\n"
        + CHART;

    assertThatThrownBy(() -> LiveExport.build(yaml, "plant.yaml", List.of()))
        .isInstanceOfSatisfying(ExportException.class, e -> assertThat(e.reasons()).containsExactly(
            refusal("logs", "stdin"), refusal("tail", "file"), refusal("lines", "tcp"),
            refusal("plant", "mqtt"), refusal("bus", "nats"), refusal("cache", "redis")));
  }

  private static String refusal(String name, String kind) {
    return "source \"" + name + "\" (" + kind + ") cannot be reached from a browser; an exported"
        + " page reads websocket and sse sources only";
  }

  @Test
  void aFileWithProblems_isReportedAsFileLineColumn() {
    assertThatThrownBy(() -> LiveExport.build("title: T\nsources:\n  s: {websocket: {url: ws://h/}}\n"
            + "charts:\n  - {title: A, type: lne}\n", "dash/bad.yaml", List.of()))
        .isInstanceOfSatisfying(DashboardException.class, e -> assertThat(e.getMessage())
            .isEqualTo("dash/bad.yaml:5:22: unknown chart type 'lne': did you mean 'line'?"));
  }

  @Test
  void feed_replacesTheOnlySourcesUrl_andTheCspAllowsExactlyItsOrigin() throws Exception {
    LiveExport.Page page = LiveExport.build(stackExchange(), "stackexchange.yaml",
        List.of("ws://127.0.0.1:9000/feed"));

    assertThat(page.feeds()).containsExactly(
        new LiveExport.Feed("stackexchange", "websocket", URI.create("ws://127.0.0.1:9000/feed")));
    assertThat(connectSrc(page.html())).isEqualTo("ws://127.0.0.1:9000");
    assertThat(data(page.html()).path("feeds").toString())
        .isEqualTo("{\"stackexchange\":\"ws://127.0.0.1:9000/feed\"}");
    assertThat(page.title()).isEqualTo("StackExchange activity");
    assertThat(page.charts()).isEqualTo(4);
  }

  @Test
  void withoutFeed_thePageReadsTheFilesOwnUrl() throws Exception {
    LiveExport.Page page = LiveExport.build(stackExchange(), "stackexchange.yaml", List.of());

    assertThat(page.feeds()).extracting(LiveExport.Feed::url)
        .containsExactly(URI.create("wss://qa.sockets.stackexchange.com/"));
    assertThat(connectSrc(page.html())).isEqualTo("wss://qa.sockets.stackexchange.com");
    assertThat(data(page.html()).path("feeds").size()).isZero();
  }

  @Test
  void severalSources_takeNamedFeeds_andTheCspListsEachOrigin() throws Exception {
    String yaml = "title: Two\nsources:\n"
        + "  orders: {sse: {url: 'https://shop.example/events'}}\n"
        + "  quotes: {websocket: {url: 'wss://quotes.example/ws'}}\n" + CHART;

    LiveExport.Page page = LiveExport.build(yaml, "two.yaml", List.of("quotes=ws://127.0.0.1:9001/?a=b"));

    assertThat(page.feeds()).extracting(f -> f.source() + " " + f.kind() + " " + f.url()).containsExactly(
        "orders sse https://shop.example/events", "quotes websocket ws://127.0.0.1:9001/?a=b");
    assertThat(connectSrc(page.html())).isEqualTo("https://shop.example ws://127.0.0.1:9001");
  }

  @Test
  void badFeeds_areRefusedNamingTheSources() {
    String two = "title: Two\nsources:\n"
        + "  orders: {sse: {url: 'http://127.0.0.1:1/e'}}\n"
        + "  quotes: {websocket: {url: 'ws://127.0.0.1:2/'}}\n" + CHART;

    assertThat(reasons(two, "ws://127.0.0.1:9/")).containsExactly("--feed ws://127.0.0.1:9/: the"
        + " dashboard has 2 sources; name the one to replace as --feed NAME=URL (sources: orders, quotes)");
    assertThat(reasons(two, "trades=ws://127.0.0.1:9/")).containsExactly("--feed trades=ws://127.0.0.1:9/:"
        + " the dashboard has no source \"trades\" (sources: orders, quotes)");
    assertThat(reasons(two, "orders=ws://127.0.0.1:9/")).containsExactly("--feed orders=ws://127.0.0.1:9/:"
        + " sse url must be a http or https URL with a host: ws://127.0.0.1:9/");
    assertThat(reasons(two, "quotes=ws://127.0.0.1:9/", "quotes=ws://127.0.0.1:8/")).containsExactly(
        "--feed quotes=ws://127.0.0.1:8/: source \"quotes\" was given a URL already");
    assertThat(reasons(oneSource("s", "websocket: {url: 'ws://h/'}"), "ws://h/#frag"))
        .containsExactly("--feed ws://h/#frag: a WebSocket URL cannot have a fragment (#…): ws://h/#frag");
    assertThat(reasons(oneSource("s", "websocket: {url: 'ws://h/'}"), "ws://a b/"))
        .singleElement().asString().startsWith("--feed ws://a b/: not a URL: ");
  }

  private static List<String> reasons(String yaml, String... feeds) {
    try {
      LiveExport.build(yaml, "d.yaml", List.of(feeds));
    } catch (ExportException e) {
      return e.reasons();
    } catch (DashboardException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("exported with --feed " + List.of(feeds));
  }

  @Test
  void theMarkupLoadsNothing_everyInlineScriptAndStyleIsInline() throws Exception {
    String html = LiveExport.build(stackExchange(), "stackexchange.yaml", List.of("ws://127.0.0.1:9000/")).html();

    // Outside script and style bodies (whose code is not markup), every src and href points
    // into the page itself.
    String markup = html.replaceAll("(?is)(<script\\b[^>]*>).*?</script>", "$1</script>")
        .replaceAll("(?is)(<style\\b[^>]*>).*?</style>", "$1</style>");
    Matcher refs = Pattern.compile("(?i)\\b(src|href|srcset|action|formaction|poster|data)\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s>]+)").matcher(markup);
    List<String> found = new ArrayList<>();
    while (refs.find()) {
      found.add(refs.group(0));
    }
    assertThat(found).isNotEmpty().allSatisfy(ref -> assertThat(ref.replaceAll("^[^=]*=\\s*[\"']?", ""))
        .matches("(#|data:).*"));
    assertThat(markup).doesNotContainIgnoringCase("<iframe").doesNotContainIgnoringCase("<object")
        .doesNotContainIgnoringCase("<embed").doesNotContainIgnoringCase("<base");
    // Styles import nothing and point at nothing outside.
    Matcher styles = Pattern.compile("(?is)<style\\b[^>]*>(.*?)</style>").matcher(html);
    while (styles.find()) {
      assertThat(styles.group(1)).doesNotContain("@import");
      Matcher url = Pattern.compile("url\\(\\s*['\"]?([^)'\"]*)").matcher(styles.group(1));
      while (url.find()) {
        assertThat(url.group(1)).startsWith("data:");
      }
    }
    // The CSP allows nothing but inline code and the feed, and comes before any script.
    assertThat(html.indexOf("Content-Security-Policy")).isLessThan(html.indexOf("<script"));
    assertThat(csp(html)).contains("default-src 'none'").contains("connect-src ws://127.0.0.1:9000;");
  }

  @Test
  void theEmbeddedDashboardText_roundTripsExactly_evenWithScriptEndsInIt() throws Exception {
    String yaml = "# café \u2028 </script><!-- <script>alert(1)</script>\n"
        + "title: \"</script><script>window.__xss=1</script>\"\n"
        + "sources:\n  s: {websocket: {url: 'ws://127.0.0.1:9/'}}\n" + CHART;

    String html = LiveExport.build(yaml, "some/dir/odd name.yaml", List.of()).html();

    JsonNode data = data(html);
    assertThat(data.path("yaml").asText()).isEqualTo(yaml);
    assertThat(data.path("fileName").asText()).isEqualTo("odd name.yaml");
    assertThat(html).doesNotContain("<script>window.__xss").doesNotContain("<script>alert");
  }

  private static String stackExchange() throws Exception {
    try (InputStream in = LiveExportTest.class.getResourceAsStream("/dashboards/stackexchange.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String csp(String html) {
    Matcher m = Pattern.compile("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">").matcher(html);
    assertThat(m.find()).as("a CSP meta element").isTrue();
    String csp = m.group(1);
    assertThat(m.find()).as("only one CSP meta element").isFalse();
    return csp;
  }

  private static String connectSrc(String html) {
    Matcher m = Pattern.compile("connect-src ([^;]*);").matcher(csp(html));
    assertThat(m.find()).as("a connect-src directive").isTrue();
    return m.group(1);
  }

  private static JsonNode data(String html) throws Exception {
    Matcher m = Pattern.compile("(?s)<script type=\"application/json\" id=\"" + LiveExport.DATA_BLOCK
        + "\">(.*?)</script>").matcher(html);
    assertThat(m.find()).as("the dashboard data block").isTrue();
    return JSON.readTree(m.group(1));
  }
}
