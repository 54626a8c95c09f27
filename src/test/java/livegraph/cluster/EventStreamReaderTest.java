package livegraph.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import livegraph.testing.Poll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

class EventStreamReaderTest {

  private static final HostAndPort NOWHERE = new HostAndPort("127.0.0.1", 1);

  @Test
  void readerOfARefusingRedis_countsFailures_keepsItsPlace_andCloses() throws Exception {
    HostAndPort closed = new HostAndPort("127.0.0.1", EventStreamWriterTest.closedPort());
    EventStreamReader reader =
        new EventStreamReader(closed, "k", "5-1", 10, (id, e) -> {}, Thread::new, new Random(1));
    reader.start();
    Poll.until(Duration.ofSeconds(30), () -> reader.failures() >= 1, "a failed read");

    assertThat(reader.lastId()).isEqualTo("5-1");
    assertThat(reader.caughtUp()).isFalse();
    reader.close();
  }

  @Test
  void readerStartId_mustBeZeroOrAnEntryId() {
    assertThatThrownBy(
            () -> new EventStreamReader(NOWHERE, "k", "latest", 10, (id, e) -> {}, Thread::new, new Random(1)))
        .hasMessageContaining("start ID must be \"0\" or a stream entry ID").hasMessageEndingWith(": latest");
  }
}
