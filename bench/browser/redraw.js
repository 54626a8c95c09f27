// The redraw micro-benchmark (BENCHMARKS.md, "Browser", "Redraw path"): main-thread CPU of one
// update of a Plotly chart like the dashboard's, by how it is handed to Plotly, in Debian's
// headless Chromium with the vendored bundle. 30 bars (the communities chart) and 6 lines of 360
// buckets (the activity chart); each update changes every value; 40 updates per variant, two
// animation frames after each, CDP Performance.getMetrics TaskDuration with threadTicks, minus
// the same 40 frames with no update.
//   node bench/browser/redraw.js [variant…]     (default: all; run bench/browser.sh once first,
//                                                it installs playwright-core here)
// variants: bar-react, bar-restyle, bar-animate, line-react, line-animate (animate: redraw false,
// no transition time, as plot.js's fast update).
'use strict';
const path = require('path');
const fs = require('fs');
const { chromium } = require('playwright-core');

const PLOTLY = path.join(__dirname, '../../src/main/resources/web/vendor/plotly-cartesian-4.1.1.min.js');
const ALL = ['bar-react', 'bar-restyle', 'bar-animate', 'line-react', 'line-animate'];

// Runs in the page.
const VARIANTS = `
const raf = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
let i = 0;
function barData(n) {
  const x = []; const y = [];
  for (let k = 0; k < 30; k++) { x.push('site' + k + 'overflow'); y.push(1000 - k * 20 + ((n * 7 + k) % 13)); }
  return { x, y };
}
function barLayout() {
  return { uirevision: 'x', autosize: true, margin: { l: 48, r: 12, t: 8, b: 40 }, showlegend: false,
    xaxis: { type: 'category', categoryorder: 'trace', tickangle: -40, automargin: true },
    yaxis: { rangemode: 'tozero', gridcolor: '#e4e7eb', automargin: true }, bargap: 0.2 };
}
function barTrace(n) { const d = barData(n); return { type: 'bar', x: d.x, y: d.y, customdata: d.y.map(String), marker: { color: d.x.map(() => '#2f6db5') }, hovertemplate: '%{x}: %{customdata}<extra></extra>' }; }
const T0 = Date.now() - 3600e3;
function lineTraces(n) {
  const out = [];
  for (let s = 0; s < 6; s++) {
    const x = []; const y = [];
    for (let k = 0; k < 360; k++) { x.push(new Date(T0 + (k + Math.floor(n / 10)) * 10000)); y.push(s === 0 ? 50 + ((k * 13 + n) % 17) : 5 + ((k * s + n) % 7)); }
    out.push({ type: 'scatter', mode: 'lines', name: 's' + s, x, y, customdata: y.map(String), connectgaps: false, line: { width: s ? 1.5 : 3 }, hovertemplate: '%{customdata}<extra>%{fullData.name}</extra>' });
  }
  return out;
}
function lineLayout() {
  return { uirevision: 'x', autosize: true, margin: { l: 48, r: 12, t: 8, b: 40 }, showlegend: true, legend: { orientation: 'h', y: -0.15, x: 0 },
    xaxis: { type: 'date', automargin: true }, yaxis: { rangemode: 'tozero', automargin: true }, hovermode: 'x unified' };
}
const gd = () => document.getElementById('a');
window.setup = (v) => {
  Plotly.purge(gd()); i = 0;
  if (v.startsWith('bar')) Plotly.newPlot(gd(), [barTrace(0)], barLayout(), { responsive: true });
  else if (v.startsWith('line')) Plotly.newPlot(gd(), lineTraces(0), lineLayout(), { responsive: true });
};
function step(v) {
  i++;
  switch (v) {
    case 'bar-react': { const l = barLayout(); l.datarevision = i; Plotly.react(gd(), [barTrace(i)], l); break; }
    case 'bar-restyle': Plotly.restyle(gd(), { y: [barData(i).y] }, [0]); break;
    case 'bar-animate': Plotly.animate(gd(), { data: [{ y: barData(i).y }], traces: [0] }, { transition: { duration: 0 }, frame: { duration: 0, redraw: false }, mode: 'immediate' }); break;
    case 'line-react': { const l = lineLayout(); l.datarevision = i; Plotly.react(gd(), lineTraces(i), l); break; }
    case 'line-animate': { const t = lineTraces(i); Plotly.animate(gd(), { data: t.map((d) => ({ x: d.x, y: d.y })), traces: t.map((_, k) => k) }, { transition: { duration: 0 }, frame: { duration: 0, redraw: false }, mode: 'immediate' }); break; }
    default: break;
  }
}
window.run = async (v, n) => { for (let k = 0; k < n; k++) { step(v); await raf(); } };
`;

(async () => {
  const variants = process.argv.length > 2 ? process.argv.slice(2) : ALL;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.setContent('<html><body><div id="a" style="width:600px;height:350px"></div></body></html>');
    await page.addScriptTag({ content: fs.readFileSync(PLOTLY, 'utf8') });
    await page.addScriptTag({ content: VARIANTS });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const task = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
    const n = 40;
    console.log(`redraw.js: ${require('os').loadavg().map((l) => l.toFixed(1)).join(' ')} (load average)`);
    for (const v of variants) {
      await page.evaluate((name) => window.setup(name), v);
      await page.evaluate((name) => window.run(name, 5), v); // warm-up
      const t0 = await task();
      await page.evaluate(([name, count]) => window.run(name, count), [v, n]);
      const t1 = await task();
      await page.evaluate((count) => window.run('idle', count), n);
      const t2 = await task();
      const per = ((t1 - t0) - (t2 - t1)) * 1000 / n;
      console.log(`${v.padEnd(14)} ${per.toFixed(2)} ms/update (frames alone ${((t2 - t1) * 1000 / n).toFixed(2)})`);
    }
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
