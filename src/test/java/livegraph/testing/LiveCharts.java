package livegraph.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a page would show, kept from a {@link TestViewer}'s messages: the latest hello, every
 * chart's latest state (a snapshot replaces them all, a delta the ones it names) and the
 * config-error banner. Test thread only.
 */
public final class LiveCharts implements AutoCloseable {

  private final TestViewer viewer;
  private JsonNode hello;
  private final Map<String, JsonNode> charts = new LinkedHashMap<>();
  private String configError;
  private final List<JsonNode> received = new ArrayList<>();

  private LiveCharts(TestViewer viewer) {
    this.viewer = viewer;
  }

  /** Connects to {@code ws://127.0.0.1:PORT/PATH} with the server's own origin. */
  public static LiveCharts connect(int port, String path) {
    return new LiveCharts(TestViewer.connect(URI.create("ws://127.0.0.1:" + port + path),
        "http://127.0.0.1:" + port));
  }

  /**
   * Applies messages until {@code done} holds after one of them (or at once, if it already
   * holds), failing after {@code timeout} with {@code what} and the state at that moment.
   */
  public LiveCharts await(Duration timeout, String what, Predicate<LiveCharts> done)
      throws InterruptedException {
    if (hello != null && done.test(this)) {
      return this;
    }
    try {
      viewer.until(timeout, what, m -> {
        apply(m);
        return done.test(this);
      });
    } catch (AssertionError e) {
      throw new AssertionError("no " + what + " within " + timeout + "; charts now: " + charts
          + "; config error: " + configError, e);
    }
    return this;
  }

  /** The next message, applied; fails if none comes within {@code timeout}. */
  public JsonNode next(Duration timeout) throws InterruptedException {
    JsonNode m = viewer.next(timeout);
    apply(m);
    return m;
  }

  private void apply(JsonNode m) {
    received.add(m);
    switch (m.path("type").asText()) {
      case "hello" -> {
        hello = m;
        configError = null; // as the page does: a hello clears the banner
      }
      case "snapshot" -> {
        charts.clear();
        m.get("charts").fields().forEachRemaining(e -> charts.put(e.getKey(), e.getValue()));
      }
      case "delta" -> m.get("charts").fields()
          .forEachRemaining(e -> charts.put(e.getKey(), e.getValue()));
      case "config-error" -> configError = m.get("message").isNull()
          ? null : m.get("message").asText();
      default -> { } // status, error: not chart state
    }
  }

  public JsonNode hello() {
    return hello;
  }

  /** The chart titles of the latest hello, in order. */
  public List<String> titles() {
    List<String> titles = new ArrayList<>();
    if (hello != null) {
      hello.at("/dashboard/charts").forEach(c -> titles.add(c.get("title").asText()));
    }
    return titles;
  }

  /** The id of the chart titled {@code title} in the latest hello. */
  public String id(String title) {
    for (JsonNode c : hello.at("/dashboard/charts")) {
      if (c.get("title").asText().equals(title)) {
        return c.get("id").asText();
      }
    }
    throw new AssertionError("no chart titled " + title + " in " + hello);
  }

  /** The latest state of the chart titled {@code title}, or a missing node. */
  public JsonNode chart(String title) {
    JsonNode state = charts.get(id(title));
    return state == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : state;
  }

  /** The banner's message, or null when there is none. */
  public String configError() {
    return configError;
  }

  /** Every message applied so far, in order. */
  public List<JsonNode> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    viewer.close();
  }
}
