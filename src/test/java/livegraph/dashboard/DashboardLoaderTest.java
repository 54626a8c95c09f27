package livegraph.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import livegraph.pipeline.ChartSpec;
import livegraph.pipeline.ChartSpecs;
import livegraph.pipeline.Condition;
import livegraph.pipeline.Filter;
import livegraph.pipeline.HeatmapSpec;
import livegraph.pipeline.KeyedChartSpec;
import livegraph.pipeline.KeyedChartSpec.Column;
import livegraph.pipeline.KeyedChartSpec.Kind;
import livegraph.pipeline.ListSpec;
import livegraph.pipeline.Measure;
import livegraph.pipeline.NumberSpec;
import livegraph.pipeline.TimeSeriesSpec;
import livegraph.pipeline.Window;
import livegraph.source.Decoding.Extract;
import livegraph.source.FileSpec;
import livegraph.source.StdinSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What a good file turns into: defaults, ids, filters, and the fields each source extracts. */
class DashboardLoaderTest {

  private static final String STDIN = "title: T\nsources:\n  logs: {stdin: {}}\ncharts:\n";

  @TempDir Path dir;

  static Stream<Path> goodFiles() throws IOException, URISyntaxException {
    Path good = Path.of(DashboardLoaderTest.class.getResource("/dashboards/good/").toURI());
    try (Stream<Path> a = Files.list(good); Stream<Path> b = Files.list(Path.of("examples",
        "dashboards"))) {
      return Stream.concat(a.toList().stream(), b.toList().stream())
          .filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodFiles")
  void goodFile_andEveryExample_loads(Path file) throws Exception {
    Dashboard d = DashboardLoader.load(file);
    assertThat(d.charts()).isNotEmpty();
    assertThat(d.sources()).isNotEmpty();
    for (ChartSpec chart : d.charts()) {
      assertThat(ChartSpecs.estimateBytes(chart)).isLessThanOrEqualTo(ChartSpecs.MAX_CHART_BYTES);
    }
  }

  @Test
  void barChart_getsEveryDefault() throws Exception {
    Dashboard d = parse(STDIN + "  - {title: Events by level!, type: bar, by: level}\n");

    assertThat(d.name()).isEqualTo("dash");
    assertThat(d.charts()).containsExactly(new KeyedChartSpec("events-by-level",
        "Events by level!", Kind.BAR, "level", List.of(new Column("count", Measure.COUNT)),
        Filter.ALL, 10, false, List.of(new Window("10m", "10 min", Duration.ofMinutes(10)),
            new Window("1h", "1 hour", Duration.ofHours(1)), Window.sinceStart("all",
                "since start")), "10m", Duration.ofSeconds(10), 5000));
  }

  @Test
  void otherTypes_getTheirDefaults() throws Exception {
    Dashboard d = parse(STDIN
        + "  - {title: Rate, type: line, measure: rate}\n"
        + "  - {title: Errors, type: number}\n"
        + "  - {title: Latest, type: list, fields: [msg]}\n");

    assertThat(d.charts().get(0)).isEqualTo(new TimeSeriesSpec("rate", "Rate",
        TimeSeriesSpec.Style.LINE, null, Measure.parse("rate"), Filter.ALL,
        Duration.ofSeconds(10), Duration.ofHours(1), 5));
    assertThat(d.charts().get(1)).isEqualTo(new NumberSpec("errors", "Errors", Measure.COUNT,
        Filter.ALL, new Window("10m", "10 min", Duration.ofMinutes(10)), Duration.ofSeconds(10),
        Duration.ofMinutes(10)));
    assertThat(d.charts().get(2)).isEqualTo(new ListSpec("latest", "Latest", 50, List.of("msg")));
  }

  @Test
  void sketchMeasure_getsAsManyKeysAsFit_insteadOfFailingTheMemoryBound() throws Exception {
    Dashboard d = parse(STDIN
        + "  - {title: p99 by path, type: bar, by: path, measure: p99(latency)}\n"
        + "  - {title: heat, type: heatmap, by: path, measure: distinct(user)}\n");

    KeyedChartSpec bar = (KeyedChartSpec) d.charts().get(0);
    assertThat(bar.maxKeys()).isBetween(bar.topK(), 4999);
    assertThat(ChartSpecs.estimateBytes(bar)).isLessThanOrEqualTo(ChartSpecs.MAX_CHART_BYTES);
    HeatmapSpec heat = (HeatmapSpec) d.charts().get(1);
    assertThat(heat.maxKeys()).isLessThan(5000);
    assertThat(ChartSpecs.estimateBytes(heat)).isLessThanOrEqualTo(ChartSpecs.MAX_CHART_BYTES);
  }

  @Test
  void sketchTimeSeries_withNoBucketWritten_getsTheFirstCoarserBucketThatFits() throws Exception {
    Dashboard d = parse(STDIN + "  - {title: p99, type: line, by: path, measure: p99(latency)}\n");

    TimeSeriesSpec line = (TimeSeriesSpec) d.charts().get(0);
    assertThat(line.bucket()).isGreaterThan(Duration.ofSeconds(10));
    assertThat(ChartSpecs.estimateBytes(line)).isLessThanOrEqualTo(ChartSpecs.MAX_CHART_BYTES);
  }

  @Test
  void ids_areSlugsOfTitles_madeUnique_andNeverTakeAnExplicitId() throws Exception {
    Dashboard d = parse(STDIN
        + "  - {title: Errors, type: number}\n"
        + "  - {title: Errors, type: number}\n"
        + "  - {id: errors-3, title: Other, type: number}\n"
        + "  - {title: Errors, type: number}\n"
        + "  - {title: '!!!', type: number}\n");

    assertThat(d.charts()).extracting(ChartSpec::id)
        .containsExactly("errors", "errors-2", "errors-3", "errors-4", "chart");
  }

  @Test
  void where_readsValuesListsAndOperators_inOrder() throws Exception {
    Dashboard d = parse(STDIN + "  - title: W\n    type: bar\n    by: path\n    where:\n"
        + "      - {level: [error, warn]}\n"
        + "      - {latency: {gt: 100, lte: 5000}}\n"
        + "      - {path: {regex: '^/api'}, host: a, code: {notEquals: '200'}}\n"
        + "      - {user: {exists: false}, zone: {in: [eu]}, tier: {equals: gold}}\n");

    assertThat(d.charts().get(0).filter().conditions()).containsExactly(
        new Condition.In("level", List.of("error", "warn")),
        new Condition.Gt("latency", 100), new Condition.Lte("latency", 5000),
        new Condition.Regex("path", "^/api"), new Condition.Equals("host", "a"),
        new Condition.NotEquals("code", "200"), new Condition.Exists("user", false),
        new Condition.In("zone", List.of("eu")), new Condition.Equals("tier", "gold"));
  }

  @Test
  void windows_takeShortFormsAndObjects_withLabels() throws Exception {
    Dashboard d = parse(STDIN + "  - title: W\n    type: bar\n    by: path\n    bucket: 1m\n"
        + "    defaultWindow: hour\n    windows: [90s, {id: hour, length: 1h, tumbling: true},"
        + " {length: 1d, label: today, tumbling: true}, all]\n");

    assertThat(((KeyedChartSpec) d.charts().get(0)).windows()).containsExactly(
        new Window("90s", "90 s", Duration.ofSeconds(90)),
        new Window("hour", "this hour", Duration.ofHours(1), true),
        new Window("1d", "today", Duration.ofDays(1), true),
        Window.sinceStart("all", "since start"));
  }

  @Test
  void chartNamingASource_ofSeveral_onlySeesThatSource_andOnlyItsFieldsAreExtracted()
      throws Exception {
    Dashboard d = parse("title: T\nsources:\n  a: {stdin: {}}\n"
        + "  b: {file: {path: b.log}, fields: {lvl: /level}}\n"
        + "charts:\n"
        + "  - {title: A, type: bar, source: a, by: host, where: {zone: eu}}\n"
        + "  - {title: B, type: bar, source: b, by: lvl}\n"
        + "  - {title: All, type: pie, by: '@source'}\n");

    assertThat(d.charts().get(0).filter()).isEqualTo(new Filter(List.of(
        new Condition.Equals("@source", "a"), new Condition.Equals("zone", "eu"))));
    assertThat(d.charts().get(1).filter()).isEqualTo(Filter.equals("@source", "b"));
    assertThat(d.charts().get(2).filter()).isEqualTo(Filter.ALL);
    assertThat(d.source("a").decoding().extracts())
        .containsExactly(Extract.of("host"), Extract.of("zone"));
    assertThat(d.source("b").decoding().extracts())
        .containsExactly(new Extract("lvl", "/level", false));
  }

  @Test
  void chartNamingTheOnlySource_hasNoSourceCondition() throws Exception {
    Dashboard d = parse(STDIN + "  - {title: A, type: bar, source: logs, by: host}\n");

    assertThat(d.charts().get(0).filter()).isEqualTo(Filter.ALL);
  }

  @Test
  void decoding_hasAliasesThenReferences_metaFieldsToo_andTheTimeAliasResolved()
      throws Exception {
    Dashboard d = parse("title: T\nsources:\n  logs:\n    stdin: {}\n"
        + "    accept: {type: log}\n    payload: /event\n    time: when\n"
        + "    fields: {when: /ts, msg: {path: /message, html: true}}\n"
        + "charts:\n"
        + "  - {title: A, type: table, by: '@topic', columns: [count, avg(/lat/ms)],"
        + " where: {level: error}}\n"
        + "  - {title: L, type: list, fields: [when, msg, req.id]}\n");

    var decoding = d.sources().get(0).decoding();
    assertThat(decoding.accept()).isEqualTo(Map.of("type", "log"));
    assertThat(decoding.payload()).isEqualTo("/event");
    assertThat(decoding.timeField()).isEqualTo("/ts");
    assertThat(decoding.extracts()).containsExactly(
        new Extract("when", "/ts", false), new Extract("msg", "/message", true),
        Extract.of("@topic"), Extract.of("/lat/ms"), Extract.of("level"), Extract.of("req.id"));
  }

  @Test
  void identity_namesAliases_intoTheDecoding_andIdentityFieldsUnitesTheSources()
      throws Exception {
    Dashboard d = parse("title: T\nsources:\n"
        + "  a:\n    stdin: {}\n    fields: {site: /s, id: /q/id, when: /t}\n"
        + "    identity: [site, id, when]\n"
        + "  b:\n    file: {path: b.log}\n    fields: {id: /id, key: /k}\n"
        + "    identity: [key, id]\n"
        + "  c: {file: {path: c.log}}\n"
        + "charts:\n  - {title: A, type: bar, by: host}\n");

    assertThat(d.source("a").decoding().identity()).containsExactly("site", "id", "when");
    assertThat(d.source("b").decoding().identity()).containsExactly("key", "id");
    assertThat(d.source("c").decoding().identity()).isEmpty();
    // The charts read only host: identity fields are not added to what the charts read.
    assertThat(ChartFields.references(d.charts())).containsExactly("host");
    assertThat(ChartFields.identityFields(d)).containsExactly("site", "id", "when", "key");
  }

  @Test
  void identity_mustBeANonEmptyListOfThatSourcesFields_eachOnce() throws Exception {
    String head = "title: T\nsources:\n  feed:\n    stdin: {}\n"
        + "    fields: {site: /s, id: /id}\n";
    String charts = "charts:\n  - {title: A, type: bar, by: site}\n";

    assertThat(problems(write("unknown.yaml", head + "    identity: [site, ids, when]\n" + charts)))
        .containsExactly(dir.resolve("unknown.yaml") + ":6:22: identity: 'ids' is not a field of"
            + " source 'feed' (did you mean 'id'?); identity names fields under 'fields:': site,"
            + " id", dir.resolve("unknown.yaml") + ":6:27: identity: 'when' is not a field of"
            + " source 'feed'; identity names fields under 'fields:': site, id");
    assertThat(problems(write("text.yaml", head + "    identity: id\n" + charts)))
        .containsExactly(dir.resolve("text.yaml") + ":6:15: identity must be a list of field"
            + " names, e.g. [site, id], not a text");
    assertThat(problems(write("empty.yaml", head + "    identity: []\n" + charts)))
        .containsExactly(dir.resolve("empty.yaml") + ":6:15: identity must name at least one"
            + " field, e.g. [site, id]; leave it out when the events carry no key of their own");
    assertThat(problems(write("blank.yaml", head + "    identity:\n" + charts)))
        .containsExactly(dir.resolve("blank.yaml") + ":6:14: identity must name at least one"
            + " field, e.g. [site, id]; leave it out when the events carry no key of their own");
    assertThat(problems(write("entry.yaml", head + "    identity: [id, {a: b}, '']\n" + charts)))
        .containsExactly(dir.resolve("entry.yaml") + ":6:20: identity entry must be text, not a"
            + " mapping", dir.resolve("entry.yaml") + ":6:28: identity entry must not be empty");
    assertThat(problems(write("twice.yaml", head + "    identity: [id, site, id]\n" + charts)))
        .containsExactly(dir.resolve("twice.yaml") + ":6:26: identity names 'id' twice: name"
            + " each field once");
    assertThat(problems(write("source.yaml", head + "    identity: ['@source', id]\n" + charts)))
        .containsExactly(dir.resolve("source.yaml") + ":6:16: identity: '@source' is not a field"
            + " of source 'feed' (events of two sources are never the same event); name fields"
            + " under 'fields:'");
    assertThat(problems(write("nofields.yaml", "title: T\nsources:\n  feed:\n    stdin: {}\n"
        + "    identity: [id]\n" + charts.replace("site", "id"))))
        .containsExactly(dir.resolve("nofields.yaml") + ":5:16: identity: 'id' is not a field of"
            + " source 'feed', which has no 'fields:'; identity names fields written there, e.g."
            + " fields: {id: /id}");
  }

  @Test
  void sharedSettings_byMergeKeyFromAnXKey_writtenKeysWin() throws Exception {
    Dashboard d = DashboardLoader.parse("""
        title: T
        x-slow: &slow {bucket: 1m, top: 3, windows: [1h]}
        sources: {logs: {stdin: {}}}
        charts:
          - {<<: *slow, title: A, type: bar, by: a}
          - {<<: *slow, title: B, type: bar, by: b, top: 7}
        """, "merge.yaml");

    KeyedChartSpec a = (KeyedChartSpec) d.charts().get(0);
    KeyedChartSpec b = (KeyedChartSpec) d.charts().get(1);
    assertThat(List.of(a.bucket(), a.topK(), a.windows().size()))
        .containsExactly(Duration.ofMinutes(1), 3, 1);
    assertThat(b.topK()).isEqualTo(7);
  }

  @Test
  void tableColumns_takeMeasureTextOrLabelAndMeasure() throws Exception {
    Dashboard d = parse(STDIN + "  - {title: T, type: table, by: path, columns: [count,"
        + " {label: p99 ms, measure: p99(latency)}, {measure: max(latency)}], maxKeys: 10}\n");

    assertThat(((KeyedChartSpec) d.charts().get(0)).columns()).containsExactly(
        new Column("count", Measure.COUNT),
        new Column("p99 ms", Measure.parse("p99(latency)")),
        new Column("max(latency)", Measure.parse("max(latency)")));
  }

  @Test
  void numberSparkline_followsTheWindow_orIsNone() throws Exception {
    Dashboard d = parse(STDIN
        + "  - {title: A, type: number, window: 25s}\n"
        + "  - {title: B, type: number, window: all}\n"
        + "  - {title: C, type: number, sparkline: none}\n");

    assertThat(((NumberSpec) d.charts().get(0)).sparkline()).isEqualTo(Duration.ofSeconds(30));
    assertThat(((NumberSpec) d.charts().get(1)).sparkline()).isEqualTo(Duration.ofHours(1));
    assertThat(((NumberSpec) d.charts().get(2)).sparkline()).isNull();
  }

  @Test
  void fileSourcePath_isRelativeToTheDashboardFile_andNameDefaultsToTheFileName()
      throws Exception {
    Path file = write("web.yaml", "title: T\nsources:\n  log: {file: {path: logs/app.log}}\n"
        + "charts:\n  - {title: A, type: number}\n");

    Dashboard d = DashboardLoader.load(file);

    assertThat(d.name()).isEqualTo("web");
    assertThat(((FileSpec) d.sources().get(0)).path()).isEqualTo(dir.resolve("logs/app.log"));
    assertThat(((FileSpec) d.sources().get(0)).follow()).isFalse();
  }

  @Test
  void name_isWrittenOrSluggedFromAnAwkwardFileName() throws Exception {
    assertThat(DashboardLoader.parse(STDIN + "  - {title: A, type: number}\n",
        "dir/My Dash.yaml").name()).isEqualTo("my-dash");
    assertThat(DashboardLoader.parse("name: web-1\n" + STDIN + "  - {title: A, type: number}\n",
        "x.yaml").name()).isEqualTo("web-1");
  }

  @Test
  void byteOrderMark_isIgnored() throws Exception {
    Path file = dir.resolve("bom.yaml");
    Files.write(file, ("\uFEFF" + STDIN + "  - {title: A, type: number}\n")
        .getBytes(StandardCharsets.UTF_8));

    assertThat(DashboardLoader.load(file).sources()).singleElement()
        .isInstanceOf(StdinSpec.class);
  }

  @Test
  void fileOverOneMebibyte_isRefusedAtLineOne_withoutParsing() throws Exception {
    Path file = dir.resolve("big.yaml");
    Files.write(file, ("title: T\n# " + "x".repeat(DashboardLoader.MAX_BYTES) + "\n")
        .getBytes(StandardCharsets.UTF_8));

    assertThat(problems(file)).containsExactly(file + ":1:1: the file is over 1 MiB (1048576"
        + " bytes), the most a dashboard file may be");
  }

  @Test
  void fileNotUtf8_isRefusedAtTheBadByte() throws Exception {
    Path file = dir.resolve("latin1.yaml");
    byte[] head = "title: T\nsources:\n  logs: {stdin: {}}\ncharts:\n  - {title: Caf"
        .getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + 1];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = (byte) 0xE9; // é in Latin-1
    Files.write(file, bytes);

    assertThat(problems(file)).containsExactly(file + ":5:16: the file is not UTF-8: byte 0xE9"
        + " is not valid UTF-8 here; save the file as UTF-8");
  }

  @Test
  void absurdNesting_isAProblem_notAStackOverflow() throws Exception {
    Path file = write("deep.yaml", "title: " + "[".repeat(200_000) + "]".repeat(200_000));

    assertThat(problems(file)).containsExactly(file + ":1:1: the file nests too deeply to be a"
        + " dashboard");
  }

  @Test
  void escapeCutShortByTheEndOfTheFile_isAProblem_notANumberFormatException() throws Exception {
    // Regression, found by DashboardYamlFuzzTest in CI: SnakeYAML parsed "" as hex here.
    Path x = write("x.yaml", "title: T\nsources: \"\\x");
    Path u = write("u.yaml", "\"\\u");

    assertThat(problems(x)).containsExactly(x + ":2:13: not valid YAML: the file ends inside an"
        + " escape sequence (\\x, \\u, \\U or %) before its hexadecimal digits");
    assertThat(problems(u)).containsExactly(u + ":1:4: not valid YAML: the file ends inside an"
        + " escape sequence (\\x, \\u, \\U or %) before its hexadecimal digits");
  }

  @Test
  void tagEscapingToASpace_isAProblem_notAnIllegalArgumentException() throws Exception {
    Path file = write("tag.yaml", "title: !%0");

    assertThat(problems(file)).containsExactly(file + ":1:1: not valid YAML: Tag must not"
        + " contain leading or trailing spaces.");
  }

  @Test
  void missingFile_andEmptyFile_areProblemsToo() throws Exception {
    Path missing = dir.resolve("nope.yaml");
    Path empty = write("empty.yaml", "# nothing yet\n");

    assertThat(problems(missing)).containsExactly(missing + ":1:1: cannot read the file: no such"
        + " file");
    assertThat(problems(empty)).containsExactly(empty + ":1:1: the file is empty: a dashboard"
        + " needs title, sources and charts");
  }

  @Test
  void aFileFullOfMistakes_reportsTheFirstHundred_andCountsTheRest() throws Exception {
    StringBuilder yaml = new StringBuilder(STDIN);
    for (int i = 0; i < 150; i++) {
      yaml.append("  - {title: C").append(i).append(", type: bar, by: x, top: ten}\n");
    }
    DashboardException e = catchThrowableOfType(DashboardException.class,
        () -> DashboardLoader.parse(yaml.toString(), "many.yaml"));

    assertThat(e.problems()).hasSize(Problems.MAX + 1);
    assertThat(e.problems().get(Problems.MAX).message())
        .isEqualTo("and 50 more problems not shown");
  }

  private Dashboard parse(String yaml) throws DashboardException {
    return DashboardLoader.parse(yaml, "dash.yaml");
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static List<String> problems(Path file) {
    DashboardException e =
        catchThrowableOfType(DashboardException.class, () -> DashboardLoader.load(file));
    assertThat(e).as("refused").isNotNull();
    return e.problems().stream().map(Problem::toString).toList();
  }
}
