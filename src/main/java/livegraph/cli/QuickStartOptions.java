package livegraph.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import livegraph.dashboard.ChartFields;
import livegraph.dashboard.ChartShorthand;
import livegraph.dashboard.Dashboard;
import livegraph.pipeline.ChartSpec;
import livegraph.source.Decoding;
import livegraph.source.FileSpec;
import livegraph.source.MqttSpec;
import livegraph.source.NatsSpec;
import livegraph.source.RedisSpec;
import livegraph.source.SourceSpec;
import livegraph.source.SseSpec;
import livegraph.source.StdinSpec;
import livegraph.source.TcpSpec;
import livegraph.source.WebSocketSpec;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code serve}'s quick start: one source flag and some {@code --chart} flags make a dashboard
 * without a file, e.g. {@code --stdin --chart 'count by level'}. Each event is one JSON object
 * per line (or per message); the charts' fields are read from it as written.
 */
final class QuickStartOptions {

  /** The name of a quick-start dashboard: its page is /d/live/ (and /). */
  static final String NAME = "live";

  @Option(names = "--stdin", description = "Quick start: chart JSON lines from standard input.")
  boolean stdin;

  @Option(names = "--file", paramLabel = "PATH", description = "Quick start: chart JSON lines from a file, from the start (with --follow: new lines, like tail -F).")
  Path file;

  @Option(names = "--follow", description = "With --file: start at the end and keep reading, through rotation and truncation.")
  boolean follow;

  @Option(names = "--tcp", paramLabel = "HOST:PORT", description = "Quick start: chart JSON lines read from a TCP server (reconnects).")
  String tcp;

  @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Quick start: accept TCP producers on HOST:PORT, each line a JSON event.")
  String listen;

  @Option(names = "--sse", paramLabel = "URL", description = "Quick start: chart a Server-Sent Events stream whose data is JSON.")
  String sse;

  @Option(names = "--ws", paramLabel = "URL", description = "Quick start: chart a WebSocket of JSON text frames.")
  String ws;

  @Option(names = "--subscribe", paramLabel = "TEXT", description = "With --ws: a message sent after each connect (repeatable).")
  List<String> subscribe = new ArrayList<>();

  @Option(names = "--mqtt", paramLabel = "URL", description = "Quick start: an MQTT broker, tcp://HOST:PORT; with --topic.")
  String mqtt;

  @Option(names = "--topic", paramLabel = "FILTER", description = "With --mqtt: a topic filter, + and # allowed (repeatable). The topic is the field @topic.")
  List<String> topics = new ArrayList<>();

  @Option(names = "--nats", paramLabel = "URL", description = "Quick start: a NATS server, nats://HOST:PORT; with --subject.")
  String nats;

  @Option(names = "--subject", paramLabel = "SUBJECT", description = "With --nats: a subject, * and > allowed (repeatable). The subject is the field @subject.")
  List<String> subjects = new ArrayList<>();

  @Option(names = "--redis", paramLabel = "URL", description = "Quick start: a Redis server, redis://HOST:PORT; with --channel or --pattern.")
  String redis;

  @Option(names = "--channel", paramLabel = "CHANNEL", description = "With --redis: a channel (repeatable). The channel is the field @channel.")
  List<String> channels = new ArrayList<>();

  @Option(names = "--pattern", paramLabel = "GLOB", description = "With --redis: a channel pattern (repeatable).")
  List<String> patterns = new ArrayList<>();

  @Option(names = "--chart", paramLabel = "SPEC", description = {
      "Quick start: a chart (repeatable), e.g. 'count by level', 'pie: count by level',",
      "'line: rate by level', 'number: p99(latency)', 'histogram: latency 0..1000/20',",
      "'list: ts,level,msg', 'table: count, avg(latency) by path'. See DASHBOARDS.md."})
  List<String> charts = new ArrayList<>();

  @Option(names = "--title", description = "Quick start: the page's title. Default: the source.")
  String title;

  @Option(names = "--time", paramLabel = "FIELD", description = "Quick start: the field holding each event's time (epoch ms or s, or ISO-8601). Default: arrival time.")
  String time;

  @Option(names = "--payload", paramLabel = "FIELD", description = "Quick start: where the event sits inside each message, e.g. /data. Default: the whole message.")
  String payload;

  /** Whether any quick-start flag was given. */
  boolean given() {
    return !sourceFlags().isEmpty() || !charts.isEmpty() || follow || title != null
        || time != null || payload != null || !subscribe.isEmpty() || !topics.isEmpty()
        || !subjects.isEmpty() || !channels.isEmpty() || !patterns.isEmpty();
  }

  /**
   * The dashboard the flags describe.
   *
   * @param silence for --ws and --sse: reconnect after this long without a message
   * @throws CommandLine.ParameterException naming the flag and what was expected
   */
  Dashboard dashboard(CommandLine cl, Duration silence) {
    List<String> sources = sourceFlags();
    if (sources.isEmpty()) {
      throw usage(cl, "--chart needs a source: one of --stdin, --file PATH, --tcp HOST:PORT, "
          + "--listen HOST:PORT, --sse URL, --ws URL, --mqtt URL, --nats URL, --redis URL");
    }
    if (sources.size() > 1) {
      throw usage(cl, "choose one source, not " + String.join(" and ", sources)
          + " (several sources need a dashboard file; see DASHBOARDS.md)");
    }
    String source = sources.get(0);
    if (charts.isEmpty()) {
      throw usage(cl, source + " needs at least one --chart, e.g. --chart 'count by level' "
          + "--chart 'line: rate by level'");
    }
    requireWith(cl, follow, "--follow", "--file", file != null);
    requireWith(cl, !subscribe.isEmpty(), "--subscribe", "--ws", ws != null);
    requireWith(cl, !topics.isEmpty(), "--topic", "--mqtt", mqtt != null);
    requireWith(cl, !subjects.isEmpty(), "--subject", "--nats", nats != null);
    requireWith(cl, !channels.isEmpty() || !patterns.isEmpty(), "--channel/--pattern", "--redis",
        redis != null);
    List<ChartSpec> specs;
    Decoding decoding;
    try {
      specs = ChartShorthand.parseAll(charts);
      decoding = ChartFields.decodingFor(specs, payload, time);
    } catch (IllegalArgumentException e) {
      throw usage(cl, e.getMessage());
    }
    SourceSpec spec;
    try {
      spec = source(cl, source, silence).apply(decoding);
    } catch (IllegalArgumentException e) {
      throw usage(cl, source + ": " + e.getMessage());
    }
    return new Dashboard(NAME, title != null ? title : spec.description(), List.of(spec), specs);
  }

  private Function<Decoding, SourceSpec> source(CommandLine cl, String flag,
      Duration silence) {
    return switch (flag) {
      case "--stdin" -> d -> new StdinSpec("stdin", d);
      case "--file" -> d -> new FileSpec("file", file, follow, d);
      case "--tcp", "--listen" -> {
        String text = flag.equals("--tcp") ? tcp : listen;
        URI hostPort = uri(cl, flag, "tcp://" + text, "HOST:PORT, e.g. 127.0.0.1:9000");
        if (hostPort.getHost() == null || hostPort.getPort() < 0) {
          throw usage(cl, flag + " must be HOST:PORT, e.g. 127.0.0.1:9000: " + text);
        }
        String host = hostPort.getHost().replaceAll("^\\[|\\]$", "");
        yield d -> new TcpSpec("tcp", host, hostPort.getPort(), flag.equals("--listen"), d);
      }
      case "--sse" -> {
        URI url = uri(cl, flag, sse, "a URL, e.g. http://127.0.0.1:8000/events");
        yield d -> new SseSpec("sse", url, Set.of(), silence, d);
      }
      case "--ws" -> {
        URI url = uri(cl, flag, ws, "a URL, e.g. ws://127.0.0.1:9000/");
        yield d -> new WebSocketSpec("ws", url, subscribe, null, silence, d);
      }
      case "--mqtt" -> {
        URI url = uri(cl, flag, mqtt, "a URL, e.g. tcp://127.0.0.1:1883");
        if (topics.isEmpty()) {
          throw usage(cl, "--mqtt needs at least one --topic, e.g. --topic 'sensors/#'");
        }
        // QoS 0 and MQTT 3.1.1, as in a dashboard file that does not say.
        yield d -> new MqttSpec("mqtt", url, topics, 0, 3, null, d);
      }
      case "--nats" -> {
        URI url = uri(cl, flag, nats, "a URL, e.g. nats://127.0.0.1:4222");
        if (subjects.isEmpty()) {
          throw usage(cl, "--nats needs at least one --subject, e.g. --subject 'app.>'");
        }
        yield d -> new NatsSpec("nats", url, subjects, d);
      }
      default -> {
        URI url = uri(cl, flag, redis, "a URL, e.g. redis://127.0.0.1:6379");
        if (channels.isEmpty() && patterns.isEmpty()) {
          throw usage(cl, "--redis needs at least one --channel or --pattern");
        }
        yield d -> new RedisSpec("redis", url, channels, patterns, d);
      }
    };
  }

  private List<String> sourceFlags() {
    List<String> given = new ArrayList<>();
    add(given, stdin, "--stdin");
    add(given, file != null, "--file");
    add(given, tcp != null, "--tcp");
    add(given, listen != null, "--listen");
    add(given, sse != null, "--sse");
    add(given, ws != null, "--ws");
    add(given, mqtt != null, "--mqtt");
    add(given, nats != null, "--nats");
    add(given, redis != null, "--redis");
    return given;
  }

  private static void add(List<String> given, boolean set, String flag) {
    if (set) {
      given.add(flag);
    }
  }

  private static void requireWith(CommandLine cl, boolean used, String flag, String with,
      boolean present) {
    if (used && !present) {
      throw usage(cl, flag + " goes with " + with);
    }
  }

  private static URI uri(CommandLine cl, String flag, String text, String expected) {
    try {
      return new URI(text.trim());
    } catch (URISyntaxException e) {
      throw usage(cl, flag + " must be " + expected + ": " + text);
    }
  }

  private static CommandLine.ParameterException usage(CommandLine cl, String message) {
    return new CommandLine.ParameterException(cl, message);
  }
}
