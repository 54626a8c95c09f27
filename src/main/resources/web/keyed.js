// Keyed charts (bar, pie, table): values per key over a choice of windows, sorted by the
// server. Each chart has its own window selector in its panel header.
//
// State: {"windows":{"10m":{"x":[keys…],"columns":[[v…],…],"other":[v…]|null},…},"overflow":N}
// where columns[c][i] is column c of key x[i] and other (when the dashboard asks for it) holds
// the merged values of the keys beyond the top K. The older bar format {"x":[…],"y":[…]} is
// read as one column.

import { finite, formatValue, numbers, strings } from './format.js';
import { ACCENT, OTHER_COLOR, SLICE_COLORS, baseLayout, note, plotDiv, plotlyDrawer, plotlyText, valueRange } from './plot.js';

const MAX_TABLE_ROWS = 1000; // bounded DOM; the server's top K is far below this

function own(object, key) {
  return object !== null && typeof object === 'object' && typeof key === 'string'
    && Object.prototype.hasOwnProperty.call(object, key);
}

/** The windows a chart offers, from hello: [{id, label}] with string ids. */
export function windowsOf(chart) {
  return Array.isArray(chart.windows)
    ? chart.windows.filter((w) => w && typeof w.id === 'string' && w.id !== '')
      .map((w) => ({ id: w.id, label: w.label == null || w.label === '' ? w.id : String(w.label) }))
    : [];
}

/**
 * One window of a keyed state as { keys, columns, other, overflow }: every column as long as
 * keys, values finite numbers or null; other is null when there is no "other" row.
 */
export function keyedView(state, windowId, fallbackId) {
  const windows = state && state.windows;
  const chosen = own(windows, windowId) ? windows[windowId] : own(windows, fallbackId) ? windows[fallbackId] : null;
  const w = chosen !== null && typeof chosen === 'object' ? chosen : {};
  const keys = strings(w.x);
  const raw = Array.isArray(w.columns) ? w.columns : Array.isArray(w.y) ? [w.y] : [];
  const columns = raw.slice(0, 64).map((c) => {
    const values = numbers(c).slice(0, keys.length);
    while (values.length < keys.length) values.push(null);
    return values;
  });
  if (columns.length === 0) columns.push(keys.map(() => null));
  const other = Array.isArray(w.other) ? w.other.slice(0, columns.length).map(finite) : null;
  const overflow = state && finite(state.overflow) > 0 ? state.overflow : 0;
  return { keys, columns, other, overflow };
}

/**
 * A click on a key: announced with a bubbling 'livegraph:key' event (filter.js listens on the
 * board) as {chart, field: the chart's by, value: the key}; key null (the "other" bar, slice or
 * row) or a chart without a by announces nothing.
 */
function offerKey(element, chart, key) {
  if (typeof key !== 'string' || typeof chart.by !== 'string') return;
  element.dispatchEvent(new CustomEvent('livegraph:key', {
    bubbles: true,
    detail: { chart: chart.id, field: chart.by, value: key },
  }));
}

/**
 * Announces clicks on the points of a Plotly div: pointKeys() gives the key of each point
 * index as drawn last (null for "other"). Plotly adds div.on at the first draw.
 */
function clickableKeys(div, chart, pointKeys) {
  let listening = false;
  return () => {
    if (listening || typeof div.on !== 'function') return;
    listening = true;
    div.on('plotly_click', (event) => {
      const point = event && Array.isArray(event.points) ? event.points[0] : null;
      const index = point ? point.pointNumber ?? point.pointIndex : undefined;
      if (Number.isInteger(index)) offerKey(div, chart, pointKeys()[index] ?? null);
    });
  };
}

/** The "other" row's label, kept apart from a real key that happens to be called "other". */
export function otherLabel(keys) {
  return keys.includes('other') ? 'other (rest)' : 'other';
}

function overflowText(overflow) {
  return overflow > 0 ? `${formatValue(overflow)} events beyond the key limit are not shown` : '';
}

/**
 * The window selector in the panel header; the choice lives in windows[chart.id] (the page's
 * test hook) and survives a layout rebuild when the window still exists.
 */
function windowPicker(chart, ctx) {
  const choices = windowsOf(chart);
  const ids = choices.map((w) => w.id);
  const kept = ctx.windows[chart.id];
  ctx.windows[chart.id] = ids.includes(kept) ? kept : ids.includes(chart.defaultWindow) ? chart.defaultWindow : ids[0] ?? null;
  if (choices.length > 1) {
    const label = document.createElement('label');
    label.className = 'window-picker';
    const caption = document.createElement('span');
    caption.className = 'visually-hidden';
    caption.textContent = 'Window';
    const select = document.createElement('select');
    select.id = `window-${chart.id}`;
    select.replaceChildren(...choices.map((w) => new Option(w.label, w.id)));
    select.value = ctx.windows[chart.id];
    select.addEventListener('change', () => {
      ctx.windows[chart.id] = select.value;
      ctx.redraw();
    });
    label.append(caption, select);
    ctx.tools.appendChild(label);
  }
  return () => ctx.windows[chart.id];
}

function columnLabels(chart) {
  return Array.isArray(chart.columns) ? chart.columns.map((c) => (c == null ? '' : String(c))) : [];
}

/** Bars in the server's order, "other" last in grey; a null value is no bar. */
export function createBarRenderer(chart, ctx) {
  const selected = windowPicker(chart, ctx);
  const div = plotDiv(ctx.body, chart);
  const overflowNote = note(ctx.body);
  // New heights and keys are a fast update (plot.js); a new colour (the "other" bar) a react.
  const draw = plotlyDrawer(div, undefined, { live: ['x', 'y', 'customdata'], categoryAxis: 'xaxis' });
  const measure = columnLabels(chart)[0] || '';
  let keys = []; // per bar as drawn: its key, null for "other"
  const listen = clickableKeys(div, chart, () => keys);
  return {
    draw(state) {
      const view = keyedView(state, selected(), chart.defaultWindow);
      const x = view.keys.map(plotlyText); // Plotly reads markup in tick and hover text
      const y = view.columns[0].slice();
      const colors = x.map(() => ACCENT);
      keys = view.keys.slice();
      if (view.other !== null) {
        x.push(otherLabel(view.keys));
        y.push(view.other[0] ?? null);
        colors.push(OTHER_COLOR);
        keys.push(null);
      }
      const layout = baseLayout();
      layout.margin.b = 40;
      layout.xaxis = { type: 'category', categoryorder: 'trace', tickangle: -40, automargin: true };
      layout.yaxis = { rangemode: 'tozero', gridcolor: '#e4e7eb', automargin: true };
      const range = valueRange([y]);
      if (range !== null) layout.yaxis.range = range;
      layout.bargap = 0.2;
      const drawn = draw([{
        type: 'bar',
        x,
        y,
        customdata: y.map(formatValue),
        marker: { color: colors },
        hovertemplate: `%{x}${measure ? `<br>${escapeHover(measure)}` : ''}: %{customdata}<extra></extra>`,
      }], layout);
      listen();
      overflowNote.textContent = overflowText(view.overflow);
      return drawn; // a fast update's promise of its cost (plot.js), for the pacing
    },
  };
}

/**
 * Plotly renders hover templates as its own small markup language, so text from hello that
 * goes into one has its angle brackets and ampersands neutralised first.
 */
export function escapeHover(text) {
  return plotlyText(text);
}

/** Slices in the server's order, clockwise from the top; a null value is no slice. */
export function createPieRenderer(chart, ctx) {
  const selected = windowPicker(chart, ctx);
  const div = plotDiv(ctx.body, chart);
  const overflowNote = note(ctx.body);
  const draw = plotlyDrawer(div);
  let keys = []; // per slice as drawn: its key, null for "other"
  const listen = clickableKeys(div, chart, () => keys);
  return {
    draw(state) {
      const view = keyedView(state, selected(), chart.defaultWindow);
      const labels = [];
      const values = [];
      const colors = [];
      keys = [];
      view.keys.forEach((key, i) => {
        const v = view.columns[0][i];
        if (v !== null && v >= 0) {
          labels.push(plotlyText(key)); // the legend reads markup: shown as text
          values.push(v);
          colors.push(SLICE_COLORS[i % SLICE_COLORS.length]);
          keys.push(key);
        }
      });
      if (view.other !== null && view.other[0] !== null && view.other[0] >= 0) {
        labels.push(otherLabel(view.keys));
        values.push(view.other[0]);
        colors.push(OTHER_COLOR);
        keys.push(null);
      }
      const layout = baseLayout();
      layout.margin = { l: 8, r: 8, t: 8, b: 8 };
      layout.showlegend = true;
      layout.legend = { orientation: 'v', x: 1, y: 0.5 };
      draw([{
        type: 'pie',
        labels,
        values,
        customdata: values.map(formatValue),
        sort: false,
        direction: 'clockwise',
        hole: 0.35,
        textinfo: 'percent',
        marker: { colors },
        hovertemplate: '%{label}: %{customdata} (%{percent})<extra></extra>',
      }], layout);
      listen();
      overflowNote.textContent = overflowText(view.overflow);
    },
  };
}

function cell(tag, text, className) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

function valueCell(value) {
  const td = cell('td', formatValue(value), value === null ? 'num gap' : 'num');
  if (value === null) td.title = 'no value';
  return td;
}

/** An HTML table: the key, then one cell per column; every string set as text. */
export function createTableRenderer(chart, ctx) {
  const selected = windowPicker(chart, ctx);
  const wrap = document.createElement('div');
  wrap.className = 'table-wrap';
  const table = document.createElement('table');
  table.id = `chart-${chart.id}`;
  table.className = 'keyed-table';
  const head = document.createElement('thead');
  const body = document.createElement('tbody');
  table.append(head, body);
  wrap.appendChild(table);
  ctx.body.appendChild(wrap);
  const overflowNote = note(ctx.body);
  const labels = columnLabels(chart);
  body.addEventListener('click', (event) => {
    const row = event.target instanceof Element ? event.target.closest('tr[data-key]') : null;
    if (row !== null) offerKey(table, chart, row.dataset.key);
  });
  return {
    draw(state) {
      const view = keyedView(state, selected(), chart.defaultWindow);
      const headRow = document.createElement('tr');
      headRow.appendChild(cell('th', chart.by == null ? '' : String(chart.by), 'key'));
      view.columns.forEach((_, c) => headRow.appendChild(cell('th', labels[c] ?? `column ${c + 1}`, 'num')));
      head.replaceChildren(headRow);
      const rows = view.keys.slice(0, MAX_TABLE_ROWS).map((key, i) => {
        const tr = document.createElement('tr');
        if (typeof chart.by === 'string') {
          tr.dataset.key = key; // a property, never markup
          tr.className = 'keyed-row';
          tr.title = `Filter the other charts: ${chart.by} = ${key}`;
        }
        tr.appendChild(cell('th', key, 'key'));
        for (const column of view.columns) tr.appendChild(valueCell(column[i]));
        return tr;
      });
      if (view.other !== null) {
        const tr = document.createElement('tr');
        tr.className = 'other-row';
        tr.appendChild(cell('th', otherLabel(view.keys), 'key'));
        view.columns.forEach((_, c) => tr.appendChild(valueCell(view.other[c] ?? null)));
        rows.push(tr);
      }
      body.replaceChildren(...rows);
      overflowNote.textContent = overflowText(view.overflow);
    },
  };
}
