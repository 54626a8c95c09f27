package livegraph.reliability;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import livegraph.Transport;

/**
 * Many viewers in one Netty client (one event loop), each behaving like the page: on a close or
 * a failed connect it reconnects after a random delay under {@link #RECONNECT_SPREAD_MILLIS},
 * and on every (re)connection it expects a hello and a snapshot, then deltas that follow on.
 * Each viewer's state is touched only on the loop; the test reads it through {@link #count}.
 */
final class StormViewers implements AutoCloseable {

  static final int RECONNECT_SPREAD_MILLIS = 1000;

  /** One viewer's record; loop thread only. */
  static final class State {
    int connections; // handshakes completed
    int hellos; // hellos since the last connection began
    int snapshots; // likewise
    long lastSeq = -1; // in the current connection
    long deltas; // deltas in the current connection
    long gaps; // deltas whose seq did not follow on, over every connection
    int lastClose = -1; // the last close code received
    long connectedAtNanos; // the last handshake's completion
  }

  private final EventLoopGroup loop = Transport.group(1, "storm-viewers");
  private final URI uri;
  private final List<State> states = new ArrayList<>();
  private final List<Channel> channels = new ArrayList<>(); // loop thread only
  private final SplittableRandom random = new SplittableRandom(3); // loop thread only
  private volatile boolean closing;

  StormViewers(URI uri, int count) {
    this.uri = uri;
    for (int i = 0; i < count; i++) {
      states.add(new State());
    }
  }

  /** Opens every viewer now (a burst: they reconnect on their own from then on). */
  void open() {
    loop.execute(() -> {
      for (State s : states) {
        connect(s);
      }
    });
  }

  private void connect(State s) {
    if (closing) {
      return;
    }
    WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(uri).maxFramePayloadLength(16 << 20).handshakeTimeoutMillis(30_000)
        .generateOriginHeader(false)
        // Close frames reach the handler, which records the code and closes.
        .handleCloseFrames(false).build();
    new Bootstrap().group(loop).channel(Transport.clientChannel())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                new WebSocketClientProtocolHandler(config),
                new WebSocketFrameAggregator(16 << 20), new Handler(s));
          }
        })
        .connect(uri.getHost(), uri.getPort())
        .addListener(f -> {
          if (f.isSuccess()) {
            channels.add(((io.netty.channel.ChannelFuture) f).channel());
          } else {
            later(s);
          }
        });
  }

  private void later(State s) {
    if (!closing) {
      loop.schedule(() -> connect(s), 1 + random.nextInt(RECONNECT_SPREAD_MILLIS),
          TimeUnit.MILLISECONDS);
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final State s;

    Handler(State s) {
      this.s = s;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        s.connections++;
        s.hellos = 0;
        s.snapshots = 0;
        s.lastSeq = -1;
        s.deltas = 0;
        s.connectedAtNanos = System.nanoTime();
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof CloseWebSocketFrame close) {
        s.lastClose = close.statusCode();
        ctx.close();
        return;
      }
      if (!(frame instanceof TextWebSocketFrame)) {
        return;
      }
      // A scan, not a JSON parse: a thousand viewers' frames on one loop must stay cheap.
      String text = frame.content().toString(java.nio.charset.StandardCharsets.UTF_8);
      switch (field(text, "\"type\":\"", '"')) {
        case "hello" -> s.hellos++;
        case "snapshot" -> {
          s.snapshots++;
          s.lastSeq = Long.parseLong(field(text, "\"seq\":", ','));
        }
        case "delta" -> {
          long seq = Long.parseLong(field(text, "\"seq\":", ','));
          if (s.lastSeq >= 0 && seq != s.lastSeq + 1) {
            s.gaps++;
          }
          s.lastSeq = seq;
          s.deltas++;
        }
        default -> { }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      channels.remove(ctx.channel());
      later(s);
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** The text after {@code key} up to {@code end}, in a frame from the server; "" if absent. */
  private static String field(String text, String key, char end) {
    int at = text.indexOf(key);
    if (at < 0) {
      return "";
    }
    int from = at + key.length();
    int to = text.indexOf(end, from);
    return to < 0 ? "" : text.substring(from, to);
  }

  /** How many viewers satisfy {@code test}, read on the loop. */
  int count(java.util.function.Predicate<State> test) throws Exception {
    return loop.submit(() -> (int) states.stream().filter(test).count()).get(30, TimeUnit.SECONDS);
  }

  /** The sum of {@code value} over the viewers, read on the loop. */
  long sum(java.util.function.ToLongFunction<State> value) throws Exception {
    return loop.submit(() -> states.stream().mapToLong(value).sum()).get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    closing = true;
    loop.submit(() -> new ArrayList<>(channels).forEach(Channel::close)).awaitUninterruptibly(30,
        TimeUnit.SECONDS);
    loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
