package livegraph.source;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import livegraph.pipeline.Clock;
import livegraph.source.SourceStatus.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * A {@link Source} on Redis pub/sub through Jedis: {@code SUBSCRIBE} to channels and {@code
 * PSUBSCRIBE} to patterns on one connection; the channel a message was published to (not the
 * pattern that matched it) is the meta field {@code @channel}.
 *
 * <p>Threads: Jedis reads a subscription with a blocking call, so each source has one daemon
 * thread of its own that connects, subscribes, decodes and offers every message to the sink,
 * and on any failure waits a {@link Backoff} delay and starts again (Redis forgets a client's
 * subscriptions with its connection). LIVE means every subscription was confirmed; the backoff
 * restarts from its base then. A watchdog on the injected event loop pings a live connection
 * every {@code pingInterval} and closes it when nothing (message or pong) came back for two
 * intervals, so a half-open connection is noticed. Nothing is buffered between the socket and
 * the sink: Jedis reads one message at a time, bounded by the server's own limit on a pub/sub
 * client's output buffer (32 MiB by default), and payloads over {@link
 * BrokerMessages#MAX_PAYLOAD_BYTES} are skipped as too large.
 */
final class RedisSource extends BrokerSource {

  /** How often a live connection is pinged. */
  static final Duration PING_INTERVAL = Duration.ofSeconds(30);

  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(RedisSource.class);

  private final RedisSpec spec;
  private final String host;
  private final int port;
  private final byte[][] channels;
  private final byte[][] patterns;
  private final int subscriptions; // channels and patterns, each without repeats
  private final String liveDetail;
  private final EventLoopGroup group;
  private final Clock clock;
  private final Duration pingInterval;
  private final BrokerMessages messages;
  private final Backoff backoff; // owned by the subscriber thread

  private volatile Thread thread;
  private volatile Connection current; // the subscriber thread's connection, null between
  private volatile Subscriber live; // set once every subscription is confirmed: pings may go
  private volatile String watchdogReason; // why the watchdog closed the connection
  private volatile ScheduledFuture<?> watchdog;

  RedisSource(RedisSpec spec, SourceContext context) {
    this(spec, context, PING_INTERVAL);
  }

  /** With another ping interval, so a test notices a frozen server quickly. */
  RedisSource(RedisSpec spec, SourceContext context, Duration pingInterval) {
    super(Objects.requireNonNull(spec, "spec").name(), spec.description(), LOG);
    this.spec = spec;
    this.host = spec.server().getHost();
    this.port = spec.server().getPort() > 0 ? spec.server().getPort() : 6379;
    this.channels = bytes(spec.channels());
    this.patterns = bytes(spec.patterns());
    this.subscriptions = channels.length + patterns.length;
    List<String> all = new java.util.ArrayList<>(new LinkedHashSet<>(spec.channels()));
    all.addAll(new LinkedHashSet<>(spec.patterns()));
    this.liveDetail = "subscribed to " + String.join(" ", all);
    this.group = context.group();
    this.clock = context.clock();
    this.pingInterval = SpecChecks.positive(pingInterval, "ping interval");
    this.messages =
        new BrokerMessages(
            spec.name(), "@channel", spec.decoding(), context.clock(), phase.counters(), LOG,
            context.demand());
    this.backoff = BrokerPhase.backoff(context);
  }

  private static byte[][] bytes(List<String> names) {
    return new LinkedHashSet<>(names).stream()
        .map(n -> n.getBytes(StandardCharsets.UTF_8))
        .toArray(byte[][]::new);
  }

  @Override
  String address() {
    return host + ":" + port;
  }

  @Override
  void connect() {
    try {
      long every = pingInterval.toMillis();
      watchdog = group.next().scheduleAtFixedRate(this::checkAlive, every, every, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      phase.set(State.FAILED, "event loop is shut down");
      return;
    }
    Thread t = new Thread(this::run, "livegraph-redis-" + spec.name());
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  @Override
  void release() {
    ScheduledFuture<?> w = watchdog;
    if (w != null) {
      w.cancel(false);
    }
    disconnect(current); // the blocked read fails and the thread sees the source closed
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(CONNECT_TIMEOUT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The subscriber thread: connect, listen until the connection fails, wait, again. */
  private void run() {
    boolean first = true;
    while (!phase.closed()) {
      if (!first) {
        phase.counters().reconnect();
      }
      first = false;
      String reason;
      try {
        listen();
        reason = "connection closed";
      } catch (RuntimeException e) { // Jedis' connection, protocol and server errors
        reason = BrokerPhase.describe(e);
      }
      String fromWatchdog = watchdogReason;
      if (fromWatchdog != null) {
        reason = fromWatchdog;
        watchdogReason = null;
      }
      if (phase.closed()) {
        return;
      }
      long delay = backoff.nextDelayMillis();
      phase.set(State.RECONNECTING, "reconnecting in " + Durations.human(delay) + ": " + reason);
      try {
        phase.awaitUnlessClosed(delay);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One connection: returns or throws when it ends. */
  private void listen() {
    JedisClientConfig config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(CONNECT_TIMEOUT_MILLIS)
            .socketTimeoutMillis(CONNECT_TIMEOUT_MILLIS) // while connecting; a subscription waits forever
            .clientName("livegraph-" + spec.name())
            .build();
    Connection connection = new Connection(new HostAndPort(host, port), config);
    current = connection;
    try {
      if (phase.closed()) {
        return; // close() may have missed this connection
      }
      Subscriber subscriber = new Subscriber();
      if (channels.length > 0) {
        subscriber.proceed(connection, channels);
      } else {
        subscriber.proceedWithPatterns(connection, patterns);
      }
    } finally {
      live = null;
      current = null;
      disconnect(connection);
    }
  }

  private static void disconnect(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.forceDisconnect();
    } catch (Exception e) {
      LOG.debug("closing a Redis connection failed: {}", e.toString());
    }
  }

  /** On the event loop: ping a live connection, or close it if it stopped answering. */
  private void checkAlive() {
    Subscriber s = live;
    Connection c = current;
    if (s == null || c == null) {
      return;
    }
    long silentFor = clock.millis() - s.lastHeardMillis;
    if (silentFor > 2 * pingInterval.toMillis()) {
      watchdogReason = "no answer to ping for " + Durations.human(silentFor);
      disconnect(c);
      return;
    }
    try {
      s.ping(); // the subscriber thread only reads once live, so this is the one writer
    } catch (RuntimeException e) {
      disconnect(c); // the subscriber thread reports the failure it sees
    }
  }

  /** Jedis' callbacks, on the subscriber thread. */
  private final class Subscriber extends BinaryJedisPubSub {

    private boolean patternsSent;
    private volatile long lastHeardMillis;

    @Override
    public void onSubscribe(byte[] channel, int count) {
      if (!patternsSent && patterns.length > 0) {
        patternsSent = true;
        psubscribe(patterns); // the same connection, after the first confirmation
      }
      confirmed(count);
    }

    @Override
    public void onPSubscribe(byte[] pattern, int count) {
      confirmed(count);
    }

    private void confirmed(int count) {
      if (count == subscriptions && live == null) {
        lastHeardMillis = clock.millis();
        live = this;
        backoff.reset();
        phase.set(State.LIVE, liveDetail);
      }
    }

    @Override
    public void onMessage(byte[] channel, byte[] message) {
      lastHeardMillis = clock.millis();
      messages.deliver(new String(channel, StandardCharsets.UTF_8), message, sink());
    }

    @Override
    public void onPMessage(byte[] pattern, byte[] channel, byte[] message) {
      lastHeardMillis = clock.millis();
      messages.deliver(new String(channel, StandardCharsets.UTF_8), message, sink());
    }

    @Override
    public void onPong(byte[] pattern) {
      lastHeardMillis = clock.millis();
    }
  }
}
