// The listing page (served at / when there are several dashboards): fetches dashboards.json
// from this origin and shows one link per dashboard. Names and titles are text, never markup;
// a link is made only for a same-origin dashboard path (/d/...), so a hostile entry cannot
// become a javascript: or off-site link.
//
// Test hook: window.livegraphListing = { state: "loading" | "shown" | "failed", count }.

import { setParam } from './urlstate.js';

// ?token=T (a server started with --token) set the cookie that carries it from now on.
setParam('token', null);

const hook = { state: 'loading', count: 0 };
window.livegraphListing = hook;

const list = document.getElementById('dashboards');
const message = document.getElementById('listing-message');

/** A dashboard path from the server, or null when it is not one of ours. */
export function dashboardHref(path) {
  return typeof path === 'string' && /^\/d\/[^/?#\\]+\/$/.test(path) ? path : null;
}

function entryItem(entry) {
  const li = document.createElement('li');
  const name = typeof entry.name === 'string' ? entry.name : '';
  const title = typeof entry.title === 'string' && entry.title !== '' ? entry.title : name;
  const href = dashboardHref(entry.path);
  const label = document.createElement(href ? 'a' : 'span');
  label.className = 'dashboard-title';
  label.textContent = title || '(untitled)';
  if (href) label.href = href;
  const detail = document.createElement('span');
  detail.className = 'dashboard-name';
  detail.textContent = name;
  li.append(label, detail);
  return li;
}

async function load() {
  try {
    const response = await fetch('dashboards.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const entries = await response.json();
    if (!Array.isArray(entries)) throw new Error('not a list');
    const items = entries.filter((e) => e !== null && typeof e === 'object').map(entryItem);
    list.replaceChildren(...items);
    message.textContent = items.length === 0 ? 'No dashboards yet.' : '';
    hook.count = items.length;
    hook.state = 'shown';
  } catch (e) {
    message.textContent = `Could not load the dashboards: ${e.message}`;
    hook.state = 'failed';
  }
}

load();
