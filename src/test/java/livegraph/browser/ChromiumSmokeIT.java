package livegraph.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** Proves the Chromium harness works here: JS runs, text renders, console errors and CSP refusals are seen. */
class ChromiumSmokeIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  static Path profile;

  private static StaticSite site;
  private static Chromium chromium;

  @BeforeAll
  static void start() {
    site = StaticSite.start(null)
        .put("/index.html", "<!DOCTYPE html><html><head><link rel=\"icon\" href=\"data:,\"><title>smoke</title>"
            + "<script src=\"smoke.js\" defer></script></head><body><p id=\"out\">static</p></body></html>")
        .put("/smoke.js", "window.smoke = 6 * 7;"
            + "document.getElementById('out').textContent = 'rendered by script';")
        .put("/noisy.html", "<!DOCTYPE html><html><head><link rel=\"icon\" href=\"data:,\"><script src=\"noisy.js\"></script></head><body></body></html>")
        .put("/noisy.js", "console.error('smoke-boom');")
        .put("/inline.html", "<!DOCTYPE html><html><head><link rel=\"icon\" href=\"data:,\"><script>window.inlineRan = true;</script></head>"
            + "<body>inline</body></html>");
    chromium = Chromium.start(profile);
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (site != null) {
      site.close();
    }
  }

  @Test
  void scriptRuns_andItsTextRenders() {
    chromium.open(site.url("/"));

    assertThat(chromium.until(WAIT, "window.smoke", () -> chromium.js("return window.smoke"))).isEqualTo(42L);
    assertThat(chromium.driver().findElement(By.id("out")).getText()).isEqualTo("rendered by script");
    assertThat(chromium.consoleErrors()).isEmpty();
    assertThat(chromium.screenshot()).startsWith(0x89, 'P', 'N', 'G');
  }

  @Test
  void consoleErrors_areVisibleToTests() {
    chromium.open(site.url("/noisy.html"));

    chromium.until(WAIT, "console error from noisy.js",
        () -> chromium.consoleErrors().stream().anyMatch(m -> m.contains("smoke-boom")));
  }

  @Test
  void inlineScript_isRefusedByTheServersCsp() {
    chromium.open(site.url("/inline.html"));

    chromium.until(WAIT, "CSP refusal in the console",
        () -> chromium.consoleErrors().stream().anyMatch(m -> m.contains("Content Security Policy")));
    assertThat(chromium.js("return window.inlineRan === true")).isEqualTo(false);
  }

  @Test
  void until_failsNamingWhatItWaitedFor() {
    assertThatThrownBy(() -> chromium.until(Duration.ofMillis(200), "a value that never comes", () -> null))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("a value that never comes")
        .hasMessageContaining("last value: null");
  }
}
