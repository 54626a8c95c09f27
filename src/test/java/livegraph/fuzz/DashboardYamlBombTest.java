package livegraph.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import livegraph.dashboard.DashboardException;
import livegraph.dashboard.DashboardLoader;
import livegraph.dashboard.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * YAML bombs against the dashboard loader: each is a problem of the file, found without
 * expanding it. The limits they lean on are SnakeYAML Engine's settings in DashboardLoader (50
 * aliases to collections, no recursive keys, 2 Mi code points) and its catch of a composer that
 * nests too deeply; a change to one of them fails one of these. The timeout is a hang guard
 * (an expanded bomb runs for minutes), not a performance assertion.
 */
class DashboardYamlBombTest {

  private static final String HEAD = "title: bomb\nsources: {s: {stdin: {}}}\n";

  /** Nine lists of nine aliases of the list before, {@code levels} deep: 9^levels leaves. */
  private static String laughs(int levels, String use) {
    StringBuilder yaml = new StringBuilder(HEAD).append("x-a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
    char previous = 'a';
    for (int i = 1; i < levels; i++) {
      char name = (char) ('a' + i);
      yaml.append("x-").append(name).append(": &").append(name).append(" [")
          .append(String.join(",", java.util.Collections.nCopies(9, "*" + previous)))
          .append("]\n");
      previous = name;
    }
    return yaml.append("charts:\n  - {title: t, type: bar, by: x, ").append(use).append(": *")
        .append(previous).append("}\n").toString();
  }

  private static List<Problem> problems(String yaml) {
    DashboardException e = catchThrowableOfType(DashboardException.class,
        () -> DashboardLoader.parse(yaml, "bomb.yaml"));
    assertThat(e).as("a bomb must be refused").isNotNull();
    DashboardYamlFuzzTest.checkProblems(e, "bomb.yaml");
    return e.problems();
  }

  @Test
  @Timeout(60)
  void billionLaughs_pastTheAliasLimit_isRefusedByTheComposer() {
    // 8 levels: 63 aliases, 9^8 = 43 million leaves if expanded.
    assertThat(problems(laughs(8, "where")))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("not valid YAML").contains("aliases"));
  }

  @Test
  @Timeout(60)
  void laughsWithinTheAliasLimit_areReadWithoutExpanding_andReportedOnce() {
    // 6 levels: 45 aliases, 9^6 = 531,441 leaves if expanded; a problem for each would be the
    // bomb going off. The loader reports at most a hundred problems anyway.
    for (String key : List.of("where", "by", "title", "window")) {
      List<Problem> problems = problems(laughs(6, key));
      assertThat(problems).as(key).isNotEmpty().hasSizeLessThanOrEqualTo(101);
    }
  }

  @Test
  @Timeout(60)
  void recursiveAliases_areProblems_notLoops() {
    assertThat(problems("title: &t [*t]\nsources: {s: {stdin: {}}}\ncharts: []\n")).isNotEmpty();
    assertThat(problems(HEAD + "charts: &c [{title: x, type: bar, by: *c}]\n")).isNotEmpty();
    assertThat(problems("&k {*k: 1}\n")).isNotEmpty();
  }

  @Test
  @Timeout(60)
  void deepBlockNesting_isAProblem_notAStackOverflow() {
    StringBuilder yaml = new StringBuilder(HEAD).append("charts:\n");
    for (int i = 0; i < 3000; i++) {
      yaml.append(" ".repeat(i + 2)).append("- k").append(i).append(":\n");
    }
    assertThat(problems(yaml.toString())).isNotEmpty();
  }
}
