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
 * <p>The rate is the events counted over the last {@link #SAMPLES} reports divided by the time
 * they span, so it is right when the ticker runs late and steady on a bursty feed (a
 * one-second count of a 4/s Poisson stream swings between 0 and 9). Used only by the status
 * ticker's thread.
 */
final class StatusReport {

  /** Reports the rate is averaged over: ten seconds at one report a second. */
  static final int SAMPLES = 10;

  private static final JsonFactory JSON = new JsonFactory();

  // Ring of the last SAMPLES (time, events) readings; status ticker thread only.
  private final long[] millis = new long[SAMPLES + 1];
  private final long[] events = new long[SAMPLES + 1];
  private int taken; // readings so far; status ticker thread only

  byte[] message(SourceStatus s, long nowMillis, int viewers) {
    int slot = taken % millis.length;
    millis[slot] = nowMillis;
    events[slot] = s.events();
    int oldest = taken < millis.length ? 0 : (taken + 1) % millis.length;
    taken++;
    double rate = 0;
    if (nowMillis > millis[oldest]) {
      rate = (s.events() - events[oldest]) * 1000.0 / (nowMillis - millis[oldest]);
    }
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
