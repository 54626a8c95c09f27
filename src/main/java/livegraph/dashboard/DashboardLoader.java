package livegraph.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads dashboard files (YAML, see DASHBOARDS.md) into {@link Dashboard}s.
 *
 * <p>The file is composed into a node tree (SnakeYAML Engine's compose API, not its object
 * constructor) so every value keeps the line and column it was written at; the readers then walk
 * the tree against the dashboard vocabulary and report every mistake, not just the first, as
 * {@code file:line:column: message}. The chart and source records check their own invariants
 * (windows, memory bounds, URL schemes); their complaints are reported at the key they are about.
 * Files are read whole but bounded ({@link #MAX_BYTES}), and must be UTF-8.
 */
public final class DashboardLoader {

  /** Largest dashboard file read: far beyond any real dashboard, small enough to never matter. */
  public static final int MAX_BYTES = 1 << 20;

  private DashboardLoader() {}

  /**
   * Loads {@code file}. The dashboard's name defaults to the file name without extension; a
   * file source's relative path is relative to the dashboard file's directory.
   *
   * @throws DashboardException with every problem found, each with its line and column
   */
  public static Dashboard load(Path file) throws DashboardException {
    String display = file.toString();
    byte[] bytes;
    try {
      bytes = read(file);
    } catch (IOException e) {
      throw fileProblem(display, "cannot read the file: " + reason(e));
    }
    if (bytes.length > MAX_BYTES) {
      throw fileProblem(display, "the file is over " + (MAX_BYTES >> 20) + " MiB ("
          + MAX_BYTES + " bytes), the most a dashboard file may be");
    }
    return parse(bytes, display, baseDir(file));
  }

  /**
   * Reads a dashboard from text, e.g. a classpath resource or a test; {@code fileName} is shown
   * in problems and gives the default name; relative file paths are relative to the working
   * directory.
   */
  public static Dashboard parse(String yaml, String fileName) throws DashboardException {
    return parse(yaml.getBytes(StandardCharsets.UTF_8), fileName, Path.of(""));
  }

  /**
   * Reads charts defined in code ({@code livegraph.Chart}): a dashboard fed by the program's own
   * events, so it needs no {@code sources}; everything else is read and checked as in a file.
   */
  public static Dashboard parseFedByProgram(String yaml, String fileName)
      throws DashboardException {
    return parse(yaml.getBytes(StandardCharsets.UTF_8), fileName, Path.of(""), false);
  }

  /** Reads {@code bytes} as the contents of the file shown as {@code display}. */
  static Dashboard parse(byte[] bytes, String display, Path baseDir) throws DashboardException {
    return parse(bytes, display, baseDir, true);
  }

  private static Dashboard parse(byte[] bytes, String display, Path baseDir,
      boolean sourcesRequired) throws DashboardException {
    if (bytes.length > MAX_BYTES) {
      throw fileProblem(display, "the file is over " + (MAX_BYTES >> 20) + " MiB ("
          + MAX_BYTES + " bytes), the most a dashboard file may be");
    }
    String text = utf8(bytes, display);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    Problems problems = new Problems(display);
    Optional<Node> root;
    try {
      root = new Compose(settings(display)).composeString(text);
    } catch (MarkedYamlEngineException e) {
      Optional<Mark> mark = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
      String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
      problems.at(mark, "not valid YAML: " + e.getProblem() + context);
      throw problems.exception();
    } catch (ReaderException e) {
      int[] at = lineColumn(text, e.getPosition());
      problems.at(at[0], at[1], "not valid YAML: character " + String.format("U+%04X",
          e.getCodePoint()) + " is not allowed in a YAML file");
      throw problems.exception();
    } catch (YamlEngineException e) {
      problems.at(1, 1, "not valid YAML: " + e.getMessage());
      throw problems.exception();
    } catch (NumberFormatException e) {
      // SnakeYAML Engine (2.10 and 3.2 alike) parses the hex digits of an escape cut short by
      // the end of the text (backslash-x, -u or -U, or a tag's %) without checking that any
      // are there; that is the one place this comes from. Found by DashboardYamlFuzzTest.
      int[] end = lineColumn(text, text.length());
      problems.at(end[0], end[1], "not valid YAML: the file ends inside an escape sequence"
          + " (\\x, \\u, \\U or %) before its hexadecimal digits");
      throw problems.exception();
    } catch (IllegalArgumentException e) {
      // SnakeYAML Engine checks some tokens (a tag whose %-escape decodes to a space or a NUL,
      // say) after scanning them, with an unmarked IllegalArgumentException: still the file's
      // fault, and still to be reported as a problem rather than to escape the loader.
      problems.at(1, 1, "not valid YAML: " + e.getMessage());
      throw problems.exception();
    } catch (StackOverflowError e) {
      // SnakeYAML parses nesting recursively and has no depth limit; ten thousand '[' in a row
      // must be a problem of the file, not the end of the thread that reads it.
      problems.at(1, 1, "the file nests too deeply to be a dashboard");
      throw problems.exception();
    }
    if (root.isEmpty()) {
      problems.at(1, 1, "the file is empty: a dashboard needs title, sources and charts");
      throw problems.exception();
    }
    Dashboard dashboard =
        new DashboardReader(problems, baseDir, defaultName(display), sourcesRequired)
            .read(root.get());
    if (dashboard == null) {
      throw problems.exception();
    }
    return dashboard;
  }

  /** Where a file source's relative path starts: the directory of the dashboard file. */
  static Path baseDir(Path file) {
    Path parent = file.getParent();
    return parent == null ? Path.of("") : parent;
  }

  /** The first {@code MAX_BYTES + 1} bytes: enough to tell a file is too big without reading it all. */
  static byte[] read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(MAX_BYTES + 1);
    }
  }

  static DashboardException fileProblem(String display, String message) {
    Problems problems = new Problems(display);
    problems.at(1, 1, message);
    return problems.exception();
  }

  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** "dashboards/web.yaml" → "web"; a file name that is not a valid name becomes its slug. */
  static String defaultName(String display) {
    String file = display.replace('\\', '/');
    file = file.substring(file.lastIndexOf('/') + 1);
    int dot = file.lastIndexOf('.');
    if (dot > 0) {
      file = file.substring(0, dot);
    }
    return Slugs.NAME.matcher(file).matches() ? file : Slugs.of(file, "dashboard");
  }

  private static LoadSettings settings(String display) {
    return LoadSettings.builder()
        .setLabel(display)
        .setUseMarks(true)
        .setAllowRecursiveKeys(false)
        .setCodePointLimit(2 * MAX_BYTES)
        .build();
  }

  /** Strict UTF-8: a bad byte is reported with its line and column, not replaced. */
  private static String utf8(byte[] bytes, String display) throws DashboardException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int offset = in.position();
      String before = new String(bytes, 0, offset, StandardCharsets.UTF_8);
      int[] at = lineColumn(before, before.length());
      Problems problems = new Problems(display);
      problems.at(at[0], at[1], "the file is not UTF-8: byte " + String.format("0x%02X",
          bytes[offset] & 0xff) + " is not valid UTF-8 here; save the file as UTF-8");
      throw problems.exception();
    }
    out.flip();
    return out.toString();
  }

  /** 1-based line and column of the character at {@code index}. */
  private static int[] lineColumn(String text, int index) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < Math.min(index, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new int[] {line, index - lineStart + 1};
  }
}
