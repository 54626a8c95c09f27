package livegraph.pipeline;

import com.fasterxml.jackson.core.io.NumberInput;
import java.util.List;

/** How conditions and measures read an event field: as a number, or as its texts. */
final class Values {

  private Values() {}

  /**
   * The field's value as a finite number: a {@link Number}, or a string holding one (surrounding
   * blanks allowed); {@code NaN} when absent, non-numeric or not finite.
   */
  static double number(Object value) {
    double d;
    if (value instanceof Number n) {
      d = n.doubleValue();
    } else if (value instanceof String s && looksNumeric(s)) {
      try {
        // Jackson's fast parser: what Double.parseDouble gives, also in the browser build.
        d = NumberInput.parseDouble(s.trim(), true);
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    } else {
      return Double.NaN;
    }
    return Double.isFinite(d) ? d : Double.NaN;
  }

  /**
   * Cheap pre-check so "NaN", "Infinity" or "0x1p3" (which {@link Double#parseDouble} accepts)
   * and most non-numbers fail without an exception.
   */
  private static boolean looksNumeric(String s) {
    String t = s.trim();
    if (t.isEmpty() || t.length() > 64) {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
        return false;
      }
    }
    return true;
  }

  /**
   * The field's value as texts: a string is one, a list its string elements, a number or boolean
   * its JSON text (integral numbers without a fraction), absent none.
   */
  static List<String> texts(Object value) {
    if (value instanceof String s) {
      return List.of(s);
    }
    if (value instanceof List<?> list) {
      return strings(list);
    }
    if (value instanceof Number || value instanceof Boolean) {
      return List.of(text(value));
    }
    return List.of();
  }

  /**
   * The string elements of {@code list}: the list itself when it holds only strings (every
   * event's list field, on the hot path: no copy), else a new list of them. Callers only read.
   */
  @SuppressWarnings("unchecked") // checked element by element just before
  private static List<String> strings(List<?> list) {
    for (Object element : list) {
      if (!(element instanceof String)) {
        return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
      }
    }
    return (List<String>) list;
  }

  private static String text(Object scalar) {
    if (scalar instanceof Double || scalar instanceof Float) {
      double d = ((Number) scalar).doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return Long.toString((long) d);
      }
    }
    return scalar.toString();
  }
}
