// The room list and the form that creates a room.
import { api } from './api.js';
import { apiForm } from './auth-view.js';
import { directsSection } from './direct.js';
import { h } from './dom.js';
import { unreadBadge } from './read-state.js';

/** A room id suggested from its name: what the server accepts (letters, digits, _ - .), ≤ 64. */
export function suggestId(name) {
  return name.trim().toLowerCase()
    .replace(/[^\p{L}\p{N}_.-]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

/** The "private" mark of a room: a padlock (an image: no emoji font needed) and the word. */
export function privateBadge() {
  return h('span', { class: 'room-kind' },
    h('img', { src: 'lock.svg', alt: '', width: 9, height: 11, class: 'lock' }), 'private');
}

/** The "archived" mark of a room: read-only, its history kept. */
export function archivedBadge() {
  return h('span', { class: 'room-kind archived-badge' }, 'archived');
}

export async function renderRooms(main, { header, navigate, me }) {
  const list = h('ul', { class: 'room-list', 'aria-busy': 'true' });
  const status = h('p', { class: 'muted', role: 'status' }, 'Loading rooms…');

  const { form, inputs } = apiForm({
    fields: [
      { name: 'name', label: 'Room name', autocomplete: 'off' },
      { name: 'id', label: 'Room id', autocomplete: 'off', hint: 'Used in links: letters, digits, spaces, _ - or .' },
    ],
    submitLabel: 'Create room',
    busyLabel: 'Creating…',
    className: 'create-room',
    action: async ({ id, name }) => {
      const room = await api.createRoom(id.trim(), name.trim(), { private: privateBox.checked });
      navigate(`#/room/${encodeURIComponent(room.id)}`);
    },
  });
  // Private: only its members see, read and join it (the creator is its owner and invites).
  const privateBox = h('input', { type: 'checkbox', id: 'f-private', name: 'private', 'aria-describedby': 'f-private-hint' });
  form.querySelector('.form-error').before(h('div', { class: 'field checkbox-field' },
    h('label', { for: 'f-private' }, privateBox, ' Private'),
    h('p', { id: 'f-private-hint', class: 'hint' }, 'Only members see it; you invite them from the room.')));

  // Suggest an id from the name until the user types an id of their own.
  let idEdited = false;
  inputs.id.addEventListener('input', () => { idEdited = inputs.id.value !== ''; });
  inputs.name.addEventListener('input', () => {
    if (!idEdited) inputs.id.value = suggestId(inputs.name.value);
  });

  main.replaceChildren(
    header,
    h('div', { class: 'page rooms-page' },
      h('section', { class: 'panel', 'aria-labelledby': 'rooms-title' },
        h('h1', { id: 'rooms-title' }, 'Rooms'),
        status,
        list),
      h('section', { class: 'panel', 'aria-labelledby': 'create-title' },
        h('h2', { id: 'create-title' }, 'Create a room'),
        form),
      directsSection({ me, navigate })));

  try {
    const { rooms, truncated } = await api.rooms();
    list.replaceChildren(...rooms.map((room) => {
      // unread: only for rooms the user belongs to or has read before (see docs/web-client.md).
      const badge = unreadBadge(room.unread);
      return h('li', {
        dataset: { roomId: room.id, kind: room.kind ?? 'public', unread: String(room.unread ?? 0) },
        class: room.archived ? 'archived' : undefined,
      },
      h('a', { href: `#/room/${encodeURIComponent(room.id)}`, class: 'room-link' },
        h('span', { class: 'room-name' }, room.name, room.kind === 'private' && [' ', privateBadge()],
          room.archived && [' ', archivedBadge()], badge && [' ', badge]),
        h('span', { class: 'room-id' }, room.id)));
    }));
    if (truncated) status.textContent = `Showing the first ${rooms.length} rooms.`;
    else status.textContent = rooms.length ? '' : 'No rooms yet. Create the first one.';
    status.hidden = status.textContent === '';
  } catch (e) {
    status.textContent = e.message;
  } finally {
    list.removeAttribute('aria-busy');
  }
}
