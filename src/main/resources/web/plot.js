// What every Plotly chart shares: the draw-once-then-react drawer, a base layout with a
// constant uirevision (Plotly keeps the user's zoom and pan across updates while it stays the
// same), the modebar config, and the palette.

export const UI_REVISION = 'livegraph';
export const PLOT_CONFIG = {
  displaylogo: false,
  responsive: true,
  // The default "send data to Chart Studio" button would post the data to another site.
  showSendToCloud: false,
  showEditInChartStudio: false,
  modeBarButtonsToRemove: ['select2d', 'lasso2d', 'toImage'],
};
/** Sparklines: a picture, no zoom, no modebar. */
export const STATIC_CONFIG = { staticPlot: true, responsive: true, displayModeBar: false };

export const FONT = { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', size: 12, color: '#1f2933' };
export const ACCENT = '#2f6db5';
export const OTHER_COLOR = '#9aa5b1';
export const GRID = '#e4e7eb';
export const SERIES_COLORS = ['#1f2933', '#2f6db5', '#d9822b', '#2e9d6b', '#b83f6a', '#7a5bc2', '#0f9aa8', '#a3892b'];
export const SLICE_COLORS = ['#2f6db5', '#d9822b', '#2e9d6b', '#b83f6a', '#7a5bc2', '#0f9aa8', '#a3892b', '#5f6b7a'];

export function baseLayout() {
  return {
    uirevision: UI_REVISION,
    autosize: true,
    margin: { l: 48, r: 12, t: 8, b: 8 },
    font: FONT,
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    modebar: { bgcolor: 'rgba(255,255,255,0.85)', color: '#8a94a3', activecolor: ACCENT },
    showlegend: false,
  };
}

/**
 * Text for Plotly to show as it is. Plotly reads the text of ticks, legends and hover labels
 * as its own small markup (<b>, <a href>, <br>, entities), so a key such as "<b>x</b>" would
 * become bold and "&lt;" a "<": every character of that markup is written as an entity, which
 * Plotly turns back into exactly that character, as text. Feed text goes through this before
 * it reaches Plotly.
 */
export function plotlyText(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Draws through Plotly into div: newPlot once, react after that, and nothing when data and
 * layout are the same as last drawn. Any change of data makes Plotly.react recalculate and
 * redraw the whole plot (15-30 ms on a busy two-core machine, BENCHMARKS.md "Browser"); the
 * comparison (JSON of what would be drawn) costs a small fraction of that.
 */
export function plotlyDrawer(div, config = PLOT_CONFIG) {
  let plotted = false;
  let revision = 0;
  let drawn = null; // JSON of the data and layout last handed to Plotly
  return (data, layout) => {
    const key = JSON.stringify([data, layout]);
    if (plotted && key === drawn && div.isConnected) return;
    drawn = key;
    // A new datarevision tells react the data changed.
    layout.datarevision = ++revision;
    if (plotted) {
      window.Plotly.react(div, data, layout, config);
    } else {
      window.Plotly.newPlot(div, data, layout, config);
      plotted = true;
    }
  };
}

/** A Plotly div with id chart-<id> appended to container. */
export function plotDiv(container, chart, className = 'plot') {
  const div = document.createElement('div');
  div.id = `chart-${chart.id}`;
  div.className = className;
  container.appendChild(div);
  return div;
}

/** A small muted line of text under a chart. */
export function note(container, className = '') {
  const p = document.createElement('p');
  p.className = `panel-note ${className}`.trim();
  container.appendChild(p);
  return p;
}

/** Bucket start times start + i * step as Dates, or null when start/step are unusable. */
export function bucketTimes(state, count) {
  const start = state && state.start;
  const step = state && state.step;
  if (!Number.isFinite(start) || !Number.isFinite(step) || step <= 0) return null;
  const times = new Array(count);
  for (let i = 0; i < count; i++) times[i] = new Date(start + i * step);
  return times;
}

const MAX_FILL_RUNS = 200; // past this many gaps a series is drawn as a line only

/**
 * Fill-only traces under a line with gaps, one per run of values between nulls. Plotly joins
 * a trace's fill across its gaps even when the line breaks (connectgaps: false), which would
 * paint a value where there is none; separate runs keep the gaps empty. Returns [] when there
 * are more than MAX_FILL_RUNS runs (bounded work for a ragged series).
 */
export function fillRuns(x, y, name, fillcolor) {
  const runs = [];
  let start = -1;
  for (let i = 0; i <= y.length; i++) {
    const value = i < y.length ? y[i] : null;
    if (value !== null && start < 0) start = i;
    if (value === null && start >= 0) {
      runs.push([start, i]);
      start = -1;
      if (runs.length > MAX_FILL_RUNS) return [];
    }
  }
  return runs.map(([from, to]) => ({
    type: 'scatter',
    mode: 'none',
    meta: 'fill',
    name,
    legendgroup: name,
    showlegend: false,
    hoverinfo: 'skip',
    x: x.slice(from, to),
    y: y.slice(from, to),
    fill: 'tozeroy',
    fillcolor,
  }));
}

/** A colour given as #rrggbb with the given opacity, as rgba(). */
export function translucent(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
