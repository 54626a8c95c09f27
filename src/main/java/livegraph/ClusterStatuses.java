package livegraph;

import java.util.Map;
import livegraph.cluster.ClusterMember;
import livegraph.source.SourceStatus;
import livegraph.source.SourceStatus.State;

/**
 * The status bar's one status for a dashboard served by a cluster: its stream's state on this
 * node, and on the leader the upstream's as well.
 *
 * <p>Catching up shows as connecting and an unreachable Redis as reconnecting, each with a
 * detail that says so; while live, a follower shows who ingests, and the leader the worse of
 * the stream's state and its sources' (an upstream down shows on the leader's page only: the
 * followers cannot see it). Events are those read from the stream, on every node alike.
 */
final class ClusterStatuses {

  private ClusterStatuses() {}

  static SourceStatus of(ClusterMember.Status cluster, Map<String, SourceStatus> leaderSources) {
    State state = switch (cluster.state()) {
      case CATCHING_UP -> State.CONNECTING;
      case REDIS_UNREACHABLE -> State.RECONNECTING;
      case LIVE -> State.LIVE;
    };
    String detail = cluster.detail();
    long heartbeats = 0;
    long reconnects = 0;
    Map<livegraph.source.SkipReason, Long> skipped = Map.of();
    if (!leaderSources.isEmpty()) {
      SourceStatus upstream = SourceStatuses.combine(leaderSources, 0, 0);
      heartbeats = upstream.heartbeats();
      reconnects = upstream.reconnects();
      skipped = upstream.skipped();
      if (state == State.LIVE && upstream.state() != State.LIVE) {
        state = upstream.state();
        detail = detail + "; upstream: " + upstream.detail();
      }
    }
    return new SourceStatus(state, detail, cluster.events(), cluster.dropped(), heartbeats,
        skipped, reconnects);
  }
}
