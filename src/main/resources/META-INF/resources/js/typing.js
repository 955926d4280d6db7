// "X is typing…": sending the signal while the user types (throttled), and showing who else is
// typing until each notice expires or that user's message arrives (docs/protocol.md, typing).
// Pure apart from the timers it is given, so the Node unit tests drive it with a fake clock.

/** The client sends at most one typing frame per this many ms (the server coalesces per 2 s). */
export const TYPING_SEND_INTERVAL_MS = 2500;
/** Used when a notice carries no expiresInMs. */
const DEFAULT_EXPIRY_MS = 5000;

/** Whether to send a typing frame now: at most one per interval while the user keeps typing. */
export class TypingThrottle {
  constructor({ intervalMs = TYPING_SEND_INTERVAL_MS, now = () => Date.now() } = {}) {
    this.intervalMs = intervalMs;
    this.now = now;
    this.lastSent = null;
  }

  /** The composer changed: true when a frame should go out now (and counts it as sent). */
  shouldSend(text) {
    if (String(text).trim() === '') return false;
    const t = this.now();
    if (this.lastSent !== null && t - this.lastSent < this.intervalMs) return false;
    this.lastSent = t;
    return true;
  }

  /**
   * The frame did not go out (not live): the next keystroke tries again. Not called after a
   * message is sent: the server forwards one notice per room and user per 2 s, so a frame sent
   * right after the previous spell's would be dropped there, and then this throttle would hold
   * back the next one for the rest of its interval.
   */
  reset() {
    this.lastSent = null;
  }
}

/** "alice is typing…", "alice and bob are typing…", "alice, bob and carol…", or '' for none. */
export function typingText(names) {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]} are typing…`;
  return 'Several people are typing…';
}

/** Who is typing in the room now: notices in, expiries and messages out. */
export class TypingIndicator {
  /**
   * @param {object} o
   * @param {string} o.myId never shown as typing (the server does not send our own, anyway)
   * @param {(names: string[]) => void} o.onChange the names, in the order they started typing
   */
  constructor({ myId, onChange, timers }) {
    this.myId = String(myId);
    this.onChange = onChange ?? (() => {});
    this.timers = timers ?? { set: (f, ms) => setTimeout(f, ms), clear: (id) => clearTimeout(id) };
    /** userId → {username, timer} */
    this.typists = new Map();
  }

  /** A typing frame from the server. */
  typing(frame) {
    const userId = String(frame.userId ?? '');
    if (userId === '' || userId === this.myId) return;
    const ms = Number.isFinite(frame.expiresInMs) && frame.expiresInMs > 0 ? frame.expiresInMs : DEFAULT_EXPIRY_MS;
    const known = this.typists.get(userId);
    if (known) this.timers.clear(known.timer);
    const timer = this.timers.set(() => this.stopped(userId), ms);
    this.typists.set(userId, { username: frame.username ?? known?.username ?? 'Someone', timer });
    if (!known) this.#changed();
  }

  /** A message from this user arrived: they are done typing it. */
  stopped(userId) {
    const known = this.typists.get(String(userId));
    if (!known) return;
    this.timers.clear(known.timer);
    this.typists.delete(String(userId));
    this.#changed();
  }

  /** Leaving the room, or the connection dropped: nobody is shown typing any more. */
  clear() {
    if (this.typists.size === 0) return;
    for (const { timer } of this.typists.values()) this.timers.clear(timer);
    this.typists.clear();
    this.#changed();
  }

  names() {
    return [...this.typists.values()].map((t) => t.username);
  }

  #changed() {
    this.onChange(this.names());
  }
}
