// The live socket: connects to the dashboard's socket (ws beside the page: /ws for the page at
// /, /d/NAME/ws for the page at /d/NAME/), keeps the sequence, asks the server to fill gaps, and
// reconnects with jittered exponential backoff, resuming from the last seq it applied.
//
// Every message is checked before it is used; one that is not JSON, not an object, of an
// unknown type or with fields of the wrong type is ignored and reported through onIgnored.
//
// Sequence rules (see the protocol in app.js):
// - snapshot: replaces everything and sets lastSeq = seq.
// - delta with seq == lastSeq + 1: applied.
// - delta with seq <= lastSeq: a duplicate (e.g. resume overlap), ignored.
// - delta with seq  > lastSeq + 1: a gap; ignored, and one {"type":"resume","seq":lastSeq}
//   is sent. Later gapped deltas don't send another resume until the seq moves or
//   RESUME_RETRY_MS passes, so a burst of deltas doesn't become a burst of resumes.

/** First retry after about 1 s, doubling per failed attempt, capped at 30 s. */
export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 30000;
const RESUME_RETRY_MS = 2000;

/**
 * Delay before reconnect attempt number `attempt` (0-based): the exponential step, with
 * "equal jitter" (half fixed, half random) so that many viewers dropped by one server
 * restart don't all come back in the same millisecond.
 */
export function backoffDelay(attempt, random = Math.random) {
  const step = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * The socket beside the page: ws(s)://<same host><page's folder>ws, with the query's parameters
 * (the filtered view, filter.js) and ?resume=<seq> once we have applied a frame. The server serves a dashboard's page at /d/NAME/ and its socket at
 * /d/NAME/ws (the first dashboard's page at / and its socket at /ws).
 */
export function socketUrl(location, lastSeq, query = {}) {
  const url = new URL('ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
  if (lastSeq !== null) url.searchParams.set('resume', String(lastSeq));
  return url.href;
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * One logical connection that survives socket failures.
 * handlers: onHello(msg), onCharts(charts, replaceAll), onStatus(msg), onError(message),
 *           onConfigError(messageOrNull), onIgnored(reason),
 *           onState(state, retryAtMs, reason) with state "connecting" | "live" | "reconnecting";
 *           reason: why the server closed the socket (its close frame's reason, e.g. "server
 *           shutting down" on a restart), or null.
 */
export class Connection {
  constructor(handlers, { location = window.location, WebSocketImpl = window.WebSocket, query = () => ({}) } = {}) {
    this.handlers = handlers;
    this.query = query; // extra socket URL parameters, asked at each (re)connect
    this.location = location;
    this.WebSocketImpl = WebSocketImpl;
    this.lastSeq = null;
    this.attempt = 0;
    this.socket = null;
    this.retryTimer = null;
    this.resumeSentFor = null;
    this.resumeSentAt = 0;
    // A view asked for while the socket was down, sent after the next hello (the newest wins;
    // a resume is not kept: the reconnect's ?resume= does its work).
    this.pendingView = null;
  }

  start() {
    this.open();
  }

  open() {
    this.retryTimer = null;
    this.handlers.onState('connecting', null);
    let socket;
    try {
      socket = new this.WebSocketImpl(socketUrl(this.location, this.lastSeq, this.query()));
    } catch (e) {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.addEventListener('message', (event) => {
      if (this.socket === socket) this.receive(event.data);
    });
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      // A close the server explained (1001 "server shutting down", 1013 too slow…) is shown.
      const reason = event && typeof event.reason === 'string' && event.reason !== ''
        ? event.reason.slice(0, 123) : null;
      this.scheduleReconnect(reason);
    });
    // 'error' is always followed by 'close'; reconnecting happens there, once.
  }

  scheduleReconnect(reason = null) {
    if (this.retryTimer !== null) return;
    const delay = backoffDelay(this.attempt++);
    this.handlers.onState('reconnecting', Date.now() + delay, reason);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  receive(text) {
    let msg;
    try {
      msg = typeof text === 'string' ? JSON.parse(text) : undefined;
    } catch (e) {
      msg = undefined;
    }
    if (msg === undefined) {
      this.ignore('not JSON text');
      return;
    }
    if (!isObject(msg)) {
      this.ignore('not an object');
      return;
    }
    switch (msg.type) {
      case 'hello':
        if (!isObject(msg.dashboard) || !Array.isArray(msg.dashboard.charts)) {
          this.ignore('hello without a dashboard');
          return;
        }
        // A hello means the server accepted us: the next failure starts again at ~1 s.
        this.attempt = 0;
        this.handlers.onHello(msg);
        this.handlers.onState('live', null);
        if (this.pendingView !== null) {
          const view = this.pendingView;
          this.pendingView = null;
          this.send(view);
        }
        break;
      case 'snapshot':
        if (!Number.isSafeInteger(msg.seq) || !isObject(msg.charts)) {
          this.ignore('malformed snapshot');
          return;
        }
        this.lastSeq = msg.seq;
        this.resumeSentFor = null;
        this.handlers.onCharts(msg.charts, true);
        break;
      case 'delta':
        if (!Number.isSafeInteger(msg.seq) || !isObject(msg.charts)) {
          this.ignore('malformed delta');
          return;
        }
        this.receiveDelta(msg);
        break;
      case 'status':
        this.handlers.onStatus(msg);
        break;
      case 'error':
        this.handlers.onError(typeof msg.message === 'string' ? msg.message : 'unknown error');
        break;
      case 'config-error':
        if (msg.message !== null && typeof msg.message !== 'string') {
          this.ignore('malformed config-error');
          return;
        }
        this.handlers.onConfigError(msg.message);
        break;
      default:
        // A newer server, or garbage: either way nothing this page can use.
        this.ignore('unknown type');
        break;
    }
  }

  /** reason is one of a few fixed strings, never text from the message. */
  ignore(reason) {
    if (this.handlers.onIgnored) this.handlers.onIgnored(reason);
  }

  receiveDelta(msg) {
    if (this.lastSeq !== null && msg.seq === this.lastSeq + 1) {
      this.lastSeq = msg.seq;
      this.resumeSentFor = null;
      this.handlers.onCharts(msg.charts, false);
      return;
    }
    if (this.lastSeq !== null && msg.seq <= this.lastSeq) return;
    this.requestResume();
  }

  requestResume() {
    const now = Date.now();
    if (this.resumeSentFor === this.lastSeq && now - this.resumeSentAt < RESUME_RETRY_MS) return;
    // Before any snapshot we have nothing to resume from; seq 0 asks for everything.
    this.send({ type: 'resume', seq: this.lastSeq ?? 0 });
    this.resumeSentFor = this.lastSeq;
    this.resumeSentAt = now;
  }

  send(msg) {
    const socket = this.socket;
    if (socket && socket.readyState === 1) {
      socket.send(JSON.stringify(msg));
    } else if (msg && msg.type === 'view') {
      this.pendingView = msg; // a click made while reconnecting is not lost
    }
  }
}
