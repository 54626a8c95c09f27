package livegraph.cluster;

/**
 * The Redis keys of one dashboard's cluster state. All share the hash tag {@code {prefix:name}},
 * so on a Redis Cluster they land in one slot and the writer's script may touch them together.
 *
 * @param stream the events and ticks (a Stream)
 * @param lease who ingests: {@code SET NX PX}, value {@code nodeId:token}
 * @param ticks the counter numbering ticks
 * @param start when the charts started, epoch ms: every node's since-start windows count from it
 */
public record ClusterKeys(String stream, String lease, String ticks, String start) {

  /** The keys of the dashboard stream {@code name} (its route and feed) under {@code prefix}. */
  public static ClusterKeys of(String prefix, String name) {
    if (name == null || name.isBlank() || name.contains("}")) {
      throw new IllegalArgumentException("stream name must be non-empty without '}': " + name);
    }
    String tag = "{" + prefix + ":" + name + "}";
    return new ClusterKeys(tag + ":events", tag + ":lease", tag + ":ticks", tag + ":start");
  }
}
