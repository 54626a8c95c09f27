package livegraph.source;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Whether a text frame's bytes are UTF-8, cheaply for the common case.
 *
 * <p>The JDK turns each malformed sequence into U+FFFD when it makes a {@code String}, so a
 * decoded text without U+FFFD came from valid bytes; for Latin-1 text (any ASCII frame) the
 * search is answered without a scan. Only text holding U+FFFD, sent or substituted, has its
 * bytes checked strictly. Netty's validator instead visited every byte through a callback.
 */
final class Utf8 {

  private static final char REPLACEMENT = '\uFFFD';
  /** Chars decoded at a time by the strict check, so a frame of megabytes needs no copy. */
  private static final int CHUNK = 4096;

  private Utf8() {}

  /**
   * Whether {@code bytes} (readable bytes, not consumed) are UTF-8.
   *
   * @param decoded {@code bytes} decoded by the JDK, or null when not decoded (then checked
   *     strictly)
   */
  static boolean valid(String decoded, ByteBuf bytes) {
    if (decoded != null && decoded.indexOf(REPLACEMENT) < 0) {
      return true;
    }
    CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = bytes.nioBuffer();
    CharBuffer out = CharBuffer.allocate(CHUNK); // reused: the chars are not kept
    while (true) {
      CoderResult r = strict.decode(in, out, true);
      if (r.isError()) {
        return false;
      }
      if (r.isUnderflow()) {
        return !strict.flush(out).isError();
      }
      out.clear(); // overflow: go on with the rest
    }
  }
}
