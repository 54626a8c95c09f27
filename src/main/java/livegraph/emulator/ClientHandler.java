package livegraph.emulator;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One emulator client: reads its subscribe, unsubscribe and heartbeat-reply frames, sends it
 * heartbeats, and drops it when it stops answering them.
 *
 * <p>Close frames are handled here, not by Netty's protocol handler (the emulator sets {@code
 * handleCloseFrames(false)}): Netty answers every close it reads, also the client's answer to a
 * close the emulator sent first, and a browser fails a socket that gets a second close ("Close
 * received after close"). Here a client's close is answered only when the client started it.
 *
 * <p>All fields are owned by the channel's event loop.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {

  // Channels per client; a client asking for more is ignored (counted), so its set is bounded.
  static final int MAX_CHANNELS = 64;
  static final int MAX_CHANNEL_NAME = 200;
  // How long a dropped client gets to read its close frame before the socket is cut.
  private static final long CLOSE_GRACE_MILLIS = 1000;
  private static final long NOT_WAITING = Long.MIN_VALUE;

  private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);

  private final Clients clients;
  private final Active active;
  private final long heartbeatIntervalNanos;
  private final long heartbeatTimeoutNanos;
  private final Set<String> channels = new HashSet<>();
  private ScheduledFuture<?> heartbeats;
  // When the oldest unanswered heartbeat was sent (the loop's ticker), or NOT_WAITING.
  private long waitingSince = NOT_WAITING;
  private boolean dropped;
  private boolean closeSent; // this side sent its close frame; the client's next close ends it

  /** Where a client's subscription to the active questions goes; called on its event loop. */
  interface Active {
    void subscribe(Channel ch);

    void unsubscribe(Channel ch);

    /** {@code ch}, subscribed, became writable again. */
    default void writable(Channel ch) { }

    /** Joins {@link Clients#subscribedActive} at once and runs {@code onSubscribe}. */
    static Active direct(Clients clients, Runnable onSubscribe) {
      return new Active() {
        @Override
        public void subscribe(Channel ch) {
          clients.subscribedActive.add(ch);
          onSubscribe.run();
        }

        @Override
        public void unsubscribe(Channel ch) {
          clients.subscribedActive.remove(ch);
        }
      };
    }
  }

  ClientHandler(Clients clients, Runnable onActiveSubscriber, long heartbeatIntervalNanos,
                long heartbeatTimeoutNanos) {
    this(clients, Active.direct(clients, onActiveSubscriber), heartbeatIntervalNanos,
        heartbeatTimeoutNanos);
  }

  ClientHandler(Clients clients, Active active, long heartbeatIntervalNanos,
                long heartbeatTimeoutNanos) {
    this.clients = clients;
    this.active = active;
    this.heartbeatIntervalNanos = heartbeatIntervalNanos;
    this.heartbeatTimeoutNanos = heartbeatTimeoutNanos;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
      clients.connected.add(ctx.channel());
      heartbeats = ctx.executor().scheduleAtFixedRate(() -> heartbeat(ctx),
          heartbeatIntervalNanos, heartbeatIntervalNanos, TimeUnit.NANOSECONDS);
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (heartbeats != null) {
      heartbeats.cancel(false);
    }
    if (channels.remove(Frames.ACTIVE_CHANNEL)) {
      active.unsubscribe(ctx.channel()); // a re-send in progress must not wait for it
    }
    super.channelInactive(ctx);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable() && channels.contains(Frames.ACTIVE_CHANNEL)) {
      active.writable(ctx.channel());
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof TextWebSocketFrame text) {
        onText(ctx, text.text());
      } else if (msg instanceof CloseWebSocketFrame close) {
        onClose(ctx, close);
      } else {
        clients.messagesIgnored.increment(); // binary or continuation frames mean nothing here
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A client's broken socket is its own problem: close it quietly.
    LOG.debug("emulator client {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  private void onClose(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
    if (closeSent) {
      ctx.close(); // the client's answer to ours: the closing handshake is complete
      return;
    }
    closeSent = true;
    int code = close.statusCode();
    ctx.writeAndFlush(code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, null))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * Closes the connection with 1001 (going away), as a server restart would; on the channel's
   * event loop.
   */
  void goAway(ChannelHandlerContext ctx) {
    if (closeSent || !ctx.channel().isActive()) {
      return;
    }
    closeSent = true;
    ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private void onText(ChannelHandlerContext ctx, String raw) {
    String text = raw.strip();
    if (text.equals("hb") || text.equals("pong") || Frames.isHeartbeat(text)) {
      clients.heartbeatReplies.increment();
      waitingSince = NOT_WAITING;
      return;
    }
    if (text.isEmpty() || text.length() > MAX_CHANNEL_NAME || text.equals("-")
        || text.chars().anyMatch(Character::isWhitespace)) {
      clients.messagesIgnored.increment();
      return;
    }
    if (text.startsWith("-")) {
      unsubscribe(ctx, text.substring(1));
    } else {
      subscribe(ctx, text);
    }
  }

  private void subscribe(ChannelHandlerContext ctx, String channel) {
    clients.subscribeMessages.increment();
    if (!channels.contains(channel) && channels.size() >= MAX_CHANNELS) {
      clients.messagesIgnored.increment();
      return;
    }
    boolean added = channels.add(channel);
    clients.subscribedAny.add(ctx.channel());
    if (added && channel.equals(Frames.ACTIVE_CHANNEL)) {
      active.subscribe(ctx.channel());
    }
  }

  private void unsubscribe(ChannelHandlerContext ctx, String channel) {
    if (!channels.remove(channel)) {
      return;
    }
    if (channel.equals(Frames.ACTIVE_CHANNEL)) {
      active.unsubscribe(ctx.channel());
    }
    if (channels.isEmpty()) {
      clients.subscribedAny.remove(ctx.channel());
    }
  }

  private void heartbeat(ChannelHandlerContext ctx) {
    if (dropped || !ctx.channel().isActive()) {
      return;
    }
    // A client that reads nothing stops being writable; its heartbeats are skipped so its
    // buffer stays bounded, and it is then dropped for not answering.
    if (!clients.heartbeatsFlow() || Clients.trickling(ctx.channel())) {
      // A fault, or a frame half sent: nothing goes out, so no answer is waited for.
      return;
    }
    if (ctx.channel().isWritable()) {
      ctx.writeAndFlush(new TextWebSocketFrame(Frames.HEARTBEAT), ctx.voidPromise());
    }
    if (waitingSince == NOT_WAITING) {
      waitingSince = ctx.executor().ticker().nanoTime();
      ctx.executor().schedule(() -> checkAnswered(ctx), heartbeatTimeoutNanos,
          TimeUnit.NANOSECONDS);
    }
  }

  private void checkAnswered(ChannelHandlerContext ctx) {
    if (dropped || waitingSince == NOT_WAITING) {
      return;
    }
    long waited = ctx.executor().ticker().nanoTime() - waitingSince;
    if (waited < heartbeatTimeoutNanos) {
      // Answered, then a newer heartbeat started a new wait; its own check comes later.
      return;
    }
    dropped = true;
    clients.droppedForMissedHeartbeats.increment();
    LOG.debug("emulator client {} missed its heartbeat, dropping", ctx.channel().remoteAddress());
    goAway(ctx);
    ctx.executor().schedule(() -> ctx.channel().close(), CLOSE_GRACE_MILLIS,
        TimeUnit.MILLISECONDS);
  }
}
