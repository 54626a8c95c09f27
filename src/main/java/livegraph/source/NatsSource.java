package livegraph.source;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.support.Validator;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import livegraph.source.SourceStatus.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Source} subscribed to NATS subjects through jnats; the subject of each message is the
 * meta field {@code @subject}.
 *
 * <p>Reconnect: until the first connection, a thread of this source tries with {@link Backoff}
 * delays (jnats would otherwise hide the first failure inside a blocking call). After that,
 * jnats reconnects by itself, forever, and resubscribes; its delay before every round comes
 * from the same {@link Backoff} through a {@code ReconnectDelayHandler}, restarted from the base
 * at the start of each outage, so both phases wait and report alike. jnats' connection events
 * map to the status: DISCONNECTED and each delay → RECONNECTING ("reconnecting in 1 s: …"),
 * RESUBSCRIBED → LIVE, an unexpected CLOSED → FAILED.
 *
 * <p>Threads and bounds: jnats reads on its own thread and hands messages to a dispatcher
 * thread through a queue bounded by the subscription's pending limits ({@value
 * #PENDING_MESSAGES} messages or {@value #PENDING_BYTES} bytes); beyond them jnats drops
 * messages (a "slow consumer"), which this source counts as dropped. The dispatcher thread
 * decodes and offers to the sink. We never publish, and the reconnect buffer for outgoing data
 * is {@value #RECONNECT_BUFFER_BYTES} bytes.
 */
final class NatsSource extends BrokerSource {

  /** Messages waiting for the dispatcher thread before jnats drops new ones. */
  static final long PENDING_MESSAGES = 65_536;

  /** Bytes waiting for the dispatcher thread before jnats drops new messages. */
  static final long PENDING_BYTES = 64L << 20;

  /** Outgoing bytes kept while disconnected; we send only protocol messages. */
  static final long RECONNECT_BUFFER_BYTES = 64 << 10;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(NatsSource.class);

  private final NatsSpec spec;
  private final String server;
  private final long pendingMessages;
  private final long pendingBytes;
  private final BrokerMessages messages;
  private final Backoff backoff; // guarded by this: the connect thread, then jnats' reconnect thread

  private volatile Connection connection; // set once connected
  private volatile Dispatcher dispatcher;
  private volatile String lastError; // from jnats' error listener; null: none since the last try

  NatsSource(NatsSpec spec, SourceContext context) {
    this(spec, context, PENDING_MESSAGES, PENDING_BYTES);
  }

  /** With other pending limits, so a test can make a slow consumer cheaply. */
  NatsSource(NatsSpec spec, SourceContext context, long pendingMessages, long pendingBytes) {
    super(Objects.requireNonNull(spec, "spec").name(), spec.description(), LOG);
    this.spec = spec;
    for (String subject : spec.subjects()) {
      try {
        Validator.validateSubjectTermStrict(subject, "nats subject", true);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "nats subject \"" + subject + "\" is not valid: " + e.getMessage());
      }
    }
    int port = spec.server().getPort() > 0 ? spec.server().getPort() : 4222;
    this.server = "nats://" + spec.server().getHost() + ":" + port;
    this.pendingMessages = pendingMessages;
    this.pendingBytes = pendingBytes;
    this.messages =
        new BrokerMessages(
            spec.name(), "@subject", spec.decoding(), context.clock(), phase.counters(), LOG,
            context.demand());
    this.backoff = BrokerPhase.backoff(context);
  }

  @Override
  String address() {
    return SpecChecks.hostPort(spec.server());
  }

  @Override
  void connect() {
    Thread connector = new Thread(this::connectUntilConnected, "livegraph-nats-" + spec.name());
    connector.setDaemon(true);
    connector.start();
  }

  private Options options() {
    return new Options.Builder()
        .server(server)
        .connectionName("livegraph " + spec.name())
        .connectionTimeout(CONNECT_TIMEOUT)
        .noRandomize()
        .ignoreDiscoveredServers()
        .maxReconnects(-1)
        .reconnectDelayBehavior(Options.ReconnectDelayBehavior.BeforeAllRounds)
        .reconnectDelayHandler(this::reconnectDelay)
        .reconnectBufferSize(RECONNECT_BUFFER_BYTES)
        .connectionListener(new StatusEvents())
        .errorListener(new Errors())
        .build();
  }

  /** On the source's connect thread: the first connection, with our backoff between tries. */
  private void connectUntilConnected() {
    Options options = options();
    while (!phase.closed()) {
      lastError = null;
      try {
        Connection c = Nats.connect(options);
        connection = c;
        if (phase.closed()) {
          closeQuietly(c); // close() ran while we connected, and did not see the connection
          return;
        }
        subscribe(c);
        return;
      } catch (IOException e) {
        String reason = lastError;
        retryLater(reason != null ? reason : BrokerPhase.describe(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        phase.set(State.FAILED, "cannot connect: " + BrokerPhase.describe(e));
        return;
      }
    }
  }

  private void retryLater(String reason) {
    long delay;
    synchronized (this) {
      delay = backoff.nextDelayMillis();
    }
    phase.counters().reconnect();
    phase.set(State.RECONNECTING, "reconnecting in " + Durations.human(delay) + ": " + reason);
    try {
      phase.awaitUnlessClosed(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void subscribe(Connection c) throws InterruptedException {
    Dispatcher d =
        c.createDispatcher(message -> messages.deliver(message.getSubject(), message.getData(), sink()));
    d.setPendingLimits(pendingMessages, pendingBytes);
    for (String subject : spec.subjects()) {
      d.subscribe(subject);
    }
    dispatcher = d;
    try {
      c.flush(SUBSCRIBE_TIMEOUT); // the server has our subscriptions once it answered this ping
    } catch (java.util.concurrent.TimeoutException | IllegalStateException e) {
      // Disconnected meanwhile: jnats resubscribes after its reconnect and says RESUBSCRIBED.
      return;
    }
    live();
  }

  /** Whether the server answered a ping sent after the resubscription; false if cut off. */
  private static boolean resubscribed(Connection c) {
    try {
      c.flush(SUBSCRIBE_TIMEOUT);
      return true;
    } catch (java.util.concurrent.TimeoutException | IllegalStateException e) {
      return false; // disconnected again: the next RESUBSCRIBED tries again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void live() {
    synchronized (this) {
      backoff.reset();
    }
    phase.set(State.LIVE, "subscribed to " + String.join(" ", spec.subjects()));
  }

  /** jnats' reconnect thread, before each round of attempts; 0 starts an outage. */
  private Duration reconnectDelay(long round) {
    long delay;
    synchronized (this) {
      if (round == 0) {
        backoff.reset();
      }
      delay = backoff.nextDelayMillis();
    }
    phase.counters().reconnect();
    phase.set(State.RECONNECTING, "reconnecting in " + Durations.human(delay) + ": " + lastError());
    return Duration.ofMillis(delay);
  }

  private String lastError() {
    String e = lastError;
    return e != null ? e : "connection lost";
  }

  /** jnats' slow-consumer drops. */
  @Override
  long libraryDropped() {
    Dispatcher d = dispatcher;
    return d == null ? 0 : d.getDroppedCount();
  }

  @Override
  void release() {
    Connection c = connection;
    if (c != null) {
      closeQuietly(c);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.debug("closing a NATS connection failed: {}", e.toString());
    }
  }

  /** jnats' connection events, on its callback thread, in order. */
  private final class StatusEvents implements ConnectionListener {

    @Override
    @Deprecated // jnats calls the four-argument form below; this one is still abstract
    public void connectionEvent(Connection c, ConnectionListener.Events type) {
      connectionEvent(c, type, null, null);
    }

    @Override
    public void connectionEvent(Connection c, ConnectionListener.Events type, Long time, String uri) {
      if (c != connection) {
        return; // a first attempt that failed (and closed), or one not yet taken over
      }
      switch (type) {
        case DISCONNECTED -> {
          // The delay handler may have said more already ("reconnecting in 1 s: …").
          if (phase.state() == State.LIVE) {
            phase.set(State.RECONNECTING, "reconnecting: " + lastError());
          }
        }
        case RESUBSCRIBED -> {
          // jnats says this once it has queued our SUBs again, not once the server has them: a
          // message published meanwhile by another connection would be missed while we already
          // said "live". Its PONG comes after the SUBs, so the round trip proves them.
          if (dispatcher != null && resubscribed(c)) {
            live();
          }
        }
        case CLOSED -> {
          if (!phase.closed()) {
            phase.set(State.FAILED, "connection closed: " + lastError());
          }
        }
        case LAME_DUCK -> LOG.info("{}: server {} is shutting down", spec.name(), server);
        default -> {
          // CONNECTED is followed by our subscribe; RECONNECTED by RESUBSCRIBED.
        }
      }
    }
  }

  /** jnats' errors: remembered for the status line, slow consumers logged. */
  private final class Errors implements ErrorListener {

    @Override
    public void errorOccurred(Connection c, String error) {
      lastError = "server error: " + error;
    }

    @Override
    public void exceptionOccurred(Connection c, Exception e) {
      lastError = BrokerPhase.describe(e);
    }

    @Override
    public void slowConsumerDetected(Connection c, Consumer consumer) {
      // jnats calls this once per episode, not per dropped message.
      LOG.warn(
          "{}: slow consumer: over {} pending messages or {} bytes, dropping ({} so far)",
          spec.name(), pendingMessages, pendingBytes, consumer.getDroppedCount());
    }
  }
}
