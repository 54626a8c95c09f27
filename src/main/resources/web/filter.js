// Click a key to filter the other charts. A click on a bar, a pie slice or a table row's key
// (keyed.js announces it with a KEY_EVENT on the panel) asks the server for the view of the
// events with that key in the chart's "by" field; the server moves this socket to that view's
// hub and answers with a hello carrying view {field, value, historyFrom, complete} and a
// snapshot (see PROTOCOL.md, "Filtered views"). The server computes the view, once for every
// viewer of it; this module only asks, and shows what the hello says.
//
// The header chip "Filtered: FIELD = VALUE ✕" (text only) shows the view; ✕ or Escape goes
// back to the whole dashboard. The address carries filter=FIELD&value=VALUE (urlstate.js),
// written from each hello, so a link or a reload opens the same view: the socket is opened
// with the same two parameters (socketParams). A view the server refuses is an error in the
// status bar and changes nothing; a link's refused view is dropped from the address.
//
// Test hooks: window.livegraph.view is {field, value} or null. DOM: #filter-chip (hidden when
// unfiltered) with #filter-text and the #filter-clear button.

import { getParam, setParam } from './urlstate.js';

/** The event keyed.js dispatches (bubbling) on a click on a key: detail {chart, field, value}. */
export const KEY_EVENT = 'livegraph:key';

/** Longest field or value the server accepts. */
export const MAX_FILTER_TEXT = 200;

function text(value) {
  return typeof value === 'string' && value.length <= MAX_FILTER_TEXT;
}

/** A view as the page keeps it, {field, value}, or null when the pair is not one. */
export function viewOf(field, value) {
  return text(field) && field !== '' && text(value) ? { field, value } : null;
}

/** The view of a hello: {field, value, historyFrom, complete}, or null (none, or malformed). */
export function helloView(hello) {
  const v = hello && hello.view;
  if (v === undefined || v === null) return null;
  const view = typeof v === 'object' ? viewOf(v.field, v.value) : null;
  if (view === null) return undefined; // malformed: the caller counts it
  return {
    ...view,
    historyFrom: Number.isFinite(v.historyFrom) ? v.historyFrom : null,
    complete: v.complete !== false,
  };
}

function twoDigits(n) {
  return String(n).padStart(2, '0');
}

/** "Filtered: apiSiteParameter = math", plus " (history since 07:41)" when it is partial. */
export function chipText(view) {
  let shown = `Filtered: ${view.field} = ${view.value}`;
  if (!view.complete && view.historyFrom !== null) {
    const since = new Date(view.historyFrom);
    shown += ` (history since ${twoDigits(since.getHours())}:${twoDigits(since.getMinutes())})`;
  }
  return shown;
}

function inFormField(target) {
  return target instanceof Element && target.closest('input, select, textarea, [contenteditable]') !== null;
}

export class FilterControl {
  /**
   * page: the DashboardPage (board, hooks, ignored); send(message) writes to the socket.
   * Reads the address's filter now, before the socket opens.
   */
  constructor({ page, send, doc = document }) {
    this.page = page;
    this.send = send;
    this.shown = null; // the view of the last hello, or before any the one the link asks for
    this.hellos = 0;
    page.hooks.view = null;
    const field = getParam('filter');
    const value = getParam('value');
    if (field !== null || value !== null) {
      this.shown = viewOf(field, value);
      if (this.shown === null) page.ignored('url parameter');
    }
    this.buildChip(doc);
    page.board.addEventListener(KEY_EVENT, (event) => {
      const d = event.detail;
      if (d && typeof d === 'object') this.ask(viewOf(d.field, d.value));
    });
    doc.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.defaultPrevented || inFormField(event.target)) return;
      if (this.shown !== null) this.ask(null);
    });
  }

  buildChip(doc) {
    const chip = doc.createElement('div');
    chip.id = 'filter-chip';
    chip.className = 'filter-chip';
    chip.hidden = true;
    const label = doc.createElement('span');
    label.id = 'filter-text';
    const clear = doc.createElement('button');
    clear.type = 'button';
    clear.id = 'filter-clear';
    clear.className = 'filter-clear';
    clear.textContent = '✕';
    clear.title = 'Show everything again (Escape)';
    clear.setAttribute('aria-label', 'Clear the filter');
    clear.addEventListener('click', () => this.ask(null));
    chip.append(label, clear);
    doc.querySelector('header.top').appendChild(chip);
    this.chip = chip;
    this.label = label;
  }

  /** The socket URL's query for the view shown (or, before the first hello, the link's). */
  socketParams() {
    return this.shown === null ? {} : { filter: this.shown.field, value: this.shown.value };
  }

  /** Asks the server for view (null: the whole dashboard), unless it is the one shown. */
  ask(view) {
    const same = view === null ? this.shown === null
      : this.shown !== null && view.field === this.shown.field && view.value === this.shown.value;
    if (same) return;
    this.send({ type: 'view', filter: view === null ? null : { field: view.field, value: view.value } });
  }

  /**
   * Takes the view a hello says the socket is in; true when it differs from the previous
   * hello's (the charts now show other numbers).
   */
  hello(msg) {
    let view = helloView(msg);
    if (view === undefined) {
      this.page.ignored('malformed view');
      view = null;
    }
    const before = this.page.hooks.view;
    this.shown = view === null ? null : { field: view.field, value: view.value };
    this.page.hooks.view = this.hooksView();
    this.chip.hidden = view === null;
    this.label.textContent = view === null ? '' : chipText(view);
    setParam('filter', view === null ? null : view.field);
    setParam('value', view === null ? null : view.value);
    const changed = this.hellos > 0 && JSON.stringify(before) !== JSON.stringify(this.page.hooks.view);
    this.hellos++;
    return changed;
  }

  hooksView() {
    return this.shown === null ? null : { field: this.shown.field, value: this.shown.value };
  }
}
