package livegraph;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import livegraph.source.SourceStatus;

/**
 * Builds the once-a-second {@code status} message: source state, event rate, viewers.
 *
 * <p>The rate is events since the previous report divided by the time between them, so it is
 * right even when the ticker runs late. Used only by the status ticker's thread.
 */
final class StatusReport {

  private static final JsonFactory JSON = new JsonFactory();

  private long lastEvents = -1; // status ticker thread only
  private long lastMillis; // status ticker thread only

  byte[] message(SourceStatus s, long nowMillis, int viewers) {
    double rate = 0;
    if (lastEvents >= 0 && nowMillis > lastMillis) {
      rate = (s.events() - lastEvents) * 1000.0 / (nowMillis - lastMillis);
    }
    lastEvents = s.events();
    lastMillis = nowMillis;
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", "status");
      g.writeObjectFieldStart("source");
      g.writeStringField("state", s.state().name().toLowerCase(Locale.ROOT));
      g.writeStringField("detail", s.detail());
      g.writeNumberField("events", s.events());
      g.writeNumberField("eventsPerSecond", Math.round(rate * 10) / 10.0);
      g.writeNumberField("skipped", s.skippedTotal());
      g.writeNumberField("dropped", s.dropped());
      g.writeEndObject();
      g.writeNumberField("viewers", viewers);
      g.writeNumberField("time", nowMillis);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
