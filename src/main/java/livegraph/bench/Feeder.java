package livegraph.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import livegraph.Transport;

/**
 * The one source of events for every server under test: a TCP server on loopback that sends
 * {@link EventLines} at a fixed rate to whoever is connected (the server under test, which
 * connects with its TCP line source or, for the relays, a plain socket).
 *
 * <p>Pacing: events arrive as a Poisson process of the given rate (exponential gaps drawn from
 * a seeded random, the same sequence at each {@link #start}), as independent users' actions
 * do; every millisecond the feeder sends those due by then, each stamped as it is written.
 * Evenly spaced events would lock into a fixed phase with livegraph's 100 ms tick and make its
 * latency depend on that phase. When a
 * consumer cannot take more (its channel is above the write-buffer high-water mark, 1 MiB), the
 * event is not sent at all and counted in {@link #notSent()}, so event numbers stay contiguous
 * and a gap seen by a viewer is the server's.
 *
 * <p>Threads: everything runs on the feeder's own single event loop; {@link #start},
 * {@link #stop} and the counters may be called from any thread.
 */
final class Feeder implements AutoCloseable {

  private static final long PERIOD_MICROS = 1000;
  private static final int MAX_BURST = 10_000; // events per period, after a pause

  private final EventLoopGroup loop = Transport.group(1, "bench-feeder");
  private final ChannelGroup consumers = new DefaultChannelGroup(loop.next());
  private final EventLines lines;
  private final MicroClock clock;
  private final Channel server;

  private final long seed;
  private ScheduledFuture<?> ticker; // feeder loop
  private SplittableRandom gaps; // feeder loop
  private double nextMicros; // when the next event is due; feeder loop
  private volatile long sent; // events written; also the last n; written by the feeder loop
  private volatile long notSent; // written by the feeder loop

  Feeder(EventLines lines, MicroClock clock, int port, long seed) throws InterruptedException {
    this.lines = lines;
    this.seed = seed;
    this.clock = clock;
    server = new ServerBootstrap()
        .group(loop)
        .channel(Transport.serverChannel())
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10,
            1 << 20))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            consumers.add(ch);
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg); // consumers have nothing to say
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
              }
            });
          }
        })
        .bind("127.0.0.1", port).sync().channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Waits until at least one consumer is connected; false on timeout. */
  boolean awaitConsumer(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (consumers.isEmpty()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** Starts sending {@code eventsPerSecond} events a second (stops an earlier rate first). */
  void start(double eventsPerSecond) {
    loop.submit(() -> {
      if (ticker != null) {
        ticker.cancel(false);
      }
      gaps = new SplittableRandom(seed);
      nextMicros = clock.micros();
      ticker = loop.next().scheduleAtFixedRate(() -> tick(eventsPerSecond), 0, PERIOD_MICROS,
          TimeUnit.MICROSECONDS);
    }).syncUninterruptibly();
  }

  /** Stops sending; consumers stay connected. */
  void stop() {
    loop.submit(() -> {
      if (ticker != null) {
        ticker.cancel(false);
        ticker = null;
      }
    }).syncUninterruptibly();
  }

  /** Closes every consumer's connection (a relay then exits). */
  void disconnectAll() {
    consumers.close().syncUninterruptibly();
  }

  private void tick(double eventsPerSecond) {
    long now = clock.micros();
    if (consumers.isEmpty()) {
      nextMicros = now;
      return;
    }
    boolean wrote = false;
    for (int i = 0; nextMicros <= now; i++) {
      if (i == MAX_BURST) { // the loop was stalled: start afresh instead of a flood
        nextMicros = now;
        break;
      }
      nextMicros += -Math.log(1.0 - gaps.nextDouble()) / eventsPerSecond * 1e6;
      if (!allWritable()) {
        notSent++;
        continue;
      }
      long n = sent + 1;
      ByteBuf line = server.alloc().buffer(lines.maxLineBytes());
      lines.write(line, n, clock.micros());
      for (Channel c : consumers) {
        c.write(line.retainedDuplicate(), c.voidPromise());
      }
      line.release();
      sent = n;
      wrote = true;
    }
    if (wrote) {
      consumers.flush();
    }
  }

  private boolean allWritable() {
    for (Channel c : consumers) {
      if (!c.isWritable()) {
        return false;
      }
    }
    return true;
  }

  /** Events written so far; the last event's {@code n}. */
  long sent() {
    return sent;
  }

  /** Events due but not sent because a consumer was not reading. */
  long notSent() {
    return notSent;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    consumers.close().syncUninterruptibly();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
