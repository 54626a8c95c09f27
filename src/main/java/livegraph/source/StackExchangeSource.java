package livegraph.source;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import livegraph.Transport;
import livegraph.pipeline.Clock;
import livegraph.source.SourceStatus.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Source} reading the StackExchange realtime WebSocket feed, or anything speaking its
 * protocol (the local emulator): subscribes, answers heartbeats, decodes questions, and keeps
 * the connection up with jittered exponential backoff and a dead-socket watchdog.
 *
 * <p>Threads: every connection, and the reconnect timer between connections, runs on one event
 * loop picked from the group at {@link #start}, so connection state has a single owner and
 * needs no locks. Counters and the state are readable from any thread. The status listener
 * and raw frame listener run on that event loop and must not block.
 *
 * <pre>{@code
 * Source source = StackExchangeSource.builder(URI.create("ws://127.0.0.1:8081/")).build();
 * source.start(pipeline::offer);
 * }</pre>
 */
public final class StackExchangeSource implements Source {

  /** The real feed; used only when a user asks for live data. */
  public static final URI LIVE_URI = URI.create("wss://qa.sockets.stackexchange.com/");

  /** Active questions across the whole network, what the original page subscribed to. */
  public static final String DEFAULT_CHANNEL = StackExchangeDecoder.DEFAULT_CHANNEL;

  /**
   * The largest frame Netty accepts before closing the connection (1009). Frames between
   * {@link StackExchangeDecoder#MAX_FRAME_BYTES} and this are skipped without disconnecting.
   */
  static final int MAX_WIRE_FRAME_BYTES = 8 << 20;

  private static final Logger LOG = LoggerFactory.getLogger(StackExchangeSource.class);

  private static final int MAX_HANDSHAKE_RESPONSE_BYTES = 64 * 1024;

  private final URI uri;
  private final String host;
  private final int port;
  private final boolean tls;
  private final String description;
  private final String channel;
  private final Clock clock;
  private final Duration silenceTimeout;
  private final Duration connectTimeout;
  private final Consumer<String> rawFrameListener; // may be null
  private final Consumer<SourceStatus> statusListener; // may be null
  private final EventLoopGroup givenGroup; // null: this source creates and owns one

  private final StackExchangeDecoder decoder;
  private final SourceCounters counters = new SourceCounters();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  // Written once by start(), before any event loop task of this source runs.
  private volatile EventLoopGroup group;
  private volatile EventLoop loop;
  private volatile EventSink sink;
  private SslContext sslContext;
  private SkipLog skipLog;

  // Owned by the event loop.
  private final Backoff backoff;
  private Channel current;
  private ScheduledFuture<?> pendingReconnect;
  private long connects;

  // Replaced as a whole so state and detail are always read together.
  private volatile Phase phase;

  private record Phase(State state, String detail) {}

  private StackExchangeSource(Builder b) {
    this.uri = b.uri;
    this.tls = "wss".equals(b.uri.getScheme().toLowerCase(Locale.ROOT));
    this.host = b.uri.getHost();
    this.port = b.uri.getPort() > 0 ? b.uri.getPort() : (tls ? 443 : 80);
    this.description =
        b.description != null ? b.description : "StackExchange feed at " + host + ":" + port;
    this.channel = b.channel;
    this.clock = b.clock;
    this.silenceTimeout = b.silenceTimeout;
    this.connectTimeout = b.connectTimeout;
    this.rawFrameListener = b.rawFrameListener;
    this.statusListener = b.statusListener;
    this.givenGroup = b.group;
    this.decoder = new StackExchangeDecoder(b.channel);
    this.backoff = new Backoff(b.backoffBase, b.backoffCap, b.random);
    this.phase = new Phase(State.CONNECTING, "not started");
  }

  /** A builder for a source reading {@code uri} ({@code ws://} or {@code wss://}). */
  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  @Override
  public void start(EventSink sink) {
    Objects.requireNonNull(sink, "sink");
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("source already started: " + description);
    }
    if (closed.get()) {
      return;
    }
    this.sink = sink;
    this.skipLog = new SkipLog(LOG, description);
    if (tls) {
      try {
        sslContext = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
      } catch (Exception e) {
        setPhase(State.FAILED, "TLS setup failed: " + StackExchangeFrameHandler.describe(e));
        LOG.warn("{}: {}", description, phase.detail());
        return;
      }
    }
    this.group = givenGroup != null ? givenGroup : Transport.group(1, "livegraph-source");
    this.loop = group.next();
    try {
      loop.execute(this::connect);
    } catch (RejectedExecutionException e) {
      setPhase(State.FAILED, "event loop is shut down");
    }
  }

  @Override
  public SourceStatus status() {
    Phase p = phase;
    return counters.status(p.state(), p.detail());
  }

  @Override
  public String description() {
    return description;
  }

  /** Wall-clock time of the last data frame (heartbeats excluded), or 0 before the first. */
  public long lastDataAtMillis() {
    return counters.lastDataAtMillis();
  }

  /** The feed address this source connects to. */
  public URI uri() {
    return uri;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    setPhase(State.CLOSED, "closed");
    EventLoop l = loop;
    if (l == null) {
      return;
    }
    try {
      Future<?> done = l.submit(this::closeOnLoop);
      if (!l.inEventLoop()) {
        done.awaitUninterruptibly(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (RejectedExecutionException e) {
      // The injected group was shut down first, taking the connection with it.
    }
    if (givenGroup == null) {
      // Quiet period 0: the close task above is already queued and runs before shutdown.
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
  }

  private void closeOnLoop() {
    if (pendingReconnect != null) {
      pendingReconnect.cancel(false);
      pendingReconnect = null;
    }
    if (current != null) {
      current.close();
      current = null;
    }
  }

  private void connect() {
    pendingReconnect = null;
    if (closed.get()) {
      return;
    }
    if (connects++ > 0) {
      counters.reconnect();
    }
    setPhase(State.CONNECTING, "connecting to " + host + ":" + port);
    StackExchangeFrameHandler handler = newHandler();
    int connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
    ChannelFuture connected =
        new Bootstrap()
            .group(loop)
            .channel(Transport.clientChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
            .handler(initializer(handler))
            .connect(host, port);
    current = connected.channel();
    connected.addListener(
        (ChannelFuture f) -> {
          if (!f.isSuccess()) {
            ended(f.channel(), "connect failed: " + StackExchangeFrameHandler.describe(f.cause()));
            return;
          }
          // Deferred one task: a decoder may close the channel before the exception that
          // explains why reaches the handler, within the same pipeline event.
          f.channel().closeFuture().addListener(closedFuture -> {
            if (!closed.get()) {
              try {
                loop.execute(() -> ended(f.channel(), handler.closeReason()));
              } catch (RejectedExecutionException e) {
                setPhase(State.FAILED, "event loop was shut down");
              }
            }
          });
        });
  }

  private ChannelInitializer<SocketChannel> initializer(StackExchangeFrameHandler handler) {
    WebSocketClientProtocolConfig config =
        WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .maxFramePayloadLength(MAX_WIRE_FRAME_BYTES)
            .handshakeTimeoutMillis(connectTimeout.toMillis())
            .forceCloseTimeoutMillis(connectTimeout.toMillis())
            .handleCloseFrames(false) // the handler reads the close code for the status line
            .dropPongFrames(true)
            .build();
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (sslContext != null) {
          p.addLast(sslContext.newHandler(ch.alloc(), host, port));
        }
        p.addLast(new HttpClientCodec());
        p.addLast(new HttpObjectAggregator(MAX_HANDSHAKE_RESPONSE_BYTES));
        p.addLast(new WebSocketClientProtocolHandler(config));
        // Bounded like a single frame: a longer fragmented message closes the connection.
        p.addLast(new WebSocketFrameAggregator(MAX_WIRE_FRAME_BYTES));
        p.addLast(handler);
      }
    };
  }

  private StackExchangeFrameHandler newHandler() {
    return new StackExchangeFrameHandler(
        decoder,
        channel,
        silenceTimeout,
        clock,
        sink,
        counters,
        rawFrameListener,
        skipLog,
        new StackExchangeFrameHandler.Listener() {
          @Override
          public void live() {
            setPhase(State.LIVE, "subscribed to " + channel);
          }

          @Override
          public void firstData() {
            backoff.reset();
          }
        });
  }

  /** Called once per connection attempt, on the event loop, when it failed or closed. */
  private void ended(Channel connection, String reason) {
    if (current == connection) {
      current = null;
    }
    if (closed.get()) {
      return;
    }
    long delay = backoff.nextDelayMillis();
    String detail = "reconnecting in " + Durations.human(delay) + ": " + reason;
    // The one log line per failure; backoff limits how often it can appear.
    LOG.warn("{}: {}", description, detail);
    setPhase(State.RECONNECTING, detail);
    pendingReconnect = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  // Synchronized with close(), which may run on any thread, so CLOSED is always the last state.
  private synchronized void setPhase(State state, String detail) {
    if (phase.state() == State.CLOSED || (closed.get() && state != State.CLOSED)) {
      return;
    }
    phase = new Phase(state, detail);
    if (statusListener != null) {
      try {
        statusListener.accept(status());
      } catch (RuntimeException e) {
        LOG.warn("{}: status listener failed: {}", description, e.toString());
      }
    }
  }

  /** Configures a {@link StackExchangeSource}; every setting but the URI has a default. */
  public static final class Builder {

    private final URI uri;
    private String description;
    private String channel = DEFAULT_CHANNEL;
    private Clock clock = Clock.system();
    private Duration silenceTimeout = Duration.ofMinutes(5);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration backoffBase = Duration.ofSeconds(1);
    private Duration backoffCap = Duration.ofSeconds(30);
    private RandomGenerator random = new SplittableRandom();
    private EventLoopGroup group;
    private Consumer<String> rawFrameListener;
    private Consumer<SourceStatus> statusListener;

    private Builder(URI uri) {
      Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("ws") && !scheme.equals("wss")) {
        throw new IllegalArgumentException("uri must be ws:// or wss://: " + uri);
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("uri must name a host: " + uri);
      }
      this.uri = uri;
    }

    /** What this source reads, for people; default "StackExchange feed at host:port". */
    public Builder description(String description) {
      this.description = requireText(description, "description");
      return this;
    }

    /** The channel to subscribe to; default {@value StackExchangeSource#DEFAULT_CHANNEL}. */
    public Builder channel(String channel) {
      this.channel = requireText(channel, "channel");
      return this;
    }

    /** The clock stamping events with their arrival time; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long a connection may deliver no data frame (heartbeats do not count) before it is
     * closed and replaced; default 5 minutes.
     */
    public Builder silenceTimeout(Duration timeout) {
      this.silenceTimeout = requirePositive(timeout, "silence timeout");
      return this;
    }

    /** Limit for the TCP connect and for the WebSocket handshake each; default 10 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = requirePositive(timeout, "connect timeout");
      return this;
    }

    /**
     * Reconnect delays: the ceiling starts at {@code base} and doubles up to {@code cap}; each
     * delay is half the ceiling plus a random part of the other half. Default 1 s and 30 s.
     */
    public Builder backoff(Duration base, Duration cap) {
      requirePositive(base, "backoff base");
      Objects.requireNonNull(cap, "backoff cap");
      if (cap.compareTo(base) < 0) {
        throw new IllegalArgumentException("backoff cap must be at least the base " + base + ": " + cap);
      }
      this.backoffBase = base;
      this.backoffCap = cap;
      return this;
    }

    /** The random source for backoff jitter; used on the event loop only. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The event loop group to run on, owned by the caller. Without one the source creates a
     * one-thread group and shuts it down on {@link #close()}.
     */
    public Builder eventLoopGroup(EventLoopGroup group) {
      this.group = Objects.requireNonNull(group, "group");
      return this;
    }

    /** Receives every raw text frame as it arrived, before decoding (for recording). */
    public Builder rawFrameListener(Consumer<String> listener) {
      this.rawFrameListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Receives the status on every state change. */
    public Builder statusListener(Consumer<SourceStatus> listener) {
      this.statusListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public StackExchangeSource build() {
      return new StackExchangeSource(this);
    }

    private static String requireText(String value, String name) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank: " + value);
      }
      return value;
    }

    private static Duration requirePositive(Duration value, String name) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
