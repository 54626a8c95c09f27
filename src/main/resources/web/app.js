// livegraph page: wires the socket (connection.js) to the chart renderers (charts.js) through
// a once-per-frame draw scheduler (scheduler.js), plus the status bar (status.js) and the
// banner for a rejected dashboard edit. No build step, no network access beyond this origin.
//
// Protocol (JSON text frames on the socket beside the page, see PROTOCOL.md):
//   server -> page: hello        {dashboard:{name, title, charts:[{id,title,kind,…}]}, source}
//                                 builds the layout; a later hello with another dashboard
//                                 (a reload) rebuilds it, and the snapshot after it fills it
//                   snapshot     {seq, charts:{id: state}}   replaces every chart
//                   delta        {seq, charts:{id: state}}   full state of each changed chart
//                   status       {source:{state,detail,events,eventsPerSecond,skipped,dropped}, viewers}
//                   error        {message}
//                   config-error {message|null}   a rejected dashboard edit; null clears it
//   page -> server: resume {seq}   after a gap; reconnects use ws?resume=<seq> instead.
//
// Test hooks (read by the browser tests; keep them small):
//   window.livegraph = {
//     seq,         // last applied frame seq, null before the first snapshot
//     connection,  // "connecting" | "live" | "reconnecting"
//     redraws,     // number of chart draws so far (one per dirty chart per animation frame)
//     layouts,     // number of times the panels were built from a hello
//     hello,       // the last hello message
//     charts,      // latest state by chart id
//     windows,     // selected window id by keyed chart id
//     configError, // the shown config-error message, or null
//     ignored,     // incoming messages ignored as malformed or unknown, in all
//     ignoredBy,   // the same by reason
//     drawErrors,  // chart draws that threw (the other charts still drew)
//   }
//   DOM: #chart-<id> is each chart's Plotly div, <table> (table), box (number, with
//   .number-value and a #spark-<id> Plotly div) or <ul> (list); #window-<id> is the window
//   selector of a keyed chart with two or more windows;
//   #config-error with #config-error-message; #status with
//   #status-connection, -feed, -rate, -viewers, -upstream, -message.

import { Connection } from './connection.js';
import { createRenderer } from './charts.js';
import { refreshRelativeTimes } from './list.js';
import { DrawScheduler } from './scheduler.js';
import { StatusBar } from './status.js';

const hooks = {
  seq: null,
  connection: 'connecting',
  redraws: 0,
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
window.livegraph = hooks;

const MAX_CHARTS = 100; // bounded layout, whatever a hello says

const board = document.getElementById('dashboard');
const banner = document.getElementById('config-error');
const bannerMessage = document.getElementById('config-error-message');
const status = new StatusBar();

let renderers = new Map(); // chart id -> { draw(state) }
let layoutKey = null; // the dashboard JSON the current panels were built from

function ignored(reason) {
  hooks.ignored++;
  hooks.ignoredBy[reason] = (hooks.ignoredBy[reason] || 0) + 1;
}

const scheduler = new DrawScheduler((id) => {
  const renderer = renderers.get(id);
  if (!renderer) return;
  try {
    renderer.draw(hooks.charts[id]);
  } finally {
    hooks.redraws++;
  }
}, { onError: () => hooks.drawErrors++ });

function markAll() {
  for (const id of renderers.keys()) scheduler.mark(id);
}

/** The charts of a hello worth a panel: objects with a string id, first of each id. */
function chartsOf(dashboard) {
  const seen = new Set();
  const charts = [];
  for (const chart of Array.isArray(dashboard && dashboard.charts) ? dashboard.charts : []) {
    if (chart === null || typeof chart !== 'object' || typeof chart.id !== 'string' || chart.id === '') {
      ignored('chart without an id');
    } else if (seen.has(chart.id)) {
      ignored('duplicate chart id');
    } else if (charts.length >= MAX_CHARTS) {
      ignored('too many charts');
    } else {
      seen.add(chart.id);
      charts.push(chart);
    }
  }
  return charts;
}

/** One panel per chart, in hello order; the chart's kind picks its renderer. */
function buildLayout(dashboard) {
  const charts = chartsOf(dashboard);
  const title = dashboard.title ? String(dashboard.title) : 'livegraph';
  document.title = title;
  document.getElementById('title').textContent = title;
  for (const id of Object.keys(hooks.windows)) {
    if (!charts.some((c) => c.id === id)) delete hooks.windows[id];
  }
  // The panels' Plotly divs go with their panels; purge frees Plotly's listeners first.
  if (window.Plotly) for (const div of board.querySelectorAll('.js-plotly-plot')) window.Plotly.purge(div);
  renderers = new Map();
  hooks.charts = Object.create(null);
  board.replaceChildren();
  for (const chart of charts) {
    const panel = document.createElement('section');
    panel.className = `panel panel-${String(chart.kind)}`;
    const head = document.createElement('div');
    head.className = 'panel-head';
    const h2 = document.createElement('h2');
    h2.textContent = chart.title ? String(chart.title) : chart.id;
    const tools = document.createElement('div');
    tools.className = 'panel-tools';
    head.append(h2, tools);
    const body = document.createElement('div');
    body.className = 'panel-body';
    panel.append(head, body);
    board.appendChild(panel);
    const ctx = { body, tools, windows: hooks.windows, redraw: () => scheduler.mark(chart.id) };
    renderers.set(chart.id, createRenderer(chart, ctx));
  }
  hooks.layouts++;
  board.setAttribute('aria-busy', 'false');
}

function showConfigError(message) {
  hooks.configError = message;
  banner.hidden = message === null;
  bannerMessage.textContent = message === null ? '' : message;
}

const connection = new Connection({
  onHello(msg) {
    hooks.hello = msg;
    status.showSource(msg.source);
    showConfigError(null);
    const key = JSON.stringify(msg.dashboard);
    // A reconnect to the same dashboard keeps the panels (and the user's zoom); a reload with
    // another dashboard rebuilds them, and the snapshot that follows fills them.
    if (key !== layoutKey) {
      layoutKey = key;
      buildLayout(msg.dashboard);
    }
    markAll();
  },
  onCharts(charts, replaceAll) {
    if (replaceAll) hooks.charts = Object.create(null);
    for (const [id, state] of Object.entries(charts)) hooks.charts[id] = state;
    hooks.seq = connection.lastSeq;
    if (replaceAll) markAll();
    else for (const id of Object.keys(charts)) scheduler.mark(id);
  },
  onStatus(msg) {
    status.showStatus(msg);
  },
  onError(message) {
    status.showError(message);
  },
  onConfigError(message) {
    showConfigError(message);
  },
  onIgnored: ignored,
  onState(state, retryAt) {
    hooks.connection = state;
    status.showConnection(state, retryAt);
    // A fresh connection clears a stale server error, but not a missing chart library.
    if (state === 'live' && !plotlyMissing) status.showError(null);
  },
});

setInterval(() => {
  if (!document.hidden) refreshRelativeTimes(board);
}, 5000);

const plotlyMissing = typeof window.Plotly === 'undefined';
if (plotlyMissing) {
  status.showError('the chart library (vendor/plotly-cartesian-4.1.1.min.js) did not load');
}
connection.start();
