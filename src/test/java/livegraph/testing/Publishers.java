package livegraph.testing;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import redis.clients.jedis.Jedis;

/**
 * Publishes test messages with each broker's own client, each call done when the broker has
 * the message: MQTT at QoS 1 (acknowledged), NATS flushed (the server answered a ping after
 * it), Redis answered with the number of subscribers that got it. Connections are opened on
 * first use and again after {@link #close()}, e.g. when a broker was restarted. Test thread
 * only.
 */
public final class Publishers implements AutoCloseable {

  private final BrokerProcess mosquitto;
  private final BrokerProcess nats;
  private final BrokerProcess redis;
  private Mqtt5BlockingClient mqttClient;
  private Connection natsConnection;
  private Jedis jedis;

  /** Any of the brokers may be null when a test does not publish to it. */
  public Publishers(BrokerProcess mosquitto, BrokerProcess nats, BrokerProcess redis) {
    this.mosquitto = mosquitto;
    this.nats = nats;
    this.redis = redis;
  }

  /** Publishes at QoS 1 and returns once the broker acknowledged it. */
  public void mqtt(String topic, String text) {
    if (mqttClient == null) {
      mqttClient = MqttClient.builder().useMqttVersion5().serverHost("127.0.0.1")
          .serverPort(mosquitto.port()).buildBlocking();
      mqttClient.connect();
    }
    mqttClient.publishWith().topic(topic).payload(text.getBytes(StandardCharsets.UTF_8))
        .qos(MqttQos.AT_LEAST_ONCE).send();
  }

  /** Publishes and returns once the server has it. */
  public void nats(String subject, String text) {
    try {
      if (natsConnection == null) {
        ErrorListener quiet = new ErrorListener() {}; // its own reconnects are of no interest
        natsConnection = Nats.connect(new Options.Builder().server(nats.uri("nats").toString())
            .errorListener(quiet).maxReconnects(0).build());
      }
      natsConnection.publish(subject, text.getBytes(StandardCharsets.UTF_8));
      natsConnection.flush(Duration.ofSeconds(5));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("NATS flush timed out", e);
    }
  }

  /** Publishes and returns how many subscribers (a pattern subscription counts) got it. */
  public long redis(String channel, String text) {
    if (jedis == null) {
      jedis = new Jedis("127.0.0.1", redis.port());
    }
    return jedis.publish(channel, text);
  }

  /** Closes every connection; the next publish opens a new one. */
  @Override
  public void close() {
    if (mqttClient != null) {
      try {
        if (mqttClient.getState().isConnected()) {
          mqttClient.disconnect();
        }
      } catch (RuntimeException e) {
        // the broker may be gone already
      }
      mqttClient = null;
    }
    if (natsConnection != null) {
      try {
        natsConnection.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      natsConnection = null;
    }
    if (jedis != null) {
      try {
        jedis.close();
      } catch (RuntimeException e) {
        // the server may be gone already
      }
      jedis = null;
    }
  }
}
