package livegraph.source;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import livegraph.pipeline.Clock;
import livegraph.source.JsonEventDecoder.Decoded;
import livegraph.source.JsonEventDecoder.Heartbeat;
import livegraph.source.JsonEventDecoder.Skipped;
import org.slf4j.Logger;

/**
 * Turns one broker message (its topic, subject or channel and its payload bytes) into an event
 * for the sink, counting what it skips or the sink refuses. Shared by the MQTT, NATS and Redis
 * sources, which call it on their client library's delivery thread.
 *
 * <p>Order of checks: a payload over {@value #MAX_PAYLOAD_BYTES} bytes is {@link
 * SkipReason#TOO_LARGE} before any decoding; bytes that are not UTF-8 are {@link
 * SkipReason#INVALID_UTF8}; the text then goes to the {@link JsonEventDecoder}. Thread-safe: a
 * library may deliver on a different thread after each reconnect.
 */
final class BrokerMessages {

  /** The largest payload decoded; the decoder's own limit in chars is the same number. */
  static final int MAX_PAYLOAD_BYTES = JsonEventDecoder.MAX_CHARS;

  private final String sourceName;
  private final String metaKey;
  private final JsonEventDecoder decoder;
  private final Clock clock;
  private final SourceCounters counters;
  private final SkipLog skipLog; // guarded by itself: it is written to by one thread at a time

  /**
   * @param metaKey the meta field naming where a message came from: {@code @topic}, {@code
   *     @subject} or {@code @channel}
   */
  BrokerMessages(
      String sourceName, String metaKey, Decoding decoding, Clock clock, SourceCounters counters,
      Logger log) {
    this(sourceName, metaKey, decoding, clock, counters, log, FieldDemand.all());
  }

  /** @param demand the event fields the decoder extracts */
  BrokerMessages(
      String sourceName, String metaKey, Decoding decoding, Clock clock, SourceCounters counters,
      Logger log, FieldDemand demand) {
    this.sourceName = sourceName;
    this.metaKey = metaKey;
    this.decoder = new JsonEventDecoder(decoding, Map.of(), demand);
    this.clock = clock;
    this.counters = counters;
    this.skipLog = new SkipLog(log, sourceName);
  }

  /** Decodes one message from {@code origin} and offers the event to {@code sink}. */
  void deliver(String origin, ByteBuffer payload, EventSink sink) {
    long now = clock.millis();
    if (payload.remaining() > MAX_PAYLOAD_BYTES) {
      skip(SkipReason.TOO_LARGE, now);
      return;
    }
    String text;
    try {
      // A fresh decoder per message: they are cheap and not thread-safe.
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(payload.duplicate());
      text = chars.toString();
    } catch (CharacterCodingException e) {
      skip(SkipReason.INVALID_UTF8, now);
      return;
    }
    Map<String, Object> meta = Map.of("@source", sourceName, metaKey, origin);
    JsonEventDecoder.Result result = decoder.decode(text, meta, now);
    if (result instanceof Decoded decoded) {
      counters.dataAt(now);
      if (sink.offer(decoded.event())) {
        counters.event();
      } else {
        counters.dropped();
      }
    } else if (result instanceof Skipped skipped) {
      skip(skipped.reason(), now);
    } else if (result instanceof Heartbeat) {
      // No broker source has a heartbeat rule; counted all the same should one appear.
      counters.heartbeat();
    }
  }

  /** Decodes one message given as bytes. */
  void deliver(String origin, byte[] payload, EventSink sink) {
    deliver(origin, ByteBuffer.wrap(payload == null ? new byte[0] : payload), sink);
  }

  private void skip(SkipReason reason, long now) {
    counters.skipped(reason);
    synchronized (skipLog) {
      skipLog.skipped(reason, now);
    }
  }
}
