package livegraph.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;
import livegraph.hub.Hub;

/**
 * One viewer's WebSocket after the handshake: joins its dashboard's hub (the channel's {@link
 * #HUB} attribute, set by {@link HttpHandler} from the socket's path), answers {@code resume},
 * leaves.
 *
 * <p>Client messages are validated; a bad one gets an {@code error} message naming what was
 * wrong and is counted. A viewer that sends more than {@link #MAX_BAD} bad messages, or more
 * than {@link #MAX_PER_SECOND} messages in a second, is closed with 1008 (policy violation);
 * a binary frame is closed with 1003 (unsupported data). Frames over the protocol handler's
 * size limit are closed with 1009 before they get here. State: one instance per channel, used
 * only on that channel's event loop.
 */
final class ViewerHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

  static final int MAX_BAD = 10;
  static final int MAX_PER_SECOND = 20;

  /** The hub a socket joins; set before the handshake, read once it completes. */
  static final AttributeKey<Hub> HUB = AttributeKey.valueOf("livegraph.hub");

  private final LongAdder badMessages;
  private Hub hub; // event loop only; set at the handshake
  private ChannelViewer viewer; // event loop only
  private int bad; // event loop only
  private long windowStartNanos; // event loop only
  private int inWindow; // event loop only

  ViewerHandler(LongAdder badMessages) {
    this.badMessages = badMessages;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
      hub = ctx.channel().attr(HUB).get();
      if (hub == null) { // only HttpHandler lets a handshake through, and it sets the hub
        ctx.close();
        return;
      }
      viewer = new ChannelViewer(ctx.channel());
      hub.join(viewer, resumeFrom(handshake.requestUri()));
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  /** {@code /ws?resume=N}: the last seq a reconnecting page saw; anything else means none. */
  static OptionalLong resumeFrom(String uri) {
    List<String> values = new QueryStringDecoder(uri).parameters().get("resume");
    if (values == null || values.size() != 1) {
      return OptionalLong.empty();
    }
    try {
      long seq = Long.parseLong(values.get(0));
      return seq < 0 ? OptionalLong.empty() : OptionalLong.of(seq);
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (viewer == null) {
      return;
    }
    if (!(frame instanceof TextWebSocketFrame text)) {
      viewer.close(1003, "text frames only");
      return;
    }
    long now = System.nanoTime();
    if (now - windowStartNanos > 1_000_000_000L) {
      windowStartNanos = now;
      inWindow = 0;
    }
    if (++inWindow > MAX_PER_SECOND) {
      badMessages.increment();
      hub.leave(viewer);
      viewer.close(1008, "too many messages");
      return;
    }
    ClientMessage message = ClientMessage.parse(text.text());
    if (message instanceof ClientMessage.Resume resume) {
      hub.resume(viewer, resume.seq());
    } else if (message instanceof ClientMessage.Invalid invalid) {
      badMessages.increment();
      if (++bad > MAX_BAD) {
        hub.leave(viewer);
        viewer.close(1008, "too many invalid messages");
        return;
      }
      viewer.send(error(invalid.reason()));
    }
  }

  private static byte[] error(String reason) {
    String json = "{\"type\":\"error\",\"message\":\""
        + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
            .quoteAsString("invalid message: " + reason))
        + "\"}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (viewer != null) {
      hub.leave(viewer);
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A viewer's broken connection concerns only that viewer: close it quietly.
    ctx.close();
  }
}
