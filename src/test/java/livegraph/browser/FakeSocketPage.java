package livegraph.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real page (index.html, its modules, vendored Plotly) in headless Chromium under the
 * server's CSP, with its WebSocket replaced by a fake the test drives (fake-socket.js). Opened
 * once per test class (loading Plotly costs seconds here) by registering it as a static
 * {@code @RegisterExtension} field, {@code FakeSocketPage.perClass(hello)}; after each test it
 * checks that the browser logged no errors (nor CSP refusals) and that no hostile text ran as
 * script ({@code window.__xss}). Test thread only.
 */
final class FakeSocketPage implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  static final Duration WAIT = Duration.ofSeconds(15);
  private static final Path WEB = Path.of("src", "main", "resources", "web").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String hello;
  private Path profile;
  private StaticSite site;
  private Chromium chromium;
  private long seq = 100; // the last seq sent to the page

  private FakeSocketPage(String hello) {
    this.hello = hello;
  }

  /** A page to be opened before the class's first test, its socket answered with {@code hello}. */
  static FakeSocketPage perClass(String hello) {
    return new FakeSocketPage(hello);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    profile = Files.createTempDirectory("livegraph-chromium");
    open();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    assertThat(chromium.consoleErrors()).isEmpty();
    assertThat(js("return window.__xss === undefined")).isEqualTo(true);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      close();
    } finally {
      deleteTree(profile);
    }
  }

  /** Serves the page, opens it, answers its socket with {@code hello} and waits until it is live. */
  private void open() throws IOException {
    String index = Files.readString(WEB.resolve("index.html"), StandardCharsets.UTF_8);
    String module = "<script type=\"module\" src=\"app.js\"></script>";
    assertThat(index).contains(module);
    site = StaticSite.start(WEB)
        .put("/index.html", index.replace(module, "<script src=\"test-fake-socket.js\" defer></script>" + module))
        .put("/test-fake-socket.js", resource("fake-socket.js"));
    try {
      chromium = Chromium.start(profile);
    } catch (RuntimeException e) {
      site.close();
      throw e;
    }
    try {
      load(site.url("/"));
    } catch (RuntimeException | AssertionError e) {
      AssertionError failed = new AssertionError("the page did not come up; browser console: "
          + chromium.consoleLog(), e);
      close();
      throw failed;
    }
  }

  /**
   * A new load of the page at {@code url} (on this site, e.g. with a query from {@link #url}),
   * its socket answered with the class's hello; returns once it is live. Checks first that the
   * page being left logged no errors, since opening forgets the console.
   */
  void load(String url) {
    assertThat(chromium.consoleErrors()).as("browser console before loading " + url).isEmpty();
    chromium.open(url);
    chromium.until(WAIT, "the page to open its socket", () -> js("return fakeWs.sockets.length === 1"));
    js("fakeWs.current().serverOpen()");
    send(hello);
    chromium.until(WAIT, "connection live", () -> "live".equals(js("return livegraph.connection")));
  }

  /** The address of {@code pathAndQuery} on this site. */
  String url(String pathAndQuery) {
    return site.url(pathAndQuery);
  }

  /** The class's hello, as sent on each load. */
  String hello() {
    return hello;
  }

  Chromium chromium() {
    return chromium;
  }

  Object js(String script, Object... args) {
    return chromium.js(script, args);
  }

  <T> T until(String description, java.util.function.Supplier<T> probe) {
    return chromium.until(WAIT, description, probe);
  }

  String text(String id) {
    return (String) js("return document.getElementById(arguments[0]).textContent", id);
  }

  /** Delivers one text frame to the page, as the server would. */
  void send(String frame) {
    js("fakeWs.current().serverSend(arguments[0])", frame);
  }

  /** Sends a snapshot at the next seq. */
  void snapshot(Map<String, Object> charts) {
    send(frame("snapshot", ++seq, charts));
  }

  /** A delta at the next seq (not yet sent). */
  String delta(Map<String, Object> charts) {
    return frame("delta", ++seq, charts);
  }

  long seq() {
    return seq;
  }

  void seq(long value) {
    seq = value;
  }

  static String frame(String type, long frameSeq, Map<String, Object> charts) {
    Map<String, Object> frame = new LinkedHashMap<>();
    frame.put("type", type);
    frame.put("seq", frameSeq);
    frame.put("charts", charts);
    return json(frame);
  }

  /** Returns once the page has painted two more frames: anything scheduled by now has run. */
  void afterTwoAnimationFrames() {
    chromium.driver().executeAsyncScript(
        "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()))");
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode test frame: " + value, e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = FakeSocketPage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void close() {
    try {
      if (chromium != null) {
        chromium.close();
      }
    } finally {
      if (site != null) {
        site.close();
      }
      chromium = null;
      site = null;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
