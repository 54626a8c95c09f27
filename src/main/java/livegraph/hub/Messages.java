package livegraph.hub;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Encodes the hub's browser messages: the sequenced ones around chart states that are already
 * JSON, and {@code config-error}.
 *
 * <p>Chart states arrive as UTF-8 JSON from the pipeline; splicing their bytes in, instead of
 * parsing and re-serialising them, keeps a frame's cost to one copy per tick, not per viewer.
 */
final class Messages {

  private static final byte[] SEQ = bytes(",\"seq\":");
  private static final byte[] CHARTS = bytes(",\"charts\":{");

  private Messages() {}

  /** {@code {"type":<type>,"seq":<seq>,"charts":{<id>:<state>,...}}}. */
  static byte[] charts(String type, long seq, Map<String, byte[]> charts) {
    int size = 48;
    for (Map.Entry<String, byte[]> e : charts.entrySet()) {
      size += e.getKey().length() + e.getValue().length + 4;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    out.writeBytes(bytes("{\"type\":"));
    quoted(out, type);
    out.writeBytes(SEQ);
    out.writeBytes(bytes(Long.toString(seq)));
    out.writeBytes(CHARTS);
    boolean first = true;
    for (Map.Entry<String, byte[]> e : charts.entrySet()) {
      if (!first) {
        out.write(',');
      }
      first = false;
      quoted(out, e.getKey());
      out.write(':');
      out.writeBytes(e.getValue());
    }
    out.writeBytes(bytes("}}"));
    return out.toByteArray();
  }

  /** {@code {"type":"config-error","message":<message or null>}}. */
  static byte[] configError(String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(48 + (message == null ? 0 : message.length()));
    out.writeBytes(bytes("{\"type\":\"config-error\",\"message\":"));
    if (message == null) {
      out.writeBytes(bytes("null"));
    } else {
      quoted(out, message);
    }
    out.write('}');
    return out.toByteArray();
  }

  private static void quoted(ByteArrayOutputStream out, String s) {
    out.write('"');
    out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(s));
    out.write('"');
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
