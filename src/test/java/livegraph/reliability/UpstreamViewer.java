package livegraph.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A dashboard viewer for the upstream-fault tests: what a page would know (chart states from
 * the snapshot and every delta, the latest status), plus every status it was shown and how
 * many deltas came between status messages.
 *
 * <p>Messages are applied on the socket's listener thread as they arrive (one at a time), so a
 * test can wait on what the viewer saw while it drives a fault; every accessor is synchronized.
 */
final class UpstreamViewer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A status message as shown: server time, source state and detail, and its counters. */
  record Shown(long time, String state, String detail, long events, long skipped, long dropped,
               int deltasBefore) {}

  private final WebSocket socket;
  // Guarded by this; written by the listener thread.
  private final Map<String, JsonNode> charts = new HashMap<>();
  private final List<Shown> statuses = new ArrayList<>();
  private long seq = -1;
  private int deltasSinceStatus;
  private long deltas;
  private String broken; // the first protocol violation seen, or null

  private UpstreamViewer(URI uri, String origin) {
    this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .header("Origin", origin)
        .buildAsync(uri, new Listener()).join();
  }

  /** Connects to the single dashboard of the livegraph on {@code port}. */
  static UpstreamViewer connect(int port) {
    return new UpstreamViewer(URI.create("ws://127.0.0.1:" + port + "/ws"),
        "http://127.0.0.1:" + port);
  }

  synchronized boolean hasSnapshot() {
    return seq >= 0;
  }

  /** The latest status shown, or null before the first. */
  synchronized Shown status() {
    return statuses.isEmpty() ? null : statuses.get(statuses.size() - 1);
  }

  /** Every status shown so far, in order. */
  synchronized List<Shown> statuses() {
    return List.copyOf(statuses);
  }

  /** Whether any status so far showed {@code state}. */
  synchronized boolean saw(String state) {
    return statuses.stream().anyMatch(s -> s.state().equals(state));
  }

  synchronized long deltas() {
    return deltas;
  }

  /** The first protocol violation (a gap in delta seqs, a bad message), or null. */
  synchronized String broken() {
    return broken;
  }

  /** A keyed chart's window as key → first column's value. */
  synchronized Map<String, Double> keyed(String id, String window) {
    JsonNode w = charts.getOrDefault(id, JSON.createObjectNode()).path("windows").path(window);
    Map<String, Double> rows = new HashMap<>();
    JsonNode keys = w.path("x");
    JsonNode values = w.path("columns").path(0);
    for (int i = 0; i < keys.size(); i++) {
      rows.put(keys.get(i).asText(), values.path(i).asDouble());
    }
    return rows;
  }

  private synchronized void apply(JsonNode m) {
    switch (m.path("type").asText()) {
      case "snapshot" -> {
        charts.clear();
        m.path("charts").properties().forEach(e -> charts.put(e.getKey(), e.getValue()));
        seq = m.path("seq").asLong();
      }
      case "delta" -> {
        long next = m.path("seq").asLong();
        if (next != seq + 1 && broken == null) {
          broken = "delta " + next + " after " + seq;
        }
        m.path("charts").properties().forEach(e -> charts.put(e.getKey(), e.getValue()));
        seq = next;
        deltas++;
        deltasSinceStatus++;
      }
      case "status" -> {
        JsonNode s = m.path("source");
        statuses.add(new Shown(m.path("time").asLong(), s.path("state").asText(),
            s.path("detail").asText(), s.path("events").asLong(), s.path("skipped").asLong(),
            s.path("dropped").asLong(), deltasSinceStatus));
        deltasSinceStatus = 0;
      }
      default -> { } // hello and the rest carry nothing these tests look at
    }
  }

  private synchronized void fail(String what) {
    if (broken == null) {
      broken = what;
    }
  }

  @Override
  public void close() {
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder(); // listener thread only

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          apply(JSON.readTree(partial.toString()));
        } catch (IOException e) {
          fail("not JSON: " + e.getMessage());
        }
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      fail("socket failed: " + error);
    }
  }
}
