package livegraph.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import livegraph.source.Decoding;
import livegraph.source.Decoding.Extract;
import livegraph.source.JsonEventDecoder;
import livegraph.source.JsonEventDecoder.Result;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link JsonEventDecoder} as a generic JSON-lines source uses it, with a decoding the
 * input chooses: accept rules, a payload, a time field, extracts by JSON Pointer, dotted path or
 * meta field, HTML unescaping on or off.
 *
 * <p>The input's last bytes choose the decoding (from the same pools a dashboard would name,
 * plus one path the fuzzer writes itself); the rest is the line. Every result keeps {@link
 * DecoderContract}, and the same decoding with each dotted path spelled as its JSON Pointer
 * must give the same result (the two spellings are one path, FieldPath says). A path the
 * fuzzer writes may be refused by {@code FieldPath.parse} with an IllegalArgumentException
 * (that is a dashboard mistake, reported by the loader), never with another exception. Seeds:
 * JSON lines of the shape the file, stdin and TCP sources read (JsonLinesDecodingFuzzTestInputs/).
 */
class JsonLinesDecodingFuzzTest {

  private static final long ARRIVAL = 1_700_000_000_000L;

  private static final String[] PAYLOADS = {"/event", "event", "/data", "payload.inner"};
  private static final String[] ACCEPT_PATHS = {"kind", "/type", "a.b", "/tags/0"};
  private static final String[] ACCEPT_VALUES = {"job", "x", "1", "true", "2.5", ""};
  private static final String[] TIME_FIELDS = {"ts", "/ts", "when.at", "@time", "/t/0"};
  private static final String[] EXTRACTS = {
      "/a", "a.b", "/tags/0", "tags", "tags.1", "@source", "@topic", "/x~1y", "x/y", "n",
      "level", "/req/status", "req.path", "title", "", "ts"};

  @FuzzTest
  @Timeout(30)
  void line_decodesOrSkipsWithAReason_dottedEqualsPointer(FuzzedDataProvider data) {
    String payload = data.consumeBoolean() ? null : PAYLOADS[data.consumeInt(0, PAYLOADS.length - 1)];
    Map<String, String> accept = new LinkedHashMap<>();
    for (int i = data.consumeInt(0, 2); i > 0; i--) {
      accept.put(ACCEPT_PATHS[data.consumeInt(0, ACCEPT_PATHS.length - 1)],
          ACCEPT_VALUES[data.consumeInt(0, ACCEPT_VALUES.length - 1)]);
    }
    String time = data.consumeBoolean() ? null : TIME_FIELDS[data.consumeInt(0, TIME_FIELDS.length - 1)];
    List<Extract> extracts = new ArrayList<>();
    for (int i = data.consumeInt(1, 4); i > 0; i--) {
      String path = EXTRACTS[data.consumeInt(0, EXTRACTS.length - 1)];
      if (path.isEmpty()) {
        path = data.consumeString(12); // the fuzzer's own path
      }
      boolean unescape = data.consumeBoolean();
      try {
        extracts.add(new Extract("k" + i, path, unescape));
      } catch (IllegalArgumentException refused) {
        return; // the fuzzer's path is no path (an Extract checks its own): the loader reports it
      }
    }
    Map<String, Object> meta = Map.of("@source", "lines", "@topic", "t/1",
        "@time", data.consumeBoolean() ? "2024-01-02T03:04:05Z" : "1700000000");
    String text = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);

    Decoding decoding;
    try {
      decoding = new Decoding(accept, payload, time, extracts);
    } catch (IllegalArgumentException refused) {
      return; // a path the fuzzer wrote that is no path: the loader reports it to the user
    }
    Set<String> keys = new HashSet<>();
    extracts.forEach(e -> keys.add(e.key()));
    Result result = new JsonEventDecoder(decoding).decode(text, meta, ARRIVAL);
    DecoderContract.check(result, text, keys, false, time != null, ARRIVAL);

    Decoding pointers = new Decoding(pointers(accept), pointer(payload), pointer(time),
        extracts.stream().map(e -> new Extract(e.key(), pointer(e.path()), e.htmlUnescape()))
            .toList());
    Result same = new JsonEventDecoder(pointers).decode(text, meta, ARRIVAL);
    if (!same.equals(result)) {
      throw new AssertionError("dotted paths and their pointers disagree: " + result + " vs "
          + same + " for " + decoding + " on " + DecoderContract.abbreviate(text));
    }
  }

  private static Map<String, String> pointers(Map<String, String> accept) {
    Map<String, String> out = new LinkedHashMap<>();
    accept.forEach((path, value) -> out.put(pointer(path), value));
    return out;
  }

  /** A dotted path as the JSON Pointer it means; pointers and meta fields as they are. */
  private static String pointer(String path) {
    if (path == null || path.startsWith("/") || path.startsWith("@")) {
      return path;
    }
    StringBuilder out = new StringBuilder();
    for (String segment : path.split("\\.", -1)) {
      out.append('/').append(segment.replace("~", "~0").replace("/", "~1"));
    }
    return out.toString();
  }
}
