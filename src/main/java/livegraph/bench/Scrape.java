package livegraph.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of a server's {@code /metrics} (Prometheus text 0.0.4), parsed into samples so the
 * soak reads series by name and labels. Lines it cannot read are skipped: it reads a server
 * under test, and one odd line must not end a soak.
 */
final class Scrape {

  private record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples = new ArrayList<>();

  private Scrape() {}

  /** GETs {@code http://127.0.0.1:port/metrics}; throws when it does not answer 200. */
  static Scrape of(HttpClient http, int port) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET /metrics answered " + r.statusCode());
    }
    return parse(r.body());
  }

  static Scrape parse(String text) {
    Scrape s = new Scrape();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      try {
        s.samples.add(sample(line));
      } catch (RuntimeException e) {
        // skipped: see the class note
      }
    }
    return s;
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.lastIndexOf(' ');
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      int end = line.lastIndexOf('}');
      // Label values from this server are names from configuration and fixed lists: no
      // escaped quotes or commas inside them.
      for (String pair : line.substring(brace + 1, end).split(",")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
        }
      }
    } else {
      name = line.substring(0, space);
    }
    return new Sample(name, labels, Double.parseDouble(line.substring(space + 1).trim()));
  }

  /** The sum of every sample named {@code name} whose labels include {@code labels} (k, v, …). */
  double sum(String name, String... labels) {
    double total = 0;
    for (Sample s : samples) {
      if (s.name.equals(name) && matches(s, labels)) {
        total += s.value;
      }
    }
    return total;
  }

  /** The largest such sample, or 0 with none. */
  double max(String name, String... labels) {
    double most = 0;
    for (Sample s : samples) {
      if (s.name.equals(name) && matches(s, labels)) {
        most = Math.max(most, s.value);
      }
    }
    return most;
  }

  private static boolean matches(Sample s, String[] labels) {
    for (int i = 0; i + 1 < labels.length; i += 2) {
      if (!labels[i + 1].equals(s.labels.get(labels[i]))) {
        return false;
      }
    }
    return true;
  }
}
