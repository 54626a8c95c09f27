package livegraph.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import livegraph.Transport;
import livegraph.hub.Hub;

/**
 * The viewers' server: the page and its assets over HTTP, one live socket per dashboard
 * ({@code /d/NAME/ws}, and {@code /ws} for the first), the dashboard listing and {@code
 * /healthz}; see {@link Routes} for the paths.
 *
 * <p>Each viewer's outbound queue is its channel's write buffer, bounded by water marks: above
 * {@link #HIGH_WATER} bytes the channel reports unwritable and the hub stops sending to it (see
 * {@link Hub}); below {@link #LOW_WATER} it is writable again. Requests are limited to
 * {@link #MAX_REQUEST} bytes and client WebSocket messages to {@link #MAX_CLIENT_FRAME}.
 */
public final class ViewerServer implements AutoCloseable {

  static final int LOW_WATER = 256 * 1024;
  static final int HIGH_WATER = 1024 * 1024;
  static final int MAX_REQUEST = 16 * 1024;
  static final int MAX_CLIENT_FRAME = 4 * 1024;

  private final Dashboards dashboards;
  private final Supplier<byte[]> health;
  private final Supplier<byte[]> metrics; // null: no /metrics
  private final Set<String> allowedOrigins;
  private final EventLoopGroup group;
  private final LongAdder badMessages = new LongAdder();
  private final WriteLanes lanes = new WriteLanes();
  private final ViewerCloses closes = new ViewerCloses();
  private ViewerSecurity security = ViewerSecurity.NONE; // set before start
  private OriginCheck origins; // set at start
  private TokenCheck tokens; // set at start; null without a token
  private Channel serverChannel;

  /**
   * @param dashboards what to show; asked on every request, on an event loop
   * @param health renders the {@code /healthz} JSON; called on an event loop
   * @param allowedOrigins origins besides this server's own whose pages may open a socket
   */
  public ViewerServer(
      Dashboards dashboards,
      Supplier<byte[]> health,
      Set<String> allowedOrigins,
      EventLoopGroup group) {
    this(dashboards, health, null, allowedOrigins, group);
  }

  /**
   * @param metrics renders {@code /metrics} in the Prometheus text format 0.0.4; called on an
   *     event loop; null answers {@code /metrics} with 404
   */
  public ViewerServer(
      Dashboards dashboards,
      Supplier<byte[]> health,
      Supplier<byte[]> metrics,
      Set<String> allowedOrigins,
      EventLoopGroup group) {
    this.dashboards = dashboards;
    this.health = health;
    this.metrics = metrics;
    this.allowedOrigins = Set.copyOf(allowedOrigins);
    this.group = group;
  }

  /** One dashboard, named "default": its page at {@code /} and {@code /d/default/}. */
  public ViewerServer(
      Hub hub, Supplier<byte[]> health, Set<String> allowedOrigins, EventLoopGroup group) {
    this(Dashboards.single("default", "livegraph", hub), health, allowedOrigins, group);
  }

  /** Requires a token and/or serves TLS from now on; call before {@link #start}. */
  public ViewerServer withSecurity(ViewerSecurity security) {
    this.security = java.util.Objects.requireNonNull(security, "security");
    return this;
  }

  /** Binds {@code host:port} (port 0 = any free port) and returns once listening. */
  public ViewerServer start(String host, int port) throws InterruptedException {
    StaticAssets assets = StaticAssets.load("web");
    origins = new OriginCheck(allowedOrigins, security.tls());
    tokens = security.tokenRequired() ? new TokenCheck(security.token()) : null;
    HttpHandler http =
        new HttpHandler(dashboards, origins, assets, health, metrics, tokens, security);
    SslContext tls = security.sslContext();
    // HttpHandler passes on only handshakes to a dashboard's socket, so the protocol handler
    // may take every request that reaches it ("/" with startsWith matches any path).
    WebSocketServerProtocolConfig ws =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath("/")
            .checkStartsWith(true)
            .maxFramePayloadLength(MAX_CLIENT_FRAME)
            .handshakeTimeoutMillis(10_000)
            .build();
    serverChannel =
        new ServerBootstrap()
            .group(group)
            .channel(Transport.serverChannel())
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(LOW_WATER, HIGH_WATER))
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ChannelPipeline p = ch.pipeline();
                    if (tls != null) {
                      p.addLast(tls.newHandler(ch.alloc()));
                    }
                    p.addLast(new HttpServerCodec());
                    p.addLast(new HttpObjectAggregator(MAX_REQUEST));
                    p.addLast(http);
                    p.addLast(new WebSocketServerProtocolHandler(ws));
                    p.addLast(new ViewerHandler(badMessages, lanes, closes));
                  }
                })
            .bind(host, port)
            .sync()
            .channel();
    return this;
  }

  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** WebSocket handshakes refused (403) for their Origin, since start. */
  public long refusedOrigins() {
    return origins == null ? 0 : origins.refused();
  }

  /** Requests refused (401) for a missing or wrong token, since start; 0 without a token. */
  public long refusedTokens() {
    return tokens == null ? 0 : tokens.refused();
  }

  /** Client messages refused as invalid or over the rate limit, since start. */
  public long badClientMessages() {
    return badMessages.sum();
  }

  /** Viewers closed by the server, or lost abruptly, by reason, since start. */
  public ViewerCloses closes() {
    return closes;
  }

  /** Stops accepting and closes the listening socket; viewers are closed with the group. */
  @Override
  public void close() {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
  }
}
