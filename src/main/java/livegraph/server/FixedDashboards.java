package livegraph.server;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import livegraph.hub.Hub;

/** Dashboards that never change after construction; immutable, so safe on any thread. */
final class FixedDashboards implements Dashboards {

  private final List<Entry> entries;
  private final Map<String, Hub> hubs;

  FixedDashboards(LinkedHashMap<Entry, Hub> byEntry) {
    Map<String, Hub> byName = new HashMap<>();
    for (Map.Entry<Entry, Hub> e : byEntry.entrySet()) {
      if (e.getValue() == null) {
        throw new IllegalArgumentException("dashboard " + e.getKey().name() + " has no hub");
      }
      if (byName.put(e.getKey().name(), e.getValue()) != null) {
        throw new IllegalArgumentException("two dashboards named " + e.getKey().name());
      }
    }
    this.entries = List.copyOf(byEntry.keySet());
    this.hubs = Map.copyOf(byName);
  }

  @Override
  public List<Entry> list() {
    return entries;
  }

  @Override
  public Hub hub(String name) {
    return hubs.get(name);
  }
}
