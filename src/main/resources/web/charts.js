// Chart renderers, one per chart kind. Each renderer owns one element inside its panel and
// draws a chart's latest state into it: Plotly.newPlot on the first draw, Plotly.react
// afterwards. A constant layout.uirevision tells Plotly to keep the user's zoom and pan
// across updates; layout.datarevision changes on every draw so react always repaints.

import { createListRenderer } from './list.js';

const UI_REVISION = 'livegraph';
const PLOT_CONFIG = {
  displaylogo: false,
  responsive: true,
  // The default "send data to Chart Studio" button would post the data to another site.
  showSendToCloud: false,
  showEditInChartStudio: false,
  modeBarButtonsToRemove: ['select2d', 'lasso2d', 'toImage'],
};
const FONT = { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', size: 12, color: '#1f2933' };
const BAR_COLOR = '#2f6db5';
const SERIES_COLORS = ['#1f2933', '#2f6db5', '#d9822b', '#2e9d6b', '#b83f6a', '#7a5bc2', '#0f9aa8', '#a3892b'];

function baseLayout() {
  return {
    uirevision: UI_REVISION,
    autosize: true,
    margin: { l: 48, r: 12, t: 8, b: 8 },
    font: FONT,
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    modebar: { bgcolor: 'rgba(255,255,255,0.85)', color: '#8a94a3', activecolor: '#2f6db5' },
    showlegend: false,
  };
}

/** Draws through Plotly: newPlot once, react after that. */
function plotlyDrawer(div) {
  let plotted = false;
  let revision = 0;
  return (data, layout) => {
    layout.datarevision = ++revision;
    if (plotted) {
      window.Plotly.react(div, data, layout, PLOT_CONFIG);
    } else {
      window.Plotly.newPlot(div, data, layout, PLOT_CONFIG);
      plotted = true;
    }
  };
}

function plotDiv(container, chart) {
  const div = document.createElement('div');
  div.id = `chart-${chart.id}`;
  div.className = 'plot';
  container.appendChild(div);
  return div;
}

function array(value) {
  return Array.isArray(value) ? value : [];
}

/** Bar chart of one window: categories in the order the server sorted them. */
function createBarRenderer(chart, container) {
  const div = plotDiv(container, chart);
  const note = document.createElement('p');
  note.className = 'panel-note';
  container.appendChild(note);
  const draw = plotlyDrawer(div);
  return {
    draw(state, selectedWindow) {
      const windows = (state && state.windows) || {};
      const shown = windows[selectedWindow] || windows[chart.defaultWindow] || {};
      const x = array(shown.x).map(String);
      const y = array(shown.y);
      const layout = baseLayout();
      layout.margin.b = 40;
      layout.xaxis = { type: 'category', categoryorder: 'trace', tickangle: -40, automargin: true, fixedrange: false };
      layout.yaxis = { rangemode: 'tozero', gridcolor: '#e4e7eb', automargin: true };
      layout.bargap = 0.2;
      draw([{
        type: 'bar',
        x,
        y,
        marker: { color: BAR_COLOR },
        hovertemplate: '%{x}: %{y}<extra></extra>',
      }], layout);
      const overflow = state && Number(state.overflow) > 0 ? Number(state.overflow) : 0;
      note.textContent = overflow > 0 ? `${overflow.toLocaleString()} more not shown` : '';
    },
  };
}

/** One line per series over time buckets start + i * step; "total" first and thicker. */
function createTimeseriesRenderer(chart, container) {
  const div = plotDiv(container, chart);
  const draw = plotlyDrawer(div);
  return {
    draw(state) {
      const start = Number(state && state.start);
      const step = Number(state && state.step);
      const series = array(state && state.series).slice();
      // The server sends "total" first; keep that guarantee even if it didn't.
      series.sort((a, b) => (b && b.name === 'total') - (a && a.name === 'total'));
      const traces = series.map((s, i) => {
        const values = array(s && s.values);
        const total = s && s.name === 'total';
        return {
          type: 'scatter',
          mode: 'lines',
          name: String(s && s.name),
          x: values.map((_, j) => new Date(start + j * step)),
          y: values,
          line: { width: total ? 3 : 1.5, color: SERIES_COLORS[i % SERIES_COLORS.length], shape: 'linear' },
          hovertemplate: '%{y}<extra>%{fullData.name}</extra>',
        };
      });
      const layout = baseLayout();
      layout.showlegend = traces.length > 1;
      layout.legend = { orientation: 'h', y: -0.15, x: 0 };
      layout.margin.b = 40;
      layout.xaxis = { type: 'date', gridcolor: '#e4e7eb', automargin: true };
      layout.yaxis = { rangemode: 'tozero', gridcolor: '#e4e7eb', automargin: true };
      layout.hovermode = 'x unified';
      draw(traces, layout);
    },
  };
}

function createUnknownRenderer(chart, container) {
  const p = document.createElement('p');
  p.id = `chart-${chart.id}`;
  p.className = 'panel-note';
  p.textContent = `This page cannot draw charts of kind "${String(chart.kind)}".`;
  container.appendChild(p);
  return { draw() {} };
}

const RENDERERS = {
  bar: createBarRenderer,
  timeseries: createTimeseriesRenderer,
  list: createListRenderer,
};

/** Creates the renderer for chart.kind inside container; returns { draw(state, windowId) }. */
export function createRenderer(chart, container) {
  const make = Object.prototype.hasOwnProperty.call(RENDERERS, chart.kind) ? RENDERERS[chart.kind] : createUnknownRenderer;
  return make(chart, container);
}
