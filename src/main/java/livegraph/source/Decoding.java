package livegraph.source;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a source turns one JSON message into an event.
 *
 * @param accept field reference → required string value, checked on the outer document;
 *     messages that differ are skipped as {@link SkipReason#OTHER_CHANNEL}
 * @param payload where the event document sits inside the outer one, or {@code null} for the
 *     whole message; a string there is parsed as JSON again (the StackExchange feed does this)
 * @param timeField the field holding the event time (epoch ms, epoch s when below 1e11, or an
 *     ISO-8601 instant), or {@code null} to stamp events with their arrival time
 * @param extracts the fields copied into {@link livegraph.pipeline.Event#fields()}
 */
public record Decoding(
    Map<String, String> accept, String payload, String timeField, List<Extract> extracts) {

  public Decoding {
    accept = Map.copyOf(Objects.requireNonNull(accept, "accept"));
    accept.keySet().forEach(FieldPath::parse);
    if (payload != null) {
      FieldPath.parse(payload);
    }
    if (timeField != null) {
      FieldPath.parse(timeField);
    }
    extracts = List.copyOf(Objects.requireNonNull(extracts, "extracts"));
  }

  /** The whole message is the event; these fields are copied under their own names. */
  public static Decoding fields(String... paths) {
    return new Decoding(
        Map.of(), null, null, java.util.Arrays.stream(paths).map(Extract::of).toList());
  }

  /**
   * One field copied into the event.
   *
   * @param key the name in {@link livegraph.pipeline.Event#fields()}: an alias, or the reference
   *     itself
   * @param path where the value is (pointer, dotted path or meta field)
   * @param htmlUnescape whether HTML entities in a string value are decoded (feed titles)
   */
  public record Extract(String key, String path, boolean htmlUnescape) {

    public Extract {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("extract key must not be blank: " + key);
      }
      FieldPath.parse(path);
    }

    /** The field under its own reference, as it is. */
    public static Extract of(String path) {
      return new Extract(path, path, false);
    }
  }
}
