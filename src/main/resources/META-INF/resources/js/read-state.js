// Read state: the room view moves the user's read marker (PUT /rooms/{roomId}/read) as messages
// are shown, at most once a second; the lists show each room's unread count as a badge; and a
// `read` frame (the user read a room on another device, or in a DM the other user read it) keeps
// the badges of this tab in step.
import { h } from './dom.js';

/** What the server counts up to: a count of this many means "this many or more". */
export const UNREAD_CAP = 100;

/** The badge text for an unread count: null for none (or unknown), "100+" at the cap. */
export function unreadText(count) {
  const n = Number(count);
  if (!Number.isFinite(n) || n <= 0) return null;
  return n >= UNREAD_CAP ? `${UNREAD_CAP}+` : String(Math.floor(n));
}

/** The list's unread badge for a room, or null when there is nothing unread. */
export function unreadBadge(count) {
  const text = unreadText(count);
  if (text === null) return null;
  return h('span', { class: 'count-badge unread-badge', 'aria-label': `${text} unread` }, text);
}

/**
 * Moves one room's marker forward: `seen(seq)` for the highest seq shown; sends the first at once
 * and then at most one marker per `intervalMs` (the latest), only while `visible()` says the
 * messages can be seen, and never a seq at or below what was already sent. `flush()` sends what is
 * due now (the tab became visible); `stop()` cancels what is pending.
 */
export class ReadMarker {
  #send;
  #visible;
  #timers;
  #intervalMs;
  #sent = 0;
  #wanted = 0;
  #timer = null;
  #lastAt = -Infinity;
  #now;
  #stopped = false;

  constructor({ send, visible = () => true, intervalMs = 1000, timers, now = () => Date.now() }) {
    this.#send = send;
    this.#visible = visible;
    this.#intervalMs = intervalMs;
    this.#timers = timers ?? { set: (f, ms) => setTimeout(f, ms), clear: (id) => clearTimeout(id) };
    this.#now = now;
  }

  /** The highest seq sent so far (0: none). */
  get sent() {
    return this.#sent;
  }

  seen(seq) {
    const n = Number(seq);
    if (!Number.isSafeInteger(n) || n <= this.#wanted) return;
    this.#wanted = n;
    this.flush();
  }

  /** Another device read up to `seq`: nothing at or below it needs sending. */
  readElsewhere(seq) {
    const n = Number(seq);
    if (Number.isSafeInteger(n) && n > this.#sent) this.#sent = n;
  }

  flush() {
    if (this.#stopped || this.#timer !== null || this.#wanted <= this.#sent || !this.#visible()) return;
    const wait = this.#lastAt + this.#intervalMs - this.#now();
    if (wait > 0) {
      this.#timer = this.#timers.set(() => {
        this.#timer = null;
        this.flush();
      }, wait);
      return;
    }
    this.#lastAt = this.#now();
    const seq = this.#wanted;
    this.#sent = seq;
    Promise.resolve()
      .then(() => this.#send(seq))
      .catch(() => {
        // Not stored (offline, say): the next message shown or the next visibility tries again.
        if (this.#sent === seq) this.#sent = 0;
      });
  }

  stop() {
    this.#stopped = true;
    if (this.#timer !== null) this.#timers.clear(this.#timer);
    this.#timer = null;
  }
}

/**
 * What this tab knows of the user's read markers from `read` frames: `note(frame, myId)` answers
 * whether the frame was the user's own (another device of theirs) and tells the listeners
 * `(roomId, seq)`; a frame about the other user of a DM (a receipt) goes to `receipt` listeners.
 */
export class ReadFrames {
  #own = new Set();
  #receipts = new Set();

  note(frame, myId) {
    if (!frame || frame.type !== 'read' || typeof frame.roomId !== 'string') return false;
    const seq = Number(frame.seq);
    if (!Number.isSafeInteger(seq)) return false;
    const own = String(frame.userId) === String(myId);
    for (const listener of own ? this.#own : this.#receipts) listener(frame.roomId, seq, frame);
    return own;
  }

  /** Calls `listener(roomId, seq)` for each of the user's own read frames; returns the unsubscribe. */
  onOwn(listener) {
    this.#own.add(listener);
    return () => this.#own.delete(listener);
  }

  /** Calls `listener(roomId, seq, frame)` for each receipt (the other user of a DM read it). */
  onReceipt(listener) {
    this.#receipts.add(listener);
    return () => this.#receipts.delete(listener);
  }
}

export const readFrames = new ReadFrames();

/**
 * A DM's read receipt in the log: "Seen" on the user's own newest message at or below `seq` (the
 * other user has read up to there), and on no other.
 */
export function markSeen(log, myId, seq) {
  let target = null;
  for (const el of log.querySelectorAll('li.msg[data-seq]')) {
    if (el.dataset.userId === String(myId) && Number(el.dataset.seq) <= seq) target = el;
  }
  for (const old of log.querySelectorAll('.seen-mark')) {
    if (old.closest('li') !== target) old.remove();
  }
  if (target && !target.querySelector('.seen-mark')) {
    target.querySelector('.meta')?.append(h('span', { class: 'seen-mark', 'aria-label': 'seen by the other user' }, 'Seen'));
  }
}
