package livegraph.pipeline;

/**
 * Keeps only events whose {@code field} holds {@code equalsValue}: as the field's string value or
 * as one element of its list value (see {@link Event#keys(String)}).
 */
public record Filter(String field, String equalsValue) {

  public Filter {
    Checks.text(field, "filter field");
    Checks.notNull(equalsValue, "filter value");
  }

  /** Whether the event passes this filter. */
  public boolean matches(Event event) {
    return event.keys(field).contains(equalsValue);
  }
}
