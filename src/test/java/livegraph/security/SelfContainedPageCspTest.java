package livegraph.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import livegraph.export.SelfContainedPage;
import org.junit.jupiter.api.Test;

/**
 * The self-contained pages (the snapshot page and the exported live page) carry their scripts
 * inline, so their policy lists the SHA-256 of exactly those scripts: no 'unsafe-inline', so an
 * inline script, event handler or javascript: URL smuggled into the document cannot run.
 */
class SelfContainedPageCspTest {

  private static final Pattern CSP = Pattern.compile("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">");
  private static final Pattern SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

  @Test
  void scriptSrc_isTheHashesOfExactlyThePagesOwnInlineScripts() throws Exception {
    String html = SelfContainedPage.running("snapshot.js")
        .script("window.extra = 1;")
        .data("livegraph-snapshot", "{\"t\":\"</script><script>window.__xss(1)</script>\"}")
        .html();
    Matcher csp = CSP.matcher(html);
    assertThat(csp.find()).isTrue();
    String policy = csp.group(1);
    String scriptSrc = policy.replaceAll(".*script-src ([^;]*);.*", "$1");
    assertThat(scriptSrc).doesNotContain("unsafe-inline", "unsafe-eval", "'self'", "*", "data:");

    List<String> hashes = new ArrayList<>();
    Matcher script = SCRIPT.matcher(html);
    while (script.find()) {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(script.group(1).getBytes(StandardCharsets.UTF_8));
      hashes.add("'sha256-" + Base64.getEncoder().encodeToString(digest) + "'");
    }
    assertThat(hashes).hasSize(3); // Plotly, the extra script, the page's bundle
    assertThat(scriptSrc.split(" ")).containsExactlyElementsOf(hashes);
    // the data block is not a script that runs, and cannot end its element early
    assertThat(html).contains("\\u003c/script>\\u003cscript>window.__xss(1)\\u003c/script>");
    assertThat(policy).contains("default-src 'none'", "object-src 'none'", "base-uri 'none'");
  }
}
