package livegraph.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;

/**
 * A {@code snapshot.json} document as the server writes it (see PROTOCOL.md, "Snapshots"): its
 * text, kept exactly as received, and what a person is told about it.
 *
 * @param json the document's text, strict JSON
 * @param capturedAtMillis when the server took it, epoch milliseconds
 * @param url the page it was taken from
 * @param name the dashboard's name (its URL segment)
 * @param title the dashboard's title
 * @param charts how many charts the dashboard has
 */
public record Snapshot(String json, long capturedAtMillis, String url, String name, String title, int charts) {

  // Strict: "{}garbage" is not a document, so the text embedded in a page is exactly what parsed.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public Snapshot {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(title, "title");
  }

  /**
   * Reads a document.
   *
   * @throws IllegalArgumentException saying what is missing, when {@code json} is not JSON or
   *     not a livegraph snapshot
   */
  public static Snapshot parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    JsonNode captured = root.path("capturedAt");
    if (!captured.canConvertToExactIntegral() || !captured.canConvertToLong()) {
      throw new IllegalArgumentException("no \"capturedAt\" time");
    }
    JsonNode dashboard = root.path("hello").path("dashboard");
    if (!dashboard.isObject() || !dashboard.path("charts").isArray()) {
      throw new IllegalArgumentException("no \"hello\" with a dashboard and its charts");
    }
    if (!root.path("charts").isObject()) {
      throw new IllegalArgumentException("no \"charts\" object");
    }
    return new Snapshot(json, captured.asLong(), root.path("url").asText(""),
        dashboard.path("name").asText(""), dashboard.path("title").asText(""),
        dashboard.path("charts").size());
  }
}
