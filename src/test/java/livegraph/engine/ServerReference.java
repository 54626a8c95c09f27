package livegraph.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import livegraph.Livegraph;
import livegraph.dashboard.Dashboard;
import livegraph.dashboard.DashboardException;
import livegraph.dashboard.DashboardLoader;
import livegraph.dashboard.HelloJson;
import livegraph.pipeline.Clock;
import livegraph.pipeline.Pipeline;
import livegraph.source.JsonEventDecoder;
import livegraph.source.JsonEventDecoder.Decoded;
import livegraph.source.JsonEventDecoder.Heartbeat;
import livegraph.source.JsonEventDecoder.Result;
import livegraph.source.JsonEventDecoder.Skipped;
import livegraph.source.SkipReason;
import livegraph.source.SourceSpec;
import livegraph.source.SseSpec;
import livegraph.source.WebSocketSpec;

/**
 * The oracle of the conformance test: runs {@link Step}s the way the server handles a dashboard,
 * on the JVM, without the browser engine's code. Decoders are built as {@code WebSocketSource}
 * and {@code SseSource} build theirs, a frame is measured and decoded as {@code
 * WebSocketFrameHandler} and {@code SseHandler} do, and the charts are a {@link Pipeline} ticked
 * with {@link Pipeline#runOnce()} on a clock set to each step's time.
 */
final class ServerReference {

  private static final JsonFactory JSON = new JsonFactory();

  private final SetClock clock = new SetClock();
  private Pipeline pipeline;
  private final Map<String, SourceSpec> specs = new HashMap<>();
  private final Map<String, JsonEventDecoder> decoders = new HashMap<>();
  private Map<String, byte[]> published;
  private long events;
  private long heartbeats;
  private final Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);

  private static final class SetClock implements Clock {
    long millis;

    @Override
    public long millis() {
      return millis;
    }
  }

  /** Each step's answer: a word for frames and SSE events, JSON text (or null) for the rest. */
  List<String> run(List<Step> steps) {
    List<String> answers = new ArrayList<>(steps.size());
    for (Step step : steps) {
      answers.add(answer(step));
    }
    return answers;
  }

  private String answer(Step step) {
    switch (step.op()) {
      case "open":
        return open(step.text(), step.source(), step.now());
      case "sources":
        return null; // the engine's own vocabulary: checked by EngineTest, not against the server
      case "frame":
        clock.millis = step.now();
        return frame(step.source(), step.text(), step.now());
      case "sse":
        clock.millis = step.now();
        return sse((SseSpec) specs.get(step.source()), step.type(), step.text(), step.id(), step.now());
      case "tick":
        clock.millis = step.now();
        published = null;
        pipeline.runOnce();
        return published == null ? null : charts(published);
      case "snapshot":
        return charts(pipeline.snapshot());
      case "counters":
        return counters();
      default:
        throw new IllegalArgumentException("unknown step " + step);
    }
  }

  private String open(String yaml, String fileName, long now) {
    Dashboard dashboard;
    try {
      dashboard = DashboardLoader.parse(yaml, fileName);
    } catch (DashboardException e) {
      return "error:" + e.getMessage();
    }
    clock.millis = now;
    // The served dashboard's intake; the tick interval is unused by runOnce().
    pipeline = new Pipeline(dashboard.charts(), clock, Livegraph.Config.defaults().intake(),
        Duration.ofMillis(100), changed -> published = changed);
    specs.clear();
    decoders.clear();
    for (SourceSpec spec : dashboard.sources()) {
      specs.put(spec.name(), spec);
      decoders.put(spec.name(), spec instanceof WebSocketSpec ws && ws.heartbeat() != null
          ? new JsonEventDecoder(ws.decoding(), ws.heartbeat().match())
          : new JsonEventDecoder(spec.decoding()));
    }
    events = 0;
    heartbeats = 0;
    skipped.clear();
    return new String(HelloJson.hello(dashboard, new HelloJson.SourceInfo("", "", "")),
        StandardCharsets.UTF_8);
  }

  private String frame(String source, String text, long now) {
    SourceSpec spec = specs.get(source);
    if (spec instanceof SseSpec sse) {
      return sse(sse, "message", text, "", now); // an unnamed event with no id
    }
    // WebSocketFrameHandler measures the frame's bytes before decoding.
    if (text.getBytes(StandardCharsets.UTF_8).length > JsonEventDecoder.MAX_CHARS) {
      return count(new Skipped(SkipReason.TOO_LARGE));
    }
    return count(decoders.get(source).decode(text, Map.of("@source", source), now));
  }

  /** As SseHandler.event: the type filter first, then the data with @source, @event, @id. */
  private String sse(SseSpec spec, String type, String data, String id, long now) {
    if (!spec.events().isEmpty() && !spec.events().contains(type)) {
      return count(new Skipped(SkipReason.OTHER_CHANNEL));
    }
    Map<String, Object> meta = new HashMap<>();
    meta.put("@source", spec.name());
    meta.put("@event", type);
    if (!id.isEmpty()) {
      meta.put("@id", id);
    }
    return count(decoders.get(spec.name()).decode(data, meta, now));
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
    return "skipped:" + reason;
  }

  private String counters() {
    return write(json -> {
      json.writeStartObject();
      json.writeNumberField("events", events);
      json.writeObjectFieldStart("skipped");
      for (Map.Entry<SkipReason, Long> e : skipped.entrySet()) {
        json.writeNumberField(e.getKey().name(), e.getValue());
      }
      json.writeEndObject();
      json.writeNumberField("heartbeats", heartbeats);
      json.writeNumberField("late", pipeline.late());
      json.writeNumberField("dropped", pipeline.dropped());
      json.writeEndObject();
    });
  }

  private static String charts(Map<String, byte[]> states) {
    Map<String, byte[]> ordered = new LinkedHashMap<>(states);
    return write(json -> {
      json.writeStartObject();
      for (Map.Entry<String, byte[]> e : ordered.entrySet()) {
        json.writeFieldName(e.getKey());
        json.writeRawValue(new String(e.getValue(), StandardCharsets.UTF_8));
      }
      json.writeEndObject();
    });
  }

  private interface Writing {
    void writeTo(JsonGenerator json) throws IOException;
  }

  private static String write(Writing writing) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      writing.writeTo(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
