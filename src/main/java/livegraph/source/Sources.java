package livegraph.source;

/** Builds the source a spec describes. */
public final class Sources {

  private Sources() {}

  /** A new, unstarted source for {@code spec}. */
  public static Source open(SourceSpec spec, SourceContext context) {
    if (spec instanceof WebSocketSpec s) {
      return new WebSocketSource(s, context);
    }
    if (spec instanceof SseSpec s) {
      return new SseSource(s, context);
    }
    if (spec instanceof StdinSpec s) {
      throw new UnsupportedOperationException("stdin: not yet built");
    }
    if (spec instanceof FileSpec s) {
      throw new UnsupportedOperationException("file: not yet built");
    }
    if (spec instanceof TcpSpec s) {
      throw new UnsupportedOperationException("tcp: not yet built");
    }
    if (spec instanceof MqttSpec s) {
      throw new UnsupportedOperationException("mqtt: not yet built");
    }
    if (spec instanceof NatsSpec s) {
      throw new UnsupportedOperationException("nats: not yet built");
    }
    if (spec instanceof RedisSpec s) {
      throw new UnsupportedOperationException("redis: not yet built");
    }
    throw new IllegalArgumentException("unknown source spec: " + spec);
  }
}
