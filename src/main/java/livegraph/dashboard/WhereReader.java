package livegraph.dashboard;

import java.util.ArrayList;
import java.util.List;
import livegraph.pipeline.Condition;
import livegraph.pipeline.Filter;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a chart's {@code where:}: a mapping of field → test, or a list of such mappings, all of
 * which must hold. A test is a value ({@code level: error}), a list ({@code level: [error, warn]},
 * any of them), or a mapping of operators ({@code latency: {gt: 100, lte: 5000}}).
 */
final class WhereReader {

  static final List<String> OPERATORS =
      List.of("equals", "notEquals", "in", "regex", "gt", "gte", "lt", "lte", "exists");

  private final Values values;
  private final Problems problems;

  WhereReader(Values values) {
    this.values = values;
    this.problems = values.problems();
  }

  /** The filter; {@code null} when something in it is wrong (reported). */
  Filter read(Node node, List<Ref> refs) {
    List<Node> groups = node instanceof SequenceNode s ? s.getValue() : List.of(node);
    List<Condition> conditions = new ArrayList<>();
    int before = problems.count();
    for (Node group : groups) {
      if (!(group instanceof MappingNode)) {
        problems.at(group, "where must be a mapping of field: test (e.g. {level: error}) or a "
            + "list of them, not a " + Values.kind(group));
        continue;
      }
      YamlMap tests = values.map(group, "where");
      for (NodeTuple tuple : tests.entries()) {
        ScalarNode fieldNode = (ScalarNode) tuple.getKeyNode();
        String field = fieldNode.getValue();
        refs.add(new Ref(field, fieldNode, "where"));
        test(field, tuple.getValueNode(), conditions);
      }
    }
    return problems.count() == before ? Filter.of(conditions) : null;
  }

  private void test(String field, Node value, List<Condition> out) {
    if (value instanceof SequenceNode) {
      List<String> any = values.texts(value, "where " + field);
      add(value, out, () -> new Condition.In(field, any), any != null);
      return;
    }
    if (value instanceof ScalarNode) {
      if (Values.isNull(value)) {
        problems.at(value, "where " + field + " needs a value or a test, e.g. '" + field
            + ": error' or '" + field + ": {gt: 100}'");
        return;
      }
      String text = ((ScalarNode) value).getValue();
      add(value, out, () -> new Condition.Equals(field, text), true);
      return;
    }
    YamlMap ops = values.map(value, "where " + field);
    for (NodeTuple tuple : ops.entries()) {
      String op = ((ScalarNode) tuple.getKeyNode()).getValue();
      Node v = tuple.getValueNode();
      String key = "where " + field + " " + op;
      switch (op) {
        case "equals" -> {
          String text = values.text(v, key);
          add(v, out, () -> new Condition.Equals(field, text), text != null);
        }
        case "notEquals" -> {
          String text = values.text(v, key);
          add(v, out, () -> new Condition.NotEquals(field, text), text != null);
        }
        case "in" -> {
          List<String> any = values.texts(v, key);
          add(v, out, () -> new Condition.In(field, any), any != null);
        }
        case "regex" -> {
          String text = values.text(v, key);
          add(v, out, () -> new Condition.Regex(field, text), text != null);
        }
        case "gt", "gte", "lt", "lte" -> {
          Double n = values.number(v, key);
          add(v, out, () -> switch (op) {
            case "gt" -> new Condition.Gt(field, n);
            case "gte" -> new Condition.Gte(field, n);
            case "lt" -> new Condition.Lt(field, n);
            default -> new Condition.Lte(field, n);
          }, n != null);
        }
        case "exists" -> {
          Boolean present = values.bool(v, key);
          add(v, out, () -> new Condition.Exists(field, present), present != null);
        }
        default -> problems.at(tuple.getKeyNode(), "unknown test '" + op + "' for where "
            + field + Suggestions.hint(op, OPERATORS));
      }
    }
  }

  /** Builds the condition when its value was read, reporting the record's complaint at the value. */
  private void add(Node node, List<Condition> out, java.util.function.Supplier<Condition> build,
      boolean read) {
    if (!read) {
      return;
    }
    try {
      out.add(build.get());
    } catch (IllegalArgumentException e) {
      problems.at(node, e.getMessage());
    }
  }
}
