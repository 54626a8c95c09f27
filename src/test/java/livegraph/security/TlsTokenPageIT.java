package livegraph.security;

import livegraph.testing.SelfSignedCert;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import livegraph.Livegraph;
import livegraph.browser.Chromium;
import livegraph.emulator.StackExchangeEmulator;
import livegraph.server.ViewerSecurity;
import livegraph.testing.Frames;
import livegraph.testing.Poll;
import livegraph.testing.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page in a real Chromium over https, with a token: opened once as {@code /?token=T}, it
 * drops the token from its address, its assets and its wss socket are let in by the HttpOnly
 * cookie, and live data arrives. The certificate is self-signed, made for this test, so this
 * browser alone is started with {@code --ignore-certificate-errors}.
 */
class TlsTokenPageIT {

  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final String TOKEN = "page-token-0123456789abcdef";

  @TempDir static Path dir;

  private static StackExchangeEmulator upstream;
  private static Livegraph livegraph;
  private static Chromium chromium;

  @BeforeAll
  static void start() throws Exception {
    SelfSignedCert cert = SelfSignedCert.generate(dir, "page", "EC");
    upstream = StackExchangeEmulator.builder().heartbeatInterval(Duration.ofSeconds(1)).start(0);
    livegraph = Livegraph.create(Livegraph.Config.defaults()
            .withFeed("ws://127.0.0.1:" + upstream.port() + "/"))
        .withSecurity(ViewerSecurity.NONE.withTls(cert.cert, cert.key).withToken(TOKEN))
        .start(0);
    Poll.until(WAIT, () -> upstream.subscribedClients() == 1, "livegraph subscribed upstream");
    chromium = Chromium.start(Files.createDirectories(dir.resolve("profile")),
        options -> options.addArguments("--ignore-certificate-errors"));
  }

  @AfterAll
  static void stop() throws Exception {
    Resources.closeAll(chromium, livegraph, upstream);
  }

  @Test
  void pageOverHttps_openedOnceWithTheToken_getsLiveDataOverWss_andForgetsTheTokenInItsAddress() {
    String base = "https://127.0.0.1:" + livegraph.port() + "/";
    chromium.open(base + "?token=" + TOKEN);
    chromium.until(WAIT, "page connected over wss",
        () -> "live".equals(chromium.js("return window.livegraph && window.livegraph.connection")));
    assertThat(chromium.js("return location.href")).isEqualTo(base);
    assertThat(chromium.js("return document.cookie")).as("HttpOnly: not readable by script").isEqualTo("");

    upstream.broadcast(Frames.question("math", 7, "Over TLS", List.of("tls")));
    upstream.broadcast(Frames.question("math", 8, "Over TLS again", List.of("tls")));
    Object shown = chromium.until(WAIT, "the communities chart counting the frames", () -> {
      Object y = chromium.js("const d = document.getElementById('chart-communities').data;"
          + "return d && d[0] ? JSON.stringify([d[0].x, d[0].y]) : null;");
      return "[[\"math\"],[2]]".equals(y) ? y : null;
    });
    assertThat(shown).isNotNull();
    assertThat(chromium.js("return location.protocol")).isEqualTo("https:");

    // the page's own requests carry the cookie: its snapshot link answers
    Object snapshot = chromium.until(WAIT, "snapshot.json through the cookie", () -> chromium.driver().executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch('snapshot.json').then(r => done(r.status)).catch(e => done(String(e)));"));
    assertThat(snapshot).isEqualTo(200L);

    // a reload without the token still works (the cookie), and nothing was refused
    chromium.open(base);
    chromium.until(WAIT, "page connected again",
        () -> "live".equals(chromium.js("return window.livegraph && window.livegraph.connection")));
    assertThat(chromium.consoleErrors()).isEmpty();
  }
}
