package livegraph.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The problems found in one file so far. Bounded: after {@link #MAX} problems the rest are
 * counted in one last line, so a file of garbage cannot flood a terminal or a page banner.
 */
final class Problems {

  static final int MAX = 100;

  private final String file;
  private final List<Problem> found = new ArrayList<>();
  private int dropped;

  Problems(String file) {
    this.file = file;
  }

  String file() {
    return file;
  }

  /** A problem at the start of {@code node}; a node without a mark (none here) counts as 1:1. */
  void at(Node node, String message) {
    at(node == null ? Optional.empty() : node.getStartMark(), message);
  }

  void at(Optional<Mark> mark, String message) {
    at(mark.map(m -> m.getLine() + 1).orElse(1), mark.map(m -> m.getColumn() + 1).orElse(1),
        message);
  }

  void at(int line, int column, String message) {
    if (found.size() < MAX) {
      found.add(new Problem(file, line, column, message));
    } else {
      dropped++;
    }
  }

  /** Problems found so far, for "did this part add any". */
  int count() {
    return found.size() + dropped;
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  /** The problems in file order, then a count of those left out. */
  DashboardException exception() {
    List<Problem> sorted = new ArrayList<>(found);
    sorted.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
    if (dropped > 0) {
      Problem last = sorted.get(sorted.size() - 1);
      sorted.add(new Problem(file, last.line(), last.column(),
          "and " + dropped + " more problems not shown"));
    }
    return new DashboardException(sorted);
  }
}
