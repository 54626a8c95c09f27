package livegraph.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import livegraph.pipeline.Event;
import livegraph.testing.Poll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

class EventStreamWriterTest {

  private static final HostAndPort NOWHERE = new HostAndPort("127.0.0.1", 1);

  @Test
  void fullQueue_refusesAndCounts_withoutBlocking() {
    // Not started: nothing drains the queue, so its bound alone decides.
    EventStreamWriter writer = new EventStreamWriter(NOWHERE, "k", 100, 2, Thread::new, new Random(1));

    assertThat(writer.append(new Event(1, Map.of()))).isTrue();
    assertThat(writer.append(new Event(2, Map.of()))).isTrue();
    assertThat(writer.append(new Event(3, Map.of()))).isFalse();

    assertThat(writer.appended()).isEqualTo(2);
    assertThat(writer.dropped()).isEqualTo(1);
    assertThat(writer.pending()).isEqualTo(2);
  }

  @Test
  void redisRefusing_keepsTheBatchAndRetries_andCloseCountsItUnwritten() throws Exception {
    HostAndPort closed = new HostAndPort("127.0.0.1", closedPort());
    EventStreamWriter writer = new EventStreamWriter(closed, "k", 100, 10, Thread::new, new Random(1));
    writer.start();
    for (int i = 0; i < 3; i++) {
      writer.append(new Event(i, Map.of()));
    }
    Poll.until(Duration.ofSeconds(30), () -> writer.failures() >= 1 && writer.pending() == 0, "a failed send");

    assertThat(writer.written()).isZero();
    assertThat(writer.lastError()).isNotNull();
    writer.close();
    assertThat(writer.unwritten()).isEqualTo(3); // the batch held for its retry, none lost silently
  }

  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort(); // closed again at once: connections to it are refused
    }
  }

  @Test
  void closedWriter_refusesAndCounts() {
    EventStreamWriter writer = new EventStreamWriter(NOWHERE, "k", 100, 10, Thread::new, new Random(1));
    writer.close();

    assertThat(writer.append(new Event(1, Map.of()))).isFalse();
    assertThat(writer.dropped()).isEqualTo(1);
  }

  @Test
  void badSettings_nameTheValue() {
    assertThatThrownBy(() -> new EventStreamWriter(NOWHERE, "k", 0, 10, Thread::new, new Random(1)))
        .hasMessage("maxLen must be positive: 0");
    assertThatThrownBy(() -> new EventStreamWriter(NOWHERE, "k", 10, -1, Thread::new, new Random(1)))
        .hasMessage("capacity must be positive: -1");
    assertThatThrownBy(() -> new EventStreamWriter(NOWHERE, "", 10, 1, Thread::new, new Random(1)))
        .hasMessageContaining("stream key must not be empty");
  }
}
