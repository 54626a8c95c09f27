package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

  private static boolean valid(byte[] bytes, boolean decodeFirst) {
    ByteBuf buf = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    try {
      String decoded = decodeFirst ? buf.toString(StandardCharsets.UTF_8) : null;
      boolean valid = Utf8.valid(decoded, buf);
      assertThat(buf.readableBytes()).as("not consumed").isEqualTo(bytes.length);
      return valid;
    } finally {
      buf.release();
    }
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  @Test
  void validText_asciiLatinAstralAndASentReplacementChar_isValid_decodedOrNot() {
    for (String text : new String[] {"", "{\"a\":1}", "caf\u00e9", "\u20ac \ud83d\ude00", "\ufffd sent"}) {
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      assertThat(valid(b, true)).as(text).isTrue();
      assertThat(valid(b, false)).as(text).isTrue();
    }
  }

  @Test
  void malformedBytes_badByteTruncatedOverlongSurrogate_areInvalid_decodedOrNot() {
    byte[][] bad = {
      bytes('a', 0xFF, 'b'), bytes('a', 0xC3), bytes(0xC0, 0xAF), bytes(0xED, 0xA0, 0x80),
      bytes(0xF4, 0x90, 0x80, 0x80), bytes(0xE2, 0x82, 'x'),
    };
    for (byte[] b : bad) {
      assertThat(valid(b, true)).isFalse();
      assertThat(valid(b, false)).isFalse();
    }
  }

  @Test
  void longText_checkedStrictlyInChunks_findsALateBadByte() {
    byte[] b = ("\u00e9".repeat(10_000) + "x").getBytes(StandardCharsets.UTF_8);
    assertThat(valid(b, false)).isTrue();
    b[b.length - 1] = (byte) 0x80;
    assertThat(valid(b, false)).isFalse();
  }
}
