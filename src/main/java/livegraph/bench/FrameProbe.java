package livegraph.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads the few numbers the bench needs from a received text frame without parsing the JSON:
 * the position of a known key in the frame's first bytes, then the integer after it.
 *
 * <p>Every frame the bench cares about puts those keys near its start: the feeder writes
 * {@code "n"} and {@code "sent"} first in each event, and the bench dashboard lists its two
 * probe charts first, without sparklines, so a delta's {@code "sent"} state ends within about
 * 150 bytes. Scanning only {@link #SCAN_LIMIT} bytes keeps the cost per frame fixed whatever
 * the frame's size, and the first match is the real key even when a question's title contains
 * the same text later on.
 */
final class FrameProbe {

  /** No such key (or its value is {@code null} or not an integer). */
  static final long NONE = Long.MIN_VALUE;

  /** Bytes of a frame searched for a key. */
  static final int SCAN_LIMIT = 512;

  /** One way of finding the sequence, event number and send time in a frame. */
  record Keys(byte[] seq, byte[] n, byte[] sent) {
    static Keys of(String seq, String n, String sent) {
      return new Keys(bytes(seq), bytes(n), bytes(sent));
    }
  }

  /** livegraph's {@code {"type":"delta","seq":S,"charts":{"sent":{"value":T,…},"n":{"value":N,…}}}}. */
  static final Keys LIVEGRAPH = Keys.of("\"seq\":", "\"n\":{\"value\":", "\"sent\":{\"value\":");
  /** A relayed event line as the feeder wrote it: {@code {"n":N,"sent":T,…}}. */
  static final Keys RELAYED = Keys.of("\"n\":", "\"n\":", "\"sent\":");
  /** The same line as the string argument of a Socket.IO event: {@code 42["e","{\"n\":N,…"]}. */
  static final Keys SOCKET_IO = Keys.of("\\\"n\\\":", "\\\"n\\\":", "\\\"sent\\\":");

  private static final byte[] DELTA = bytes("{\"type\":\"delta\"");
  private static final byte[] SNAPSHOT = bytes("{\"type\":\"snapshot\"");

  private FrameProbe() {}

  /** What a livegraph frame is, from its first bytes. */
  enum LivegraphType { DELTA, SNAPSHOT, OTHER }

  static LivegraphType livegraphType(ByteBuf frame) {
    if (startsWith(frame, DELTA)) {
      return LivegraphType.DELTA;
    }
    if (startsWith(frame, SNAPSHOT)) {
      return LivegraphType.SNAPSHOT;
    }
    return LivegraphType.OTHER;
  }

  /** The integer after the first {@code key} within the frame's first {@link #SCAN_LIMIT} bytes. */
  static long number(ByteBuf frame, byte[] key) {
    int start = frame.readerIndex();
    int end = start + Math.min(frame.readableBytes(), SCAN_LIMIT);
    int at = indexOf(frame, start, end, key);
    if (at < 0) {
      return NONE;
    }
    int i = at + key.length;
    int limit = frame.writerIndex();
    boolean negative = i < limit && frame.getByte(i) == '-';
    if (negative) {
      i++;
    }
    long value = 0;
    int digits = 0;
    for (; i < limit && digits < 19; i++, digits++) {
      byte b = frame.getByte(i);
      if (b < '0' || b > '9') {
        break;
      }
      value = value * 10 + (b - '0');
    }
    if (digits == 0) {
      return NONE;
    }
    // A fraction or exponent means it is not the integer the feeder wrote.
    if (i < limit && (frame.getByte(i) == '.' || frame.getByte(i) == 'e'
        || frame.getByte(i) == 'E')) {
      return NONE;
    }
    return negative ? -value : value;
  }

  static boolean startsWith(ByteBuf frame, byte[] prefix) {
    if (frame.readableBytes() < prefix.length) {
      return false;
    }
    int start = frame.readerIndex();
    for (int i = 0; i < prefix.length; i++) {
      if (frame.getByte(start + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(ByteBuf frame, int from, int to, byte[] key) {
    byte first = key[0];
    outer:
    for (int i = from; i <= to - key.length; i++) {
      if (frame.getByte(i) != first) {
        continue;
      }
      for (int k = 1; k < key.length; k++) {
        if (frame.getByte(i + k) != key[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
