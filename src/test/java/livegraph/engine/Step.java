package livegraph.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One call of the engine's API in a conformance scenario, run alike by the browser build and by
 * {@link ServerReference}. {@code now} is the epoch milliseconds the call passes.
 *
 * @param op open, sources, frame, sse, tick, snapshot or counters
 * @param source the source name (frame, sse); the file name (open)
 * @param text the frame or SSE data (frame, sse); the YAML (open)
 * @param type the SSE event type (sse)
 * @param id the SSE last event id (sse)
 */
record Step(String op, String source, String text, String type, String id, long now) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Step open(String yaml, String fileName, long now) {
    return new Step("open", fileName, yaml, null, null, now);
  }

  static Step sources() {
    return new Step("sources", null, null, null, null, 0);
  }

  static Step frame(String source, String text, long now) {
    return new Step("frame", source, text, null, null, now);
  }

  static Step sse(String source, String type, String data, String id, long now) {
    return new Step("sse", source, data, type, id, now);
  }

  static Step tick(long now) {
    return new Step("tick", null, null, null, null, now);
  }

  static Step snapshot() {
    return new Step("snapshot", null, null, null, null, 0);
  }

  static Step counters() {
    return new Step("counters", null, null, null, null, 0);
  }

  /** Whether the step answers with JSON text (or null) rather than a word. */
  boolean answersJson() {
    return !op.equals("frame") && !op.equals("sse");
  }

  /** For failure messages: the call without its (possibly huge) text. */
  @Override
  public String toString() {
    String shown = text == null ? "" : text.length() > 120 ? text.substring(0, 117) + "..." : text;
    return op + "(" + (source == null ? "" : source + ", ") + (type == null ? "" : type + ", ")
        + shown + (now == 0 ? "" : ", now=" + now) + ")";
  }

  /** The steps as the JSON array the page's runner reads. */
  static String toJson(List<Step> steps) {
    ArrayNode array = JSON.createArrayNode();
    for (Step step : steps) {
      ObjectNode o = array.addObject();
      o.put("op", step.op);
      o.put("source", step.source);
      o.put("text", step.text);
      o.put("type", step.type);
      o.put("id", step.id);
      o.put("now", step.now);
    }
    return array.toString();
  }
}
