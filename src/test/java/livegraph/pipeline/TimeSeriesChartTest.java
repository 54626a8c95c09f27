package livegraph.pipeline;

import static livegraph.pipeline.TestEvents.event;
import static livegraph.pipeline.TestEvents.json;
import static livegraph.pipeline.TestEvents.longs;
import static livegraph.pipeline.TestEvents.site;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeSeriesChartTest {

  private static final long T0 = 1_700_000_000_000L; // a bucket boundary

  /** 10 s buckets over one minute: 6 points. */
  private static TimeSeriesChart series(long now, int topSeries) {
    return new TimeSeriesChart(new TimeSeriesSpec("activity", "Activity",
        TimeSeriesSpec.Style.LINE, "apiSiteParameter", Measure.COUNT, Filter.ALL,
        Duration.ofSeconds(10), Duration.ofMinutes(1), topSeries), now);
  }

  private static List<String> names(JsonNode state) {
    List<String> names = new ArrayList<>();
    state.get("series").forEach(s -> names.add(s.get("name").asText()));
    return names;
  }

  private static List<Long> values(JsonNode state, int series) {
    return longs(state.get("series").get(series).get("values"));
  }

  @Test
  void state_hasExactJsonShape() {
    TimeSeriesChart series = series(T0 + 55_000, 5);
    series.add(T0 + 52_000, site(T0 + 52_000, "so"));

    assertThat(new String(ChartJson.encode(series), StandardCharsets.UTF_8)).isEqualTo(
        "{\"start\":" + T0 + ",\"step\":10000,\"series\":["
            + "{\"name\":\"total\",\"values\":[0,0,0,0,0,1]},"
            + "{\"name\":\"so\",\"values\":[0,0,0,0,0,1]}]}");
  }

  @Test
  void event_landsInItsBucket_oldestFirst_lastIsCurrent() {
    TimeSeriesChart series = series(T0 + 55_000, 5);
    series.add(T0 + 15_000, site(T0 + 15_000, "so"));
    series.add(T0 + 19_999, site(T0 + 19_999, "so"));
    series.add(T0 + 55_000, site(T0 + 55_000, "math"));

    JsonNode state = json(series);
    assertThat(state.get("start").asLong()).isEqualTo(T0);
    assertThat(state.get("step").asLong()).isEqualTo(10_000);
    assertThat(values(state, 0)).containsExactly(0L, 2L, 0L, 0L, 0L, 1L);
  }

  @Test
  void start_shiftsAsTimeAdvances_andOldBucketsFallOff() {
    TimeSeriesChart series = series(T0 + 55_000, 5);
    series.add(T0 + 15_000, site(T0 + 15_000, "so"));
    ChartJson.encode(series);

    series.advanceTo(T0 + 65_000);
    assertThat(series.changed()).isTrue(); // only time moved, but the chart shifted
    JsonNode state = json(series);
    assertThat(state.get("start").asLong()).isEqualTo(T0 + 10_000);
    assertThat(values(state, 0)).containsExactly(1L, 0L, 0L, 0L, 0L, 0L);
    assertThat(names(state)).containsExactly("total", "so");

    series.advanceTo(T0 + 70_000);
    state = json(series);
    assertThat(values(state, 0)).containsOnly(0L);
    assertThat(names(state)).containsExactly("total");
    assertThat(series.trackedKeys()).isZero();
  }

  @Test
  void sameBucket_isNotAChange() {
    TimeSeriesChart series = series(T0, 5);
    ChartJson.encode(series);
    series.advanceTo(T0 + 9_999);
    assertThat(series.changed()).isFalse();
  }

  @Test
  void topSeries_areTheBusiestKeysOverTheRetention_tiesByKey() {
    TimeSeriesChart series = series(T0 + 55_000, 2);
    for (String site : List.of("c", "b", "a", "b", "a", "b", "a", "d")) {
      series.add(T0 + 30_000, site(T0 + 30_000, site));
    }
    JsonNode state = json(series);
    assertThat(names(state)).containsExactly("total", "a", "b");
    assertThat(values(state, 1)).containsExactly(0L, 0L, 0L, 3L, 0L, 0L);
  }

  @Test
  void total_equalsSumOfAllSeries_whenAllKeysShown() {
    TimeSeriesChart series = series(T0 + 55_000, 10);
    String[] sites = {"a", "b", "c"};
    for (int i = 0; i < 60; i++) {
      long t = T0 + i * 917L;
      series.add(t, site(t, sites[i % 3]));
    }
    JsonNode state = json(series);
    List<Long> total = values(state, 0);
    for (int point = 0; point < total.size(); point++) {
      long sum = 0;
      for (int s = 1; s < state.get("series").size(); s++) {
        sum += values(state, s).get(point);
      }
      assertThat(sum).as("point %d", point).isEqualTo(total.get(point));
    }
    assertThat(total.stream().mapToLong(Long::longValue).sum()).isEqualTo(60);
  }

  @Test
  void eventOlderThanRetention_isIgnoredAndReported() {
    TimeSeriesChart series = series(T0 + 120_000, 5);
    assertThat(series.add(T0, event(T0, "apiSiteParameter", "so"))).isFalse();
    assertThat(values(json(series), 0)).containsOnly(0L);
  }
}
