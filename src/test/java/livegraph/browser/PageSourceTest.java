package livegraph.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Static checks of the page's own sources (vendor/ excluded): no HTML-string sinks, no code
 * from strings, nothing loaded from other hosts, nothing inline that the CSP would refuse.
 */
class PageSourceTest {

  private static final Path WEB = Path.of("src", "main", "resources", "web");

  /** Relative path (with /) to content, for every page file outside vendor/. */
  private static final Map<String, String> SOURCES = new TreeMap<>();

  @BeforeAll
  static void readSources() throws IOException {
    try (Stream<Path> files = Files.walk(WEB)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String name = WEB.relativize(file).toString().replace('\\', '/');
        if (!name.startsWith("vendor/")) {
          SOURCES.put(name, Files.readString(file, StandardCharsets.UTF_8));
        }
      }
    }
  }

  @Test
  void pageFiles_arePresent() {
    assertThat(SOURCES).containsKeys("index.html", "app.js", "styles.css", "dashboards.html", "dashboards.js");
    assertThat(WEB.resolve("vendor/plotly-cartesian-4.1.1.min.js")).isRegularFile();
  }

  @Test
  void noHtmlStringSinks_orCodeFromStrings() {
    List<String> found = new ArrayList<>();
    for (var e : SOURCES.entrySet()) {
      for (String banned : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
          "new Function", "srcdoc")) {
        if (e.getValue().contains(banned)) {
          found.add(e.getKey() + ": " + banned);
        }
      }
    }
    assertThat(found).as("feed text must go through textContent/createTextNode").isEmpty();
  }

  @Test
  void noUrlsToOtherHosts() {
    Pattern url = Pattern.compile("(?i)(?:https?:)?//([a-z0-9.-]+\\.[a-z]{2,}|localhost|\\d+\\.\\d+\\.\\d+\\.\\d+)[:/\"'`\\s)]");
    List<String> found = new ArrayList<>();
    for (var e : SOURCES.entrySet()) {
      Matcher m = url.matcher(e.getValue());
      while (m.find()) {
        // Protocol-relative or absolute: either way the page would leave its origin (CDN, fonts, beacons).
        if (m.group().toLowerCase().startsWith("http") || m.group().startsWith("//")) {
          found.add(e.getKey() + ": " + m.group().trim());
        }
      }
    }
    assertThat(found).as("the page must work offline from its own origin").isEmpty();
  }

  @Test
  void htmlPages_haveNoInlineScriptOrEventHandlerAttributes() {
    List<String> pages = SOURCES.keySet().stream().filter(n -> n.endsWith(".html")).toList();
    assertThat(pages).contains("index.html", "dashboards.html");
    for (String page : pages) {
      String html = SOURCES.get(page);
      Matcher scripts = Pattern.compile("(?is)<script\\b([^>]*)>(.*?)</script\\s*>").matcher(html);
      int count = 0;
      while (scripts.find()) {
        count++;
        assertThat(scripts.group(1)).as(page + " script tag attributes").containsPattern("\\bsrc\\s*=");
        assertThat(scripts.group(2).trim()).as(page + " inline script body").isEmpty();
      }
      assertThat(count).as(page + " loads its scripts").isGreaterThanOrEqualTo(page.equals("index.html") ? 2 : 1);
      assertThat(html).as(page).doesNotContainPattern("(?i)<[^>]*\\son[a-z]+\\s*=");
      assertThat(html).as(page).doesNotContainPattern("(?i)javascript:");
    }
  }

  @Test
  void everyImportedModule_exists() {
    Pattern imports = Pattern.compile("(?m)^\\s*import\\b[^;]*?from\\s+'([^']+)'");
    List<String> missing = new ArrayList<>();
    int count = 0;
    for (var e : SOURCES.entrySet()) {
      Matcher m = imports.matcher(e.getValue());
      while (m.find()) {
        count++;
        String target = m.group(1);
        // Relative to the importing module (export/live.js imports ../page.js), inside web/.
        String resolved = Path.of(e.getKey()).resolveSibling(target).normalize().toString().replace('\\', '/');
        if (!(target.startsWith("./") || target.startsWith("../")) || resolved.startsWith("..")
            || !SOURCES.containsKey(resolved)) {
          missing.add(e.getKey() + " imports " + target);
        }
      }
    }
    assertThat(count).isPositive();
    assertThat(missing).as("relative imports of the page's own modules").isEmpty();
  }
}
