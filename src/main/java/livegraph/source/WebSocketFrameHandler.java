package livegraph.source;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import livegraph.pipeline.Clock;
import livegraph.source.JsonEventDecoder.Decoded;
import livegraph.source.JsonEventDecoder.Heartbeat;
import livegraph.source.JsonEventDecoder.Result;
import livegraph.source.JsonEventDecoder.Skipped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of one upstream WebSocket connection: sends the subscribe messages after
 * the handshake, answers heartbeats, decodes text frames into the sink, and closes a socket
 * that stays silent.
 *
 * <p>One instance per connection. It never reconnects itself: it records why the connection
 * ended ({@link #closeReason()}) and closes it; the source decides what comes next. Every field
 * is owned by the channel's event loop.
 *
 * <p>Dead-socket watchdog: some upstreams deliver heartbeats but never data, so only frames
 * that are not heartbeats count as signs of life.
 */
final class WebSocketFrameHandler extends ChannelInboundHandlerAdapter {

  /** What the handler reports to its source about the connection. */
  interface Listener {
    /** The handshake completed and the subscribe messages were sent. */
    void live();

    /** This connection delivered its first data frame (a heartbeat is not data). */
    void firstData();
  }

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketFrameHandler.class);

  private final List<String> subscribe;
  private final String heartbeatReply; // null: heartbeats are only counted
  private final Map<String, Object> meta;
  private final JsonEventDecoder decoder;
  private final Clock clock;
  private final Delivery delivery;
  private final SourceCounters counters;
  private final Consumer<String> rawFrames; // null when nobody records
  private final Listener listener;
  private final SilenceWatchdog watchdog;

  private ChannelHandlerContext ctx;
  private boolean live; // handshake completed
  private boolean deliveredData;
  private String closeReason; // first specific reason wins; null: none known

  WebSocketFrameHandler(
      WebSocketSpec spec,
      JsonEventDecoder decoder,
      Clock clock,
      Delivery delivery,
      SourceCounters counters,
      Consumer<String> rawFrames,
      Listener listener) {
    this.subscribe = spec.subscribe();
    this.heartbeatReply = spec.heartbeat() == null ? null : spec.heartbeat().reply();
    this.meta = UpstreamFrames.webSocketMeta(spec);
    this.decoder = decoder;
    this.clock = clock;
    this.delivery = delivery;
    this.counters = counters;
    this.rawFrames = rawFrames;
    this.listener = listener;
    this.watchdog = new SilenceWatchdog(spec.silence(), this::silent);
  }

  /** Why the connection ended, for the status line; read once it has closed. */
  String closeReason() {
    if (closeReason != null) {
      return closeReason;
    }
    return live ? "connection lost" : "connection closed during handshake";
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      live = true;
      for (String message : subscribe) {
        ctx.write(new TextWebSocketFrame(message));
      }
      ctx.flush();
      watchdog.start(ctx);
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
        dataArrived(now);
        delivery.skip(SkipReason.BINARY, now);
      } else if (msg instanceof CloseWebSocketFrame close) {
        onClose(ctx, close);
      }
      // Pings are answered and pongs dropped by the protocol handler before this one.
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onText(ChannelHandlerContext ctx, ByteBuf content) {
    // Measured in bytes before decoding, so an oversized frame is never turned into a String
    // unless someone records raw frames; UTF-8 is never shorter in bytes than in chars. The
    // browser build, given strings, applies the same limit (UpstreamFrames.webSocketText).
    boolean oversized = content.readableBytes() > JsonEventDecoder.MAX_CHARS;
    String raw = rawFrames != null || !oversized ? content.toString(StandardCharsets.UTF_8) : null;
    if (!Utf8.valid(raw, content)) {
      // As Netty's validator (turned off in WebSocketSource for speed) did: 1007, then close.
      counters.skipped(SkipReason.INVALID_UTF8);
      recordCloseReason("text frame was not UTF-8");
      ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_PAYLOAD_DATA))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (rawFrames != null) {
      try {
        rawFrames.accept(raw);
      } catch (RuntimeException e) {
        LOG.warn("raw frame listener failed: {}", e.toString());
      }
    }
    long now = clock.millis();
    Result result;
    if (oversized) {
      result = new Skipped(SkipReason.TOO_LARGE);
    } else if (delivery.full()) {
      // A flood: the event would be refused, so read only enough to tell a heartbeat (still
      // answered) and an outer skip from data, which is refused undecoded. Decoding every
      // payload only to drop its event was a third of this thread's time (RELIABILITY.md, flood).
      result = decoder.classify(raw);
      if (result == null) {
        dataArrived(now);
        delivery.refuse();
        return;
      }
    } else {
      result = decoder.decode(raw, meta, now);
    }
    if (result instanceof Heartbeat) {
      counters.heartbeat();
      if (heartbeatReply != null) {
        ctx.writeAndFlush(new TextWebSocketFrame(heartbeatReply));
      }
      return;
    }
    dataArrived(now);
    if (result instanceof Decoded decoded) {
      delivery.deliver(decoded.event());
    } else if (result instanceof Skipped skipped) {
      delivery.skip(skipped.reason(), now);
    }
  }

  private void dataArrived(long nowMillis) {
    watchdog.alive();
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
    watchdog.stop();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Not passed on: the pipeline's tail would log a stack trace. The source logs one line.
    if (cause instanceof TooLongFrameException
        || isCloseStatus(cause, WebSocketCloseStatus.MESSAGE_TOO_BIG)) {
      counters.skipped(SkipReason.TOO_LARGE);
      recordCloseReason("frame too large");
    } else if (isCloseStatus(cause, WebSocketCloseStatus.INVALID_PAYLOAD_DATA)) {
      counters.skipped(SkipReason.INVALID_UTF8);
      recordCloseReason("text frame was not UTF-8");
    } else if (cause instanceof WebSocketHandshakeException) {
      recordCloseReason("handshake failed: " + ReconnectLoop.describe(cause));
    } else {
      recordCloseReason(ReconnectLoop.describe(cause));
    }
    ctx.close();
  }

  private static boolean isCloseStatus(Throwable cause, WebSocketCloseStatus status) {
    return cause instanceof CorruptedWebSocketFrameException corrupted
        && status.equals(corrupted.closeStatus());
  }

  private void silent() {
    recordCloseReason("no data for " + watchdog.limit());
    ctx.close();
  }

  private void recordCloseReason(String reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
  }
}
