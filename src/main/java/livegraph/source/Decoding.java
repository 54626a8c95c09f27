package livegraph.source;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
 * @param identity keys of {@code extracts} whose values together identify one upstream event,
 *     so that a second reading of the same upstream (a new cluster leader after a failover)
 *     can drop what was already seen; empty when the events carry no key of their own, and the
 *     identity is then the whole event, its time included
 */
public record Decoding(Map<String, String> accept, String payload, String timeField,
    List<Extract> extracts, List<String> identity) {

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
    identity = List.copyOf(Objects.requireNonNull(identity, "identity"));
    List<String> keys = extracts.stream().map(Extract::key).toList();
    Set<String> seen = new HashSet<>();
    for (String key : identity) {
      if (key.isBlank()) {
        throw new IllegalArgumentException("identity key must not be blank: '" + key + "'");
      }
      if (!seen.add(key)) {
        throw new IllegalArgumentException("identity names '" + key + "' twice: " + identity);
      }
      // A key that is not extracted would be missing from every event: no identity at all.
      if (!keys.contains(key)) {
        throw new IllegalArgumentException("identity key '" + key + "' is not an extract key: "
            + keys);
      }
    }
  }

  /** A decoding whose events have no identity of their own. */
  public Decoding(
      Map<String, String> accept, String payload, String timeField, List<Extract> extracts) {
    this(accept, payload, timeField, extracts, List.of());
  }

  /** This decoding with {@code keys} as its identity instead. */
  public Decoding withIdentity(String... keys) {
    return new Decoding(accept, payload, timeField, extracts, List.of(keys));
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
      if (key.isBlank()) {
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
