package livegraph.source;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopicFilter;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscription;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import livegraph.source.SourceStatus.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Source} subscribed to MQTT topic filters, over MQTT 3.1.1 or 5, through the HiveMQ
 * client; the topic of each message is the meta field {@code @topic}.
 *
 * <p>Reconnect is ours: the client's disconnected listener, called for a lost connection and for
 * a failed attempt alike, takes the next delay from {@link Backoff}, shows it in the status and
 * asks the client to reconnect after it. Sessions are clean (3.1.1 clean session, 5 session
 * expiry 0), so every connection subscribes again, with its message callback, from the
 * connected listener; the client's own resubscribe is switched off so there is one path. LIVE means the broker acknowledged the
 * subscription; the backoff restarts from its base then.
 *
 * <p>Threads: HiveMQ's Netty event loops (daemon threads of this class's executor) run the
 * listeners and deliver messages. Delivery uses a direct executor, so each message is decoded
 * and offered on the I/O thread: a slow pipeline slows the socket instead of filling a queue.
 * What the client may hold is bounded by the receive maximum (unacknowledged QoS 1 messages,
 * {@value #RECEIVE_MAXIMUM}) and, over MQTT 5, the largest packet the broker may send ({@value
 * #MAX_PACKET_BYTES} bytes; MQTT 3.1.1 cannot say, so there the protocol's 256 MiB applies).
 * Payloads over {@link BrokerMessages#MAX_PAYLOAD_BYTES} are skipped as too large.
 */
final class MqttSource extends BrokerSource {

  /** QoS 1 messages the broker may send before we acknowledge (MQTT 5 receive maximum). */
  static final int RECEIVE_MAXIMUM = 64;

  /** The largest MQTT 5 packet we accept; larger ones the broker must not send us. */
  static final int MAX_PACKET_BYTES = 8 << 20;

  /** A silent connection is noticed after one and a half keep-alive intervals. */
  static final int KEEP_ALIVE_SECONDS = 30;

  private static final Logger LOG = LoggerFactory.getLogger(MqttSource.class);

  // Runs each client's event loops on daemon threads: a source that is never closed must not
  // keep the JVM alive (HiveMQ's own threads are not daemons).
  private static final Executor NETTY_THREADS =
      new ThreadPerTaskExecutor(new DefaultThreadFactory("livegraph-mqtt", true));

  // Delivery on the thread that read the message, without a hand-off queue.
  private static final Executor DIRECT = Runnable::run;

  private final MqttSpec spec;
  private final String host;
  private final int port;
  private final String clientId;
  private final BrokerMessages messages;
  private final Backoff backoff; // guarded by this: listeners run on whichever loop has the connection

  private volatile Mqtt5AsyncClient v5; // exactly one of these is set by start()
  private volatile Mqtt3AsyncClient v3;

  MqttSource(MqttSpec spec, SourceContext context) {
    super(Objects.requireNonNull(spec, "spec").name(), spec.description(), LOG);
    this.spec = spec;
    for (String topic : spec.topics()) {
      try {
        MqttTopicFilter.of(topic);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "mqtt topic filter \"" + topic + "\" is not valid: " + e.getMessage());
      }
    }
    this.host = spec.broker().getHost();
    this.port = spec.broker().getPort() > 0 ? spec.broker().getPort() : 1883;
    this.clientId = spec.clientId() != null ? spec.clientId() : generatedClientId(context.random());
    this.messages =
        new BrokerMessages(
            spec.name(), "@topic", spec.decoding(), context.clock(), phase.counters(), LOG,
            context.demand());
    this.backoff = BrokerPhase.backoff(context);
  }

  /**
   * A client identifier unique enough that two sources never take over each other's session:
   * 23 letters and digits, the most every 3.1.1 broker must accept.
   */
  static String generatedClientId(RandomGenerator random) {
    return String.format("livegraph%014x", random.nextLong() & 0x00ff_ffff_ffff_ffffL);
  }

  String clientId() {
    return clientId;
  }

  @Override
  String address() {
    return host + ":" + port;
  }

  @Override
  void connect() {
    MqttClientBuilder builder =
        MqttClient.builder()
            .identifier(clientId)
            .serverHost(host)
            .serverPort(port)
            .executorConfig()
            .nettyExecutor(NETTY_THREADS)
            .nettyThreads(1)
            .applyExecutorConfig()
            .addConnectedListener(context -> connected())
            .addDisconnectedListener(this::disconnected);
    if (spec.version() == 5) {
      Mqtt5AsyncClient client = builder.useMqttVersion5().buildAsync();
      v5 = client;
      client
          .connectWith()
          .cleanStart(true)
          .sessionExpiryInterval(0)
          .keepAlive(KEEP_ALIVE_SECONDS)
          .restrictions()
          .receiveMaximum(RECEIVE_MAXIMUM)
          .maximumPacketSize(MAX_PACKET_BYTES)
          .applyRestrictions()
          .send(); // failures reach the disconnected listener
    } else {
      Mqtt3AsyncClient client = builder.useMqttVersion3().buildAsync();
      v3 = client;
      client.connectWith().cleanSession(true).keepAlive(KEEP_ALIVE_SECONDS).send();
    }
  }

  private static ByteBuffer payload(java.util.Optional<ByteBuffer> payload) {
    return payload.orElse(ByteBuffer.allocate(0));
  }

  @Override
  void release() {
    CompletableFuture<Void> done =
        v5 != null ? v5.disconnect() : v3 != null ? v3.disconnect() : null;
    if (done == null) {
      return;
    }
    try {
      // Also cancels a pending reconnect; fails when no connection is up, which is fine.
      done.get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception notConnected) {
      // Nothing to say goodbye to; the disconnected listener will not reconnect a closed source.
    }
  }

  /**
   * On the client's event loop, after CONNACK: subscribe again, with the callback that takes
   * the messages. The session is clean, and HiveMQ ends a session's message flows with it, so
   * each connection gets a flow of its own and none is ever delivered to twice.
   */
  private void connected() {
    if (phase.closed()) {
      // A reconnect raced with close(): leave at once.
      if (v5 != null) {
        v5.disconnect();
      } else if (v3 != null) {
        v3.disconnect();
      }
      return;
    }
    MqttQos qos = MqttQos.fromCode(spec.qos());
    if (v5 != null) {
      List<Mqtt5Subscription> subscriptions = new ArrayList<>();
      for (String topic : spec.topics()) {
        subscriptions.add(Mqtt5Subscription.builder().topicFilter(topic).qos(qos).build());
      }
      v5.subscribe(
              Mqtt5Subscribe.builder().addSubscriptions(subscriptions).build(),
              p -> messages.deliver(p.getTopic().toString(), payload(p.getPayload()), sink()),
              DIRECT)
          .whenComplete((ack, error) -> subscribed(ack == null ? v5Codes(error) : v5Codes(ack), error));
    } else {
      List<Mqtt3Subscription> subscriptions = new ArrayList<>();
      for (String topic : spec.topics()) {
        subscriptions.add(Mqtt3Subscription.builder().topicFilter(topic).qos(qos).build());
      }
      v3.subscribe(
              Mqtt3Subscribe.builder().addSubscriptions(subscriptions).build(),
              p -> messages.deliver(p.getTopic().toString(), payload(p.getPayload()), sink()),
              DIRECT)
          .whenComplete((ack, error) -> subscribed(ack == null ? v3Codes(error) : v3Codes(ack), error));
    }
  }

  /** Per topic filter, null when granted, else why the broker refused it. */
  private static List<String> v5Codes(Mqtt5SubAck ack) {
    return ack.getReasonCodes().stream().map(c -> c.isError() ? c.name() : null).toList();
  }

  private static List<String> v5Codes(Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    return cause instanceof Mqtt5SubAckException e ? v5Codes(e.getMqttMessage()) : null;
  }

  private static List<String> v3Codes(Mqtt3SubAck ack) {
    return ack.getReturnCodes().stream().map(c -> c.isError() ? c.name() : null).toList();
  }

  private static List<String> v3Codes(Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    return cause instanceof Mqtt3SubAckException e ? v3Codes(e.getMqttMessage()) : null;
  }

  /**
   * The broker answered the subscription, or the connection went before it did.
   *
   * @param codes per topic filter: null granted, else the refusal; null when there is no SUBACK
   */
  private void subscribed(List<String> codes, Throwable error) {
    if (codes == null) {
      // No SUBACK: the connection was lost meanwhile and the disconnected listener has it.
      LOG.debug("{}: subscribe did not complete: {}", spec.name(), error == null ? "" : error.toString());
      return;
    }
    List<String> granted = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (int i = 0; i < spec.topics().size(); i++) {
      String code = i < codes.size() ? codes.get(i) : "no answer";
      if (code == null) {
        granted.add(spec.topics().get(i));
      } else {
        refused.add(spec.topics().get(i) + " (" + code + ")");
      }
    }
    if (granted.isEmpty()) {
      // Retrying would be refused the same way: say so and stay connected.
      phase.set(State.FAILED, "broker refused the subscription: " + String.join(", ", refused));
      return;
    }
    synchronized (this) {
      backoff.reset();
    }
    phase.set(
        State.LIVE,
        "subscribed to " + String.join(" ", granted)
            + (refused.isEmpty() ? "" : "; refused: " + String.join(", ", refused)));
  }

  /** For a lost connection and for a failed attempt alike, on the client's event loop. */
  private void disconnected(MqttClientDisconnectedContext context) {
    if (phase.closed() || context.getSource() == MqttDisconnectSource.USER) {
      return; // our own close(): no reconnect
    }
    long delay;
    synchronized (this) {
      delay = backoff.nextDelayMillis();
    }
    phase.counters().reconnect();
    context
        .getReconnector()
        .reconnect(true)
        .resubscribeIfSessionExpired(false)
        .resubscribeIfSessionPresent(false)
        .republishIfSessionExpired(false)
        .delay(delay, TimeUnit.MILLISECONDS);
    phase.set(
        State.RECONNECTING,
        "reconnecting in " + Durations.human(delay) + ": " + BrokerPhase.describe(context.getCause()));
  }
}
