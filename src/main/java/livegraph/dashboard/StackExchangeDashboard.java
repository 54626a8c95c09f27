package livegraph.dashboard;

import java.time.Duration;
import java.util.List;
import livegraph.pipeline.Filter;
import livegraph.pipeline.KeyedChartSpec;
import livegraph.pipeline.KeyedChartSpec.Column;
import livegraph.pipeline.KeyedChartSpec.Kind;
import livegraph.pipeline.Measure;
import livegraph.pipeline.ListSpec;
import livegraph.pipeline.TimeSeriesSpec;
import livegraph.pipeline.Window;

/**
 * The built-in dashboard of StackExchange network activity: what the original page counted
 * (questions by community, Stack Overflow's top tags) plus activity over time and the latest
 * questions.
 */
public final class StackExchangeDashboard {

  private static final Duration BUCKET = Duration.ofSeconds(10);

  /** Keys per window: the network has ~180 sites; Stack Overflow's live tags fit easily. */
  private static final int MAX_KEYS = 5000;

  private static final List<Column> QUESTIONS = List.of(new Column("Questions", Measure.COUNT));

  private StackExchangeDashboard() {}

  public static Dashboard create() {
    List<Window> windows = List.of(
        new Window("10m", "10 min", Duration.ofMinutes(10)),
        new Window("1h", "1 hour", Duration.ofHours(1)),
        Window.sinceStart("all", "since start"));
    return new Dashboard(
        "stackexchange",
        "StackExchange activity",
        List.of(
            new KeyedChartSpec("communities", "Active questions by community", Kind.BAR,
                "apiSiteParameter", QUESTIONS, Filter.ALL, 30, false, windows, "10m", BUCKET,
                MAX_KEYS),
            new KeyedChartSpec("tags", "Stack Overflow top tags", Kind.BAR, "tags", QUESTIONS,
                Filter.equals("apiSiteParameter", "stackoverflow"), 25, false, windows, "10m",
                BUCKET, MAX_KEYS),
            new TimeSeriesSpec("activity", "Activity over time", TimeSeriesSpec.Style.LINE,
                "apiSiteParameter", Measure.COUNT, Filter.ALL, BUCKET, Duration.ofHours(1), 5),
            new ListSpec("latest", "Latest questions", 50,
                List.of("title", "apiSiteParameter", "siteBaseHostAddress", "tags", "url"))));
  }
}
