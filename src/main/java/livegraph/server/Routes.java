package livegraph.server;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import livegraph.hub.Hub;

/**
 * Maps a request path to what answers it, for one or many dashboards.
 *
 * <pre>
 * /                  the page, when there is exactly one dashboard; else the listing page
 * /ws                the first dashboard's socket
 * /d/NAME            redirect to /d/NAME/ (the page's relative URLs need the slash)
 * /d/NAME/           the page; it opens its socket relative to itself: /d/NAME/ws
 * /d/NAME/ws         NAME's socket
 * /d/NAME/snapshot.json, /d/NAME/snapshot.html
 *                    NAME's current state as one JSON document, or as a static page to download
 * /snapshot.json, /snapshot.html
 *                    the same for the first dashboard
 * /d/NAME/FILE       a page asset, as at /FILE
 * /dashboards.json   [{"name","title","path"}…]
 * /healthz           health JSON
 * /metrics           Prometheus metrics (text format 0.0.4)
 * /FILE              a page asset
 * </pre>
 *
 * <p>An unknown dashboard is not found, whatever follows its name. Paths are already
 * percent-decoded; the paths this class writes (redirects, listing) are encoded again.
 * Stateless apart from the registry it asks, so safe on any thread.
 */
final class Routes {

  static final String PAGE = "index.html";
  static final String LISTING_PAGE = "dashboards.html";

  /** What answers a request. */
  sealed interface Route {}

  /** A live socket joining {@code hub}, or one of the dashboard's {@code views}. */
  record Socket(String dashboard, Hub hub, Views views) implements Route {}

  /**
   * The current state of {@code hub} as {@code snapshot.json} or {@code snapshot.html};
   * {@code pagePath} is the dashboard's page, e.g. "/" or "/d/NAME/" (percent-encoded).
   */
  record Snapshot(String dashboard, Hub hub, String pagePath, SnapshotFormat format) implements Route {}

  /** What a snapshot is answered as. */
  enum SnapshotFormat {
    JSON("snapshot.json"),
    HTML("snapshot.html");

    final String file;

    SnapshotFormat(String file) {
      this.file = file;
    }

    static SnapshotFormat of(String file) {
      for (SnapshotFormat f : values()) {
        if (f.file.equals(file)) {
          return f;
        }
      }
      return null;
    }
  }

  /** A static asset by its path under the asset root, e.g. "index.html". */
  record Asset(String path) implements Route {}

  /** A permanent redirect. */
  record Redirect(String location) implements Route {}

  /** The dashboards as JSON. */
  record Listing() implements Route {}

  /** The health report. */
  record Health() implements Route {}

  /** The Prometheus scrape. */
  record Metrics() implements Route {}

  /** Nothing here. */
  record NotFound() implements Route {}

  private static final String PREFIX = "/d/";

  private final Dashboards dashboards;

  Routes(Dashboards dashboards) {
    this.dashboards = dashboards;
  }

  Route resolve(String path) {
    switch (path) {
      case "/healthz":
        return new Health();
      case "/metrics":
        return new Metrics();
      case "/dashboards.json":
        return new Listing();
      case "/":
        return new Asset(dashboards.list().size() == 1 ? PAGE : LISTING_PAGE);
      case "/ws": {
        List<Dashboards.Entry> all = dashboards.list();
        Hub hub = all.isEmpty() ? null : dashboards.hub(all.get(0).name());
        return hub == null ? new NotFound() : socket(all.get(0).name(), hub);
      }
      default:
        break;
    }
    SnapshotFormat rootSnapshot = path.lastIndexOf('/') == 0 ? SnapshotFormat.of(path.substring(1)) : null;
    if (rootSnapshot != null) {
      List<Dashboards.Entry> all = dashboards.list();
      Hub hub = all.isEmpty() ? null : dashboards.hub(all.get(0).name());
      if (hub == null) {
        return new NotFound();
      }
      String name = all.get(0).name();
      // The page beside /snapshot.* is "/" only when "/" shows this dashboard, not the listing.
      return new Snapshot(name, hub, all.size() == 1 ? "/" : pagePath(name), rootSnapshot);
    }
    if (!path.startsWith(PREFIX)) {
      return path.startsWith("/") ? new Asset(path.substring(1)) : new NotFound();
    }
    String rest = path.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    String name = slash < 0 ? rest : rest.substring(0, slash);
    Hub hub = name.isEmpty() ? null : dashboards.hub(name);
    if (hub == null) {
      return new NotFound();
    }
    if (slash < 0) {
      return new Redirect(pagePath(name));
    }
    String sub = rest.substring(slash + 1);
    if (sub.isEmpty()) {
      return new Asset(PAGE);
    }
    if (sub.equals("ws")) {
      return socket(name, hub);
    }
    SnapshotFormat snapshot = SnapshotFormat.of(sub);
    return snapshot != null ? new Snapshot(name, hub, pagePath(name), snapshot) : new Asset(sub);
  }

  private Socket socket(String name, Hub hub) {
    Views views = dashboards.views(name);
    return new Socket(name, hub, views == null ? Views.NONE : views);
  }

  /** {@code /d/NAME/} with NAME percent-encoded as one path segment. */
  static String pagePath(String name) {
    // URLEncoder writes form encoding: '+' for a space means a space only in queries.
    return PREFIX + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + "/";
  }
}
