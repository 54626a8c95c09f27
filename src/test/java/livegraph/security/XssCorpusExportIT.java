package livegraph.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import livegraph.browser.Chromium;
import livegraph.emulator.StackExchangeEmulator;
import livegraph.export.LiveExport;
import livegraph.testing.Poll;
import livegraph.testing.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The XSS corpus ({@link XssCorpus}) through the exported live page ({@code livegraph export}):
 * the dashboard file carrying a payload in every title and label is exported with
 * {@link LiveExport}, the file is opened from {@code file://} in Chromium, and the page itself
 * reads the local emulator (its real protocol, on loopback), whose frames carry one payload in
 * every field the feed has. Here no server is between the feed and the page: the in-browser
 * engine decodes and aggregates the payloads, and the page's own code shows them.
 *
 * <p>Asserts each payload is shown as text in each of the {@link XssCorpus#DASHBOARD_PLACES}
 * places (so a page that drew nothing cannot pass), that nothing ran or tried to (the sentinel,
 * CSP violations seen by the sentinel and by the page's own hook), that no element or {@code on*}
 * attribute was made from one, and that every link is http(s).
 */
class XssCorpusExportIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static XssCorpus corpus;
  private static StackExchangeEmulator upstream;
  private static Chromium chromium;
  private static Path file;
  private static String html;

  @BeforeAll
  static void start() throws Exception {
    corpus = XssCorpus.load();
    upstream = StackExchangeEmulator.builder().heartbeatInterval(Duration.ofSeconds(1)).start(0);
    LiveExport.Page page = LiveExport.build(corpus.dashboard("xss", upstream.port()), "xss.yaml", List.of());
    html = page.html();
    file = Files.writeString(dir.resolve("live.html"), html, StandardCharsets.UTF_8);
    chromium = Chromium.start(Files.createDirectories(dir.resolve("profile")));
    XssCorpus.installSentinel(chromium);
  }

  @AfterAll
  static void stop() throws Exception {
    Resources.closeAll(chromium, upstream);
  }

  @Test
  void everyPayload_inEveryPlaceOfTheExportedPage_isShownAsText_andNothingRuns() throws Exception {
    int n = corpus.size();
    chromium.open(file.toUri().toString());
    chromium.until(WAIT, "the exported page live on the emulator", () -> "live".equals(
        chromium.js("return window.livegraph && window.livegraph.upstream && window.livegraph.upstream.state")));
    Poll.until(WAIT, () -> upstream.subscribedClients() == 1, "the page subscribed upstream");
    // Its own scripts are in its body: as many as the file has script tags (the payloads in the
    // data block are written \u003c, so none of theirs counts). Counted before any frame, so a
    // title or label that made an element while the page loaded shows up too.
    long ownScripts = Pattern.compile("<script[ >]").matcher(html).results().count();
    assertThat(XssCorpus.markup(chromium)).as("elements in the loaded page").isEqualTo(ownScripts);

    for (int i = 0; i < n; i++) {
      upstream.broadcast(corpus.frame(i));
    }
    corpus.awaitEveryQuestion(chromium, WAIT);
    // The engine took every frame as an event and skipped none: each payload reached the charts.
    JsonNode counters = JSON.readTree((String) chromium.js(
        "const c = window.livegraphEngine.counters(); return typeof c === 'string' ? c : JSON.stringify(c);"));
    assertThat(counters.path("events").asLong()).as("events the engine counted").isEqualTo(n);
    long skipped = 0;
    for (JsonNode s : counters.path("skipped")) {
      skipped += s.asLong();
    }
    assertThat(skipped).as("frames the engine skipped").isZero();

    corpus.assertEveryPlacementShownAsText(chromium);
    corpus.assertBarHoversShownAsText(chromium, WAIT);
    XssCorpus.assertNothingRanOrWasMade(chromium, "the exported page", ownScripts);
    assertThat(chromium.js("return window.livegraph.cspViolations")).as("CSP violations the page saw")
        .isEqualTo(List.of());
    assertThat(chromium.js("return window.livegraph.engineError")).as("engine error").isNull();
    assertThat(chromium.js("return window.livegraph.engineErrors")).as("engine ticks that threw").isEqualTo(0L);
    assertThat(chromium.consoleErrors()).as("console errors").isEmpty();
  }
}
