package livegraph.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * A message from the page, validated: {@code {"type":"resume","seq":N}} or {@code
 * {"type":"view","filter":{"field":F,"value":V}}} ({@code "filter":null} for the whole
 * dashboard).
 *
 * <p>Parsed with the streaming parser so a hostile message costs at most one pass over its
 * (already size-limited) text; anything else becomes {@link Invalid} with a reason for the page.
 * Unknown fields are skipped, at the top level and in the filter alike.
 */
sealed interface ClientMessage {

  /** Longest filter field or value accepted, in characters. */
  int MAX_FILTER_TEXT = 200;

  /** The page saw every delta up to {@code seq} and wants what followed. */
  record Resume(long seq) implements ClientMessage {}

  /**
   * The page wants the view of the events with {@code value} in {@code field}, or, with both
   * null, the whole dashboard.
   */
  record View(String field, String value) implements ClientMessage {
    static final View WHOLE = new View(null, null);

    boolean whole() {
      return field == null;
    }
  }

  /** Not a message we accept, and why. */
  record Invalid(String reason) implements ClientMessage {}

  JsonFactory JSON = new JsonFactory();

  static ClientMessage parse(String text) {
    String type = null;
    Long seq = null;
    ClientMessage filter = null; // a View once "filter" was read
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
          case "filter" -> {
            filter = filter(p, value);
            if (filter instanceof Invalid) {
              return filter;
            }
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
    switch (type) {
      case "resume" -> {
        if (seq == null || seq < 0) {
          return new Invalid("resume needs a non-negative seq");
        }
        return new Resume(seq);
      }
      case "view" -> {
        if (filter == null) {
          return new Invalid("view needs a filter: {\"field\":F,\"value\":V} or null");
        }
        return filter;
      }
      default -> {
        return new Invalid("unknown type: " + abbreviate(type));
      }
    }
  }

  /** {@code null}, or {@code {"field":F,"value":V}} with both strings; the parser is on it. */
  private static ClientMessage filter(JsonParser p, JsonToken start) throws IOException {
    if (start == JsonToken.VALUE_NULL) {
      return View.WHOLE;
    }
    if (start != JsonToken.START_OBJECT) {
      return new Invalid("filter must be an object or null");
    }
    String field = null;
    String value = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken token = p.nextToken();
      switch (name) {
        case "field", "value" -> {
          if (token != JsonToken.VALUE_STRING) {
            return new Invalid("filter " + name + " must be a string");
          }
          // getTextLength reads the token's length without building a String of it.
          if (p.getTextLength() > MAX_FILTER_TEXT) {
            return new Invalid("filter " + name + " must be at most " + MAX_FILTER_TEXT
                + " characters: " + p.getTextLength());
          }
          if (name.equals("field")) {
            field = p.getText();
          } else {
            value = p.getText();
          }
        }
        default -> p.skipChildren();
      }
    }
    if (field == null || value == null) {
      return new Invalid("filter needs a field and a value");
    }
    if (field.isEmpty()) {
      return new Invalid("filter field must not be empty");
    }
    return new View(field, value);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
