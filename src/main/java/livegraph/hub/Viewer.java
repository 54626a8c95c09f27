package livegraph.hub;

/**
 * One connected browser as the hub sees it: somewhere to put encoded frames.
 *
 * <p>Implementations never block: {@link #send} queues the bytes on the viewer's connection.
 * The queue is bounded by the transport (a byte high-water mark); {@link #writable()} says
 * whether it is below that mark. The hub never sends to a viewer that is not writable, so a
 * viewer's backlog is at most the high-water mark plus one frame.
 */
public interface Viewer {

  /** Whether the viewer's outbound queue has room; may be called from any thread. */
  boolean writable();

  /** Queues one encoded message; the array is shared with every other viewer and never changed. */
  void send(byte[] message);

  /**
   * Bytes queued on the connection and not yet written to the socket; may be called from any
   * thread, and may be a moment stale. For metrics: 0 when the transport cannot say.
   */
  default long queuedBytes() {
    return 0;
  }

  /** Closes the connection with a WebSocket close code and a reason the page can show. */
  void close(int code, String reason);
}
