// A snapshot page: a dashboard as it was at one moment, drawn once from the data block that
// the server's snapshot.html (or `livegraph export --snapshot`) wrote into this file, the
// JSON script element #livegraph-snapshot:
//   {"capturedAt":MS,"url":PAGE,"hello":{…},"charts":{id: state},"status":{…}|null}
// No socket and no timer: the page's CSP allows no connection at all, and list times are
// relative to the capture. The window selectors still work: a keyed state holds every window.

import { addChartFiles } from './chartfiles.js';
import { DashboardPage } from './page.js';

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function readSnapshot() {
  const block = document.getElementById('livegraph-snapshot');
  try {
    const doc = JSON.parse(block ? block.textContent : 'null');
    const usable = isObject(doc) && Number.isFinite(doc.capturedAt) && isObject(doc.hello)
      && isObject(doc.hello.dashboard) && isObject(doc.charts);
    return usable ? doc : null;
  } catch (e) {
    return null;
  }
}

/** "Snapshot of Title, captured 29/11/2026, 08:41:12 (2026-11-29T07:41:12.000Z) from URL", as text. */
function showCaption(doc, title) {
  const at = new Date(doc.capturedAt);
  const caption = document.createElement('p');
  caption.id = 'snapshot-caption';
  caption.className = 'snapshot-caption';
  const from = typeof doc.url === 'string' && doc.url !== '' ? ` from ${doc.url}` : '';
  caption.textContent = `Snapshot of ${title}, captured ${at.toLocaleString()} (${at.toISOString()})${from}`;
  document.querySelector('header.top').appendChild(caption);
}

const doc = readSnapshot();
const page = new DashboardPage({
  now: () => (doc ? doc.capturedAt : Date.now()),
  refreshTimes: false,
  listeners: { onLayout: (charts, panels) => addChartFiles(page, panels) },
});
page.connectionState('snapshot');
if (doc === null) {
  page.error('this file holds no readable livegraph snapshot');
} else {
  page.hooks.snapshot = { capturedAt: doc.capturedAt, url: typeof doc.url === 'string' ? doc.url : '' };
  page.hello(doc.hello);
  page.charts(doc.charts, true);
  if (isObject(doc.status)) page.status(doc.status);
  const title = doc.hello.dashboard.title ? String(doc.hello.dashboard.title) : 'livegraph';
  document.title = `${title} (snapshot)`;
  showCaption(doc, title);
}
