package livegraph.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import livegraph.dashboard.ChartFields;
import livegraph.dashboard.Dashboard;
import livegraph.dashboard.DashboardException;
import livegraph.dashboard.DashboardLoader;
import livegraph.dashboard.HelloJson;
import livegraph.pipeline.Clock;
import livegraph.pipeline.Pipeline;
import livegraph.source.Backoff;
import livegraph.source.FieldDemand;
import livegraph.source.JsonEventDecoder;
import livegraph.source.JsonEventDecoder.Decoded;
import livegraph.source.JsonEventDecoder.Heartbeat;
import livegraph.source.JsonEventDecoder.Result;
import livegraph.source.JsonEventDecoder.Skipped;
import livegraph.source.SkipReason;
import livegraph.source.SourceSpec;
import livegraph.source.SseSpec;
import livegraph.source.UpstreamFrames;
import livegraph.source.WebSocketSpec;

/**
 * One dashboard aggregated by the server's own code where there is no server: its file read by
 * {@link DashboardLoader}, each upstream message judged by {@link UpstreamFrames} and {@link
 * JsonEventDecoder}, and the charts kept by a {@link Pipeline} ticked with {@link
 * Pipeline#runOnce()}. The browser build ({@link LivegraphEngine}) exposes exactly this to the
 * exported page; on the JVM it is plain Java, which is how its tests run it.
 *
 * <p>Time is whatever the caller says: every call that can move chart time takes the epoch
 * milliseconds to use, so a page passes {@code Date.now()} and a test passes the readings it
 * wants. Bounds are the server's: the intake holds {@link Pipeline#DEFAULT_INTAKE_CAPACITY}
 * events between ticks (more are dropped and counted), a message is at most {@link
 * JsonEventDecoder#MAX_CHARS}, a dashboard file at most {@link DashboardLoader#MAX_BYTES}, and
 * one dashboard is open at a time.
 *
 * <p>Not thread-safe: the page's one thread owns it.
 */
public final class Engine {

  /** Unused by {@link Pipeline#runOnce()}, which ticks when the page says; required positive. */
  private static final Duration NO_THREAD_TICK = Duration.ofMillis(100);

  private static final JsonFactory JSON = JsonFactory.builder().build();

  private final RandomGenerator random;
  private final SetClock clock = new SetClock();

  private Dashboard dashboard; // null until the first open()
  private Pipeline pipeline;
  private Map<String, Upstream> upstreams = Map.of();
  private Map<String, byte[]> published; // what the running tick published, or null
  private long events;
  private long heartbeats;
  private final Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);

  /** What reads one source: its spec, decoder and a WebSocket's meta fields. */
  private record Upstream(SourceSpec spec, JsonEventDecoder decoder, Map<String, Object> meta) {}

  /** The clock the pipeline reads: the last time a caller passed in. */
  private static final class SetClock implements Clock {
    private long millis;

    @Override
    public long millis() {
      return millis;
    }
  }

  /** @param random the jitter of {@link #backoffMillis} */
  public Engine(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Reads a dashboard file and makes it the open one, with every chart empty and every counter
   * zero; a file with problems leaves the open dashboard as it was.
   *
   * @param fileName shown in problems, and the dashboard's name when the file sets none
   * @return the {@code dashboard} object of the server's {@code hello} ({@link
   *     HelloJson#dashboard}): name, title and charts
   * @throws DashboardException listing every problem as {@code file:line:column: message}
   */
  public String open(String yaml, String fileName, long nowMillis) throws DashboardException {
    Objects.requireNonNull(yaml, "yaml");
    Objects.requireNonNull(fileName, "fileName");
    Dashboard next = DashboardLoader.parse(yaml, fileName);
    clock.millis = nowMillis;
    Pipeline fresh =
        new Pipeline(next.charts(), clock, Pipeline.DEFAULT_INTAKE_CAPACITY, NO_THREAD_TICK,
            changed -> published = changed);
    Map<String, Upstream> readers = new LinkedHashMap<>();
    // As the server's sources: only the fields the charts read are extracted.
    FieldDemand demand = FieldDemand.of(ChartFields.references(next.charts()));
    for (SourceSpec spec : next.sources()) {
      Map<String, Object> meta =
          spec instanceof WebSocketSpec ws ? UpstreamFrames.webSocketMeta(ws) : Map.of();
      readers.put(spec.name(), new Upstream(spec, UpstreamFrames.decoder(spec, demand), meta));
    }
    // The old pipeline has no thread and holds nothing outside itself: dropping it is enough.
    dashboard = next;
    pipeline = fresh;
    upstreams = readers;
    events = 0;
    heartbeats = 0;
    skipped.clear();
    return utf8(HelloJson.dashboard(next));
  }

  /**
   * The open dashboard's sources, in file order: {@code [{"name","kind","description","url",
   * "subscribe":[…],"heartbeatReply","silenceMillis","events":[…],"browser"}]}. {@code kind} is
   * the key of the dashboard file ({@code websocket}, {@code sse}, {@code stdin}, {@code file},
   * {@code tcp}, {@code mqtt}, {@code nats}, {@code redis}); only {@code browser: true} ones
   * (websocket, sse) can be read by a page, and only they have a {@code url}. {@code subscribe}
   * and {@code heartbeatReply} are a WebSocket's, {@code events} an SSE source's accepted event
   * types (empty: all), {@code silenceMillis} either's dead-connection limit; null or empty
   * otherwise.
   */
  public String sources() {
    requireOpen();
    return json(json -> {
      json.writeStartArray();
      for (Upstream upstream : upstreams.values()) {
        SourceSpec spec = upstream.spec();
        json.writeStartObject();
        json.writeStringField("name", spec.name());
        json.writeStringField("kind", spec.kind());
        json.writeStringField("description", spec.description());
        json.writeArrayFieldStart("subscribe");
        if (spec instanceof WebSocketSpec ws) {
          for (String message : ws.subscribe()) {
            json.writeString(message);
          }
        }
        json.writeEndArray();
        json.writeArrayFieldStart("events");
        if (spec instanceof SseSpec sse) {
          for (String type : sse.events().stream().sorted().toList()) {
            json.writeString(type);
          }
        }
        json.writeEndArray();
        if (spec instanceof WebSocketSpec ws) {
          json.writeStringField("url", ws.url().toString());
          json.writeStringField("heartbeatReply", ws.heartbeat() == null ? null : ws.heartbeat().reply());
          json.writeNumberField("silenceMillis", ws.silence().toMillis());
          json.writeBooleanField("browser", true);
        } else if (spec instanceof SseSpec sse) {
          json.writeStringField("url", sse.url().toString());
          json.writeNullField("heartbeatReply");
          json.writeNumberField("silenceMillis", sse.silence().toMillis());
          json.writeBooleanField("browser", true);
        } else {
          json.writeNullField("url");
          json.writeNullField("heartbeatReply");
          json.writeNullField("silenceMillis");
          json.writeBooleanField("browser", false);
        }
        json.writeEndObject();
      }
      json.writeEndArray();
    });
  }

  /**
   * One message from source {@code source}: a WebSocket text frame, or the data of an SSE event
   * of type {@code message} without an id. An event goes into the intake (counted as dropped
   * when it is full), a heartbeat is counted, a skip is counted by reason.
   *
   * @return {@code event}, {@code heartbeat} or {@code skipped:REASON} ({@link SkipReason})
   * @throws IllegalArgumentException when there is no such source, or it is not one a page can
   *     read
   */
  public String frame(String source, String text, long nowMillis) {
    Upstream upstream = upstream(source);
    Objects.requireNonNull(text, "text");
    clock.millis = nowMillis;
    if (upstream.spec() instanceof SseSpec sse) {
      return count(UpstreamFrames.sseEvent(sse, upstream.decoder(), "message", text, "", nowMillis));
    }
    return count(UpstreamFrames.webSocketText(upstream.decoder(), upstream.meta(), text, nowMillis));
  }

  /**
   * One event of SSE source {@code source}, with its type (for the source's {@code events}
   * filter and {@code @event}) and the stream's last event id ({@code @id}; empty for none).
   *
   * @return as {@link #frame}
   * @throws IllegalArgumentException when there is no such source, or it is not an SSE source
   */
  public String sseEvent(String source, String type, String data, String lastEventId,
      long nowMillis) {
    Upstream upstream = upstream(source);
    if (!(upstream.spec() instanceof SseSpec sse)) {
      throw new IllegalArgumentException(
          "source " + source + " is " + upstream.spec().kind() + ", not sse: use frame()");
    }
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(lastEventId, "lastEventId");
    clock.millis = nowMillis;
    return count(UpstreamFrames.sseEvent(sse, upstream.decoder(), type, data, lastEventId, nowMillis));
  }

  /**
   * Applies the events taken since the last tick and advances every chart to {@code nowMillis},
   * as the server's pipeline thread does at each tick.
   *
   * @return {@code {chartId: state, …}} of the charts whose state changed (the bytes the server
   *     publishes), or {@code null} when none did
   */
  public String tick(long nowMillis) {
    requireOpen();
    clock.millis = nowMillis;
    published = null;
    pipeline.runOnce();
    Map<String, byte[]> changed = published;
    published = null;
    return changed == null ? null : charts(changed);
  }

  /** {@code {chartId: state, …}} of every chart as of the last tick that changed one. */
  public String snapshot() {
    requireOpen();
    return charts(pipeline.snapshot());
  }

  /**
   * {@code {"events":n,"skipped":{REASON:n,…},"heartbeats":n,"late":n,"dropped":n}} since the
   * dashboard was opened: events taken into the intake, messages skipped by reason (only reasons
   * that occurred), heartbeats, events too old for a chart's longest window, and events a full
   * intake refused.
   */
  public String counters() {
    requireOpen();
    return json(json -> {
      json.writeStartObject();
      json.writeNumberField("events", events);
      json.writeObjectFieldStart("skipped");
      for (Map.Entry<SkipReason, Long> entry : skipped.entrySet()) {
        json.writeNumberField(entry.getKey().name(), entry.getValue());
      }
      json.writeEndObject();
      json.writeNumberField("heartbeats", heartbeats);
      json.writeNumberField("late", pipeline.late());
      json.writeNumberField("dropped", pipeline.dropped());
      json.writeEndObject();
    });
  }

  /**
   * The server's reconnect delay ({@link Backoff#delayMillis}) before attempt {@code attempt},
   * counted from 0 since the connection last delivered data.
   */
  public long backoffMillis(int attempt) {
    return Backoff.delayMillis(attempt, random);
  }

  private String count(Result result) {
    if (result instanceof Decoded decoded) {
      if (pipeline.offer(decoded.event())) {
        events++;
      }
      return "event";
    }
    if (result instanceof Heartbeat) {
      heartbeats++;
      return "heartbeat";
    }
    SkipReason reason = ((Skipped) result).reason();
    skipped.merge(reason, 1L, Long::sum);
    return "skipped:" + reason.name();
  }

  private Upstream upstream(String source) {
    requireOpen();
    Upstream upstream = upstreams.get(source);
    if (upstream == null) {
      throw new IllegalArgumentException(
          "no source named " + source + " in dashboard " + dashboard.name() + "; it has "
              + upstreams.keySet());
    }
    if (!(upstream.spec() instanceof WebSocketSpec) && !(upstream.spec() instanceof SseSpec)) {
      throw new IllegalArgumentException(
          "source " + source + " is " + upstream.spec().kind()
              + ": a page reads only websocket and sse sources");
    }
    return upstream;
  }

  private void requireOpen() {
    if (dashboard == null) {
      throw new IllegalStateException("no dashboard is open: call open() first");
    }
  }

  /** {@code {id: state, …}} with each chart's encoded state written as it is. */
  private static String charts(Map<String, byte[]> states) {
    return json(json -> {
      json.writeStartObject();
      for (Map.Entry<String, byte[]> entry : states.entrySet()) {
        json.writeFieldName(entry.getKey());
        json.writeRawValue(utf8(entry.getValue()));
      }
      json.writeEndObject();
    });
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** What writes one document. */
  private interface Writing {
    void writeTo(JsonGenerator json) throws IOException;
  }

  private static String json(Writing writing) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      writing.writeTo(json);
    } catch (IOException e) {
      // A StringWriter does not fail; Jackson declares the exception anyway.
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
