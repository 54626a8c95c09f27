package livegraph.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import livegraph.Livegraph;
import livegraph.testing.Poll;
import livegraph.testing.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Editing a served dashboard file, seen in headless Chromium: a good edit rebuilds the page
 * with the new titles, a bad edit shows its problems in the banner (as text) while the charts
 * of the last good version keep moving, and the fix takes the banner away. One browser and
 * one page load for the class; the file is the real one, watched by a real livegraph.
 */
class ReloadPageIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String HOSTILE = "<img src=x onerror=\"window.__xss=1\">";

  private static final String V1 = """
      title: Orders
      sources:
        orders:
          file: {path: orders.jsonl, follow: true}
      charts:
        - {title: Orders by country, type: bar, by: country, windows: [all]}
      """;

  private static final String V2 = """
      title: Orders, edited
      sources:
        orders:
          file: {path: orders.jsonl, follow: true}
      charts:
        - {title: Orders by country, type: bar, by: country, windows: [all]}
        - {title: All orders, type: number}
      """;

  /** V2 with a chart type that is HTML: the message quotes it, and it must stay text. */
  private static final String BAD = V2.replace("Orders, edited", "Orders, broken")
      + "  - {title: Sneaky, type: '" + HOSTILE + "'}\n";

  private static final String FIXED = V2.replace("Orders, edited", "Orders, fixed")
      .replace("All orders", "Every order");

  @TempDir static Path dir;

  private static Path file;
  private static Path events;
  private static Livegraph livegraph;
  private static Chromium chromium;

  @BeforeAll
  static void start() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    file = Files.writeString(work.resolve("orders.yaml"), V1);
    events = Files.writeString(work.resolve("orders.jsonl"), "");
    livegraph = Livegraph.create(Livegraph.Config.defaults().withFiles(List.of(file))).start(0);
    Poll.until(WAIT, () -> livegraph.sourceStatus().state().name().equals("LIVE"),
        "orders.jsonl followed");
    chromium = Chromium.openLivegraph(Files.createDirectories(dir.resolve("profile")), livegraph.port(), WAIT);
  }

  @AfterAll
  static void stop() throws Exception {
    Resources.closeAll(chromium, livegraph);
  }

  @Test
  void goodEditShowsTheNewTitles_badEditShowsItsMessageAsText_fixHidesTheBanner()
      throws Exception {
    assertThat(titles()).containsExactly("Orders by country");
    append("fr", "de", "fr");
    awaitBars("[[\"fr\",\"de\"],[2,1]]");

    // A good edit: the page rebuilds with the new titles and fills them from the snapshot.
    Files.writeString(file, V2);
    chromium.until(WAIT, "the edited layout", () -> titles().equals(
        List.of("Orders by country", "All orders")));
    assertThat(chromium.js("return document.getElementById('title').textContent"))
        .isEqualTo("Orders, edited");
    assertThat(chromium.js("return document.getElementById('config-error').hidden"))
        .isEqualTo(true);
    append("it", "fr");
    awaitNumber("All orders", "2");
    awaitBars("[[\"fr\",\"it\"],[1,1]]");

    // A bad edit: the banner shows exactly the server's message, as text; v2 keeps counting.
    Files.writeString(file, BAD);
    String shown = chromium.until(WAIT, "the config-error banner", () -> (String) chromium.js(
        "return document.getElementById('config-error').hidden ? null"
            + " : document.getElementById('config-error-message').textContent"));
    String message = livegraph.hub().configErrorMessage();
    assertThat(shown).isEqualTo(message);
    assertThat(message).startsWith(file + ":8:").contains(HOSTILE);
    assertThat(chromium.js("return document.querySelectorAll('#config-error img').length"))
        .isEqualTo(0L);
    assertThat(chromium.js("return window.__xss === undefined")).isEqualTo(true);
    assertThat(chromium.js("return document.getElementById('title').textContent"))
        .isEqualTo("Orders, edited");
    append("fr", "es");
    awaitNumber("All orders", "4");
    awaitBars("[[\"fr\",\"es\",\"it\"],[2,1,1]]");
    assertThat(titles()).containsExactly("Orders by country", "All orders");
    assertThat(chromium.js("return document.getElementById('config-error').hidden"))
        .as("the banner stays while the file is broken").isEqualTo(false);

    // The fix: the banner goes, the fixed layout comes.
    Files.writeString(file, FIXED);
    chromium.until(WAIT, "the fixed layout", () -> titles().equals(
        List.of("Orders by country", "Every order")));
    assertThat(chromium.js("return document.getElementById('config-error').hidden"))
        .isEqualTo(true);
    assertThat(chromium.js("return document.getElementById('config-error-message').textContent"))
        .isEqualTo("");
    assertThat(chromium.js("return document.getElementById('title').textContent"))
        .isEqualTo("Orders, fixed");
    append("de");
    awaitNumber("Every order", "1");

    assertThat(chromium.js("return window.livegraph.layouts")).isEqualTo(3L);
    assertThat(chromium.consoleErrors()).isEmpty();
  }

  private static void append(String... countries) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (String country : countries) {
      lines.append("{\"country\":\"").append(country).append("\"}\n");
    }
    Files.writeString(events, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  @SuppressWarnings("unchecked")
  private static List<String> titles() {
    return (List<String>) chromium.js(
        "return [...document.querySelectorAll('.panel h2')].map(h => h.textContent)");
  }

  private static void awaitBars(String expected) {
    chromium.until(WAIT, "bars " + expected, () -> expected.equals(chromium.js(
        "const d = document.getElementById('chart-orders-by-country').data;"
            + " return d && d[0] ? JSON.stringify([d[0].x, d[0].y]) : null;")));
  }

  private static void awaitNumber(String title, String expected) {
    chromium.until(WAIT, title + " showing " + expected, () -> expected.equals(chromium.js(
        "const h = [...document.querySelectorAll('.panel h2')].find(h => h.textContent === arguments[0]);"
            + " const v = h && h.closest('.panel').querySelector('.number-value');"
            + " return v && v.textContent;", title)));
  }
}
