package livegraph.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import livegraph.emulator.Feed;
import livegraph.emulator.SimulatedFeed;

/**
 * The events the feeder sends: one JSON object per line, {@code {"n":N,"sent":MICROS,"site":…,
 * "tags":[…],"title":…,"url":…}}, where {@code n} numbers the events from 1 and {@code sent} is
 * the feeder's epoch µs when it wrote the line. The rest is a StackExchange question from the
 * simulated feed (the same seed, the same questions), taken from a pool made once so that
 * writing an event costs two numbers and a copy.
 */
final class EventLines {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] N = FrameProbe.bytes("{\"n\":");
  private static final byte[] SENT = FrameProbe.bytes(",\"sent\":");

  private final List<byte[]> bodies; // each starts with ',' and ends with "}\n"

  EventLines(long seed, int poolSize) {
    Feed feed = SimulatedFeed.create(1000, seed);
    List<byte[]> pool = new ArrayList<>(poolSize);
    try {
      for (int i = 0; i < poolSize; i++) {
        JsonNode frame = JSON.readTree(feed.next().orElseThrow().frame());
        JsonNode q = JSON.readTree(frame.path("data").asText());
        ObjectNode body = JSON.createObjectNode();
        body.put("site", q.path("apiSiteParameter").asText());
        body.set("tags", q.path("tags"));
        body.put("title", q.path("titleEncodedFancy").asText());
        body.put("url", q.path("url").asText());
        String text = JSON.writeValueAsString(body); // {"site":…}
        pool.add((',' + text.substring(1) + '\n').getBytes(StandardCharsets.UTF_8));
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the simulated feed wrote a frame that is not JSON", e);
    }
    bodies = List.copyOf(pool);
  }

  /** Writes event {@code n}, sent at {@code sentMicros}, as one line. */
  void write(ByteBuf out, long n, long sentMicros) {
    out.writeBytes(N);
    out.writeCharSequence(Long.toString(n), StandardCharsets.US_ASCII);
    out.writeBytes(SENT);
    out.writeCharSequence(Long.toString(sentMicros), StandardCharsets.US_ASCII);
    out.writeBytes(bodies.get((int) (n % bodies.size())));
  }

  /** The largest line, for sizing buffers. */
  int maxLineBytes() {
    return bodies.stream().mapToInt(b -> b.length).max().orElse(0) + 48;
  }
}
