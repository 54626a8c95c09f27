// The view a link carries (see urlstate.js): w.<chartId>=<windowId> for each keyed chart shown
// with a window other than its default, and paused=1 while paused. Read once, when the first
// dashboard is laid out (a link opened paused draws the first snapshot, then freezes); written
// whenever the user picks a window, pauses or resumes, and after a reload's new layout.
//
// Everything read is checked against the dashboard the server sent: an unknown chart, a window
// the chart does not offer, an over-long name or value, or a paused value other than 1 is
// ignored and counted in window.livegraph.ignored (ignoredBy["url parameter"]), and dropped
// from the address at the first write.

import { windowsOf } from './keyed.js';
import { getParam, params, setParam } from './urlstate.js';

const WINDOW_PREFIX = 'w.';
const MAX_LENGTH = 100; // chart and window ids are short slugs; a longer one is not ours
const MAX_WINDOW_PARAMS = 100; // the page shows at most 100 charts

/** The window a keyed chart shows when nobody picked one (what keyed.js falls back to). */
function defaultWindow(chart) {
  const ids = windowsOf(chart).map((w) => w.id);
  return ids.includes(chart.defaultWindow) ? chart.defaultWindow : ids[0] ?? null;
}

export class ViewUrl {
  /**
   * page: the DashboardPage (its hooks.windows, chartDescriptions(), ignored(reason));
   * pause: the PauseControl. Call before the page gets its first hello.
   */
  constructor(page, pause) {
    this.page = page;
    this.pause = pause;
    this.laidOut = false;
    this.asked = this.readWindows(); // [chartId, windowId] the link asked for
    const paused = getParam('paused');
    this.pauseOnSnapshot = paused === '1';
    if (paused !== null && paused !== '1') this.ignore();
    pause.onChange(() => {
      this.pauseOnSnapshot = false; // the user's own pause or resume wins over the link's
      this.write();
    });
    // A window pick is a change event bubbling up from a panel's selector; keyed.js has
    // already stored the choice in hooks.windows by then.
    page.board.addEventListener('change', () => this.write());
  }

  /**
   * Puts the asked windows where the keyed charts' selectors look when they are built
   * (hooks.windows), so the first draw already shows them; the selectors keep only the ones
   * they offer.
   */
  readWindows() {
    const asked = [];
    for (const [name, value] of params()) {
      if (!name.startsWith(WINDOW_PREFIX)) continue;
      const id = name.slice(WINDOW_PREFIX.length);
      if (id === '' || id.length > MAX_LENGTH || value.length > MAX_LENGTH || asked.length >= MAX_WINDOW_PARAMS) {
        this.ignore();
      } else {
        asked.push([id, value]);
        this.page.hooks.windows[id] = value;
      }
    }
    return asked;
  }

  /** After every layout: the first checks what the link asked for; each writes the address. */
  layout(charts) {
    if (!this.laidOut) {
      this.laidOut = true;
      const windows = this.page.hooks.windows;
      for (const [id, value] of this.asked) {
        const chart = charts.find((c) => c.id === id);
        const offered = chart ? windowsOf(chart) : [];
        if (!offered.some((w) => w.id === value) || windows[id] !== value) {
          this.ignore();
          // A chart without windows has no selector to put it right.
          if (chart && offered.length === 0) delete windows[id];
        }
      }
    }
    this.write();
  }

  /** After states were applied: a link opened paused freezes once the first snapshot is in. */
  charts(replaceAll) {
    if (this.pauseOnSnapshot && replaceAll && this.laidOut) {
      this.pauseOnSnapshot = false;
      this.pause.pause();
    }
  }

  /** The address from the current view; nothing before the first layout (no charts to check against). */
  write() {
    if (!this.laidOut) return;
    const wanted = new Map();
    const windows = this.page.hooks.windows;
    for (const chart of this.page.chartDescriptions()) {
      const shown = windows[chart.id];
      if (typeof shown === 'string' && shown !== defaultWindow(chart)) wanted.set(WINDOW_PREFIX + chart.id, shown);
    }
    for (const name of new Set(params().keys())) {
      if (name.startsWith(WINDOW_PREFIX) && !wanted.has(name)) setParam(name, null);
    }
    for (const [name, value] of wanted) setParam(name, value);
    setParam('paused', this.pause.paused || this.pauseOnSnapshot ? '1' : null);
  }

  ignore() {
    this.page.ignored('url parameter');
  }
}
