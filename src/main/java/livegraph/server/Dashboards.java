package livegraph.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import livegraph.hub.Hub;

/**
 * The dashboards a {@link ViewerServer} shows: their names and titles for the listing, and the
 * hub each one's socket joins.
 *
 * <p>The server asks on every request and handshake, on its event loops, so implementations
 * must be thread-safe and must not block; a registry whose dashboards come and go (files added
 * to a folder) simply answers from its current state. The first entry of {@link #list()} is the
 * one {@code /} shows when it is the only one, and the one {@code /ws} joins.
 */
public interface Dashboards {

  /** A dashboard as the listing shows it; {@code name} is its URL segment ({@code /d/NAME/}). */
  record Entry(String name, String title) {
    public Entry {
      if (name == null || name.isEmpty() || name.indexOf('/') >= 0
          || name.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException(
            "dashboard name must be non-empty, without '/' or control characters: " + name);
      }
      if (title == null) {
        throw new IllegalArgumentException("dashboard title must not be null (name " + name + ")");
      }
    }
  }

  /** Every dashboard, in the order the listing shows them. */
  List<Entry> list();

  /** The hub of the dashboard named {@code name}, or null when there is none. */
  Hub hub(String name);

  /** The filtered views of the dashboard named {@code name}; {@link Views#NONE} by default. */
  default Views views(String name) {
    return Views.NONE;
  }

  /** One dashboard. */
  static Dashboards single(String name, String title, Hub hub) {
    return of(Map.of(new Entry(name, title), hub));
  }

  /** A fixed set, listed in the map's iteration order (use a LinkedHashMap for several). */
  static Dashboards of(Map<Entry, Hub> hubs) {
    return new FixedDashboards(new LinkedHashMap<>(hubs));
  }
}
