package livegraph.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each file in {@code src/test/resources/dashboards/bad/} is one kind of mistake; its first
 * lines say exactly what must be reported, {@code # expect: LINE:COLUMN: MESSAGE} in file order
 * ({@code ...} in a message stands for any text, where the words come from another package and
 * a number in them may change). Every problem is asserted, so a second, spurious one fails too.
 */
class DashboardFileErrorsTest {

  private static final String EXPECT = "# expect: ";

  static Stream<String> badFiles() throws IOException, URISyntaxException {
    try (Stream<Path> files = Files.list(dir())) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void badFile_reportsEachProblemAtItsLineAndColumn(String name) throws Exception {
    Path file = dir().resolve(name);
    List<String> expected = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .takeWhile(l -> l.startsWith(EXPECT)).map(l -> l.substring(EXPECT.length())).toList();
    assertThat(expected).as("%s starts with its '# expect:' lines", name).isNotEmpty();

    DashboardException e =
        catchThrowableOfType(DashboardException.class, () -> DashboardLoader.load(file));

    assertThat(e).as("%s is refused", name).isNotNull();
    assertThat(e.problems()).extracting(Problem::file).containsOnly(file.toString());
    List<String> actual = e.problems().stream()
        .map(p -> p.line() + ":" + p.column() + ": " + p.message()).toList();
    assertThat(actual).as("problems of %s", name).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i)).as("problem %d of %s", i + 1, name).matches(glob(expected.get(i)));
    }
    assertThat(e.getMessage()).startsWith(file + ":" + actual.get(0));
  }

  private static Pattern glob(String expected) {
    StringBuilder regex = new StringBuilder();
    String[] parts = expected.split("\\.\\.\\.", -1);
    for (int i = 0; i < parts.length; i++) {
      regex.append(i > 0 ? ".*" : "").append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  private static Path dir() throws URISyntaxException {
    return Path.of(DashboardFileErrorsTest.class.getResource("/dashboards/bad/").toURI());
  }
}
