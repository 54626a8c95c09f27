package livegraph.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import livegraph.Transport;

/**
 * Many viewers of one server from this process: WebSocket clients on the bench's event loops
 * (epoll where it loads), opened at a bounded rate with a bounded number of handshakes in
 * flight, counted only in the measured period, closed together.
 *
 * <p>Threads: each connection lives on one event loop of {@code group}; the loop's
 * {@link Tally} is touched only there. {@link #open}, {@link #measure}, {@link #collect} and
 * {@link #close} are called by the one coordinating thread.
 */
final class Viewers implements AutoCloseable {

  /** A frame's whole message, livegraph's snapshot included; larger ones close the viewer. */
  private static final int MAX_MESSAGE = 16 << 20;
  private static final int MAX_IN_FLIGHT = 256; // handshakes open at once

  /** What the connections share: counters, the measured period, the loops' tallies. */
  static final class Shared {
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final Map<EventLoop, Tally> tallies = new ConcurrentHashMap<>();
    private volatile long fromMicros = Long.MAX_VALUE; // measured period, [from, to)
    private volatile long toMicros = Long.MAX_VALUE;
    private volatile boolean closing;

    Tally tally(EventLoop loop) {
      return tallies.computeIfAbsent(loop, l -> new Tally());
    }

    boolean counting(long micros) {
      return micros >= fromMicros && micros < toMicros;
    }

    void connected() {
      connected.incrementAndGet();
    }

    void failed(String why) {
      failed.incrementAndGet();
      firstFailure.compareAndSet(null, why);
    }

    void closed() {
      if (!closing) {
        closed.incrementAndGet();
      }
    }

    /** Counts frames received from {@code fromMicros} until {@code toMicros}. */
    void measure(long fromMicros, long toMicros) {
      this.toMicros = toMicros;
      this.fromMicros = fromMicros;
    }

    int connectedCount() {
      return connected.get();
    }

    int failedCount() {
      return failed.get();
    }

    int closedCount() {
      return closed.get();
    }
  }

  private final Bootstrap bootstrap;
  private final Shared shared = new Shared();
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  Viewers(EventLoopGroup group, URI uri, Protocol protocol, MicroClock clock) {
    WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(uri)
        .maxFramePayloadLength(MAX_MESSAGE)
        .handshakeTimeoutMillis(30_000)
        .generateOriginHeader(false) // not a browser page: no Origin, as livegraph expects
        // The servers under test are trusted; validating every text frame's UTF-8 cost the
        // client about as much CPU per 6 KB delta as the server spent sending it.
        .withUTF8Validator(false)
        .dropPongFrames(true)
        .build();
    bootstrap = new Bootstrap()
        .group(group)
        .channel(Transport.clientChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
        // Start reads at 8 KiB (adapting up to 64 KiB) so a delta is mostly read whole, not
        // gathered from 2 KiB reads into a cumulation buffer.
        .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(512, 8192, 65536))
        .remoteAddress(uri.getHost(), uri.getPort())
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ChannelPipeline p = ch.pipeline();
            p.addLast(new HttpClientCodec());
            p.addLast(new HttpObjectAggregator(64 * 1024));
            p.addLast(new WebSocketClientProtocolHandler(config));
            p.addLast(new WebSocketFrameAggregator(MAX_MESSAGE));
            p.addLast(new ViewerHandler(protocol, clock, shared));
          }
        });
  }

  /**
   * Opens {@code count} more viewers, at most {@code perSecond} a second, and waits until each
   * is ready or failed, or {@code timeout} passed.
   *
   * @return the viewers ready now
   */
  int open(int count, int perSecond, Duration timeout) throws InterruptedException {
    long begin = System.nanoTime();
    long deadline = begin + timeout.toNanos();
    int target = shared.connected.get() + shared.failed.get() + count;
    for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
      long due = begin + (long) (i * 1e9 / perSecond);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      while (inFlight(target - count + i) >= MAX_IN_FLIGHT && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      ChannelFuture f = bootstrap.connect();
      channels.add(f.channel());
    }
    while (shared.connected.get() + shared.failed.get() < target
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return shared.connected.get() - shared.closed.get();
  }

  private int inFlight(int started) {
    return started - shared.connected.get() - shared.failed.get();
  }

  /** Counts frames received from {@code fromMicros} until {@code toMicros}. */
  void measure(long fromMicros, long toMicros) {
    shared.measure(fromMicros, toMicros);
  }

  /** The measured period's tallies of every loop, merged; each loop hands over a copy. */
  Tally collect() throws InterruptedException {
    Tally all = new Tally();
    for (Map.Entry<EventLoop, Tally> e : shared.tallies.entrySet()) {
      try {
        all.add(e.getKey().submit(e.getValue()::copy).get());
      } catch (ExecutionException ex) {
        throw new IllegalStateException("could not read a viewer loop's tally", ex.getCause());
      }
    }
    return all;
  }

  int failed() {
    return shared.failed.get();
  }

  /** Viewers that were ready and then closed before {@link #close}. */
  int closedEarly() {
    return shared.closed.get();
  }

  String firstFailure() {
    return shared.firstFailure.get();
  }

  /** Closes every viewer's connection and waits for it. */
  @Override
  public void close() {
    shared.closing = true;
    channels.close().awaitUninterruptibly(30, TimeUnit.SECONDS);
  }
}
