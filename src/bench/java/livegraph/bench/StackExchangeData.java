package livegraph.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import livegraph.dashboard.ChartFields;
import livegraph.dashboard.Dashboard;
import livegraph.dashboard.StackExchangeDashboard;
import livegraph.emulator.SimulatedFeed;
import livegraph.pipeline.Event;
import livegraph.source.Decoding;
import livegraph.source.FieldDemand;
import livegraph.source.JsonEventDecoder;
import livegraph.source.WebSocketSpec;

/**
 * The benchmarks' StackExchange inputs: the real sample frames, synthetic frames from the
 * emulator's simulated feed (sites weighted by their real sizes, Zipf-skewed tags, real-sized
 * bodies), and the built-in dashboard with its decoder. Deterministic: a seed gives the same
 * frames every run.
 */
public final class StackExchangeData {

  /** The sample frames, one per line, copied from shared/data/stackexchange/samples.jsonl. */
  public static final String SAMPLES = "/bench/samples.jsonl";

  /** A fixed clock for the synthetic frames' lastActivityDate: 2026-01-01T00:00:00Z. */
  public static final long EPOCH_MILLIS = 1_767_225_600_000L;

  /** The meta fields the WebSocket source passes to its decoder. */
  public static final Map<String, Object> META = Map.of("@source", "stackexchange");

  private StackExchangeData() {}

  /** The real question frames of the samples (the heartbeat line left out). */
  public static List<String> realFrames() {
    try (InputStream in = StackExchangeData.class.getResourceAsStream(SAMPLES)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + SAMPLES);
      }
      List<String> frames = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.contains("\"data\":\"{")) {
          frames.add(line);
        }
      }
      return List.copyOf(frames);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code count} frames of the simulated {@code 155-questions-active} feed. */
  public static List<String> syntheticFrames(int count, long seed) {
    SimulatedFeed feed = SimulatedFeed.create(1000, seed, () -> EPOCH_MILLIS);
    List<String> frames = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      frames.add(feed.next().orElseThrow().frame());
    }
    return List.copyOf(frames);
  }

  /** The built-in dashboard, as {@code ./livegraph} serves it. */
  public static Dashboard dashboard() {
    return StackExchangeDashboard.create();
  }

  /** The built-in dashboard's source, whose decoding the benchmarks use. */
  public static WebSocketSpec source() {
    return (WebSocketSpec) dashboard().sources().get(0);
  }

  /**
   * The decoder the built-in dashboard's WebSocket source builds as served: its decoding and
   * heartbeat, extracting only the fields its charts read (the dashboard's {@link FieldDemand}).
   */
  public static JsonEventDecoder decoder() {
    WebSocketSpec spec = source();
    return new JsonEventDecoder(spec.decoding(), spec.heartbeat().match(),
        FieldDemand.of(ChartFields.references(dashboard().charts())));
  }

  /** The built-in source's decoder with every extract of its decoding, as a source alone has. */
  public static JsonEventDecoder allFieldsDecoder() {
    WebSocketSpec spec = source();
    return new JsonEventDecoder(spec.decoding(), spec.heartbeat().match());
  }

  /** The event fields the built-in dashboard's charts name (by, where, list fields). */
  public static final java.util.Set<String> CHARTED =
      java.util.Set.of("apiSiteParameter", "siteBaseHostAddress", "title", "tags", "url");

  /**
   * The built-in decoder with only the {@link #CHARTED} fields extracted (not id,
   * lastActivityDate and ownerDisplayName, which no chart shows): what decoding only the fields
   * a dashboard uses would save.
   */
  public static JsonEventDecoder chartedDecoder() {
    WebSocketSpec spec = source();
    Decoding d = spec.decoding();
    return new JsonEventDecoder(
        new Decoding(d.accept(), d.payload(), d.timeField(),
            d.extracts().stream().filter(e -> CHARTED.contains(e.key())).toList()),
        spec.heartbeat().match());
  }

  /** Stage one alone: the outer frame checked and its {@code data} string taken out. */
  public static JsonEventDecoder outerDecoder() {
    WebSocketSpec spec = source();
    return new JsonEventDecoder(
        new Decoding(spec.decoding().accept(), null, null,
            List.of(new Decoding.Extract("data", "/data", false))),
        spec.heartbeat().match());
  }

  /** Stage two alone: the inner document (the {@code data} string) to the dashboard's fields. */
  public static JsonEventDecoder innerDecoder() {
    Decoding d = source().decoding();
    return new JsonEventDecoder(new Decoding(Map.of(), null, d.timeField(), d.extracts()));
  }

  /** The {@code data} string of each frame, as stage one hands it to stage two. */
  public static List<String> innerDocuments(List<String> frames) {
    JsonEventDecoder outer = outerDecoder();
    List<String> docs = new ArrayList<>(frames.size());
    for (String frame : frames) {
      docs.add(decoded(outer, frame).string("data"));
    }
    return List.copyOf(docs);
  }

  /** Each frame decoded by the built-in dashboard's decoder. */
  public static List<Event> events(List<String> frames) {
    JsonEventDecoder decoder = decoder();
    List<Event> events = new ArrayList<>(frames.size());
    for (String frame : frames) {
      events.add(decoded(decoder, frame));
    }
    return List.copyOf(events);
  }

  private static Event decoded(JsonEventDecoder decoder, String frame) {
    JsonEventDecoder.Result r = decoder.decode(frame, META, EPOCH_MILLIS);
    if (!(r instanceof JsonEventDecoder.Decoded d)) {
      throw new IllegalStateException("sample frame did not decode: " + r + ": " + frame);
    }
    return d.event();
  }

  /** Mean length in UTF-8 bytes. */
  public static double meanBytes(List<String> texts) {
    long sum = 0;
    for (String t : texts) {
      sum += t.getBytes(StandardCharsets.UTF_8).length;
    }
    return (double) sum / texts.size();
  }
}
