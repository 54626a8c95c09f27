package livegraph.emulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JDK WebSocket client for tests: records data frames and heartbeat arrival times, and
 * optionally answers heartbeats with a fixed text.
 */
final class WsRecorder implements WebSocket.Listener {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final BlockingQueue<String> data = new LinkedBlockingQueue<>();
  final List<Long> heartbeatNanos = new CopyOnWriteArrayList<>();
  final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final String heartbeatReply; // null: never answer
  private final boolean reads; // false: never requests a message, so the socket backs up
  private final StringBuilder partial = new StringBuilder(); // owned by the listener thread
  private CompletableFuture<WebSocket> sends = null; // guarded by this
  private volatile WebSocket ws;

  private WsRecorder(String heartbeatReply, boolean reads) {
    this.heartbeatReply = heartbeatReply;
    this.reads = reads;
  }

  static WsRecorder connect(URI uri, String heartbeatReply) throws Exception {
    return connect(uri, heartbeatReply, true);
  }

  static WsRecorder connect(URI uri, String heartbeatReply, boolean reads) throws Exception {
    WsRecorder r = new WsRecorder(heartbeatReply, reads);
    r.ws = HTTP.newWebSocketBuilder().buildAsync(uri, r).get(5, TimeUnit.SECONDS);
    return r;
  }

  /** Sends one text frame after any earlier send has finished (the JDK allows one at a time). */
  synchronized void send(String text) {
    WebSocket socket = ws;
    sends = sends == null
        ? socket.sendText(text, true)
        : sends.thenCompose(s -> s.sendText(text, true));
  }

  void abort() {
    ws.abort();
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    this.ws = webSocket;
    if (reads) {
      webSocket.request(1);
    }
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence text, boolean last) {
    partial.append(text);
    if (last) {
      String frame = partial.toString();
      partial.setLength(0);
      if (frame.equals(Frames.HEARTBEAT)) {
        heartbeatNanos.add(System.nanoTime());
        if (heartbeatReply != null) {
          send(heartbeatReply);
        }
      } else {
        data.add(frame);
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer bytes, boolean last) {
    data.add("<binary>");
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closeCode.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closeCode.complete(-1);
  }
}
