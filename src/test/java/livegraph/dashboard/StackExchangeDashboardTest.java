package livegraph.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import livegraph.pipeline.ChartSpec;
import livegraph.pipeline.Filter;
import livegraph.pipeline.KeyedChartSpec;
import livegraph.pipeline.KeyedChartSpec.Column;
import livegraph.pipeline.KeyedChartSpec.Kind;
import livegraph.pipeline.ListSpec;
import livegraph.pipeline.Measure;
import livegraph.pipeline.TimeSeriesSpec;
import livegraph.pipeline.Window;
import livegraph.source.Decoding;
import livegraph.source.Decoding.Extract;
import livegraph.source.SourceSpec;
import livegraph.source.StackExchangeFeed;
import livegraph.source.WebSocketSpec;
import org.junit.jupiter.api.Test;

/**
 * The built-in file equals, chart by chart, what the Java code built before it became a file
 * (the oracle below is that code), and its source reads the feed the way the dedicated decoder
 * did.
 */
class StackExchangeDashboardTest {

  private final Dashboard dashboard = StackExchangeDashboard.create();

  /** The dashboard as {@code StackExchangeDashboard.create()} built it in Java before. */
  private static List<ChartSpec> javaCharts() {
    Duration bucket = Duration.ofSeconds(10);
    List<Column> questions = List.of(new Column("Questions", Measure.COUNT));
    List<Window> windows = List.of(
        new Window("10m", "10 min", Duration.ofMinutes(10)),
        new Window("1h", "1 hour", Duration.ofHours(1)),
        Window.sinceStart("all", "since start"));
    return List.of(
        new KeyedChartSpec("communities", "Active questions by community", Kind.BAR,
            "apiSiteParameter", questions, Filter.ALL, 30, false, windows, "10m", bucket, 5000),
        new KeyedChartSpec("tags", "Stack Overflow top tags", Kind.BAR, "tags", questions,
            Filter.equals("apiSiteParameter", "stackoverflow"), 25, false, windows, "10m",
            bucket, 5000),
        new TimeSeriesSpec("activity", "Activity over time", TimeSeriesSpec.Style.LINE,
            "apiSiteParameter", Measure.COUNT, Filter.ALL, bucket, Duration.ofHours(1), 5),
        new ListSpec("latest", "Latest questions", 50,
            List.of("title", "apiSiteParameter", "siteBaseHostAddress", "tags", "url")));
  }

  @Test
  void dashboard_hasNameTitle_andChartsInOrderWithExactTitles() {
    assertThat(dashboard.name()).isEqualTo("stackexchange");
    assertThat(dashboard.title()).isEqualTo("StackExchange activity");
    assertThat(dashboard.charts()).extracting(ChartSpec::id)
        .containsExactly("communities", "tags", "activity", "latest");
  }

  @Test
  void file_equalsTheFormerJavaDashboard_chartByChart() {
    List<ChartSpec> expected = javaCharts();
    assertThat(dashboard.charts()).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(dashboard.charts().get(i)).as("chart %d", i).isEqualTo(expected.get(i));
    }
  }

  @Test
  void source_isTheGenericWebSocket_withSubscribeHeartbeatAndTheSameFieldNames() {
    assertThat(dashboard.sources()).hasSize(1);
    SourceSpec source = dashboard.sources().get(0);
    assertThat(source).isInstanceOf(WebSocketSpec.class);
    WebSocketSpec ws = (WebSocketSpec) source;
    assertThat(ws.name()).isEqualTo("stackexchange");
    assertThat(ws.url()).isEqualTo(URI.create("wss://qa.sockets.stackexchange.com/"));
    assertThat(ws.subscribe()).containsExactly("155-questions-active");
    assertThat(ws.heartbeat()).isEqualTo(new WebSocketSpec.HeartbeatRule(Map.of("action", "hb"), "hb"));
    assertThat(ws.silence()).isEqualTo(Duration.ofMinutes(5));
    Decoding d = ws.decoding();
    assertThat(d.accept()).isEqualTo(Map.of("action", "155-questions-active"));
    assertThat(d.payload()).isEqualTo("/data");
    assertThat(d.timeField()).isNull();
    assertThat(d.extracts()).containsExactly(
        new Extract("apiSiteParameter", "/apiSiteParameter", false),
        new Extract("siteBaseHostAddress", "/siteBaseHostAddress", false),
        new Extract("id", "/id", false),
        new Extract("title", "/titleEncodedFancy", true),
        new Extract("tags", "/tags", false),
        new Extract("url", "/url", false),
        new Extract("lastActivityDate", "/lastActivityDate", false),
        new Extract("ownerDisplayName", "/ownerDisplayName", true));
    assertThat(d.identity()).containsExactly("apiSiteParameter", "id", "lastActivityDate");
    assertThat(d.identity()).isEqualTo(StackExchangeFeed.decoding().identity());
    assertThat(ChartFields.identityFields(dashboard))
        .containsExactly("apiSiteParameter", "id", "lastActivityDate");
  }

  @Test
  void dashboard_rejectsDuplicateIdsAndNoCharts() {
    ChartSpec chart = dashboard.charts().get(0);
    assertThatThrownBy(() -> new Dashboard("d", "D", List.of(), List.of(chart, chart)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate chart id in dashboard d: communities");
    assertThatThrownBy(() -> new Dashboard("d", "D", List.of(), List.of()))
        .hasMessage("dashboard d must have at least one chart");
  }

  @Test
  void dashboard_rejectsDuplicateSourceNames() {
    SourceSpec source = dashboard.sources().get(0);
    assertThatThrownBy(() -> new Dashboard("d", "D", List.of(source, source), dashboard.charts()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate source name in dashboard d: stackexchange");
  }
}
