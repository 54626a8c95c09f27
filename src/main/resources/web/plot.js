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
  // "Reset axes" and a first double-click would go back to the ranges of the first draw, which
  // the drawer takes as the user's and holds (plotlyDrawer); autoscale hands an axis back to
  // the drawer's live ranges, so that is what the button and a double-click do.
  modeBarButtonsToRemove: ['select2d', 'lasso2d', 'toImage', 'resetScale2d'],
  doubleClick: 'autosize',
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

const FAST_UPDATE = { transition: { duration: 0 }, frame: { duration: 0, redraw: false }, mode: 'immediate' };
const RANGE_KEYS = /^([xy]axis\d*)\.(range|range\[[01]\]|autorange)$/;

/**
 * Draws through Plotly into div: newPlot once, then react or a fast update, and nothing when
 * data and layout are the same as last drawn.
 *
 * Plotly.react of changed data recalculates and redraws the whole plot: margins, every axis
 * and its tick labels (measured in the DOM), legend, modebar: 15-30 ms on a busy two-core
 * machine (BENCHMARKS.md "Browser"). Most live updates change only numbers: the bars' heights,
 * the line's values. A renderer names those arrays in `live` (e.g. ['y', 'customdata']) and
 * gives the value axes an explicit range (valueRange). When nothing else changed since the
 * last draw (same traces, same layout apart from those ranges), the new arrays and ranges go
 * to Plotly.animate with redraw: false and no transition time: Plotly recalculates the traces
 * and redraws only them and any axis whose range moved, about a third of a react ("Redraw
 * path" in BENCHMARKS.md). The draw then returns a promise of the milliseconds Plotly took
 * to finish it, for the scheduler's pacing. Anything else (a new key on a category axis, a trace more or less,
 * another window) is drawn by react. Plotly applies an animate a frame later, not in the call.
 *
 * A category axis (categoryAxis, the bars' x) takes new or reordered keys in a fast update
 * too: Plotly redraws an axis in an animate only when its range moves, so the frame gives it
 * its autorange [-0.5, n - 0.5] nudged by a hair. Its margin is not measured again there, so a
 * key longer than any at the last react (whose margin might not fit it) is drawn by react.
 *
 * Plotly records the ranges an animate sets as if the user had set them, and react with the
 * same uirevision would keep them; so each react gives the axes this drawer sets a new axis
 * uirevision (the chart's own uirevision still keeps legend and other view choices).
 *
 * An axis the user zoomed or panned (a relayout of its range that is not one this drawer set)
 * is held: its range is kept in every draw, which then goes through react (with the constant
 * uirevision that is what keeps the view), until the user autoscales it again.
 */
export function plotlyDrawer(div, config = PLOT_CONFIG, { live = [], categoryAxis = null } = {}) {
  const liveKeys = new Set(live);
  let labels = null; // JSON of the category labels last drawn (categoryAxis)
  let widest = 0; // the longest category label at the last react: its margin fits that
  let nudge = 0;
  let fullCost = Infinity; // ms the last react or newPlot took (synchronous: Plotly draws in the call)
  let plotted = false;
  let revision = 0;
  let drawn = null; // JSON of the data and layout last handed to Plotly
  let shape = null; // the same without the live arrays and axis ranges: what a fast update keeps
  let ranges = Object.create(null); // axis -> JSON of the range this drawer last gave it
  const held = new Set(); // axes the user zoomed or panned
  const shapeOf = (data, layout) => JSON.stringify([data, layout],
    (k, v) => (liveKeys.has(k) || k === 'range' || k === 'autorange' || k === 'datarevision' ? undefined : v));
  const listen = () => {
    div.on('plotly_relayout', (event) => {
      for (const [k, v] of Object.entries(event || {})) {
        const m = RANGE_KEYS.exec(k);
        if (m === null) continue;
        const axis = m[1];
        if (m[2] === 'autorange') {
          if (v === true) {
            held.delete(axis);
            delete ranges[axis]; // Plotly autoranged it: the next draw sets the managed range again
          }
        } else if (m[2] !== 'range' || JSON.stringify(v) !== ranges[axis]) {
          held.add(axis); // not a range this drawer set: the user's
        }
      }
    });
  };
  return (data, layout) => {
    const managed = Object.keys(layout).filter((k) => /^[xy]axis\d*$/.test(k) && Array.isArray(layout[k].range));
    for (const axis of managed) {
      const current = div.layout && div.layout[axis] && div.layout[axis].range;
      if (held.has(axis) && Array.isArray(current)) layout[axis].range = current.slice();
    }
    const key = JSON.stringify([data, layout]);
    if (plotted && key === drawn && div.isConnected) return;
    drawn = key;
    const nextShape = liveKeys.size > 0 ? shapeOf(data, layout) : null;
    const categories = categoryAxis !== null && data.length > 0 && Array.isArray(data[0].x) ? data[0].x : [];
    const nextLabels = categoryAxis !== null ? JSON.stringify(categories) : null;
    const longest = Math.max(0, ...categories.map((c) => String(c).length));
    const relabel = nextLabels !== labels;
    const fast = plotted && nextShape !== null && nextShape === shape && div.isConnected
      && !managed.some((axis) => held.has(axis))
      && (!relabel || (!held.has(categoryAxis) && longest <= widest));
    shape = nextShape;
    labels = nextLabels;
    const axes = {};
    for (const axis of managed) {
      const range = JSON.stringify(layout[axis].range);
      if (ranges[axis] !== range) axes[axis] = { range: layout[axis].range };
      ranges[axis] = range;
    }
    if (fast) {
      const frame = { data: data.map((trace) => pick(trace, liveKeys)), traces: data.map((_, i) => i) };
      if (relabel) {
        nudge = nudge === 0 ? 1e-9 : 0;
        const range = [-0.5, categories.length - 0.5 + nudge];
        axes[categoryAxis] = { range };
        ranges[categoryAxis] = JSON.stringify(range); // its relayout event is this drawer's, not the user's
      }
      if (Object.keys(axes).length > 0) frame.layout = axes;
      // Plotly does this work over the next frames. Its wall time until done bounds its
      // main-thread time from above, and so does the last react's (a fast update costs about a
      // third of one): the smaller is what the scheduler paces this chart by.
      const start = performance.now();
      return Promise.resolve(window.Plotly.animate(div, frame, FAST_UPDATE))
        .then(() => Math.min(performance.now() - start, fullCost));
    }
    widest = longest;
    // A new datarevision tells react the data changed.
    layout.datarevision = ++revision;
    for (const axis of categoryAxis === null ? managed : [...managed, categoryAxis]) {
      if (!held.has(axis) && layout[axis]) layout[axis].uirevision = revision;
    }
    const start = performance.now();
    if (plotted) {
      window.Plotly.react(div, data, layout, config);
    } else {
      window.Plotly.newPlot(div, data, layout, config);
      plotted = true;
      if (liveKeys.size > 0 && typeof div.on === 'function') listen();
    }
    fullCost = performance.now() - start;
    return undefined;
  };
}

function pick(object, keys) {
  const out = {};
  for (const k of keys) if (k in object) out[k] = object[k];
  return out;
}

const NICE_STEPS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/** The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten that is >= v > 0. */
export function niceCeil(v) {
  const unit = 10 ** Math.floor(Math.log10(v));
  for (const m of NICE_STEPS) if (m * unit >= v * (1 - 1e-12)) return m * unit;
  return 10 * unit;
}

/**
 * An explicit range for a value axis that includes zero and every finite value of the arrays,
 * with 5% headroom rounded out to a nice number (niceCeil), so it moves in steps, not with
 * every update; null when there is no finite value (the axis then autoranges).
 */
export function valueRange(arrays) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of arrays) {
    for (const v of values) {
      if (typeof v === 'number' && Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (lo === Infinity) return null;
  const top = hi > 0 ? niceCeil(hi * 1.05) : 0;
  const bottom = lo < 0 ? -niceCeil(-lo * 1.05) : 0;
  return top === bottom ? [0, 1] : [bottom, top];
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
