// The live socket: connects to /ws, keeps the sequence, asks the server to fill gaps, and
// reconnects with jittered exponential backoff, resuming from the last seq it applied.
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

/** Builds ws(s)://<same host>/ws, with ?resume=<seq> once we have applied a frame. */
export function socketUrl(location, lastSeq) {
  const url = new URL('/ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  if (lastSeq !== null) url.searchParams.set('resume', String(lastSeq));
  return url.href;
}

/**
 * One logical connection that survives socket failures.
 * handlers: onHello(msg), onCharts(charts, replaceAll), onStatus(msg), onError(message),
 *           onState(state, retryAtMs) with state "connecting" | "live" | "reconnecting".
 */
export class Connection {
  constructor(handlers, { location = window.location, WebSocketImpl = window.WebSocket } = {}) {
    this.handlers = handlers;
    this.location = location;
    this.WebSocketImpl = WebSocketImpl;
    this.lastSeq = null;
    this.attempt = 0;
    this.socket = null;
    this.retryTimer = null;
    this.resumeSentFor = null;
    this.resumeSentAt = 0;
  }

  start() {
    this.open();
  }

  open() {
    this.retryTimer = null;
    this.handlers.onState('connecting', null);
    let socket;
    try {
      socket = new this.WebSocketImpl(socketUrl(this.location, this.lastSeq));
    } catch (e) {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.addEventListener('message', (event) => {
      if (this.socket === socket) this.receive(event.data);
    });
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleReconnect();
    });
    // 'error' is always followed by 'close'; reconnecting happens there, once.
  }

  scheduleReconnect() {
    if (this.retryTimer !== null) return;
    const delay = backoffDelay(this.attempt++);
    this.handlers.onState('reconnecting', Date.now() + delay);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  receive(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      return; // not ours to crash on; the server only sends JSON
    }
    if (msg === null || typeof msg !== 'object') return;
    switch (msg.type) {
      case 'hello':
        // A hello means the server accepted us: the next failure starts again at ~1 s.
        this.attempt = 0;
        this.handlers.onHello(msg);
        this.handlers.onState('live', null);
        break;
      case 'snapshot':
        if (!Number.isFinite(msg.seq)) return;
        this.lastSeq = msg.seq;
        this.resumeSentFor = null;
        this.handlers.onCharts(msg.charts || {}, true);
        break;
      case 'delta':
        this.receiveDelta(msg);
        break;
      case 'status':
        this.handlers.onStatus(msg);
        break;
      case 'error':
        this.handlers.onError(String(msg.message ?? 'unknown error'));
        break;
      default:
        break; // newer server, older page: ignore what we don't know
    }
  }

  receiveDelta(msg) {
    if (!Number.isFinite(msg.seq)) return;
    if (this.lastSeq !== null && msg.seq === this.lastSeq + 1) {
      this.lastSeq = msg.seq;
      this.resumeSentFor = null;
      this.handlers.onCharts(msg.charts || {}, false);
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
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(msg));
  }
}
