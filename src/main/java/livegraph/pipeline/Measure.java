package livegraph.pipeline;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one number of a chart is: a count of events, or an aggregation of one numeric field,
 * written as in a dashboard file: {@code count}, {@code rate}, {@code sum(F)}, {@code avg(F)},
 * {@code min(F)}, {@code max(F)}, {@code last(F)}, {@code rate(F)}, {@code distinct(F)}, {@code
 * p50(F)}, {@code p99.9(F)}.
 *
 * <p>An event whose field is absent or not numeric is left out of that measure (a {@code count}
 * still counts it); a numeric string counts as its number. {@code distinct(F)} counts distinct
 * values of any scalar field (each element of a list field) and is approximate (HyperLogLog);
 * quantiles are approximate (DDSketch, 1% relative error).
 *
 * @param aggregation how values are combined
 * @param field the field reference, or {@code null} for {@code count} and {@code rate}
 * @param quantile for {@link Aggregation#QUANTILE} the rank in (0, 1), e.g. 0.999 for p99.9;
 *     otherwise 0
 */
public record Measure(Aggregation aggregation, String field, double quantile) {

  /** How the values of a measure are combined. */
  public enum Aggregation {
    /** Events. */
    COUNT,
    /** Sum of the field. */
    SUM,
    /** Mean of the field. */
    AVG,
    /** Smallest value of the field. */
    MIN,
    /** Largest value of the field. */
    MAX,
    /** Value of the field in the newest event (by event time, then arrival). */
    LAST,
    /** Events per second, or the field's sum per second. */
    RATE,
    /** Distinct values of the field, approximately. */
    DISTINCT,
    /** A quantile of the field, approximately. */
    QUANTILE
  }

  /** Events. */
  public static final Measure COUNT = new Measure(Aggregation.COUNT, null, 0);

  private static final String EXPECTED = "expected count, rate, or sum|avg|min|max|last|rate|"
      + "distinct|pNN(field) with NN in (0, 100) such as p50 or p99.9";
  private static final Pattern CALL = Pattern.compile("([a-z]+|p[0-9][0-9.]*)\\((.*)\\)");
  private static final Pattern PERCENT = Pattern.compile("[1-9][0-9]?(\\.[0-9]{1,3})?|0\\.[0-9]{1,3}");

  public Measure {
    Checks.notNull(aggregation, "aggregation");
    boolean needsField = aggregation != Aggregation.COUNT && aggregation != Aggregation.RATE;
    if (needsField) {
      Checks.text(field, aggregation.name().toLowerCase(Locale.ROOT) + " field");
    } else if (field != null) {
      if (aggregation == Aggregation.COUNT) {
        throw new IllegalArgumentException("count takes no field: " + field);
      }
      Checks.text(field, "rate field");
    }
    if (aggregation == Aggregation.QUANTILE) {
      if (!(quantile > 0 && quantile < 1)) {
        throw new IllegalArgumentException("quantile must be in (0, 1): " + quantile);
      }
    } else if (quantile != 0) {
      throw new IllegalArgumentException(
          "quantile must be 0 for " + aggregation + ": " + quantile);
    }
  }

  /** {@code aggregation(field)}, e.g. {@code Measure.of(Aggregation.SUM, "bytes")}. */
  public static Measure of(Aggregation aggregation, String field) {
    return new Measure(aggregation, field, 0);
  }

  /** The {@code percent} quantile of {@code field}, e.g. {@code quantile(99.9, "latency")}. */
  public static Measure quantile(double percent, String field) {
    return new Measure(Aggregation.QUANTILE, field,
        BigDecimal.valueOf(percent).movePointLeft(2).doubleValue());
  }

  /**
   * Reads a measure as written in a dashboard, e.g. {@code "p99(latency)"}.
   *
   * @throws IllegalArgumentException naming the text and what is expected
   */
  public static Measure parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("measure must not be null: " + EXPECTED);
    }
    String t = text.trim();
    if (t.equals("count")) {
      return COUNT;
    }
    if (t.equals("rate")) {
      return new Measure(Aggregation.RATE, null, 0);
    }
    Matcher call = CALL.matcher(t);
    if (!call.matches()) {
      throw bad(text);
    }
    String name = call.group(1);
    String field = call.group(2).trim();
    if (field.isEmpty()) {
      throw new IllegalArgumentException(
          "measure \"" + text + "\" names no field: expected e.g. " + name + "(latency)");
    }
    if (name.startsWith("p")) {
      String percent = name.substring(1);
      if (!PERCENT.matcher(percent).matches()) {
        throw new IllegalArgumentException("measure \"" + text + "\": quantile " + name
            + " is not pNN with NN in (0, 100), such as p50, p99 or p99.9");
      }
      return new Measure(Aggregation.QUANTILE, field,
          new BigDecimal(percent).movePointLeft(2).doubleValue());
    }
    Aggregation aggregation = switch (name) {
      case "sum" -> Aggregation.SUM;
      case "avg" -> Aggregation.AVG;
      case "min" -> Aggregation.MIN;
      case "max" -> Aggregation.MAX;
      case "last" -> Aggregation.LAST;
      case "rate" -> Aggregation.RATE;
      case "distinct" -> Aggregation.DISTINCT;
      default -> throw bad(text);
    };
    return new Measure(aggregation, field, 0);
  }

  private static IllegalArgumentException bad(String text) {
    return new IllegalArgumentException("unknown measure \"" + text + "\": " + EXPECTED);
  }

  /** Whether window totals can be kept by adding and subtracting buckets. */
  boolean subtractable() {
    return switch (aggregation) {
      case COUNT, SUM, AVG, RATE -> true;
      default -> false;
    };
  }

  /** The canonical text, which {@link #parse} reads back to an equal measure. */
  @Override
  public String toString() {
    return switch (aggregation) {
      case COUNT -> "count";
      case RATE -> field == null ? "rate" : "rate(" + field + ")";
      case QUANTILE -> "p" + BigDecimal.valueOf(quantile).movePointRight(2)
          .stripTrailingZeros().toPlainString() + "(" + field + ")";
      default -> aggregation.name().toLowerCase(Locale.ROOT) + "(" + field + ")";
    };
  }
}
