package livegraph.dashboard;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import livegraph.source.Decoding;
import livegraph.source.Decoding.Extract;
import livegraph.source.FileSpec;
import livegraph.source.MqttSpec;
import livegraph.source.NatsSpec;
import livegraph.source.RedisSpec;
import livegraph.source.SourceSpec;
import livegraph.source.SseSpec;
import livegraph.source.StdinSpec;
import livegraph.source.TcpSpec;
import livegraph.source.WebSocketSpec;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a file's {@code sources:} section. A source cannot be built until the charts are read,
 * because its decoding extracts exactly the fields the charts use; so this reads each source
 * into a {@link Draft} and {@link #build} finishes it.
 */
final class SourceReader {

  static final List<String> KINDS =
      List.of("websocket", "sse", "stdin", "file", "tcp", "mqtt", "nats", "redis");

  private static final List<String> DECODING_KEYS =
      List.of("accept", "payload", "time", "fields", "identity");

  private static final List<String> KEYS = concat(KINDS, DECODING_KEYS);

  /**
   * One source as read, waiting for the charts.
   *
   * @param factory builds the spec from its decoding; {@code null} when the source had problems
   * @param identity aliases that identify one upstream event; empty for none
   * @param routes where the spec's own complaints point
   */
  record Draft(String name, Node nameNode, Map<String, String> accept, String payload,
      String time, Map<String, Extract> aliases, List<String> identity,
      Function<Decoding, SourceSpec> factory, Routes routes) {

    boolean hasAlias(String ref) {
      return aliases.containsKey(ref);
    }
  }

  private final Values values;
  private final Problems problems;
  private final Path baseDir;

  /** @param baseDir where a file source's relative path is resolved: the dashboard's directory */
  SourceReader(Values values, Path baseDir) {
    this.values = values;
    this.problems = values.problems();
    this.baseDir = baseDir;
  }

  /** Every source of the section, broken ones included (with no factory), so charts can name them. */
  List<Draft> read(Node section) {
    List<Draft> drafts = new ArrayList<>();
    YamlMap sources = values.map(section, "sources");
    if (sources == null) {
      return drafts;
    }
    if (sources.keys().isEmpty()) {
      problems.at(section, "sources must name at least one source, e.g. 'logs: {stdin: {}}'");
    }
    for (NodeTuple tuple : sources.entries()) {
      drafts.add(readOne((ScalarNode) tuple.getKeyNode(), tuple.getValueNode()));
    }
    return drafts;
  }

  private Draft readOne(ScalarNode nameNode, Node node) {
    String name = nameNode.getValue();
    int before = problems.count();
    if (!Slugs.NAME.matcher(name).matches()) {
      problems.at(nameNode, "source name '" + name + "' must be " + Slugs.NAME_RULE);
    }
    YamlMap source = values.map(node, "source " + name);
    if (source == null) {
      return new Draft(name, nameNode, Map.of(), null, null, Map.of(), List.of(), null, null);
    }
    source.checkKeys(KEYS, Map.of(), "source '" + name + "'", problems);
    List<String> kinds = source.keys().stream().filter(KINDS::contains).toList();
    Function<Decoding, SourceSpec> factory = null;
    Routes routes = new Routes(nameNode).add("source name", nameNode);
    if (kinds.isEmpty()) {
      problems.at(nameNode, "source '" + name + "' needs one of " + String.join(", ", KINDS)
          + ", e.g. 'stdin: {}'");
    } else if (kinds.size() > 1) {
      problems.at(source.keyNode(kinds.get(1)), "source '" + name + "' has two kinds, "
          + kinds.get(0) + " and " + kinds.get(1) + ": a source reads one thing; make two sources");
    } else {
      String kind = kinds.get(0);
      factory = kind(kind, name, values.map(source.get(kind), kind), routes);
    }
    Map<String, String> accept = Map.of();
    if (source.has("accept")) {
      Map<String, String> read = pathMap(source.get("accept"), "accept");
      accept = read == null ? accept : read;
    }
    String payload = optionalPath(source, "payload");
    Set<String> written = new LinkedHashSet<>(); // broken aliases too: named once, not twice
    Map<String, Extract> aliases = aliases(source.get("fields"), written);
    List<String> identity = identity(source, name, written);
    String time = null;
    if (source.has("time")) {
      time = values.text(source.get("time"), "time");
      if (time != null && !aliases.containsKey(time)) {
        checkPath(source.get("time"), "time", time);
      }
    }
    boolean ok = problems.count() == before && factory != null;
    return new Draft(name, nameNode, accept, payload, time, aliases, identity,
        ok ? factory : null, routes);
  }

  /**
   * Builds the source with the aliases' extracts plus one for each reference its charts read;
   * {@code null} when the draft or the spec has a problem (reported).
   */
  SourceSpec build(Draft draft, Collection<String> refs) {
    if (draft.factory() == null) {
      return null;
    }
    try {
      Decoding decoding = ChartFields.withAliases(draft.accept(), draft.payload(), draft.time(),
          draft.aliases(), refs, draft.identity());
      return draft.factory().apply(decoding);
    } catch (IllegalArgumentException e) {
      draft.routes().report(e, problems);
      return null;
    }
  }

  private Function<Decoding, SourceSpec> kind(String kind, String name, YamlMap p, Routes routes) {
    if (p == null) {
      return null;
    }
    int before = problems.count();
    Function<Decoding, SourceSpec> factory = switch (kind) {
      case "websocket" -> websocket(name, p, routes);
      case "sse" -> sse(name, p, routes);
      case "stdin" -> {
        p.checkKeys(List.of(), Map.of(), "stdin (it takes no keys: 'stdin: {}')", problems);
        yield d -> new StdinSpec(name, d);
      }
      case "file" -> file(name, p);
      case "tcp" -> tcp(name, p, routes);
      case "mqtt" -> mqtt(name, p, routes);
      case "nats" -> nats(name, p, routes);
      default -> redis(name, p, routes);
    };
    return problems.count() == before ? factory : null;
  }

  private Function<Decoding, SourceSpec> websocket(String name, YamlMap p, Routes routes) {
    p.checkKeys(List.of("url", "subscribe", "heartbeat", "silence"), Map.of(), "websocket",
        problems);
    URI url = url(p, "websocket", "url", "ws://127.0.0.1:9000/");
    List<String> subscribe = p.has("subscribe") ? values.texts(p.get("subscribe"), "subscribe")
        : List.of();
    Duration silence = silence(p);
    WebSocketSpec.HeartbeatRule heartbeat = null;
    if (p.has("heartbeat")) {
      YamlMap h = values.map(p.get("heartbeat"), "heartbeat");
      if (h != null) {
        h.checkKeys(List.of("match", "reply"), Map.of(), "heartbeat", problems);
        Map<String, String> match = null;
        if (!h.has("match")) {
          problems.at(h.node(), "heartbeat needs 'match': the fields that mark a heartbeat, "
              + "e.g. {action: hb}");
        } else {
          match = pathMap(h.get("match"), "match");
        }
        String reply = h.has("reply") ? values.text(h.get("reply"), "reply") : null;
        if (match != null) {
          try {
            heartbeat = new WebSocketSpec.HeartbeatRule(match, reply);
          } catch (IllegalArgumentException e) {
            problems.at(h.get("match"), e.getMessage());
          }
        }
      }
    }
    routes.add("websocket url", p.get("url"), "url").add("silence", p.get("silence"))
        .add("subscribe", p.get("subscribe"));
    WebSocketSpec.HeartbeatRule rule = heartbeat;
    return d -> new WebSocketSpec(name, url, subscribe, rule, silence, d);
  }

  private Function<Decoding, SourceSpec> sse(String name, YamlMap p, Routes routes) {
    p.checkKeys(List.of("url", "events", "silence"), Map.of(), "sse", problems);
    URI url = url(p, "sse", "url", "http://127.0.0.1:8000/events");
    List<String> events = p.has("events") ? values.texts(p.get("events"), "events") : List.of();
    Duration silence = silence(p);
    routes.add("sse url", p.get("url"), "url").add("silence", p.get("silence"));
    return d -> new SseSpec(name, url, Set.copyOf(events), silence, d);
  }

  private Function<Decoding, SourceSpec> file(String name, YamlMap p) {
    p.checkKeys(List.of("path", "follow"), Map.of(), "file", problems);
    String text = required(p, "file", "path", "the file to read, e.g. app.log");
    boolean follow = p.has("follow") && Boolean.TRUE.equals(values.bool(p.get("follow"), "follow"));
    Path path = null;
    if (text != null) {
      try {
        path = baseDir.resolve(text);
      } catch (InvalidPathException e) {
        problems.at(p.get("path"), "path is not a file path: '" + text + "' (" + e.getReason() + ")");
      }
    }
    Path resolved = path;
    return d -> new FileSpec(name, resolved, follow, d);
  }

  private Function<Decoding, SourceSpec> tcp(String name, YamlMap p, Routes routes) {
    p.checkKeys(List.of("host", "port", "listen"), Map.of(), "tcp", problems);
    String host = p.has("host") ? values.text(p.get("host"), "host") : Defaults.TCP_HOST;
    Integer port = null;
    if (!p.has("port")) {
      p.missing("port", "tcp needs 'port', e.g. {host: 127.0.0.1, port: 9000}", problems);
    } else {
      port = values.wholeNumber(p.get("port"), "port", 0);
    }
    boolean listen = p.has("listen") && Boolean.TRUE.equals(values.bool(p.get("listen"), "listen"));
    routes.add("port", p.get("port")).add("tcp host", p.get("host"), "host");
    int portNumber = port == null ? 0 : port;
    return d -> new TcpSpec(name, host, portNumber, listen, d);
  }

  private Function<Decoding, SourceSpec> mqtt(String name, YamlMap p, Routes routes) {
    p.checkKeys(List.of("broker", "topics", "qos", "version", "clientId"), Map.of(), "mqtt",
        problems);
    URI broker = url(p, "mqtt", "broker", "tcp://127.0.0.1:1883");
    List<String> topics = requiredTexts(p, "topics", "mqtt", "topic filters, e.g. [sensors/#]");
    int qos = p.has("qos") ? orZero(values.wholeNumber(p.get("qos"), "qos", 0)) : 0;
    int version = p.has("version") ? orZero(values.wholeNumber(p.get("version"), "version", 0))
        : Defaults.MQTT_VERSION;
    String clientId = p.has("clientId") ? values.text(p.get("clientId"), "clientId") : null;
    routes.add("mqtt broker", p.get("broker"), "broker").add("mqtt topics", p.get("topics"),
        "topics").add("mqtt qos", p.get("qos"), "qos").add("mqtt version", p.get("version"),
        "version");
    return d -> new MqttSpec(name, broker, topics, qos, version, clientId, d);
  }

  private Function<Decoding, SourceSpec> nats(String name, YamlMap p, Routes routes) {
    p.checkKeys(List.of("server", "subjects"), Map.of(), "nats", problems);
    URI server = url(p, "nats", "server", "nats://127.0.0.1:4222");
    List<String> subjects = requiredTexts(p, "subjects", "nats", "subjects, e.g. [app.>]");
    routes.add("nats server", p.get("server"), "server").add("nats subjects", p.get("subjects"),
        "subjects");
    return d -> new NatsSpec(name, server, subjects, d);
  }

  private Function<Decoding, SourceSpec> redis(String name, YamlMap p, Routes routes) {
    p.checkKeys(List.of("server", "channels", "patterns"), Map.of(), "redis", problems);
    URI server = url(p, "redis", "server", "redis://127.0.0.1:6379");
    List<String> channels = p.has("channels") ? values.texts(p.get("channels"), "channels")
        : List.of();
    List<String> patterns = p.has("patterns") ? values.texts(p.get("patterns"), "patterns")
        : List.of();
    routes.add("redis server", p.get("server"), "server")
        .add("redis needs", p.get("channels") != null ? p.get("channels") : p.node());
    return d -> new RedisSpec(name, server, channels, patterns, d);
  }

  private URI url(YamlMap p, String kind, String key, String example) {
    String text = required(p, kind, key, "e.g. " + example);
    if (text == null) {
      return null;
    }
    try {
      return new URI(text.trim());
    } catch (URISyntaxException e) {
      problems.at(p.get(key), key + " is not a URL: '" + text + "' (" + e.getReason()
          + "); expected e.g. " + example);
      return null;
    }
  }

  private Duration silence(YamlMap p) {
    return p.has("silence") ? values.duration(p.get("silence"), "silence") : Defaults.SILENCE;
  }

  private String required(YamlMap p, String kind, String key, String what) {
    if (!p.has(key)) {
      p.missing(key, kind + " needs '" + key + "': " + what, problems);
      return null;
    }
    return values.text(p.get(key), key);
  }

  private List<String> requiredTexts(YamlMap p, String key, String kind, String what) {
    if (!p.has(key)) {
      p.missing(key, kind + " needs '" + key + "': " + what, problems);
      return null;
    }
    return values.texts(p.get(key), key);
  }

  private String optionalPath(YamlMap source, String key) {
    if (!source.has(key)) {
      return null;
    }
    String text = values.text(source.get(key), key);
    return text != null && checkPath(source.get(key), key, text) ? text : null;
  }

  /**
   * The {@code fields:} aliases: name → path, or name → {path, html}. Every name written, good
   * or not, is added to {@code written}.
   */
  private Map<String, Extract> aliases(Node node, Set<String> written) {
    Map<String, Extract> aliases = new LinkedHashMap<>();
    if (node == null) {
      return aliases;
    }
    YamlMap fields = values.map(node, "fields");
    if (fields == null) {
      return aliases;
    }
    for (NodeTuple tuple : fields.entries()) {
      String alias = ((ScalarNode) tuple.getKeyNode()).getValue();
      written.add(alias);
      if (alias.isBlank() || alias.startsWith("/") || alias.startsWith("@")) {
        problems.at(tuple.getKeyNode(), "field alias '" + alias
            + "' must be a plain name (a pointer or @meta field cannot be an alias)");
        continue;
      }
      Node value = tuple.getValueNode();
      String path;
      boolean html = false;
      if (value instanceof ScalarNode) {
        path = values.text(value, "field " + alias);
      } else {
        YamlMap spec = values.map(value, "field " + alias);
        if (spec == null) {
          continue;
        }
        spec.checkKeys(List.of("path", "html"), Map.of(), "field alias '" + alias + "'",
            problems);
        if (!spec.has("path")) {
          problems.at(spec.node(), "field alias '" + alias + "' needs 'path', e.g. {path: /title,"
              + " html: true}");
          continue;
        }
        path = values.text(spec.get("path"), "path");
        value = spec.get("path");
        html = spec.has("html") && Boolean.TRUE.equals(values.bool(spec.get("html"), "html"));
      }
      if (path != null && checkPath(value, "field " + alias, path)) {
        aliases.put(alias, new Extract(alias, path, html));
      }
    }
    return aliases;
  }

  /**
   * The {@code identity:} list: names under {@code fields:} whose values together identify one
   * upstream event (a cluster's new leader re-reads the upstream after a failover and drops the
   * events seen before). Only aliases: they are extracted whatever the charts read. Empty when
   * absent.
   */
  private List<String> identity(YamlMap source, String name, Set<String> fields) {
    if (!source.has("identity")) {
      return List.of();
    }
    Node node = source.get("identity");
    if (Values.isNull(node) || node instanceof SequenceNode s && s.getValue().isEmpty()) {
      problems.at(node, "identity must name at least one field, e.g. [site, id]; leave it out"
          + " when the events carry no key of their own");
      return List.of();
    }
    if (!(node instanceof SequenceNode sequence)) {
      problems.at(node, "identity must be a list of field names, e.g. [site, id], not a "
          + Values.kind(node));
      return List.of();
    }
    Set<String> keys = new LinkedHashSet<>();
    for (Node item : sequence.getValue()) {
      String key = values.text(item, "identity entry");
      if (key == null) {
        continue;
      }
      if (!keys.add(key)) {
        problems.at(item, "identity names '" + key + "' twice: name each field once");
      } else if (!fields.contains(key)) {
        problems.at(item, "identity: '" + key + "' is not a field of source '" + name + "'"
            + allowedIdentity(key, fields));
      }
    }
    return List.copyOf(keys);
  }

  private static String allowedIdentity(String key, Set<String> fields) {
    if (key.equals(ChartFields.SOURCE_META)) {
      return " (events of two sources are never the same event); name fields under 'fields:'";
    }
    if (fields.isEmpty()) {
      return ", which has no 'fields:'; identity names fields written there, e.g."
          + " fields: {id: /id}";
    }
    String best = Suggestions.closest(key, fields);
    return (best == null ? "" : " (did you mean '" + best + "'?)")
        + "; identity names fields under 'fields:': " + String.join(", ", fields);
  }

  /** Field reference → text, e.g. {@code {action: hb}}; {@code null} when anything is wrong. */
  private Map<String, String> pathMap(Node node, String key) {
    YamlMap map = values.map(node, key);
    if (map == null) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    boolean ok = true;
    for (NodeTuple tuple : map.entries()) {
      ScalarNode k = (ScalarNode) tuple.getKeyNode();
      String v = values.text(tuple.getValueNode(), key + " value of " + k.getValue());
      ok &= checkPath(k, key, k.getValue()) && v != null;
      out.put(k.getValue(), v);
    }
    return ok ? out : null;
  }

  /** Whether {@code text} is a field reference; reports why not at {@code node}. */
  boolean checkPath(Node node, String key, String text) {
    try {
      FieldRefs.check(text);
      return true;
    } catch (IllegalArgumentException e) {
      problems.at(node, key + ": " + e.getMessage());
      return false;
    }
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}
