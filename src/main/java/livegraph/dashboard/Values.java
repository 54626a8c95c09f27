package livegraph.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Typed values read from YAML nodes. Each reader reports a wrong value at the node, naming the
 * key and what was expected, and returns {@code null} so reading goes on and every problem of
 * the file is found in one pass.
 */
final class Values {

  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

  private final Problems problems;

  Values(Problems problems) {
    this.problems = problems;
  }

  Problems problems() {
    return problems;
  }

  /** Plain text (a number or boolean scalar counts as its text); empty is refused. */
  String text(Node node, String key) {
    if (!(node instanceof ScalarNode scalar)) {
      problems.at(node, key + " must be text, not a " + kind(node));
      return null;
    }
    if (isNull(scalar) || scalar.getValue().isBlank()) {
      problems.at(node, key + " must not be empty");
      return null;
    }
    return scalar.getValue();
  }

  /** A whole number in {@code [min, Integer.MAX_VALUE]}. */
  Integer wholeNumber(Node node, String key, int min) {
    String text = scalar(node, key, "a whole number");
    if (text == null) {
      return null;
    }
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      problems.at(node, key + " must be a whole number: '" + text + "'");
      return null;
    }
    if (value < min || value > Integer.MAX_VALUE) {
      problems.at(node, key + " must be a whole number of at least " + min + ": " + text);
      return null;
    }
    return (int) value;
  }

  /** A finite number. */
  Double number(Node node, String key) {
    String text = scalar(node, key, "a number");
    if (text == null) {
      return null;
    }
    // Decimal notation only: Double.parseDouble would also take "NaN", "Infinity" and "10d".
    if (NUMBER.matcher(text.trim()).matches()) {
      double value = Double.parseDouble(text.trim());
      if (Double.isFinite(value)) {
        return value;
      }
    }
    problems.at(node, key + " must be a number: '" + text + "'");
    return null;
  }

  Boolean bool(Node node, String key) {
    String text = scalar(node, key, "true or false");
    if (text == null) {
      return null;
    }
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        problems.at(node, key + " must be true or false: '" + text + "'");
        return null;
    }
  }

  Duration duration(Node node, String key) {
    String text = scalar(node, key, DurationText.EXPECTED);
    if (text == null) {
      return null;
    }
    try {
      return DurationText.parse(text);
    } catch (IllegalArgumentException e) {
      problems.at(node, key + " " + e.getMessage() + ": '" + text + "'");
      return null;
    }
  }

  /** A list of texts; a single text is a list of one. */
  List<String> texts(Node node, String key) {
    if (node instanceof ScalarNode && !isNull(node)) {
      String one = text(node, key);
      return one == null ? null : List.of(one);
    }
    if (!(node instanceof SequenceNode sequence)) {
      problems.at(node, key + " must be a list of texts, not a " + kind(node));
      return null;
    }
    List<String> out = new ArrayList<>();
    boolean ok = true;
    for (Node item : sequence.getValue()) {
      String text = text(item, key + " entry");
      ok &= text != null;
      out.add(text);
    }
    return ok ? out : null;
  }

  /** The node as a mapping; an empty value ({@code key:}) is an empty mapping. */
  YamlMap map(Node node, String key) {
    if (isNull(node)) {
      return new YamlMap(new MappingNode(Tag.MAP, List.of(),
          org.snakeyaml.engine.v2.common.FlowStyle.AUTO), problems);
    }
    if (!(node instanceof MappingNode mapping)) {
      problems.at(node, key + " must be a mapping (key: value), not a " + kind(node));
      return null;
    }
    return new YamlMap(mapping, problems);
  }

  /** The node as a list; a single item is a list of one when {@code oneAllowed}. */
  List<Node> list(Node node, String key, boolean oneAllowed) {
    if (node instanceof SequenceNode sequence) {
      return sequence.getValue();
    }
    if (oneAllowed && node != null && !isNull(node)) {
      return List.of(node);
    }
    problems.at(node, key + " must be a list, not a " + kind(node));
    return null;
  }

  private String scalar(Node node, String key, String expected) {
    if (!(node instanceof ScalarNode scalar) || isNull(node) || scalar.getValue().isBlank()) {
      problems.at(node, key + " must be " + expected + ", not " + (node instanceof ScalarNode
          ? "empty" : "a " + kind(node)));
      return null;
    }
    return scalar.getValue();
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }

  /** "mapping", "list" or "text", for messages. */
  static String kind(Node node) {
    if (node instanceof MappingNode) {
      return "mapping";
    }
    if (node instanceof SequenceNode) {
      return "list";
    }
    return isNull(node) ? "empty value" : "text";
  }

  /** 1-based line of a node, for "first at line N". */
  static int line(Node node) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
  }
}
