package livegraph.dashboard;

import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Finds the YAML node a record constructor's complaint is about. The pipeline and source records
 * check their own invariants (bucket multiples, memory bounds, URL schemes) and say so in an
 * IllegalArgumentException whose message starts with the name of the value ("retention must be
 * a whole multiple of bucket…", "mqtt qos must be 0 or 1…"); the loader keeps those checks in one
 * place and only maps the message back to the line and column it came from.
 */
final class Routes {

  private record Route(String prefix, Node node, String rename) {}

  private final List<Route> routes = new ArrayList<>();
  private final Node fallback;

  Routes(Node fallback) {
    this.fallback = fallback;
  }

  /** Messages starting with {@code prefix} are about {@code node} (ignored when absent). */
  Routes add(String prefix, Node node) {
    return add(prefix, node, null);
  }

  /**
   * Like {@link #add(String, Node)}, and the prefix is shown as {@code rename}: the record says
   * "topK" where the file says "top".
   */
  Routes add(String prefix, Node node, String rename) {
    if (node != null) {
      routes.add(new Route(prefix, node, rename));
    }
    return this;
  }

  /** Reports {@code e} at the node its message is about, or at the fallback node. */
  void report(IllegalArgumentException e, Problems problems) {
    String message = e.getMessage();
    for (Route route : routes) {
      if (message.startsWith(route.prefix)) {
        problems.at(route.node, route.rename == null ? message
            : route.rename + message.substring(route.prefix.length()));
        return;
      }
    }
    problems.at(fallback, message);
  }
}
