package livegraph.export;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Snapshots as static pages: a {@code snapshot.json} document (a dashboard's hello, chart
 * states and status at one moment) becomes one self-contained HTML file running
 * {@code web/snapshot.js}, which draws it once and connects to nothing (its CSP has no
 * connect-src). The server's {@code snapshot.html} and {@code livegraph export --snapshot}
 * both go through {@link #html(String)}.
 *
 * <p>Everything but the title and the data block is the same for every snapshot (styles,
 * Plotly, the bundled modules: about 1.6 MB), so it is built once, on first use, and each page
 * costs a copy of it plus the document.
 */
public final class SnapshotExport {

  /** The id of the page's data block, read by snapshot.js. */
  public static final String DATA_ID = "livegraph-snapshot";

  private static final String TITLE_MARK = "@@livegraph-snapshot-title@@";
  private static final String DATA_MARK = "@@livegraph-snapshot-data@@";
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private SnapshotExport() {}

  /**
   * The static page of a snapshot document.
   *
   * @throws IllegalArgumentException when {@code snapshotJson} is not a snapshot document
   */
  public static String html(String snapshotJson) {
    return html(Snapshot.parse(snapshotJson));
  }

  /** The static page of a snapshot already read. */
  public static String html(Snapshot snapshot) {
    String[] parts = Template.PARTS;
    String title = snapshot.title().isEmpty() ? "livegraph" : snapshot.title();
    return parts[0] + SelfContainedPage.escapeText(title + " (snapshot)") + parts[1]
        + SelfContainedPage.jsonInHtml(snapshot.json()) + parts[2];
  }

  /**
   * The file name a snapshot is offered under: the dashboard's name (letters, digits, '.', '_'
   * and '-' kept, anything else as '_') and the capture time in UTC, e.g.
   * {@code stackexchange-20261129-0741.html}.
   */
  public static String fileName(String dashboard, long capturedAtMillis) {
    String name = dashboard.replaceAll("[^A-Za-z0-9._-]", "_");
    if (name.isEmpty() || name.startsWith(".")) {
      name = "livegraph" + name;
    }
    return name + "-" + FILE_TIME.format(Instant.ofEpochMilli(capturedAtMillis)) + ".html";
  }

  /**
   * {@code livegraph export --snapshot --from URL --out FILE}: fetches {@code URL/snapshot.json},
   * writes the static page to {@code out} and prints one line about it to {@code stdout}, or what
   * went wrong to {@code stderr}. {@code token} is the server's {@code --token}, or null.
   *
   * @return the exit status: 0 written, 1 the server or the file failed, 2 a bad URL
   */
  public static int toFile(String from, String token, Path out, PrintWriter stdout, PrintWriter stderr) {
    SnapshotFetch fetch;
    try {
      fetch = SnapshotFetch.of(from).withToken(token);
    } catch (IllegalArgumentException e) {
      stderr.println("livegraph export: " + e.getMessage());
      stderr.flush();
      return 2;
    }
    try {
      Snapshot snapshot = fetch.get();
      byte[] page = html(snapshot).getBytes(StandardCharsets.UTF_8);
      Files.write(out, page);
      stdout.println(summary(out, page.length, snapshot));
      stdout.flush();
      return 0;
    } catch (SnapshotFetch.Failure e) {
      stderr.println("livegraph export: " + e.getMessage());
    } catch (IOException e) {
      stderr.println("livegraph export: cannot write " + out + ": " + e);
    }
    stderr.flush();
    return 1;
  }

  /**
   * {@code wrote snap.html (1.9 MB): "Title", 4 charts, captured 2026-11-29 07:41:12 UTC from
   * http://127.0.0.1:8080/}.
   */
  static String summary(Path out, long bytes, Snapshot snapshot) {
    return String.format(Locale.ROOT, "wrote %s (%.1f MB): \"%s\", %d chart%s, captured %s from %s",
        out, bytes / 1e6, snapshot.title(), snapshot.charts(), snapshot.charts() == 1 ? "" : "s",
        UTC_TIME.format(Instant.ofEpochMilli(snapshot.capturedAtMillis())), snapshot.url());
  }

  /** The page around its two variable parts, built on first use (holder idiom: thread-safe). */
  private static final class Template {
    static final String[] PARTS = build();

    private static String[] build() {
      String page = SelfContainedPage.running("snapshot.js")
          .title(TITLE_MARK)
          .data(DATA_ID, DATA_MARK)
          .html();
      int title = onlyOnce(page, TITLE_MARK);
      int data = onlyOnce(page, DATA_MARK);
      if (title > data) {
        throw new IllegalStateException("the snapshot page's title comes after its data");
      }
      return new String[] {
        page.substring(0, title),
        page.substring(title + TITLE_MARK.length(), data),
        page.substring(data + DATA_MARK.length())
      };
    }

    private static int onlyOnce(String page, String mark) {
      int at = page.indexOf(mark);
      if (at < 0 || page.indexOf(mark, at + 1) >= 0) {
        throw new IllegalStateException("the snapshot page must hold " + mark + " exactly once");
      }
      return at;
    }
  }
}
