package livegraph.pipeline;

import static livegraph.pipeline.TestEvents.event;
import static livegraph.pipeline.TestEvents.json;
import static livegraph.pipeline.TestEvents.longs;
import static livegraph.pipeline.TestEvents.site;
import static livegraph.pipeline.TestEvents.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyedChartTest {

  /** Aligned to a 10 s bucket boundary. */
  private static final long T0 = 1_700_000_000_000L;

  private static final List<Window> WINDOWS = List.of(
      new Window("10m", "10 min", Duration.ofMinutes(10)),
      new Window("1h", "1 hour", Duration.ofHours(1)),
      Window.sinceStart("all", "since start"));

  private static final List<KeyedChartSpec.Column> COUNT =
      List.of(new KeyedChartSpec.Column("Questions", Measure.COUNT));

  private static KeyedChartSpec spec(int topK, int maxKeys, Filter filter, String keyField) {
    return new KeyedChartSpec("bar", "Bar", KeyedChartSpec.Kind.BAR, keyField, COUNT, filter,
        topK, false, WINDOWS, "10m", Duration.ofSeconds(10), maxKeys);
  }

  private static KeyedChart counter(int topK, int maxKeys) {
    return new KeyedChart(spec(topK, maxKeys, null, "apiSiteParameter"), T0);
  }

  private static List<String> keys(Aggregator counter, String window) {
    return strings(json(counter).at("/windows/" + window + "/x"));
  }

  private static List<Long> counts(KeyedChart counter, String window) {
    return longs(json(counter).at("/windows/" + window + "/columns/0"));
  }

  @Test
  void state_hasExactJsonShape() {
    KeyedChart counter = counter(30, 100);
    counter.add(T0, site(T0, "stackoverflow"));
    counter.add(T0, site(T0, "stackoverflow"));
    counter.add(T0, site(T0, "math"));

    assertThat(new String(ChartJson.encode(counter), StandardCharsets.UTF_8)).isEqualTo(
        "{\"windows\":{"
            + "\"10m\":{\"x\":[\"stackoverflow\",\"math\"],\"columns\":[[2,1]]},"
            + "\"1h\":{\"x\":[\"stackoverflow\",\"math\"],\"columns\":[[2,1]]},"
            + "\"all\":{\"x\":[\"stackoverflow\",\"math\"],\"columns\":[[2,1]]}},"
            + "\"overflow\":0}");
  }

  @Test
  void event_countsIn10m_untilExactlyItsBucketLeaves_1hLonger_sinceStartForever() {
    KeyedChart counter = counter(30, 100);
    counter.add(T0 + 5_000, site(T0 + 5_000, "diy"));

    counter.advanceTo(T0 + 599_999); // bucket T0 + 59: the 10 min window still holds T0's
    assertThat(counts(counter, "10m")).containsExactly(1L);

    counter.advanceTo(T0 + 600_000); // the 60th bucket after the event's begins
    assertThat(keys(counter, "10m")).isEmpty();
    assertThat(counts(counter, "1h")).containsExactly(1L);

    counter.advanceTo(T0 + 3_599_999);
    assertThat(counts(counter, "1h")).containsExactly(1L);
    counter.advanceTo(T0 + 3_600_000);
    assertThat(keys(counter, "1h")).isEmpty();

    counter.advanceTo(T0 + Duration.ofDays(30).toMillis());
    assertThat(keys(counter, "all")).containsExactly("diy");
    assertThat(counts(counter, "all")).containsExactly(1L);
  }

  @Test
  void bars_sortedByCountDescending_tiesByKeyAscending_truncatedToTopK() {
    KeyedChart counter = counter(3, 100);
    for (String key : List.of("b", "a", "c", "d", "d", "c", "e", "e", "e")) {
      counter.add(T0, site(T0, key));
    }
    // counts: e=3, c=2, d=2, a=1, b=1: ties broken by key, only 3 shown
    assertThat(keys(counter, "10m")).containsExactly("e", "c", "d");
    assertThat(counts(counter, "10m")).containsExactly(3L, 2L, 2L);
  }

  @Test
  void topK_churns_asCountsChangeAndBucketsExpire() {
    KeyedChart counter = counter(2, 100);
    counter.add(T0, site(T0, "a"));
    counter.add(T0, site(T0, "a"));
    counter.add(T0, site(T0, "b"));
    assertThat(keys(counter, "10m")).containsExactly("a", "b");

    long later = T0 + 300_000;
    for (int i = 0; i < 3; i++) {
      counter.add(later, site(later, "c"));
    }
    // c enters on top, b leaves the top 2
    assertThat(keys(counter, "10m")).containsExactly("c", "a");

    counter.advanceTo(T0 + 600_000); // a and b expire from 10m, c stays
    assertThat(keys(counter, "10m")).containsExactly("c");
    assertThat(keys(counter, "1h")).containsExactly("c", "a");

    counter.add(T0 + 600_000, site(T0 + 600_000, "b"));
    assertThat(keys(counter, "10m")).containsExactly("c", "b");
  }

  @Test
  void filter_countsOnlyMatchingEvents() {
    Aggregator counter = Aggregator.of(
        spec(25, 100, Filter.equals("apiSiteParameter", "stackoverflow"), "tags"), T0);
    counter.add(T0, event(T0, "apiSiteParameter", "stackoverflow", "tags", List.of("java")));
    counter.add(T0, event(T0, "apiSiteParameter", "math", "tags", List.of("algebra")));
    counter.add(T0, event(T0, "tags", List.of("nosite")));

    assertThat(keys(counter, "10m")).containsExactly("java");
    assertThat(keys(counter, "all")).containsExactly("java");
  }

  @Test
  void listField_countsEachElementOnce() {
    KeyedChart counter = new KeyedChart(spec(25, 100, null, "tags"), T0);
    counter.add(T0, event(T0, "tags", List.of("java", "spring", "java")));
    counter.add(T0, event(T0, "tags", List.of("java")));
    counter.add(T0, event(T0, "tags", "single"));

    assertThat(keys(counter, "10m")).containsExactly("java", "single", "spring");
    assertThat(counts(counter, "10m")).containsExactly(2L, 1L, 1L);
  }

  @Test
  void newKeyAtMaxKeys_countsAsOverflow_andExpiryFreesItsSlot() {
    KeyedChart counter = counter(10, 2);
    counter.add(T0, site(T0, "a"));
    counter.add(T0, site(T0, "b"));
    counter.add(T0, site(T0, "c")); // new key, every window full
    counter.add(T0, site(T0, "a")); // known key still counts

    JsonNode state = json(counter);
    assertThat(state.get("overflow").asLong()).isEqualTo(1);
    assertThat(keys(counter, "10m")).containsExactly("a", "b");
    assertThat(counter.windowKeys("10m")).isEqualTo(2);

    long later = T0 + Duration.ofHours(1).toMillis(); // a and b left both finite windows
    counter.add(later, site(later, "c"));

    assertThat(keys(counter, "10m")).containsExactly("c");
    assertThat(keys(counter, "1h")).containsExactly("c");
    // "since start" never frees a slot: c is overflow there
    assertThat(keys(counter, "all")).containsExactly("a", "b");
    assertThat(json(counter).get("overflow").asLong()).isEqualTo(2);
    assertThat(counter.ringKeys()).isEqualTo(1);
  }

  @Test
  void lateEvent_countsOnlyInWindowsStillHoldingItsBucket() {
    KeyedChart counter = counter(10, 100);
    long now = T0 + Duration.ofMinutes(30).toMillis();
    counter.advanceTo(now);

    assertThat(counter.add(T0, site(T0, "late"))).isTrue(); // 30 min old: in 1h, not in 10m
    assertThat(keys(counter, "10m")).isEmpty();
    assertThat(keys(counter, "1h")).containsExactly("late");

    long tooOld = now - Duration.ofHours(2).toMillis();
    assertThat(counter.add(tooOld, site(tooOld, "ancient"))).isFalse();
    assertThat(keys(counter, "1h")).containsExactly("late");
    assertThat(keys(counter, "all")).containsExactly("ancient", "late");
  }

  @Test
  void longSilence_clearsFiniteWindows_andRingReusesSlots() {
    KeyedChart counter = counter(10, 100);
    counter.add(T0, site(T0, "a"));
    long later = T0 + Duration.ofDays(2).toMillis() + 5;
    counter.add(later, site(later, "b"));

    assertThat(keys(counter, "10m")).containsExactly("b");
    assertThat(keys(counter, "1h")).containsExactly("b");
    assertThat(counter.ringEntries()).isEqualTo(1);
    assertThat(keys(counter, "all")).containsExactly("a", "b");
  }

  @Test
  void changed_onlyWhenCountsMove() {
    KeyedChart counter = counter(10, 100);
    ChartJson.encode(counter);
    assertThat(counter.changed()).isFalse();

    counter.advanceTo(T0 + 20_000); // buckets move but hold nothing
    assertThat(counter.changed()).isFalse();

    counter.add(T0 + 20_000, site(T0 + 20_000, "a"));
    assertThat(counter.changed()).isTrue();
    ChartJson.encode(counter);

    counter.advanceTo(T0 + 20_000 + 600_000); // leaves 10m
    assertThat(counter.changed()).isTrue();
  }
}
