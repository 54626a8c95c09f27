package livegraph.browser;

import static livegraph.testing.PublishedMessages.Measure.AVG;
import static livegraph.testing.PublishedMessages.Measure.COUNT;
import static livegraph.testing.PublishedMessages.Measure.SUM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Predicate;
import livegraph.Livegraph;
import livegraph.testing.MosquittoBroker;
import livegraph.testing.Poll;
import livegraph.testing.PublishedMessages;
import livegraph.testing.PublishedMessages.Message;
import livegraph.testing.Publishers;
import livegraph.testing.RedisBroker;
import livegraph.testing.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dashboard of an MQTT and a Redis source in a real headless Chromium, served by a real
 * livegraph reading real Mosquitto and redis-server processes on loopback: what Plotly and the
 * page's DOM hold equals an oracle computed from the messages published, after each of two
 * batches. One browser and one page load for the class: loading Plotly costs seconds here.
 */
class BrokerDashboardPageIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  /** Everything the page shows of the charts, read in one script. */
  private static final String READ_PAGE = String.join("\n",
      "const trace = (id) => { const e = document.getElementById('chart-' + id);",
      "  return e && e.data && e.data[0] ? e.data[0] : null; };",
      "const bar = (id) => { const t = trace(id); return t ? t.x.map((k, i) => [k, t.y[i]]) : null; };",
      "const pie = (id) => { const t = trace(id);",
      "  return t ? t.labels.map((k, i) => [k, t.values[i]]) : null; };",
      "const texts = (selector) => [...document.querySelectorAll(selector)]",
      "  .map((row) => [...row.children].map((c) => c.textContent));",
      "const state = (id) => window.livegraph.charts[id] || null;",
      "return {",
      "  bySource: bar('by-source'),",
      "  sumByTopic: bar('sum-by-topic'),",
      "  channels: pie('channels'),",
      "  levelsHead: texts('#chart-levels thead tr'),",
      "  levels: texts('#chart-levels tbody tr'),",
      "  median: document.querySelector('#chart-median .number-value').textContent,",
      "  medianValue: state('median') ? state('median').value : null,",
      "  mean: document.querySelector('#chart-mean .number-value').textContent,",
      "  latest: [...document.querySelectorAll('#chart-latest li')]",
      "    .map((li) => [li.querySelector('.item-title'), ...li.querySelectorAll('.item-field')]"
          + ".map((s) => s.textContent)),",  // a list without "title" heads items with its first field
      "};");

  @TempDir static Path dir;

  private static MosquittoBroker mosquitto;
  private static RedisBroker redis;
  private static Livegraph livegraph;
  private static Chromium chromium;
  private static String prefix;

  private final PublishedMessages sent = new PublishedMessages();
  private final SplittableRandom random = new SplittableRandom(77);
  private long serial;

  @BeforeAll
  static void start() throws Exception {
    mosquitto = new MosquittoBroker();
    redis = new RedisBroker();
    prefix = "lg" + UUID.randomUUID().toString().substring(0, 8);
    Path file = dir.resolve("sensors.yaml");
    Files.writeString(file, String.join("\n",
        "title: Sensors and services",
        "sources:",
        "  mq:",
        "    mqtt: {broker: 'tcp://127.0.0.1:" + mosquitto.port() + "', topics: ['" + prefix
            + "/+/reading'], qos: 1}",
        "  rd:",
        "    redis: {server: 'redis://127.0.0.1:" + redis.port() + "', channels: ['" + prefix
            + ".web', '" + prefix + ".db']}",
        "charts:",
        "  - {id: by-source, title: Messages by source, type: bar, by: '@source', windows: [all]}",
        "  - {id: sum-by-topic, title: Sum by topic, type: bar, source: mq, by: '@topic',",
        "     measure: sum(value), windows: [all]}",
        "  - {id: channels, title: Messages by channel, type: pie, source: rd, by: '@channel',",
        "     windows: [all]}",
        "  - {id: levels, title: Levels, type: table, by: level, windows: [all],",
        "     columns: [{label: Messages, measure: count}, {label: Mean, measure: avg(value)}]}",
        "  - {id: median, title: Median value, type: number, measure: p50(value), window: all}",
        "  - {id: mean, title: Mean value, type: number, measure: avg(value), window: all}",
        "  - {id: latest, title: Latest readings, type: list, source: mq, size: 3,",
        "     fields: [n, '@topic']}",
        ""));
    livegraph = Livegraph.create(Livegraph.Config.defaults().withFiles(List.of(file))).start(0);
    awaitSourcesLive();
    chromium = Chromium.openLivegraph(dir.resolve("profile"), livegraph.port(), WAIT);
  }

  @AfterAll
  static void stop() throws Exception {
    Resources.closeAll(chromium, livegraph, mosquitto, redis);
  }

  @Test
  void pageCharts_equalTheOracle_afterEachBatchOfBrokerMessages() {
    try (Publishers publish = new Publishers(mosquitto, null, redis)) {
      publishBatch(publish, 9);
      awaitPageEqualsTheOracle("the first batch");
      publishBatch(publish, 5);
      awaitPageEqualsTheOracle("both batches");
    }
    assertThat(chromium.consoleErrors()).isEmpty();
    assertThat(chromium.js("return window.livegraph.drawErrors")).isEqualTo(0L);
  }

  private void publishBatch(Publishers publish, int count) {
    String[] rooms = {"kitchen", "garage", "attic"};
    String[] channels = {"web", "db"};
    for (int i = 0; i < count; i++) {
      Message m = message("mq", prefix + "/" + rooms[i % 3] + "/reading");
      publish.mqtt(m.origin(), m.json(false));
      Message r = message("rd", prefix + "." + channels[i % 2]);
      assertThat(publish.redis(r.origin(), r.json(false))).as("redis subscribers").isEqualTo(1);
    }
  }

  private Message message(String source, String origin) {
    int r = random.nextInt(10);
    String level = r < 6 ? "info" : r < 9 ? "warn" : "error";
    // A multiple of 1/4 below 1000: sums of these are exact in any order.
    Message m = new Message(source, origin, serial++, level, (1 + random.nextInt(3996)) / 4.0);
    sent.add(m);
    return m;
  }

  /** Polls the page until it shows the oracle; on timeout, asserts each chart to show how it differs. */
  private void awaitPageEqualsTheOracle(String what) {
    try {
      chromium.until(WAIT, "the page to show the oracle of " + what,
          () -> pageDiffers(read()) == null ? Boolean.TRUE : null);
    } catch (AssertionError timedOut) {
      Map<String, Object> shown = read();
      String difference = pageDiffers(shown);
      throw new AssertionError(timedOut.getMessage() + "\nfirst difference: " + difference
          + "\npage: " + shown, timedOut);
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> read() {
    return (Map<String, Object>) chromium.js(READ_PAGE);
  }

  /** What the page shows that the oracle does not, or null when they agree. */
  @SuppressWarnings("unchecked")
  private String pageDiffers(Map<String, Object> page) {
    Predicate<Message> any = m -> true;
    Predicate<Message> mq = m -> m.source().equals("mq");
    Predicate<Message> rd = m -> m.source().equals("rd");
    List<String> wrong = new ArrayList<>();
    check(wrong, "by-source", numbers(page.get("bySource")), sent.keyed(any, Message::source, COUNT));
    check(wrong, "sum-by-topic", numbers(page.get("sumByTopic")),
        sent.keyed(mq, Message::origin, SUM));
    check(wrong, "channels", numbers(page.get("channels")), sent.keyed(rd, Message::origin, COUNT));
    check(wrong, "levels head", page.get("levelsHead"), List.of(List.of("level", "Messages", "Mean")));
    List<List<Object>> levels = sent.keyed(any, Message::level, COUNT, AVG);
    List<List<String>> rows = (List<List<String>>) page.get("levels");
    if (rows.size() != levels.size()) {
      wrong.add("levels: " + rows + " for " + levels);
    } else {
      for (int i = 0; i < rows.size(); i++) {
        List<Object> expected = levels.get(i);
        List<String> row = rows.get(i);
        if (!row.get(0).equals(expected.get(0))
            || !row.get(1).equals(Long.toString(((Double) expected.get(1)).longValue()))
            || !shows(row.get(2), (Double) expected.get(2), 0)) {
          wrong.add("levels row " + i + ": " + row + " for " + expected);
        }
      }
    }
    double median = sent.quantile(any, 0.5);
    Object medianValue = page.get("medianValue");
    if (!(medianValue instanceof Number v) || Math.abs(v.doubleValue() - median) > 0.01 * median
        || !shows((String) page.get("median"), median, 0.01)) {
      wrong.add("median: " + page.get("median") + " (" + medianValue + ") for " + median + " ± 1%");
    }
    if (!shows((String) page.get("mean"), sent.value(any, AVG), 0)) {
      wrong.add("mean: " + page.get("mean") + " for " + sent.value(any, AVG));
    }
    List<Message> readings = sent.of("mq");
    List<List<String>> latest = new ArrayList<>();
    for (int i = readings.size() - 1; i >= Math.max(0, readings.size() - 3); i--) {
      latest.add(List.of(Long.toString(readings.get(i).n()), readings.get(i).origin()));
    }
    check(wrong, "latest", page.get("latest"), latest);
    return wrong.isEmpty() ? null : String.join("; ", wrong);
  }

  private static void check(List<String> wrong, String chart, Object shown, Object expected) {
    if (!expected.equals(shown)) {
      wrong.add(chart + ": " + shown + " for " + expected);
    }
  }

  /** Rows {@code [key, number]} from the page, numbers as Double; null stays null. */
  @SuppressWarnings("unchecked")
  private static List<List<Object>> numbers(Object rows) {
    if (!(rows instanceof List<?> list)) {
      return null;
    }
    List<List<Object>> out = new ArrayList<>();
    for (Object row : list) {
      List<Object> r = (List<Object>) row;
      out.add(List.of(r.get(0), r.get(1) instanceof Number n ? n.doubleValue() : String.valueOf(r.get(1))));
    }
    return out;
  }

  /**
   * Whether {@code text}, a number as the page formats it (about three significant digits,
   * grouped thousands), shows {@code value} within the rounding of its last digit, plus
   * {@code relative} error for an estimate.
   */
  private static boolean shows(String text, Double value, double relative) {
    if (value == null) {
      return "–".equals(text);
    }
    double shown;
    try {
      shown = Double.parseDouble(text.replace(",", ""));
    } catch (NumberFormatException e) {
      return false;
    }
    if (value == 0) {
      return shown == 0;
    }
    double lastDigit = Math.pow(10, Math.floor(Math.log10(Math.abs(value))) - 2);
    return Math.abs(shown - value) <= lastDigit / 2 + relative * Math.abs(value) + 1e-9;
  }

  private static void awaitSourcesLive() {
    HttpClient http = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    Poll.until(WAIT, () -> {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + livegraph.port() + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());
        JsonNode sources = json.readTree(r.body()).path("dashboards").get(0).path("sources");
        return sources.path("mq").path("state").asText().equals("live")
            && sources.path("rd").path("state").asText().equals("live");
      } catch (Exception e) {
        return false;
      }
    }, "both sources live");
  }
}
