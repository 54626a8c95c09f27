package livegraph.server;

import livegraph.hub.Hub;

/**
 * The filtered views of one dashboard, as its viewers' sockets use them: a viewer asking for
 * the view (field, value) gets a lease on that view's hub, shared with every viewer of the same
 * view, and gives it back when it leaves or switches.
 *
 * <p>Called on the transport's event loops: implementations are thread-safe and do not wait on
 * anything slow.
 */
public interface Views {

  /** A dashboard without views: every request is refused. */
  Views NONE = (field, value, onClosed) -> new Refused("this dashboard has no filtered views");

  /** A viewer's hold on one view; the view stays open while any lease on it is held. */
  interface Lease {
    /** The view's hub, to join and leave like the dashboard's own. */
    Hub hub();

    /** Gives the lease back; idempotent. */
    void release();
  }

  /** Told when a view closes under its viewers. */
  @FunctionalInterface
  interface OnClosed {
    /**
     * Called on any thread: the viewer holding {@code lease} must leave its hub and go back to
     * the dashboard's, telling the page {@code reason} (e.g. "filter cleared: dashboard
     * reloaded").
     */
    void closed(Lease lease, String reason);
  }

  /** What {@link #open} answers. */
  sealed interface Answer {}

  /** The view is open: join {@code lease.hub()}. */
  record Opened(Lease lease) implements Answer {}

  /** No view: {@code reason} says why, for the page's error message; stay unfiltered. */
  record Refused(String reason) implements Answer {}

  /**
   * Opens a lease on the view of the events with {@code value} in {@code field}, creating the
   * view if it is not open.
   *
   * @param onClosed told when the view closes while the lease is held (the dashboard was
   *     reloaded); not at shutdown, when every socket is closed anyway
   */
  Answer open(String field, String value, OnClosed onClosed);
}
