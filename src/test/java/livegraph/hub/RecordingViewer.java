package livegraph.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A viewer that records what it is sent, and whose writability a test controls. */
final class RecordingViewer implements Viewer {

  private static final ObjectMapper JSON = new ObjectMapper();

  final List<JsonNode> received = new ArrayList<>();
  boolean writable = true;
  Integer closedWith;

  @Override
  public boolean writable() {
    return writable;
  }

  @Override
  public void send(byte[] message) {
    try {
      received.add(JSON.readTree(message));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close(int code, String reason) {
    closedWith = code;
  }

  List<String> types() {
    return received.stream().map(m -> m.get("type").asText()).toList();
  }

  JsonNode last() {
    return received.get(received.size() - 1);
  }
}
