package livegraph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import livegraph.dashboard.Dashboard;
import livegraph.dashboard.StackExchangeDashboard;
import livegraph.emulator.Feed;
import livegraph.emulator.ReplayFeed;
import livegraph.emulator.SimulatedFeed;
import livegraph.emulator.StackExchangeEmulator;
import livegraph.hub.Hub;
import livegraph.pipeline.ChartSpec;
import livegraph.pipeline.KeyedChartSpec;
import livegraph.pipeline.Clock;
import livegraph.pipeline.ListSpec;
import livegraph.pipeline.Pipeline;
import livegraph.pipeline.TimeSeriesSpec;
import livegraph.pipeline.Window;
import livegraph.server.ViewerServer;
import livegraph.source.SourceStatus;
import livegraph.source.StackExchangeSource;

/**
 * A running livegraph: source → pipeline → hub → server, wired in {@link #start}.
 *
 * <p>The default feed is simulated: an in-process emulator of the StackExchange protocol on a
 * loopback port, which the source connects to exactly as it would to the real service.
 */
public final class Livegraph implements AutoCloseable {

  /** The real feed; used only when a user asks for {@code --feed live}. */
  public static final URI LIVE_FEED = StackExchangeSource.LIVE_URI;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Config config;
  private EventLoopGroup group;
  private StackExchangeEmulator emulator;
  private Pipeline pipeline;
  private Hub hub;
  private StackExchangeSource source;
  private ViewerServer server;
  private ScheduledFuture<?> statusTicker;
  private final StatusReport status = new StatusReport();

  private Livegraph(Config config) {
    this.config = config;
  }

  public static Livegraph create(Config config) {
    return new Livegraph(Objects.requireNonNull(config, "config"));
  }

  /** Wires and starts everything; {@code port} 0 binds a free port (see {@link #port()}). */
  public Livegraph start(int port) throws Exception {
    Clock clock = config.clock();
    group = Transport.group(0, "livegraph-io");

    Upstream upstream = upstream();

    Dashboard dashboard = StackExchangeDashboard.create();
    // The hub starts from the pipeline's initial state, and the pipeline publishes into the hub:
    // the lambda reads the field, which is set before the pipeline thread starts.
    pipeline = new Pipeline(dashboard.charts(), clock, config.intake(), config.tick(),
        changed -> hub.publish(changed));
    hub = new Hub(hello(dashboard, upstream), pipeline.snapshot(), clock, Hub.Limits.defaults());
    pipeline.start(new DefaultThreadFactory("livegraph-pipeline", true));

    // The source gets its own one-thread loop: resolving a real upstream's host name blocks its
    // loop, and that must never stall the viewers' loops.
    source =
        StackExchangeSource.builder(upstream.uri())
            .description(upstream.description())
            .clock(clock)
            .silenceTimeout(config.silence())
            .build();
    source.start(pipeline);

    server = new ViewerServer(hub, this::health, config.allowOrigins(), group)
        .start(config.host(), port);

    statusTicker =
        group.next().scheduleAtFixedRate(this::broadcastStatus, 1, 1, TimeUnit.SECONDS);
    return this;
  }

  private record Upstream(URI uri, String description, String mode) {}

  private Upstream upstream() throws Exception {
    String feed = config.feed();
    if (config.replay() != null) {
      emulator = emulator(ReplayFeed.open(config.replay(), config.speed()));
      return new Upstream(emulator.uri(),
          "Replay of " + config.replay().getFileName() + " (" + config.speed() + "×)", "replay");
    }
    if (feed.equals("simulated")) {
      emulator = emulator(SimulatedFeed.create(config.rate(), config.seed()));
      return new Upstream(emulator.uri(), "Simulated StackExchange feed", "simulated");
    }
    URI uri = feed.equals("live") ? LIVE_FEED : URI.create(feed);
    String mode = feed.equals("live") ? "live" : "custom";
    return new Upstream(uri, uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : ""), mode);
  }

  private StackExchangeEmulator emulator(Feed feed) throws InterruptedException {
    return StackExchangeEmulator.builder()
        .heartbeatInterval(Duration.ofSeconds(15))
        .feed(feed)
        .group(group)
        .start(0);
  }

  public int port() {
    return server.port();
  }

  public Hub hub() {
    return hub;
  }

  public SourceStatus sourceStatus() {
    return source.status();
  }

  /** The emulator of the simulated feed, or null when reading a real upstream. */
  public StackExchangeEmulator emulator() {
    return emulator;
  }

  /** Closes viewers with 1001, then the source, pipeline, server and threads; idempotent. */
  @Override
  public synchronized void close() {
    if (group == null) {
      return;
    }
    if (statusTicker != null) {
      statusTicker.cancel(false);
    }
    if (hub != null) {
      hub.closeAll(1001, "server shutting down");
    }
    if (source != null) {
      source.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
    if (server != null) {
      server.close();
    }
    if (emulator != null) {
      emulator.close();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    group = null;
  }

  private void broadcastStatus() {
    hub.broadcast(status.message(source.status(), config.clock().millis(), hub.viewers()));
  }

  private byte[] health() {
    SourceStatus s = source.status();
    ObjectNode root = JSON.createObjectNode();
    root.put("status", s.state() == SourceStatus.State.LIVE ? "ok" : "degraded");
    ObjectNode src = root.putObject("source");
    src.put("description", source.description());
    src.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
    src.put("detail", s.detail());
    src.put("events", s.events());
    src.put("heartbeats", s.heartbeats());
    src.put("reconnects", s.reconnects());
    src.put("dropped", s.dropped());
    ObjectNode skipped = src.putObject("skipped");
    s.skipped().forEach((reason, n) -> skipped.put(reason.name().toLowerCase(java.util.Locale.ROOT), n));
    root.put("viewers", hub.viewers());
    root.put("events", s.events());
    root.put("skippedFrames", s.skippedTotal());
    root.put("seq", hub.seq());
    ObjectNode pipe = root.putObject("pipeline");
    pipe.put("eventsIn", pipeline.eventsIn());
    pipe.put("dropped", pipeline.dropped());
    ObjectNode fanout = root.putObject("hub");
    fanout.put("framesOut", hub.framesOut());
    fanout.put("skippedForward", hub.skippedForward());
    fanout.put("droppedViewers", hub.dropped());
    fanout.put("badClientMessages", server.badClientMessages());
    return bytes(root);
  }

  private byte[] hello(Dashboard dashboard, Upstream upstream) {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", "hello");
    ObjectNode d = root.putObject("dashboard");
    d.put("name", dashboard.name());
    d.put("title", dashboard.title());
    ArrayNode charts = d.putArray("charts");
    for (ChartSpec spec : dashboard.charts()) {
      ObjectNode c = charts.addObject();
      c.put("id", spec.id());
      c.put("title", spec.title());
      if (spec instanceof KeyedChartSpec bar) {
        c.put("kind", "bar");
        ArrayNode windows = c.putArray("windows");
        for (Window w : bar.windows()) {
          windows.addObject().put("id", w.id()).put("label", w.label());
        }
        c.put("defaultWindow", bar.defaultWindow());
        ArrayNode columns = c.putArray("columns");
        bar.columns().forEach(column -> columns.add(column.label()));
      } else if (spec instanceof TimeSeriesSpec) {
        c.put("kind", "timeseries");
      } else if (spec instanceof ListSpec list) {
        c.put("kind", "list");
        ArrayNode fields = c.putArray("fields");
        list.fields().forEach(fields::add);
      }
    }
    ObjectNode src = root.putObject("source");
    src.put("description", upstream.description());
    src.put("mode", upstream.mode());
    src.put("url", upstream.uri().toString());
    return bytes(root);
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What to run. {@code feed} is "simulated", "live", or a ws:// or wss:// URL of any server
   * speaking the StackExchange protocol; {@code replay} (if set) plays a recorded file instead.
   */
  public record Config(
      String host,
      String feed,
      double rate,
      long seed,
      Path replay,
      double speed,
      Duration silence,
      Duration tick,
      int intake,
      Set<String> allowOrigins,
      Clock clock) {

    public Config {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(feed, "feed");
      if (!(rate > 0)) {
        throw new IllegalArgumentException("rate must be positive: " + rate);
      }
      if (!(speed > 0)) {
        throw new IllegalArgumentException("speed must be positive: " + speed);
      }
      if (silence.isNegative() || silence.isZero()) {
        throw new IllegalArgumentException("silence must be positive: " + silence);
      }
      if (!feed.equals("simulated") && !feed.equals("live")) {
        URI uri;
        try {
          uri = new URI(feed);
        } catch (java.net.URISyntaxException e) {
          throw new IllegalArgumentException("feed must be simulated, live, or a ws:// or wss:// URL: " + feed);
        }
        if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme()) || uri.getHost() == null) {
          throw new IllegalArgumentException("feed must be simulated, live, or a ws:// or wss:// URL: " + feed);
        }
      }
      allowOrigins = Set.copyOf(allowOrigins);
    }

    /** Loopback, simulated feed at 4 events/s, seed 1, 5 min silence watchdog, 10 ticks/s. */
    public static Config defaults() {
      return new Config("127.0.0.1", "simulated", 4, 1, null, 1, Duration.ofMinutes(5),
          Duration.ofMillis(100), 10_000, Set.of(), Clock.system());
    }

    public Config withFeed(String feed) {
      return new Config(host, feed, rate, seed, replay, speed, silence, tick, intake, allowOrigins, clock);
    }
  }
}
