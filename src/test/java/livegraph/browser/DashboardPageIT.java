package livegraph.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import livegraph.Livegraph;
import livegraph.emulator.StackExchangeEmulator;
import livegraph.testing.Frames;
import livegraph.testing.Poll;
import livegraph.testing.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page in a real headless Chromium, served by a real livegraph reading a local emulator.
 * One browser and one page load for the class: loading Plotly costs seconds here.
 */
class DashboardPageIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String XSS_TITLE = "Why does <img src=x onerror=\"window.__xss=1\"> show?";

  @TempDir static Path profile;

  private static StackExchangeEmulator upstream;
  private static Livegraph livegraph;
  private static Chromium chromium;

  @BeforeAll
  static void start() throws Exception {
    upstream = StackExchangeEmulator.builder().heartbeatInterval(Duration.ofSeconds(1)).start(0);
    livegraph = Livegraph.create(Livegraph.Config.defaults()
        .withFeed("ws://127.0.0.1:" + upstream.port() + "/")).start(0);
    Poll.until(WAIT, () -> upstream.subscribedClients() == 1, "livegraph subscribed upstream");
    chromium = Chromium.openLivegraph(profile, livegraph.port(), WAIT);
  }

  @AfterAll
  static void stop() throws Exception {
    Resources.closeAll(chromium, livegraph, upstream);
  }

  @Test
  void communitiesChart_showsExactlyTheCountsSent_andHostileTitleIsText() {
    String[] sites = {"stackoverflow", "math", "stackoverflow", "superuser", "stackoverflow",
        "math", "stackoverflow", "diy"};
    for (int i = 0; i < sites.length; i++) {
      upstream.broadcast(Frames.question(sites[i], 100 + i, "Question " + i, List.of("java", "maven")));
    }
    upstream.broadcast(Frames.question("diy", 999, XSS_TITLE, List.of("<b>tag</b>")));

    Object shown = chromium.until(WAIT, "communities chart equal to the frames sent", () -> {
      Object y = chromium.js(
          "const d = document.getElementById('chart-communities').data;"
              + "return d && d[0] ? JSON.stringify([d[0].x, d[0].y]) : null;");
      return "[[\"stackoverflow\",\"diy\",\"math\",\"superuser\"],[4,2,2,1]]".equals(y) ? y : null;
    });
    assertThat(shown).isNotNull();

    // Charts are paced and drawn within a frame budget (scheduler.js), so the tags chart may
    // show its final counts a few frames after the communities chart.
    Object tagsShown = chromium.until(WAIT, "tags chart equal to the frames sent", () -> {
      Object y = chromium.js(
          "const d = document.getElementById('chart-tags').data;"
              + "return d && d[0] && d[0].x.length ? JSON.stringify([d[0].x, d[0].y]) : null;");
      return "[[\"java\",\"maven\"],[4,4]]".equals(y) ? y : null;
    });
    assertThat(tagsShown).isNotNull();

    String listText = (String) chromium.until(WAIT, "the hostile title in the list", () -> {
      Object text = chromium.js("return document.getElementById('chart-latest').textContent;");
      return text != null && ((String) text).contains(XSS_TITLE) ? text : null;
    });
    assertThat(listText).contains("<b>tag</b>");
    assertThat(chromium.js("return document.querySelectorAll('#chart-latest img, #chart-latest b').length"))
        .isEqualTo(0L);
    assertThat(chromium.js("return window.__xss === undefined")).isEqualTo(true);
  }

  @Test
  void statusBar_namesTheFeed_andShowsViewers() {
    String feed = (String) chromium.until(WAIT, "feed in the status bar", () -> {
      Object t = chromium.js("return document.getElementById('status-feed').textContent");
      return t != null && ((String) t).contains("127.0.0.1:" + upstream.port()) ? t : null;
    });
    assertThat(feed).contains("127.0.0.1");
    chromium.until(WAIT, "viewers shown", () -> {
      Object t = chromium.js("return document.getElementById('status-viewers').textContent");
      return t != null && ((String) t).contains("1") ? t : null;
    });
  }

  @Test
  void pageLoadsNothingFromOtherOrigins() {
    Object foreign = chromium.js(
        "return performance.getEntriesByType('resource')"
            + ".map(e => e.name).filter(n => !n.startsWith(location.origin)"
            + " && !n.startsWith(location.origin.replace('http', 'ws')));");
    assertThat((List<?>) foreign).isEmpty();
  }
}
