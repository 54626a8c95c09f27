package livegraph.source;

import java.util.HashMap;
import java.util.Map;
import livegraph.source.JsonEventDecoder.Result;
import livegraph.source.JsonEventDecoder.Skipped;

/**
 * What a WebSocket text frame or a Server-Sent Event turns into, by the rules the WebSocket and
 * SSE sources apply before and around the decoder. Shared with the browser build, which reads
 * the same upstreams from the page, so both judge every message alike.
 */
public final class UpstreamFrames {

  private UpstreamFrames() {}

  /** The decoder a source of {@code spec} uses: its decoding, plus a WebSocket's heartbeat rule. */
  public static JsonEventDecoder decoder(SourceSpec spec) {
    return decoder(spec, FieldDemand.all());
  }

  /** {@link #decoder(SourceSpec)}, extracting only the fields {@code demand} wants. */
  public static JsonEventDecoder decoder(SourceSpec spec, FieldDemand demand) {
    if (spec instanceof WebSocketSpec ws && ws.heartbeat() != null) {
      return new JsonEventDecoder(ws.decoding(), ws.heartbeat().match(), demand);
    }
    return new JsonEventDecoder(spec.decoding(), Map.of(), demand);
  }

  /** The meta fields of every frame of a WebSocket source: {@code @source}. */
  public static Map<String, Object> webSocketMeta(WebSocketSpec spec) {
    return Map.of("@source", spec.name());
  }

  /**
   * A WebSocket text frame already turned into a string: over {@link JsonEventDecoder#MAX_CHARS}
   * bytes of UTF-8 it is {@link SkipReason#TOO_LARGE} (the limit the WebSocket source applies
   * to the frame's bytes before it decodes them), otherwise decoded.
   */
  public static Result webSocketText(
      JsonEventDecoder decoder, Map<String, ?> meta, String text, long nowMillis) {
    if (utf8Longer(text, JsonEventDecoder.MAX_CHARS)) {
      return new Skipped(SkipReason.TOO_LARGE);
    }
    return decoder.decode(text, meta, nowMillis);
  }

  /**
   * One dispatched SSE event: of a type {@code spec} does not take it is {@link
   * SkipReason#OTHER_CHANNEL}, otherwise its data decoded with the meta fields {@code @source},
   * {@code @event} and, when not empty, {@code @id}.
   *
   * @param type the event's type; {@code message} when the stream named none
   * @param lastEventId the stream's last event id after this event; empty when none
   */
  public static Result sseEvent(
      SseSpec spec,
      JsonEventDecoder decoder,
      String type,
      String data,
      String lastEventId,
      long nowMillis) {
    if (!spec.events().isEmpty() && !spec.events().contains(type)) {
      return new Skipped(SkipReason.OTHER_CHANNEL);
    }
    Map<String, Object> meta = new HashMap<>(4);
    meta.put("@source", spec.name());
    meta.put("@event", type);
    if (!lastEventId.isEmpty()) {
      meta.put("@id", lastEventId);
    }
    return decoder.decode(data, meta, nowMillis);
  }

  /** Whether {@code text} takes more than {@code limit} bytes in UTF-8, without encoding it. */
  static boolean utf8Longer(String text, int limit) {
    int chars = text.length();
    if (chars > limit) {
      return true; // never fewer bytes than chars
    }
    if (chars <= limit / 3) {
      return false; // at most three bytes per char
    }
    long bytes = 0;
    for (int i = 0; i < chars; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (!Character.isSurrogate(c)) {
        bytes += 3;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < chars
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4; // one code point beyond the BMP: four bytes for the pair
        i++;
      } else {
        bytes++; // a lone surrogate: the encoder writes '?' (a page's text never has one)
      }
    }
    return bytes > limit;
  }
}
