package livegraph.dashboard;

import java.util.Collection;
import java.util.Locale;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** "did you mean 'title'?" for a misspelt key, chart type or source name. */
final class Suggestions {

  private Suggestions() {}

  /**
   * The candidate closest to {@code word} by edit distance, if close enough to be a typo: at
   * most a third of the word's length in edits (but 2 allowed), and fewer edits than the word
   * has letters (so "q" does not suggest "t"); else {@code null}.
   */
  static String closest(String word, Collection<String> candidates) {
    String w = word.toLowerCase(Locale.ROOT);
    int limit = Math.max(2, w.length() / 3);
    LevenshteinDistance distance = new LevenshteinDistance(limit);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance.apply(w, candidate.toLowerCase(Locale.ROOT));
      if (d >= 0 && d < w.length() && d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }

  /** {@code ": did you mean 'x'?"}, or {@code ": expected one of a, b, c"} when nothing is close. */
  static String hint(String word, Collection<String> candidates) {
    if (candidates.isEmpty()) {
      return ""; // the caller says what is expected
    }
    String best = closest(word, candidates);
    return best != null ? ": did you mean '" + best + "'?"
        : ": expected one of " + String.join(", ", candidates);
  }
}
