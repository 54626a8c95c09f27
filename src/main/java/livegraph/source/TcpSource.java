package livegraph.source;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import livegraph.Transport;
import livegraph.pipeline.Clock;
import livegraph.source.SourceStatus.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON lines over TCP, one event per line: either a client that connects to host:port and
 * reconnects with jittered backoff when the connection drops, or a server that listens on
 * host:port (port 0 picks a free one, see {@link #boundPort()}) and accepts many producers.
 *
 * <p>Listening accepts at most {@value #MAX_CONNECTIONS} producers at once; a connection beyond
 * that is closed as soon as it is accepted (logged at most once a minute) and the ones already
 * connected carry on. A failed bind is retried with backoff, since the port may be freed.
 *
 * <p>Threads: the connection (or the server socket and every producer's connection) and the
 * retry timer run on one event loop picked from the group at {@link #start}, so all state has a
 * single owner. Lines are cut by {@link TcpLineDecoder} and delivered by {@link TcpLineHandler},
 * which stops reading a connection while the sink is full.
 */
public final class TcpSource extends LineSource {

  /** The most producers a listening source serves at once. */
  static final int MAX_CONNECTIONS = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(TcpSource.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  private static final long CLOSE_WAIT_MILLIS = 3000;
  private static final long REFUSAL_LOG_INTERVAL_MILLIS = 60_000;

  private final String host;
  private final int port;
  private final boolean listen;
  private final EventLoopGroup group;
  private final Clock clock;
  private final long maxWaitMillis;
  private final int maxConnections;
  private final JsonLines lines; // used on the event loop only

  // Written once by start(), before any event loop task of this source runs.
  private volatile EventLoop loop;
  private volatile EventSink sink;
  private volatile int boundPort;

  // Owned by the event loop.
  private final Backoff backoff;
  private Channel current; // the client connection, or the server socket
  private final Set<Channel> producers = new HashSet<>(); // accepted connections (listening)
  private ScheduledFuture<?> pendingRetry;
  private long attempts;
  private long refusedSinceLog;
  private long nextRefusalLogMillis;

  TcpSource(TcpSpec spec, SourceContext context) {
    this(spec, context, JsonLines.MAX_WAIT_MILLIS, MAX_CONNECTIONS);
  }

  /**
   * @param maxWaitMillis how long one event waits for room in a full sink before it is dropped
   * @param maxConnections the most producers served at once when listening
   */
  TcpSource(TcpSpec spec, SourceContext context, long maxWaitMillis, int maxConnections) {
    super(spec.name(), spec.description());
    this.host = spec.host();
    this.port = spec.port();
    this.listen = spec.listen();
    this.group = context.group();
    this.clock = context.clock();
    if (maxWaitMillis < 0) {
      throw new IllegalArgumentException("max wait must not be negative: " + maxWaitMillis);
    }
    this.maxWaitMillis = maxWaitMillis;
    if (maxConnections < 1) {
      throw new IllegalArgumentException("max connections must be positive: " + maxConnections);
    }
    this.maxConnections = maxConnections;
    this.backoff = new Backoff(context.backoffBase(), context.backoffCap(), context.random());
    this.lines = new JsonLines(
        spec.name(), spec.decoding(), context.clock(), counters, LOG, context.demand());
  }

  @Override
  void begin(EventSink sink) {
    this.sink = sink;
    this.loop = group.next();
    try {
      loop.execute(listen ? this::bind : this::connect);
    } catch (RejectedExecutionException e) {
      status.set(State.FAILED, "event loop is shut down");
    }
  }

  /** The port a listening source is bound to (the chosen one for port 0), or 0 until bound. */
  public int boundPort() {
    return boundPort;
  }

  @Override
  void release() {
    ReconnectLoop.closeOn(loop, this::closeOnLoop, CLOSE_WAIT_MILLIS);
  }

  private void closeOnLoop() {
    if (pendingRetry != null) {
      pendingRetry.cancel(false);
      pendingRetry = null;
    }
    if (current != null) {
      current.close();
      current = null;
    }
    for (Channel producer : new ArrayList<>(producers)) {
      producer.close();
    }
    producers.clear();
  }

  // ---- connecting

  private void connect() {
    pendingRetry = null;
    if (isClosed()) {
      return;
    }
    if (attempts++ > 0) {
      counters.reconnect();
    }
    status.set(State.CONNECTING, "connecting to " + host + ":" + port);
    TcpLineHandler handler = newHandler(backoff::reset);
    ChannelFuture connected =
        new Bootstrap()
            .group(loop)
            .channel(Transport.clientChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    addLines(ch, handler);
                  }
                })
            .connect(host, port);
    current = connected.channel();
    connected.addListener(
        (ChannelFuture f) -> {
          if (!f.isSuccess()) {
            retry(f.channel(), ReconnectLoop.describe(f.cause()));
            return;
          }
          status.set(State.LIVE, "connected to " + host + ":" + port);
          // Deferred one task: the handler records an error's reason in the same pipeline
          // event that closes the channel.
          f.channel()
              .closeFuture()
              .addListener(
                  closedFuture ->
                      runOnLoop(() -> retry(f.channel(), handler.closeReason("closed by server"))));
        });
  }

  // ---- listening

  private void bind() {
    pendingRetry = null;
    if (isClosed()) {
      return;
    }
    if (attempts++ > 0) {
      counters.reconnect();
    }
    status.set(State.CONNECTING, "opening " + host + ":" + port);
    ChannelFuture bound =
        new ServerBootstrap()
            .group(loop, loop)
            .channel(Transport.serverChannel())
            .option(ChannelOption.SO_REUSEADDR, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    accepted(ch);
                  }
                })
            .bind(host, port);
    current = bound.channel();
    bound.addListener(
        (ChannelFuture f) -> {
          if (!f.isSuccess()) {
            retry(f.channel(), "cannot listen on " + host + ":" + port + ": "
                + ReconnectLoop.describe(f.cause()));
            return;
          }
          boundPort = ((InetSocketAddress) f.channel().localAddress()).getPort();
          backoff.reset();
          LOG.info("{}: listening on {}:{}", name, host, boundPort);
          listening();
          f.channel()
              .closeFuture()
              .addListener(closedFuture -> runOnLoop(() -> retry(f.channel(), "server socket closed")));
        });
  }

  private void accepted(SocketChannel ch) {
    if (isClosed()) {
      ch.close();
      return;
    }
    if (producers.size() >= maxConnections) {
      ch.close();
      refused();
      return;
    }
    producers.add(ch);
    ch.closeFuture()
        .addListener(
            f -> {
              producers.remove(ch);
              listening();
            });
    addLines(ch, newHandler(() -> {}));
    listening();
  }

  private void listening() {
    if (isClosed() || boundPort == 0) {
      return;
    }
    int n = producers.size();
    status.set(
        State.LIVE,
        "listening on " + host + ":" + boundPort + ", " + n + (n == 1 ? " producer" : " producers"));
  }

  private void refused() {
    refusedSinceLog++;
    long now = clock.millis();
    if (now >= nextRefusalLogMillis) {
      LOG.warn("{}: refused {} connection(s): already serving {} producers, the most allowed",
          name, refusedSinceLog, maxConnections);
      refusedSinceLog = 0;
      nextRefusalLogMillis = now + REFUSAL_LOG_INTERVAL_MILLIS;
    }
  }

  // ---- shared

  private TcpLineHandler newHandler(TcpLineHandler.Listener listener) {
    return new TcpLineHandler(lines, sink, this::isClosed, maxWaitMillis, listener);
  }

  private static void addLines(Channel ch, TcpLineHandler handler) {
    ch.pipeline().addLast(new TcpLineDecoder(), handler);
  }

  /** Called once per attempt, on the event loop, when a connection or bind failed or ended. */
  private void retry(Channel ended, String reason) {
    if (current != ended) {
      return; // closed meanwhile
    }
    current = null;
    if (isClosed()) {
      return;
    }
    long delay = backoff.nextDelayMillis();
    String verb = listen ? "retrying in " : "reconnecting in ";
    String detail = verb + Durations.human(delay) + ": " + reason;
    LOG.warn("{}: {}", name, detail);
    status.set(State.RECONNECTING, detail);
    pendingRetry = loop.schedule(listen ? this::bind : this::connect, delay, TimeUnit.MILLISECONDS);
  }

  private void runOnLoop(Runnable task) {
    if (isClosed()) {
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      status.set(State.FAILED, "event loop is shut down");
    }
  }
}
