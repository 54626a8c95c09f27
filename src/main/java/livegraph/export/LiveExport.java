package livegraph.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import livegraph.dashboard.Dashboard;
import livegraph.dashboard.DashboardException;
import livegraph.dashboard.DashboardLoader;
import livegraph.source.SourceSpec;
import livegraph.source.SseSpec;
import livegraph.source.WebSocketSpec;

/**
 * The exported live page: a dashboard file and feed overrides in, one self-contained HTML file
 * out, which connects from the browser straight to the dashboard's WebSocket and SSE sources and
 * aggregates there with the server's own code (the engine, {@value #ENGINE}, the server's
 * loader, decoder and pipeline compiled to JavaScript).
 *
 * <p>The page carries the dashboard's YAML text, not a translation of it: the engine loads it in
 * the browser exactly as the server would. What is checked here is what the page cannot fix:
 * the file loads, every source is one a browser can open (WebSocket or SSE), and the overrides
 * name real sources with URLs of the right kind. The page's Content-Security-Policy allows
 * connections to exactly the feeds' origins, so the browser refuses any other request.
 */
public final class LiveExport {

  /** The engine script on the classpath: defines the global the page's code calls. */
  public static final String ENGINE = "web/export/engine.js";
  /** The page's entry module, under web/. */
  static final String ENTRY = "export/live.js";
  /** The id of the JSON block holding the dashboard text and the feed overrides. */
  static final String DATA_BLOCK = "livegraph-dashboard";

  // NAME=URL: a source name cannot hold ':', every URL's scheme ends with one before any '='.
  private static final Pattern NAMED_FEED = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_.-]*)=(.*)", Pattern.DOTALL);
  private static final ObjectMapper JSON = new ObjectMapper();

  private LiveExport() {}

  /** One source as the page reads it. */
  public record Feed(String source, String kind, URI url) {}

  /**
   * The exported page and what went into it.
   *
   * @param feeds every source in dashboard order, with the URL the page connects to
   * @param engineBytes the engine script's size (UTF-8)
   * @param plotlyBytes Plotly's size (UTF-8)
   */
  public record Page(String html, String title, int charts, List<Feed> feeds, long engineBytes,
      long plotlyBytes) {

    /** The document's size in bytes, as written (UTF-8). */
    public long bytes() {
      return html.getBytes(StandardCharsets.UTF_8).length;
    }
  }

  /** A dashboard that cannot be exported as it is, or feed overrides that do not fit it. */
  public static final class ExportException extends Exception {

    private final transient List<String> reasons;

    ExportException(List<String> reasons) {
      super(String.join("\n", reasons));
      this.reasons = List.copyOf(reasons);
    }

    /** One line each, e.g. {@code source "plant" (mqtt) cannot be reached from a browser; …}. */
    public List<String> reasons() {
      return reasons;
    }
  }

  /**
   * The page for the dashboard file text {@code yaml}, shown in problems as {@code fileName}.
   *
   * @param feedOverrides {@code --feed} values: {@code URL} for a dashboard's only source, or
   *     {@code NAME=URL}; each replaces that source's URL
   * @throws DashboardException the file's problems, each as file:line:column
   * @throws ExportException a source a browser cannot read, or a bad override
   */
  public static Page build(String yaml, String fileName, List<String> feedOverrides)
      throws DashboardException, ExportException {
    Objects.requireNonNull(yaml, "yaml");
    Objects.requireNonNull(fileName, "fileName");
    String baseName = baseName(fileName);
    Dashboard dashboard = DashboardLoader.parse(yaml, fileName);
    refuseUnreachable(dashboard);
    Map<String, URI> overrides = overrides(dashboard, feedOverrides);
    List<Feed> feeds = new ArrayList<>();
    for (SourceSpec source : dashboard.sources()) {
      URI url = overrides.getOrDefault(source.name(), urlOf(source));
      feeds.add(new Feed(source.name(), source.kind(), url));
    }

    String engine = engine();
    SelfContainedPage page = SelfContainedPage.running(ENTRY)
        .title(dashboard.title())
        .script(engine)
        .data(DATA_BLOCK, dataBlock(yaml, baseName, overrides));
    for (String origin : origins(feeds)) {
      page.connectTo(origin);
    }
    String plotly = ModuleBundle.resource("web/" + SelfContainedPage.PLOTLY);
    return new Page(page.html(), dashboard.title(), dashboard.charts().size(), List.copyOf(feeds),
        utf8Bytes(engine), plotly == null ? 0 : utf8Bytes(plotly));
  }

  /** The engine script; a build without it cannot export. */
  static String engine() {
    String engine = ModuleBundle.resource(ENGINE);
    if (engine == null) {
      throw new IllegalStateException(ENGINE + " is missing from the classpath: this build has no"
          + " in-browser engine, so it cannot export a live page");
    }
    return engine;
  }

  /** Every source a browser cannot open, one reason each, in dashboard order. */
  private static void refuseUnreachable(Dashboard dashboard) throws ExportException {
    List<String> reasons = new ArrayList<>();
    for (SourceSpec source : dashboard.sources()) {
      if (!(source instanceof WebSocketSpec) && !(source instanceof SseSpec)) {
        reasons.add("source \"" + source.name() + "\" (" + source.kind() + ") cannot be reached"
            + " from a browser; an exported page reads websocket and sse sources only");
      }
    }
    if (dashboard.sources().isEmpty()) {
      reasons.add("the dashboard has no sources; an exported page reads websocket and sse sources");
    }
    if (!reasons.isEmpty()) {
      throw new ExportException(reasons);
    }
  }

  /** Source name to its new URL, each checked as the source's own spec checks its URL. */
  static Map<String, URI> overrides(Dashboard dashboard, List<String> values)
      throws ExportException {
    Map<String, URI> out = new LinkedHashMap<>();
    List<String> reasons = new ArrayList<>();
    String names = String.join(", ", dashboard.sources().stream().map(SourceSpec::name).toList());
    for (String value : values) {
      Matcher named = NAMED_FEED.matcher(value);
      String name;
      String url;
      if (named.matches()) {
        name = named.group(1);
        url = named.group(2);
        if (dashboard.source(name) == null) {
          reasons.add("--feed " + value + ": the dashboard has no source \"" + name
              + "\" (sources: " + names + ")");
          continue;
        }
      } else if (dashboard.sources().size() == 1) {
        name = dashboard.sources().get(0).name();
        url = value;
      } else {
        reasons.add("--feed " + value + ": the dashboard has " + dashboard.sources().size()
            + " sources; name the one to replace as --feed NAME=URL (sources: " + names + ")");
        continue;
      }
      if (out.containsKey(name)) {
        reasons.add("--feed " + value + ": source \"" + name + "\" was given a URL already");
        continue;
      }
      String problem = checkUrl(dashboard.source(name), url);
      if (problem != null) {
        reasons.add("--feed " + value + ": " + problem);
        continue;
      }
      out.put(name, URI.create(url));
    }
    if (!reasons.isEmpty()) {
      throw new ExportException(reasons);
    }
    return out;
  }

  /** Why {@code url} cannot replace {@code source}'s URL, or null when it can. */
  private static String checkUrl(SourceSpec source, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "not a URL: " + e.getMessage();
    }
    try {
      if (source instanceof WebSocketSpec ws) {
        new WebSocketSpec(ws.name(), uri, ws.subscribe(), ws.heartbeat(), ws.silence(),
            ws.decoding());
        if (uri.getRawFragment() != null) {
          return "a WebSocket URL cannot have a fragment (#…): " + url;
        }
      } else if (source instanceof SseSpec sse) {
        new SseSpec(sse.name(), uri, sse.events(), sse.silence(), sse.decoding());
      }
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    return null;
  }

  private static URI urlOf(SourceSpec source) {
    if (source instanceof WebSocketSpec ws) {
      return ws.url();
    }
    return ((SseSpec) source).url();
  }

  /** Each feed's origin once, in order: what the page's CSP lets it connect to. */
  static Set<String> origins(List<Feed> feeds) {
    Set<String> origins = new LinkedHashSet<>();
    for (Feed feed : feeds) {
      URI url = feed.url();
      origins.add(url.getScheme().toLowerCase(java.util.Locale.ROOT) + "://"
          + url.getHost().toLowerCase(java.util.Locale.ROOT)
          + (url.getPort() >= 0 ? ":" + url.getPort() : ""));
    }
    return origins;
  }

  /** {@code {"fileName", "yaml", "feeds": {source: url}}}: what live.js reads. */
  private static String dataBlock(String yaml, String fileName, Map<String, URI> overrides) {
    ObjectNode data = JSON.createObjectNode();
    data.put("fileName", fileName);
    data.put("yaml", yaml);
    ObjectNode feeds = data.putObject("feeds");
    overrides.forEach((name, url) -> feeds.put(name, url.toString()));
    try {
      return JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the page's data block", e);
    }
  }

  /** "dashboards/web.yaml" → "web.yaml": the page names the file, not where it lay. */
  private static String baseName(String fileName) {
    String f = fileName.replace('\\', '/');
    return f.substring(f.lastIndexOf('/') + 1);
  }

  private static long utf8Bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
