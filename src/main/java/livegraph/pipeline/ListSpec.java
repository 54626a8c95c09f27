package livegraph.pipeline;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A list of the latest events, newest first.
 *
 * @param id unique chart id
 * @param title shown above the list
 * @param size most items kept and shown
 * @param fields event fields copied into each item (besides "time"), in display order
 * @param filter only matching events are listed ({@link Filter#ALL} when null)
 */
public record ListSpec(String id, String title, int size, List<String> fields, Filter filter)
    implements ChartSpec {

  /** Upper bound on {@code size}: a list is for reading, not for storage. */
  static final int MAX_SIZE = 10_000;

  /** Upper bound on {@code fields}. */
  static final int MAX_FIELDS = 100;

  public ListSpec {
    Checks.text(id, "chart id");
    Checks.notNull(title, "title");
    Checks.positive(size, "size");
    Checks.atMost(size, MAX_SIZE, "size");
    fields = List.copyOf(Checks.notNull(fields, "fields"));
    Checks.atMost(fields.size(), MAX_FIELDS, "fields");
    Set<String> seen = new HashSet<>();
    for (String field : fields) {
      Checks.text(field, "field");
      if (field.equals("time")) {
        throw new IllegalArgumentException("fields must not contain \"time\": every item has it");
      }
      if (!seen.add(field)) {
        throw new IllegalArgumentException("duplicate field: " + field);
      }
    }
    filter = filter == null ? Filter.ALL : filter;
  }

  /** A list of every event. */
  public ListSpec(String id, String title, int size, List<String> fields) {
    this(id, title, size, fields, Filter.ALL);
  }

  @Override
  public String type() {
    return "list";
  }
}
