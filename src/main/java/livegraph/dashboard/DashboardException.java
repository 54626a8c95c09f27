package livegraph.dashboard;

import java.util.List;
import java.util.stream.Collectors;

/** A dashboard file that could not be loaded, with every problem found in it (not just the first). */
public final class DashboardException extends Exception {

  private final transient List<Problem> problems;

  public DashboardException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a dashboard exception needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** In file order. */
  public List<Problem> problems() {
    return problems;
  }
}
