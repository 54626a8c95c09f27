package livegraph.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import livegraph.dashboard.DashboardException;
import livegraph.dashboard.DashboardLoader;
import livegraph.dashboard.StackExchangeDashboard;
import livegraph.export.LiveExport;
import livegraph.export.SnapshotExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code livegraph export --out FILE [DASHBOARD.yaml] [--feed URL]}: one self-contained HTML
 * file that reads the dashboard's feed straight from the browser (see {@link LiveExport}); with
 * {@code --snapshot --from URL}, a static page of what a running server shows now (see {@link
 * SnapshotExport}).
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Writes one self-contained HTML file (Plotly and the page inlined) that, opened from disk"
          + " or any static host, connects straight to the dashboard's WebSocket or SSE feed and"
          + " charts it in the browser with the server's own aggregation. Without a file: the"
          + " built-in StackExchange dashboard on the live wss://qa.sockets.stackexchange.com/.",
      "With --snapshot --from URL: a static page of the charts a running livegraph server shows"
          + " now (no live connection; the time of capture is shown).",
      "Exit status: 0 written, 1 the dashboard has problems, a source a browser cannot read"
          + " (stdin, file, tcp, mqtt, nats, redis) or the server failed, 2 bad usage."
    })
final class ExportCommand implements java.util.concurrent.Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML file to write (replaced if it exists).")
  Path out;

  @Parameters(paramLabel = "DASHBOARD", arity = "0..1", description = "Dashboard file (YAML, see DASHBOARDS.md). Default: the built-in StackExchange dashboard.")
  Path file;

  @Option(
      names = "--feed",
      paramLabel = "URL|NAME=URL",
      description = "Replaces the URL of the dashboard's source (with several sources: NAME=URL, repeatable), e.g. ws://127.0.0.1:9000/ for a local emulator.")
  List<String> feeds = new ArrayList<>();

  @Option(names = "--snapshot", description = "A static snapshot of a running server's charts instead of a live page (needs --from).")
  boolean snapshot;

  @Option(names = "--from", paramLabel = "URL",
      description = "With --snapshot: the server (http://HOST:PORT) or one of its dashboards (http://HOST:PORT/d/NAME).")
  String from;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "With --snapshot: the server's --token, sent as a Bearer header. Default: the LIVEGRAPH_TOKEN environment variable.")
  String token;

  /** Where LIVEGRAPH_TOKEN is read; tests replace it. */
  java.util.function.UnaryOperator<String> environment = System::getenv;

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    PrintWriter err = cl.getErr();
    if (snapshot || from != null) {
      if (!snapshot || from == null) {
        throw new CommandLine.ParameterException(cl, "a snapshot needs both --snapshot and --from http://HOST:PORT[/d/NAME]");
      }
      if (file != null || !feeds.isEmpty()) {
        throw new CommandLine.ParameterException(cl, "--snapshot takes the dashboard from the server: no DASHBOARD file or --feed");
      }
      checkOut(cl);
      return SnapshotExport.toFile(from, snapshotToken(cl), out, cl.getOut(), err);
    }
    if (token != null) {
      throw new CommandLine.ParameterException(cl, "--token goes with --snapshot: a live page reads its feeds, not a livegraph server");
    }
    checkOut(cl);

    String text;
    String display;
    if (file == null) {
      text = builtIn();
      display = "stackexchange.yaml";
    } else {
      try {
        DashboardLoader.load(file); // problems reported with the path as the user wrote it
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (DashboardException e) {
        e.problems().forEach(err::println);
        err.flush();
        return 1;
      } catch (IOException e) {
        err.println(file + ":1:1: cannot read the file: " + e.getMessage());
        err.flush();
        return 1;
      }
      display = file.toString();
    }

    LiveExport.Page page;
    try {
      page = LiveExport.build(text, display, feeds);
    } catch (DashboardException e) {
      e.problems().forEach(err::println);
      err.flush();
      return 1;
    } catch (LiveExport.ExportException e) {
      e.reasons().forEach(r -> err.println("export: " + r));
      err.flush();
      return exitStatus(e);
    }

    try {
      write(out, page.html());
    } catch (IOException e) {
      err.println("export: cannot write " + out + ": " + e.getMessage());
      err.flush();
      return 1;
    }
    PrintWriter stdout = cl.getOut();
    stdout.println("wrote " + out + " (" + mb(page.bytes()) + ", engine " + mb(page.engineBytes())
        + ", Plotly " + mb(page.plotlyBytes()) + "): \"" + page.title() + "\", " + page.charts()
        + (page.charts() == 1 ? " chart, " : " charts, ") + (page.feeds().size() == 1 ? "source " : "sources ")
        + page.feeds().stream().map(f -> f.source() + " " + f.url()).collect(Collectors.joining(", ")));
    stdout.flush();
    return 0;
  }

  /** A bad --feed is a usage error (2); a source no browser can read is the dashboard's (1). */
  private static int exitStatus(LiveExport.ExportException e) {
    return e.reasons().stream().allMatch(r -> r.startsWith("--feed ")) ? 2 : 1;
  }

  /** --out names a file to (re)write in an existing directory. */
  private void checkOut(CommandLine cl) {
    Path absolute = out.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      throw new CommandLine.ParameterException(cl, "--out " + out + " is a directory; name the HTML file to write");
    }
    Path parent = absolute.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new CommandLine.ParameterException(cl, "--out " + out + ": the directory " + parent
          + " does not exist");
    }
  }

  /**
   * Writes beside {@code out} and moves into place, so a failed write leaves no half a page. A
   * plain new file (not createTempFile, which is private to the user): the page is meant to be
   * shared and hosted, so it gets the permissions any file the user writes gets.
   */
  private static void write(Path out, String html) throws IOException {
    Path absolute = out.toAbsolutePath();
    Path temp = absolute.resolveSibling(
        "." + absolute.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    try {
      Files.writeString(temp, html, StandardCharsets.UTF_8);
      Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static String builtIn() {
    try (InputStream in = StackExchangeDashboard.class.getResourceAsStream(StackExchangeDashboard.RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + StackExchangeDashboard.RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** "2.3 MB": decimal megabytes, one decimal. */
  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  /** The token to send, from --token or else LIVEGRAPH_TOKEN, checked as serve checks it. */
  private String snapshotToken(CommandLine cl) {
    String t = token != null ? token : environment.apply("LIVEGRAPH_TOKEN");
    if (t == null || t.isEmpty()) {
      return null;
    }
    try {
      livegraph.server.ViewerSecurity.NONE.withToken(t);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, (token == null ? "LIVEGRAPH_TOKEN: " : "") + e.getMessage());
    }
    return t;
  }
}
