// Invitation links to private rooms: the owner's and admins' "Create invitation link" in the
// members panel, the list of the room's links with *Revoke*, and the #/invite/<code> page that
// accepts one and opens the room.
import { api } from './api.js';
import { h } from './dom.js';

/** How long a link made here works: one day. */
export const LINK_LIFETIME_SECONDS = 24 * 3600;

/** The code of an #/invite/<code> address, or null. */
export function inviteCode(hash) {
  const m = /^#\/invite\/([A-Za-z0-9_-]{1,64})$/.exec(String(hash));
  return m ? m[1] : null;
}

/** The members panel's link maker (hidden until the caller may make links). */
export function invitationLinks({ roomId, onCreated = () => {} }) {
  const button = h('button', { type: 'button', class: 'secondary', id: 'make-invite-link' }, 'Create invitation link');
  const output = h('input', {
    id: 'invite-link', readonly: true, hidden: true, 'aria-label': 'Invitation link (works for one day)',
  });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  button.addEventListener('click', async () => {
    button.disabled = true;
    error.hidden = true;
    try {
      const link = await api.createInvitation(roomId, LINK_LIFETIME_SECONDS);
      output.value = link.url;
      output.hidden = false;
      output.select();
      onCreated();
    } catch (e) {
      if (e.status !== 401) {
        error.textContent = e.message;
        error.hidden = false;
      }
    } finally {
      button.disabled = false;
    }
  });
  return h('div', { class: 'invite-links', hidden: true }, button, output, error);
}

/** "expires 4 Dec, 09:12 · used 2 of 10" (or "used 2 times" without a cap) for one link. */
export function linkSummary(link, formatDate = (iso) => new Date(iso).toLocaleString(undefined,
  { dateStyle: 'medium', timeStyle: 'short' })) {
  const uses = link.maxUses != null ? `used ${link.uses} of ${link.maxUses}`
    : `used ${link.uses} ${link.uses === 1 ? 'time' : 'times'}`;
  return `expires ${formatDate(link.expiresAt)} · ${uses}`;
}

/**
 * The room's links that still work (`GET .../invitations`, newest first, without codes), each
 * with *Revoke*. `act(button, call)` runs an action and shows a refusal; `nameOf(userId)` names
 * a link's maker (`createdBy` is an id); `show(yes)` hides it.
 */
export function invitationList({ roomId, act, nameOf = (id) => `user ${id}` }) {
  const list = h('ul', { id: 'invitations', class: 'members invitations' });
  const empty = h('p', { class: 'muted', id: 'invitations-empty' }, 'No working links.');
  const el = h('section', { class: 'room-invitations', 'aria-labelledby': 'invitations-title', hidden: true },
    h('h3', { id: 'invitations-title' }, 'Invitation links'), empty, list);

  function linkEl(link) {
    const revoke = h('button', {
      type: 'button', class: 'link-button danger', dataset: { action: 'revoke' },
      'aria-label': `Revoke the link by ${nameOf(link.createdBy)}, ${linkSummary(link)}`,
    }, 'Revoke');
    revoke.addEventListener('click', () => act(revoke, async () => {
      await api.revokeInvitation(roomId, link.id);
      await load();
    }));
    return h('li', { dataset: { invitationId: link.id } },
      h('span', { class: 'member-name' }, nameOf(link.createdBy)),
      h('span', { class: 'muted link-summary' }, linkSummary(link)),
      h('span', { class: 'member-actions' }, revoke));
  }

  async function load() {
    if (el.hidden) return;
    try {
      const links = await api.invitations(roomId);
      list.replaceChildren(...links.map(linkEl));
      empty.hidden = links.length > 0;
    } catch {
      // Reloaded with the next action; a 401 is handled by api.js.
    }
  }

  return {
    el,
    load,
    show(yes) {
      const was = !el.hidden;
      el.hidden = !yes;
      if (yes && !was) load();
    },
  };
}

/** The #/invite/<code> page: accepts the link, then opens its room (or says why it cannot). */
export async function renderInvite(main, { header, code, navigate }) {
  const status = h('p', { role: 'status', id: 'invite-status' }, 'Opening the invitation…');
  main.replaceChildren(header, h('div', { class: 'page' },
    h('section', { class: 'panel' }, h('h1', {}, 'Invitation'), status,
      h('p', {}, h('a', { href: '#/' }, 'Back to the rooms')))));
  try {
    const joined = await api.acceptInvitation(code);
    navigate(`#/room/${encodeURIComponent(joined.roomId)}`);
  } catch (e) {
    status.textContent = e.message;
    status.setAttribute('role', 'alert');
  }
}
