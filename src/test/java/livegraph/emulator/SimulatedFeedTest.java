package livegraph.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import livegraph.pipeline.Clock;
import org.apache.commons.text.StringEscapeUtils;
import org.junit.jupiter.api.Test;

class SimulatedFeedTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long NOW_MILLIS = 1_700_000_123_456L;
  private static final Clock FIXED = () -> NOW_MILLIS;

  private static List<Feed.Timed> take(SimulatedFeed feed, int n) {
    List<Feed.Timed> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(feed.next().orElseThrow());
    }
    return out;
  }

  private static JsonNode inner(String frame) throws Exception {
    JsonNode outer = MAPPER.readTree(frame);
    assertThat(outer.path("action").asText()).isEqualTo("155-questions-active");
    assertThat(outer.path("data").isTextual()).as("data is a JSON string").isTrue();
    return MAPPER.readTree(outer.path("data").asText());
  }

  @Test
  void sameSeed_givesIdenticalFrames_andDelays() {
    List<Feed.Timed> a = take(SimulatedFeed.create(50, 42, FIXED), 1000);
    List<Feed.Timed> b = take(SimulatedFeed.create(50, 42, FIXED), 1000);
    List<Feed.Timed> other = take(SimulatedFeed.create(50, 43, FIXED), 1000);

    assertThat(a).isEqualTo(b);
    assertThat(other).isNotEqualTo(a);
  }

  @Test
  void frames_decodeTwice_toTheDocumentedFields() throws Exception {
    Map<String, String> hostByApi = new HashMap<>();
    Sites.load().forEach(s -> hostByApi.put(s.apiSiteParameter(), s.host()));
    int withOwnerUrl = 0;
    for (Feed.Timed t : take(SimulatedFeed.create(50, 1, FIXED), 500)) {
      JsonNode q = inner(t.frame());
      String api = q.path("apiSiteParameter").asText();
      String host = q.path("siteBaseHostAddress").asText();
      assertThat(hostByApi).containsEntry(api, host);
      assertThat(q.path("id").isIntegralNumber()).isTrue();
      long id = q.path("id").asLong();
      assertThat(id).isPositive();
      assertThat(q.path("titleEncodedFancy").asText()).isNotBlank();
      assertThat(q.path("bodySummary").isTextual()).isTrue();
      assertThat(q.path("tags").isArray()).isTrue();
      assertThat(q.path("tags").size()).isBetween(1, 5);
      q.path("tags").forEach(tag -> assertThat(tag.isTextual()).isTrue());
      // The clock's second, or later for a question that came back (see the next test).
      assertThat(q.path("lastActivityDate").asLong()).isGreaterThanOrEqualTo(NOW_MILLIS / 1000);
      assertThat(q.path("url").asText())
          .matches("https://" + java.util.regex.Pattern.quote(host) + "/questions/" + id
              + "/[a-z0-9-]+");
      assertThat(q.path("ownerDisplayName").asText()).isNotBlank();
      if (q.has("ownerUrl")) {
        withOwnerUrl++;
        assertThat(q.path("ownerUrl").asText()).startsWith("https://" + host + "/users/");
      }
    }
    assertThat(withOwnerUrl).as("most questions have an owner URL").isGreaterThan(450);
  }

  @Test
  void questionThatComesBack_getsALaterLastActivityDate_evenWithinTheSameSecond()
      throws Exception {
    Map<String, Long> lastSeen = new HashMap<>();
    int comebacks = 0;
    for (Feed.Timed t : take(SimulatedFeed.create(50, 4, FIXED), 5000)) {
      JsonNode q = inner(t.frame());
      String key = q.path("apiSiteParameter").asText() + "/" + q.path("id").asLong();
      long date = q.path("lastActivityDate").asLong();
      Long before = lastSeen.put(key, date);
      if (before != null) {
        comebacks++;
        assertThat(date).as("%s came back", key).isGreaterThan(before);
      } else {
        assertThat(date).as("%s is new", key).isEqualTo(NOW_MILLIS / 1000);
      }
    }
    assertThat(comebacks).as("about a fifth of the frames are comebacks").isGreaterThan(500);
    // with the clock stopped, every comeback pushes the date on by one second
    assertThat(lastSeen.values().stream().mapToLong(Long::longValue).max().orElseThrow())
        .isGreaterThan(NOW_MILLIS / 1000 + 1);
  }

  @Test
  void comeback_takesTheClocksSecond_whenThatIsAlreadyLater() throws Exception {
    long[] now = {NOW_MILLIS};
    SimulatedFeed feed = SimulatedFeed.create(50, 4, () -> now[0]);
    Map<String, Long> lastSeen = new HashMap<>();
    int comebacks = 0;
    for (int i = 0; i < 2000; i++) {
      now[0] += 10_000; // ten seconds between frames: the clock always wins
      JsonNode q = inner(feed.next().orElseThrow().frame());
      String key = q.path("apiSiteParameter").asText() + "/" + q.path("id").asLong();
      if (lastSeen.put(key, 0L) != null) {
        comebacks++;
      }
      assertThat(q.path("lastActivityDate").asLong()).isEqualTo(now[0] / 1000);
    }
    assertThat(comebacks).isPositive();
  }

  @Test
  void siteFrequencies_followTotalQuestions() throws Exception {
    List<Sites.Site> sites = Sites.load();
    double total = sites.stream().mapToLong(Sites.Site::weight).sum();
    double soWeight = sites.get(0).weight() / total;
    double mathWeight = sites.stream().filter(s -> s.apiSiteParameter().equals("math"))
        .findFirst().orElseThrow().weight() / total;

    Map<String, Integer> counts = new HashMap<>();
    int n = 20_000;
    for (Feed.Timed t : take(SimulatedFeed.create(50, 9, FIXED), n)) {
      counts.merge(inner(t.frame()).path("apiSiteParameter").asText(), 1, Integer::sum);
    }

    assertThat(counts.get("stackoverflow") / (double) n).isCloseTo(soWeight, within(0.02));
    assertThat(counts.get("math") / (double) n).isCloseTo(mathWeight, within(0.01));
    assertThat(counts.size()).as("many communities appear").isGreaterThan(100);
  }

  @Test
  void meanInterArrival_isOneOverTheRate() {
    double rate = 40;
    int n = 20_000;
    double sumSeconds = 0;
    for (Feed.Timed t : take(SimulatedFeed.create(rate, 3, FIXED), n)) {
      assertThat(t.delayNanos()).isNotNegative();
      sumSeconds += t.delayNanos() / 1e9;
    }
    assertThat(sumSeconds / n).isCloseTo(1 / rate, within(0.03 / rate));
  }

  @Test
  void someTitles_containHtmlEntities() throws Exception {
    int n = 4000;
    int withEntities = 0;
    for (Feed.Timed t : take(SimulatedFeed.create(50, 5, FIXED), n)) {
      String title = inner(t.frame()).path("titleEncodedFancy").asText();
      if (!StringEscapeUtils.unescapeHtml4(title).equals(title)) {
        withEntities++;
        assertThat(title).containsPattern("&(quot|amp|#39|lt|gt);");
      }
    }
    assertThat(withEntities / (double) n).isBetween(0.02, 0.09);
  }

  @Test
  void stackOverflowTags_areSkewed_soTopKIsStable() throws Exception {
    Map<String, Integer> tags = new HashMap<>();
    for (Feed.Timed t : take(SimulatedFeed.create(50, 11, FIXED), 5000)) {
      JsonNode q = inner(t.frame());
      if (q.path("apiSiteParameter").asText().equals("stackoverflow")) {
        q.path("tags").forEach(tag -> tags.merge(tag.asText(), 1, Integer::sum));
      }
    }
    String top = tags.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    assertThat(top).isEqualTo("javascript");
    assertThat(tags.get("javascript")).isGreaterThan(3 * tags.getOrDefault("arrays", 0));
  }
}
