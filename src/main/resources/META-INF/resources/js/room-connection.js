// One room's WebSocket, as docs/protocol.md describes it, and nothing about the DOM (the Node unit
// tests drive it with a fake socket):
// - keeps the highest seq it holds without a gap and reconnects with ?since=<that seq>, with
//   backoff, after any drop (server restart 1001, network loss 1006, slow-consumer 1008);
// - fills gaps (a truncated catch-up) from REST, page by page;
// - hands every message to the view exactly once (dedupe by seq), whatever the order of arrival;
// - sends with a clientId, keeps the message pending until its ack, and after a reconnect resends
//   what got no ack with the same clientId (the server stores it once).

export const MAX_CONTENT_LENGTH = 4000;
/** Close codes that end the session (docs/protocol.md): logged out, token expired, account gone. */
export const SESSION_ENDED_CODES = new Set([4001, 4002, 4003]);
/** Close codes that end this room for this user: removed by the owner or an admin, or left;
 * kicked, banned; the room archived or deleted by its owner. */
export const ROOM_ENDED_CODES = new Map([
  [4004, 'removed'],
  [4005, 'left'],
  [4006, 'kicked'],
  [4007, 'banned'],
  [4008, 'archived'],
  [4009, 'deleted'],
]);
const PAGE_LIMIT = 500;
const GAP_RETRY_MS = 3000;

/** 0.5 s, 1 s, 2 s, 4 s, then 5 s between attempts, each ±25 % so clients do not stampede. */
export function defaultBackoff(attempt) {
  const base = Math.min(5000, 500 * 2 ** attempt);
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

/** A random UUID; crypto.randomUUID exists only in secure contexts (https or localhost). */
export function newClientId(cryptoImpl = globalThis.crypto) {
  if (typeof cryptoImpl.randomUUID === 'function') return cryptoImpl.randomUUID();
  const b = cryptoImpl.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Length as the server counts it: Unicode code points, not UTF-16 units. */
export function contentLength(text) {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Why a message cannot be sent, or null when it can. The server applies the same rules. */
export function contentProblem(text) {
  if (text.trim() === '') return 'Type a message first.';
  if (text.includes('\u0000')) return 'The message contains a NUL character.';
  if (contentLength(text) > MAX_CONTENT_LENGTH) return `Messages are at most ${MAX_CONTENT_LENGTH} characters.`;
  return null;
}

export class RoomConnection {
  /**
   * @param {object} o
   * @param {string} o.url the room's ws: URL without query
   * @param {(q: {after?: number, before?: number, limit: number}) => Promise<{messages: object[], hasMore: boolean}>} o.fetchPage
   * @param {() => Promise<'ok'|'unauthorized'|'gone'|'archived'|'unreachable'>} [o.probe] asked
   *     after a connection attempt that never opened: browsers hide the refused upgrade's status
   *     (an archived room's handshake is 410: read-only, not worth retrying)
   * @param {object} o.handlers messages(list), presence(frame), typing(frame), pending(item),
   *     dm(frame), read(frame), moderation(frame), state(info), notice(text), fatal(reason); all optional
   */
  constructor({ url, fetchPage, probe, handlers = {}, WebSocketImpl, backoff, timers, clientIds }) {
    this.url = url;
    this.fetchPage = fetchPage;
    this.probe = probe ?? (async () => 'ok');
    this.on = handlers;
    this.WebSocketImpl = WebSocketImpl ?? globalThis.WebSocket;
    this.backoff = backoff ?? defaultBackoff;
    this.timers = timers ?? { set: (f, ms) => setTimeout(f, ms), clear: (id) => clearTimeout(id) };
    this.newClientId = clientIds ?? (() => newClientId());

    /** Every seq handed to the view. */
    this.seen = new Set();
    /** Highest seq up to which nothing is missing (since the first history); null before it. */
    this.lastSeq = null;
    /** Lowest seq held, for "load earlier"; null when none. */
    this.oldestSeq = null;
    this.hasOlder = false;
    /** clientId → {clientId, content, status: queued|sending|failed, error?}, in send order. */
    this.outbox = new Map();
    /** seq → clientId: acked messages whose message frame has not arrived yet. */
    this.awaitingEcho = new Map();

    this.ws = null;
    this.live = false;
    this.attempt = 0;
    this.retryTimer = null;
    this.stopped = false;
    this.filling = false;
    this.state = 'idle';
    this.lastCloseCode = null;
  }

  start() {
    this.stopped = false;
    this.#connect();
  }

  /** Leaves the room for good (close 1000): no reconnect. */
  stop() {
    this.stopped = true;
    this.live = false;
    if (this.retryTimer !== null) this.timers.clear(this.retryTimer);
    this.retryTimer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      try {
        ws.close(1000, 'left the room');
      } catch {
        // already closing
      }
    }
    this.#setState('stopped');
  }

  /** Connects now instead of waiting for the backoff (the network is back, the tab is visible). */
  wake() {
    if (this.stopped || this.retryTimer === null) return;
    this.timers.clear(this.retryTimer);
    this.retryTimer = null;
    this.#connect();
  }

  /** Queues a message; sends it now when live. Returns its clientId. */
  send(content) {
    const text = String(content);
    const problem = contentProblem(text);
    if (problem) throw new RangeError(problem);
    const item = { clientId: this.newClientId(), content: text, status: 'queued' };
    this.outbox.set(item.clientId, item);
    this.#emitPending(item);
    if (this.live) this.#transmit(item);
    return item.clientId;
  }

  /** Tells the room that the user is typing (ephemeral: dropped unless live). */
  sendTyping() {
    if (!this.live || !this.ws) return false;
    try {
      this.ws.send(JSON.stringify({ type: 'typing' }));
      return true;
    } catch {
      return false;
    }
  }

  /** Sends a failed message again, with its original clientId. */
  retry(clientId) {
    const item = this.outbox.get(clientId);
    if (!item || item.status !== 'failed') return;
    item.status = 'queued';
    delete item.error;
    this.#emitPending(item);
    if (this.live) this.#transmit(item);
  }

  /** Forgets a failed message. */
  discard(clientId) {
    const item = this.outbox.get(clientId);
    if (!item || item.status !== 'failed') return;
    this.outbox.delete(clientId);
    this.on.pending?.({ clientId, content: item.content, status: 'discarded' });
  }

  /** Loads the page of messages before the oldest one held. */
  async loadOlder(limit = 50) {
    if (!this.hasOlder || this.oldestSeq === null) return;
    const page = await this.fetchPage({ before: this.oldestSeq, limit });
    this.#accept(page.messages);
    this.hasOlder = page.hasMore && page.messages.length > 0;
  }

  #connect() {
    const since = this.lastSeq;
    const url = since === null ? this.url : `${this.url}?since=${since}`;
    this.#setState(since === null ? 'connecting' : 'reconnecting', { attempt: this.attempt });
    let ws;
    try {
      ws = new this.WebSocketImpl(url);
    } catch {
      this.#afterClose(null, false, 1006);
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      if (this.ws === ws) this.#setState('syncing');
    };
    ws.onmessage = (event) => {
      if (this.ws !== ws) return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      this.#onFrame(frame);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.#afterClose(ws, opened, event.code);
    };
    ws.onerror = () => {
      // A close event always follows.
    };
  }

  #onFrame(frame) {
    switch (frame.type) {
      case 'history':
        this.#onHistory(frame);
        break;
      case 'message':
      case 'edit':
      case 'delete':
        // Edits and deletes are rows of the sequence too (js/edits.js): the same order and gaps.
        this.#accept([frame]);
        break;
      case 'ack':
        this.#onAck(frame);
        break;
      case 'join':
      case 'leave':
        this.on.presence?.(frame);
        break;
      case 'typing':
        this.on.typing?.(frame);
        break;
      case 'moderation':
        // With a seq it is a row of the sequence too: ordered, gap-filled and caught up the same.
        if (frame.seq != null) this.#accept([frame]);
        else this.on.moderation?.(frame);
        break;
      case 'error':
        this.#onError(frame);
        break;
      case 'dm':
        // A direct message elsewhere (see js/direct.js): not this room's.
        this.on.dm?.(frame);
        break;
      case 'read':
        // A read marker moved, in any room of the user's (see js/read-state.js).
        this.on.read?.(frame);
        break;
      default:
        break;
    }
  }

  #onHistory(frame) {
    const messages = Array.isArray(frame.messages) ? frame.messages : [];
    if (this.lastSeq === null) {
      // First entry: the latest messages; older ones are a "load earlier" away.
      this.lastSeq = messages.length ? messages[messages.length - 1].seq : 0;
      this.hasOlder = messages.length > 0 && messages[0].seq > 1;
    }
    // A truncated catch-up leaves a hole below the frame's first seq: #accept finds and fills it.
    this.#accept(messages);
    this.live = true;
    this.attempt = 0;
    this.#setState('live');
    for (const item of this.outbox.values()) {
      if (item.status === 'queued') this.#transmit(item);
    }
  }

  #onAck(frame) {
    const item = this.outbox.get(frame.clientId);
    if (!item) return;
    this.outbox.delete(frame.clientId);
    if (this.seen.has(frame.seq)) {
      this.on.pending?.({ clientId: item.clientId, content: item.content, status: 'done', seq: frame.seq });
    } else {
      this.awaitingEcho.set(frame.seq, item.clientId);
      this.on.pending?.({ clientId: item.clientId, content: item.content, status: 'sent', seq: frame.seq });
    }
  }

  #onError(frame) {
    const item = frame.clientId ? this.outbox.get(frame.clientId) : undefined;
    if (item && typeof frame.retryAfterMs === 'number') {
      // Rate-limited: not stored. It stays pending and goes again, same clientId, after the hint.
      item.status = 'queued';
      this.#emitPending(item);
      this.timers.set(() => {
        if (this.live && this.outbox.get(item.clientId) === item && item.status === 'queued') {
          this.#transmit(item);
        }
      }, Math.max(50, frame.retryAfterMs));
      return;
    }
    if (item) {
      item.status = 'failed';
      item.error = frame.error;
      this.#emitPending(item);
      return;
    }
    if (!this.live) {
      // No history came (the server could not read it): what follows would have no known start,
      // so start over with a fresh connection.
      this.on.notice?.(frame.error ?? 'The server could not load this room.');
      try {
        this.ws?.close(4000, 'no history');
      } catch {
        // already closing
      }
      return;
    }
    this.on.notice?.(frame.error ?? 'The server reported an error.');
  }

  /** Hands new messages to the view, each seq once, then advances lastSeq and fills holes. */
  #accept(messages) {
    const fresh = [];
    for (const m of messages) {
      if (typeof m?.seq !== 'number' || this.seen.has(m.seq)) continue;
      this.seen.add(m.seq);
      fresh.push(m);
      if (this.oldestSeq === null || m.seq < this.oldestSeq) this.oldestSeq = m.seq;
    }
    if (fresh.length) this.on.messages?.(fresh);
    for (const m of fresh) {
      const clientId = this.awaitingEcho.get(m.seq);
      if (clientId !== undefined) {
        this.awaitingEcho.delete(m.seq);
        this.on.pending?.({ clientId, content: m.content, status: 'done', seq: m.seq });
      }
    }
    if (this.lastSeq !== null) {
      this.#advance();
      this.#fillGaps();
    }
  }

  #advance() {
    while (this.seen.has(this.lastSeq + 1)) this.lastSeq++;
  }

  /** Fetches what lies between lastSeq and the next seq held, if anything does. */
  async #fillGaps() {
    if (this.filling || this.stopped || this.lastSeq === null) return;
    let next = Infinity;
    for (const seq of this.seen) if (seq > this.lastSeq && seq < next) next = seq;
    if (next === Infinity) return;
    const before = next;
    this.filling = true;
    try {
      let after = this.lastSeq;
      for (;;) {
        const page = await this.fetchPage({ after, before, limit: PAGE_LIMIT });
        if (this.stopped) return;
        this.#accept(page.messages);
        if (!page.hasMore || page.messages.length === 0) break;
        after = page.messages[page.messages.length - 1].seq;
      }
      // What the server no longer has below `before` (retention) is gone for good.
      this.lastSeq = Math.max(this.lastSeq, before - 1);
    } catch {
      this.on.notice?.('Could not load missed messages yet; trying again.');
      this.timers.set(() => this.#fillGaps(), GAP_RETRY_MS);
      return;
    } finally {
      this.filling = false;
    }
    this.#advance();
    this.#fillGaps();
  }

  #transmit(item) {
    try {
      this.ws.send(JSON.stringify({ type: 'message', content: item.content, clientId: item.clientId }));
      item.status = 'sending';
    } catch {
      item.status = 'queued';
    }
    this.#emitPending(item);
  }

  async #afterClose(ws, opened, code) {
    if (ws && this.ws !== ws) return;
    this.ws = null;
    this.live = false;
    this.lastCloseCode = code;
    for (const item of this.outbox.values()) {
      if (item.status === 'sending') {
        item.status = 'queued';
        this.#emitPending(item);
      }
    }
    if (this.stopped) return;
    if (SESSION_ENDED_CODES.has(code)) {
      // The server ended the session: reconnecting would only be refused with 401.
      this.stopped = true;
      this.#setState('stopped', { reason: 'unauthorized' });
      this.on.fatal?.('unauthorized');
      return;
    }
    if (ROOM_ENDED_CODES.has(code)) {
      // Removed, kicked or banned, left it (from another device), or the room was archived or
      // deleted: a private room would now answer 404, a public one might let us straight back in
      // against the moderator's decision. Either way, do not reconnect.
      const reason = ROOM_ENDED_CODES.get(code);
      this.stopped = true;
      this.#setState('stopped', { reason });
      this.on.fatal?.(reason);
      return;
    }
    if (!opened) {
      // The upgrade failed. A browser does not say why: ask the REST API whether the session or
      // the room is gone (then retrying is pointless) or the server is just not reachable.
      const verdict = await this.probe().catch(() => 'unreachable');
      if (this.stopped) return;
      if (verdict === 'unauthorized' || verdict === 'gone' || verdict === 'archived') {
        this.stopped = true;
        this.#setState('stopped', { reason: verdict });
        this.on.fatal?.(verdict);
        return;
      }
    }
    const delay = this.backoff(this.attempt);
    this.attempt++;
    this.#setState('waiting', { retryInMs: delay, closeCode: code, attempt: this.attempt });
    this.retryTimer = this.timers.set(() => {
      this.retryTimer = null;
      if (!this.stopped) this.#connect();
    }, delay);
  }

  #emitPending(item) {
    this.on.pending?.({ ...item });
  }

  #setState(state, extra = {}) {
    this.state = state;
    this.on.state?.({ state, closeCode: this.lastCloseCode, ...extra });
  }
}
