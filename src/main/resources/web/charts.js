// The chart kinds this page draws, by the "kind" hello gives each chart. A renderer owns what
// it puts in its panel and draws the chart's latest state into it; Plotly charts go through
// plot.js (newPlot once, then react with a constant uirevision, so zoom and pan survive).
//
// createRenderer(chart, ctx) with ctx = { body, tools, windows, redraw, now }:
//   body    the panel's content element;  tools  the panel header's control area
//   windows the page's selected-window map by chart id (keyed charts read and write it)
//   redraw  asks for this chart to be drawn again on the next frame
//   now     the time the page shows, epoch ms (a snapshot's capture time)
// returns { draw(state) }, where state may be anything: renderers draw garbage as empty.

import { createBarRenderer, createPieRenderer, createTableRenderer } from './keyed.js';
import { createTimeseriesRenderer, createHeatmapRenderer } from './timeseries.js';
import { createNumberRenderer } from './number.js';
import { createHistogramRenderer } from './histogram.js';
import { createListRenderer } from './list.js';

function createUnknownRenderer(chart, ctx) {
  const p = document.createElement('p');
  p.id = `chart-${chart.id}`;
  p.className = 'panel-note';
  p.textContent = `This page cannot draw charts of kind "${String(chart.kind)}".`;
  ctx.body.appendChild(p);
  return { draw() {} };
}

const RENDERERS = {
  bar: createBarRenderer,
  pie: createPieRenderer,
  table: createTableRenderer,
  line: (chart, ctx) => createTimeseriesRenderer(chart, ctx),
  area: (chart, ctx) => createTimeseriesRenderer(chart, ctx, { area: true }),
  // What servers before chart kinds called a line chart.
  timeseries: (chart, ctx) => createTimeseriesRenderer(chart, ctx),
  heatmap: createHeatmapRenderer,
  number: createNumberRenderer,
  histogram: createHistogramRenderer,
  list: (chart, ctx) => createListRenderer(chart, ctx.body, ctx.now),
};

/** Whether this page has a renderer for kind. */
export function knownKind(kind) {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(RENDERERS, kind);
}

/** Creates the renderer for chart.kind; an unknown kind gets a note saying so. */
export function createRenderer(chart, ctx) {
  return knownKind(chart.kind) ? RENDERERS[chart.kind](chart, ctx) : createUnknownRenderer(chart, ctx);
}
