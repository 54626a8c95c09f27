package livegraph.bench;

import io.netty.buffer.ByteBuf;

/**
 * The part of Socket.IO's wire protocol a viewer needs, read from a WebSocket text frame.
 *
 * <p>Engine.IO v4 over a WebSocket (no polling first: {@code /socket.io/?EIO=4&transport=websocket})
 * starts with the server's open packet {@code 0{"sid":…,"pingInterval":…}}; the client then
 * connects to the default namespace with {@code 40}, answered by {@code 40{"sid":…}}. Events
 * arrive as {@code 42["name",args…]}. The server pings ({@code 2}) and the client must answer
 * {@code 3} within the ping timeout, or it is dropped. See socket.io-protocol v5 and
 * engine.io-protocol v4.
 */
final class EngineIo {

  /** What a frame is. */
  enum Packet { OPEN, PING, CONNECTED, CONNECT_ERROR, DISCONNECT, EVENT, OTHER }

  /** Sent after {@link Packet#OPEN}: connect to the default namespace. */
  static final String CONNECT = "40";
  /** The answer to {@link Packet#PING}. */
  static final String PONG = "3";

  private EngineIo() {}

  static Packet classify(ByteBuf frame) {
    int n = frame.readableBytes();
    if (n == 0) {
      return Packet.OTHER;
    }
    int at = frame.readerIndex();
    byte engine = frame.getByte(at);
    switch (engine) {
      case '0':
        return Packet.OPEN;
      case '2':
        return n == 1 ? Packet.PING : Packet.OTHER; // "2probe" belongs to an upgrade
      case '4':
        break;
      default:
        return Packet.OTHER;
    }
    if (n < 2) {
      return Packet.OTHER;
    }
    // A namespace other than "/" would follow as "/name,"; the relay uses only the default.
    return switch (frame.getByte(at + 1)) {
      case '0' -> Packet.CONNECTED;
      case '1' -> Packet.DISCONNECT;
      case '2' -> Packet.EVENT;
      case '4' -> Packet.CONNECT_ERROR;
      default -> Packet.OTHER;
    };
  }
}
