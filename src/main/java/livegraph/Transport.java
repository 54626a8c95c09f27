package livegraph;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The Netty transport for this machine: native epoll where it loads, NIO elsewhere.
 *
 * <p>Every network piece (upstream client, emulator, viewer server) takes its event loop group
 * and channel classes from here, so the choice is made once.
 */
public final class Transport {

  private static final boolean EPOLL = Epoll.isAvailable() && !Boolean.getBoolean("livegraph.nio");

  private Transport() {}

  /** A new event loop group of {@code threads} threads (0 = Netty's default) named {@code name}. */
  public static EventLoopGroup group(int threads, String name) {
    IoHandlerFactory factory = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
  }

  public static Class<? extends ServerChannel> serverChannel() {
    return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public static Class<? extends SocketChannel> clientChannel() {
    return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** "epoll" or "nio", for logs. */
  public static String name() {
    return EPOLL ? "epoll" : "nio";
  }
}
