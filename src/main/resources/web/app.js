// livegraph page: wires the socket (connection.js) to the chart renderers (charts.js,
// list.js) through a once-per-frame draw scheduler (scheduler.js), plus the status bar
// (status.js). No build step, no network access beyond this origin.
//
// Protocol (JSON text frames on /ws):
//   server -> page: hello {dashboard:{title, charts:[{id,title,kind,windows?,defaultWindow?,fields?}]}, source}
//                   snapshot {seq, charts:{id: state}}   replaces every chart
//                   delta    {seq, charts:{id: state}}   full state of each changed chart
//                   status   {source:{state,detail,events,eventsPerSecond,skipped,dropped}, viewers}
//                   error    {message}
//   page -> server: resume {seq}   after a gap; reconnects use /ws?resume=<seq> instead.
//
// Test hooks (read by the Selenium tests; keep them small):
//   window.livegraph = {
//     seq,         // last applied frame seq, null before the first snapshot
//     connection,  // "connecting" | "live" | "reconnecting"
//     redraws,     // number of chart draws so far (one per dirty chart per animation frame)
//     hello,       // the last hello message
//     charts,      // latest state by chart id
//     window,      // selected window id of the bar charts
//   }
//   DOM: #chart-<id> is each chart's Plotly div (bar, timeseries) or <ul> (list, one <li>
//   per item); #status with #status-connection, -feed, -rate, -viewers, -upstream,
//   -message; <select id="window">.

import { Connection } from './connection.js';
import { createRenderer } from './charts.js';
import { refreshRelativeTimes } from './list.js';
import { DrawScheduler } from './scheduler.js';
import { StatusBar } from './status.js';

const hooks = {
  seq: null,
  connection: 'connecting',
  redraws: 0,
  hello: null,
  charts: {},
  window: null,
};
window.livegraph = hooks;

const board = document.getElementById('dashboard');
const picker = document.getElementById('window-picker');
const select = document.getElementById('window');
const status = new StatusBar();

let renderers = new Map(); // chart id -> { draw(state, windowId) }
let layoutKey = null; // the dashboard JSON the current panels were built from

const scheduler = new DrawScheduler((id) => {
  const renderer = renderers.get(id);
  if (!renderer) return;
  renderer.draw(hooks.charts[id], hooks.window);
  hooks.redraws++;
});

function markAll() {
  for (const id of renderers.keys()) scheduler.mark(id);
}

function chartsOf(dashboard) {
  return Array.isArray(dashboard && dashboard.charts)
    ? dashboard.charts.filter((c) => c && typeof c.id === 'string' && c.id !== '')
    : [];
}

/** Fills the window selector with every bar window (in hello order, labels from hello). */
function buildWindowPicker(charts) {
  const bars = charts.filter((c) => c.kind === 'bar' && Array.isArray(c.windows));
  const options = new Map();
  for (const chart of bars) {
    for (const w of chart.windows) {
      if (w && typeof w.id === 'string' && !options.has(w.id)) options.set(w.id, w.label ? String(w.label) : w.id);
    }
  }
  select.replaceChildren(...[...options].map(([id, label]) => new Option(label, id)));
  picker.hidden = options.size === 0;
  const keep = hooks.window !== null && options.has(hooks.window);
  const preferred = bars.map((c) => c.defaultWindow).find((w) => options.has(w));
  hooks.window = keep ? hooks.window : preferred ?? (options.size ? options.keys().next().value : null);
  if (hooks.window !== null) select.value = hooks.window;
}

/** One panel per chart, in hello order; the chart's kind picks its renderer. */
function buildLayout(dashboard) {
  const charts = chartsOf(dashboard);
  const title = dashboard && dashboard.title ? String(dashboard.title) : 'livegraph';
  document.title = title;
  document.getElementById('title').textContent = title;
  buildWindowPicker(charts);
  renderers = new Map();
  board.replaceChildren();
  for (const chart of charts) {
    const panel = document.createElement('section');
    panel.className = `panel panel-${String(chart.kind)}`;
    const h2 = document.createElement('h2');
    h2.textContent = chart.title ? String(chart.title) : chart.id;
    const body = document.createElement('div');
    body.className = 'panel-body';
    panel.append(h2, body);
    board.appendChild(panel);
    renderers.set(chart.id, createRenderer(chart, body));
  }
  board.setAttribute('aria-busy', 'false');
}

const connection = new Connection({
  onHello(msg) {
    hooks.hello = msg;
    status.showSource(msg.source);
    const key = JSON.stringify(msg.dashboard ?? null);
    // A reconnect to the same dashboard keeps the panels (and the user's zoom).
    if (key !== layoutKey) {
      layoutKey = key;
      buildLayout(msg.dashboard);
    }
    markAll();
  },
  onCharts(charts, replaceAll) {
    if (replaceAll) hooks.charts = {};
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
  onState(state, retryAt) {
    hooks.connection = state;
    status.showConnection(state, retryAt);
    // A fresh connection clears a stale server error, but not a missing chart library.
    if (state === 'live' && !plotlyMissing) status.showError(null);
  },
});

select.addEventListener('change', () => {
  hooks.window = select.value;
  for (const chart of chartsOf(hooks.hello && hooks.hello.dashboard)) {
    if (chart.kind === 'bar') scheduler.mark(chart.id);
  }
});

setInterval(() => {
  if (!document.hidden) refreshRelativeTimes(board);
}, 5000);

const plotlyMissing = typeof window.Plotly === 'undefined';
if (plotlyMissing) {
  status.showError('the chart library (vendor/plotly-cartesian-4.1.1.min.js) did not load');
}
connection.start();
