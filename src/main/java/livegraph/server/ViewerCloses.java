package livegraph.server;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of viewers the server closed, or that went away abruptly, by reason: one counter per
 * {@link Reason}, a fixed list, so the metric's series are bounded whatever viewers send.
 * Thread-safe: incremented on any event loop, read by the scrape.
 */
public final class ViewerCloses {

  /** Why a viewer's socket ended, with the close code the server sent (0: none was sent). */
  public enum Reason {
    /** A message over the frame limit ({@link ViewerServer#MAX_CLIENT_FRAME}). */
    TOO_BIG(1009),
    /** A binary frame. */
    BINARY(1003),
    /** A message split into fragments: pages send each message whole. */
    FRAGMENTED(1003),
    /** More than {@link ViewerHandler#MAX_BAD} invalid messages. */
    INVALID(1008),
    /** More than {@link ViewerHandler#MAX_PER_SECOND} messages in a second. */
    FLOOD(1008),
    /** A frame that breaks RFC 6455 (unmasked, reserved bits or opcodes, bad close code). */
    PROTOCOL_ERROR(1002),
    /** An exception the handler did not expect: the viewer is closed, the server goes on. */
    INTERNAL_ERROR(1011),
    /** The connection failed under the server (reset by the peer, broken pipe): no close sent. */
    RESET(0);

    public final int code;

    Reason(int code) {
      this.code = code;
    }

    /** The metric's label: {@code too_big}, {@code flood}, …. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);

  public ViewerCloses() {
    for (Reason r : Reason.values()) {
      counts.put(r, new LongAdder());
    }
  }

  void add(Reason reason) {
    counts.get(reason).increment();
  }

  /** Viewers closed for {@code reason} since start. */
  public long get(Reason reason) {
    return counts.get(reason).sum();
  }
}
