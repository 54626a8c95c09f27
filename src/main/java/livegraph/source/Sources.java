package livegraph.source;

/** Builds the source a spec describes. */
public final class Sources {

  private Sources() {}

  /** A new, unstarted source for {@code spec}. */
  public static Source open(SourceSpec spec, SourceContext context) {
    if (spec instanceof WebSocketSpec s) {
      throw new UnsupportedOperationException("websocket: not yet built");
    }
    if (spec instanceof SseSpec s) {
      throw new UnsupportedOperationException("sse: not yet built");
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
      return new MqttSource(s, context);
    }
    if (spec instanceof NatsSpec s) {
      return new NatsSource(s, context);
    }
    if (spec instanceof RedisSpec s) {
      return new RedisSource(s, context);
    }
    throw new IllegalArgumentException("unknown source spec: " + spec);
  }
}
