package livegraph.bench;

/** How a viewer talks to a server under test and where it finds the numbers in each frame. */
enum Protocol {
  /** livegraph's browser protocol: hello, snapshot, delta, status (PROTOCOL.md). */
  LIVEGRAPH("/ws", FrameProbe.LIVEGRAPH),
  /** A plain WebSocket relay: every text frame is one event line as the feeder wrote it. */
  RELAYED("/", FrameProbe.RELAYED),
  /** Socket.IO v4 over a WebSocket: each event a {@code 42["e","<line>"]} frame. */
  SOCKET_IO("/socket.io/?EIO=4&transport=websocket", FrameProbe.SOCKET_IO);

  final String path;
  final FrameProbe.Keys keys;

  Protocol(String path, FrameProbe.Keys keys) {
    this.path = path;
    this.keys = keys;
  }
}
