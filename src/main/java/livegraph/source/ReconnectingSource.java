package livegraph.source;

import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The lifecycle the stream sources on a {@link ReconnectLoop} share: the URL's host, port and
 * TLS, start (once), status, close, and the {@link Delivery} their handlers hand events to.
 * Subclasses say only what one connection attempt is.
 *
 * <p>Threads: see {@link ReconnectLoop}.
 */
abstract sealed class ReconnectingSource implements Source permits SseSource, WebSocketSource {

  private final String name;
  private final String description;
  private final String host;
  private final int port;
  private final boolean tls;
  private final Logger log;
  private final AtomicBoolean started = new AtomicBoolean();
  final SourceCounters counters = new SourceCounters();
  final ReconnectLoop loop;

  // Written once by start(), before any event loop task of this source runs.
  private Delivery delivery;
  private SslContext sslContext;

  /**
   * @param tlsScheme the URL scheme that means TLS ({@code https}, {@code wss})
   * @param logAddress whether log lines name the source by host:port rather than description
   */
  ReconnectingSource(
      String name,
      String description,
      URI url,
      String tlsScheme,
      boolean logAddress,
      SourceContext context,
      Consumer<SourceStatus> statusListener,
      Logger log) {
    this.name = name;
    this.description = description;
    this.tls = tlsScheme.equals(url.getScheme().toLowerCase(Locale.ROOT));
    this.host = url.getHost();
    this.port = url.getPort() > 0 ? url.getPort() : (tls ? 443 : 80);
    this.log = log;
    String logged = logAddress ? host + ":" + port : description;
    this.loop =
        new ReconnectLoop(
            "source " + name + " (" + logged + ")", host, port, context, counters, statusListener, log);
  }

  /** A new connection attempt; called on the event loop before each connect. */
  abstract ReconnectLoop.Attempt attempt();

  @Override
  public final void start(EventSink sink) {
    Objects.requireNonNull(sink, "sink");
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("source already started: " + name);
    }
    if (loop.isClosed()) {
      return;
    }
    delivery = new Delivery(sink, counters, log, "source " + name);
    if (tls) {
      try {
        sslContext = ReconnectLoop.clientTls();
      } catch (Exception e) {
        loop.fail("TLS setup failed: " + ReconnectLoop.describe(e));
        return;
      }
    }
    loop.start(this::attempt);
  }

  @Override
  public final SourceStatus status() {
    return loop.status();
  }

  /** What the spec describes: host and port, and for SSE the path. */
  @Override
  public final String description() {
    return description;
  }

  @Override
  public final void close() {
    loop.close();
  }

  /** Where the handlers deliver; set by {@link #start} before the first attempt. */
  final Delivery delivery() {
    return delivery;
  }

  /** Adds the TLS handler first in {@code ch}'s pipeline when the URL asks for TLS. */
  final void addTls(SocketChannel ch) {
    if (sslContext != null) {
      ch.pipeline().addLast(sslContext.newHandler(ch.alloc(), host, port));
    }
  }
}
