package livegraph.source;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import livegraph.pipeline.Clock;
import livegraph.pipeline.Event;
import livegraph.source.StackExchangeDecoder.Heartbeat;
import livegraph.source.StackExchangeDecoder.Question;
import livegraph.source.StackExchangeDecoder.Result;
import livegraph.source.StackExchangeDecoder.Skipped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of one upstream WebSocket connection: subscribes after the handshake,
 * answers heartbeats, decodes frames into the sink, and closes a socket that stays silent.
 *
 * <p>One instance per connection. It never reconnects itself: it records why the connection
 * ended ({@link #closeReason()}) and closes it; the source decides what comes next. Every field
 * is owned by the channel's event loop.
 *
 * <p>Dead-socket watchdog: some upstream connections deliver heartbeats but never data, so
 * only non-heartbeat frames count as signs of life. The check runs on the event loop's ticker
 * and reschedules itself for the remaining time, so it costs nothing per frame.
 */
final class StackExchangeFrameHandler extends ChannelInboundHandlerAdapter {

  /** What the handler reports to its source about the connection. */
  interface Listener {
    /** The handshake completed and the subscription was sent. */
    void live();

    /** This connection delivered its first data frame (a heartbeat is not data). */
    void firstData();
  }

  private static final Logger LOG = LoggerFactory.getLogger(StackExchangeFrameHandler.class);

  private static final String HEARTBEAT_REPLY = "hb";

  private final StackExchangeDecoder decoder;
  private final String channel;
  private final long silenceNanos;
  private final Clock clock;
  private final EventSink sink;
  private final SourceCounters counters;
  private final Consumer<String> rawFrames; // null when nobody records
  private final SkipLog skipLog;
  private final Listener listener;

  private boolean live; // handshake completed
  private boolean deliveredData;
  private long lastDataNanos; // event loop ticker time of the last data frame or of going live
  private ScheduledFuture<?> watchdog;
  private String closeReason; // first specific reason wins; null: none known

  StackExchangeFrameHandler(
      StackExchangeDecoder decoder,
      String channel,
      Duration silenceTimeout,
      Clock clock,
      EventSink sink,
      SourceCounters counters,
      Consumer<String> rawFrames,
      SkipLog skipLog,
      Listener listener) {
    this.decoder = decoder;
    this.channel = channel;
    this.silenceNanos = silenceTimeout.toNanos();
    this.clock = clock;
    this.sink = sink;
    this.counters = counters;
    this.rawFrames = rawFrames;
    this.skipLog = skipLog;
    this.listener = listener;
  }

  /** Why the connection ended, for the status line; read once it has closed. */
  String closeReason() {
    if (closeReason != null) {
      return closeReason;
    }
    return live ? "connection lost" : "connection closed during handshake";
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      live = true;
      ctx.writeAndFlush(new TextWebSocketFrame(channel));
      lastDataNanos = now(ctx);
      scheduleWatchdog(ctx, silenceNanos);
      listener.live();
    } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      recordCloseReason("handshake timed out");
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof TextWebSocketFrame text) {
        onText(ctx, text.content());
      } else if (msg instanceof BinaryWebSocketFrame) {
        long now = clock.millis();
        dataArrived(ctx, now);
        skip(SkipReason.BINARY, now);
      } else if (msg instanceof CloseWebSocketFrame close) {
        onClose(ctx, close);
      }
      // Pings are answered and pongs dropped by the protocol handler before this one.
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onText(ChannelHandlerContext ctx, ByteBuf content) {
    boolean oversized = content.readableBytes() > StackExchangeDecoder.MAX_FRAME_BYTES;
    // An oversized frame is only turned into a String when someone records raw frames.
    String raw = rawFrames != null || !oversized ? content.toString(StandardCharsets.UTF_8) : null;
    if (rawFrames != null) {
      try {
        rawFrames.accept(raw);
      } catch (RuntimeException e) {
        LOG.warn("raw frame listener failed: {}", e.toString());
      }
    }
    long now = clock.millis();
    Result result =
        oversized
            ? StackExchangeDecoder.skipped(SkipReason.TOO_LARGE)
            : decoder.decode(raw, now);
    if (result instanceof Heartbeat) {
      counters.heartbeat();
      ctx.writeAndFlush(new TextWebSocketFrame(HEARTBEAT_REPLY));
      return;
    }
    dataArrived(ctx, now);
    if (result instanceof Question question) {
      deliver(question.event());
    } else if (result instanceof Skipped skipped) {
      skip(skipped.reason(), now);
    }
  }

  private void deliver(Event event) {
    boolean taken;
    try {
      taken = sink.offer(event);
    } catch (RuntimeException e) {
      // A failing sink must not tear down the upstream connection; the event is lost.
      LOG.warn("event sink failed: {}", e.toString());
      taken = false;
    }
    if (taken) {
      counters.event();
    } else {
      counters.dropped();
    }
  }

  private void skip(SkipReason reason, long nowMillis) {
    counters.skipped(reason);
    skipLog.skipped(reason, nowMillis);
  }

  private void dataArrived(ChannelHandlerContext ctx, long nowMillis) {
    lastDataNanos = now(ctx);
    counters.dataAt(nowMillis);
    if (!deliveredData) {
      deliveredData = true;
      listener.firstData();
    }
  }

  private void onClose(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
    // Only the code: the reason text is free-form outside input.
    int code = close.statusCode();
    recordCloseReason("connection closed by server" + (code < 0 ? "" : " (" + code + ")"));
    // The protocol handler answers with its own close frame before closing the socket.
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (watchdog != null) {
      watchdog.cancel(false);
      watchdog = null;
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Not passed on: the pipeline's tail would log a stack trace. The source logs one line.
    if (cause instanceof TooLongFrameException || isCloseStatus(cause, WebSocketCloseStatus.MESSAGE_TOO_BIG)) {
      counters.skipped(SkipReason.TOO_LARGE);
      recordCloseReason("frame too large");
    } else if (isCloseStatus(cause, WebSocketCloseStatus.INVALID_PAYLOAD_DATA)) {
      counters.skipped(SkipReason.NOT_JSON);
      recordCloseReason("text frame was not UTF-8");
    } else if (cause instanceof WebSocketHandshakeException) {
      recordCloseReason("handshake failed: " + describe(cause));
    } else {
      recordCloseReason(describe(cause));
    }
    ctx.close();
  }

  private static boolean isCloseStatus(Throwable cause, WebSocketCloseStatus status) {
    return cause instanceof CorruptedWebSocketFrameException corrupted
        && status.equals(corrupted.closeStatus());
  }

  /** A one-line description of a failure, without a stack trace. */
  static String describe(Throwable cause) {
    if (cause instanceof ConnectTimeoutException) {
      return "connect timed out";
    }
    String message = cause.getMessage();
    if (cause instanceof ConnectException && message != null && message.contains("refused")) {
      return "connection refused"; // epoll prefixes the syscall and errno
    }
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }

  private void recordCloseReason(String reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
  }

  private void scheduleWatchdog(ChannelHandlerContext ctx, long delayNanos) {
    watchdog = ctx.executor().schedule(() -> checkSilence(ctx), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void checkSilence(ChannelHandlerContext ctx) {
    watchdog = null;
    if (!ctx.channel().isActive()) {
      return;
    }
    long silentFor = now(ctx) - lastDataNanos;
    if (silentFor < silenceNanos) {
      scheduleWatchdog(ctx, silenceNanos - silentFor);
      return;
    }
    recordCloseReason("no data for " + Durations.human(TimeUnit.NANOSECONDS.toMillis(silenceNanos)));
    ctx.close();
  }

  private static long now(ChannelHandlerContext ctx) {
    return ctx.executor().ticker().nanoTime();
  }
}
