package livegraph.source;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Argument checks shared by the source specs; messages name the value and what was expected. */
final class SpecChecks {

  private SpecChecks() {}

  static String name(String name) {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
      throw new IllegalArgumentException(
          "source name must be letters, digits, '_', '.' or '-': " + name);
    }
    return name;
  }

  static URI uri(URI uri, Set<String> schemes, String what) {
    if (uri == null || uri.getScheme() == null || !schemes.contains(uri.getScheme())
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          what + " must be a " + String.join(" or ", schemes.stream().sorted().toList())
              + " URL with a host: " + uri);
    }
    return uri;
  }

  static List<String> nonEmpty(List<String> items, String what) {
    if (items == null || items.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    for (String item : items) {
      if (item == null || item.isBlank()) {
        throw new IllegalArgumentException(what + " must not contain a blank entry: " + items);
      }
    }
    return List.copyOf(items);
  }

  static Duration positive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
    return d;
  }

  static int port(int port, boolean zeroAllowed) {
    if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
    return port;
  }

  static String hostPort(URI uri) {
    return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
  }
}
