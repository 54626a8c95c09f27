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
      return new StdinSource(s, context.clock(), context.demand());
    }
    if (spec instanceof FileSpec s) {
      return new FileSource(
          s, context.clock(), context.group().next(), FileSource.DEFAULT_POLL_MILLIS,
          JsonLines.MAX_WAIT_MILLIS, context.demand());
    }
    if (spec instanceof TcpSpec s) {
      return new TcpSource(s, context);
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
