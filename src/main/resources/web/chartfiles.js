// Per-chart downloads: a PNG button on each Plotly chart (Plotly's own image export, at the
// chart's size on screen) and a CSV button on every chart of a kind csv.js knows (the data the
// page holds for it, in the selected window). Added to each panel's header by an onLayout
// listener, so every page built on DashboardPage (live, snapshot, exported) can have them:
//
//   const page = new DashboardPage({ listeners: { onLayout: (charts, panels) => addChartFiles(page, panels) } });
//
// The number chart gets no PNG: its Plotly part is only the sparkline, without the value.
// Files are named <dashboard>-<chart>-<yyyymmdd-hhmmss>.png|csv at page.now() in local time.

import { chartCsv, csvKind, fileName } from './csv.js';

const PNG_KINDS = new Set(['bar', 'pie', 'line', 'area', 'timeseries', 'heatmap', 'histogram']);

function button(id, text, label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.id = id;
  b.className = 'tool-button';
  b.textContent = text;
  b.title = label;
  b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

function dashboardName(page) {
  const hello = page.hooks.hello;
  return hello && hello.dashboard ? hello.dashboard.name : null;
}

/** Saves text as a file through a temporary object URL (no request: it is the page's own data). */
function saveText(text, name, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // The download has taken the blob by the time a user could click again; free it later.
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

function downloadCsv(page, chart) {
  const csv = chartCsv(chart, page.stateOf(chart.id), page.hooks.windows[chart.id]);
  if (csv === null) return;
  saveText(csv, fileName(dashboardName(page), chart.id, page.now(), 'csv'), 'text/csv;charset=utf-8');
}

function downloadPng(page, chart, body) {
  const div = body.querySelector('.js-plotly-plot');
  if (!div || !window.Plotly) return; // not drawn yet
  // Plotly adds the extension itself.
  window.Plotly.downloadImage(div, { format: 'png', filename: fileName(dashboardName(page), chart.id, page.now(), '') })
    .catch((e) => page.error(`the PNG of "${chart.id}" could not be made: ${e && e.message ? e.message : e}`));
}

/** Adds PNG and CSV buttons to each panel (panels: Map id -> {tools, body, chart}). */
export function addChartFiles(page, panels) {
  for (const [id, { tools, body, chart }] of panels) {
    const title = chart.title ? String(chart.title) : id;
    if (PNG_KINDS.has(chart.kind)) {
      tools.appendChild(button(`png-${id}`, 'PNG', `Download "${title}" as a PNG image`, () => downloadPng(page, chart, body)));
    }
    if (csvKind(chart.kind)) {
      tools.appendChild(button(`csv-${id}`, 'CSV', `Download the data of "${title}" as CSV`, () => downloadCsv(page, chart)));
    }
  }
}
