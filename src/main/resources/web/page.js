// The dashboard page without its data source: the panels built from a hello, the chart
// renderers, the once-per-frame draw scheduler, the status bar and the config-error banner,
// and the test hooks. Three pages feed it: the live page (app.js, the server's socket), the
// exported page (the upstream feed through the in-browser engine) and a static snapshot.
//
// Test hooks (read by the browser tests; keep them small):
//   window.livegraph = {
//     seq,         // last applied frame seq, null before the first snapshot
//     connection,  // "connecting" | "live" | "reconnecting" (a snapshot page: "snapshot")
//     redraws,     // number of chart draws so far (one per dirty chart per animation frame)
//     redrawsBy,   // the same by chart id
//     layouts,     // number of times the panels were built from a hello
//     hello,       // the last hello message
//     charts,      // latest state by chart id
//     windows,     // selected window id by keyed chart id
//     configError, // the shown config-error message, or null
//     ignored,     // incoming messages ignored as malformed or unknown, in all
//     ignoredBy,   // the same by reason
//     drawErrors,  // chart draws that threw (the other charts still drew)
//     paused, behind  // added by pause.js on the live page
//     snapshot,    // on a snapshot page only: {capturedAt, url} (snapshot.js)
//   }
//   DOM: #chart-<id> is each chart's Plotly div, <table> (table), box (number, with
//   .number-value and a #spark-<id> Plotly div) or <ul> (list); #window-<id> is the window
//   selector of a keyed chart with two or more windows; #panel-<id> the chart's panel and
//   .panel-tools its header's control area, with #png-<id> and #csv-<id> (chartfiles.js);
//   #config-error with #config-error-message;
//   #status with #status-connection, -feed, -rate, -viewers, -upstream, -message.

import { createRenderer } from './charts.js';
import { refreshRelativeTimes } from './list.js';
import { DrawScheduler } from './scheduler.js';
import { StatusBar } from './status.js';

const MAX_CHARTS = 100; // bounded layout, whatever a hello says

/**
 * The page's state and drawing. Feed it with hello(msg), charts(states, replaceAll, seq),
 * status(msg), connectionState(state, retryAt), error(message), configError(message) and
 * ignored(reason).
 *
 * Listeners (all optional) let features plug in without editing this file:
 *   onLayout(charts, panels)  after the panels were built; panels: Map id -> {panel, tools, body}
 *   onCharts(ids, replaceAll) after states were applied (ids: the charts that changed)
 *   stateOf(id)               the state to draw for a chart (default: the latest); a paused
 *                             view answers from its frozen copy
 *   frozen()                  true while what is drawn is held still (paused): applied states
 *                             are kept but do not mark their charts for drawing
 *
 * now() is the time the page shows ("5 min ago" in a list, download file names); a snapshot
 * passes its capture time and refreshTimes: false, so nothing on it ticks.
 */
export class DashboardPage {
  constructor({ doc = document, listeners = {}, now = () => Date.now(), refreshTimes = true } = {}) {
    this.doc = doc;
    this.listeners = listeners;
    this.now = now;
    this.hooks = {
      seq: null,
      connection: 'connecting',
      redraws: 0,
      redrawsBy: Object.create(null),
      layouts: 0,
      hello: null,
      // Keyed by ids from the server: no prototype, so an id like "__proto__" is just a key.
      charts: Object.create(null),
      windows: Object.create(null),
      configError: null,
      ignored: 0,
      ignoredBy: Object.create(null),
      drawErrors: 0,
    };
    window.livegraph = this.hooks;
    this.board = doc.getElementById('dashboard');
    this.banner = doc.getElementById('config-error');
    this.bannerMessage = doc.getElementById('config-error-message');
    this.statusBar = new StatusBar();
    this.renderers = new Map(); // chart id -> { draw(state) }
    this.panels = new Map(); // chart id -> { panel, tools, body }
    this.layoutKey = null; // the dashboard JSON the current panels were built from
    this.stateOf = listeners.stateOf || ((id) => this.hooks.charts[id]);
    this.scheduler = new DrawScheduler((id) => this.drawOne(id), { doc, onError: () => this.hooks.drawErrors++ });
    this.plotlyMissing = typeof window.Plotly === 'undefined';
    if (this.plotlyMissing) this.statusBar.showError('the chart library (Plotly) did not load');
    if (refreshTimes) {
      setInterval(() => {
        if (!doc.hidden) refreshRelativeTimes(this.board);
      }, 5000);
    }
  }

  drawOne(id) {
    const renderer = this.renderers.get(id);
    if (!renderer) return;
    try {
      return renderer.draw(this.stateOf(id)); // a fast Plotly update's promise of its cost
    } finally {
      this.hooks.redraws++;
      this.hooks.redrawsBy[id] = (this.hooks.redrawsBy[id] || 0) + 1;
    }
  }

  ignored(reason) {
    this.hooks.ignored++;
    this.hooks.ignoredBy[reason] = (this.hooks.ignoredBy[reason] || 0) + 1;
  }

  /** Asks for every chart to be drawn on the next frame. */
  markAll() {
    for (const id of this.renderers.keys()) this.scheduler.mark(id);
  }

  /** The chart descriptions of the current hello, in panel order. */
  chartDescriptions() {
    return this.descriptions || [];
  }

  /** The charts of a hello worth a panel: objects with a string id, first of each id. */
  chartsOf(dashboard) {
    const seen = new Set();
    const charts = [];
    for (const chart of Array.isArray(dashboard && dashboard.charts) ? dashboard.charts : []) {
      if (chart === null || typeof chart !== 'object' || typeof chart.id !== 'string' || chart.id === '') {
        this.ignored('chart without an id');
      } else if (seen.has(chart.id)) {
        this.ignored('duplicate chart id');
      } else if (charts.length >= MAX_CHARTS) {
        this.ignored('too many charts');
      } else {
        seen.add(chart.id);
        charts.push(chart);
      }
    }
    return charts;
  }

  /** One panel per chart, in hello order; the chart's kind picks its renderer. */
  buildLayout(dashboard) {
    const charts = this.chartsOf(dashboard);
    const hooks = this.hooks;
    const title = dashboard.title ? String(dashboard.title) : 'livegraph';
    this.doc.title = title;
    this.doc.getElementById('title').textContent = title;
    for (const id of Object.keys(hooks.windows)) {
      if (!charts.some((c) => c.id === id)) delete hooks.windows[id];
    }
    // The panels' Plotly divs go with their panels; purge frees Plotly's listeners first.
    if (window.Plotly) for (const div of this.board.querySelectorAll('.js-plotly-plot')) window.Plotly.purge(div);
    this.scheduler.forget(this.renderers.keys());
    this.renderers = new Map();
    this.panels = new Map();
    hooks.charts = Object.create(null);
    this.board.replaceChildren();
    for (const chart of charts) {
      const panel = this.doc.createElement('section');
      panel.className = `panel panel-${String(chart.kind)}`;
      panel.id = `panel-${chart.id}`;
      const head = this.doc.createElement('div');
      head.className = 'panel-head';
      const h2 = this.doc.createElement('h2');
      h2.textContent = chart.title ? String(chart.title) : chart.id;
      const tools = this.doc.createElement('div');
      tools.className = 'panel-tools';
      head.append(h2, tools);
      const body = this.doc.createElement('div');
      body.className = 'panel-body';
      panel.append(head, body);
      this.board.appendChild(panel);
      const ctx = { body, tools, windows: hooks.windows, redraw: () => this.scheduler.mark(chart.id), now: this.now };
      this.renderers.set(chart.id, createRenderer(chart, ctx));
      this.panels.set(chart.id, { panel, tools, body, chart });
    }
    this.descriptions = charts;
    hooks.layouts++;
    this.board.setAttribute('aria-busy', 'false');
    if (this.listeners.onLayout) this.listeners.onLayout(charts, this.panels);
  }

  hello(msg) {
    this.hooks.hello = msg;
    this.statusBar.showSource(msg.source);
    this.configError(null);
    const key = JSON.stringify(msg.dashboard);
    // A reconnect to the same dashboard keeps the panels (and the user's zoom); a reload with
    // another dashboard rebuilds them, and the snapshot that follows fills them.
    if (key !== this.layoutKey) {
      this.layoutKey = key;
      this.buildLayout(msg.dashboard);
    }
    this.markAll();
  }

  /** Applies chart states: all of them (a snapshot, replaceAll) or the changed ones. */
  charts(states, replaceAll, seq) {
    const hooks = this.hooks;
    if (replaceAll) hooks.charts = Object.create(null);
    for (const [id, state] of Object.entries(states)) hooks.charts[id] = state;
    if (seq !== undefined) hooks.seq = seq;
    const ids = Object.keys(states);
    // A frozen (paused) view would only draw the same states again.
    const drawn = !(this.listeners.frozen && this.listeners.frozen());
    if (drawn && replaceAll) this.markAll();
    else if (drawn) for (const id of ids) this.scheduler.mark(id);
    if (this.listeners.onCharts) this.listeners.onCharts(ids, replaceAll);
  }

  status(msg) {
    this.statusBar.showStatus(msg);
  }

  error(message) {
    this.statusBar.showError(message);
  }

  configError(message) {
    this.hooks.configError = message;
    this.banner.hidden = message === null;
    this.bannerMessage.textContent = message === null ? '' : message;
  }

  connectionState(state, retryAt, reason = null) {
    this.hooks.connection = state;
    this.statusBar.showConnection(state, retryAt, reason);
    // A fresh connection clears a stale error, but not a missing chart library.
    if (state === 'live' && !this.plotlyMissing) this.statusBar.showError(null);
  }
}
