package livegraph.export;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTML file that is the dashboard page with everything inline: the live page's markup and
 * styles, Plotly, the page's modules joined by {@link ModuleBundle}, optional extra scripts
 * (the in-browser engine) and JSON data blocks; the header's "Download snapshot" link, which
 * needs a server, is left out. Opened from disk or any static host it loads
 * nothing; its Content-Security-Policy allows connections only to the origins given, so the
 * browser itself enforces "no request other than the feed".
 */
public final class SelfContainedPage {

  /** The vendored Plotly bundle, inlined as a classic script defining {@code window.Plotly}. */
  static final String PLOTLY = "vendor/plotly-cartesian-4.1.1.min.js";

  /** The live page's link to the server's snapshot; a page without a server has none. */
  static final String SNAPSHOT_LINK = "<a id=\"download-snapshot\" class=\"header-link\" href=\"snapshot.html\" download>"
      + "Download snapshot</a>";

  private static final Pattern SCRIPT_END = Pattern.compile("(?i)</(script)");
  private static final Pattern COMMENT_OPEN = Pattern.compile("<!--");

  private final String entry;
  private final List<String> scripts = new ArrayList<>();
  private final Map<String, String> data = new LinkedHashMap<>();
  private final List<String> connectTo = new ArrayList<>();
  private String title = "livegraph";

  private SelfContainedPage(String entry) {
    this.entry = Objects.requireNonNull(entry, "entry");
  }

  /** A page running the module {@code entry} (a path under the classpath folder web/). */
  public static SelfContainedPage running(String entry) {
    return new SelfContainedPage(entry);
  }

  /** The document title until the page's script sets its own. */
  public SelfContainedPage title(String value) {
    this.title = Objects.requireNonNull(value, "title");
    return this;
  }

  /** A classic script (e.g. the engine) placed before the page's code. */
  public SelfContainedPage script(String javascript) {
    scripts.add(Objects.requireNonNull(javascript, "javascript"));
    return this;
  }

  /** A {@code <script type="application/json" id=ID>} block the page reads. */
  public SelfContainedPage data(String id, String json) {
    if (!id.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException("data block id must be lower-case words: " + id);
    }
    data.put(id, Objects.requireNonNull(json, "json"));
    return this;
  }

  /** An origin the page may connect to, e.g. "wss://qa.sockets.stackexchange.com". */
  public SelfContainedPage connectTo(String origin) {
    if (!origin.matches("(wss?|https?)://[^\\s;,']+")) {
      throw new IllegalArgumentException("not a ws, wss, http or https origin: " + origin);
    }
    connectTo.add(origin);
    return this;
  }

  /** The document. */
  public String html() {
    String template = required("index.html");
    String css = required("styles.css");
    String bundle = ModuleBundle.classpath("web").bundle(entry);
    StringBuilder scriptsHtml = new StringBuilder();
    for (Map.Entry<String, String> block : data.entrySet()) {
      scriptsHtml.append("<script type=\"application/json\" id=\"").append(block.getKey())
          .append("\">").append(jsonInHtml(block.getValue())).append("</script>\n");
    }
    List<String> run = new ArrayList<>();
    run.add(scriptInHtml(required(PLOTLY)));
    for (String script : scripts) {
      run.add(scriptInHtml(script));
    }
    run.add(scriptInHtml(bundle));
    for (String script : run) {
      scriptsHtml.append("<script>").append(script).append("</script>\n");
    }

    String head = "<meta http-equiv=\"Content-Security-Policy\" content=\"" + csp(run) + "\">\n"
        + "  <style>\n" + css.replace("</style", "<\\/style") + "\n  </style>";
    String html = template;
    html = replaceOnce(html, "<link rel=\"stylesheet\" href=\"styles.css\">", head);
    html = html.replaceAll("(?m)^\\s*<!-- Classic UMD script[^\\n]*\\n", "");
    html = replaceOnce(html, "<script src=\"" + PLOTLY + "\" defer></script>", "");
    html = replaceOnce(html, "<script type=\"module\" src=\"app.js\"></script>", "");
    html = replaceOnce(html, SNAPSHOT_LINK, "");
    html = replaceOnce(html, "<title>livegraph</title>", "<title>" + escapeText(title) + "</title>");
    html = replaceOnce(html, "</body>", scriptsHtml + "</body>");
    return html;
  }

  /**
   * The page's policy. Scripts run only if their SHA-256 is listed, and only this page's own
   * inline scripts are, so markup that feed text might smuggle in (an inline script, an event
   * handler, a javascript: URL) is refused by the browser: no 'unsafe-inline'.
   */
  private String csp(List<String> scriptTexts) {
    String connect = connectTo.isEmpty() ? "'none'" : String.join(" ", connectTo);
    StringBuilder hashes = new StringBuilder();
    for (String script : scriptTexts) {
      hashes.append(hashes.length() == 0 ? "" : " ").append(scriptHash(script));
    }
    return "default-src 'none'; script-src " + hashes + "; style-src 'unsafe-inline'; "
        + "img-src data: blob:; connect-src " + connect + "; object-src 'none'; base-uri 'none'; "
        + "form-action 'none'";
  }

  /** A CSP hash source for a script element's exact text. */
  static String scriptHash(String script) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(script.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "'sha256-" + java.util.Base64.getEncoder().encodeToString(digest) + "'";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String required(String path) {
    String text = ModuleBundle.resource("web/" + path);
    if (text == null) {
      throw new IllegalStateException("web/" + path + " is missing from the classpath");
    }
    return text;
  }

  private static String replaceOnce(String html, String target, String replacement) {
    int at = html.indexOf(target);
    if (at < 0) {
      throw new IllegalStateException("the page template no longer contains " + target);
    }
    return html.substring(0, at) + replacement + html.substring(at + target.length());
  }

  /**
   * Script text that cannot end its element early: "</script" becomes "<\/script" and "<!--"
   * becomes "<\!--", both the same string to JavaScript inside a string or regex literal,
   * which is the only place the page's code or Plotly has them.
   */
  static String scriptInHtml(String javascript) {
    String s = SCRIPT_END.matcher(javascript).replaceAll(Matcher.quoteReplacement("<\\/") + "$1");
    return COMMENT_OPEN.matcher(s).replaceAll(Matcher.quoteReplacement("<\\!--"));
  }

  /** JSON inside a script element: every '<' as \\u003c, which JSON.parse reads back as '<'. */
  static String jsonInHtml(String json) {
    return json.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
  }

  static String escapeText(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
