package livegraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code livegraph validate}: what it prints and its exit status, run in-process. */
class ValidateCommandTest {

  @TempDir Path dir;

  private Path write(String name, String yaml) throws Exception {
    return Files.writeString(dir.resolve(name), yaml);
  }

  @Test
  void goodFiles_printOkWithCounts_andExitZero() throws Exception {
    Path one = write("one.yaml", "title: One\nsources:\n  logs: {stdin: {}}\n"
        + "charts:\n  - {title: A, type: number}\n");
    Path two = write("two.yaml", "title: Two\nsources:\n  a: {stdin: {}}\n  b: {tcp: {port: 9}}\n"
        + "charts:\n  - {title: A, type: number}\n  - {title: B, type: list, fields: [x]}\n");

    CliRun run = CliRun.of("validate", one.toString(), two.toString());

    assertThat(run.status()).isZero();
    assertThat(run.out()).isEqualTo(one + ": ok (1 chart, 1 source)\n"
        + two + ": ok (2 charts, 2 sources)\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void badFile_printsEveryProblemAsFileLineColumn_andExitsOne_afterCheckingTheRest()
      throws Exception {
    Path bad = write("bad.yaml", "title: Bad\nsources:\n  logs: {stdin: {}}\ncharts:\n"
        + "  - {title: A, type: bar, by: level, top: ten}\n  - {title: B, type: lne}\n");
    Path good = write("good.yaml", "title: Good\nsources:\n  logs: {stdin: {}}\n"
        + "charts:\n  - {title: A, type: number}\n");

    CliRun run = CliRun.of("validate", bad.toString(), good.toString());

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).isEqualTo(bad + ":5:43: top must be a whole number: 'ten'\n"
        + bad + ":6:22: unknown chart type 'lne': did you mean 'line'?\n");
    assertThat(run.out()).isEqualTo(good + ": ok (1 chart, 1 source)\n");
  }

  @Test
  void missingFile_isAProblemOfThatFile() {
    Path missing = dir.resolve("missing.yaml");

    CliRun run = CliRun.of("validate", missing.toString());

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).isEqualTo(missing + ":1:1: cannot read the file: no such file\n");
  }

  @Test
  void noFile_isAUsageError_exitTwo() {
    CliRun run = CliRun.of("validate");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required parameter: 'FILE'");
  }

  @Test
  void builtInDashboard_validates() throws Exception {
    Path copy = dir.resolve("stackexchange.yaml");
    try (var in = getClass().getResourceAsStream("/dashboards/stackexchange.yaml")) {
      Files.copy(in, copy);
    }

    assertThat(CliRun.of("validate", copy.toString()).out())
        .isEqualTo(copy + ": ok (4 charts, 1 source)\n");
  }
}
