package livegraph.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Encodes one unmasked server-to-client WebSocket frame (RFC 6455 section 5.2) as raw bytes, so
 * a fault can hand the socket a frame a piece at a time; Netty's encoder passes a plain {@link
 * ByteBuf} through untouched.
 */
final class ServerFrames {

  static final int TEXT = 0x1;
  static final int BINARY = 0x2;

  private ServerFrames() {}

  /** A final frame of {@code opcode} carrying {@code payload}: header, then the bytes. */
  static ByteBuf encode(ByteBufAllocator alloc, int opcode, byte[] payload) {
    int n = payload.length;
    int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
    ByteBuf out = alloc.buffer(header + n);
    out.writeByte(0x80 | opcode); // FIN, no extensions
    if (n < 126) {
      out.writeByte(n);
    } else if (n <= 0xFFFF) {
      out.writeByte(126);
      out.writeShort(n);
    } else {
      out.writeByte(127);
      out.writeLong(n);
    }
    out.writeBytes(payload);
    return out;
  }
}
