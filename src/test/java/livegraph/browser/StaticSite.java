package livegraph.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny loopback HTTP server for browser tests: serves in-memory files, or files under a
 * directory, with the same Content-Security-Policy header the livegraph server sends.
 */
final class StaticSite implements AutoCloseable {

  /** The policy the real server sends; the page must work under it. */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
      + "frame-ancestors 'none'";

  private final HttpServer server;
  /** Path to body; written by the test thread, read by the server's dispatcher thread. */
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Path root;

  private StaticSite(HttpServer server, Path root) {
    this.server = server;
    this.root = root;
  }

  /** Starts on 127.0.0.1 and a free port; files under {@code root} (may be null) are served too. */
  static StaticSite start(Path root) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      StaticSite site = new StaticSite(server, root);
      server.createContext("/", site::handle);
      server.start();
      return site;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serves {@code body} at {@code path}; in-memory files win over files under the root. */
  StaticSite put(String path, String body) {
    files.put(path, body.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/")) {
        path = "/index.html";
      }
      byte[] body = files.get(path);
      if (body == null && root != null && !path.contains("..")) {
        Path file = root.resolve(path.substring(1)).normalize();
        if (file.startsWith(root) && Files.isRegularFile(file)) {
          body = Files.readAllBytes(file);
        }
      }
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", contentType(path));
      exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static String contentType(String path) {
    if (path.endsWith(".html")) {
      return "text/html; charset=utf-8";
    } else if (path.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    } else if (path.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    return "application/octet-stream";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
