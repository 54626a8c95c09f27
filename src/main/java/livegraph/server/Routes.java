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
 * /d/NAME/FILE       a page asset, as at /FILE
 * /dashboards.json   [{"name","title","path"}…]
 * /healthz           health JSON
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

  /** A static asset by its path under the asset root, e.g. "index.html". */
  record Asset(String path) implements Route {}

  /** A permanent redirect. */
  record Redirect(String location) implements Route {}

  /** The dashboards as JSON. */
  record Listing() implements Route {}

  /** The health report. */
  record Health() implements Route {}

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
    return sub.equals("ws") ? socket(name, hub) : new Asset(sub);
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
