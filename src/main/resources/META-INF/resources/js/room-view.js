// The room: history and live messages, who is here, join/leave notices, the composer.
import { api, roomSocketUrl } from './api.js';
import { directPeer, isDirectRoom } from './direct.js';
import { h, replace } from './dom.js';
import { archivedBadge, privateBadge } from './rooms-view.js';
import { moderationText } from './membership.js';
import { membersPanel } from './members-panel.js';
import { MAX_CONTENT_LENGTH, RoomConnection, contentLength, contentProblem } from './room-connection.js';
import { isChange } from './edits.js';
import { MessageRows } from './message-rows.js';
import { ReadMarker, markSeen, readFrames } from './read-state.js';
import { layoutLog } from './timeline.js';
import { TypingIndicator, TypingThrottle, typingText } from './typing.js';

/** "14:03" today, "27 Nov 2026, 14:03" on other days, in the viewer's own time zone and locale. */
export function formatTime(iso, now = new Date()) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toDateString() === now.toDateString()
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function timeEl(iso) {
  if (!iso) return null;
  const date = new Date(iso);
  return h('time', { datetime: iso, title: date.toLocaleString() }, formatTime(iso));
}

const STATE_TEXT = {
  idle: 'Connecting…',
  connecting: 'Connecting…',
  syncing: 'Loading messages…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  stopped: 'Disconnected',
};

const PENDING_TEXT = {
  queued: 'Waiting for the connection…',
  sending: 'Sending…',
  sent: 'Sent',
};

/**
 * Renders the room into `main`; returns a function that leaves the room (closes the socket).
 * @param {{id: string, username: string}} me
 */
export function renderRoom(main, { roomId, me, header, onSessionLost, onDirect }) {
  const myId = String(me.id);
  const title = h('h1', { id: 'room-title', class: 'room-title' }, roomId);
  const statusText = h('span', { class: 'conn-text' }, STATE_TEXT.connecting);
  const reconnectNow = h('button', { type: 'button', class: 'link-button', hidden: true }, 'Reconnect now');
  const status = h('div', { id: 'conn-status', class: 'conn', dataset: { state: 'connecting' }, role: 'status' },
    h('span', { class: 'conn-dot', 'aria-hidden': 'true' }), statusText, reconnectNow);
  const notice = h('p', { class: 'room-notice', role: 'alert', hidden: true });

  const olderButton = h('button', { type: 'button', class: 'older', hidden: true }, 'Load earlier messages');
  const log = h('ol', { class: 'log', id: 'messages', role: 'log', 'aria-label': 'Messages', 'aria-live': 'polite' });
  const outbox = h('ol', { class: 'log outbox', id: 'outbox', 'aria-label': 'Messages being sent' });
  const scroller = h('div', { class: 'scroller' }, olderButton, log, outbox);
  const typingLine = h('p', { id: 'typing', class: 'typing', 'aria-live': 'polite' });

  const peopleCount = h('span', { class: 'count-badge' }, '0');
  const people = h('ul', { id: 'people', class: 'people' });
  const presence = h('section', { class: 'presence', 'aria-labelledby': 'people-title' },
    h('h2', { id: 'people-title' }, 'Here now ', peopleCount), people);

  // Members, roles and the room tools (js/members-panel.js).
  const members = membersPanel({ roomId, myId, onRole: (role) => rows.setRole(role) });

  const textarea = h('textarea', {
    id: 'composer', name: 'content', rows: 1, placeholder: 'Write a message…', autocomplete: 'off',
    'aria-describedby': 'composer-hint composer-count',
  });
  const counter = h('span', { id: 'composer-count', class: 'char-count' }, `0 / ${MAX_CONTENT_LENGTH}`);
  const sendButton = h('button', { type: 'submit', class: 'primary', disabled: true }, 'Send');
  const composer = h('form', { class: 'composer', 'aria-label': 'Send a message' },
    h('label', { for: 'composer', class: 'visually-hidden' }, 'Message'),
    textarea,
    sendButton,
    h('div', { class: 'composer-foot' },
      h('span', { id: 'composer-hint', class: 'hint narrow-hidden' }, 'Enter to send · Shift+Enter for a new line'),
      counter));

  main.replaceChildren(header, h('div', { class: 'room-page' },
    h('div', { class: 'room-bar' },
      h('a', { href: '#/', class: 'back' }, h('span', { 'aria-hidden': 'true' }, '← '), 'Rooms'),
      title,
      status),
    notice,
    h('div', { class: 'room-body' },
      h('section', { class: 'conversation', 'aria-labelledby': 'room-title' }, scroller, typingLine, composer),
      h('div', { class: 'side' }, presence, members.el))));

  // --- messages ---------------------------------------------------------------------------
  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  const toBottom = () => { scroller.scrollTop = scroller.scrollHeight; };

  // Message rows with their edit/delete tools (js/message-rows.js); headSeq: the highest seq held.
  const rows = new MessageRows({ roomId, myId, timeEl });
  let headSeq = 0;

  /**
   * Puts a message where its seq belongs: a new one at the end (after any notice), a late one
   * (gap fill, older page) right before the first message with a higher seq.
   */
  function insertMessage(el, seq) {
    let next = null;
    for (let e = log.lastElementChild; e; e = e.previousElementSibling) {
      if (e.dataset.seq === undefined) continue;
      if (Number(e.dataset.seq) > seq) next = e;
      else break;
    }
    if (next) next.before(el);
    else log.append(el);
  }

  function addNotice(text, iso, kind) {
    log.append(h('li', { class: 'notice', dataset: { kind } }, text, iso && ' · ', timeEl(iso)));
  }

  // --- pending messages ---------------------------------------------------------------------
  const pendingEls = new Map();

  function renderPending(item) {
    let el = pendingEls.get(item.clientId);
    if (item.status === 'done' || item.status === 'discarded') {
      el?.remove();
      pendingEls.delete(item.clientId);
      return;
    }
    const stick = nearBottom();
    if (!el) {
      el = h('li', { class: 'msg own pending', dataset: { clientId: item.clientId } });
      pendingEls.set(item.clientId, el);
      outbox.append(el);
    }
    el.dataset.status = item.status;
    const state = item.status === 'failed'
      ? h('span', { class: 'pending-state failed' }, `Not sent: ${item.error ?? 'error'} `,
        h('button', { type: 'button', class: 'link-button', onclick: () => connection.retry(item.clientId) }, 'Retry'),
        ' ',
        h('button', { type: 'button', class: 'link-button', onclick: () => connection.discard(item.clientId) }, 'Discard'))
      : h('span', { class: 'pending-state' }, PENDING_TEXT[item.status] ?? item.status);
    replace(el,
      h('div', { class: 'meta' }, h('span', { class: 'author' }, me.username), state),
      h('p', { class: 'text' }, item.content));
    if (stick) toBottom();
  }

  // --- who is here --------------------------------------------------------------------------
  let peopleTimer = null;
  function refreshPeople() {
    clearTimeout(peopleTimer);
    peopleTimer = setTimeout(async () => {
      try {
        const users = await api.whoIsHere(roomId);
        peopleCount.textContent = String(users.length);
        people.replaceChildren(...users.map((u) =>
          h('li', { class: u.id === myId ? 'me' : undefined, dataset: { userId: u.id } },
            u.username, u.id === myId && h('span', { class: 'you' }, ' (you)'))));
      } catch {
        // The next join/leave or reconnect refreshes it.
      }
    }, 150);
  }


  // --- who is typing (js/typing.js) ---------------------------------------------------------
  const typists = new TypingIndicator({
    myId,
    onChange: (names) => { typingLine.textContent = typingText(names); },
  });
  const typingThrottle = new TypingThrottle();

  // --- read state (js/read-state.js) ---------------------------------------------------------
  // The marker follows what is on screen: the newest message, while the tab is visible and the
  // list is scrolled to its end.
  const readMarker = new ReadMarker({
    send: (seq) => api.markRead(roomId, seq),
    visible: () => document.visibilityState === 'visible',
  });
  const readIfShown = () => { if (nearBottom()) readMarker.seen(connection.lastSeq); };
  scroller.addEventListener('scroll', readIfShown, { passive: true });
  const stopOwnReads = readFrames.onOwn((id, seq) => { if (id === roomId) readMarker.readElsewhere(seq); });
  let receiptSeq = 0;
  const showReceipt = () => markSeen(log, myId, receiptSeq);
  const stopReceipts = readFrames.onReceipt((id, seq) => {
    if (id !== roomId || seq <= receiptSeq) return;
    receiptSeq = seq;
    showReceipt();
  });

  // --- connection ---------------------------------------------------------------------------
  // How often the socket went live: the server also announces our own join after a reconnect.
  let liveCount = 0;
  const connection = new RoomConnection({
    url: roomSocketUrl(roomId),
    fetchPage: (query) => api.messages(roomId, query),
    probe: async () => {
      try {
        await api.whoIsHere(roomId);
      } catch (e) {
        if (e.status === 401) return 'unauthorized';
        if (e.status === 404) return 'gone';
        return 'unreachable';
      }
      // An archived room still answers REST but refuses the socket (410): read-only.
      const { rooms } = await api.rooms().catch(() => ({ rooms: [] }));
      return rooms.some((r) => r.id === roomId && r.archived) ? 'archived' : 'ok';
    },
    handlers: {
      messages(list) {
        const stick = nearBottom();
        const olderPage = list.length > 0 && log.querySelector('[data-seq]')
          && list[list.length - 1].seq < Number(log.querySelector('[data-seq]').dataset.seq);
        const before = scroller.scrollHeight;
        // A message frame shows its state as of the batch's last seq: only later changes apply.
        for (const m of list) headSeq = Math.max(headSeq, m.seq);
        let moderated = false;
        for (const m of list) {
          if (isChange(m)) continue;
          if (m.type === 'moderation') {
            // A moderation event of the sequence: the same system line as a live notice, at its seq.
            const text = moderationText(m, myId);
            if (text) {
              insertMessage(h('li', { class: 'notice', dataset: { kind: 'moderation', seq: String(m.seq) } },
                text, ' · ', timeEl(m.sentAt)), m.seq);
            }
            // The panel's bookkeeping (who is muted, the bans list) follows the sequence too.
            if (!olderPage) members.moderation(m);
            moderated = true;
            continue;
          }
          insertMessage(rows.create(m, headSeq), m.seq);
          typists.stopped(m.userId);
        }
        for (const m of list) if (isChange(m)) rows.apply(m);
        layoutLog(log);
        if (olderPage) scroller.scrollTop += scroller.scrollHeight - before;
        else if (stick) toBottom();
        olderButton.hidden = !connection.hasOlder;
        if (moderated && !olderPage) members.refresh();
        if (receiptSeq > 0) showReceipt();
        // After the connection has advanced its lastSeq past these messages.
        queueMicrotask(readIfShown);
      },
      presence(frame) {
        const self = frame.userId === myId;
        if (!(self && liveCount > 1)) {
          const who = self ? 'You' : frame.username;
          addNotice(frame.type === 'join' ? `${who} joined the room` : `${who} left the room`, frame.sentAt, frame.type);
          layoutLog(log);
          if (nearBottom()) toBottom();
        }
        refreshPeople();
        members.refresh();
      },
      typing: (frame) => typists.typing(frame),
      moderation(frame) {
        members.moderation(frame);
        const text = moderationText(frame, myId);
        if (text) {
          addNotice(text, frame.sentAt, 'moderation');
          layoutLog(log);
          if (nearBottom()) toBottom();
        }
        members.refresh();
      },
      pending: renderPending,
      dm: (frame) => onDirect?.(frame),
      read: (frame) => readFrames.note(frame, myId),
      state(info) {
        if (info.state !== 'live') typists.clear();
        status.dataset.state = info.state;
        if (info.closeCode != null) status.dataset.closeCode = String(info.closeCode);
        reconnectNow.hidden = info.state !== 'waiting';
        statusText.textContent = info.state === 'waiting'
          ? `Connection lost. Retrying in ${Math.max(1, Math.round(info.retryInMs / 1000))} s…`
          : STATE_TEXT[info.state] ?? info.state;
        if (info.state === 'live') {
          liveCount++;
          if (liveCount === 1) toBottom();
          readIfShown();
          notice.hidden = true;
          olderButton.hidden = !connection.hasOlder;
          refreshPeople();
          members.refresh();
        }
      },
      notice(text) {
        notice.textContent = text;
        notice.hidden = false;
      },
      fatal(reason) {
        if (reason === 'unauthorized') {
          onSessionLost();
          return;
        }
        const texts = {
          removed: `You were removed from room “${roomId}”.`,
          left: `You left room “${roomId}”.`,
          kicked: `You were kicked from room “${roomId}”.`,
          banned: `You were banned from room “${roomId}”.`,
          archived: `Room “${roomId}” was archived: its history stays, but nobody can write in it.`,
          deleted: `Room “${roomId}” was deleted.`,
        };
        notice.textContent = texts[reason] ?? `Room “${roomId}” does not exist (any more).`;
        notice.hidden = false;
        composer.hidden = true;
        if (reason === 'archived') {
          showArchived();
          return;
        }
        members.end({ hide: true });
      },
    },
  });

  /** The room was archived (4008) or was already (410): its history, members, the owner's Delete. */
  async function showArchived() {
    members.archive();
    typingLine.hidden = true;
    title.dataset.archived = 'true';
    // No edits or deletes in an archived room (the server answers 409): hide the message tools.
    log.dataset.readOnly = 'true';
    if (!title.querySelector('.archived-badge')) title.append(' ', archivedBadge());
    statusText.textContent = 'Archived: read-only';
    if (log.querySelector('[data-seq]')) return;
    try {
      const page = await api.messages(roomId, { limit: 100 });
      connection.on.messages(page.messages);
    } catch (e) {
      if (e.status !== 401) notice.textContent += ` ${e.message}`;
    }
  }

  reconnectNow.addEventListener('click', () => connection.wake());
  olderButton.addEventListener('click', async () => {
    olderButton.disabled = true;
    try {
      await connection.loadOlder();
    } catch (e) {
      notice.textContent = e.message;
      notice.hidden = false;
    } finally {
      olderButton.disabled = false;
      olderButton.hidden = !connection.hasOlder;
    }
  });

  // --- composer -----------------------------------------------------------------------------
  function updateCounter() {
    const length = contentLength(textarea.value);
    const over = length > MAX_CONTENT_LENGTH;
    counter.textContent = over
      ? `${length} / ${MAX_CONTENT_LENGTH} — too long`
      : `${length} / ${MAX_CONTENT_LENGTH}`;
    counter.classList.toggle('over', over);
    textarea.toggleAttribute('aria-invalid', over);
    sendButton.disabled = contentProblem(textarea.value) !== null;
  }

  function submit() {
    if (contentProblem(textarea.value) !== null) return;
    connection.send(textarea.value);
    textarea.value = '';
    updateCounter();
    toBottom();
    textarea.focus();
  }

  textarea.addEventListener('input', updateCounter);
  textarea.addEventListener('input', () => {
    // Not live: nothing went out, so the next keystroke tries again.
    if (typingThrottle.shouldSend(textarea.value) && !connection.sendTyping()) typingThrottle.reset();
  });
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });

  // Reconnect at once when the network or the tab comes back instead of waiting out the backoff.
  const wake = () => connection.wake();
  const onVisible = () => {
    if (document.visibilityState !== 'visible') return;
    connection.wake();
    readMarker.flush();
  };
  window.addEventListener('online', wake);
  document.addEventListener('visibilitychange', onVisible);

  if (isDirectRoom(roomId)) {
    directPeer(roomId).then((peer) => {
      if (peer) {
        title.textContent = `Direct: ${peer}`;
        document.title = `${peer} · Huddle`;
      }
    });
  } else {
    api.rooms().then(({ rooms }) => {
      const room = rooms.find((r) => r.id === roomId);
      if (room) {
        title.textContent = room.name;
        if (room.kind === 'private') {
          title.append(' ', privateBadge());
        }
        if (room.archived && !title.querySelector('.archived-badge')) title.append(' ', archivedBadge());
        members.setKind(room.kind ?? 'public');
        document.title = `${room.name} · Huddle`;
      }
    }).catch(() => {});
  }

  connection.start();
  textarea.focus();

  return () => {
    clearTimeout(peopleTimer);
    typists.clear();
    members.end();
    window.removeEventListener('online', wake);
    document.removeEventListener('visibilitychange', onVisible);
    readMarker.stop();
    stopOwnReads();
    stopReceipts();
    connection.stop();
  };
}
