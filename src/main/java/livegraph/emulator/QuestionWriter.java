package livegraph.emulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Makes up plausible questions for a site: title, body start, tags, owner and id.
 *
 * <p>Every draw comes from the random passed in, in a fixed order, so a seeded caller gets
 * the same questions every run. Not thread-safe (caches tag pickers).
 */
final class QuestionWriter {

  /** One made-up question; {@code title} and {@code ownerName} are already HTML-encoded. */
  record Question(Sites.Site site, long id, String title, String slug, String bodySummary,
                  List<String> tags, String ownerName, String ownerUrl) {}

  /** Share of titles that carry an HTML entity, like real titles with quotes or ampersands. */
  static final double ENTITY_TITLE_SHARE = 0.05;

  private static final int BODY_LIMIT = 200;
  private static final double TAG_SKEW = 1.1;
  // How many tags a question carries: 1..5, weighted toward 2-3 as on the real sites.
  private static final double[] TAG_COUNT_CUMULATIVE = {0.12, 0.37, 0.67, 0.87, 1.0};

  private static final String[] NOUNS = {
      "value", "list", "file", "function", "output", "error", "result", "connection", "table",
      "image", "string", "request", "setting", "driver", "sequence", "proof", "integral",
      "equation", "matrix", "map", "key", "config", "package", "window", "layer", "element",
      "field", "object", "page", "form", "date", "column", "loop", "variable", "path",
      "permission", "user", "button", "server", "query", "limit", "series", "partition"};
  private static final String[] VERBS = {
      "convert", "remove", "find", "update", "sort", "compute", "parse", "display", "install",
      "configure", "prove", "simplify", "merge", "split", "replace", "detect", "load", "export",
      "create", "reset", "evaluate", "restore"};
  private static final String[] FAILS = {
      "stops working", "fails", "is ignored", "crashes", "hangs", "returns nothing", "is slow",
      "changes unexpectedly", "gives a different answer", "throws an error"};
  private static final String[] ADJECTIVES = {
      "nested", "empty", "large", "dynamic", "default", "custom", "multiple", "missing",
      "duplicate", "new", "hidden", "remote", "local", "first", "last", "infinite", "old"};
  private static final String[] SENTENCES = {
      "I have been trying to get this working for a while now.",
      "Here is what I have so far.",
      "Everything works fine until the {noun} gets {adj}.",
      "I tried to {verb} the {noun} first, but the {noun2} still {fail}.",
      "I searched for similar questions but none of them cover the {adj} case.",
      "Is there a simpler way to do this?",
      "The documentation says the {noun} should be {adj}, but it is not.",
      "Any help would be appreciated.",
      "When I {verb} the {noun2}, nothing happens.",
      "My current approach is to {verb} every {noun} by hand, which is slow."};
  private static final String[] FIRST_NAMES = {
      "John", "Maria", "Wei", "Ahmed", "Anna", "David", "Priya", "Carlos", "Olga", "Kenji",
      "Sarah", "Michael", "Fatima", "Luca", "Emma", "Chris", "Jos\u00e9", "\u0141ukasz",
      "\u0414\u043c\u0438\u0442\u0440\u0438\u0439", "Sven", "Aisha", "Tom", "Nguyen", "Ravi"};
  private static final String[] LAST_NAMES = {
      "Smith", "Garcia", "Chen", "Kumar", "M\u00fcller", "Rossi", "Kowalski", "Silva", "Kim",
      "Ivanov", "Brown", "O'Neil", "D'Angelo", "Tanaka", "Novak", "Jones"};

  private final Map<Integer, ZipfPicker> pickers = new HashMap<>(); // by list size

  Question write(Sites.Site site, SplittableRandom random) {
    List<String> tags = tags(site, random);
    String plainTitle = title(tags.get(0), random);
    // Question ids count answers too, so they run ahead of the question count; active
    // questions lean toward the recent end of the range.
    long maxId = site.weight() * 3 + 1000;
    long id = maxId / 2 + random.nextLong(maxId - maxId / 2);
    String plainName = ownerName(random);
    long userId = 1 + random.nextLong(Math.max(100, site.weight()));
    // A few questions belong to deleted accounts and have no owner URL, as in the real feed.
    String ownerUrl = random.nextInt(100) < 3
        ? null
        : "https://" + site.host() + "/users/" + userId + "/" + slug(plainName);
    return new Question(site, id, encode(plainTitle), slug(plainTitle), body(random), tags,
        encode(plainName), ownerUrl);
  }

  /** The URL slug the sites derive from a title: lower case words joined by dashes. */
  static String slug(String text) {
    StringBuilder b = new StringBuilder();
    boolean dash = false;
    for (int i = 0; i < text.length() && b.length() < 80; i++) {
      char c = Character.toLowerCase(text.charAt(i));
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        if (dash && b.length() > 0) {
          b.append('-');
        }
        b.append(c);
        dash = false;
      } else {
        dash = true;
      }
    }
    return b.length() == 0 ? "question" : b.toString();
  }

  /** Plain text to the HTML-encoded form the feed uses for titles and names. */
  static String encode(String plain) {
    StringBuilder b = new StringBuilder(plain.length() + 16);
    for (int i = 0; i < plain.length(); i++) {
      char c = plain.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private List<String> tags(Sites.Site site, SplittableRandom random) {
    List<String> list = TagLists.forSite(site);
    ZipfPicker picker = pickers.computeIfAbsent(list.size(), n -> new ZipfPicker(n, TAG_SKEW));
    double u = random.nextDouble();
    int count = 1;
    while (count < TAG_COUNT_CUMULATIVE.length && u >= TAG_COUNT_CUMULATIVE[count - 1]) {
      count++;
    }
    count = Math.min(count, list.size());
    List<String> tags = new ArrayList<>(count);
    // Bounded retries: a duplicate draw just leaves the question with fewer tags.
    for (int attempt = 0; attempt < count * 4 && tags.size() < count; attempt++) {
      String tag = list.get(picker.next(random));
      if (!tags.contains(tag)) {
        tags.add(tag);
      }
    }
    return List.copyOf(tags);
  }

  private String title(String tag, SplittableRandom random) {
    String noun = pick(NOUNS, random);
    String noun2 = pick(NOUNS, random);
    String verb = pick(VERBS, random);
    String plain = switch (random.nextInt(10)) {
      case 0 -> "How to " + verb + " " + noun + " in " + tag + "?";
      case 1 -> "My " + noun + " " + pick(FAILS, random) + " after I " + verb + " the " + noun2;
      case 2 -> tag + ": " + noun + " " + pick(FAILS, random) + " when " + noun2 + " is empty";
      case 3 -> "Is it possible to " + verb + " a " + noun + " without a " + noun2 + "?";
      case 4 -> "What is the difference between " + noun + " and " + noun2 + " in " + tag + "?";
      case 5 -> "Best way to " + verb + " " + pick(ADJECTIVES, random) + " " + noun + "s";
      case 6 -> "Cannot " + verb + " " + noun + " using " + tag;
      case 7 -> "Unexpected " + noun + " in " + tag + " " + noun2;
      case 8 -> "How can I " + verb + " the " + pick(ADJECTIVES, random) + " " + noun + " of a "
          + noun2 + "?";
      default -> tag + " " + noun + " returns wrong " + noun2;
    };
    if (random.nextDouble() < ENTITY_TITLE_SHARE) {
      plain = withSpecialCharacters(plain, noun, noun2, random);
    }
    return Character.toUpperCase(plain.charAt(0)) + plain.substring(1);
  }

  /** Puts a quote, ampersand, apostrophe or angle bracket into a title, so it gets entities. */
  private static String withSpecialCharacters(String plain, String noun, String noun2,
                                               SplittableRandom random) {
    return switch (random.nextInt(4)) {
      case 0 -> plain.replaceFirst(noun, "\"" + noun + "\"");
      case 1 -> plain + " & " + noun2;
      case 2 -> plain.replaceFirst(noun, noun + "'s");
      default -> plain + " with <" + noun2 + ">";
    };
  }

  private static String body(SplittableRandom random) {
    int sentences = 1 + random.nextInt(5);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < sentences; i++) {
      if (i > 0) {
        b.append(random.nextInt(3) == 0 ? "\n\n" : " ");
      }
      b.append(pick(SENTENCES, random)
          .replace("{noun2}", pick(NOUNS, random))
          .replace("{noun}", pick(NOUNS, random))
          .replace("{verb}", pick(VERBS, random))
          .replace("{adj}", pick(ADJECTIVES, random))
          .replace("{fail}", pick(FAILS, random)));
    }
    if (b.length() <= BODY_LIMIT) {
      return b.toString();
    }
    // The real feed cuts the body at a word boundary and marks the cut with " ...".
    int cut = b.lastIndexOf(" ", BODY_LIMIT);
    return b.substring(0, cut > 0 ? cut : BODY_LIMIT).stripTrailing() + " ...";
  }

  private static String ownerName(SplittableRandom random) {
    return switch (random.nextInt(4)) {
      case 0 -> "user" + (1000 + random.nextInt(9_000_000));
      case 1 -> pick(FIRST_NAMES, random);
      default -> pick(FIRST_NAMES, random) + " " + pick(LAST_NAMES, random);
    };
  }

  private static String pick(String[] words, SplittableRandom random) {
    return words[random.nextInt(words.length)];
  }
}
