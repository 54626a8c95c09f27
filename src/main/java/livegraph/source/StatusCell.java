package livegraph.source;

import livegraph.source.SourceStatus.State;

/**
 * The state and detail of a line source, replaced together so readers on any thread never see
 * one without the other. {@link State#CLOSED} is final: once there, later changes from a
 * reading thread that has not noticed the close yet are ignored.
 */
final class StatusCell {

  private record Phase(State state, String detail) {}

  private volatile Phase phase = new Phase(State.CONNECTING, "not started");

  /** Sets the state unless the source is already CLOSED; {@code false} if ignored. */
  synchronized boolean set(State state, String detail) {
    if (phase.state() == State.CLOSED) {
      return false;
    }
    phase = new Phase(state, detail);
    return true;
  }

  State state() {
    return phase.state();
  }

  String detail() {
    return phase.detail();
  }

  SourceStatus status(SourceCounters counters) {
    Phase p = phase;
    return counters.status(p.state(), p.detail());
  }
}
