package livegraph.cli;

import livegraph.testing.JarProcess;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import livegraph.Livegraph;
import livegraph.testing.LiveCharts;
import livegraph.testing.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dashboard files end to end: {@code livegraph validate} and {@code serve FILE} as the packaged
 * jar (exit status, {@code file:line:column} messages, nothing served for a bad file), and hot
 * reload of a served file: a good edit gives every viewer the new layout and a fresh snapshot,
 * a bad edit keeps the last good version running and shows the problems, a fix clears them.
 */
class DashboardFilesIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  // ---- the files

  private static final String ORDERS = """
      title: Orders
      sources:
        orders:
          file: {path: orders.jsonl, follow: true}
      charts:
        - {title: Orders by country, type: bar, by: country}
      """;

  /** A title changed and two charts added; the source reads the same field as before. */
  private static final String ORDERS_V2 = """
      title: Orders, edited
      sources:
        orders:
          file: {path: orders.jsonl, follow: true}
      charts:
        - {title: Orders by country, type: bar, by: country}
        - {title: Country share, type: pie, by: country}
        - {title: All orders, type: number}
      """;

  /** Two mistakes, on lines 6 and 9. */
  private static final String ORDERS_BAD = """
      title: Orders, broken
      sources:
        orders:
          file: {path: orders.jsonl, follow: true}
      charts:
        - {tittle: Orders by country, type: bar, by: country}
        - {title: Country share, type: pie, by: country}
        - title: All orders
          type: numbr
      """;

  private static final String ORDERS_FIXED = ORDERS_V2.replace("title: All orders",
      "title: Every order").replace("Orders, edited", "Orders, fixed");

  /** Three mistakes, on lines 6, 11 and 12. */
  private static final String BAD = """
      title: Web
      sources:
        logs:
          stdin: {}
      charts:
        - tittle: Requests by level
          type: bar
          by: level
        - title: Latency
          type: number
          measure: avg(latency
          bucket: 10 minutes
      """;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  /** Saves as many editors do: a temporary file renamed over the old one. */
  private static void saveByRename(Path file, String text) throws IOException {
    Path temp = file.resolveSibling("." + file.getFileName() + ".swp");
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void append(Path file, String... countries) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (String country : countries) {
      lines.append("{\"country\":\"").append(country).append("\",\"amount\":")
          .append(country.length()).append("}\n");
    }
    Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  // ---- validate and serve, as the packaged jar

  @Test
  void validate_goodFilesSayOk_badFileListsEachProblemAsFileLineColumn_exitStatus()
      throws Exception {
    Path good = write("orders.yaml", ORDERS_V2);
    Path bad = write("web.yaml", BAD);

    try (JarProcess ok = JarProcess.start("validate", good.toString())) {
      assertThat(ok.awaitExit(WAIT)).isZero();
      assertThat(ok.out()).containsExactly(good + ": ok (3 charts, 1 source)");
      assertThat(ok.err()).isEmpty();
    }

    try (JarProcess broken = JarProcess.start("validate", good.toString(), bad.toString())) {
      assertThat(broken.awaitExit(WAIT)).isEqualTo(1);
      assertThat(broken.out()).containsExactly(good + ": ok (3 charts, 1 source)");
      assertThat(broken.err()).containsExactly(
          bad + ":6:5: unknown key 'tittle' in a bar chart: did you mean 'title'?",
          bad + ":11:14: unknown measure \"avg(latency\": expected count, rate, or sum|avg|min"
              + "|max|last|rate|distinct|pNN(field) with NN in (0, 100) such as p50 or p99.9",
          bad + ":12:13: bucket must be a duration like 10s, 5m, 1h or 500ms: '10 minutes'");
    }
  }

  @Test
  void serve_badFile_exitsOneWithTheSameMessages_beforeListening() throws Exception {
    Path good = write("orders.yaml", ORDERS);
    Path bad = write("web.yaml", BAD);
    List<String> problems;
    try (JarProcess validate = JarProcess.start("validate", bad.toString())) {
      assertThat(validate.awaitExit(WAIT)).isEqualTo(1);
      problems = validate.err();
    }
    assertThat(problems).hasSize(3).allMatch(l -> l.startsWith(bad + ":"));

    // The port is taken by this test: had serve tried to listen before checking the files, it
    // would say it cannot listen instead of naming the problems.
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      try (JarProcess serve = JarProcess.start("serve", "--port",
          Integer.toString(taken.getLocalPort()), good.toString(), bad.toString())) {
        assertThat(serve.awaitExit(WAIT)).isEqualTo(1);
        assertThat(serve.err()).isEqualTo(problems);
        assertThat(serve.out()).noneMatch(l -> l.contains("serving"));
      }
    }
  }

  @Test
  void serveTwoFiles_eachAtItsPath_anEditReachesOnlyItsOwnViewers() throws Exception {
    Path orders = write("orders.yaml", ORDERS);
    write("orders.jsonl", "");
    Path web = write("web.yaml", "title: Web\nsources:\n  logs: {stdin: {}}\ncharts:\n"
        + "  - {title: Requests by level, type: bar, by: level}\n");

    try (JarProcess p = JarProcess.serve(WAIT, "serve", "--port", "0", orders.toString(),
        web.toString())) {
      assertThat(p.out().get(0)).contains("dashboards orders at /d/orders/, web at /d/web/");
      JsonNode listed = p.getJson("/dashboards.json");
      assertThat(listed.toString()).isEqualTo("[{\"name\":\"orders\",\"title\":\"Orders\","
          + "\"path\":\"/d/orders/\"},{\"name\":\"web\",\"title\":\"Web\",\"path\":\"/d/web/\"}]");

      try (LiveCharts a = LiveCharts.connect(p.port(), "/d/orders/ws");
          LiveCharts b = LiveCharts.connect(p.port(), "/d/web/ws")) {
        a.await(WAIT, "orders' snapshot", c -> c.received().size() >= 2);
        b.await(WAIT, "web's snapshot", c -> c.received().size() >= 2);
        assertThat(a.titles()).containsExactly("Orders by country");
        assertThat(b.titles()).containsExactly("Requests by level");

        Poll.until(WAIT, () -> p.source().get("state").asText().equals("live"),
            "orders.jsonl followed");
        append(dir.resolve("orders.jsonl"), "fr", "de", "fr");
        a.await(WAIT, "the orders counted", c -> c.chart("Orders by country")
            .at("/windows/all/columns/0").toString().equals("[2,1]"));

        write("orders.yaml", ORDERS_V2);
        a.await(WAIT, "orders' new layout", c -> c.titles().size() == 3);
        assertThat(a.hello().at("/dashboard/title").asText()).isEqualTo("Orders, edited");

        saveByRename(web, "title: Web, edited\nsources:\n  logs: {stdin: {}}\ncharts:\n"
            + "  - {title: Requests by path, type: bar, by: path}\n");
        b.await(WAIT, "web's new layout", c -> c.titles().equals(List.of("Requests by path")));
        long hellos = b.received().stream()
            .filter(m -> m.get("type").asText().equals("hello")).count();
        assertThat(hellos).as("web's viewer got its own two hellos, not orders'").isEqualTo(2);
        assertThat(p.getJson("/dashboards.json").toString())
            .contains("\"title\":\"Orders, edited\"", "\"title\":\"Web, edited\"");
      }
    }
  }

  // ---- hot reload, in process

  @Test
  void goodEdit_newHelloThenSnapshot_badEdit_keepsLastGoodAndShowsProblems_fixClearsThem()
      throws Exception {
    Path file = write("orders.yaml", ORDERS);
    Path events = write("orders.jsonl", "");
    try (Livegraph live = Livegraph.create(Livegraph.Config.defaults().withFiles(List.of(file)))
        .start(0);
        LiveCharts viewer = LiveCharts.connect(live.port(), "/ws")) {
      assertThat(viewer.next(WAIT).get("type").asText()).isEqualTo("hello");
      assertThat(viewer.next(WAIT).get("type").asText()).isEqualTo("snapshot");
      assertThat(viewer.titles()).containsExactly("Orders by country");
      Poll.until(WAIT, () -> live.sourceStatus().state().name().equals("LIVE"),
          "orders.jsonl followed");
      append(events, "fr", "de", "fr");
      viewer.await(WAIT, "the first orders", c -> c.chart("Orders by country")
          .at("/windows/all/columns/0").toString().equals("[2,1]"));

      // A good edit: the new layout, then at once a snapshot of it (charts start empty).
      write("orders.yaml", ORDERS_V2);
      viewer.await(WAIT, "a new hello", c -> c.received().get(c.received().size() - 1)
          .get("type").asText().equals("hello"));
      assertThat(viewer.titles())
          .containsExactly("Orders by country", "Country share", "All orders");
      assertThat(viewer.hello().at("/dashboard/title").asText()).isEqualTo("Orders, edited");
      assertThat(viewer.hello().at("/dashboard/charts/1/kind").asText()).isEqualTo("pie");
      JsonNode snapshot = viewer.next(WAIT);
      assertThat(snapshot.get("type").asText()).isEqualTo("snapshot");
      List<String> ids = new ArrayList<>();
      snapshot.get("charts").fieldNames().forEachRemaining(ids::add);
      assertThat(ids).containsExactlyInAnyOrder(viewer.id("Orders by country"),
          viewer.id("Country share"), viewer.id("All orders"));
      assertThat(viewer.chart("All orders").path("value").asLong()).isZero();

      append(events, "it", "fr");
      viewer.await(WAIT, "orders after the edit in every new chart", c ->
          c.chart("Country share").at("/windows/all/columns/0").toString().equals("[1,1]")
              && c.chart("All orders").path("value").asLong() == 2);

      // A bad edit: every problem shown, with its file, line and column; v2 keeps running.
      write("orders.yaml", ORDERS_BAD);
      viewer.await(WAIT, "the config error", c -> c.configError() != null);
      String[] problems = viewer.configError().split("\n");
      assertThat(problems).hasSize(2);
      assertThat(problems[0]).isEqualTo(file
          + ":6:6: unknown key 'tittle' in a bar chart: did you mean 'title'?");
      assertThat(problems[1]).isEqualTo(file
          + ":9:11: unknown chart type 'numbr': did you mean 'number'?");
      assertThat(live.hub().configErrorMessage()).isEqualTo(viewer.configError());
      JsonNode health = JarProcess.json(live.port(), "/healthz");
      assertThat(health.at("/dashboards/0/configError").asText()).isEqualTo(viewer.configError());
      assertThat(health.at("/dashboards/0/title").asText()).isEqualTo("Orders, edited");

      append(events, "fr", "fr", "es");
      viewer.await(WAIT, "the last good version counting on", c ->
          c.chart("All orders").path("value").asLong() == 5
              && c.chart("Country share").at("/windows/all/x").toString()
                  .equals("[\"fr\",\"es\",\"it\"]"));
      assertThat(viewer.configError()).as("still shown while the file is broken").isNotNull();
      assertThat(viewer.titles()).containsExactly("Orders by country", "Country share",
          "All orders");
      try (LiveCharts late = LiveCharts.connect(live.port(), "/ws")) {
        late.await(WAIT, "a late joiner told of the broken file",
            c -> viewer.configError().equals(c.configError()));
        assertThat(late.chart("All orders").path("value").asLong()).isEqualTo(5);
      }

      // The fix, saved by renaming over the file: a new hello, which clears the banner.
      saveByRename(file, ORDERS_FIXED);
      viewer.await(WAIT, "the fixed layout", c -> c.titles().contains("Every order"));
      assertThat(viewer.configError()).isNull();
      assertThat(live.hub().configErrorMessage()).isNull();
      assertThat(JarProcess.json(live.port(), "/healthz").at("/dashboards/0/configError")
          .isMissingNode()).isTrue();
      append(events, "de");
      viewer.await(WAIT, "orders after the fix", c ->
          c.chart("Every order").path("value").asLong() == 1);
      try (LiveCharts late = LiveCharts.connect(live.port(), "/ws")) {
        late.await(WAIT, "a late joiner's snapshot",
            c -> c.chart("Every order").path("value").asLong() == 1);
        assertThat(late.received()).noneMatch(m -> m.get("type").asText().equals("config-error"));
      }
    }
  }

  @Test
  void edit_thatMakesTheSourceReadAnotherField_eventsAfterItCarryThatField() throws Exception {
    Path file = write("orders.yaml", ORDERS);
    Path events = write("orders.jsonl", "");
    try (Livegraph live = Livegraph.create(Livegraph.Config.defaults().withFiles(List.of(file)))
        .start(0);
        LiveCharts viewer = LiveCharts.connect(live.port(), "/ws")) {
      Poll.until(WAIT, () -> live.sourceStatus().state().name().equals("LIVE"),
          "orders.jsonl followed");
      append(events, "fr", "de");
      viewer.await(WAIT, "the first orders", c -> c.chart("Orders by country")
          .at("/windows/all/columns/0").toString().equals("[1,1]"));

      write("orders.yaml", ORDERS + "  - {title: Order value, type: number, "
          + "measure: sum(amount)}\n");
      viewer.await(WAIT, "the layout with the sum", c -> c.titles().contains("Order value"));
      // The source was reopened to extract 'amount'; a followed file reopens at its end.
      Poll.until(WAIT, () -> health(live).at("/dashboards/0/sources/orders/state").asText()
          .equals("live")
          && health(live).at("/dashboards/0/sources/orders/events").asLong() == 0,
          "the reopened source following the file");
      append(events, "fr", "italy", "de");
      viewer.await(WAIT, "the amounts summed", c ->
          c.chart("Order value").path("value").asLong() == 2 + 5 + 2
              && c.chart("Orders by country").at("/windows/all/columns/0").toString()
                  .equals("[1,1,1]"));
    }
  }

  /**
   * Standard input can be read by one thread only: a reload that reopens a stdin source (the
   * edit reads another field) must neither lose the lines written after it to the old reader
   * nor split them between two readers.
   */
  @Test
  void stdinDashboard_editThatReadsAnotherField_losesNoLineWrittenAfterIt() throws Exception {
    String v1 = "title: Piped\nsources:\n  in: {stdin: {}}\ncharts:\n"
        + "  - {title: Orders by country, type: bar, by: country}\n";
    Path file = write("piped.yaml", v1);
    try (JarProcess p = JarProcess.serve(WAIT, "serve", "--port", "0", file.toString());
        java.io.OutputStream stdin = p.stdin()) {
      stdin.write(orders(0, 100).getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      Poll.until(WAIT, () -> p.source().get("events").asLong() == 100, "the first lines read");

      write("piped.yaml", v1 + "  - {title: Order value, type: number, measure: sum(amount)}\n");
      try (LiveCharts viewer = LiveCharts.connect(p.port(), "/ws")) {
        viewer.await(WAIT, "the layout with the sum", c -> c.titles().contains("Order value"));
        Poll.until(WAIT, () -> p.source().get("events").asLong() == 0
            && p.source().get("state").asText().equals("live"), "the reopened source");
        // Several writes, so that a reader left behind by the reload would get its share.
        for (int i = 1; i <= 20; i++) {
          stdin.write(orders(i * 1000, 50).getBytes(StandardCharsets.UTF_8));
          stdin.flush();
        }
        viewer.await(WAIT, "every line written after the edit", c ->
            c.chart("Order value").path("value").asLong() == 20 * 50 * 3);
        JsonNode source = p.source();
        assertThat(source.get("events").asLong()).isEqualTo(1000);
        assertThat(p.getJson("/healthz").get("skippedFrames").asLong()).isZero();
      }
    }
  }

  /** {@code n} order lines, each of amount 3. */
  private static String orders(int first, int n) {
    StringBuilder lines = new StringBuilder();
    for (int i = first; i < first + n; i++) {
      lines.append("{\"id\":").append(i).append(",\"country\":\"c").append(i % 7)
          .append("\",\"amount\":3}\n");
    }
    return lines.toString();
  }

  private static JsonNode health(Livegraph live) {
    return JarProcess.json(live.port(), "/healthz");
  }
}
