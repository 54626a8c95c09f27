package livegraph.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;
import livegraph.hub.Hub;
import livegraph.server.ViewerCloses.Reason;

/**
 * One viewer's WebSocket after the handshake: joins its dashboard's hub, or the hub of the view
 * its URL asks for ({@code ?filter=F&value=V}), from the channel's {@link #SOCKET} attribute
 * (set by {@link HttpHandler} from the socket's path); answers {@code resume}; moves between
 * hubs on {@code view}; leaves.
 *
 * <p>Views. The viewer is in exactly one hub at a time: the dashboard's, or a view's through a
 * {@link Views.Lease}. A switch opens the new lease first, so a refused one (too many views, a
 * field no chart groups by) changes nothing but an {@code error} to the page; an accepted one
 * leaves the old hub, joins the new (its hello, then a snapshot: never a resume across hubs)
 * and only then releases the old lease. A view closed under the viewer (a dashboard reload)
 * sends it back to the dashboard's hub, with an {@code error} saying why.
 *
 * <p>Client messages are validated; a bad one gets an {@code error} message naming what was
 * wrong and is counted. A viewer that sends more than {@link #MAX_BAD} bad messages, or more
 * than {@link #MAX_PER_SECOND} messages in a second, is closed with 1008 (policy violation);
 * a binary frame, or a message in fragments, is closed with 1003 (unsupported data). Frames over
 * the protocol handler's size limit are closed with 1009 by Netty's decoder, which reads only
 * the frame's header to decide, and reported here as an exception, so they are counted; so are
 * other protocol errors (1002), unexpected exceptions (closed with 1011) and connections reset
 * under the server. Each close is counted once, by {@link ViewerCloses.Reason}; frames that
 * arrive after the close was decided are ignored.
 *
 * <p>Back-pressure both ways. While the channel is above its high-water mark (the viewer is not
 * reading what it is sent) the handler stops reading from it: whatever it sends meanwhile,
 * pings included, whose pongs Netty would queue behind the backlog, waits in the kernel's
 * buffers and then in the peer's, never in the server's heap. State: one instance per channel,
 * used only on that channel's event loop.
 */
final class ViewerHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

  static final int MAX_BAD = 10;
  static final int MAX_PER_SECOND = 20;

  /** The dashboard a socket joins; set before the handshake, read once it completes. */
  static final AttributeKey<Routes.Socket> SOCKET = AttributeKey.valueOf("livegraph.socket");

  private final LongAdder badMessages;
  private final WriteLanes lanes;
  private final ViewerCloses closes;
  private Hub main; // the dashboard's hub; event loop only, set at the handshake
  private Views views; // event loop only, set at the handshake
  private Hub hub; // the hub the viewer is in: main or lease's; event loop only
  private Views.Lease lease; // the view's, or null in the dashboard's hub; event loop only
  private ChannelViewer viewer; // event loop only
  private ChannelHandlerContext context; // event loop only
  private long moves; // hub changes so far, so a superseded join is skipped; event loop only
  private int bad; // event loop only
  private long windowStartNanos; // event loop only
  private int inWindow; // event loop only
  private boolean closing; // a close was decided and counted; event loop only

  ViewerHandler(LongAdder badMessages, WriteLanes lanes, ViewerCloses closes) {
    this.badMessages = badMessages;
    this.lanes = lanes;
    this.closes = closes;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
      Routes.Socket socket = ctx.channel().attr(SOCKET).get();
      if (socket == null) { // only HttpHandler lets a handshake through, and it sets this
        ctx.close();
        return;
      }
      context = ctx;
      main = socket.hub();
      views = socket.views();
      hub = main;
      viewer = new ChannelViewer(ctx.channel(), lanes.of(ctx.channel().eventLoop()));
      String problem = null;
      ClientMessage asked = viewFrom(handshake.requestUri());
      if (asked instanceof ClientMessage.View view && !view.whole()) {
        Views.Answer answer = views.open(view.field(), view.value(), this::closedLater);
        if (answer instanceof Views.Opened opened) {
          lease = opened.lease();
          hub = lease.hub();
        } else {
          problem = "filter refused: " + ((Views.Refused) answer).reason();
        }
      } else if (asked instanceof ClientMessage.Invalid invalid) {
        problem = "filter refused: " + invalid.reason();
      }
      hub.join(viewer, resumeFrom(handshake.requestUri()));
      if (problem != null) {
        viewer.send(error(problem));
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  /**
   * {@code ?filter=F&value=V}: the view a page's URL asks for; {@link ClientMessage.View#WHOLE}
   * without {@code filter} (or with it empty), {@link ClientMessage.Invalid} when malformed.
   */
  static ClientMessage viewFrom(String uri) {
    java.util.Map<String, List<String>> params = new QueryStringDecoder(uri).parameters();
    List<String> filter = params.get("filter");
    if (filter == null || filter.size() == 1 && filter.get(0).isEmpty()) {
      return ClientMessage.View.WHOLE;
    }
    List<String> value = params.get("value");
    if (filter.size() != 1 || value == null || value.size() != 1) {
      return new ClientMessage.Invalid("the URL needs one filter and one value");
    }
    if (filter.get(0).length() > ClientMessage.MAX_FILTER_TEXT
        || value.get(0).length() > ClientMessage.MAX_FILTER_TEXT) {
      return new ClientMessage.Invalid("filter and value must be at most "
          + ClientMessage.MAX_FILTER_TEXT + " characters");
    }
    return new ClientMessage.View(filter.get(0), value.get(0));
  }

  /** Moves the viewer into the view {@code asked} asks for, or out of any; see the class note. */
  private void switchTo(ClientMessage.View asked) {
    Views.Lease next = null;
    if (!asked.whole()) {
      Views.Answer answer = views.open(asked.field(), asked.value(), this::closedLater);
      if (answer instanceof Views.Refused refused) {
        viewer.send(error("filter refused: " + refused.reason()));
        return;
      }
      next = ((Views.Opened) answer).lease();
    }
    moveTo(next, null);
  }

  /**
   * Leaves the current hub, joins {@code next}'s (or the dashboard's), releases the old lease,
   * then sends {@code after} (or nothing).
   *
   * <p>The join waits for a task of its own on this event loop: frames the old hub's publisher
   * sent from its thread before the leave are queued tasks here, and must reach the page before
   * the new hello, never after it.
   */
  private void moveTo(Views.Lease next, byte[] after) {
    Views.Lease previous = lease;
    hub.leave(viewer);
    lease = next;
    hub = next == null ? main : next.hub();
    Hub target = hub;
    long move = ++moves;
    context.executor().execute(() -> {
      if (move != moves || !context.channel().isActive()) {
        return; // moved again since, or gone: channelInactive released what it held
      }
      target.join(viewer, OptionalLong.empty());
      if (after != null) {
        viewer.send(after);
      }
    });
    if (previous != null) {
      previous.release();
    }
  }

  /** {@link Views.OnClosed}, from any thread: handled on this channel's event loop. */
  private void closedLater(Views.Lease closed, String reason) {
    context.executor().execute(() -> {
      if (closed != lease || viewer == null || !context.channel().isActive()) {
        return; // already elsewhere, or gone
      }
      moveTo(null, error(reason));
    });
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
    if (viewer == null || closing) {
      return;
    }
    if (!(frame instanceof TextWebSocketFrame text)) {
      // A continuation frame is the rest of a fragmented message: refused at its first part.
      closeFor(Reason.BINARY, "text frames only");
      return;
    }
    if (!text.isFinalFragment()) {
      closeFor(Reason.FRAGMENTED, "fragmented messages are not accepted");
      return;
    }
    long now = System.nanoTime();
    if (now - windowStartNanos > 1_000_000_000L) {
      windowStartNanos = now;
      inWindow = 0;
    }
    if (++inWindow > MAX_PER_SECOND) {
      badMessages.increment();
      closeFor(Reason.FLOOD, "too many messages: at most " + MAX_PER_SECOND + " a second");
      return;
    }
    ClientMessage message = ClientMessage.parse(text.text());
    if (message instanceof ClientMessage.Resume resume) {
      hub.resume(viewer, resume.seq());
    } else if (message instanceof ClientMessage.View view) {
      switchTo(view);
    } else if (message instanceof ClientMessage.Invalid invalid) {
      badMessages.increment();
      if (++bad > MAX_BAD) {
        closeFor(Reason.INVALID, "too many invalid messages: at most " + MAX_BAD);
        return;
      }
      viewer.send(error("invalid message: " + invalid.reason()));
    }
  }

  /** Leaves the hub, sends {@code reason}'s close code, and counts it; once per channel. */
  private void closeFor(Reason reason, String text) {
    closing = true;
    closes.add(reason);
    hub.leave(viewer);
    viewer.close(reason.code, text);
  }

  /** {@code {"type":"error","message":M}}. */
  static byte[] error(String message) {
    String json = "{\"type\":\"error\",\"message\":\""
        + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
            .quoteAsString(message))
        + "\"}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (viewer != null) {
      hub.leave(viewer);
      if (lease != null) {
        lease.release();
        lease = null;
      }
    }
    super.channelInactive(ctx);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    // See the class note: a viewer that does not read is not read from either.
    if (viewer != null) {
      ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A viewer's broken connection concerns only that viewer: close it quietly, and count why.
    if (viewer == null || closing) {
      ctx.close();
      return;
    }
    if (cause instanceof CorruptedWebSocketFrameException corrupt) {
      // Netty's decoder has already sent the close frame with this code and is closing.
      closing = true;
      closes.add(corrupt.closeStatus() == WebSocketCloseStatus.MESSAGE_TOO_BIG
          ? Reason.TOO_BIG : Reason.PROTOCOL_ERROR);
      hub.leave(viewer);
      ctx.close();
    } else if (cause instanceof IOException) {
      closing = true;
      closes.add(Reason.RESET);
      ctx.close();
    } else {
      closeFor(Reason.INTERNAL_ERROR, "internal error");
    }
  }
}
