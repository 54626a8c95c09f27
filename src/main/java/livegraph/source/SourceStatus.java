package livegraph.source;

import java.util.Map;

/**
 * A point-in-time view of a source for the status bar and {@code /healthz}.
 *
 * @param state what the connection is doing now
 * @param detail a human sentence for the status bar, e.g. "reconnecting in 4 s: closed by server"
 * @param events data events delivered to the sink
 * @param dropped events the sink refused because its intake was full
 * @param heartbeats heartbeats received (and answered)
 * @param skipped bad or irrelevant frames skipped, by reason
 * @param reconnects connections opened after the first
 */
public record SourceStatus(
    State state,
    String detail,
    long events,
    long dropped,
    long heartbeats,
    Map<SkipReason, Long> skipped,
    long reconnects) {

  public SourceStatus {
    skipped = Map.copyOf(skipped);
  }

  /** Total frames skipped, all reasons together. */
  public long skippedTotal() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The connection state of a source. */
  public enum State {
    CONNECTING,
    LIVE,
    RECONNECTING,
    FAILED,
    CLOSED
  }
}
