// Invitation links to private rooms: the owner's and admins' "Create invitation link" in the
// members panel, and the #/invite/<code> page that accepts one and opens the room.
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
export function invitationLinks({ roomId }) {
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
