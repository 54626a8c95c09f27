package livegraph.source;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import livegraph.Transport;

/**
 * A minimal WebSocket server on 127.0.0.1 for source tests: records what clients send, counts
 * connections, broadcasts frames, closes clients. Not the emulator: no protocol logic at all,
 * so it stands for any WebSocket feed; the heartbeat it can send is whatever text it is given.
 */
final class FeedTestServer implements AutoCloseable {

  private final EventLoopGroup group;
  private final Channel serverChannel;
  private final ChannelGroup clients;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile ScheduledFuture<?> heartbeats;

  FeedTestServer(EventLoopGroup group) throws InterruptedException {
    this.group = group;
    this.clients = new DefaultChannelGroup(group.next());
    WebSocketServerProtocolConfig config =
        WebSocketServerProtocolConfig.newBuilder().websocketPath("/").maxFramePayloadLength(65536).build();
    serverChannel =
        new ServerBootstrap()
            .group(group)
            .channel(Transport.serverChannel())
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(65536))
                        .addLast(new WebSocketServerProtocolHandler(config))
                        .addLast(new Recorder());
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  URI uri() {
    return URI.create("ws://127.0.0.1:" + ((InetSocketAddress) serverChannel.localAddress()).getPort() + "/");
  }

  /** WebSocket handshakes completed so far. */
  int connections() {
    return connections.get();
  }

  /** Clients connected now. */
  int connected() {
    return clients.size();
  }

  /** Every text frame received from any client, in arrival order. */
  List<String> received() {
    return List.copyOf(received);
  }

  /** Sends {@code text} to every connected client and waits until it is written. */
  void broadcast(String text) {
    clients.writeAndFlush(new TextWebSocketFrame(text)).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** Closes every client with a 1000 close frame, as a server restart would. */
  void closeAll() {
    clients.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
        .awaitUninterruptibly(5, TimeUnit.SECONDS);
    clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** Sends {@code bytes} as one binary frame to every connected client. */
  void broadcastBinary(byte[] bytes) {
    clients.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)))
        .awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** Broadcasts {@code heartbeat} every {@code interval}, and nothing else: a "dead" socket. */
  void heartbeatEvery(Duration interval, String heartbeat) {
    long nanos = interval.toNanos();
    heartbeats =
        group.next().scheduleAtFixedRate(
            () -> clients.writeAndFlush(new TextWebSocketFrame(heartbeat)),
            nanos, nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    ScheduledFuture<?> beat = heartbeats;
    if (beat != null) {
      beat.cancel(false);
    }
    serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private final class Recorder extends SimpleChannelInboundHandler<TextWebSocketFrame> {

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        clients.add(ctx.channel());
        connections.incrementAndGet();
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
      received.add(frame.text());
    }
  }
}
