// The status bar: our connection to this server, which feed it shows, the event rate,
// how many people are watching, and the state of the server's own upstream connection.

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

function byId(id) {
  return document.getElementById(id);
}

function setPill(el, text, kind) {
  el.textContent = text;
  el.className = `pill ${kind}`;
}

/** Feed description from hello.source: its description, else the host of its URL. */
export function describeSource(source) {
  if (!source || typeof source !== 'object') return '';
  if (typeof source.description === 'string' && source.description !== '') return source.description;
  try {
    return new URL(String(source.url)).host;
  } catch (e) {
    return source.mode ? String(source.mode) : '';
  }
}

export class StatusBar {
  constructor() {
    this.connection = byId('status-connection');
    this.feed = byId('status-feed');
    this.rate = byId('status-rate');
    this.viewers = byId('status-viewers');
    this.upstream = byId('status-upstream');
    this.message = byId('status-message');
    this.retryAt = null;
    this.reason = null; // the server's close reason while reconnecting
    this.ticker = null;
  }

  /**
   * state: "connecting" | "live" | "reconnecting"; retryAt: epoch ms of the next attempt;
   * reason: why the server closed the socket, shown until the next attempt, or null.
   */
  showConnection(state, retryAt, reason = null) {
    this.retryAt = state === 'reconnecting' ? retryAt : null;
    this.reason = state === 'reconnecting' ? reason : null;
    this.renderConnection(state);
    // A countdown ("reconnecting in 7 s") needs a clock only while we are waiting.
    if (this.retryAt !== null && this.ticker === null) {
      this.ticker = setInterval(() => this.renderConnection('reconnecting'), 1000);
    } else if (this.retryAt === null && this.ticker !== null) {
      clearInterval(this.ticker);
      this.ticker = null;
    }
  }

  renderConnection(state) {
    if (state === 'reconnecting' && this.retryAt !== null) {
      const s = Math.max(0, Math.ceil((this.retryAt - Date.now()) / 1000));
      const why = this.reason ? `${this.reason} · ` : '';
      setPill(this.connection, `${why}reconnecting in ${s} s`, 'conn-reconnecting');
    } else {
      setPill(this.connection, state, `conn-${state}`);
    }
  }

  showSource(source) {
    const text = describeSource(source);
    this.feed.textContent = text;
    this.feed.title = source && source.url ? String(source.url) : '';
    this.feed.classList.toggle('simulated', Boolean(source && source.mode === 'simulated'));
  }

  showStatus(msg) {
    const src = (msg && msg.source) || {};
    const parts = [];
    if (Number.isFinite(src.eventsPerSecond)) parts.push(`${number.format(src.eventsPerSecond)} events/s`);
    if (Number.isFinite(src.events)) parts.push(`${number.format(src.events)} total`);
    this.rate.textContent = parts.join(' · ');
    if (Number.isFinite(msg.viewers)) {
      this.viewers.textContent = `${number.format(msg.viewers)} ${msg.viewers === 1 ? 'viewer' : 'viewers'}`;
    }
    const up = [`upstream ${src.state ? String(src.state) : 'unknown'}`];
    if (src.detail) up.push(String(src.detail));
    if (Number.isFinite(src.skipped)) up.push(`${number.format(src.skipped)} skipped`);
    if (Number.isFinite(src.dropped) && src.dropped > 0) up.push(`${number.format(src.dropped)} dropped`);
    this.upstream.textContent = up.join(' · ');
    this.upstream.dataset.state = src.state ? String(src.state) : '';
  }

  /** Shows a server error message; null clears it. */
  showError(message) {
    this.message.hidden = message === null;
    this.message.textContent = message === null ? '' : `error: ${message}`;
  }
}
