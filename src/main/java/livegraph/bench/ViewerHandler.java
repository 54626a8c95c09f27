package livegraph.bench;

import static livegraph.bench.FrameProbe.NONE;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * One viewer's connection: completes the protocol's opening (for Socket.IO, the namespace
 * connect) and then, per frame, finds the sequence, event number and send time with
 * {@link FrameProbe} and hands them to the viewer's {@link ViewerState}. All on the channel's
 * event loop; the tally is the loop's own.
 */
final class ViewerHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

  private final Protocol protocol;
  private final MicroClock clock;
  private final Viewers.Shared shared;
  private final ViewerState state = new ViewerState();
  private Tally tally; // the event loop's, set when added
  private boolean ready;
  private boolean ended; // counted as failed or closed once

  ViewerHandler(Protocol protocol, MicroClock clock, Viewers.Shared shared) {
    this.protocol = protocol;
    this.clock = clock;
    this.shared = shared;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    tally = shared.tally(ctx.channel().eventLoop());
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      if (protocol != Protocol.SOCKET_IO) {
        ready(); // Socket.IO is ready once its namespace connect is acknowledged
      }
    } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      fail(ctx, "handshake timed out");
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (!(frame instanceof TextWebSocketFrame)) {
      return;
    }
    long now = clock.micros();
    ByteBuf content = frame.content();
    boolean counting = shared.counting(now);
    switch (protocol) {
      case LIVEGRAPH -> {
        if (FrameProbe.livegraphType(content) == FrameProbe.LivegraphType.OTHER) {
          control(counting);
        } else {
          data(content, now, counting);
        }
      }
      case RELAYED -> data(content, now, counting);
      case SOCKET_IO -> {
        switch (EngineIo.classify(content)) {
          case EVENT -> data(content, now, counting);
          case PING -> {
            control(counting);
            ctx.writeAndFlush(new TextWebSocketFrame(EngineIo.PONG), ctx.voidPromise());
          }
          case OPEN -> ctx.writeAndFlush(new TextWebSocketFrame(EngineIo.CONNECT));
          case CONNECTED -> ready();
          case CONNECT_ERROR, DISCONNECT -> fail(ctx, "Socket.IO refused the connection: "
              + content.toString(java.nio.charset.StandardCharsets.UTF_8));
          default -> control(counting);
        }
      }
    }
  }

  private void data(ByteBuf content, long now, boolean counting) {
    FrameProbe.Keys keys = protocol.keys;
    long n = FrameProbe.number(content, keys.n());
    long sent = FrameProbe.number(content, keys.sent());
    long seq = protocol == Protocol.LIVEGRAPH ? FrameProbe.number(content, keys.seq()) : n;
    if (seq == NONE && n == NONE && sent == NONE) {
      control(counting); // e.g. a livegraph snapshot before the first event: nothing to read
      return;
    }
    state.onData(seq, n, sent, now, content.readableBytes(), tally, counting);
  }

  private void control(boolean counting) {
    if (counting) {
      tally.controlFrames++;
    }
  }

  private void ready() {
    if (!ready) {
      ready = true;
      shared.connected();
    }
  }

  private void fail(ChannelHandlerContext ctx, String why) {
    end(why);
    ctx.close();
  }

  private void end(String why) {
    if (!ended) {
      ended = true;
      if (ready) {
        shared.closed();
      } else {
        shared.failed(why);
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    end("closed before it was ready");
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, String.valueOf(cause.getMessage()));
  }
}
