package livegraph.pipeline;

import java.util.List;

/**
 * Which events a chart counts: those passing every condition (none: all events).
 *
 * @param conditions all must hold, tested in order
 */
public record Filter(List<Condition> conditions) {

  /** Every event passes. */
  public static final Filter ALL = new Filter(List.of());

  public Filter {
    conditions = List.copyOf(Checks.notNull(conditions, "filter conditions"));
  }

  /** All of {@code conditions}; {@link #ALL} when empty. */
  public static Filter of(List<Condition> conditions) {
    return conditions.isEmpty() ? ALL : new Filter(conditions);
  }

  /** Events whose {@code field} equals {@code value}; see {@link Condition.Equals}. */
  public static Filter equals(String field, String value) {
    return new Filter(List.of(new Condition.Equals(field, value)));
  }

  /** This filter and then {@code more}. */
  public Filter and(Filter more) {
    if (more.conditions.isEmpty()) {
      return this;
    }
    if (conditions.isEmpty()) {
      return more;
    }
    return new Filter(java.util.stream.Stream.concat(conditions.stream(),
        more.conditions.stream()).toList());
  }

  /** Whether this filter passes every event. */
  public boolean isAll() {
    return conditions.isEmpty();
  }

  /** Whether the event passes every condition. */
  public boolean matches(Event event) {
    for (Condition condition : conditions) {
      if (!condition.test(event)) {
        return false;
      }
    }
    return true;
  }
}
