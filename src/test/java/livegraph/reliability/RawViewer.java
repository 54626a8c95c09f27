package livegraph.reliability;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket viewer on a plain socket that behaves as no browser would: it can stop reading,
 * send any frame (binary, fragmented, unmasked, oversized, half of one), and vanish with a
 * reset. Only the handshake is done for it; everything after is up to the test.
 */
final class RawViewer implements AutoCloseable {

  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CONTINUATION = 0x0;
  static final int CLOSE = 0x8;

  /** A frame as read: its opcode and payload. */
  record Frame(int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The close code of a close frame, or 1005 (none given). */
    int closeCode() {
      return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawViewer(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /**
   * Connects to {@code 127.0.0.1:port} and upgrades {@code path}; {@code receiveBuffer} (bytes,
   * or 0 for the system's) is set before connecting, so the window the server sees is small.
   */
  static RawViewer connect(int port, String path, int receiveBuffer) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout(10_000);
    RawViewer v = new RawViewer(s);
    v.handshake(path);
    return v;
  }

  private void handshake(String path) throws IOException {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("closed during the handshake: " + head);
      }
      head.write(b);
    }
    String status = head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
    if (!status.contains(" 101 ")) {
      throw new IOException("handshake refused: " + status);
    }
  }

  /** Sends one frame; a client's frames are masked unless {@code masked} is false. */
  void send(int opcode, boolean fin, byte[] payload, boolean masked) throws IOException {
    out.write(frame(opcode, fin, payload, masked));
    out.flush();
  }

  void sendText(String text) throws IOException {
    send(TEXT, true, text.getBytes(StandardCharsets.UTF_8), true);
  }

  /** Writes bytes as they are: half a frame, say. */
  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  static byte[] frame(int opcode, boolean fin, byte[] payload, boolean masked) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write((fin ? 0x80 : 0) | opcode);
    int mask = masked ? 0x80 : 0;
    if (payload.length < 126) {
      f.write(mask | payload.length);
    } else if (payload.length < 65536) {
      f.write(mask | 126);
      f.write(payload.length >>> 8);
      f.write(payload.length & 0xff);
    } else {
      f.write(mask | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        f.write((int) ((long) payload.length >>> shift) & 0xff);
      }
    }
    if (masked) {
      byte[] key = new byte[4];
      ThreadLocalRandom.current().nextBytes(key);
      f.writeBytes(key);
      for (int i = 0; i < payload.length; i++) {
        f.write(payload[i] ^ key[i & 3]);
      }
    } else {
      f.writeBytes(payload);
    }
    return f.toByteArray();
  }

  /** The next frame, waiting up to {@code timeout}. */
  Frame read(Duration timeout) throws IOException {
    socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
    int b0 = readByte();
    int b1 = readByte();
    long length = b1 & 0x7f;
    if (length == 126) {
      length = (readByte() << 8) | readByte();
    } else if (length == 127) {
      length = 0;
      for (int i = 0; i < 8; i++) {
        length = (length << 8) | readByte();
      }
    }
    if (length > 64 << 20) {
      throw new IOException("frame of " + length + " bytes: not from this server");
    }
    byte[] payload = in.readNBytes((int) length);
    if (payload.length < length) {
      throw new EOFException("closed inside a frame");
    }
    return new Frame(b0 & 0x0f, payload);
  }

  /**
   * Reads frames until a close frame and returns its code; -1 when the connection ended
   * without one. Fails after {@code timeout}.
   */
  int closeCode(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        throw new SocketTimeoutException("no close frame within " + timeout);
      }
      Frame f;
      try {
        f = read(Duration.ofMillis(left));
      } catch (EOFException | java.net.SocketException e) {
        return -1;
      }
      if (f.opcode() == CLOSE) {
        return f.closeCode();
      }
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("connection closed");
    }
    return b;
  }

  /** The local port, to find this connection in {@code /proc/net/tcp}. */
  int localPort() {
    return socket.getLocalPort();
  }

  /** Ends the connection with a TCP reset (SO_LINGER 0): no close frame, no FIN. */
  void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
