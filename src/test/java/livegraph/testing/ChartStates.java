package livegraph.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What a viewer of a dashboard's socket currently knows, as the page would: the last
 * {@code hello}, and every chart's state from the last {@code snapshot} with each later
 * {@code delta} applied (a delta carries the full state of each chart that changed). A delta
 * whose seq does not follow the last one fails the test: a viewer that kept up must see them
 * all (an IllegalStateException, which {@link #tryAwait} does not swallow). Test thread only.
 */
public final class ChartStates implements AutoCloseable {

  private final TestViewer viewer;
  private final Map<String, JsonNode> charts = new HashMap<>();
  private JsonNode hello;
  private JsonNode status; // the last status message: what the status bar shows
  private long seq = -1;
  private int snapshots; // snapshots applied since connecting
  // Each frame's charts as text, by seq, so two viewers' pictures at one seq can be compared.
  private final Map<Long, Map<String, String>> history = new java.util.LinkedHashMap<>();
  private static final int HISTORY = 2_000; // frames kept; the oldest go first

  private ChartStates(TestViewer viewer) {
    this.viewer = viewer;
  }

  /** Connects to a dashboard socket, e.g. ws://127.0.0.1:P/ws, and waits for hello and snapshot. */
  public static ChartStates connect(URI socket, String origin, Duration timeout)
      throws InterruptedException {
    ChartStates states = new ChartStates(TestViewer.connect(socket, origin));
    states.await(timeout, "hello and snapshot", () -> states.hello != null && states.seq >= 0);
    return states;
  }

  /**
   * Connects to {@code socket} as a page that saw {@code before}'s charts up to its seq and
   * reconnects there ({@code ?resume=SEQ}), as the page does; waits for the hello. The deltas that
   * follow must go on from that seq (a gap fails the test); {@link #snapshots()} tells whether
   * the server had to send a snapshot instead.
   */
  public static ChartStates resume(URI socket, String origin, ChartStates before,
      Duration timeout) throws InterruptedException {
    ChartStates states = new ChartStates(
        TestViewer.connect(URI.create(socket + "?resume=" + before.seq), origin));
    states.charts.putAll(before.charts);
    states.seq = before.seq;
    states.await(timeout, "hello", () -> states.hello != null);
    return states;
  }

  /**
   * Applies messages as they arrive until {@code condition} holds (checked after each one, and
   * first before any); fails naming {@code what} at the deadline. A status message comes every
   * second, so the condition is looked at at least that often.
   */
  public void await(Duration timeout, String what, BooleanSupplier condition)
      throws InterruptedException {
    if (condition.getAsBoolean()) {
      return;
    }
    viewer.until(timeout, what, m -> {
      apply(m);
      return condition.getAsBoolean();
    });
  }

  /** {@link #await}, without failing at the deadline; returns whether the condition held. */
  public boolean tryAwait(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    try {
      await(timeout, "", condition);
      return true;
    } catch (AssertionError timedOut) {
      return false;
    }
  }

  private void apply(JsonNode m) {
    switch (m.path("type").asText()) {
      case "hello" -> hello = m;
      case "status" -> status = m;
      case "snapshot" -> {
        charts.clear();
        m.path("charts").properties().forEach(e -> charts.put(e.getKey(), e.getValue()));
        seq = m.path("seq").asLong();
        snapshots++;
        remember();
      }
      case "delta" -> {
        long next = m.path("seq").asLong();
        if (next != seq + 1) {
          throw new IllegalStateException("delta " + next + " after " + seq + ": a gap in the deltas");
        }
        m.path("charts").properties().forEach(e -> charts.put(e.getKey(), e.getValue()));
        seq = next;
        remember();
      }
      default -> {
        // status and the rest carry no chart state
      }
    }
  }

  private void remember() {
    Map<String, String> text = new java.util.TreeMap<>();
    charts.forEach((id, state) -> text.put(id, state.toString()));
    history.put(seq, text);
    if (history.size() > HISTORY) {
      history.remove(history.keySet().iterator().next());
    }
  }

  public JsonNode hello() {
    return hello;
  }

  /** The last status message (state, detail…), or a missing node before the first. */
  public JsonNode status() {
    return status != null ? status : MissingNode.getInstance();
  }

  /** The seq of the last frame applied; -1 before the first. */
  public long seq() {
    return seq;
  }

  /** Snapshots applied since connecting (a resume that the server could answer with deltas: 0). */
  public int snapshots() {
    return snapshots;
  }

  /** The charts as text after each of the last frames applied, by seq. */
  public Map<Long, Map<String, String>> history() {
    return java.util.Collections.unmodifiableMap(history);
  }

  /** A chart's current state; a missing node if the server never sent one. */
  public JsonNode chart(String id) {
    JsonNode state = charts.get(id);
    return state != null ? state : MissingNode.getInstance();
  }

  /**
   * One window of a keyed chart as rows {@code [key, value of each column…]}: keys as text,
   * values as Double or null; comparable with {@link PublishedMessages#keyed}.
   */
  public List<List<Object>> keyed(String id, String window) {
    JsonNode w = chart(id).path("windows").path(window);
    JsonNode keys = w.path("x");
    JsonNode columns = w.path("columns");
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      List<Object> row = new ArrayList<>();
      row.add(keys.get(i).asText());
      for (JsonNode column : columns) {
        row.add(number(column.get(i)));
      }
      rows.add(row);
    }
    return rows;
  }

  /** A number chart's value, or null when it has none. */
  public Double number(String id) {
    return number(chart(id).path("value"));
  }

  /**
   * A list chart's items, newest first, each as the values of {@code fields} in order: numbers
   * as Double, texts as String, absent as null.
   */
  public List<List<Object>> items(String id, String... fields) {
    List<List<Object>> items = new ArrayList<>();
    for (JsonNode item : chart(id).path("items")) {
      List<Object> row = new ArrayList<>();
      for (String field : fields) {
        JsonNode v = item.get(field);
        row.add(v == null || v.isNull() ? null : v.isNumber() ? (Object) v.asDouble() : v.asText());
      }
      items.add(row);
    }
    return items;
  }

  private static Double number(JsonNode v) {
    return v == null || v.isNull() || !v.isNumber() ? null : v.doubleValue();
  }

  @Override
  public void close() {
    viewer.close();
  }
}
