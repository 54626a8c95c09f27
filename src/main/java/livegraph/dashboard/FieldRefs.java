package livegraph.dashboard;

import livegraph.source.FieldPath;

/** Checks a field reference written in a dashboard before any source has to parse it. */
final class FieldRefs {

  private FieldRefs() {}

  /**
   * Passes a pointer, dotted path or meta field that {@link FieldPath#parse} reads, and refuses
   * a pointer whose {@code ~} escapes are not {@code ~0} or {@code ~1}: RFC 6901 allows no
   * other, and a lenient reading would silently look up a key nobody wrote.
   *
   * @throws IllegalArgumentException naming the reference and what was expected
   */
  static void check(String text) {
    FieldPath.parse(text);
    if (text.startsWith("/")) {
      for (int i = text.indexOf('~'); i >= 0; i = text.indexOf('~', i + 1)) {
        if (i + 1 >= text.length() || (text.charAt(i + 1) != '0' && text.charAt(i + 1) != '1')) {
          throw new IllegalArgumentException("bad JSON Pointer \"" + text + "\": '~' must be "
              + "followed by 0 (for '~') or 1 (for '/')");
        }
      }
    }
  }
}
