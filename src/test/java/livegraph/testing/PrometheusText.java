package livegraph.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scrape in the Prometheus text format 0.0.4, parsed into samples, so tests assert the value
 * of one series rather than that some text appears somewhere.
 */
public final class PrometheusText {

  /** One line: {@code name{label="value",…} 1.0}. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples = new ArrayList<>();

  private PrometheusText(String text) {
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      Map<String, String> labels = new LinkedHashMap<>();
      String name;
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        String inside = line.substring(brace + 1, line.lastIndexOf('}'));
        // Label values here come from config and fixed enums: no escaped quotes or commas.
        for (String pair : inside.split(",")) {
          if (!pair.isEmpty()) {
            int eq = pair.indexOf('=');
            labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
          }
        }
      } else {
        name = line.substring(0, space);
      }
      samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
    }
  }

  public static PrometheusText parse(String text) {
    return new PrometheusText(text);
  }

  /** Every sample named {@code name} whose labels include {@code labels} (name, value, …). */
  public List<Sample> all(String name, String... labels) {
    List<Sample> found = new ArrayList<>();
    for (Sample s : samples) {
      if (s.name().equals(name) && matches(s, labels)) {
        found.add(s);
      }
    }
    return found;
  }

  /** The value of the one sample named {@code name} with these labels; fails unless one. */
  public double value(String name, String... labels) {
    List<Sample> found = all(name, labels);
    if (found.size() != 1) {
      throw new AssertionError("expected one sample " + name + " " + List.of(labels)
          + ", found " + found);
    }
    return found.get(0).value();
  }

  /** The sum of every sample named {@code name} with these labels (0 when none). */
  public double sum(String name, String... labels) {
    return all(name, labels).stream().mapToDouble(Sample::value).sum();
  }

  private static boolean matches(Sample s, String[] labels) {
    for (int i = 0; i < labels.length; i += 2) {
      if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
        return false;
      }
    }
    return true;
  }
}
