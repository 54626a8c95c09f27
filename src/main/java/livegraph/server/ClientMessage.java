package livegraph.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * A message from the page, validated: {@code {"type":"resume","seq":N}} is the only kind.
 *
 * <p>Parsed with the streaming parser so a hostile message costs at most one pass over its
 * (already size-limited) text; anything else becomes {@link Invalid} with a reason for the page.
 */
sealed interface ClientMessage {

  /** The page saw every delta up to {@code seq} and wants what followed. */
  record Resume(long seq) implements ClientMessage {}

  /** Not a message we accept, and why. */
  record Invalid(String reason) implements ClientMessage {}

  JsonFactory JSON = new JsonFactory();

  static ClientMessage parse(String text) {
    String type = null;
    Long seq = null;
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new Invalid("expected a JSON object");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "type" -> {
            if (value != JsonToken.VALUE_STRING) {
              return new Invalid("type must be a string");
            }
            type = p.getText();
          }
          case "seq" -> {
            if (value != JsonToken.VALUE_NUMBER_INT) {
              return new Invalid("seq must be an integer");
            }
            seq = p.getLongValue();
          }
          default -> p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        return new Invalid("trailing data after the object");
      }
    } catch (IOException e) {
      return new Invalid("not JSON");
    }
    if (type == null) {
      return new Invalid("missing type");
    }
    if (!type.equals("resume")) {
      return new Invalid("unknown type: " + abbreviate(type));
    }
    if (seq == null || seq < 0) {
      return new Invalid("resume needs a non-negative seq");
    }
    return new Resume(seq);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
