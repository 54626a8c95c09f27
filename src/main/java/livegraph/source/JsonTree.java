package livegraph.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON text read into plain Java values with jackson-core's streaming parser: an object is
 * a {@code LinkedHashMap<String, Object>} (a repeated name keeps its last value), an array an
 * {@code ArrayList<Object>}, a string a {@link String}, an integer a {@link Long} (a {@link
 * java.math.BigInteger} beyond its range), a number with a fraction or exponent a {@link
 * Double}, {@code true}/{@code false} a {@link Boolean}, and {@code null} Java's {@code null}
 * (the decoder treats a JSON null and an absent field alike).
 *
 * <p>No data binding, no reflection: the browser build compiles this same code. The factory's
 * {@link com.fasterxml.jackson.core.StreamReadConstraints} bound the nesting, so the recursion
 * here is as deep as those constraints allow and no deeper.
 */
final class JsonTree {

  /** What {@link #parse} returns for text holding no JSON value at all (empty or blank). */
  static final Object NOTHING = new Object() {
    @Override
    public String toString() {
      return "NOTHING";
    }
  };

  private JsonTree() {}

  /**
   * Reads {@code text} as exactly one JSON value.
   *
   * @return the value, or {@link #NOTHING} when the text holds none
   * @throws JsonProcessingException when it is not JSON, has anything after the value, or
   *     breaks the factory's constraints ({@link
   *     com.fasterxml.jackson.core.exc.StreamConstraintsException})
   */
  static Object parse(JsonFactory factory, String text) throws JsonProcessingException {
    try (JsonParser parser = factory.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return NOTHING;
      }
      Object value = value(parser, first);
      if (parser.nextToken() != null) {
        throw new JsonParseException(parser, "trailing content after the JSON value");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      // A parser over a String does no I/O; Jackson declares the exception anyway.
      throw new UncheckedIOException(e);
    }
  }

  static Object value(JsonParser parser, JsonToken token) throws IOException {
    if (token == null) {
      // Jackson reports a truncated document itself; this only guards the switch.
      throw new JsonParseException(parser, "unexpected end of input");
    }
    switch (token) {
      case START_OBJECT: {
        Map<String, Object> object = new LinkedHashMap<>();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
          object.put(name, value(parser, parser.nextToken()));
        }
        return object;
      }
      case START_ARRAY: {
        List<Object> array = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          array.add(value(parser, t));
        }
        return array;
      }
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? parser.getBigIntegerValue()
            : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        // Field names and ends are consumed above; embedded objects exist only in binary formats.
        throw new JsonParseException(parser, "unexpected token " + token);
    }
  }
}
