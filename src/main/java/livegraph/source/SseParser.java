package livegraph.source;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads one Server-Sent Events stream, as the HTML standard's "interpreting an event stream"
 * says, and reports events, {@code retry:} values and comments to a listener.
 *
 * <p>Rules: the stream is UTF-8 (a leading BOM is dropped, bad bytes become U+FFFD); lines end
 * in CRLF, LF or CR, also when the CR and LF arrive in different chunks; a blank line
 * dispatches the event; a line starting with {@code :} is a comment; otherwise the field name
 * runs to the first {@code :} (or is the whole line, with an empty value) and one space after
 * the colon is dropped. {@code data} lines are joined with LF; {@code event} sets the type
 * (default {@code message}); {@code id} sets the last event ID unless it contains NUL; {@code
 * retry} with only ASCII digits sets the reconnection time; other fields are ignored. An event
 * with no data line is not dispatched, but its {@code id} still counts. At the end of the
 * stream a partial line and an undispatched event are discarded ({@link #end}).
 *
 * <p>Bounds: a line holds at most {@link #MAX_LINE_BYTES} bytes and an event's data at most
 * {@link #MAX_DATA_CHARS} chars. Beyond either, the rest of the line is discarded as it
 * arrives, the event's data is dropped, and at the event's end the listener hears {@link
 * Listener#tooLarge()} instead of an event; an overlong comment is discarded quietly. So one
 * parser holds a few MiB at most, whatever the stream sends.
 *
 * <p>Deviation, on purpose: the last event ID starts from the value given to the constructor
 * (the source's, from the previous connection) rather than empty, as browsers keep it, so a
 * server that does not repeat ids after a reconnect does not reset the resume point.
 *
 * <p>Not thread-safe: one parser per connection, owned by its event loop.
 */
final class SseParser {

  /** The most data one event may carry, in chars; the decoder's limit for one message. */
  static final int MAX_DATA_CHARS = JsonEventDecoder.MAX_CHARS;

  /** The longest line, in bytes: a full event's data on one line, plus its field name. */
  static final int MAX_LINE_BYTES = MAX_DATA_CHARS + 64;

  /** A line buffer grown past this is replaced after the line, so idle streams hold little. */
  private static final int KEEP_LINE_BYTES = 64 * 1024;

  private static final int INITIAL_LINE_BYTES = 256;

  /** What the stream said. Called on the parser's thread, inside {@link #feed}. */
  interface Listener {

    /** A dispatched event: its type, its data, and the last event ID then (maybe empty). */
    void event(String type, String data, String lastEventId);

    /** The server set the reconnection time. */
    void retry(long millis);

    /** A comment line: a keep-alive. */
    void comment();

    /** An event whose data (or one of its lines) was over the limit ended; it was dropped. */
    void tooLarge();
  }

  private final Listener listener;
  private final int maxLineBytes;
  private final int maxDataChars;

  private byte[] line = new byte[INITIAL_LINE_BYTES];
  private int lineLength;
  private boolean lineOverflow; // the current line passed the limit; its rest is discarded
  private boolean overflowIsComment;
  private boolean afterCr; // the last byte was CR: an LF next ends no further line
  private boolean firstLine = true; // a BOM may start it

  private StringBuilder data = new StringBuilder();
  private String eventType = "";
  private String idBuffer;
  private String lastEventId;
  private boolean eventTooLarge;
  private boolean ended;

  SseParser(String lastEventId, Listener listener) {
    this(lastEventId, listener, MAX_LINE_BYTES, MAX_DATA_CHARS);
  }

  /** With other limits, for tests. */
  SseParser(String lastEventId, Listener listener, int maxLineBytes, int maxDataChars) {
    this.lastEventId = Objects.requireNonNull(lastEventId, "lastEventId");
    this.idBuffer = lastEventId;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.maxLineBytes = maxLineBytes;
    this.maxDataChars = maxDataChars;
  }

  /** The last event ID: set by the {@code id} of the latest dispatched (or empty) event. */
  String lastEventId() {
    return lastEventId;
  }

  /** Parses the readable bytes of {@code in} (without consuming them). */
  void feed(ByteBuf in) {
    if (ended) {
      return;
    }
    int i = in.readerIndex();
    int end = in.writerIndex();
    while (i < end) {
      if (afterCr) {
        afterCr = false;
        if (in.getByte(i) == '\n') {
          i++;
          continue;
        }
      }
      int eol = in.forEachByte(i, end - i, ByteProcessor.FIND_CRLF);
      if (eol < 0) {
        append(in, i, end - i);
        return;
      }
      append(in, i, eol - i);
      afterCr = in.getByte(eol) == '\r';
      i = eol + 1;
      endOfLine();
    }
  }

  /** The stream ended: a partial line and an undispatched event are discarded. */
  void end() {
    ended = true;
    lineLength = 0;
    line = new byte[0];
    data = new StringBuilder();
  }

  private void append(ByteBuf in, int from, int length) {
    if (lineOverflow || length == 0) {
      return;
    }
    if ((long) lineLength + length > maxLineBytes) {
      lineOverflow = true;
      byte first = lineLength > 0 ? line[0] : in.getByte(from);
      overflowIsComment = first == ':';
      if (!overflowIsComment) {
        dropEventData();
      }
      lineLength = 0;
      return;
    }
    if (lineLength + length > line.length) {
      int size = Math.max(line.length * 2, lineLength + length);
      line = java.util.Arrays.copyOf(line, Math.min(size, maxLineBytes));
    }
    in.getBytes(from, line, lineLength, length);
    lineLength += length;
  }

  private void endOfLine() {
    if (lineOverflow) {
      lineOverflow = false;
      firstLine = false;
      line = new byte[INITIAL_LINE_BYTES];
      if (overflowIsComment) {
        listener.comment();
      }
      return;
    }
    int start = 0;
    if (firstLine) {
      firstLine = false;
      if (lineLength >= 3
          && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
        start = 3;
      }
    }
    String text = new String(line, start, lineLength - start, StandardCharsets.UTF_8);
    lineLength = 0;
    if (line.length > KEEP_LINE_BYTES) {
      line = new byte[INITIAL_LINE_BYTES];
    }
    processLine(text);
  }

  private void processLine(String text) {
    if (text.isEmpty()) {
      dispatch();
      return;
    }
    if (text.charAt(0) == ':') {
      listener.comment();
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = "";
    if (colon >= 0) {
      int start = colon + 1;
      if (start < text.length() && text.charAt(start) == ' ') {
        start++;
      }
      value = text.substring(start);
    }
    switch (field) {
      case "event" -> eventType = value;
      case "data" -> appendData(value);
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          idBuffer = value;
        }
      }
      case "retry" -> {
        if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
          // Beyond a long is longer than anyone waits; the source bounds it by its cap anyway.
          listener.retry(value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value));
        }
      }
      default -> { } // unknown fields are ignored, as the standard says
    }
  }

  private void appendData(String value) {
    if (eventTooLarge) {
      return;
    }
    // The buffer's newlines become the separators, so this is the data's final length.
    if ((long) data.length() + value.length() > maxDataChars) {
      dropEventData();
      return;
    }
    data.append(value).append('\n');
  }

  private void dropEventData() {
    eventTooLarge = true;
    data = new StringBuilder(); // releases a large buffer at once
  }

  private void dispatch() {
    lastEventId = idBuffer;
    String type = eventType.isEmpty() ? "message" : eventType;
    eventType = "";
    if (eventTooLarge) {
      eventTooLarge = false;
      listener.tooLarge();
      return;
    }
    if (data.length() == 0) {
      return;
    }
    data.setLength(data.length() - 1); // the LF after the last data line
    String text = data.toString();
    data.setLength(0);
    if (data.capacity() > KEEP_LINE_BYTES) {
      data = new StringBuilder();
    }
    listener.event(type, text, lastEventId);
  }
}
