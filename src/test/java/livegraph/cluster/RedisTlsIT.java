package livegraph.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import livegraph.pipeline.Event;
import livegraph.testing.Poll;
import livegraph.testing.RedisTlsBroker;
import livegraph.testing.Resources;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

/** The stream's writer and reader over TLS ({@code rediss://}) to a redis-server of our own. */
class RedisTlsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ThreadFactory DAEMONS = r -> {
    Thread t = new Thread(r, "tls-test");
    t.setDaemon(true);
    return t;
  };

  @Test
  void eventsGoThroughATlsRedis_andACertificateNotTrustedIsRefused() throws Exception {
    RedisTlsBroker redis = new RedisTlsBroker();
    EventStreamWriter writer = null;
    EventStreamReader reader = null;
    EventStreamReader untrusting = null;
    try {
      assumeTrue(redis.ownProcess(), redis::whyNoRestart);
      HostAndPort at = new HostAndPort("127.0.0.1", redis.port());
      RedisEndpoint trusted = RedisEndpoint.of(at)
          .withSslFactory(redis.clientContext().getSocketFactory());
      String key = "tls:stream";
      writer = new EventStreamWriter(trusted, key, key + ":ticks", null, 10_000, 0, Map.of(), 100,
          DAEMONS, new Random(1), System::currentTimeMillis);
      writer.start();
      List<Long> got = new CopyOnWriteArrayList<>();
      reader = new EventStreamReader(trusted, key, "0", 100,
          (id, e) -> got.add((Long) e.fields().get("n")), DAEMONS, new Random(2));
      reader.start();
      for (long i = 0; i < 20; i++) {
        writer.append(new Event(1_700_000_000_000L + i, Map.of("n", i)));
      }
      Poll.until(WAIT, () -> got.size() == 20, "20 events through TLS");
      assertThat(got).containsExactlyElementsOf(
          java.util.stream.LongStream.range(0, 20).boxed().toList());

      // The JVM's default trust store does not know the self-signed certificate: no connection.
      untrusting = new EventStreamReader(RedisEndpoint.of(at).withSslFactory(
          (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault()), key,
          "0", 100, (id, e) -> { }, DAEMONS, new Random(3));
      untrusting.start();
      EventStreamReader refused = untrusting;
      Poll.until(WAIT, () -> refused.failures() > 0, "the untrusted certificate refused");
      assertThat(refused.delivered()).isZero();
      assertThat(refused.lastError()).isNotNull();
    } finally {
      Resources.closeAll(untrusting, reader, writer, redis);
    }
  }
}
