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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import livegraph.Transport;
import livegraph.pipeline.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local server that speaks the StackExchange realtime protocol (WebSocket on any path,
 * plain-text subscribe, heartbeats, double-encoded frames) and plays a {@link Feed}.
 *
 * <p>Bound to 127.0.0.1 only. Every client's outbound buffer is bounded by a write-buffer
 * water mark: a client above it misses data frames rather than being buffered for. Faults for
 * tests and demos: {@link #inject(Fault)} plays any {@link Fault}; underneath are {@link
 * #disconnectAll()}, {@link #reset()}, {@link #dataPaused(boolean)}, {@link #hang(boolean)},
 * {@link #heartbeatsPaused(boolean)}, {@link #trickle}, {@link #flood}, and raw {@link
 * #broadcast} and {@link #broadcastBytes}. All methods are safe to call from any thread.
 *
 * <p>Re-sending, for failover tests and demos ({@link Builder#resendRecent}, {@code livegraph
 * emulate --resend-recent}): a real feed loses what it sends while nobody is connected, so a
 * consumer that takes over from a dead one has a gap. With a window, the emulator keeps the
 * feed frames it played in that window (at most {@code maxFrames}; a full ring overwrites its
 * oldest frame) with the time they were played, by {@link Builder#clock}, and a client that
 * subscribes to {@code 155-questions-active} first gets, in order, every kept frame younger
 * than the window, then the live frames, none missed and none twice (see {@link Resender}).
 * The feed then plays from start-up on, whether or not anyone is subscribed. Only feed frames
 * are kept, not frames sent by {@link #broadcast} or faults. Off by default.
 *
 * <p>Oracle: {@link Builder#onDataFrame} sees every feed frame played, subscribers or not, and
 * {@link #framesGenerated()} counts them.
 */
public final class StackExchangeEmulator implements AutoCloseable {

  // Per-client outbound bound: above HIGH the client is unwritable and misses data frames
  // until it drains below LOW. A frame is about 1 KiB, so this is a few hundred frames.
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);
  // Largest frame accepted from a client; subscribe names are short.
  private static final int MAX_CLIENT_FRAME = 64 * 1024;
  private static final int MAX_HANDSHAKE_BYTES = 16 * 1024;
  /** Largest frame a fault sends: above the source's 8 MiB wire limit, yet bounded. */
  public static final int MAX_FAULT_FRAME = 16 << 20;
  /** Most frames one {@link #flood} sends to each client. */
  public static final long MAX_FLOOD_FRAMES = 10_000_000;
  /** What {@link #inject} floods with: frames per client. */
  public static final long INJECTED_FLOOD_FRAMES = 200_000;
  /** Most frames {@link Builder#resendRecent} may keep (its ring is allocated at start). */
  public static final int MAX_RESEND_FRAMES = 1_000_000;

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
    Resender resender = b.feed == null || b.resendWindow.isZero() ? null : new Resender(
        new RecentFrames(b.resendWindow.toMillis(), b.resendMaxFrames), clients, b.clock);
    this.player = b.feed == null
        ? null : new FeedPlayer(b.feed, group.next(), clients, resender, b.onDataFrame);
    long interval = b.heartbeatInterval.toNanos();
    long timeout = (b.heartbeatTimeout != null ? b.heartbeatTimeout : b.heartbeatInterval
        .multipliedBy(2)).toNanos();
    ClientHandler.Active active;
    if (player == null) {
      active = ClientHandler.Active.direct(clients, () -> { });
    } else if (!player.resends()) {
      active = ClientHandler.Active.direct(clients, player::startOnce);
    } else {
      active = new ClientHandler.Active() {
        @Override
        public void subscribe(Channel ch) {
          player.subscribe(ch);
        }

        @Override
        public void unsubscribe(Channel ch) {
          player.unsubscribe(ch);
        }

        @Override
        public void writable(Channel ch) {
          player.writable(ch);
        }
      };
    }

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
                new ClientHandler(clients, active, interval, timeout));
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
    if (player != null && player.resends()) {
      player.startOnce(); // frames played while nobody listens must be there to re-send
    }
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

  /** Feed frames played so far, whether or not anyone was subscribed: the oracle's count. */
  public long framesGenerated() {
    return clients.framesGenerated.sum();
  }

  /**
   * Frames a client catching up on a {@linkplain Builder#resendRecent re-send} never got
   * because the ring overwrote them first (it fell {@code maxFrames} behind).
   */
  public long framesLostInResend() {
    return clients.framesLostInResend.sum();
  }

  /**
   * Subscribers still being sent the {@linkplain Builder#resendRecent recent frames}, not yet
   * live (one whose socket is full waits here until it drains).
   */
  public int resendsInProgress() {
    return player == null ? 0 : player.resendsInProgress();
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

  /**
   * {@code true} pauses the feed itself: no frame is generated, sent or kept until {@code false}
   * (tests use it for a quiet moment with an exact oracle; unlike {@link #dataPaused}, which
   * generates frames and sends them to nobody).
   */
  public void generationPaused(boolean paused) {
    if (player != null) {
      player.generationPaused(paused);
    }
  }

  /** {@code true} stops heartbeats to every client while data frames go on. */
  public void heartbeatsPaused(boolean paused) {
    clients.heartbeatsPaused(paused);
  }

  /** {@code true} makes every connection hang: open, but no data frames and no heartbeats. */
  public void hang(boolean hang) {
    clients.hung(hang);
  }

  /**
   * Resets every client's TCP connection: {@code SO_LINGER} 0, then close, so the kernel sends
   * RST and no close frame; returns how many were reset.
   */
  public int reset() {
    int n = 0;
    for (Channel ch : clients.connected) {
      n++;
      ch.eventLoop().execute(() -> {
        ch.config().setOption(ChannelOption.SO_LINGER, 0);
        // From the first handler: a close through the whole pipeline would make Netty's
        // WebSocket handler send a close frame (1000) first, a clean close and not a reset.
        ch.pipeline().firstContext().close();
      });
    }
    return n;
  }

  /**
   * Sends a text frame (or with {@code binary}, a binary frame) of these exact bytes to every
   * subscribed client, valid UTF-8 or not; returns how many got it, as {@link #broadcast}.
   */
  public int broadcastBytes(byte[] payload, boolean binary) {
    Objects.requireNonNull(payload, "payload");
    frameSize(payload.length);
    return clients.sendData(clients.subscribedAny, payload, binary);
  }

  /**
   * Sends {@code frame} to every subscribed client {@code chunkBytes} bytes at a time, one chunk
   * every {@code interval}; the client gets no other frame (nor heartbeat) until it is whole.
   * Returns how many clients it goes to.
   */
  public int trickle(String frame, int chunkBytes, Duration interval) {
    byte[] payload = Objects.requireNonNull(frame, "frame").getBytes(StandardCharsets.UTF_8);
    frameSize(payload.length);
    if (chunkBytes < 1) {
      throw new IllegalArgumentException("chunkBytes must be positive: " + chunkBytes);
    }
    long nanos = Builder.positive(interval, "interval").toNanos();
    int n = 0;
    for (Channel ch : clients.subscribedAny) {
      n++;
      Trickle.start(ch, ServerFrames.encode(ch.alloc(), ServerFrames.TEXT, payload), chunkBytes,
          nanos);
    }
    return n;
  }

  /**
   * Sends {@code frame} {@code perClient} times to every client subscribed to the active
   * questions, as fast as each socket takes them (see {@link Flood}); returns at once.
   */
  public Flood flood(String frame, long perClient) {
    Objects.requireNonNull(frame, "frame");
    if (perClient < 1 || perClient > MAX_FLOOD_FRAMES) {
      throw new IllegalArgumentException(
          "perClient must be 1.." + MAX_FLOOD_FRAMES + ": " + perClient);
    }
    return Flood.start(frame, perClient, List.copyOf(clients.subscribedActive));
  }

  /**
   * Plays one {@link Fault} to the clients: a state fault lasts until {@link #clearFaults()},
   * the others happen now, with the frames of {@link FaultFrames}.
   */
  public void inject(Fault fault) {
    switch (Objects.requireNonNull(fault, "fault")) {
      case CLOSE -> disconnectAll();
      case RESET -> reset();
      case HANG -> hang(true);
      case HEARTBEATS_ONLY -> dataPaused(true);
      case HEARTBEAT_LOSS -> heartbeatsPaused(true);
      case SLOW_TRICKLE -> trickle(FaultFrames.question("trickle", 1), 16, Duration.ofMillis(50));
      case FLOOD -> flood(FaultFrames.question("flood", 1), INJECTED_FLOOD_FRAMES);
      case MALFORMED_JSON -> FaultFrames.malformedJson().forEach(this::broadcast);
      case WRONG_TYPES -> FaultFrames.wrongTypes().forEach(this::broadcast);
      case OVERSIZED -> broadcast(FaultFrames.oversized());
      case BINARY -> broadcastBytes(FaultFrames.binary(), true);
      case INVALID_UTF8 -> broadcastBytes(FaultFrames.invalidUtf8(), false);
      case DEEP_NESTING -> FaultFrames.deepNesting().forEach(this::broadcast);
    }
  }

  /** Ends every state fault: data and heartbeats flow again. */
  public void clearFaults() {
    hang(false);
    dataPaused(false);
    heartbeatsPaused(false);
  }

  private static void frameSize(int bytes) {
    if (bytes > MAX_FAULT_FRAME) {
      throw new IllegalArgumentException(
          "frame must be at most " + MAX_FAULT_FRAME + " bytes: " + bytes);
    }
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
    private Duration resendWindow = Duration.ZERO; // zero: off
    private int resendMaxFrames;
    private Consumer<String> onDataFrame = frame -> { };
    private Clock clock = Clock.system();

    private Builder() {}

    /**
     * Re-sends to each new {@code 155-questions-active} subscriber the feed frames played in
     * the last {@code window}, at most the newest {@code maxFrames} of them, before the live
     * ones (see the class comment); and plays the feed from start-up on. {@code window} zero
     * turns it off (the default); otherwise {@code maxFrames} must be 1..{@value
     * StackExchangeEmulator#MAX_RESEND_FRAMES}. Has no effect without a {@link #feed}.
     */
    public Builder resendRecent(Duration window, int maxFrames) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative()) {
        throw new IllegalArgumentException("resend window must not be negative: " + window);
      }
      if (!window.isZero() && window.toMillis() == 0) {
        throw new IllegalArgumentException("resend window must be at least 1 ms: " + window);
      }
      if (!window.isZero() && (maxFrames < 1 || maxFrames > MAX_RESEND_FRAMES)) {
        throw new IllegalArgumentException(
            "resend maxFrames must be 1.." + MAX_RESEND_FRAMES + ": " + maxFrames);
      }
      this.resendWindow = window;
      this.resendMaxFrames = maxFrames;
      return this;
    }

    /**
     * Called with every feed frame's text as it is played, in order, on the emulator's feed
     * thread, whether or not anyone is subscribed: the test oracle of what the feed sent. It
     * must be quick; an exception it throws is logged and the feed goes on.
     */
    public Builder onDataFrame(Consumer<String> listener) {
      this.onDataFrame = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Wall clock that dates frames kept for {@link #resendRecent}; default the system's. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

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

    static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }
  }
}
