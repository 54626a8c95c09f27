package livegraph.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import livegraph.dashboard.Dashboard;
import livegraph.dashboard.DashboardException;
import livegraph.dashboard.DashboardLoader;
import livegraph.dashboard.Problem;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the dashboard loader ({@link DashboardLoader#parse}, which runs SnakeYAML's composer
 * and then the dashboard readers) on arbitrary text.
 *
 * <p>Contract: it returns a dashboard with a name and a title, or throws {@link
 * DashboardException} with at least one problem, each in the file with a line and column of
 * at least 1 and a message; never another exception, never a hang (YAML bombs of aliases and
 * deep nesting are among the seeds). The last byte picks the mode: 0 the rest is the file; 1
 * it replaces the value on one line of a good dashboard (test resources dashboards/good), so
 * the fuzzer works inside a valid file; 2 it is appended to one. Seeds: the good and bad
 * dashboards of src/test/resources/dashboards and YAML bombs (DashboardYamlFuzzTestInputs/).
 */
class DashboardYamlFuzzTest {

  private static final String FILE = "fuzz.yaml";
  private static final List<String> GOOD = List.of(
      resource("app-log.yaml"), resource("events-sse.yaml"), resource("sensors-mqtt.yaml"),
      resource("two-sources.yaml"));

  @FuzzTest
  @Timeout(30)
  void yaml_givesADashboardOrProblems_neverAnotherException(FuzzedDataProvider data) {
    int mode = data.consumeInt(0, 2);
    String yaml;
    if (mode == 0) {
      yaml = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
    } else {
      String good = GOOD.get(data.consumeInt(0, GOOD.size() - 1));
      String[] lines = good.split("\n", -1);
      int line = data.consumeInt(0, lines.length - 1);
      String text = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
      if (mode == 1) {
        int colon = lines[line].indexOf(": ");
        lines[line] = (colon < 0 ? lines[line] : lines[line].substring(0, colon + 2)) + text;
        yaml = String.join("\n", lines);
      } else {
        yaml = good + "\n" + text;
      }
    }
    Dashboard dashboard;
    try {
      dashboard = DashboardLoader.parse(yaml, FILE);
    } catch (DashboardException e) {
      checkProblems(e, FILE);
      return;
    }
    if (dashboard == null || dashboard.name() == null || dashboard.name().isEmpty()
        || dashboard.title() == null) {
      throw new AssertionError("a dashboard without a name or title: " + dashboard);
    }
  }

  /** Every problem names the file, a line and column of at least 1, and says something. */
  static void checkProblems(DashboardException e, String file) {
    if (e.problems().isEmpty()) {
      throw new AssertionError("DashboardException without problems");
    }
    for (Problem p : e.problems()) {
      if (!p.file().equals(file) || p.line() < 1 || p.column() < 1 || p.message().isBlank()) {
        throw new AssertionError("problem without a place or message: " + p);
      }
    }
  }

  private static String resource(String name) {
    try (InputStream in = DashboardYamlFuzzTest.class.getResourceAsStream("/dashboards/good/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource dashboards/good/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
