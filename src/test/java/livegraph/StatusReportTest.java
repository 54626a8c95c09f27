package livegraph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import livegraph.source.SkipReason;
import livegraph.source.SourceStatus;
import org.junit.jupiter.api.Test;

class StatusReportTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final StatusReport report = new StatusReport();

  private JsonNode report(long events, long millis) throws Exception {
    SourceStatus s = new SourceStatus(SourceStatus.State.LIVE, "subscribed", events, 2, 5,
        Map.of(SkipReason.NOT_JSON, 3L), 0);
    return JSON.readTree(report.message(s, millis, 7));
  }

  @Test
  void firstReport_hasNoRate_andCarriesStateCountsAndViewers() throws Exception {
    JsonNode m = report(100, 1_000);
    assertThat(m.get("type").asText()).isEqualTo("status");
    assertThat(m.at("/source/state").asText()).isEqualTo("live");
    assertThat(m.at("/source/events").asLong()).isEqualTo(100);
    assertThat(m.at("/source/skipped").asLong()).isEqualTo(3);
    assertThat(m.at("/source/dropped").asLong()).isEqualTo(2);
    assertThat(m.at("/source/eventsPerSecond").asDouble()).isZero();
    assertThat(m.get("viewers").asInt()).isEqualTo(7);
  }

  @Test
  void rate_isAveragedOverTheLastTenReports() throws Exception {
    long events = 0;
    long t = 0;
    report(events, t);
    // a bursty feed: 9, 0, 9, 0 ... events in consecutive seconds averages 4.5/s
    for (int i = 1; i <= 30; i++) {
      events += i % 2 == 1 ? 9 : 0;
      t += 1_000;
      JsonNode m = report(events, t);
      if (i >= 10 && i % 2 == 0) {
        assertThat(m.at("/source/eventsPerSecond").asDouble()).isEqualTo(4.5);
      }
    }
  }

  @Test
  void rate_usesTheRealTimeBetweenReports_whenTheTickerRunsLate() throws Exception {
    report(0, 0);
    assertThat(report(30, 3_000).at("/source/eventsPerSecond").asDouble()).isEqualTo(10.0);
  }
}
