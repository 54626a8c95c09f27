package livegraph.source;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a field lives: a JSON Pointer ({@code /a/b/0}, RFC 6901), a dotted path
 * ({@code a.b.0}, numeric segments index arrays) or a meta field set by the source
 * ({@code @topic}).
 *
 * <p>Dotted paths compile to the same pointer, so both spellings cost the same per event. A
 * pointer is resolved over the plain values of a {@link JsonTree} with Jackson's own reading of
 * each segment: its name looks up an object's field, its index (a plain non-negative integer,
 * otherwise none) an array's element.
 */
public final class FieldPath {

  private final String text;
  private final JsonPointer pointer; // null for a meta field
  private final String[] names; // each segment as a field name; empty for a meta field
  private final int[] indexes; // each segment as an array index, or -1 when it is not one

  private FieldPath(String text, JsonPointer pointer) {
    this.text = text;
    this.pointer = pointer;
    List<JsonPointer> segments = new ArrayList<>();
    for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
      segments.add(p);
    }
    names = new String[segments.size()];
    indexes = new int[segments.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = segments.get(i).getMatchingProperty();
      indexes[i] = segments.get(i).getMatchingIndex();
    }
  }

  /**
   * Parses a field reference.
   *
   * @throws IllegalArgumentException naming the text and what a reference looks like
   */
  public static FieldPath parse(String text) {
    Objects.requireNonNull(text, "field");
    if (text.isBlank()) {
      throw new IllegalArgumentException(
          "field must be a JSON Pointer (/a/b), a dotted path (a.b) or a meta field (@topic): \""
              + text + "\"");
    }
    if (text.startsWith("@")) {
      if (!text.substring(1).matches("[A-Za-z][A-Za-z0-9_-]*")) {
        throw new IllegalArgumentException("meta field must be @ and a name, e.g. @topic: " + text);
      }
      return new FieldPath(text, null);
    }
    if (text.startsWith("/")) {
      try {
        return new FieldPath(text, JsonPointer.compile(text));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad JSON Pointer \"" + text + "\": " + e.getMessage());
      }
    }
    StringBuilder pointer = new StringBuilder();
    for (String segment : text.split("\\.", -1)) {
      if (segment.isEmpty()) {
        throw new IllegalArgumentException(
            "dotted path has an empty segment: \"" + text + "\" (write a.b.c, or /a/b for a pointer)");
      }
      pointer.append('/').append(segment.replace("~", "~0").replace("/", "~1"));
    }
    return new FieldPath(text, JsonPointer.compile(pointer.toString()));
  }

  /** Whether this names a meta field set by the source rather than a place in the document. */
  public boolean isMeta() {
    return pointer == null;
  }

  /** The pointer into the document; {@code null} for a meta field. */
  public JsonPointer pointer() {
    return pointer;
  }

  /**
   * The value this pointer names in a document of {@link JsonTree} values, or {@code null} when
   * nothing is there (an absent field, an index out of range, a step into a scalar) or the value
   * there is JSON null. Never called for a meta field.
   */
  Object resolve(Object document) {
    Object node = document;
    for (int i = 0; i < names.length && node != null; i++) {
      if (node instanceof Map<?, ?> object) {
        node = object.get(names[i]);
      } else if (node instanceof List<?> array) {
        int index = indexes[i];
        node = index >= 0 && index < array.size() ? array.get(index) : null;
      } else {
        return null;
      }
    }
    return node;
  }

  /** The number of steps from the document to the field; 0 for a meta field. */
  int segments() {
    return names.length;
  }

  /** Step {@code i} as a field name. */
  String name(int i) {
    return names[i];
  }

  /** Step {@code i} as an array index, or -1 when it is not one. */
  int index(int i) {
    return indexes[i];
  }

  /** The reference as written. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldPath other && other.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
