package livegraph.source;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import livegraph.pipeline.Clock;
import livegraph.pipeline.Event;
import org.slf4j.Logger;

/**
 * Turns one line of bytes into an event for the line sources (stdin, file, TCP): blank lines
 * are ignored, bytes that are not UTF-8 are skipped as {@link SkipReason#INVALID_UTF8}, the rest
 * goes through the source's {@link JsonEventDecoder} with {@code @source} set to the source's
 * name. Every skip is counted and logged (rate-limited); nothing throws.
 *
 * <p>Not thread-safe (the UTF-8 decoder and the skip log have state): each source calls it from
 * its one reading thread or event loop.
 */
final class JsonLines {

  /**
   * How long one event may wait for room in a full sink before it is dropped and counted.
   * Line producers can wait (a pipe or a file blocks, a TCP sender is slowed by its window),
   * so the line sources hold back reading rather than lose lines to a burst; the bound keeps a
   * stalled pipeline from stopping the source for good.
   */
  static final long MAX_WAIT_MILLIS = 1000;

  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private final JsonEventDecoder decoder;
  private final Map<String, Object> meta;
  private final Clock clock;
  private final SourceCounters counters;
  private final SkipLog skipLog;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  JsonLines(String sourceName, Decoding decoding, Clock clock, SourceCounters counters, Logger log) {
    this(sourceName, decoding, clock, counters, log, FieldDemand.all());
  }

  JsonLines(
      String sourceName, Decoding decoding, Clock clock, SourceCounters counters, Logger log,
      FieldDemand demand) {
    this.decoder = new JsonEventDecoder(decoding, Map.of(), demand);
    this.meta = Map.of("@source", sourceName);
    this.clock = clock;
    this.counters = counters;
    this.skipLog = new SkipLog(log, sourceName);
  }

  /**
   * The event one line holds, or {@code null} when the line was blank or skipped (counted).
   *
   * @param line the line without its CR LF; consumed
   */
  Event decode(ByteBuffer line) {
    if (isBlank(line)) {
      return null;
    }
    String text;
    try {
      utf8.reset();
      CharBuffer chars = utf8.decode(line);
      if (chars.hasRemaining() && chars.get(chars.position()) == BYTE_ORDER_MARK) {
        chars.position(chars.position() + 1); // written by some Windows tools at the file start
      }
      text = chars.toString();
    } catch (CharacterCodingException e) {
      skipped(SkipReason.INVALID_UTF8);
      return null;
    }
    long now = clock.millis();
    JsonEventDecoder.Result result = decoder.decode(text, meta, now);
    if (result instanceof JsonEventDecoder.Decoded decoded) {
      return decoded.event();
    }
    if (result instanceof JsonEventDecoder.Skipped skip) {
      skipped(skip.reason());
    }
    // A heartbeat cannot happen: line decoders have no heartbeat rule.
    return null;
  }

  /** Counts and logs a line over the length limit; its bytes were never kept. */
  void tooLarge() {
    skipped(SkipReason.TOO_LARGE);
  }

  /** Offers an event once; counts it when taken. */
  boolean offer(EventSink sink, Event event) {
    if (sink.offer(event)) {
      counters.event();
      counters.dataAt(clock.millis());
      return true;
    }
    return false;
  }

  /** Counts an event given up on after waiting for room. */
  void dropped() {
    counters.dropped();
  }

  long nowMillis() {
    return clock.millis();
  }

  private void skipped(SkipReason reason) {
    counters.skipped(reason);
    skipLog.skipped(reason, clock.millis());
  }

  private static boolean isBlank(ByteBuffer line) {
    for (int i = line.position(); i < line.limit(); i++) {
      byte b = line.get(i);
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
