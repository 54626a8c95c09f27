package livegraph.pipeline;

import static livegraph.pipeline.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A million events with a million distinct keys leave the tracked state within the specs. */
class BoundedMemoryTest {

  private static final int EVENTS = 1_000_000;
  private static final int MAX_KEYS = 5000;
  private static final long T0 = 1_700_000_000_000L;

  @Test
  void millionDistinctKeys_trackedKeysStayWithinBounds_andJsonStaysSmall() {
    List<Window> windows = List.of(
        new Window("10m", "10 min", Duration.ofMinutes(10)),
        new Window("1h", "1 hour", Duration.ofHours(1)),
        Window.sinceStart("all", "since start"));
    Duration bucket = Duration.ofSeconds(10);
    List<KeyedChartSpec.Column> count =
        List.of(new KeyedChartSpec.Column("Questions", Measure.COUNT));
    KeyedChart communities = new KeyedChart(new KeyedChartSpec("communities", "Communities",
        KeyedChartSpec.Kind.BAR, "apiSiteParameter", count, Filter.ALL, 30, false, windows,
        "10m", bucket, MAX_KEYS), T0);
    Filter stackOverflow = Filter.equals("apiSiteParameter", "stackoverflow");
    KeyedChart tags = new KeyedChart(new KeyedChartSpec("tags", "Tags", KeyedChartSpec.Kind.BAR,
        "tags", count, stackOverflow, 25, false, windows, "10m", bucket, MAX_KEYS), T0);
    TimeSeriesChart activity = new TimeSeriesChart(new TimeSeriesSpec("activity", "Activity",
        TimeSeriesSpec.Style.LINE, "apiSiteParameter", Measure.COUNT, Filter.ALL, bucket,
        Duration.ofHours(1), 5), T0);
    LatestItems latest = new LatestItems(new ListSpec("latest", "Latest", 50,
        List.of("title", "apiSiteParameter", "tags")));
    // The pipeline puts a chart's filter in front of it (Aggregator.of); so does this test.
    List<Aggregator> all =
        List.of(communities, new FilteredAggregator(stackOverflow, tags), activity, latest);

    int maxJson = 0;
    for (int i = 0; i < EVENTS; i++) {
      long t = T0 + i; // the clock advances 1 ms per event
      // Half the events are Stack Overflow's (so the tags filter passes), the rest each from a
      // new site; every tag is new: half a million distinct sites, a million distinct tags.
      String site = (i & 1) == 0 ? "stackoverflow" : "site-" + i;
      Event e = event(t, "apiSiteParameter", site, "title", "question " + i,
          "tags", List.of("tag-" + i));
      for (Aggregator aggregator : all) {
        aggregator.add(t, e);
      }
      if (i % 10_000 == 9_999) {
        for (Aggregator aggregator : all) {
          aggregator.advanceTo(t);
          maxJson = Math.max(maxJson, ChartJson.encode(aggregator).length);
        }
        for (String window : List.of("10m", "1h", "all")) {
          assertThat(communities.windowKeys(window)).isLessThanOrEqualTo(MAX_KEYS);
          assertThat(tags.windowKeys(window)).isLessThanOrEqualTo(MAX_KEYS);
        }
        // tags are never repeated, so each ring entry is a distinct key
        assertThat(tags.ringEntries()).isLessThanOrEqualTo(MAX_KEYS);
        assertThat(communities.ringKeys()).isLessThanOrEqualTo(MAX_KEYS);
        assertThat(communities.ringEntries()).isLessThanOrEqualTo(MAX_KEYS + 360);
        assertThat(activity.trackedKeys()).isLessThanOrEqualTo(TimeSeriesSpec.MAX_KEYS);
        // only "stackoverflow" repeats, once in each of the 360 buckets
        assertThat(activity.bucketEntries())
            .isLessThanOrEqualTo(TimeSeriesSpec.MAX_KEYS + 360);
        assertThat(latest.size()).isLessThanOrEqualTo(50);
      }
    }

    // The bounds were reached, not merely unapproached: the excess went to overflow.
    assertThat(tags.windowKeys("all")).isEqualTo(MAX_KEYS);
    assertThat(communities.windowKeys("1h")).isEqualTo(MAX_KEYS);
    assertThat(tags.overflow()).isGreaterThan(EVENTS / 2 - MAX_KEYS - 1);
    assertThat(activity.trackedKeys()).isEqualTo(TimeSeriesSpec.MAX_KEYS);
    assertThat(activity.overflow()).isPositive();
    assertThat(maxJson).isLessThan(32 * 1024);
  }
}
