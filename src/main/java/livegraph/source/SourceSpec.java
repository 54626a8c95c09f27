package livegraph.source;

/**
 * What one source reads and how it decodes it; {@link Sources#open} builds the source.
 *
 * <p>Specs are plain values checked at construction: a dashboard file, a command line flag or
 * Java code builds one, and a bad value fails there with a message, not later on a socket.
 */
public sealed interface SourceSpec
    permits WebSocketSpec, SseSpec, StdinSpec, FileSpec, TcpSpec, MqttSpec, NatsSpec, RedisSpec {

  /** Unique within a dashboard; every event carries it as {@code @source}. */
  String name();

  /** How messages become events. */
  Decoding decoding();

  /** For people: "MQTT 127.0.0.1:1883 sensors/#". */
  String description();

  /** "websocket", "sse", "mqtt"…: the key a dashboard file writes this kind of source with. */
  default String kind() {
    if (this instanceof WebSocketSpec) {
      return "websocket";
    } else if (this instanceof SseSpec) {
      return "sse";
    } else if (this instanceof StdinSpec) {
      return "stdin";
    } else if (this instanceof FileSpec) {
      return "file";
    } else if (this instanceof TcpSpec) {
      return "tcp";
    } else if (this instanceof MqttSpec) {
      return "mqtt";
    } else if (this instanceof NatsSpec) {
      return "nats";
    }
    return "redis"; // the sealed interface permits no other
  }
}
