package livegraph.bench;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Viewers that misbehave beside the measured ones, on one thread of their own with blocking
 * sockets, so the soak can show what they cost the healthy viewers:
 *
 * <ul>
 *   <li><b>stalled</b>: complete the handshake with a 4 KiB receive buffer and never read. The
 *       server skips them above its high-water mark and closes them after 30 s without
 *       progress; each is replaced by a fresh one {@link #STALLED_LIFE} after it opened, so
 *       about {@code stalled} of them are always there.
 *   <li><b>flooders</b>: each round, every one connects, sends {@link #BURST} messages at once
 *       (valid resumes, over the server's 20 a second) and reads until the server closes it;
 *       the close codes are counted.
 * </ul>
 *
 * <p>Threads: everything runs on the one "bench-faulty" thread; the counters are read by the
 * coordinator.
 */
final class FaultyViewers implements AutoCloseable {

  static final Duration STALLED_LIFE = Duration.ofSeconds(40);
  static final int BURST = 100;
  private static final Duration ROUND = Duration.ofSeconds(1);

  private record Stalled(Socket socket, long openedNanos) {}

  private final int port;
  private final String path;
  private final int stalled;
  private final int flooders;
  private final Thread thread;
  private final SplittableRandom random = new SplittableRandom(7); // the thread's
  private final List<Stalled> open = new ArrayList<>(); // the thread's
  private volatile boolean running = true;
  private final AtomicLong stalledOpened = new AtomicLong();
  private final AtomicLong floods = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final Map<Integer, AtomicLong> floodCloses = new TreeMap<>(); // guarded by itself

  FaultyViewers(int port, String path, int stalled, int flooders) {
    this.port = port;
    this.path = path;
    this.stalled = stalled;
    this.flooders = flooders;
    this.thread = new Thread(this::run, "bench-faulty");
    thread.setDaemon(true);
  }

  FaultyViewers start() {
    if (stalled > 0 || flooders > 0) {
      thread.start();
    }
    return this;
  }

  private void run() {
    while (running) {
      long roundStart = System.nanoTime();
      try {
        keepStalled();
        for (int i = 0; i < flooders && running; i++) {
          flood();
        }
      } catch (IOException | RuntimeException e) {
        failures.incrementAndGet();
      }
      long wait = ROUND.toMillis() - (System.nanoTime() - roundStart) / 1_000_000;
      if (wait > 0) {
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void keepStalled() throws IOException {
    long now = System.nanoTime();
    open.removeIf(s -> {
      if (now - s.openedNanos() > STALLED_LIFE.toNanos()) {
        quietly(s.socket());
        return true;
      }
      return false;
    });
    while (open.size() < stalled && running) {
      Socket s = connect(4096);
      open.add(new Stalled(s, System.nanoTime()));
      stalledOpened.incrementAndGet();
    }
  }

  private void flood() throws IOException {
    try (Socket s = connect(0)) {
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      byte[] resume = "{\"type\":\"resume\",\"seq\":1}".getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < BURST; i++) {
        burst.writeBytes(maskedText(resume));
      }
      s.getOutputStream().write(burst.toByteArray());
      s.getOutputStream().flush();
      floods.incrementAndGet();
      int code;
      try {
        code = closeCode(s.getInputStream());
      } catch (java.net.SocketException e) {
        // The server closed with the rest of the burst unread, so its kernel sent a reset,
        // which can overtake the close frame: counted as "-1", closed without a code seen.
        code = -1;
      }
      synchronized (floodCloses) {
        floodCloses.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
      }
    }
  }

  private Socket connect(int receiveBuffer) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout(10_000);
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    OutputStream out = s.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        quietly(s);
        throw new EOFException("closed during the handshake");
      }
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      quietly(s);
      throw new IOException("handshake refused: " + head.toString().lines().findFirst().orElse(""));
    }
    return s;
  }

  private byte[] maskedText(byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(0x81);
    f.write(0x80 | payload.length); // under 126 bytes
    byte[] key = new byte[4];
    random.nextBytes(key);
    f.writeBytes(key);
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ key[i & 3]);
    }
    return f.toByteArray();
  }

  /** Skips frames until a close frame; its code, or -1 when the connection just ended. */
  private static int closeCode(InputStream in) throws IOException {
    while (true) {
      int b0 = in.read();
      int b1 = in.read();
      if (b0 < 0 || b1 < 0) {
        return -1;
      }
      long length = b1 & 0x7f;
      if (length == 126) {
        length = (in.read() << 8) | in.read();
      } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | in.read();
        }
      }
      if ((b0 & 0x0f) == 0x8) {
        byte[] p = in.readNBytes((int) Math.min(length, 125));
        return p.length < 2 ? 1005 : ((p[0] & 0xff) << 8) | (p[1] & 0xff);
      }
      try {
        in.skipNBytes(length);
      } catch (EOFException e) {
        return -1;
      }
    }
  }

  private static void quietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing a socket the test is done with: nothing to do
    }
  }

  /** What they did, for the report. */
  Map<String, Object> report() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("stalled", stalled);
    m.put("stalledOpened", stalledOpened.get());
    m.put("flooders", flooders);
    m.put("floods", floods.get());
    Map<String, Long> codes = new TreeMap<>();
    synchronized (floodCloses) {
      floodCloses.forEach((c, n) -> codes.put(Integer.toString(c), n.get()));
    }
    m.put("floodCloseCodes", codes);
    m.put("failures", failures.get());
    return m;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    if (thread.isAlive()) {
      thread.join(15_000);
    }
    for (Stalled s : open) {
      quietly(s.socket());
    }
  }
}
