package livegraph.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Over the wire: a consumer connected to the feeder reads numbered, stamped event lines. */
class FeederTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void consumerGetsContiguousNumbers_stampedInOrder_withQuestionFields() throws Exception {
    MicroClock clock = MicroClock.system();
    try (Feeder feeder = new Feeder(new EventLines(1, 16), clock, 0, 1);
        Socket s = new Socket("127.0.0.1", feeder.port())) {
      s.setSoTimeout(10_000);
      assertThat(feeder.awaitConsumer(Duration.ofSeconds(10))).isTrue();
      feeder.start(2000);
      BufferedReader in = new BufferedReader(
          new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      long lastSent = 0;
      for (int n = 1; n <= 50; n++) {
        JsonNode e = JSON.readTree(in.readLine());
        assertThat(e.path("n").asLong()).isEqualTo(n);
        assertThat(e.path("sent").asLong()).isGreaterThanOrEqualTo(lastSent);
        lastSent = e.path("sent").asLong();
        assertThat(e.path("site").asText()).isNotEmpty();
        assertThat(e.path("tags").isArray()).isTrue();
        assertThat(e.fieldNames().next()).isEqualTo("n"); // FrameProbe relies on the order
      }
      feeder.stop();
      assertThat(feeder.sent()).isGreaterThanOrEqualTo(50);
    }
  }
}
