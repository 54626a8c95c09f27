package livegraph.emulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Builds and recognises the feed's outer frames: {@code {"action":..., "data":"..."}}. */
final class Frames {

  static final String ACTIVE_CHANNEL = "155-questions-active";
  static final String HEARTBEAT = "{\"action\":\"hb\",\"data\":\"hb\"}";

  private static final JsonFactory JSON = new JsonFactory();

  private Frames() {}

  /** The outer frame for {@code channel} carrying {@code data} as a JSON string value. */
  static String frame(String channel, String data) {
    StringWriter out = new StringWriter(data.length() + 64);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("action", channel);
      g.writeStringField("data", data);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /** Whether {@code text} is a frame whose action is {@code hb}; false for anything unparsable. */
  static boolean isHeartbeat(String text) {
    if (text.indexOf("\"hb\"") < 0) {
      return false; // cheap rejection of the common case
    }
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("action".equals(name)) {
          return value == JsonToken.VALUE_STRING && "hb".equals(p.getText());
        }
        p.skipChildren();
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }
}
