package livegraph.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Complete WebSocket text frames (RFC 6455 section 5.2) as a server sends them: final, opcode 1,
 * unmasked, no extension bits. One buffer is built per message and shared by every viewer it goes
 * to, which Netty's per-frame encoder cannot do (it frames each write again).
 */
final class TextFrames {

  private TextFrames() {}

  /** A direct buffer holding the frame header and {@code payload}; the caller owns it. */
  static ByteBuf frame(ByteBufAllocator alloc, byte[] payload) {
    int length = payload.length;
    int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    ByteBuf buf = alloc.directBuffer(header + length);
    buf.writeByte(0x81); // FIN, text
    if (length < 126) {
      buf.writeByte(length);
    } else if (length <= 0xFFFF) {
      buf.writeByte(126);
      buf.writeShort(length);
    } else {
      buf.writeByte(127);
      buf.writeLong(length);
    }
    buf.writeBytes(payload);
    return buf;
  }
}
