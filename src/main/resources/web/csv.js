// A chart's data as CSV: pure functions of the chart's hello description and its state, so
// what a person downloads is exactly what the page holds (the selected window of a keyed
// chart). RFC 4180: comma-separated, CRLF line ends, a cell with a comma, quote or line break
// in double quotes with its quotes doubled. No value (null) is an empty cell, never a zero.
//
// Text cells come from strangers (feed keys, titles, list fields), and a spreadsheet runs a
// cell that starts with = + - @ (or a tab or carriage return) as a formula, so such a text
// cell gets a leading ' (OWASP, "CSV Injection"). Numbers the page wrote itself are left as
// they are, so -7 stays a number.
//
//   keyed (bar, pie, table)  BY,<column labels…>      one row per key, then "other" if any;
//                            BY is the chart's by field (hello), else "key"
//   line, area               time,<series names…>     one row per bucket, ISO 8601 UTC times
//   heatmap                  time,<keys…>             one row per bucket
//   number                   time,value               one row per spark bucket, then "current"
//   histogram                from,to,count            one row per bin, then the values below
//                                                     min (empty from) and above max (empty to)
//   list                     time,<fields…>           one row per item, newest first

import { finite, numbers, strings } from './format.js';
import { keyedView, otherLabel } from './keyed.js';
import { bucketTimes } from './plot.js';
import { binEdges } from './histogram.js';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A text cell: guarded against formulas, quoted when it must be. */
export function textCell(value) {
  let text = value == null ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A number cell: the number as JavaScript writes it (shortest exact form); no value is empty. */
export function numberCell(value) {
  const n = finite(value);
  return n === null ? '' : String(n);
}

/** A cell of either kind: numbers as numbers, null and undefined empty, the rest as text. */
export function cell(value) {
  if (value === null || value === undefined) return '';
  return typeof value === 'number' ? numberCell(value) : textCell(value);
}

/** Rows of cell values (see cell) as CSV text, every line ended by CRLF. */
export function toCsv(rows) {
  return rows.map((row) => `${row.map(cell).join(',')}\r\n`).join('');
}

/** Whether chartCsv has a table for charts of this kind. */
export function csvKind(kind) {
  return Object.prototype.hasOwnProperty.call(TABLES, kind);
}

/**
 * The CSV of one chart: chart is its hello description ({id, kind, columns, by, fields, …}),
 * state its current state, windowId the selected window of a keyed chart. Null for a kind
 * this page does not know.
 */
export function chartCsv(chart, state, windowId) {
  return csvKind(chart.kind) ? toCsv(TABLES[chart.kind](chart, state, windowId)) : null;
}

/** ISO 8601 time of epoch ms, or null (an empty cell) for a time Date cannot hold. */
function iso(ms) {
  const date = new Date(ms);
  return Number.isFinite(date.getTime()) ? date.toISOString() : null;
}

function longest(arrays) {
  return arrays.reduce((most, a) => Math.max(most, a.length), 0);
}

function bucketIsos(state, count) {
  const times = bucketTimes(state, count);
  return times === null ? new Array(count).fill(null) : times.map((t) => iso(t.getTime()));
}

function keyedRows(chart, state, windowId) {
  const view = keyedView(state, windowId, chart.defaultWindow);
  const labels = Array.isArray(chart.columns) ? chart.columns.map((c) => (c == null ? '' : String(c))) : [];
  const head = [chart.by == null || chart.by === '' ? 'key' : String(chart.by)];
  view.columns.forEach((_, c) => head.push(labels[c] ?? `column ${c + 1}`));
  const rows = [head];
  view.keys.forEach((key, i) => rows.push([key, ...view.columns.map((column) => column[i])]));
  if (view.other !== null) {
    rows.push([otherLabel(view.keys), ...view.columns.map((_, c) => view.other[c] ?? null)]);
  }
  return rows;
}

/** "total" first, as the page draws it; every series the state holds. */
function seriesRows(chart, state) {
  const series = (Array.isArray(state && state.series) ? state.series : [])
    .filter((s) => s !== null && typeof s === 'object')
    .map((s) => ({ name: s.name == null ? '' : String(s.name), values: numbers(s.values) }));
  series.sort((a, b) => (b.name === 'total') - (a.name === 'total'));
  const length = longest(series.map((s) => s.values));
  const times = bucketIsos(state, length);
  const rows = [['time', ...series.map((s) => s.name)]];
  for (let i = 0; i < length; i++) rows.push([times[i], ...series.map((s) => s.values[i] ?? null)]);
  return rows;
}

function heatmapRows(chart, state) {
  const keys = strings(state && state.keys);
  const z = Array.isArray(state && state.z) ? state.z.slice(0, keys.length).map(numbers) : [];
  const length = longest(z);
  const times = bucketIsos(state, length);
  const rows = [['time', ...keys]];
  for (let i = 0; i < length; i++) rows.push([times[i], ...keys.map((_, k) => (z[k] ? z[k][i] ?? null : null))]);
  return rows;
}

function numberRows(chart, state) {
  const spark = numbers(state && state.spark);
  const times = bucketIsos(state, spark.length);
  const rows = [['time', 'value']];
  spark.forEach((v, i) => rows.push([times[i], v]));
  rows.push(['current', finite(state && state.value)]);
  return rows;
}

function histogramRows(chart, state) {
  const min = finite(state && state.min);
  const max = finite(state && state.max);
  const counts = numbers(state && state.counts);
  const rows = [['from', 'to', 'count']];
  if (min === null || max === null || !(max > min) || counts.length === 0) return rows;
  const edges = binEdges(min, max, counts.length);
  counts.forEach((c, i) => rows.push([edges[i], edges[i + 1], c]));
  rows.push([null, min, finite(state.under)]);
  rows.push([max, null, finite(state.over)]);
  return rows;
}

/** A list field's value as one cell: lists joined with "; ", objects as JSON. */
function fieldValue(value) {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => (v == null ? '' : String(v))).join('; ');
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'number') return finite(value);
  return String(value);
}

function listRows(chart, state) {
  const fields = (Array.isArray(chart.fields) ? chart.fields.map(String) : []).filter((f) => f !== 'time');
  const items = Array.isArray(state && state.items) ? state.items : [];
  const rows = [['time', ...fields]];
  for (const item of items) {
    if (item === null || typeof item !== 'object') continue;
    const time = finite(item.time);
    rows.push([time === null ? null : iso(time), ...fields.map((f) => (Object.prototype.hasOwnProperty.call(item, f) ? fieldValue(item[f]) : null))]);
  }
  return rows;
}

const TABLES = {
  bar: keyedRows,
  pie: keyedRows,
  table: keyedRows,
  line: seriesRows,
  area: seriesRows,
  timeseries: seriesRows,
  heatmap: heatmapRows,
  number: numberRows,
  histogram: histogramRows,
  list: listRows,
};

/**
 * A download's file name: <dashboard>-<chart>-<yyyymmdd-hhmmss>.<extension> in local time,
 * with anything but letters, digits, '.', '_' and '-' in the names as '_'.
 */
export function fileName(dashboard, chart, timeMs, extension) {
  const safe = (s) => (s == null || s === '' ? 'livegraph' : String(s)).replace(/[^A-Za-z0-9._-]/g, '_');
  const d = new Date(timeMs);
  const two = (n) => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}${two(d.getMonth() + 1)}${two(d.getDate())}`
    + `-${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}`;
  return `${safe(dashboard)}-${safe(chart)}-${stamp}${extension ? `.${extension}` : ''}`;
}
