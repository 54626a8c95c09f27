package livegraph.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The messages a broker test published and its sources took, and the naive oracle of what
 * every chart of them must show: computed from the whole list each time, independently of the
 * pipeline's windows, cells and sketches.
 *
 * <p>Values are chosen by the tests as multiples of 1/4 below 1000, so every sum of them is
 * exact in a double whatever the order of addition, and sums and means can be compared
 * exactly. Test thread only.
 */
public final class PublishedMessages {

  /** How a chart aggregates the messages of one key. */
  public enum Measure { COUNT, SUM, AVG, MAX }

  /**
   * One message as its source turns it into an event: {@code source} the source's name
   * ({@code @source}), {@code origin} its topic, subject or channel, {@code value} a Double, a
   * String (a number in a string, which measures read as the number) or null (absent).
   */
  public record Message(String source, String origin, long n, String level, Object value) {

    /** The value as measures read it; NaN when absent or not a number. */
    public double number() {
      if (value instanceof Double d) {
        return d;
      }
      if (value instanceof String s) {
        try {
          return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
          return Double.NaN;
        }
      }
      return Double.NaN;
    }

    /** The message as JSON text, its value at the top level or, with {@code nested}, at m.v. */
    public String json(boolean nested) {
      StringBuilder s = new StringBuilder("{\"n\":").append(n).append(",\"level\":\"")
          .append(level).append('"');
      if (value != null) {
        String v = value instanceof String text ? "\"" + text + "\"" : value.toString();
        s.append(nested ? ",\"m\":{\"v\":" + v + "}" : ",\"value\":" + v);
      }
      return s.append('}').toString();
    }
  }

  private final List<Message> messages = new ArrayList<>();

  public void add(Message message) {
    messages.add(message);
  }

  public List<Message> all() {
    return List.copyOf(messages);
  }

  /** Messages of one source, in the order published. */
  public List<Message> of(String source) {
    return messages.stream().filter(m -> m.source().equals(source)).toList();
  }

  /**
   * A keyed chart (bar, pie, table) over all time: one row per key, {@code [key, value of each
   * column…]}, values as Double or null (no value), sorted as the server sorts (first column
   * highest first, keys without a value last, ties by key).
   */
  public List<List<Object>> keyed(Predicate<Message> which, Function<Message, String> by,
      Measure... columns) {
    Map<String, List<Message>> byKey = new LinkedHashMap<>();
    for (Message m : messages) {
      if (which.test(m)) {
        byKey.computeIfAbsent(by.apply(m), k -> new ArrayList<>()).add(m);
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    byKey.forEach((key, group) -> {
      List<Object> row = new ArrayList<>();
      row.add(key);
      for (Measure measure : columns) {
        row.add(value(group, measure));
      }
      rows.add(row);
    });
    rows.sort(Comparator.comparing((List<Object> r) -> (Double) r.get(1),
            Comparator.nullsLast(Comparator.reverseOrder()))
        .thenComparing(r -> (String) r.get(0)));
    return rows;
  }

  /** One measure over the matching messages; null for no value (0 for count and sum). */
  public Double value(Predicate<Message> which, Measure measure) {
    return value(messages.stream().filter(which).toList(), measure);
  }

  /**
   * The exact quantile {@code q} of the numeric values of the matching messages: the value of
   * rank floor(q·(n−1)) in ascending order, as the charts define it; NaN when there is none.
   */
  public double quantile(Predicate<Message> which, double q) {
    double[] values = messages.stream().filter(which).mapToDouble(Message::number)
        .filter(v -> !Double.isNaN(v)).sorted().toArray();
    return values.length == 0 ? Double.NaN : values[(int) Math.floor(q * (values.length - 1))];
  }

  private static Double value(List<Message> group, Measure measure) {
    double[] numbers = group.stream().mapToDouble(Message::number).filter(v -> !Double.isNaN(v))
        .toArray();
    return switch (measure) {
      case COUNT -> (double) group.size();
      case SUM -> Arrays.stream(numbers).sum();
      case AVG -> numbers.length == 0 ? null : Arrays.stream(numbers).sum() / numbers.length;
      case MAX -> numbers.length == 0 ? null : Arrays.stream(numbers).max().getAsDouble();
    };
  }
}
