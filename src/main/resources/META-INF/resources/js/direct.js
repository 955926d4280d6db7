// Direct messages: the "Direct messages" section of the rooms page (start one by username, the
// list with each conversation's last message), the unseen-conversations badge in the header, and
// what a `dm` frame (a new direct message, received on a socket of another room) does to it.
// A direct conversation is a room (`dm:<id>:<id>`): it opens in the ordinary room view.
import { api } from './api.js';
import { h } from './dom.js';
import { unreadBadge } from './read-state.js';

/** Whether a room id is a direct conversation's. */
export function isDirectRoom(roomId) {
  return /^dm:[1-9][0-9]*:[1-9][0-9]*$/.test(String(roomId));
}

/** The last message as one short line: "you: …" or "bob: …", at most `max` code points. */
export function lastLine(conversation, myId, max = 80) {
  const m = conversation?.lastMessage;
  if (!m) return 'No messages yet';
  const who = String(m.userId) === String(myId) ? 'You' : m.username;
  const text = [...String(m.content).replace(/\s+/g, ' ')];
  return `${who}: ${text.length > max ? `${text.slice(0, max - 1).join('')}…` : text.join('')}`;
}

/**
 * Conversations with a message the user has not opened since: filled by `dm` frames, emptied as
 * each conversation is opened. In memory: a reload starts afresh (the list shows the last message).
 */
export class UnseenDirects {
  #rooms = new Map();
  #listeners = new Set();

  /** A `dm` frame arrived; messages of the user's own (another tab of theirs) do not count. */
  note(frame, myId) {
    if (!frame || frame.type !== 'dm' || !isDirectRoom(frame.roomId)) return;
    const m = frame.message ?? {};
    if (String(m.userId) === String(myId)) return;
    const seq = Number(m.seq);
    const known = this.#rooms.get(frame.roomId);
    if (known !== undefined && known >= seq) return;
    this.#rooms.set(frame.roomId, seq);
    this.#changed();
  }

  seen(roomId) {
    if (this.#rooms.delete(roomId)) this.#changed();
  }

  /** The user read the conversation up to `seq` (on another device): seen if nothing is newer. */
  readUpTo(roomId, seq) {
    const known = this.#rooms.get(roomId);
    if (known !== undefined && known <= Number(seq)) this.seen(roomId);
  }

  has(roomId) {
    return this.#rooms.has(roomId);
  }

  get count() {
    return this.#rooms.size;
  }

  clear() {
    this.#rooms.clear();
    this.#changed();
  }

  /** Calls `listener(count)` on every change; returns the unsubscribe function. */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed() {
    for (const listener of this.#listeners) listener(this.count);
  }
}

export const unseen = new UnseenDirects();

/** The header's link to the list, with the number of unseen conversations (hidden at 0). */
export function directsLink() {
  const badge = h('span', { class: 'count-badge dm-badge', id: 'dm-badge', 'aria-label': 'unread conversations' });
  const show = (count) => {
    badge.textContent = String(count);
    badge.hidden = count === 0;
  };
  show(unseen.count);
  const link = h('a', { href: '#/', class: 'dm-link', id: 'dm-link', title: 'Direct messages' },
    h('span', { 'aria-hidden': 'true' }, 'DMs'), h('span', { class: 'visually-hidden' }, 'Direct messages'), ' ', badge);
  const stop = unseen.subscribe((count) => {
    if (!link.isConnected) {
      stop();
      return;
    }
    show(count);
  });
  return link;
}

/** The other user's name in a conversation of the user's, or null (not found, or an error). */
export async function directPeer(roomId) {
  try {
    const { conversations } = await api.directs();
    return conversations.find((c) => c.roomId === roomId)?.user.username ?? null;
  } catch {
    return null;
  }
}

/** The rooms page's "Direct messages" panel. */
export function directsSection({ me, navigate }) {
  const list = h('ul', { class: 'dm-list', id: 'dm-list', 'aria-busy': 'true' });
  const status = h('p', { class: 'muted', role: 'status' }, 'Loading conversations…');
  const input = h('input', {
    id: 'f-dm', name: 'username', autocomplete: 'off', placeholder: 'username', required: true,
  });
  const error = h('p', { class: 'form-error', role: 'alert', id: 'dm-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'secondary' }, 'Open conversation');
  const form = h('form', { class: 'invite start-dm', 'aria-label': 'Start a direct message' },
    h('label', { for: 'f-dm', class: 'visually-hidden' }, 'Username to write to'), input, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    submit.disabled = true;
    try {
      const conversation = await api.startDirect(input.value.trim());
      navigate(`#/room/${encodeURIComponent(conversation.roomId)}`);
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });

  (async () => {
    try {
      const { conversations } = await api.directs();
      list.replaceChildren(...conversations.map((c) => {
        const dataset = { roomId: c.roomId, unread: String(c.unread ?? 0) };
        if (unseen.has(c.roomId)) dataset.unseen = 'true';
        // The server's count where it has one; "new" for a message that came as a dm frame since.
        const badge = unreadBadge(c.unread)
          ?? (unseen.has(c.roomId) && h('span', { class: 'count-badge' }, 'new'));
        return h('li', { dataset },
          h('a', { href: `#/room/${encodeURIComponent(c.roomId)}`, class: 'room-link' },
            h('span', { class: 'room-name' }, c.user.username, badge && [' ', badge]),
            h('span', { class: 'room-id dm-last' }, lastLine(c, me.id))));
      }));
      status.textContent = conversations.length ? '' : 'No direct messages yet.';
      status.hidden = status.textContent === '';
    } catch (e) {
      status.textContent = e.message;
    } finally {
      list.removeAttribute('aria-busy');
    }
  })();

  return h('section', { class: 'panel', 'aria-labelledby': 'dm-title', id: 'directs' },
    h('h2', { id: 'dm-title' }, 'Direct messages'),
    form, error, status, list);
}
