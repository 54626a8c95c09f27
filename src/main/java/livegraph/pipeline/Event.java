package livegraph.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One decoded upstream event: the time it arrived and its named fields.
 *
 * <p>Field values are {@link String}, {@link Number}, {@link Boolean} or {@code List<String>};
 * sources normalise to these so aggregators never see raw JSON. Immutable and safe to share: a
 * map given here is copied, unless it is already an {@link EventFields}.
 */
public record Event(long timeMillis, Map<String, Object> fields) {

  public Event {
    Objects.requireNonNull(fields, "fields");
    // A decoder's EventFields is immutable and built for this event alone: kept, not copied.
    fields = fields instanceof EventFields ? fields : Map.copyOf(fields);
  }

  /** The field as a string, or {@code null} when it is absent or not a string. */
  public String string(String name) {
    return fields.get(name) instanceof String s ? s : null;
  }

  /**
   * The field as a list of keys: a string field gives one key, a list field its string
   * elements, anything else none.
   */
  public List<String> keys(String name) {
    Object value = fields.get(name);
    if (value instanceof String s) {
      return List.of(s);
    }
    if (value instanceof List<?> list) {
      return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return List.of();
  }
}
