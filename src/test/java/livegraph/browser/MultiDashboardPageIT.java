package livegraph.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import livegraph.Transport;
import livegraph.hub.Hub;
import livegraph.server.Dashboards;
import livegraph.server.ViewerServer;
import livegraph.testing.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * Two dashboards behind a real {@link ViewerServer}, in headless Chromium: the listing page at
 * {@code /}, a dashboard page at {@code /d/NAME/} on its own socket, and a reload and a rejected
 * edit pushed through that dashboard's hub. One browser for the class.
 */
class MultiDashboardPageIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String HOSTILE = "<img src=x onerror=\"window.__xss=1\">";

  @TempDir
  static Path profile;

  private static EventLoopGroup group;
  private static Hub alpha;
  private static Hub beta;
  private static ViewerServer server;
  private static Chromium chromium;

  @BeforeAll
  static void start() throws Exception {
    group = Transport.group(2, "test-multi");
    alpha = new Hub(bytes(hello("alpha", "Alpha dashboard",
        "{\"id\":\"n\",\"title\":\"Events\",\"kind\":\"number\",\"measure\":\"count\"}")),
        Map.of("n", bytes("{\"value\":1,\"start\":0,\"step\":1000,\"spark\":[]}")),
        System::currentTimeMillis, Hub.Limits.defaults());
    beta = new Hub(bytes(hello("beta", "Beta " + HOSTILE,
        "{\"id\":\"hits\",\"title\":\"Hits\",\"kind\":\"bar\",\"windows\":[{\"id\":\"10m\",\"label\":\"10 min\"}],"
            + "\"defaultWindow\":\"10m\",\"columns\":[\"Hits\"]}")),
        Map.of("hits", bytes(hits("[\"/a\",\"/b\"]", "[[5,3]]", "[2]"))),
        System::currentTimeMillis, Hub.Limits.defaults());
    Map<Dashboards.Entry, Hub> hubs = new LinkedHashMap<>();
    hubs.put(new Dashboards.Entry("alpha", "Alpha dashboard"), alpha);
    hubs.put(new Dashboards.Entry("beta", "Beta " + HOSTILE), beta);
    server = new ViewerServer(Dashboards.of(hubs), () -> bytes("{}"), Set.of(), group).start("127.0.0.1", 0);
    chromium = Chromium.start(profile);
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (server != null) {
      server.close();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void listingLinksToEachDashboard_whosePageJoinsItsOwnHub_andFollowsReloadsAndRejectedEdits() {
    chromium.open("http://127.0.0.1:" + server.port() + "/");
    chromium.until(WAIT, "the listing", () -> "shown".equals(
        chromium.js("return window.livegraphListing && window.livegraphListing.state")));
    assertThat(chromium.js("return [...document.querySelectorAll('#dashboards a')]"
        + ".map(a => [a.textContent, a.getAttribute('href')])"))
        .isEqualTo(List.of(List.of("Alpha dashboard", "/d/alpha/"), List.of("Beta " + HOSTILE, "/d/beta/")));
    assertThat(chromium.js("return document.querySelectorAll('#dashboards img').length")).isEqualTo(0L);

    chromium.driver().findElement(By.cssSelector("#dashboards a[href='/d/beta/']")).click();
    chromium.until(WAIT, "the beta page live", () -> "live".equals(
        chromium.js("return window.livegraph && window.livegraph.connection")));
    assertThat((String) chromium.js("return location.pathname")).isEqualTo("/d/beta/");
    assertThat(chromium.js("return document.getElementById('title').textContent")).isEqualTo("Beta " + HOSTILE);
    chromium.until(WAIT, "beta's bars with other last", () -> List.of("/a", "/b", "other").equals(
        chromium.js("const d = document.getElementById('chart-hits').data; return d && d[0].x")));
    Poll.until(WAIT, () -> beta.viewers() == 1, "the page joined beta's hub");
    assertThat(alpha.viewers()).isZero();

    beta.publish(Map.of("hits", bytes(hits("[\"/c\"]", "[[9]]", "null"))));
    chromium.until(WAIT, "a delta from beta's hub", () -> List.of("/c").equals(
        chromium.js("return document.getElementById('chart-hits').data[0].x")));

    String rejected = "beta.yaml:4:7: unknown measure " + HOSTILE;
    beta.configError(rejected);
    chromium.until(WAIT, "the config-error banner", () -> rejected.equals(
        chromium.js("const b = document.getElementById('config-error');"
            + " return b.hidden ? null : document.getElementById('config-error-message').textContent")));
    assertThat(chromium.js("return document.querySelectorAll('#config-error img').length")).isEqualTo(0L);

    beta.reset(bytes(hello("beta", "Beta v2",
        "{\"id\":\"total\",\"title\":\"Total\",\"kind\":\"number\",\"measure\":\"count\"}")),
        Map.of("total", bytes("{\"value\":77,\"start\":0,\"step\":1000,\"spark\":[70,77]}")));
    chromium.until(WAIT, "the reloaded layout filled", () -> "77".equals(
        chromium.js("const v = document.querySelector('#chart-total .number-value'); return v && v.textContent")));
    assertThat(chromium.js("return [...document.querySelectorAll('.panel h2')].map(h => h.textContent)"))
        .isEqualTo(List.of("Total"));
    assertThat(chromium.js("return document.getElementById('config-error').hidden")).isEqualTo(true);
    assertThat(chromium.js("return document.getElementById('chart-hits')")).isNull();

    assertThat(chromium.js("return window.__xss === undefined")).isEqualTo(true);
    assertThat(chromium.consoleErrors()).isEmpty();
  }

  private static String hello(String name, String title, String chart) {
    return "{\"type\":\"hello\",\"dashboard\":{\"name\":\"" + name + "\",\"title\":\"" + title.replace("\"", "\\\"")
        + "\",\"charts\":[" + chart + "]},\"source\":{\"description\":\"test feed\",\"mode\":\"custom\",\"url\":\"\"}}";
  }

  private static String hits(String x, String columns, String other) {
    return "{\"windows\":{\"10m\":{\"x\":" + x + ",\"columns\":" + columns + ",\"other\":" + other + "}},\"overflow\":0}";
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
