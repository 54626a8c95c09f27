package livegraph.dashboard;

import org.snakeyaml.engine.v2.nodes.Node;

/**
 * A field reference a chart makes, and where: checked once the sources are known (an alias of
 * the chart's source needs no other form; anything else must be a pointer, dotted path or meta
 * field).
 *
 * @param text as written
 * @param node where it is written
 * @param key the dashboard key it is under, for messages: "by", "measure", "where"
 */
record Ref(String text, Node node, String key) {}
