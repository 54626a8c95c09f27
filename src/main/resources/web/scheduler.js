// Coalesces redraws: any number of updates between two frames cost one draw per chart.
// Charts are marked dirty as frames arrive; one requestAnimationFrame draws every dirty
// chart. While the tab is hidden nothing is drawn (dirty marks just accumulate); when it
// becomes visible again the current state is drawn once. (Chromium runs no animation frames
// in a hidden tab either; the checks keep the rule if frames ever come from elsewhere.
// PausedAndHiddenPageIT hides a real tab: 1,500 deltas, no draw, then one per changed chart.)

export class DrawScheduler {
  /** draw(id) renders one chart from the current state; it is called at most once per frame. */
  constructor(draw, { doc = document, raf = (cb) => window.requestAnimationFrame(cb), onError = () => {} } = {}) {
    this.draw = draw;
    this.onError = onError;
    this.doc = doc;
    this.raf = raf;
    this.dirty = new Set();
    this.pending = false;
    doc.addEventListener('visibilitychange', () => this.request());
  }

  mark(id) {
    this.dirty.add(id);
    this.request();
  }

  request() {
    if (this.pending || this.doc.hidden || this.dirty.size === 0) return;
    this.pending = true;
    this.raf(() => this.flush());
  }

  flush() {
    this.pending = false;
    if (this.doc.hidden) return; // visibilitychange will ask again
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) {
      try {
        this.draw(id);
      } catch (e) {
        // One broken chart state must not stop the others from drawing.
        this.onError(id, e);
        console.error('livegraph: drawing chart', id, 'failed:', e);
      }
    }
  }
}
