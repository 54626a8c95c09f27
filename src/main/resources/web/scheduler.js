// Coalesces redraws: any number of updates between two frames cost one draw per chart.
// Charts are marked dirty as frames arrive; requestAnimationFrame draws the dirty charts.
// While the tab is hidden nothing is drawn (dirty marks just accumulate); when it becomes
// visible again the current state is drawn once. (Chromium runs no animation frames in a
// hidden tab either; the checks keep the rule if frames ever come from elsewhere.
// PausedAndHiddenPageIT hides a real tab: 1,500 deltas, no draw, then one per changed chart.)
//
// Two rules keep a slow machine responsive (BENCHMARKS.md, "Browser": a Plotly redraw costs
// 15-30 ms of main-thread time there, and the server sends up to 10 updates a second):
//  - pacing: a chart that took d ms to draw is drawn again no sooner than PACE * d ms later
//    (at most MAX_GAP_MS), so no chart spends more than about 1/PACE of the main thread on
//    drawing. Updates in between are coalesced into the next draw, never lost. A chart that
//    draws in 3 ms (a fast machine) keeps its 10 draws a second; a 20 ms one gets 5.
//  - frame budget: once FRAME_BUDGET_MS were spent drawing in one animation frame, the other
//    dirty charts wait for the next frame, so one task does not draw every chart at once
//    (no long task from redrawing a whole dashboard).
// Every draw still happens in an animation frame; a timer only asks for the frame in which a
// paced chart is due.
//
// A draw may return a promise of its cost instead (a fast Plotly update, plot.js, whose work
// Plotly does over the next frames): until it settles the chart is not drawn again (at most
// MAX_GAP_MS, should it never settle), then it is paced by the cost the promise gives. One
// such draw ends the frame's drawing (its cost is not known yet); the others wait a frame.

const PACE = 10;
const MAX_GAP_MS = 1000;
const FRAME_BUDGET_MS = 12;

export class DrawScheduler {
  /** draw(id) renders one chart from the current state; it is called at most once per frame. */
  constructor(draw, {
    doc = document,
    raf = (cb) => window.requestAnimationFrame(cb),
    onError = () => {},
    now = () => performance.now(),
    timer = (cb, ms) => setTimeout(cb, ms),
    cancelTimer = (handle) => clearTimeout(handle),
  } = {}) {
    this.draw = draw;
    this.onError = onError;
    this.doc = doc;
    this.raf = raf;
    this.now = now;
    this.timer = timer;
    this.cancelTimer = cancelTimer;
    this.dirty = new Set();
    this.due = new Map(); // chart id -> the earliest time it may be drawn again (bounded by the charts)
    this.pending = false; // an animation frame is requested
    this.waiting = null; // { handle, at } of the timer for the next paced chart
    doc.addEventListener('visibilitychange', () => this.request());
  }

  mark(id) {
    this.dirty.add(id);
    this.request();
  }

  /** Forgets the pacing of charts that are gone (a new layout). */
  forget(ids) {
    for (const id of ids) this.due.delete(id);
  }

  request() {
    if (this.pending || this.doc.hidden || this.dirty.size === 0) return;
    const t = this.now();
    let next = Infinity;
    for (const id of this.dirty) next = Math.min(next, this.due.get(id) ?? 0);
    if (next <= t) {
      this.cancelWaiting();
      this.pending = true;
      this.raf(() => this.flush());
    } else if (this.waiting === null || this.waiting.at > next) {
      this.cancelWaiting();
      const handle = this.timer(() => {
        this.waiting = null;
        this.request();
      }, next - t);
      this.waiting = { handle, at: next };
    }
  }

  cancelWaiting() {
    if (this.waiting !== null) {
      this.cancelTimer(this.waiting.handle);
      this.waiting = null;
    }
  }

  flush() {
    this.pending = false;
    if (this.doc.hidden) return; // visibilitychange will ask again
    const start = this.now();
    for (const id of [...this.dirty]) {
      const before = this.now();
      if (before - start >= FRAME_BUDGET_MS) break; // the rest in the next frame
      if ((this.due.get(id) ?? 0) > before) continue; // paced: a timer asks again
      this.dirty.delete(id);
      let later = null;
      try {
        later = this.draw(id);
      } catch (e) {
        // One broken chart state must not stop the others from drawing.
        this.onError(id, e);
        console.error('livegraph: drawing chart', id, 'failed:', e);
      }
      const after = this.now();
      if (later !== null && typeof later === 'object' && typeof later.then === 'function') {
        this.due.set(id, before + MAX_GAP_MS);
        later.then((ms) => this.paced(id, before, Number.isFinite(ms) ? ms : 0), () => this.paced(id, before, 0));
        // Its work lands in the next frames, outside this budget: one such update a frame, so
        // several charts' updates do not pile into the same later task.
        break;
      } else {
        this.due.set(id, after + Math.min(MAX_GAP_MS, PACE * (after - before)));
      }
    }
    this.request();
  }

  /** A chart whose draw started at start and cost ms (settled later) is due again then. */
  paced(id, start, ms) {
    if (!this.due.has(id)) return; // forgotten: a new layout
    this.due.set(id, start + ms + Math.min(MAX_GAP_MS, PACE * ms));
    this.request();
  }
}
