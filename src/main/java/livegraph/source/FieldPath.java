package livegraph.source;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.Objects;

/**
 * Where a field lives: a JSON Pointer ({@code /a/b/0}, RFC 6901), a dotted path
 * ({@code a.b.0}, numeric segments index arrays) or a meta field set by the source
 * ({@code @topic}).
 *
 * <p>Dotted paths compile to the same pointer, so both spellings cost the same per event.
 */
public final class FieldPath {

  private final String text;
  private final JsonPointer pointer; // null for a meta field

  private FieldPath(String text, JsonPointer pointer) {
    this.text = text;
    this.pointer = pointer;
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
