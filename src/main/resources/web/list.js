// The "list" chart kind: newest items first. Every string from the feed goes into the page
// through textContent or createTextNode, never parsed as HTML, so a title such as
// `<img src=x onerror=alert(1)>` shows as those characters. Links are made only for
// http(s) URLs, so a `javascript:` URL in the feed stays plain text.

const MAX_ITEMS = 200; // bounded DOM: more than this is never useful on one screen

/** "now", "42 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function relativeTime(timeMs, nowMs) {
  const s = Math.max(0, Math.round((nowMs - timeMs) / 1000));
  if (s < 5) return 'now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

export function isWebUrl(value) {
  return typeof value === 'string' && /^https?:\/\//i.test(value);
}

function span(className, text) {
  const el = document.createElement('span');
  el.className = className;
  el.textContent = text;
  return el;
}

/**
 * The field shown as each item's headline: "title" when the list has one (the StackExchange
 * dashboard), else its first field other than "url" (a log's list names its own fields).
 */
export function headlineField(fields) {
  if (fields.includes('title')) return 'title';
  return fields.find((f) => f !== 'url') ?? 'title';
}

function headline(item, field) {
  const value = item[field];
  const title = value == null || value === '' ? '(untitled)'
    : Array.isArray(value) ? value.map(String).join(', ') : String(value);
  const h = document.createElement('div');
  h.className = 'item-title';
  if (isWebUrl(item.url)) {
    const a = document.createElement('a');
    a.href = item.url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.textContent = title;
    h.appendChild(a);
  } else {
    h.appendChild(document.createTextNode(title));
  }
  return h;
}

/**
 * The meta line: community, the other fields hello listed, then the relative time.
 * siteBaseHostAddress and apiSiteParameter name the same community, so they are shown
 * once (host preferred); arrays become tag chips; other scalars become plain text.
 */
function meta(item, fields, head, now) {
  const line = document.createElement('div');
  line.className = 'item-meta';
  const community = item.siteBaseHostAddress ?? item.apiSiteParameter;
  if (community != null && community !== '') line.appendChild(span('item-community', String(community)));
  for (const field of fields) {
    if (field === head || field === 'url' || field === 'siteBaseHostAddress' || field === 'apiSiteParameter') continue;
    const value = item[field];
    if (Array.isArray(value)) {
      const tags = document.createElement('span');
      tags.className = 'item-tags';
      for (const tag of value) tags.appendChild(span('tag', String(tag)));
      line.appendChild(tags);
    } else if (value != null && value !== '' && typeof value !== 'object') {
      line.appendChild(span('item-field', String(value)));
    }
  }
  if (Number.isFinite(item.time)) {
    const t = document.createElement('time');
    t.className = 'item-time';
    t.dateTime = new Date(item.time).toISOString();
    t.dataset.time = String(item.time);
    t.textContent = relativeTime(item.time, now);
    line.appendChild(t);
  }
  return line;
}

/**
 * Renders { items: [...] } into <ul id="chart-<id>">, one <li> per item; times are relative to
 * now() (a snapshot's capture time on a snapshot page).
 */
export function createListRenderer(chart, container, now = () => Date.now()) {
  const ul = document.createElement('ul');
  ul.id = `chart-${chart.id}`;
  ul.className = 'feed-list';
  container.appendChild(ul);
  const fields = Array.isArray(chart.fields) ? chart.fields.map(String) : [];
  const head = headlineField(fields);
  // An item that was in the list last time keeps its <li>: a new item at the top is one
  // insert and one removal at the end, not 50 new elements to style and lay out each update.
  let drawn = new Map(); // JSON of an item -> its <li> as last drawn (at most MAX_ITEMS)
  return {
    draw(state) {
      const items = Array.isArray(state && state.items) ? state.items.slice(0, MAX_ITEMS) : [];
      const at = now();
      const kept = new Map();
      const lis = [];
      for (const item of items) {
        if (item === null || typeof item !== 'object') continue;
        const key = JSON.stringify(item);
        let li = kept.has(key) ? undefined : drawn.get(key);
        if (li === undefined) {
          li = document.createElement('li');
          li.appendChild(headline(item, head));
          li.appendChild(meta(item, fields, head, at));
        } else {
          refreshRelativeTimes(li, at);
        }
        kept.set(key, li);
        lis.push(li);
      }
      drawn = kept;
      // Moves only what moved (the DOM keeps the rest untouched).
      lis.forEach((li, i) => {
        const here = ul.children[i];
        if (here !== li) ul.insertBefore(li, here ?? null);
      });
      while (ul.children.length > lis.length) ul.lastElementChild.remove();
    },
  };
}

/** Keeps "N s ago" honest between updates without redrawing the lists. */
export function refreshRelativeTimes(root = document, now = Date.now()) {
  for (const t of root.querySelectorAll('time.item-time[data-time]')) {
    const text = relativeTime(Number(t.dataset.time), now);
    if (t.textContent !== text) t.textContent = text; // an unchanged text is no DOM change
  }
}
