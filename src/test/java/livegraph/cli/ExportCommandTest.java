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

/** {@code livegraph export}: what it writes, prints and exits with, run in-process against a loopback stub. */
class ExportCommandTest {

  private static final String DOC = "{\"capturedAt\":1795938072345,\"url\":\"http://127.0.0.1:8080/\","
      + "\"hello\":{\"type\":\"hello\",\"dashboard\":{\"name\":\"stackexchange\",\"title\":\"StackExchange activity\","
      + "\"charts\":[{\"id\":\"a\",\"kind\":\"bar\"},{\"id\":\"b\",\"kind\":\"list\"},{\"id\":\"c\",\"kind\":\"bar\"},"
      + "{\"id\":\"d\",\"kind\":\"line\"}]}},\"charts\":{},\"status\":null}";

  @TempDir Path dir;

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
  void badUsage_exitsTwo() {
    CliRun live = CliRun.of("export", "--out", dir.resolve("x.html").toString());
    assertThat(live.status()).isEqualTo(2);
    assertThat(live.err()).contains("live export is not in this build");

    CliRun noFrom = CliRun.of("export", "--snapshot", "--out", dir.resolve("x.html").toString());
    assertThat(noFrom.status()).isEqualTo(2);
    assertThat(noFrom.err()).contains("--snapshot needs --from http://HOST:PORT[/d/NAME]");

    CliRun badFrom = CliRun.of("export", "--snapshot", "--from", "localhost:8080", "--out", dir.resolve("x.html").toString());
    assertThat(badFrom.status()).isEqualTo(2);
    assertThat(badFrom.err()).isEqualTo("livegraph export: --from must be a URL like http://HOST:PORT or"
        + " http://HOST:PORT/d/NAME, not 'localhost:8080'\n");

    assertThat(CliRun.of("export", "--snapshot", "--from", "http://127.0.0.1:1").status())
        .as("--out is required").isEqualTo(2);
  }
}
