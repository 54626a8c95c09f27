package livegraph.dashboard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * One YAML mapping of a dashboard file, keyed by its text keys in file order, with the entries
 * of merge keys ({@code <<: *defaults}) added where not written. Duplicate and non-text keys are
 * reported when it is built (the compose API, unlike the constructor, accepts them); {@link
 * #checkKeys} reports the keys the reader does not know.
 */
final class YamlMap {

  private final MappingNode node;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
  private final Set<String> suggested = new java.util.HashSet<>(); // keys a "did you mean" named

  YamlMap(MappingNode node, Problems problems) {
    this.node = node;
    List<NodeTuple> merged = new ArrayList<>();
    for (NodeTuple tuple : node.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals("<<") && k.isPlain()) {
        merge(tuple.getValueNode(), merged, problems);
        continue;
      }
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        problems.at(tuple.getKeyNode(), "a key must be plain text, not a "
            + Values.kind(tuple.getKeyNode()));
        continue;
      }
      NodeTuple first = entries.putIfAbsent(key.getValue(), tuple);
      if (first != null) {
        problems.at(key, "duplicate key '" + key.getValue() + "' (first at line "
            + Values.line(first.getKeyNode()) + ")");
      }
    }
    // Keys written in the mapping itself win over merged ones, as YAML merge keys define.
    for (NodeTuple tuple : merged) {
      if (tuple.getKeyNode() instanceof ScalarNode key) {
        entries.putIfAbsent(key.getValue(), tuple);
      }
    }
  }

  /** {@code <<: *defaults} or {@code <<: [*a, *b]}: the YAML merge key, for shared settings. */
  private static void merge(Node value, List<NodeTuple> into, Problems problems) {
    List<Node> sources = value instanceof SequenceNode s ? s.getValue() : List.of(value);
    for (Node source : sources) {
      if (source instanceof MappingNode m) {
        into.addAll(m.getValue());
      } else {
        problems.at(source, "'<<' merges a mapping (e.g. <<: *defaults), not a "
            + Values.kind(source));
      }
    }
  }

  MappingNode node() {
    return node;
  }

  Set<String> keys() {
    return entries.keySet();
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  /** The value of {@code key}, or {@code null} when absent. */
  Node get(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? null : tuple.getValueNode();
  }

  /** The key node itself, for problems about the key, or {@code null} when absent. */
  Node keyNode(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? null : tuple.getKeyNode();
  }

  /**
   * Reports that {@code key} is missing, unless a misspelling of it was already reported by
   * {@link #checkKeys} ("unknown key 'tittle': did you mean 'title'?" says it all).
   */
  void missing(String key, String message, Problems problems) {
    if (!suggested.contains(key)) {
      problems.at(node, message);
    }
  }

  /** Every key/value pair, in file order. */
  Collection<NodeTuple> entries() {
    return entries.values();
  }

  /**
   * Reports each key that is not in {@code allowed}: "did you mean" the closest allowed one,
   * or, for a key another kind of thing takes ({@code elsewhere}: key → where it applies), says
   * where it applies.
   */
  void checkKeys(Collection<String> allowed, Map<String, String> elsewhere, String what,
      Problems problems) {
    for (NodeTuple tuple : entries.values()) {
      String key = ((ScalarNode) tuple.getKeyNode()).getValue();
      if (allowed.contains(key)) {
        continue;
      }
      String applies = elsewhere.get(key);
      if (applies != null) {
        problems.at(tuple.getKeyNode(), "'" + key + "' does not apply to " + what + " (only to "
            + applies + ")");
      } else {
        String best = Suggestions.closest(key, allowed);
        if (best != null) {
          suggested.add(best);
        }
        problems.at(tuple.getKeyNode(), "unknown key '" + key + "' in " + what
            + Suggestions.hint(key, allowed));
      }
    }
  }
}
