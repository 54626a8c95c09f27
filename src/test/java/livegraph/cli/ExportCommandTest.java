package livegraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code livegraph export}: what it writes and prints, and its exit status, run in-process. */
class ExportCommandTest {

  @TempDir Path dir;

  private Path write(String name, String yaml) throws Exception {
    return Files.writeString(dir.resolve(name), yaml);
  }

  @Test
  void builtInDashboard_onALocalFeed_writesThePage_andReportsItsSize() throws Exception {
    Path out = dir.resolve("live.html");

    CliRun run = CliRun.of("export", "--out", out.toString(), "--feed", "ws://127.0.0.1:9000/");

    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isZero();
    assertThat(run.out()).matches("wrote " + java.util.regex.Pattern.quote(out.toString())
        + " \\(\\d+\\.\\d MB, engine \\d+\\.\\d MB, Plotly 1\\.\\d MB\\): \"StackExchange activity\","
        + " 4 charts, source stackexchange ws://127\\.0\\.0\\.1:9000/\n");
    String size = String.format(java.util.Locale.ROOT, "%.1f MB", Files.size(out) / 1e6);
    assertThat(run.out()).contains("(" + size + ",");
    assertThat(Files.readString(out)).startsWith("<!DOCTYPE html>").contains("connect-src ws://127.0.0.1:9000;");
    try (var files = Files.list(dir)) {
      assertThat(files).as("nothing left beside the page").containsExactly(out);
    }
    Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
    assertThat(Files.getPosixFilePermissions(out)).as("the permissions of any new file")
        .isEqualTo(Files.getPosixFilePermissions(plain));
  }

  @Test
  void aSourceNoBrowserCanOpen_isRefusedByName_exitOne_andNothingIsWritten() throws Exception {
    Path file = write("plant.yaml", "title: Plant\nsources:\n"
        + "  plant: {mqtt: {broker: tcp://127.0.0.1:1883, topics: [sensors/#]}}\n"
        + "charts:\n  - {title: A, type: number}\n");
    Path out = dir.resolve("plant.html");

    CliRun run = CliRun.of("export", "--out", out.toString(), file.toString());

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("export: source \"plant\" (mqtt) cannot be reached from a browser;"
        + " an exported page reads websocket and sse sources only\n");
    assertThat(run.out()).isEmpty();
    assertThat(out).doesNotExist();
  }

  @Test
  void aBadFile_printsItsProblemsAsFileLineColumn_exitOne() throws Exception {
    Path file = write("bad.yaml", "title: Bad\nsources:\n  s: {websocket: {url: 'ws://127.0.0.1:9/'}}\n"
        + "charts:\n  - {title: A, type: bar, by: level, top: ten}\n");
    Path out = dir.resolve("bad.html");

    CliRun run = CliRun.of("export", "--out", out.toString(), file.toString());

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).isEqualTo(file + ":5:43: top must be a whole number: 'ten'\n");
    assertThat(out).doesNotExist();
    assertThat(CliRun.of("export", "--out", out.toString(), dir.resolve("gone.yaml").toString()).err())
        .isEqualTo(dir.resolve("gone.yaml") + ":1:1: cannot read the file: no such file\n");
  }

  @Test
  void usageErrors_exitTwo_namingWhatWasWrong() throws Exception {
    Path out = dir.resolve("x.html");

    CliRun unknown = CliRun.of("export", "--out", out.toString(), "--feed", "quotes=ws://127.0.0.1:9/");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err()).isEqualTo("export: --feed quotes=ws://127.0.0.1:9/: the dashboard has"
        + " no source \"quotes\" (sources: stackexchange)\n");

    CliRun wrongScheme = CliRun.of("export", "--out", out.toString(), "--feed", "http://127.0.0.1:9/");
    assertThat(wrongScheme.status()).isEqualTo(2);
    assertThat(wrongScheme.err()).contains("websocket url must be a ws or wss URL");

    CliRun directory = CliRun.of("export", "--out", dir.toString());
    assertThat(directory.status()).isEqualTo(2);
    assertThat(directory.err()).startsWith("--out " + dir + " is a directory");

    CliRun noParent = CliRun.of("export", "--out", dir.resolve("no/such/live.html").toString());
    assertThat(noParent.status()).isEqualTo(2);
    assertThat(noParent.err()).contains("does not exist");

    assertThat(CliRun.of("export").status()).isEqualTo(2);
    assertThat(out).doesNotExist();
  }

  @Test
  void snapshotOptions_sayTheyAreNotInThisBuild_exitTwo() {
    CliRun run = CliRun.of("export", "--out", dir.resolve("s.html").toString(), "--snapshot",
        "--from", "http://127.0.0.1:8080/");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("export: snapshot export is not in this build\n");
  }
}
