package livegraph.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import livegraph.testing.Poll;

/**
 * A Server-Sent Events server on 127.0.0.1 for source tests, on the JDK's own HTTP server: a
 * different implementation from the client's, so the two do not share mistakes. Records each
 * request, answers with scripted responses, and streams what the test sends to the latest
 * stream. Knows nothing of SSE syntax: the test writes the exact bytes. Public for the exported
 * page's browser test, whose EventSource needs {@link #allowAnyOrigin} (CORS).
 */
public final class SseTestServer implements AutoCloseable {

  /** One scripted answer: a status and a Content-Type. */
  record Answer(int status, String contentType) {}

  /** What a client asked for. */
  public record Request(String target, String lastEventId, String accept) {}

  private static final Answer STREAM = new Answer(200, "text/event-stream; charset=utf-8");
  private static final Object END = new Object();

  private final HttpServer server;
  // One thread per open exchange; a test opens a handful. Interrupted on close.
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<BlockingQueue<Object>> streams = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean anyOrigin; // answer every request with Access-Control-Allow-Origin: *

  public SseTestServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The next requests get these answers, in order; after them, event streams. */
  void answerNext(Answer... answers) {
    script.addAll(List.of(answers));
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Event streams opened so far. */
  public int streams() {
    return streams.size();
  }

  /** Writes {@code text} to the latest stream, waiting for one to be open. */
  public void send(String text) {
    Poll.until(java.time.Duration.ofSeconds(10), () -> !streams.isEmpty(), "an open stream");
    streams.get(streams.size() - 1).add(text);
  }

  /** Ends the latest stream cleanly (the last chunk), as a server restart would. */
  public void endStream() {
    streams.get(streams.size() - 1).add(END);
  }

  /**
   * Lets pages of any origin read the streams (a page opened from disk has the origin "null"):
   * every answer carries {@code Access-Control-Allow-Origin: *}.
   */
  public SseTestServer allowAnyOrigin() {
    anyOrigin = true;
    return this;
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.add(new Request(
        exchange.getRequestURI().toString(),
        exchange.getRequestHeaders().getFirst("Last-Event-ID"),
        exchange.getRequestHeaders().getFirst("Accept")));
    Answer answer = script.poll();
    if (answer == null) {
      answer = STREAM;
    }
    if (anyOrigin) {
      exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
    }
    if (answer.contentType() != null) {
      exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    }
    if (answer != STREAM) { // scripted answers have no body
      exchange.sendResponseHeaders(answer.status(), -1);
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(200, 0); // chunked, open-ended
    BlockingQueue<Object> outbox = new LinkedBlockingQueue<>();
    streams.add(outbox);
    try (OutputStream body = exchange.getResponseBody()) {
      body.flush();
      while (true) {
        Object next = outbox.take();
        if (next == END) {
          break;
        }
        body.write(((String) next).getBytes(StandardCharsets.UTF_8));
        body.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException clientGone) {
      // The source closed the connection; nothing to stream to.
    } finally {
      exchange.close();
    }
  }

  /** Stops at once, ending every stream; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
