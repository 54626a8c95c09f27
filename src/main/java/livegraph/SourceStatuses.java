package livegraph;

import java.util.EnumMap;
import java.util.Map;
import livegraph.source.SkipReason;
import livegraph.source.SourceStatus;
import livegraph.source.SourceStatus.State;

/** One status for the status bar out of a dashboard's several sources. */
final class SourceStatuses {

  private SourceStatuses() {}

  /**
   * Counters summed; the state is the worst of them (failed, then reconnecting, connecting,
   * closed, live), and its detail names the source when there are several.
   *
   * @param pushed events the program pushed itself (a dashboard defined in code), counted as a
   *     live source when there is no other
   */
  static SourceStatus combine(Map<String, SourceStatus> byName, long pushed, long pushDropped) {
    if (byName.isEmpty()) {
      return new SourceStatus(State.LIVE, "events pushed by the program", pushed, pushDropped, 0,
          Map.of(), 0);
    }
    long events = pushed;
    long dropped = pushDropped;
    long heartbeats = 0;
    long reconnects = 0;
    Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
    String worstName = null;
    SourceStatus worst = null;
    for (Map.Entry<String, SourceStatus> entry : byName.entrySet()) {
      SourceStatus s = entry.getValue();
      events += s.events();
      dropped += s.dropped();
      heartbeats += s.heartbeats();
      reconnects += s.reconnects();
      s.skipped().forEach((reason, n) -> skipped.merge(reason, n, Long::sum));
      if (worst == null || rank(s.state()) > rank(worst.state())) {
        worst = s;
        worstName = entry.getKey();
      }
    }
    String detail = byName.size() == 1 ? worst.detail() : worstName + ": " + worst.detail();
    return new SourceStatus(worst.state(), detail, events, dropped, heartbeats, skipped,
        reconnects);
  }

  private static int rank(State state) {
    return switch (state) {
      case LIVE -> 0;
      case CLOSED -> 1;
      case CONNECTING -> 2;
      case RECONNECTING -> 3;
      case FAILED -> 4;
    };
  }
}
