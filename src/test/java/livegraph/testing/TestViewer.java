package livegraph.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket viewer for over-the-wire tests: records every message it gets, in order.
 *
 * <p>Built on the JDK's HttpClient so tests need no other client library. Messages are parsed
 * as JSON into a queue; {@link #next} and {@link #until} poll it with a deadline.
 */
public final class TestViewer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final CompletableFuture<String> closeReason = new CompletableFuture<>();
  private final WebSocket socket;

  private TestViewer(URI uri, String origin) {
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5));
    if (origin != null) {
      builder.header("Origin", origin);
    }
    this.socket = builder.buildAsync(uri, new Listener()).join();
  }

  /** Connects to {@code uri} (e.g. ws://127.0.0.1:P/ws) sending {@code origin}, or none if null. */
  public static TestViewer connect(URI uri, String origin) {
    return new TestViewer(uri, origin);
  }

  /** The next message, waiting up to {@code timeout}; fails the test if none arrives. */
  public JsonNode next(Duration timeout) throws InterruptedException {
    JsonNode m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (m == null) {
      throw new AssertionError("no message within " + timeout);
    }
    return m;
  }

  /** Skips messages until one matches, waiting up to {@code timeout} in all. */
  public JsonNode until(Duration timeout, String what, Predicate<JsonNode> match)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      JsonNode m = messages.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000),
          TimeUnit.MILLISECONDS);
      if (m == null) {
        break;
      }
      last = m;
      if (match.test(m)) {
        return m;
      }
    }
    throw new AssertionError("no message with " + what + " within " + timeout + "; last: " + last);
  }

  public void send(String text) {
    socket.sendText(text, true).join();
  }

  /** The close code the server sent, waiting up to {@code timeout}. */
  public int closeCode(Duration timeout) throws Exception {
    return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The reason of the server's close frame, waiting up to {@code timeout}. */
  public String closeReason(Duration timeout) throws Exception {
    return closeReason.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          messages.add(JSON.readTree(partial.toString()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(statusCode);
      closeReason.complete(reason);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.completeExceptionally(error);
      closeReason.completeExceptionally(error);
    }
  }
}
