// The exported live page (livegraph export): the dashboard page (page.js) fed by the
// in-browser engine, which is the server's own loader, decoder and pipeline compiled to
// JavaScript, reading the dashboard's feeds straight from the browser (upstream.js). No server:
// the page is one file, and its Content-Security-Policy lets it connect to the feeds only.
//
// The data block #livegraph-dashboard holds {fileName, yaml, feeds: {source: url}}: the
// dashboard file's text (loaded and checked by the engine, exactly as the server loads it) and
// the URLs `export --feed` put in place of the file's.
//
// Beside page.js's hooks, window.livegraph has:
//   upstream = { state, connects, heartbeatsAnswered, frames, history, sources: {name: {…}} }
//              state: "connecting" | "live" | "reconnecting" over all sources; the counts are
//              sums over the sources; history the latest page connection states, oldest first
//   cspViolations: ["directive blocked-uri", …]  what the page's CSP refused (should stay empty)
//   engineError: the message when the engine could not load the dashboard, else null
//   engineErrors: engine.tick calls that threw

import { addChartFiles } from '../chartfiles.js';
import { DashboardPage } from '../page.js';
import { PauseControl, pauseControls } from '../pause.js';
import { ViewUrl } from '../viewurl.js';
import { hostOf, upstreamFor } from './upstream.js';

const TICK_MS = 100; // as the server's delta ticker
const STATUS_MS = 1000; // as the server's status message
const RATE_SAMPLES = 10; // status reports the event rate is averaged over (StatusReport)
const HISTORY = 20;
const MAX_VIOLATIONS = 50;

function parse(value) {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function readData() {
  const block = document.getElementById('livegraph-dashboard');
  const data = block ? JSON.parse(block.textContent) : null;
  if (!data || typeof data.yaml !== 'string') throw new Error('the page has no dashboard in it');
  return { yaml: data.yaml, fileName: String(data.fileName || 'dashboard.yaml'), feeds: data.feeds || {} };
}

/** The page's one connection state over every source: live when all are, else the worst. */
function overall(upstreams) {
  const states = upstreams.map((u) => u.hooks);
  if (states.length > 0 && states.every((h) => h.state === 'live')) return { state: 'live', retryAt: null };
  const waiting = states.filter((h) => h.state === 'reconnecting');
  if (waiting.length > 0) {
    const times = waiting.map((h) => h.retryAt).filter((t) => Number.isFinite(t));
    return { state: 'reconnecting', retryAt: times.length ? Math.min(...times) : null };
  }
  return { state: 'connecting', retryAt: null };
}

/** Once a second: the server's status message, made from the engine's counters. */
class StatusSource {
  constructor(engine, upstreams) {
    this.engine = engine;
    this.upstreams = upstreams;
    this.samples = []; // [time, events], the last RATE_SAMPLES + 1 reports
  }

  message(now) {
    let counters = {};
    try {
      counters = parse(this.engine.counters()) || {};
    } catch (e) {
      counters = {};
    }
    const events = Number.isFinite(counters.events) ? counters.events : 0;
    this.samples.push([now, events]);
    if (this.samples.length > RATE_SAMPLES + 1) this.samples.shift();
    const [t0, e0] = this.samples[0];
    const rate = now > t0 ? ((events - e0) * 1000) / (now - t0) : 0;
    let skipped = 0;
    for (const n of Object.values(counters.skipped || {})) if (Number.isFinite(n)) skipped += n;
    for (const u of this.upstreams) skipped += u.hooks.binary;
    const hooks = this.upstreams.map((u) => u.hooks);
    const detail = hooks.length === 1 ? hooks[0].detail : hooks.map((h) => `${h.name}: ${h.detail}`).join('; ');
    return {
      type: 'status',
      source: {
        state: overall(this.upstreams).state,
        detail,
        events,
        eventsPerSecond: Math.round(rate * 10) / 10,
        skipped,
        dropped: Number.isFinite(counters.dropped) ? counters.dropped : 0,
      },
      time: now,
    };
  }
}

function start() {
  // Pause, the windows a link carries, and per-chart PNG and CSV work as on the server's page.
  const pause = new PauseControl({ live: () => page.hooks.charts, redrawAll: () => page.markAll() });
  const page = new DashboardPage({
    listeners: {
      stateOf: (id) => pause.stateOf(id),
      frozen: () => pause.paused,
      onCharts: (ids, replaceAll) => {
        pause.updated();
        view.charts(replaceAll);
      },
      onLayout: (charts, panels) => {
        pause.layoutRebuilt();
        view.layout(charts);
        addChartFiles(page, panels);
      },
    },
  });
  pauseControls(pause, page.hooks);
  const view = new ViewUrl(page, pause);
  const hooks = window.livegraph;
  hooks.cspViolations = [];
  hooks.engineError = null;
  document.addEventListener('securitypolicyviolation', (e) => {
    if (hooks.cspViolations.length < MAX_VIOLATIONS) hooks.cspViolations.push(`${e.effectiveDirective} ${e.blockedURI}`);
  });

  const engine = window.livegraphEngine;
  let data;
  let dashboard;
  let sources;
  try {
    if (!engine) throw new Error('the in-browser engine did not load');
    data = readData();
    dashboard = parse(engine.open(data.yaml, data.fileName, Date.now()));
    sources = parse(engine.sources());
  } catch (e) {
    hooks.engineError = e && e.message ? String(e.message) : String(e);
    page.error(hooks.engineError);
    return;
  }

  const refused = sources.filter((s) => s.browser === false || (s.kind !== 'websocket' && s.kind !== 'sse'));
  for (const s of refused) page.error(`source "${s.name}" (${s.kind}) cannot be reached from a browser`);
  const history = [];
  let shown = null;
  const upstreams = [];
  const onChange = () => {
    const now = overall(upstreams);
    if (shown !== null && now.state === shown.state && now.retryAt === shown.retryAt) return;
    shown = now;
    history.push(now.state);
    if (history.length > HISTORY) history.shift();
    page.connectionState(now.state, now.retryAt);
  };
  for (const s of sources) {
    if (refused.includes(s)) continue;
    const url = typeof data.feeds[s.name] === 'string' ? data.feeds[s.name] : s.url;
    upstreams.push(upstreamFor({ ...s, url }, { engine, onChange }));
  }
  const sum = (field) => upstreams.reduce((n, u) => n + u.hooks[field], 0);
  hooks.upstream = {
    get state() {
      return overall(upstreams).state;
    },
    get connects() {
      return sum('connects');
    },
    get heartbeatsAnswered() {
      return sum('heartbeatsAnswered');
    },
    get frames() {
      return sum('frames');
    },
    history,
    sources: Object.fromEntries(upstreams.map((u) => [u.hooks.name, u.hooks])),
  };

  const hosts = [...new Set(upstreams.map((u) => hostOf(u.source.url)))].join(', ');
  page.hello({
    type: 'hello',
    dashboard,
    source: { description: `exported page · live from ${hosts}`, mode: 'live', url: upstreams.length ? upstreams[0].source.url : '' },
  });
  let seq = 0;
  page.charts(parse(engine.snapshot()), true, seq);
  onChange();

  hooks.engineErrors = 0;
  setInterval(() => {
    let changed;
    try {
      changed = parse(engine.tick(Date.now()));
    } catch (e) {
      // Shown once, counted always: a broken tick must not flood the console ten times a second.
      if (hooks.engineErrors++ === 0) page.error(`the engine failed: ${e && e.message ? e.message : e}`);
      return;
    }
    if (changed && Object.keys(changed).length > 0) page.charts(changed, false, ++seq);
  }, TICK_MS);
  const status = new StatusSource(engine, upstreams);
  const report = () => page.status(status.message(Date.now()));
  setInterval(report, STATUS_MS);
  for (const u of upstreams) u.start();
  report();
}

start();
