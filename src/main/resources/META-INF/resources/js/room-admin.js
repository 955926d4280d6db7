// The owner's and admins' room tools under the members panel: the bans list with *Unban*, the
// room's invitation links with *Revoke* (js/invitations.js), and the owner's *Archive room* and
// *Delete room*, each behind a second click. Who sees what comes from js/membership.js; the
// server decides.
import { api } from './api.js';
import { h } from './dom.js';
import { canCloseRoom, canSeeBans } from './membership.js';
import { invitationList } from './invitations.js';

/** How long a *Confirm …* button waits for its second click. */
export const CONFIRM_MS = 5000;

/**
 * A button that asks for a second click (`confirmLabel`, for CONFIRM_MS) before `action` runs.
 * @param {{id: string, label: string, confirmLabel: string, action: () => Promise<unknown>}} o
 */
export function confirmButton({ id, label, confirmLabel, action, className = 'secondary danger' }) {
  const button = h('button', { type: 'button', class: className, id }, label);
  let timer = null;
  const reset = () => {
    clearTimeout(timer);
    delete button.dataset.confirming;
    button.textContent = label;
  };
  button.addEventListener('click', async () => {
    if (!button.dataset.confirming) {
      button.dataset.confirming = 'true';
      button.textContent = confirmLabel;
      timer = setTimeout(reset, CONFIRM_MS);
      return;
    }
    reset();
    button.disabled = true;
    try {
      await action();
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/**
 * The room tools. `act(button, call)` is the panel's action runner (shows a refusal's sentence);
 * `update({role, kind, archived})` shows what the caller may do; `refresh()` reloads the lists.
 */
export function roomAdmin({ roomId, act, nameOf, onDeleted }) {
  let role = null;
  let kind = null;
  let archived = false;

  const banList = h('ul', { id: 'bans', class: 'members bans' });
  const bansEmpty = h('p', { class: 'muted', id: 'bans-empty' }, 'Nobody is banned.');
  const bans = h('section', { class: 'room-bans', 'aria-labelledby': 'bans-title', hidden: true },
    h('h3', { id: 'bans-title' }, 'Banned'), bansEmpty, banList);

  const links = invitationList({ roomId, act, nameOf });

  const archive = confirmButton({
    id: 'archive-room', label: 'Archive room', confirmLabel: 'Confirm archive',
    action: () => act(archive, () => api.archiveRoom(roomId)),
  });
  const remove = confirmButton({
    id: 'delete-room', label: 'Delete room', confirmLabel: 'Confirm delete room',
    action: async () => { if (await act(remove, () => api.deleteRoom(roomId))) onDeleted(); },
  });
  const closing = h('div', { class: 'room-closing', hidden: true }, archive, remove);

  const el = h('div', { class: 'room-admin', id: 'room-admin' }, bans, links.el, closing);

  function banEl(ban) {
    const unban = h('button', {
      type: 'button', class: 'link-button', dataset: { action: 'unban' }, 'aria-label': `Unban ${ban.username}`,
    }, 'Unban');
    unban.addEventListener('click', () => act(unban, async () => {
      await api.unban(roomId, ban.userId);
      await loadBans();
    }));
    return h('li', { dataset: { userId: ban.userId, username: ban.username } },
      h('span', { class: 'member-name' }, ban.username),
      h('span', { class: 'muted ban-by' }, `by ${ban.by}`, ban.reason && `: ${ban.reason}`),
      h('span', { class: 'member-actions' }, unban));
  }

  async function loadBans() {
    if (bans.hidden) return;
    try {
      const list = await api.bans(roomId);
      banList.replaceChildren(...list.map(banEl));
      bansEmpty.hidden = list.length > 0;
    } catch {
      // The next moderation frame or action reloads it; a 401 is handled by api.js.
    }
  }

  return {
    el,
    update(next) {
      ({ role, kind, archived } = { role, kind, archived, ...next });
      const direct = kind === 'direct';
      bans.hidden = !canSeeBans(role) || direct || archived;
      links.show(canSeeBans(role) && kind === 'private' && !archived);
      closing.hidden = !canCloseRoom(role) || direct;
      archive.hidden = archived;
    },
    refresh() {
      loadBans();
      links.load();
    },
  };
}
