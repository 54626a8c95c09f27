// The exported page's upstream connections: the browser itself opens each source of the
// dashboard and hands every frame to the in-browser engine, doing what the server's sources do
// (source/WebSocketFrameHandler, SseSource, ReconnectLoop, SilenceWatchdog):
//
// - WebSocket: sends the source's subscribe messages after every connect, answers a frame the
//   engine calls a heartbeat with the source's reply, and reconnects after a close or error with
//   the engine's Backoff (the server's own jittered delays); the attempt count starts again once
//   a connection delivered data (a heartbeat is not data), as on the server.
// - Silence watchdog: a connection without a data frame for the source's `silence` is closed
//   and reconnected (heartbeats do not count: the "dead socket" of DASHBOARDS.md).
// - SSE: EventSource, so the browser parses the stream, handles named events and sends
//   Last-Event-ID when it reconnects by itself. After a connection that delivered events the
//   browser's own reconnect is kept (the server also waits the stream's `retry:` then); when a
//   connection fails before any event, or the browser gives up, the page closes it and opens a
//   new one after the backoff delay (a new EventSource cannot send Last-Event-ID).
//
// Bounded: nothing is queued. A frame goes to the engine as it arrives (the engine's decoder
// skips and counts one over its size limit), and while a source is disconnected there is
// nothing to keep. Each upstream owns its timers; all of it runs on the page's one thread.

const HISTORY = 20; // state changes kept per source for the test hooks
const CLOSE_SILENT = 4000; // application close code sent when the watchdog gives up

/** "500 ms", "4 s": the server's Durations.human, so status lines read the same. */
export function human(ms) {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

/** host[:port] of a URL, for status lines. */
export function hostOf(url) {
  try {
    return new URL(url).host;
  } catch (e) {
    return String(url);
  }
}

/**
 * What both kinds share: state for the status bar, backoff, the watchdog and the test hooks.
 * deps: { engine, onChange(), now(), timers: {setTimeout, clearTimeout} }
 */
class Upstream {
  constructor(source, deps) {
    this.source = source; // {name, kind, url, subscribe, heartbeatReply, silenceMillis}
    this.engine = deps.engine;
    this.onChange = deps.onChange || (() => {});
    this.now = deps.now || (() => Date.now());
    this.timers = deps.timers || window;
    this.attempt = 0; // delays handed out since the last connection that delivered data
    this.retryTimer = null;
    this.watchdogTimer = null;
    this.lastDataAt = 0;
    this.deliveredData = false; // the current connection delivered data
    // Test hooks and status; read by live.js.
    this.hooks = {
      name: source.name,
      kind: source.kind,
      url: source.url,
      state: 'connecting',
      detail: '',
      retryAt: null,
      connects: 0, // connections opened (the first one included)
      heartbeatsAnswered: 0,
      frames: 0, // messages handed to the engine (heartbeats included)
      engineErrors: 0, // messages the engine threw on (none expected: it counts bad input as skipped)
      binary: 0, // binary frames skipped (the engine reads text)
      history: [], // the latest state changes, oldest first
      reasons: [], // why the latest connections ended, oldest first
    };
  }

  setState(state, detail, retryAt = null) {
    const h = this.hooks;
    h.state = state;
    h.detail = detail;
    h.retryAt = retryAt;
    h.history.push(state);
    if (h.history.length > HISTORY) h.history.shift();
    this.onChange();
  }

  /**
   * One message of the current connection to the engine: `read(now)` calls engine.frame or
   * engine.sseEvent. Returns the engine's verdict: "event", "heartbeat" or "skipped:REASON".
   */
  deliver(read) {
    this.hooks.frames++;
    let verdict;
    try {
      verdict = read(this.now());
    } catch (e) {
      // The engine skips and counts bad input itself; an exception is its own bug, not the feed's.
      this.hooks.engineErrors++;
      verdict = 'skipped:ENGINE_ERROR';
    }
    if (verdict !== 'heartbeat') this.dataArrived();
    return verdict;
  }

  dataArrived() {
    this.lastDataAt = this.now();
    if (!this.deliveredData) {
      this.deliveredData = true;
      this.attempt = 0; // as the server's resetBackoff on a connection's first data
    }
  }

  startWatchdog(onSilent) {
    const silence = this.source.silenceMillis;
    if (!Number.isFinite(silence) || silence <= 0) return;
    this.lastDataAt = this.now();
    const check = () => {
      this.watchdogTimer = null;
      const silentFor = this.now() - this.lastDataAt;
      if (silentFor >= silence) {
        onSilent(`no data for ${human(silence)}`);
        return;
      }
      // As the server's SilenceWatchdog: one timer, rescheduled for the rest of the limit, so a
      // message costs a field write and not a timer.
      this.watchdogTimer = this.timers.setTimeout(check, silence - silentFor);
    };
    this.watchdogTimer = this.timers.setTimeout(check, silence);
  }

  stopWatchdog() {
    if (this.watchdogTimer !== null) this.timers.clearTimeout(this.watchdogTimer);
    this.watchdogTimer = null;
  }

  start() {
    this.open();
  }

  noteEnd(reason) {
    this.hooks.reasons.push(reason);
    if (this.hooks.reasons.length > HISTORY) this.hooks.reasons.shift();
  }

  /** The connection ended for `reason`: wait the backoff delay, then open a new one. */
  reconnectLater(reason) {
    if (this.retryTimer !== null) return;
    let delay;
    try {
      delay = Number(this.engine.backoffMillis(this.attempt));
    } catch (e) {
      delay = NaN;
    }
    if (!Number.isFinite(delay) || delay < 0) delay = 30000; // never spin on a broken engine
    this.attempt++;
    this.noteEnd(reason);
    this.setState('reconnecting', `reconnecting in ${human(delay)}: ${reason}`, this.now() + delay);
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }
}

/** A WebSocket source. */
export class WebSocketUpstream extends Upstream {
  constructor(source, deps) {
    super(source, deps);
    this.WebSocketImpl = deps.WebSocketImpl || window.WebSocket;
    this.socket = null;
  }

  open() {
    this.setState('connecting', `connecting to ${hostOf(this.source.url)}`);
    this.deliveredData = false;
    let socket;
    try {
      socket = new this.WebSocketImpl(this.source.url);
    } catch (e) {
      // A URL the browser refuses (or a CSP that blocks it, in older browsers).
      this.reconnectLater(`cannot open: ${e && e.name ? e.name : 'error'}`);
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      opened = true;
      this.hooks.connects++;
      for (const message of this.source.subscribe || []) socket.send(String(message));
      this.startWatchdog((reason) => this.silent(socket, reason));
      this.setState('live', `connected to ${hostOf(this.source.url)}`);
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      if (typeof event.data !== 'string') {
        // The server skips and counts a binary frame as data; so does the page.
        this.hooks.binary++;
        this.dataArrived();
        return;
      }
      const verdict = this.deliver((now) => this.engine.frame(this.source.name, event.data, now));
      if (verdict === 'heartbeat' && typeof this.source.heartbeatReply === 'string') {
        socket.send(this.source.heartbeatReply);
        this.hooks.heartbeatsAnswered++;
      }
    };
    // 'error' is always followed by 'close'; reconnecting happens there, once.
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopWatchdog();
      const reason = opened
        ? `connection closed by server (${event.code})`
        : 'connection failed';
      this.reconnectLater(reason);
    };
  }

  /** The watchdog fired: drop this socket (without waiting for its close handshake) and reconnect. */
  silent(socket, reason) {
    if (this.socket !== socket) return;
    this.closeConnection();
    this.reconnectLater(reason);
  }

  closeConnection() {
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      try {
        socket.close(CLOSE_SILENT, 'reconnecting');
      } catch (e) {
        // already closing
      }
    }
  }
}

/** A Server-Sent Events source. */
export class SseUpstream extends Upstream {
  constructor(source, deps) {
    super(source, deps);
    this.EventSourceImpl = deps.EventSourceImpl || window.EventSource;
    this.stream = null;
  }

  open() {
    this.setState('connecting', `connecting to ${hostOf(this.source.url)}`);
    this.deliveredData = false;
    let stream;
    try {
      stream = new this.EventSourceImpl(this.source.url);
    } catch (e) {
      this.reconnectLater(`cannot open: ${e && e.name ? e.name : 'error'}`);
      return;
    }
    this.stream = stream;
    const onEvent = (event) => {
      if (this.stream !== stream) return;
      // The type feeds the source's `events` filter and @event, the stream's last id @id.
      this.deliver((now) => this.engine.sseEvent(this.source.name, String(event.type),
        typeof event.data === 'string' ? event.data : '', String(event.lastEventId || ''), now));
    };
    // EventSource hands unnamed events to 'message' listeners and a named one only to listeners
    // of its name, so a source that takes all types (no `events`) hears unnamed events only.
    // 'message' is always heard: the engine applies `events` and counts what it leaves out, as
    // the server does.
    const types = new Set(['message']);
    for (const type of Array.isArray(this.source.events) ? this.source.events : []) types.add(String(type));
    for (const type of types) stream.addEventListener(type, onEvent);
    stream.onopen = () => {
      if (this.stream !== stream) return;
      this.hooks.connects++;
      this.deliveredData = false;
      this.stopWatchdog();
      this.startWatchdog((reason) => this.silent(stream, reason));
      this.setState('live', `streaming ${hostOf(this.source.url)}`);
    };
    stream.onerror = () => {
      if (this.stream !== stream) return;
      this.stopWatchdog();
      if (stream.readyState === 0 && this.deliveredData) {
        // The browser reconnects by itself after its retry delay, sending Last-Event-ID.
        this.deliveredData = false;
        this.noteEnd('stream ended');
        this.setState('reconnecting', 'reconnecting: stream ended');
        return;
      }
      this.closeConnection();
      this.reconnectLater(stream.readyState === 2 ? 'stream refused' : 'stream failed');
    };
  }

  silent(stream, reason) {
    if (this.stream !== stream) return;
    this.closeConnection();
    this.reconnectLater(reason);
  }

  closeConnection() {
    const stream = this.stream;
    this.stream = null;
    if (stream) stream.close();
  }
}

/** The upstream for one source of engine.sources(), or null for a kind a browser cannot open. */
export function upstreamFor(source, deps) {
  if (source.kind === 'websocket') return new WebSocketUpstream(source, deps);
  if (source.kind === 'sse') return new SseUpstream(source, deps);
  return null;
}
