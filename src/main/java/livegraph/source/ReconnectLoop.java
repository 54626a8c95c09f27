package livegraph.source;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import livegraph.Transport;
import livegraph.source.SourceStatus.State;
import org.slf4j.Logger;

/**
 * The life of a network source across its connections: one attempt at a time, a reconnect
 * timer with jittered backoff between them, and the status (state and detail) people see.
 *
 * <p>Threads: every attempt, and the timer between attempts, runs on one event loop picked from
 * the context's group at {@link #start}, so connection state has a single owner and needs no
 * locks. {@link #status()} and {@link #close()} may be called from any thread; the phase is
 * replaced as a whole under this object's monitor so CLOSED is always the last state. The
 * status listener runs on the event loop (or the closing thread) and must not block.
 */
final class ReconnectLoop {

  /** Limit for the TCP connect, and for a close to finish on the event loop. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** One connection attempt: how its channel is set up, and why it ended. */
  interface Attempt {

    ChannelInitializer<SocketChannel> initializer();

    /** Why the connection ended, for the status line; read once the channel has closed. */
    String closeReason();

    /** Whether the upstream asked never to reconnect (SSE's HTTP 204); then close is final. */
    default boolean finalClose() {
      return false;
    }

    /** The delay before the next attempt, given the backoff's; SSE's {@code retry:} bends it. */
    default long reconnectDelayMillis(long backoffMillis) {
      return backoffMillis;
    }
  }

  private final String description; // for log lines
  private final String host;
  private final int port;
  private final SourceCounters counters;
  private final SourceContext context;
  private final Consumer<SourceStatus> statusListener; // may be null
  private final Logger log;
  private final Backoff backoff;
  private final AtomicBoolean closed = new AtomicBoolean();

  private volatile EventLoop loop; // written once by start(), before any task of this loop runs
  private Supplier<Attempt> attempts; // written once by start()

  // Owned by the event loop.
  private Channel current;
  private ScheduledFuture<?> pendingReconnect;
  private long connects;
  private boolean finished; // the upstream asked to stop; no reconnect

  private volatile Phase phase = new Phase(State.CONNECTING, "not started");

  private record Phase(State state, String detail) {}

  ReconnectLoop(
      String description,
      String host,
      int port,
      SourceContext context,
      SourceCounters counters,
      Consumer<SourceStatus> statusListener,
      Logger log) {
    this.description = description;
    this.host = host;
    this.port = port;
    this.context = context;
    this.counters = counters;
    this.statusListener = statusListener;
    this.log = log;
    this.backoff = new Backoff(context.backoffBase(), maxOf(context), context.random());
  }

  // A cap below the base would be rejected by Backoff; the base then is the only delay.
  private static Duration maxOf(SourceContext context) {
    return context.backoffCap().compareTo(context.backoffBase()) < 0
        ? context.backoffBase()
        : context.backoffCap();
  }

  /** The longest reconnect delay, in milliseconds. */
  long capMillis() {
    return maxOf(context).toMillis();
  }

  /** Starts the first attempt on an event loop of the context's group; returns at once. */
  void start(Supplier<Attempt> attempts) {
    this.attempts = attempts;
    if (closed.get()) {
      return;
    }
    this.loop = context.group().next();
    try {
      loop.execute(this::connect);
    } catch (RejectedExecutionException e) {
      fail("event loop is shut down");
    }
  }

  /** The event loop owning the connections; null before {@link #start}. */
  EventLoop loop() {
    return loop;
  }

  SourceStatus status() {
    Phase p = phase;
    return counters.status(p.state(), p.detail());
  }

  /** The current connection is up and delivering; called on the event loop. */
  void live(String detail) {
    setPhase(State.LIVE, detail);
  }

  /** The current connection delivered data: the next failure backs off from the base again. */
  void resetBackoff() {
    backoff.reset();
  }

  /** Gives up for good (a setup error, not a network one). */
  void fail(String detail) {
    setPhase(State.FAILED, detail);
    log.warn("{}: {}", description, detail);
  }

  boolean isClosed() {
    return closed.get();
  }

  /** Stops for good: cancels a pending reconnect and closes the connection. Idempotent. */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    setPhase(State.CLOSED, "closed");
    closeOn(loop, this::closeOnLoop, CONNECT_TIMEOUT.toMillis());
  }

  /**
   * Runs {@code closing} on {@code loop}, the owner of the sockets, and waits up to {@code
   * waitMillis} for it unless called on the loop itself, so nothing is delivered once a close
   * returns. Nothing to do when {@code loop} is null (never started) or shut down (the group
   * took the sockets with it).
   */
  static void closeOn(EventLoop loop, Runnable closing, long waitMillis) {
    if (loop == null) {
      return;
    }
    try {
      Future<?> done = loop.submit(closing);
      if (!loop.inEventLoop()) {
        done.awaitUninterruptibly(waitMillis, TimeUnit.MILLISECONDS);
      }
    } catch (RejectedExecutionException e) {
      // The group was shut down first, taking the connections with it.
    }
  }

  private void closeOnLoop() {
    if (pendingReconnect != null) {
      pendingReconnect.cancel(false);
      pendingReconnect = null;
    }
    if (current != null) {
      current.close();
      current = null;
    }
  }

  private void connect() {
    pendingReconnect = null;
    if (closed.get() || finished) {
      return;
    }
    if (connects++ > 0) {
      counters.reconnect();
    }
    setPhase(State.CONNECTING, "connecting to " + host + ":" + port);
    Attempt attempt = attempts.get();
    int connectTimeoutMillis = (int) CONNECT_TIMEOUT.toMillis();
    ChannelFuture connected =
        new Bootstrap()
            .group(loop)
            .channel(Transport.clientChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
            .handler(attempt.initializer())
            .connect(host, port);
    current = connected.channel();
    connected.addListener(
        (ChannelFuture f) -> {
          if (!f.isSuccess()) {
            ended(f.channel(), attempt, "connect failed: " + describe(f.cause()));
            return;
          }
          // Deferred one task: a decoder may close the channel before the exception that
          // explains why reaches the handler, within the same pipeline event.
          f.channel().closeFuture().addListener(closedFuture -> {
            if (!closed.get()) {
              try {
                loop.execute(() -> ended(f.channel(), attempt, attempt.closeReason()));
              } catch (RejectedExecutionException e) {
                setPhase(State.FAILED, "event loop was shut down");
              }
            }
          });
        });
  }

  /** Called once per attempt, on the event loop, when it failed or closed. */
  private void ended(Channel connection, Attempt attempt, String reason) {
    if (current == connection) {
      current = null;
    }
    if (closed.get() || finished) {
      return;
    }
    if (attempt.finalClose()) {
      finished = true;
      log.warn("{}: {}", description, reason);
      setPhase(State.CLOSED, reason);
      return;
    }
    long delay = Math.max(0, attempt.reconnectDelayMillis(backoff.nextDelayMillis()));
    String detail = "reconnecting in " + Durations.human(delay) + ": " + reason;
    // The one log line per failure; backoff limits how often it can appear.
    log.warn("{}: {}", description, detail);
    setPhase(State.RECONNECTING, detail);
    pendingReconnect = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  // Synchronized with close(), which may run on any thread, so CLOSED is always the last state.
  private synchronized void setPhase(State state, String detail) {
    if (phase.state() == State.CLOSED || (closed.get() && state != State.CLOSED)) {
      return;
    }
    phase = new Phase(state, detail);
    if (statusListener != null) {
      try {
        statusListener.accept(status());
      } catch (RuntimeException e) {
        log.warn("{}: status listener failed: {}", description, e.toString());
      }
    }
  }

  /** A client TLS context checking the server's host name, as browsers do. */
  static SslContext clientTls() throws javax.net.ssl.SSLException {
    return SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
  }

  /** A one-line description of a failure, without a stack trace. */
  static String describe(Throwable cause) {
    if (cause instanceof ConnectTimeoutException) {
      return "connect timed out";
    }
    String message = cause.getMessage();
    if (cause instanceof ConnectException && message != null && message.contains("refused")) {
      return "connection refused"; // epoll prefixes the syscall and errno
    }
    if (message != null && message.contains("Connection reset")) {
      // epoll says "recvAddress(..) failed with error(-104): Connection reset by peer"
      return "connection reset by peer";
    }
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }
}
