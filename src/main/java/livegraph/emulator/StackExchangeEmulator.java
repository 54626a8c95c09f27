package livegraph.emulator;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import livegraph.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local server that speaks the StackExchange realtime protocol (WebSocket on any path,
 * plain-text subscribe, heartbeats, double-encoded frames) and plays a {@link Feed}.
 *
 * <p>Bound to 127.0.0.1 only. Every client's outbound buffer is bounded by a write-buffer
 * water mark: a client above it misses data frames rather than being buffered for. Faults for
 * tests: {@link #disconnectAll()}, {@link #dataPaused(boolean)}, and raw {@link #broadcast}.
 * All methods are safe to call from any thread.
 */
public final class StackExchangeEmulator implements AutoCloseable {

  // Per-client outbound bound: above HIGH the client is unwritable and misses data frames
  // until it drains below LOW. A frame is about 1 KiB, so this is a few hundred frames.
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);
  // Largest frame accepted from a client; subscribe names are short.
  private static final int MAX_CLIENT_FRAME = 64 * 1024;
  private static final int MAX_HANDSHAKE_BYTES = 16 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(StackExchangeEmulator.class);

  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final Clients clients;
  private final FeedPlayer player; // null without a feed
  private final Channel server;
  private final int port;

  private StackExchangeEmulator(Builder b, int requestedPort) {
    this.ownsGroup = b.group == null;
    this.group = ownsGroup ? Transport.group(1, "se-emulator") : b.group;
    this.clients = new Clients();
    this.player = b.feed == null ? null : new FeedPlayer(b.feed, group.next(), clients);
    long interval = b.heartbeatInterval.toNanos();
    long timeout = (b.heartbeatTimeout != null ? b.heartbeatTimeout : b.heartbeatInterval
        .multipliedBy(2)).toNanos();
    Runnable onActiveSubscriber = player == null ? () -> { } : player::startOnce;

    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(Transport.serverChannel())
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(
                new HttpServerCodec(),
                new HttpObjectAggregator(MAX_HANDSHAKE_BYTES),
                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                    .websocketPath("/")
                    .checkStartsWith(true) // every path starts with "/": accept any path
                    .handleCloseFrames(false) // ClientHandler answers closes, once (see there)
                    .maxFramePayloadLength(MAX_CLIENT_FRAME)
                    .build()),
                new ClientHandler(clients, onActiveSubscriber, interval, timeout));
          }
        });
    ChannelFuture bind = bootstrap.bind(new InetSocketAddress("127.0.0.1", requestedPort))
        .awaitUninterruptibly();
    if (!bind.isSuccess()) {
      if (ownsGroup) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
      Throwable cause = bind.cause();
      throw new IllegalStateException("StackExchange emulator cannot listen on 127.0.0.1:"
          + requestedPort + ": " + (cause == null ? "unknown" : cause.getMessage()), cause);
    }
    this.server = bind.channel();
    this.port = ((InetSocketAddress) server.localAddress()).getPort();
    LOG.info("StackExchange emulator on ws://127.0.0.1:{}/ ({}, heartbeat {} ms)", port,
        Transport.name(), TimeUnit.NANOSECONDS.toMillis(interval));
  }

  public static Builder builder() {
    return new Builder();
  }

  public int port() {
    return port;
  }

  /** {@code ws://127.0.0.1:<port>/}. */
  public URI uri() {
    return URI.create("ws://127.0.0.1:" + port + "/");
  }

  /**
   * Sends this exact text frame to every client subscribed to any channel; returns how many
   * got it (slow clients are skipped; none while data is paused).
   */
  public int broadcast(String rawFrame) {
    Objects.requireNonNull(rawFrame, "rawFrame");
    return clients.sendData(clients.subscribedAny, rawFrame);
  }

  /** Clients whose WebSocket handshake completed and which are still open. */
  public int connectedClients() {
    return clients.connected.size();
  }

  /** Open clients subscribed to at least one channel. */
  public int subscribedClients() {
    return clients.subscribedAny.size();
  }

  /** Subscribe frames ever received, from all clients (unsubscribes not counted). */
  public long subscribeMessagesReceived() {
    return clients.subscribeMessages.sum();
  }

  public long heartbeatRepliesReceived() {
    return clients.heartbeatReplies.sum();
  }

  public long clientsDroppedForMissedHeartbeats() {
    return clients.droppedForMissedHeartbeats.sum();
  }

  /** Data frames (not heartbeats) handed to client sockets, summed over clients. */
  public long framesSent() {
    return clients.framesSent.sum();
  }

  /** Data frames not sent to a client because its outbound buffer was full. */
  public long framesSkippedForSlowClients() {
    return clients.framesSkippedSlow.sum();
  }

  /** Closes every client with WebSocket close 1001 (going away), as a server restart would. */
  public void disconnectAll() {
    for (Channel ch : clients.connected) {
      ChannelHandlerContext ctx = ch.pipeline().context(ClientHandler.class);
      if (ctx != null) {
        ch.eventLoop().execute(() -> ((ClientHandler) ctx.handler()).goAway(ctx));
      }
    }
  }

  /** {@code true} makes every socket "dead": heartbeats go on, data frames are not sent. */
  public void dataPaused(boolean paused) {
    clients.dataPaused(paused);
  }

  /** Stops the feed, closes the listener and every client, and shuts down an owned group. */
  @Override
  public void close() {
    if (player != null) {
      player.stop();
    }
    server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    clients.connected.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (ownsGroup) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  /** Settings for {@link StackExchangeEmulator}; {@link #start(int)} binds and starts it. */
  public static final class Builder {

    private Duration heartbeatInterval = Duration.ofSeconds(30);
    private Duration heartbeatTimeout; // null: twice the interval
    private Feed feed;
    private EventLoopGroup group;

    private Builder() {}

    /** How often every client gets {@code {"action":"hb","data":"hb"}}; default 30 s. */
    public Builder heartbeatInterval(Duration d) {
      heartbeatInterval = positive(d, "heartbeatInterval");
      return this;
    }

    /** How long a client may take to answer a heartbeat before it is dropped; default 2 x interval. */
    public Builder heartbeatTimeout(Duration d) {
      heartbeatTimeout = positive(d, "heartbeatTimeout");
      return this;
    }

    /** What to play to {@code 155-questions-active} subscribers; default none. */
    public Builder feed(Feed feed) {
      this.feed = Objects.requireNonNull(feed, "feed");
      return this;
    }

    /** The event loops to run on (not shut down by close); default: an own one-thread group. */
    public Builder group(EventLoopGroup g) {
      this.group = Objects.requireNonNull(g, "group");
      return this;
    }

    /** Binds 127.0.0.1:{@code port} (0 = any free port) and starts; throws if it cannot bind. */
    public StackExchangeEmulator start(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535: " + port);
      }
      return new StackExchangeEmulator(this, port);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }
  }
}
