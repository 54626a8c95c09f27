// Charts over time buckets start + i * step: line, area (stacked fill) and heatmap.
//
// line/area: {"start":MS,"step":MS,"series":[{"name":"total","values":[…]},{"name":KEY,…}…]}
// heatmap:   {"start":MS,"step":MS,"keys":[…],"z":[[per bucket…] per key]}
// A null value is a bucket without a value: a gap in the line, a hole in the heatmap.

import { formatValue, numbers, strings } from './format.js';
import { GRID, SERIES_COLORS, baseLayout, bucketTimes, fillRuns, plotDiv, plotlyDrawer, plotlyText, translucent, valueRange } from './plot.js';

const MAX_SERIES = 50;
const MAX_ROWS = 500;

/**
 * Whether values of this measure add up across keys (count, sum, rate): only those are
 * stacked, because a stack of averages or percentiles would draw a total that means nothing.
 * Charts from servers that send no measure count events.
 */
export function additive(measure) {
  return measure == null || /^\s*(count|rate|sum)\b/.test(String(measure));
}

function seriesOf(state) {
  const series = Array.isArray(state && state.series) ? state.series.slice(0, MAX_SERIES) : [];
  const clean = series
    .filter((s) => s !== null && typeof s === 'object')
    .map((s) => ({ name: s.name == null ? '' : String(s.name), values: numbers(s.values) }));
  // The server sends "total" first; keep that guarantee even if it didn't.
  clean.sort((a, b) => (b.name === 'total') - (a.name === 'total'));
  return clean;
}

function timeLayout(showLegend) {
  const layout = baseLayout();
  layout.showlegend = showLegend;
  layout.legend = { orientation: 'h', y: -0.15, x: 0 };
  layout.margin.b = 40;
  layout.xaxis = { type: 'date', gridcolor: GRID, automargin: true };
  layout.yaxis = { rangemode: 'tozero', gridcolor: GRID, automargin: true };
  layout.hovermode = 'x unified';
  return layout;
}

/**
 * One line per series, "total" first and thicker. With area, the keys of an additive measure
 * are stacked and "total" is a line over them; otherwise every series is filled to zero run by
 * run (see fillRuns), so a bucket without a value stays empty.
 */
export function createTimeseriesRenderer(chart, ctx, { area = false } = {}) {
  const div = plotDiv(ctx.body, chart);
  // Lines: new values and a slid window are a fast update (plot.js). Areas always react: their
  // fill runs and stacks change shape with the values.
  const draw = plotlyDrawer(div, undefined, { live: area ? [] : ['x', 'y', 'customdata'] });
  const stack = area && additive(chart.measure);
  return {
    draw(state) {
      const series = seriesOf(state);
      const length = Math.max(0, ...series.map((s) => s.values.length));
      const x = bucketTimes(state, length) ?? [];
      const alone = series.length === 1;
      const fills = [];
      const traces = series.map((s, i) => {
        const total = s.name === 'total';
        const color = SERIES_COLORS[i % SERIES_COLORS.length];
        const trace = {
          type: 'scatter',
          mode: 'lines',
          name: plotlyText(s.name), // legend and hover read markup: shown as text
          x: x.slice(0, s.values.length),
          y: s.values,
          customdata: s.values.map(formatValue),
          connectgaps: false,
          line: { width: total ? 3 : 1.5, color, shape: 'linear' },
          hovertemplate: '%{customdata}<extra>%{fullData.name}</extra>',
        };
        if (area && stack && !alone && !total) {
          trace.stackgroup = 'keys';
          trace.line.width = 1.5;
        } else if (area && (!stack || alone)) {
          fills.push(...fillRuns(trace.x, s.values, trace.name, translucent(color, alone ? 0.25 : 0.12)));
        }
        return trace;
      });
      const layout = timeLayout(traces.length > 1);
      if (!area) {
        // Explicit ranges (what autorange would give, the value axis rounded out) let an
        // update that only moves values or slides the window skip react's re-layout.
        const range = valueRange(series.map((s) => s.values));
        if (range !== null) layout.yaxis.range = range;
        if (x.length > 1) layout.xaxis.range = [x[0].getTime(), x[x.length - 1].getTime()];
      }
      // Fills first, so every line is drawn over them.
      return draw([...fills, ...traces], layout);
    },
  };
}

/** Keys down, time across, colour for the value; a null cell is left empty. */
export function createHeatmapRenderer(chart, ctx) {
  const div = plotDiv(ctx.body, chart);
  const draw = plotlyDrawer(div);
  return {
    draw(state) {
      const keys = strings(state && state.keys).slice(0, MAX_ROWS);
      const rows = Array.isArray(state && state.z) ? state.z.slice(0, keys.length).map(numbers) : [];
      while (rows.length < keys.length) rows.push([]);
      const length = Math.max(0, ...rows.map((r) => r.length));
      const z = rows.map((r) => {
        const row = r.slice();
        while (row.length < length) row.push(null);
        return row;
      });
      const x = bucketTimes(state, length) ?? [];
      const layout = baseLayout();
      layout.margin.b = 40;
      layout.xaxis = { type: 'date', automargin: true, showgrid: false };
      // Keys top to bottom in the server's order (biggest first).
      layout.yaxis = { type: 'category', autorange: 'reversed', automargin: true, showgrid: false };
      draw([{
        type: 'heatmap',
        x,
        y: keys.map(plotlyText), // tick and hover text read markup: shown as text
        z,
        customdata: z.map((row) => row.map(formatValue)),
        hoverongaps: false,
        colorscale: [[0, '#eef3fa'], [0.5, '#6f9bd1'], [1, '#173f75']],
        colorbar: { thickness: 10, outlinewidth: 0 },
        hovertemplate: '%{y}<br>%{x}: %{customdata}<extra></extra>',
      }], layout);
    },
  };
}
