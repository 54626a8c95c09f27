package livegraph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import livegraph.testing.Poll;
import livegraph.testing.TestViewer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Filtered views over the wire: raw WebSocket viewers of a running livegraph, the events pushed
 * through its Java API, the numbers checked against an oracle of those events.
 */
class FilteredViewsIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] SITES = {"math", "stackoverflow", "ux"};
  private static final String[] TAGS = {"algebra", "java", "linux"};

  private Livegraph live;
  private final List<Map<String, Object>> pushed = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    live = Livegraph.create(Livegraph.Config.defaults().withCharts("Sites",
        Chart.bar("Sites").id("sites").by("site").windows("10m", "all"),
        Chart.bar("Tags").id("tags").by("tags").windows("10m", "all").top(50),
        Chart.number("Questions").id("n").measure("count").window("all"))).start(0);
  }

  @AfterEach
  void stop() {
    live.close();
  }

  private void push(int count, int offset) {
    for (int i = 0; i < count; i++) {
      int k = offset + i;
      Map<String, Object> event = Map.of("site", SITES[k % SITES.length],
          "tags", List.of(TAGS[k % TAGS.length], TAGS[(k / 3) % TAGS.length]));
      pushed.add(event);
      assertThat(live.event(event)).isTrue();
    }
  }

  private TestViewer connect(String query) {
    return TestViewer.connect(URI.create("ws://127.0.0.1:" + live.port() + "/ws" + query),
        "http://127.0.0.1:" + live.port());
  }

  private JsonNode health() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + live.port() + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  /** What a page shows: the latest state of each chart, and every sequenced message by seq. */
  private static final class Seen {
    final Map<String, JsonNode> charts = new HashMap<>();
    final Map<Long, JsonNode> bySeq = new TreeMap<>();
    JsonNode hello;

    boolean take(JsonNode m) {
      String type = m.get("type").asText();
      if (type.equals("hello")) {
        hello = m;
      } else if (type.equals("snapshot") || type.equals("delta")) {
        bySeq.put(m.get("seq").asLong(), m);
        m.get("charts").properties().forEach(e -> charts.put(e.getKey(), e.getValue()));
      }
      return true;
    }

    long count() {
      JsonNode n = charts.get("n");
      return n == null ? -1 : n.get("value").asLong(-1);
    }
  }

  private static void watchUntil(TestViewer viewer, Seen seen, long count) throws Exception {
    viewer.until(WAIT, "a count of " + count, m -> seen.take(m) && seen.count() == count);
  }

  private long count(String site) {
    return pushed.stream().filter(e -> e.get("site").equals(site)).count();
  }

  private Map<String, Long> tagsOf(String site) {
    Map<String, Long> tags = new TreeMap<>();
    for (Map<String, Object> e : pushed) {
      if (e.get("site").equals(site)) {
        @SuppressWarnings("unchecked")
        List<String> list = (List<String>) e.get("tags");
        new LinkedHashSet<>(list).forEach(tag -> tags.merge(tag, 1L, Long::sum));
      }
    }
    return tags;
  }

  private static Map<String, Long> bars(JsonNode chart) {
    JsonNode all = chart.at("/windows/all");
    Map<String, Long> bars = new TreeMap<>();
    for (int i = 0; i < all.get("x").size(); i++) {
      bars.put(all.get("x").get(i).asText(), all.at("/columns/0/" + i).asLong());
    }
    return bars;
  }

  @Test
  void twoViewersOfOneFilter_shareOneView_andGetTheSameFrames_aThirdSeesEverything()
      throws Exception {
    push(30, 0);
    Poll.until(WAIT, () -> live.hub().charts().get("n") != null
        && new String(live.hub().charts().get("n")).contains("\"value\":30"), "30 counted");

    try (TestViewer byUrl = connect("?filter=site&value=math");
        TestViewer byMessage = connect("");
        TestViewer whole = connect("")) {
      Seen a = new Seen();
      Seen b = new Seen();
      Seen all = new Seen();
      watchUntil(byUrl, a, count("math"));
      byMessage.send("{\"type\":\"view\",\"filter\":{\"field\":\"site\",\"value\":\"math\"}}");
      byMessage.until(WAIT, "the view's hello",
          m -> m.get("type").asText().equals("hello") && m.has("view"));
      watchUntil(byMessage, b, count("math"));
      Poll.until(WAIT, () -> {
        try {
          JsonNode d = health().at("/dashboards/0");
          return d.get("views").asInt() == 1 && d.get("viewers").asInt() == 3;
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }, "one view, three viewers in /healthz");

      push(45, 30);
      watchUntil(byUrl, a, count("math"));
      watchUntil(byMessage, b, count("math"));
      watchUntil(whole, all, pushed.size());

      assertThat(a.hello.get("view")).isEqualTo(JSON.readTree(
          "{\"field\":\"site\",\"value\":\"math\",\"historyFrom\":"
              + a.hello.at("/view/historyFrom").asLong() + ",\"complete\":true}"));
      assertThat(all.hello.has("view")).isFalse();
      assertThat(bars(a.charts.get("tags"))).isEqualTo(tagsOf("math"));
      assertThat(bars(a.charts.get("sites"))).as("grouped by the filter field: every site")
          .containsOnlyKeys(SITES);
      assertThat(bars(all.charts.get("sites")).get("ux")).isEqualTo(count("ux"));
      // One hub: each frame both saw is the same frame.
      List<Long> common = new ArrayList<>(a.bySeq.keySet());
      common.retainAll(b.bySeq.keySet());
      assertThat(common).as("deltas both received").isNotEmpty();
      for (long seq : common) {
        if (b.bySeq.get(seq).get("type").asText().equals("delta")) {
          assertThat(b.bySeq.get(seq)).as("seq " + seq).isEqualTo(a.bySeq.get(seq));
        }
      }
      assertThat(health().at("/dashboards/0/views").asInt()).isEqualTo(1);
    }
  }

  @Test
  void aFieldNoChartGroupsBy_isRefused_andTheViewerSeesEverything() throws Exception {
    push(6, 0);
    try (TestViewer v = connect("?filter=n&value=1")) {
      JsonNode hello = v.next(WAIT);
      assertThat(hello.has("view")).isFalse();
      assertThat(v.until(WAIT, "error", m -> m.get("type").asText().equals("error"))
          .get("message").asText())
          .isEqualTo("filter refused: no chart groups by \"n\"; filter by one of [site, tags]");
      watchUntil(v, new Seen(), 6);
    }
  }
}
