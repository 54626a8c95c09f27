// Pause and resume. A paused page keeps applying every snapshot and delta (window.livegraph.charts,
// seq and the status bar stay live) but draws from a copy of the chart states taken when it
// paused, so the charts hold still while someone reads them, and says how far behind it is.
// Resume draws each chart once from the live states. The panels are not rebuilt and the
// renderers keep Plotly's constant uirevision, so a zoom or pan made before or during the
// pause survives the resume.
//
// The page asks three things of it (DashboardPage listeners): stateOf(id) answers from the
// copy while paused; frozen() says applied states need not be drawn (nothing would change);
// updated() counts each applied snapshot or delta as one update behind.
//
// Test hooks (on window.livegraph): paused (boolean), behind ({updates, millis}; zeros while
// live). DOM: #pause is the header's pause/resume button, #pause-status the behind indicator.

/** "12 s", "3 min 5 s", "2 h 7 min". */
export function sinceText(millis) {
  const s = Math.max(0, Math.floor(millis / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "Paused · 37 updates behind · 12 s". */
export function behindText({ updates, millis }) {
  return `Paused · ${updates} ${updates === 1 ? 'update' : 'updates'} behind · ${sinceText(millis)}`;
}

/**
 * The paused-or-live state of one page and its frozen copy of the chart states.
 * live() returns the page's latest states by chart id; redrawAll() asks for every chart to be
 * drawn once; onChange(paused) is told after each pause and resume. now is the clock.
 */
export class PauseControl {
  constructor({ live, redrawAll, onChange = () => {}, now = () => Date.now() }) {
    this.live = live;
    this.redrawAll = redrawAll;
    this.listeners = [onChange];
    this.now = now;
    this.frozen = null; // chart id -> state drawn while paused; null when live
    this.since = 0; // clock time of the pause
    this.updates = 0; // snapshots and deltas applied since the pause
  }

  get paused() {
    return this.frozen !== null;
  }

  /** Also tell listener(paused) after each pause and resume. */
  onChange(listener) {
    this.listeners.push(listener);
  }

  /**
   * Freezes what is drawn: a shallow copy is enough, because the page replaces a chart's state
   * object with each update and never changes one in place.
   */
  pause() {
    if (this.paused) return;
    this.frozen = Object.assign(Object.create(null), this.live());
    this.since = this.now();
    this.updates = 0;
    this.changed();
  }

  resume() {
    if (!this.paused) return;
    this.frozen = null;
    this.updates = 0;
    this.redrawAll();
    this.changed();
  }

  toggle() {
    if (this.paused) this.resume();
    else this.pause();
  }

  /** The state to draw for a chart: the frozen one while paused. */
  stateOf(id) {
    return this.paused ? this.frozen[id] : this.live()[id];
  }

  /** One snapshot or delta was applied. */
  updated() {
    if (this.paused) this.updates++;
  }

  /**
   * The panels were rebuilt for another dashboard (a reload): the frozen states belong to
   * charts that are gone, so the page goes live and draws the new dashboard.
   */
  layoutRebuilt() {
    this.resume();
  }

  behind() {
    return this.paused ? { updates: this.updates, millis: Math.max(0, this.now() - this.since) } : { updates: 0, millis: 0 };
  }

  changed() {
    for (const listener of this.listeners) listener(this.paused);
  }
}

/** Whether a key press there belongs to the element: typing, choosing, or pressing a button. */
function inFormControl(target) {
  return target instanceof Element
    && (target.isContentEditable || target.closest('input, select, textarea, button, [contenteditable]') !== null);
}

/**
 * The controls: a Pause/Resume button and the behind indicator in the page header (created
 * here, so pages without this feature carry no dead button), Space or P anywhere but in a
 * form control, and the window.livegraph hooks. The indicator's clock runs only while paused.
 */
export function pauseControls(control, hooks, { doc = document } = {}) {
  const header = doc.querySelector('header.top');
  const box = doc.createElement('div');
  box.className = 'pause-tools';
  const status = doc.createElement('span');
  status.id = 'pause-status';
  status.className = 'pause-status';
  status.hidden = true;
  const button = doc.createElement('button');
  button.type = 'button';
  button.id = 'pause';
  button.className = 'pause-button';
  button.title = 'Pause or resume drawing (Space or P); data keeps arriving';
  box.append(status, button);
  header.appendChild(box);

  let ticker = null;
  const render = () => {
    status.textContent = control.paused ? behindText(control.behind()) : '';
  };
  const show = (paused) => {
    hooks.paused = paused;
    button.textContent = paused ? 'Resume' : 'Pause';
    button.setAttribute('aria-pressed', String(paused));
    button.classList.toggle('paused', paused);
    status.hidden = !paused;
    render();
    if (paused && ticker === null) {
      ticker = setInterval(render, 1000);
    } else if (!paused && ticker !== null) {
      clearInterval(ticker);
      ticker = null;
    }
  };
  Object.defineProperty(hooks, 'behind', { enumerable: true, configurable: true, get: () => control.behind() });
  control.onChange(show);
  show(control.paused);

  button.addEventListener('click', () => control.toggle());
  doc.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key !== ' ' && event.key !== 'p' && event.key !== 'P') return;
    if (inFormControl(event.target)) return;
    event.preventDefault(); // Space would also scroll the page
    control.toggle();
  });
}
