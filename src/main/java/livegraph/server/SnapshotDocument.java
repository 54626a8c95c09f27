package livegraph.server;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import livegraph.hub.Hub;

/**
 * Encodes {@code snapshot.json}: a hub's {@link Hub.Capture} as one JSON document,
 * {@code {"capturedAt":MS,"url":PAGE,"hello":{…},"charts":{ID:STATE…},"status":{…}|null}}.
 *
 * <p>The hello, chart states and status are already JSON, so their bytes are spliced in as
 * {@code Messages} does for frames: one copy of the current state per request, no parsing.
 */
final class SnapshotDocument {

  private SnapshotDocument() {}

  /** The document for {@code capture}, taken from the page at {@code pageUrl}. */
  static byte[] encode(Hub.Capture capture, String pageUrl) {
    int size = 96 + pageUrl.length() + capture.hello().length
        + (capture.status() == null ? 4 : capture.status().length);
    for (Map.Entry<String, byte[]> e : capture.charts().entrySet()) {
      size += e.getKey().length() + e.getValue().length + 4;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    write(out, "{\"capturedAt\":" + capture.capturedAtMillis() + ",\"url\":");
    quoted(out, pageUrl);
    write(out, ",\"hello\":");
    out.writeBytes(capture.hello());
    write(out, ",\"charts\":{");
    boolean first = true;
    for (Map.Entry<String, byte[]> e : capture.charts().entrySet()) {
      if (!first) {
        out.write(',');
      }
      first = false;
      quoted(out, e.getKey());
      out.write(':');
      out.writeBytes(e.getValue());
    }
    write(out, "},\"status\":");
    if (capture.status() == null) {
      write(out, "null");
    } else {
      out.writeBytes(capture.status());
    }
    out.write('}');
    return out.toByteArray();
  }

  private static void quoted(ByteArrayOutputStream out, String s) {
    out.write('"');
    out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(s));
    out.write('"');
  }

  private static void write(ByteArrayOutputStream out, String ascii) {
    out.writeBytes(ascii.getBytes(StandardCharsets.UTF_8));
  }
}
