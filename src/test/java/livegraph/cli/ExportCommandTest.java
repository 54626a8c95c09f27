package livegraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code livegraph export}: what it writes, prints and exits with, run in-process (snapshots
 * against a loopback stub).
 */
class ExportCommandTest {

  private static final String DOC = "{\"capturedAt\":1795938072345,\"url\":\"http://127.0.0.1:8080/\","
      + "\"hello\":{\"type\":\"hello\",\"dashboard\":{\"name\":\"stackexchange\",\"title\":\"StackExchange activity\","
      + "\"charts\":[{\"id\":\"a\",\"kind\":\"bar\"},{\"id\":\"b\",\"kind\":\"list\"},{\"id\":\"c\",\"kind\":\"bar\"},"
      + "{\"id\":\"d\",\"kind\":\"line\"}]}},\"charts\":{},\"status\":null}";

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
  void snapshot_writesThePage_andSaysWhatItWrote() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/snapshot.json", exchange -> {
      byte[] body = DOC.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    try {
      Path out = dir.resolve("snap.html");

      CliRun run = CliRun.of("export", "--snapshot", "--from", "http://127.0.0.1:" + server.getAddress().getPort() + "/",
          "--out", out.toString());

      assertThat(run.err()).isEmpty();
      assertThat(run.status()).isZero();
      long size = Files.size(out);
      assertThat(run.out()).isEqualTo(String.format(Locale.ROOT, "wrote %s (%.1f MB): \"StackExchange activity\", 4 charts,"
          + " captured 2026-11-29 07:41:12 UTC from http://127.0.0.1:8080/%n", out, size / 1e6));
      assertThat(Files.readString(out)).contains("<script type=\"application/json\" id=\"livegraph-snapshot\">" + DOC
          + "</script>");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void nothingListening_exitsOne_sayingSo_andWritesNothing() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path out = dir.resolve("snap.html");

    CliRun run = CliRun.of("export", "--snapshot", "--from", "http://127.0.0.1:" + port, "--out", out.toString());

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("livegraph export: cannot connect to 127.0.0.1:" + port
        + " (connection refused): is livegraph running there?\n");
    assertThat(out).doesNotExist();
  }

  @Test
  void snapshotUsageErrors_exitTwo() {
    CliRun noFrom = CliRun.of("export", "--snapshot", "--out", dir.resolve("x.html").toString());
    assertThat(noFrom.status()).isEqualTo(2);
    assertThat(noFrom.err()).contains("a snapshot needs both --snapshot and --from http://HOST:PORT[/d/NAME]");

    CliRun badFrom = CliRun.of("export", "--snapshot", "--from", "localhost:8080", "--out", dir.resolve("x.html").toString());
    assertThat(badFrom.status()).isEqualTo(2);
    assertThat(badFrom.err()).isEqualTo("livegraph export: --from must be a URL like http://HOST:PORT or"
        + " http://HOST:PORT/d/NAME, not 'localhost:8080'\n");

    assertThat(CliRun.of("export", "--snapshot", "--from", "http://127.0.0.1:1").status())
        .as("--out is required").isEqualTo(2);

    CliRun withFeed = CliRun.of("export", "--snapshot", "--from", "http://127.0.0.1:1",
        "--feed", "ws://127.0.0.1:9/", "--out", dir.resolve("x.html").toString());
    assertThat(withFeed.status()).isEqualTo(2);
    assertThat(withFeed.err()).contains("--snapshot takes the dashboard from the server");

    CliRun liveWithToken = CliRun.of("export", "--token", "s3cret-token-0123456789",
        "--out", dir.resolve("x.html").toString());
    assertThat(liveWithToken.status()).isEqualTo(2);
    assertThat(liveWithToken.err()).contains("--token goes with --snapshot");

    CliRun shortToken = CliRun.of("export", "--snapshot", "--from", "http://127.0.0.1:1",
        "--token", "short", "--out", dir.resolve("x.html").toString());
    assertThat(shortToken.status()).isEqualTo(2);
    assertThat(shortToken.err()).contains("token must be");
    assertThat(dir.resolve("x.html")).doesNotExist();
  }
}
