package livegraph.pipeline;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One test of an event field, as written in a dashboard's {@code where:}.
 *
 * <p>String conditions ({@link Equals}, {@link NotEquals}, {@link In}, {@link Regex}) match a
 * string field, any element of a list field, or the JSON text of a number or boolean ("200",
 * "true"); {@link Equals} also matches a number numerically ("2.0" equals 2). Numeric conditions
 * need a number, or a string holding one. An absent field fails every condition except {@link
 * NotEquals} (nothing equals the value) and {@code Exists(field, false)}.
 */
public sealed interface Condition {

  /** The field reference tested. */
  String field();

  /** Whether the event passes. */
  boolean test(Event event);

  /** The field equals {@code value}. */
  record Equals(String field, String value) implements Condition {
    public Equals {
      Checks.text(field, "condition field");
      Checks.notNull(value, "equals value of " + field);
    }

    @Override
    public boolean test(Event event) {
      return matches(event.fields().get(field), value);
    }

    static boolean matches(Object actual, String expected) {
      if (actual instanceof String s) {
        return s.equals(expected); // the common case, without a list around it
      }
      if (actual instanceof Number) {
        double a = Values.number(actual);
        double e = Values.number(expected);
        if (!Double.isNaN(a) && !Double.isNaN(e)) {
          return a == e;
        }
      }
      return Values.texts(actual).contains(expected);
    }
  }

  /** The field does not equal {@code value} (a list: no element does); true when absent. */
  record NotEquals(String field, String value) implements Condition {
    public NotEquals {
      Checks.text(field, "condition field");
      Checks.notNull(value, "notEquals value of " + field);
    }

    @Override
    public boolean test(Event event) {
      return !Equals.matches(event.fields().get(field), value);
    }
  }

  /** The field equals one of {@code values}. */
  record In(String field, List<String> values) implements Condition {
    public In {
      Checks.text(field, "condition field");
      values = List.copyOf(Checks.notNull(values, "in values of " + field));
      if (values.isEmpty()) {
        throw new IllegalArgumentException("in values of " + field + " must not be empty");
      }
    }

    @Override
    public boolean test(Event event) {
      Object actual = event.fields().get(field);
      for (String value : values) {
        if (Equals.matches(actual, value)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * The field has {@code key} among its keys exactly as a keyed chart grouped by it counts them
   * ({@link Aggregator#distinctKeys}): the string, the text of a number or boolean, or any
   * element of a list. Unlike {@link Equals} there is no numeric equality ("2.0" is not the key
   * of 2), so an event passes exactly when it counted in the bar of {@code key}.
   */
  record HasKey(String field, String key) implements Condition {
    public HasKey {
      Checks.text(field, "condition field");
      Checks.notNull(key, "key of " + field);
    }

    @Override
    public boolean test(Event event) {
      Object actual = event.fields().get(field);
      return actual instanceof String s ? s.equals(key) : Values.texts(actual).contains(key);
    }
  }

  /** The regular expression is found in the field (not necessarily the whole of it). */
  record Regex(String field, Pattern pattern) implements Condition {
    public Regex {
      Checks.text(field, "condition field");
      Checks.notNull(pattern, "regex of " + field);
    }

    /** Compiles {@code regex}; a bad one fails with a message naming the field and the error. */
    public Regex(String field, String regex) {
      this(field, compile(field, regex));
    }

    private static Pattern compile(String field, String regex) {
      Checks.notNull(regex, "regex of " + field);
      try {
        return Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("bad regex for " + field + ": \"" + regex + "\": "
            + e.getDescription() + " near index " + e.getIndex(), e);
      }
    }

    @Override
    public boolean test(Event event) {
      for (String text : Values.texts(event.fields().get(field))) {
        if (pattern.matcher(text).find()) {
          return true;
        }
      }
      return false;
    }

    // Pattern has identity equality; two conditions with the same text are the same condition.
    @Override
    public boolean equals(Object o) {
      return o instanceof Regex r && r.field.equals(field)
          && r.pattern.pattern().equals(pattern.pattern()) && r.pattern.flags() == pattern.flags();
    }

    @Override
    public int hashCode() {
      return field.hashCode() * 31 + pattern.pattern().hashCode();
    }

    @Override
    public String toString() {
      return "Regex[field=" + field + ", pattern=" + pattern.pattern() + "]";
    }
  }

  /** The field is a number greater than {@code value}. */
  record Gt(String field, double value) implements Condition {
    public Gt {
      checkNumeric(field, value, "gt");
    }

    @Override
    public boolean test(Event event) {
      return Values.number(event.fields().get(field)) > value;
    }
  }

  /** The field is a number greater than or equal to {@code value}. */
  record Gte(String field, double value) implements Condition {
    public Gte {
      checkNumeric(field, value, "gte");
    }

    @Override
    public boolean test(Event event) {
      return Values.number(event.fields().get(field)) >= value;
    }
  }

  /** The field is a number less than {@code value}. */
  record Lt(String field, double value) implements Condition {
    public Lt {
      checkNumeric(field, value, "lt");
    }

    @Override
    public boolean test(Event event) {
      return Values.number(event.fields().get(field)) < value;
    }
  }

  /** The field is a number less than or equal to {@code value}. */
  record Lte(String field, double value) implements Condition {
    public Lte {
      checkNumeric(field, value, "lte");
    }

    @Override
    public boolean test(Event event) {
      return Values.number(event.fields().get(field)) <= value;
    }
  }

  /** The field is present (with any value), or with {@code present = false} absent. */
  record Exists(String field, boolean present) implements Condition {
    public Exists {
      Checks.text(field, "condition field");
    }

    /** The field is present. */
    public Exists(String field) {
      this(field, true);
    }

    @Override
    public boolean test(Event event) {
      return event.fields().containsKey(field) == present;
    }
  }

  private static void checkNumeric(String field, double value, String name) {
    Checks.text(field, "condition field");
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " value of " + field + " must be finite: " + value);
    }
  }
}
