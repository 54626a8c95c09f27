package livegraph.source;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Cuts a byte stream into LF- or CRLF-terminated lines with bounded memory, for the stdin and
 * file sources (the TCP source uses Netty's {@code LineBasedFrameDecoder}, which does the same).
 *
 * <p>Use: {@link #feed} a chunk, then call {@link #next} until it returns {@code null} (the
 * chunk is used up), then feed the next chunk. A caller may stop between lines and resume
 * later (the file source does when the sink is full): the unread rest of the chunk stays here.
 * The chunk is not copied, so it must not change until {@code next} has returned {@code null}.
 *
 * <p>Memory: a line that fits in its chunk is returned as a view of the chunk; only a line
 * spanning chunks is copied into a carry buffer, which grows up to {@link #MAX_LINE_BYTES}
 * plus one byte (room for a CR). A longer line is reported once as {@link Line#tooLarge} the
 * moment it passes the limit, and its bytes are then thrown away up to the next LF, never
 * stored. Not thread-safe: owned by the source's reading thread.
 */
final class LineSplitter {

  /** The longest line kept, in bytes without its CR LF; JSON text is at most this many chars. */
  static final int MAX_LINE_BYTES = JsonEventDecoder.MAX_CHARS;

  private static final int INITIAL_CARRY = 256;

  private final int maxLineBytes;

  // The chunk being split: [inPos, inEnd) is not yet consumed.
  private byte[] in = new byte[0];
  private int inPos;
  private int inEnd;

  // The start of a line whose LF has not arrived yet, copied out of earlier chunks.
  private byte[] carry = new byte[INITIAL_CARRY];
  private int carryLen;

  private boolean discarding; // inside an over-long line: dropping bytes up to the next LF

  LineSplitter() {
    this(MAX_LINE_BYTES);
  }

  /** With a smaller limit, for tests. */
  LineSplitter(int maxLineBytes) {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("max line bytes must be positive: " + maxLineBytes);
    }
    this.maxLineBytes = maxLineBytes;
  }

  /** One line without its CR LF, or a marker that a line was too long. */
  record Line(ByteBuffer bytes, boolean tooLarge) {

    static final Line TOO_LARGE = new Line(ByteBuffer.allocate(0), true);
  }

  /** Hands over the next chunk; the previous one must be used up. */
  void feed(byte[] chunk, int offset, int length) {
    if (inPos < inEnd) {
      throw new IllegalStateException("feed before the previous chunk was used up");
    }
    if (offset < 0 || length < 0 || offset + length > chunk.length) {
      throw new IndexOutOfBoundsException("chunk " + offset + "+" + length + " of " + chunk.length);
    }
    in = chunk;
    inPos = offset;
    inEnd = offset + length;
  }

  /** Whether the last chunk fed still has bytes to split. */
  boolean hasInput() {
    return inPos < inEnd;
  }

  /**
   * The next complete line, or {@code null} when the chunk is used up (a line without its LF
   * yet stays carried over). The returned view is valid until the next call.
   */
  Line next() {
    while (inPos < inEnd) {
      int lf = indexOfLf(in, inPos, inEnd);
      if (discarding) {
        if (lf < 0) {
          inPos = inEnd;
          return null;
        }
        discarding = false;
        inPos = lf + 1;
        continue;
      }
      if (lf < 0) {
        int rest = inEnd - inPos;
        inPos = inEnd;
        if (!append(in, inEnd - rest, rest)) {
          return Line.TOO_LARGE;
        }
        return null;
      }
      int start = inPos;
      inPos = lf + 1;
      if (carryLen == 0) {
        return line(ByteBuffer.wrap(in, start, lf - start));
      }
      if (!append(in, start, lf - start)) {
        // The LF is here, so the line ends: nothing left to discard.
        discarding = false;
        return Line.TOO_LARGE;
      }
      ByteBuffer joined = ByteBuffer.wrap(carry, 0, carryLen);
      carryLen = 0;
      return line(joined);
    }
    return null;
  }

  /**
   * At the end of the input: the last line if it had no LF, else {@code null}. Used where a
   * stream really ended (stdin, a file read once, a rotated file), never while following.
   */
  Line finish() {
    inPos = inEnd;
    if (discarding) {
      discarding = false;
      return null;
    }
    if (carryLen == 0) {
      return null;
    }
    ByteBuffer rest = ByteBuffer.wrap(carry, 0, carryLen);
    carryLen = 0;
    return line(rest);
  }

  /** Forgets the carried partial line and any unread input (the file was truncated). */
  void reset() {
    inPos = inEnd;
    carryLen = 0;
    discarding = false;
    if (carry.length > INITIAL_CARRY) {
      carry = new byte[INITIAL_CARRY]; // a one-off long line does not pin a megabyte
    }
  }

  /** The bytes held for a partial line now, for tests of the memory bound. */
  int carryCapacity() {
    return carry.length;
  }

  /** Strips one CR before the LF and checks the limit without it. */
  private Line line(ByteBuffer bytes) {
    int end = bytes.limit();
    if (end > bytes.position() && bytes.get(end - 1) == '\r') {
      bytes.limit(end - 1);
    }
    if (bytes.remaining() > maxLineBytes) {
      return Line.TOO_LARGE;
    }
    return new Line(bytes, false);
  }

  /**
   * Adds bytes to the carried line; {@code false} when that passes the limit (plus one byte
   * for a CR), after which the line is dropped and the rest of it discarded.
   */
  private boolean append(byte[] src, int offset, int length) {
    if ((long) carryLen + length > maxLineBytes + 1L) {
      carryLen = 0;
      discarding = true;
      if (carry.length > INITIAL_CARRY) {
        carry = new byte[INITIAL_CARRY];
      }
      return false;
    }
    if (carryLen + length > carry.length) {
      int grown = (int) Math.min(maxLineBytes + 1L, Math.max(carry.length * 2L, carryLen + (long) length));
      carry = Arrays.copyOf(carry, grown);
    }
    System.arraycopy(src, offset, carry, carryLen, length);
    carryLen += length;
    return true;
  }

  private static int indexOfLf(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
