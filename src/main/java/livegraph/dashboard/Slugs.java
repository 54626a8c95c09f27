package livegraph.dashboard;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Ids and names derived from titles and file names: lower case, digits and dashes. */
final class Slugs {

  /** What a dashboard name, chart id or source name may be: it goes into URLs and DOM ids. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  static final String NAME_RULE = "letters, digits, '_', '.' or '-', starting with a letter or digit";

  private static final int MAX_LENGTH = 40;

  private Slugs() {}

  /** "Requests by level!" → "requests-by-level"; {@code fallback} when nothing is left. */
  static String of(String text, String fallback) {
    String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
        .replaceAll("^-+|-+$", "");
    if (slug.length() > MAX_LENGTH) {
      slug = slug.substring(0, MAX_LENGTH).replaceAll("-+$", "");
    }
    return slug.isEmpty() ? fallback : slug;
  }

  /** {@code base}, or {@code base-2}, {@code base-3}… whichever is not taken yet; adds it to taken. */
  static String unique(String base, Set<String> taken) {
    String id = base;
    for (int n = 2; taken.contains(id); n++) {
      id = base + "-" + n;
    }
    taken.add(id);
    return id;
  }
}
