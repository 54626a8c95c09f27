package livegraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import livegraph.dashboard.Dashboard;
import livegraph.pipeline.ChartSpec;
import livegraph.pipeline.KeyedChartSpec;
import livegraph.pipeline.TimeSeriesSpec;
import livegraph.source.Decoding.Extract;
import livegraph.source.FileSpec;
import livegraph.source.MqttSpec;
import livegraph.source.NatsSpec;
import livegraph.source.RedisSpec;
import livegraph.source.SseSpec;
import livegraph.source.StdinSpec;
import livegraph.source.TcpSpec;
import livegraph.source.WebSocketSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code livegraph serve}'s dashboard arguments: files and quick-start flags, parsed in-process
 * (no server starts: parsing is checked through {@link ServeCommand#checkDashboards}, mistakes
 * through the real command's exit status).
 */
class ServeCommandTest {

  @TempDir Path dir;

  private static List<Dashboard> dashboards(String... args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(args);
    assertThat(serve.checkDashboards()).as("dashboards check").isTrue();
    return serve.dashboards();
  }

  private static Dashboard quick(String... args) {
    List<Dashboard> all = dashboards(args);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Test
  void noArguments_meanTheBuiltInDashboard() {
    assertThat(dashboards()).isEmpty();
    assertThat(dashboards("--feed", "live")).isEmpty();
  }

  @Test
  void dashboardFiles_areLoadedInOrder() throws Exception {
    Path a = Files.writeString(dir.resolve("a.yaml"), "title: A\nsources:\n  l: {stdin: {}}\n"
        + "charts:\n  - {title: N, type: number}\n");
    Path b = Files.writeString(dir.resolve("b.yaml"), "title: B\nsources:\n  l: {stdin: {}}\n"
        + "charts:\n  - {title: N, type: number}\n");

    assertThat(dashboards(a.toString(), b.toString())).extracting(Dashboard::name)
        .containsExactly("a", "b");
  }

  @Test
  void badDashboardFile_printsItsProblems_andExitsOne_beforeAnythingStarts() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "title: Bad\nsources:\n"
        + "  l: {stdin: {}}\ncharts:\n  - {title: N, type: number, bucket: 10 minutes}\n");

    CliRun run = CliRun.of("serve", "--port", "0", bad.toString());

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).isEqualTo(bad + ":5:38: bucket must be a duration like 10s, 5m, 1h or"
        + " 500ms: '10 minutes'\n");
    assertThat(run.out()).doesNotContain("serving");
  }

  @Test
  void twoFilesWithTheSameName_areRefused() throws Exception {
    Files.createDirectories(dir.resolve("x"));
    String yaml = "title: A\nsources:\n  l: {stdin: {}}\ncharts:\n  - {title: N, type: number}\n";
    Path a = Files.writeString(dir.resolve("web.yaml"), yaml);
    Path b = Files.writeString(dir.resolve("x/web.yaml"), yaml);

    CliRun run = CliRun.of("serve", a.toString(), b.toString());

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).isEqualTo(b + ":1:1: dashboard name 'web' is also the name of " + a
        + "; give one of them another 'name:'\n");
  }

  @Test
  void stdinQuickStart_chartsAJsonLog_extractingTheFieldsTheChartsUse() {
    Dashboard d = quick("--stdin", "--chart", "count by level", "--chart",
        "line: rate by level", "--chart", "table: count, avg(latency) by path", "--time", "ts");

    assertThat(d.name()).isEqualTo("live");
    assertThat(d.title()).isEqualTo("standard input");
    assertThat(d.charts()).extracting(ChartSpec::type).containsExactly("bar", "line", "table");
    assertThat(((TimeSeriesSpec) d.charts().get(1)).by()).isEqualTo("level");
    StdinSpec stdin = (StdinSpec) d.sources().get(0);
    assertThat(stdin.decoding().timeField()).isEqualTo("ts");
    assertThat(stdin.decoding().extracts()).containsExactly(Extract.of("level"),
        Extract.of("path"), Extract.of("latency"), Extract.of("ts"));
  }

  @Test
  void everySourceFlag_buildsItsSource() {
    String[] chart = {"--chart", "count by @topic"};
    assertThat(quick(concat(new String[] {"--file", "app.log", "--follow", "--title", "App"},
        chart)).sources().get(0)).isEqualTo(new FileSpec("file", Path.of("app.log"), true,
            quick(concat(new String[] {"--file", "app.log", "--follow"}, chart)).sources().get(0)
                .decoding()));
    TcpSpec tcp = (TcpSpec) quick(concat(new String[] {"--tcp", "127.0.0.1:9000"}, chart))
        .sources().get(0);
    assertThat(List.of(tcp.host(), tcp.port(), tcp.listen())).containsExactly("127.0.0.1", 9000,
        false);
    TcpSpec listen = (TcpSpec) quick(concat(new String[] {"--listen", "[::1]:0"}, chart))
        .sources().get(0);
    assertThat(List.of(listen.host(), listen.port(), listen.listen())).containsExactly("::1", 0,
        true);
    SseSpec sse = (SseSpec) quick(concat(new String[] {"--sse", "http://127.0.0.1:8000/e"}, chart))
        .sources().get(0);
    assertThat(sse.url()).isEqualTo(URI.create("http://127.0.0.1:8000/e"));
    WebSocketSpec ws = (WebSocketSpec) quick(concat(new String[] {"--ws", "ws://127.0.0.1:9/",
        "--subscribe", "hello", "--silence", "30s"}, chart)).sources().get(0);
    assertThat(ws.subscribe()).containsExactly("hello");
    assertThat(ws.silence()).hasSeconds(30);
    MqttSpec mqtt = (MqttSpec) quick(concat(new String[] {"--mqtt", "tcp://127.0.0.1:1883",
        "--topic", "a/#", "--topic", "b/+"}, chart)).sources().get(0);
    assertThat(mqtt.topics()).containsExactly("a/#", "b/+");
    assertThat(mqtt.decoding().extracts()).containsExactly(Extract.of("@topic"));
    NatsSpec nats = (NatsSpec) quick(concat(new String[] {"--nats", "nats://127.0.0.1:4222",
        "--subject", "app.>"}, chart)).sources().get(0);
    assertThat(nats.subjects()).containsExactly("app.>");
    RedisSpec redis = (RedisSpec) quick(concat(new String[] {"--redis", "redis://127.0.0.1:6379",
        "--channel", "c", "--pattern", "p.*"}, chart)).sources().get(0);
    assertThat(List.of(redis.channels(), redis.patterns())).containsExactly(List.of("c"),
        List.of("p.*"));
  }

  @Test
  void readmeAndReferenceExamples_parse() {
    assertThat(quick("--stdin", "--chart", "count by level", "--chart", "line: rate by level")
        .charts()).hasSize(2);
    Dashboard file = quick("--file", "app.log", "--follow", "--time", "ts",
        "--chart", "pie: count by level", "--chart", "number: p99(latency)",
        "--chart", "table: count, avg(latency), p99(latency) by path",
        "--chart", "list: ts,level,msg");
    assertThat(file.charts()).extracting(ChartSpec::type)
        .containsExactly("pie", "number", "table", "list");
    assertThat(((FileSpec) file.sources().get(0)).follow()).isTrue();
    assertThat(quick("--mqtt", "tcp://127.0.0.1:1883", "--topic", "sensors/#", "--chart",
        "line: avg(celsius) by @topic").charts()).hasSize(1);
    assertThat(quick("--stdin", "--chart", "heatmap: p90(latency) by path", "--chart",
        "histogram: latency 0..1000/20", "--chart", "area: rate by level").charts()).hasSize(3);
  }

  @Test
  void quickStartChart_getsTheMemoryFittingDefaults() {
    KeyedChartSpec bar = (KeyedChartSpec) quick("--stdin", "--chart", "p99(latency) by path")
        .charts().get(0);

    assertThat(bar.maxKeys()).isLessThan(5000);
  }

  @Test
  void quickStartMistakes_areUsageErrors_withAHelpfulMessage() {
    assertUsage("--stdin needs at least one --chart, e.g. --chart 'count by level'", "serve",
        "--stdin");
    assertUsage("--chart needs a source: one of --stdin, --file PATH", "serve", "--chart",
        "count by level");
    assertUsage("choose one source, not --stdin and --tcp", "serve", "--stdin", "--tcp",
        "127.0.0.1:1", "--chart", "count by level");
    assertUsage("--chart 'bar: count': a bar chart needs 'MEASURE by FIELD'", "serve", "--stdin",
        "--chart", "bar: count");
    assertUsage("--topic goes with --mqtt", "serve", "--stdin", "--topic", "a", "--chart",
        "count by x");
    assertUsage("--mqtt needs at least one --topic", "serve", "--mqtt", "tcp://127.0.0.1:1883",
        "--chart", "count by x");
    assertUsage("--tcp must be HOST:PORT, e.g. 127.0.0.1:9000: nowhere", "serve", "--tcp",
        "nowhere", "--chart", "count by x");
    assertUsage("--ws: websocket url must be a ws or wss URL with a host: http://x/", "serve",
        "--ws", "http://x/", "--chart", "count by x");
    assertUsage("--feed chooses the StackExchange dashboard's feed; it does not apply to "
        + "quick-start charts", "serve", "--feed", "live", "--stdin", "--chart", "count by x");
    assertUsage("give dashboard files or quick-start flags (--stdin, --chart…), not both",
        "serve", "a.yaml", "--stdin", "--chart", "count by x");
  }

  private static void assertUsage(String message, String... args) {
    CliRun run = CliRun.of(args);
    assertThat(run.status()).as("exit status of %s", List.of(args)).isEqualTo(2);
    assertThat(run.err()).contains(message);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
