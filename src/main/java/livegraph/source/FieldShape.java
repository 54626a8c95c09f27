package livegraph.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of a JSON document a decoder reads: the field paths it resolves, as a tree of names.
 * {@link #read} makes one streaming pass over a text and keeps only the values on those paths,
 * in {@link JsonTree}'s plain values, so {@link FieldPath#resolve} finds in the result exactly
 * what it would find in the whole document; everything else is skipped by the parser without
 * being built ({@link JsonParser#skipChildren}, and strings never read are never decoded).
 *
 * <p>The whole text is still tokenized, so what makes a document unreadable (bad syntax,
 * trailing content, nesting beyond the factory's limit, an over-long number) fails here as it
 * failed when the decoder built the whole tree. A repeated name keeps its last value, as there.
 *
 * <p>A payload node ({@link #payload}) holds a document inside a string: when its value is a
 * string, that string is read at once, with the inner shape, straight from the outer parser's
 * buffer (no {@code String} of it is made), and the result is kept as an {@link Inner}. Shapes
 * are immutable once built and shared by threads.
 */
final class FieldShape {

  /** A document read from a payload string: its value, or why it could not be read. */
  record Inner(Object value, SkipReason error) {}

  private final Map<String, FieldShape> children = new HashMap<>();
  private FieldShape[] byIndex = new FieldShape[0]; // children whose name is an array index
  private boolean whole; // a path ends here: the value is kept whole
  private FieldShape inner; // a payload: a string here is a document of this shape
  private final JsonFactory factory;

  FieldShape(JsonFactory factory) {
    this.factory = factory;
  }

  /** Keeps the whole value at {@code path}. */
  FieldShape add(FieldPath path) {
    nodeAt(path).whole = true;
    return this;
  }

  /**
   * Marks {@code path} as the payload: its value, read with {@code innerShape} (a string as a
   * document, an object as it is).
   */
  FieldShape payload(FieldPath path, FieldShape innerShape) {
    FieldShape node = nodeAt(path);
    node.inner = innerShape;
    node.merge(innerShape);
    return this;
  }

  private FieldShape nodeAt(FieldPath path) {
    FieldShape node = this;
    for (int i = 0; i < path.segments(); i++) {
      String name = path.name(i);
      FieldShape child = node.children.get(name);
      if (child == null) {
        child = new FieldShape(factory);
        node.children.put(name, child);
        int index = path.index(i);
        if (index >= 0) {
          if (index >= node.byIndex.length) {
            node.byIndex = java.util.Arrays.copyOf(node.byIndex, index + 1);
          }
          node.byIndex[index] = child;
        }
      }
      node = child;
    }
    return node;
  }

  private void merge(FieldShape other) {
    whole |= other.whole;
    for (Map.Entry<String, FieldShape> e : other.children.entrySet()) {
      FieldShape mine = children.get(e.getKey());
      if (mine == null) {
        mine = new FieldShape(factory);
        children.put(e.getKey(), mine);
        int index = indexOf(other, e.getValue());
        if (index >= 0) {
          if (index >= byIndex.length) {
            byIndex = java.util.Arrays.copyOf(byIndex, index + 1);
          }
          byIndex[index] = mine;
        }
      }
      mine.merge(e.getValue());
    }
  }

  private static int indexOf(FieldShape parent, FieldShape child) {
    for (int i = 0; i < parent.byIndex.length; i++) {
      if (parent.byIndex[i] == child) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Reads {@code text} as exactly one JSON value, keeping what this shape names.
   *
   * @return the kept value, or {@link JsonTree#NOTHING} when the text holds no value
   * @throws JsonProcessingException as {@link JsonTree#parse} does
   */
  Object read(String text) throws JsonProcessingException {
    try (JsonParser parser = factory.createParser(text)) {
      return readAll(parser);
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a parser over a String or char[] does no I/O
    }
  }

  /** {@link #read} of {@code len} chars of {@code buffer} from {@code offset}, not copied. */
  Object read(char[] buffer, int offset, int len) throws JsonProcessingException {
    try (JsonParser parser = factory.createParser(buffer, offset, len)) {
      return readAll(parser);
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Object readAll(JsonParser parser) throws IOException {
    JsonToken first = parser.nextToken();
    if (first == null) {
      return JsonTree.NOTHING;
    }
    Object value = value(parser, first);
    if (parser.nextToken() != null) {
      throw new JsonParseException(parser, "trailing content after the JSON value");
    }
    return value;
  }

  private Object value(JsonParser parser, JsonToken token) throws IOException {
    if (whole) {
      return JsonTree.value(parser, token);
    }
    if (token == JsonToken.START_OBJECT) {
      Map<String, Object> object = new HashMap<>();
      for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
        JsonToken t = parser.nextToken();
        FieldShape child = children.get(name);
        if (child == null) {
          parser.skipChildren(); // no-op on a scalar; an unread string is skipped, not decoded
        } else {
          object.put(name, child.value(parser, t));
        }
      }
      return object;
    }
    if (token == JsonToken.START_ARRAY) {
      // Elements up to the last named index, the others as null: FieldPath.resolve finds each
      // named index where it was, and nothing looks at the rest.
      List<Object> array = new ArrayList<>(byIndex.length);
      int i = 0;
      for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken(), i++) {
        FieldShape child = i < byIndex.length ? byIndex[i] : null;
        if (child == null) {
          if (t == null) {
            throw new JsonParseException(parser, "unexpected end of input");
          }
          parser.skipChildren();
          if (i < byIndex.length) {
            array.add(null);
          }
        } else {
          array.add(child.value(parser, t));
        }
      }
      return array;
    }
    if (token == JsonToken.VALUE_STRING && inner != null) {
      return readInner(parser);
    }
    return JsonTree.value(parser, token); // a scalar where a path goes on: resolve finds nothing
  }

  private Inner readInner(JsonParser parser) throws IOException {
    char[] chars = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    int len = parser.getTextLength();
    try {
      Object doc = inner.read(chars, offset, len);
      return new Inner(doc, doc == JsonTree.NOTHING ? SkipReason.NOT_JSON : null);
    } catch (StreamConstraintsException e) {
      return new Inner(null, JsonEventDecoder.overLimit(e));
    } catch (JsonProcessingException e) {
      return new Inner(null, SkipReason.NOT_JSON);
    }
  }
}
