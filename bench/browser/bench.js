#!/usr/bin/env node
// The browser benchmark (BENCHMARKS.md, "Browser"): the livegraph page and a reference page that
// does what the 2016 page did, each on its own StackExchange emulator with the same seed and
// rate, after an hour of history, in Debian's headless Chromium driven over CDP.
//
//   node bench.js --jar target/livegraph-all.jar [--rates 20,200,10000] [--runs 3]
//       [--warmup 2] [--measure 8] [--history 1h] [--history-rate 5] [--history-burst 2000] [--pages livegraph,reference]
//       [--out target/bench/browser] [--smoke]
//
// Per run, rate and page: a fresh emulator (`livegraph emulate --history`), for the livegraph
// page a fresh `livegraph serve` of the built-in StackExchange dashboard pointed at it with
// `time: lastActivityDate`, and a fresh Chromium with a fresh --user-data-dir. Pages alternate
// order from run to run. Measured over --measure seconds after the history is in and --warmup
// seconds more: CDP Performance.getMetrics deltas (thread CPU time, timeDomain threadTicks),
// long tasks (PerformanceObserver), JS heap sampled each second, updates applied and charts drawn.
// Writes OUT.json and OUT.md and prints the table; exits 1 if a run failed.
'use strict';

const { chromium } = require('playwright-core');
const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run'];
const PLOTLY = path.join(ROOT, 'src/main/resources/web/vendor/plotly-cartesian-4.1.1.min.js');
const DASHBOARD = path.join(ROOT, 'src/main/resources/dashboards/stackexchange.yaml');

function parseArgs(argv) {
  const o = {
    jar: path.join(ROOT, 'target/livegraph-all.jar'), rates: [20, 200, 10000], runs: 3, warmup: 2,
    measure: 8, history: '1h', historyRate: 5, historyBurst: 2000, pages: ['livegraph', 'reference'],
    out: path.join(ROOT, 'target/bench/browser'), smoke: false, label: '',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    const number = (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${a}: not a positive number: ${v}`);
      return n;
    };
    switch (a) {
      case '--jar': o.jar = next(); break;
      case '--rates': o.rates = next().split(',').map(number); break;
      case '--runs': o.runs = number(next()); break;
      case '--warmup': o.warmup = number(next()); break;
      case '--measure': o.measure = number(next()); break;
      case '--history': o.history = next(); break;
      case '--history-rate': o.historyRate = number(next()); break;
      case '--history-burst': o.historyBurst = number(next()); break;
      case '--pages': o.pages = next().split(','); break;
      case '--out': o.out = next(); break;
      case '--label': o.label = next(); break;
      case '--profile': o.profile = true; break;
      case '--before-jar': o.beforeJar = next(); break;
      case '--smoke':
        Object.assign(o, { smoke: true, rates: [20], runs: 1, warmup: 1, measure: 3, history: '1m' });
        break;
      default: throw new Error(`unknown argument ${a}`);
    }
  }
  // --before-jar: the livegraph page of another build too (page "before"), measured in the same
  // runs, for the before/after of a change.
  if (o.beforeJar && !o.pages.includes('before')) o.pages.splice(1, 0, 'before');
  for (const p of o.pages) if (!['livegraph', 'reference', 'before'].includes(p)) throw new Error(`unknown page ${p}`);
  if (o.pages.includes('before') && !o.beforeJar) throw new Error('page "before" needs --before-jar');
  if (!/^\d+[smh]$/.test(o.history)) throw new Error(`--history: not a duration like 1h or 10m: ${o.history}`);
  return o;
}

function seconds(duration) {
  const n = Number(duration.slice(0, -1));
  return n * { s: 1, m: 60, h: 3600 }[duration.slice(-1)];
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A page evaluation that gives up after ms (a saturated page may answer very late). */
function within(ms, what, promise) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// The emulators and servers running now, stopped if the bench is interrupted.
const running = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const p of running) p.kill('SIGTERM');
    process.exit(130);
  });
}

/** Starts a process and resolves with {proc, match} when a stdout line matches pattern. */
function start(name, cmd, args, pattern, logDir, timeoutMs = 120000) {
  const log = fs.createWriteStream(path.join(logDir, `${name}.log`));
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  proc.stderr.pipe(log);
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${name} printed no ${pattern} in ${timeoutMs} ms (log: ${logDir}/${name}.log)`));
    }, timeoutMs);
    proc.stdout.on('data', (chunk) => {
      log.write(chunk);
      buffered += chunk;
      const m = buffered.match(pattern);
      if (m) {
        clearTimeout(timer);
        buffered = '';
        proc.stdout.removeAllListeners('data');
        proc.stdout.pipe(log);
        resolve({ proc, match: m });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready (log: ${logDir}/${name}.log)`));
    });
  });
}

async function stop(proc) {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Serves the reference page and the vendored Plotly bundle on loopback. */
function referenceServer() {
  const files = {
    '/reference.html': [path.join(__dirname, 'reference.html'), 'text/html; charset=utf-8'],
    '/plotly.js': [PLOTLY, 'text/javascript; charset=utf-8'],
  };
  const server = http.createServer((req, res) => {
    const file = files[new URL(req.url, 'http://x').pathname];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file[1] });
    fs.createReadStream(file[0]).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The built-in StackExchange dashboard on the given feed, with each event's own time. */
function dashboardFile(dir, feedUrl) {
  const yaml = fs.readFileSync(DASHBOARD, 'utf8');
  const pointed = yaml.replace('url: wss://qa.sockets.stackexchange.com/', `url: ${feedUrl}`)
    .replace(/^(\s+)payload: \/data.*$/m, '$&\n$1time: lastActivityDate   # bench: events carry their own time');
  if (pointed === yaml || !pointed.includes('time: lastActivityDate')) {
    throw new Error(`${DASHBOARD} changed: the bench cannot point it at the emulator`);
  }
  const file = path.join(dir, 'stackexchange.yaml');
  fs.writeFileSync(file, pointed);
  return file;
}

// Installed before any page script: long tasks from the start, read by the measurement.
const INIT_SCRIPT = `
  window.__bench = { longtasks: {} };
  try {
    new PerformanceObserver((list) => {
      // Keyed by start time: an entry delivered twice (buffered and live) counts once.
      for (const e of list.getEntries()) window.__bench.longtasks[e.startTime] = e.duration;
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { window.__bench.noLongtasks = String(e); }
`;

// What each page counts: updates applied (livegraph: delta frames, by seq; reference: feed
// messages) and chart draws.
const COUNTERS = {
  livegraph: `(() => { const h = window.livegraph || {}; return { updates: h.seq || 0, draws: h.redraws || 0 }; })()`,
  reference: `(() => { const r = window.ref || {}; return { updates: r.live || 0, draws: r.draws || 0, frames: r.frames || 0 }; })()`,
};

async function metrics(cdp) {
  const { metrics: list } = await within(60000, 'Performance.getMetrics', cdp.send('Performance.getMetrics'));
  const m = {};
  for (const { name, value } of list) m[name] = value;
  return m;
}

/** Answers the evaluation, or null when the page does not answer in ms (saturated). */
async function ask(tab, expression, ms) {
  try {
    return await within(ms, 'evaluate', tab.evaluate(expression));
  } catch (e) {
    if (/no answer/.test(e.message)) return null;
    throw e;
  }
}

/** CPU ms used so far by the browser's renderer processes (asked of the browser process). */
async function rendererCpuMs(browserCdp) {
  const { processInfo } = await browserCdp.send('SystemInfo.getProcessInfo');
  return processInfo.filter((p) => p.type === 'renderer').reduce((sum, p) => sum + p.cpuTime * 1000, 0);
}

async function measurePage(o, kind, url, historyCount, logDir) {
  // launch() gives each browser a fresh temporary --user-data-dir, removed on close.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const browserCdp = await browser.newBrowserCDPSession();
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const tab = await context.newPage();
    const errors = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    await tab.addInitScript(INIT_SCRIPT);
    await tab.goto(url, { timeout: 180000 }); // Plotly alone takes seconds to run on a busy machine
    // The history must be in before anything is measured: the reference page has counted every
    // backlog frame; the livegraph page's "Activity over time" total over the past hour holds
    // at least 90% of them (its hour slides on while the backlog arrives). Polled with evaluate
    // (CDP Runtime.evaluate), which the livegraph page's CSP (no eval) does not block, unlike
    // waitForFunction with a string. A page that stops answering (the reference page drawing
    // far more than it can) is "saturated": it is given the backlog's sending time, and what
    // only it can tell (updates, long tasks) is left out of its result.
    const counters = COUNTERS[kind] || COUNTERS.livegraph;
    const ready = kind === 'reference'
      ? `window.ref && window.ref.history >= ${historyCount} && window.ref.draws > 0`
      : `(() => { const a = window.livegraph && window.livegraph.charts && window.livegraph.charts.activity;
           const t = a && Array.isArray(a.series) ? a.series.find((s) => s.name === 'total') : null;
           return !!t && t.values.reduce((s, v) => s + (v || 0), 0) >= ${Math.floor(historyCount * 0.9)}
             && window.livegraph.redraws > 0; })()`;
    const historyStarted = Date.now();
    const backlogMs = (historyCount / o.historyBurst) * 1000;
    const deadline = historyStarted + 120000 + 3 * backlogMs;
    let saturated = false;
    for (;;) {
      const answer = await ask(tab, ready, 10000);
      if (answer === true) break;
      if (answer === null && kind === 'reference' && Date.now() - historyStarted > backlogMs + 5000) {
        saturated = true;
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(`the history did not arrive: ${JSON.stringify(await ask(tab, counters, 10000))}`);
      }
      await sleep(500);
    }
    const historySeconds = (Date.now() - historyStarted) / 1000;
    await sleep(o.warmup * 1000);

    const cdp = await context.newCDPSession(tab);
    // threadTicks: durations are the renderer main thread's CPU time, not wall time, so other
    // work on the shared cores does not inflate them.
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const metricsOrNull = async () => {
      try {
        return await metrics(cdp);
      } catch (e) {
        if (!/no answer/.test(e.message)) throw e;
        saturated = true;
        return null;
      }
    };
    if (o.profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    const t0 = await ask(tab, 'performance.now()', 10000);
    const c0 = await ask(tab, counters, 10000);
    const m0 = await metricsOrNull();
    const cpu0 = await rendererCpuMs(browserCdp);
    const wall0 = Date.now();
    const heap = m0 ? [m0.JSHeapUsedSize] : [];
    while (Date.now() - wall0 < o.measure * 1000) {
      await sleep(Math.min(1000, o.measure * 1000 - (Date.now() - wall0)));
      if (!saturated) {
        const m = await metricsOrNull();
        if (m) heap.push(m.JSHeapUsedSize);
      }
    }
    const cpu1 = await rendererCpuMs(browserCdp);
    const m1 = m0 ? await metricsOrNull() : null;
    const wall = (Date.now() - wall0) / 1000;
    const c1 = await ask(tab, counters, 10000);
    const t1 = await ask(tab, 'performance.now()', 10000);
    let profileTop = null;
    if (o.profile && !saturated) {
      const { profile } = await cdp.send('Profiler.stop');
      const file = path.join(logDir, `${kind}-${Date.now()}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(profile));
      profileTop = topFunctions(profile, 25);
      process.stderr.write(`  profile ${file}\n${profileTop.map((t) => `    ${t}`).join('\n')}\n`);
    }
    // A page that did not answer a reading in time is saturated too.
    if (t0 === null || t1 === null || c0 === null || c1 === null) saturated = true;
    const entries = t0 !== null && t1 !== null ? await ask(tab, 'window.__bench.longtasks', 10000) : null;
    const longtasks = entries === null ? null : Object.entries(entries)
      .map(([st, du]) => [Number(st), du]).filter(([st]) => st >= t0 && st <= t1).map(([, du]) => du);
    const d = (k) => (m0 && m1 ? ((m1[k] || 0) - (m0[k] || 0)) * 1000 / wall : null);
    const counted = c0 !== null && c1 !== null;
    const updates = counted ? c1.updates - c0.updates : null;
    const task = d('TaskDuration');
    const result = {
      page: kind, wallSeconds: wall, historySeconds, saturated,
      rendererCpuMsPerSecond: (cpu1 - cpu0) / wall,
      taskMsPerSecond: task,
      scriptMsPerSecond: d('ScriptDuration'),
      layoutMsPerSecond: d('LayoutDuration'),
      recalcStyleMsPerSecond: d('RecalcStyleDuration'),
      updatesPerSecond: counted ? updates / wall : null,
      drawsPerSecond: counted ? (c1.draws - c0.draws) / wall : null,
      taskMsPerUpdate: task !== null && updates > 0 ? (task * wall) / updates : null,
      longTasks: longtasks ? longtasks.length : null,
      longTaskMaxMs: longtasks ? (longtasks.length ? Math.max(...longtasks) : 0) : null,
      longTaskTotalMs: longtasks ? longtasks.reduce((sum, x) => sum + x, 0) : null,
      // Long tasks are those starting between the two page clock readings around the measured
      // period, which on a busy machine can be seconds longer than it.
      longTaskWindowSeconds: t0 !== null && t1 !== null ? (t1 - t0) / 1000 : null,
      heapStartMB: heap.length ? heap[0] / 1e6 : null,
      heapEndMB: heap.length ? heap[heap.length - 1] / 1e6 : null,
      heapMaxMB: heap.length ? Math.max(...heap) / 1e6 : null,
      pageErrors: errors.slice(0, 5),
      profileTop,
    };
    if (kind === 'reference') result.framesPerSecond = counted ? (c1.frames - c0.frames) / wall : null;
    return result;
  } finally {
    await browser.close().catch(() => {});
  }
}

async function oneRun(o, kind, rate, run, refServer, logDir) {
  const name = `${kind}-${rate}-${run}`;
  const historyCount = Math.round(seconds(o.history) * o.historyRate);
  const procs = [];
  try {
    const emulator = await start(`${name}-emulator`, 'java',
      ['-jar', o.jar, 'emulate', '--port', '0', '--rate', String(rate), '--seed', '1', '--history', o.history,
        '--history-rate', String(o.historyRate), '--history-burst', String(o.historyBurst)],
      /emulator on (ws:\/\/\S+)/, logDir);
    procs.push(emulator.proc);
    const feed = emulator.match[1];
    let url;
    if (kind !== 'reference') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lg-bench-dash-'));
      const serve = await start(`${name}-serve`, 'java',
        ['-jar', kind === 'before' ? o.beforeJar : o.jar, 'serve', '--port', '0', dashboardFile(dir, feed)], /serving (http:\/\/\S+)/, logDir);
      procs.push(serve.proc);
      url = `${serve.match[1].replace(/\/$/, '')}/d/stackexchange/`;
    } else {
      url = `http://127.0.0.1:${refServer.address().port}/reference.html?history=${historyCount}&feed=${encodeURIComponent(feed)}`;
    }
    const result = await measurePage(o, kind, url, historyCount, logDir);
    return { rate, run, ...result };
  } finally {
    for (const p of procs.reverse()) await stop(p);
  }
}

/** Self time by function (and its file:line), the top n, from a CDP CPU profile. */
function topFunctions(profile, n) {
  const self = new Map();
  const total = profile.samples.length || 1;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) || 0) + 1);
  for (const [id, c] of counts) {
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    self.set(key, (self.get(key) || 0) + c);
  }
  const byFile = new Map();
  for (const [k, c] of self) {
    const file = k.split(' ').pop().split(':')[0] || '(native)';
    byFile.set(file, (byFile.get(file) || 0) + c);
  }
  const top = (m, limit) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit)
    .map(([k, c]) => `${((100 * c) / total).toFixed(1)}% ${k}`);
  return [...top(byFile, 8).map((l) => `file ${l}`), ...top(self, n)];
}

function median(values) {
  const v = values.filter((x) => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

const FIELDS = ['rendererCpuMsPerSecond', 'taskMsPerSecond', 'scriptMsPerSecond', 'layoutMsPerSecond', 'recalcStyleMsPerSecond',
  'updatesPerSecond', 'drawsPerSecond', 'taskMsPerUpdate', 'longTasks', 'longTaskMaxMs', 'longTaskTotalMs',
  'heapStartMB', 'heapEndMB', 'heapMaxMB', 'framesPerSecond'];

function table(cells) {
  const f = (x, digits = 1) => (x === null || x === undefined ? '—' : x.toFixed(digits));
  const lines = [
    '| page | events/s | renderer CPU ms/s | main thread ms/s | script | layout | style | updates/s | draws/s | ms/update | long tasks | max ms | total ms | heap MB start/end/max | runs (saturated) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const c of cells) {
    const m = c.median;
    lines.push(`| ${c.page} | ${c.rate} | ${f(m.rendererCpuMsPerSecond)} | ${f(m.taskMsPerSecond)} | ${f(m.scriptMsPerSecond)} | ${f(m.layoutMsPerSecond)} | `
      + `${f(m.recalcStyleMsPerSecond)} | ${f(m.updatesPerSecond)} | ${f(m.drawsPerSecond)} | ${f(m.taskMsPerUpdate, 2)} | `
      + `${f(m.longTasks, 0)} | ${f(m.longTaskMaxMs, 0)} | ${f(m.longTaskTotalMs, 0)} | `
      + `${f(m.heapStartMB)}/${f(m.heapEndMB)}/${f(m.heapMaxMB)} | ${c.runs.length} (${c.runs.filter((r) => r.saturated).length}) |`);
  }
  return lines.join('\n');
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(o.jar)) throw new Error(`no ${o.jar}: build it first (bench/browser.sh does)`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no ${CHROMIUM}`);
  fs.mkdirSync(path.dirname(o.out), { recursive: true });
  const logDir = `${o.out}-logs`;
  fs.mkdirSync(logDir, { recursive: true });
  const refServer = await referenceServer();
  const results = [];
  const loads = [os.loadavg()[0]];
  const failures = [];
  try {
    // Rate by rate, all its runs before the next: a sweep cut short still has medians.
    for (const rate of o.rates) {
      for (let run = 1; run <= o.runs; run++) {
        // Alternate which page goes first, so neither always runs on a warmer or busier machine.
        const pages = run % 2 ? o.pages : [...o.pages].reverse();
        for (const kind of pages) {
          process.stderr.write(`browser bench: run ${run}/${o.runs}, ${rate} events/s, ${kind} (load ${os.loadavg()[0].toFixed(1)})\n`);
          try {
            const r = await oneRun(o, kind, rate, run, refServer, logDir);
            results.push(r);
            process.stderr.write(`  ${JSON.stringify(Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'profileTop')
              .map(([k, v]) => [k, typeof v === 'number' ? Math.round(v * 100) / 100 : v])))}\n`);
          } catch (e) {
            failures.push(`${kind} ${rate}/s run ${run}: ${e.message}`);
            process.stderr.write(`  FAILED: ${e.stack}\n`);
          }
          loads.push(os.loadavg()[0]);
        }
      }
    }
  } finally {
    refServer.close();
  }
  const cells = [];
  for (const rate of o.rates) {
    for (const kind of o.pages) {
      const runs = results.filter((r) => r.page === kind && r.rate === rate);
      if (runs.length === 0) continue;
      const med = {};
      for (const k of FIELDS) med[k] = median(runs.map((r) => (r[k] === undefined ? null : r[k])));
      cells.push({ page: kind, rate, median: med, runs });
    }
  }
  const report = {
    label: o.label, date: new Date().toISOString(), settings: { ...o, jar: path.relative(ROOT, o.jar) },
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0].model, memGB: os.totalmem() / 2 ** 30, kernel: os.release() },
    loadAverage1m: { min: Math.min(...loads), median: median(loads), max: Math.max(...loads) },
    chromium: null, cells, failures,
  };
  const md = table(cells);
  fs.writeFileSync(`${o.out}.json`, JSON.stringify(report, null, 2));
  fs.writeFileSync(`${o.out}.md`, `${md}\n`);
  process.stdout.write(`${md}\n\nload average (1 min) min/median/max: ${report.loadAverage1m.min.toFixed(1)}/`
    + `${report.loadAverage1m.median.toFixed(1)}/${report.loadAverage1m.max.toFixed(1)}\n${o.out}.json\n`);
  // The smoke proves the tool works: every run finished and each page applied updates.
  const dead = results.filter((r) => !r.saturated && (!(r.updatesPerSecond > 0) || !(r.taskMsPerSecond > 0)));
  if (failures.length || dead.length || results.length === 0) {
    for (const f of failures) process.stderr.write(`browser bench: failed: ${f}\n`);
    for (const r of dead) process.stderr.write(`browser bench: ${r.page} ${r.rate}/s run ${r.run} applied no update\n`);
    process.exit(1);
  }
}

main().catch((e) => {
  process.stderr.write(`browser bench: ${e.stack || e}\n`);
  process.exit(1);
});
