// The room's members panel: who is a member with which role, and what the caller's role may do
// to whom (js/membership.js): invite, roles, transfer, remove, kick, ban, mute and unmute, leave;
// the invitation link maker and the room tools under it (js/room-admin.js). It knows nothing about
// messages or the socket: the room view hands it frames and tells it when the room ended.
import { api } from './api.js';
import { isDirectRoom } from './direct.js';
import { h } from './dom.js';
import { invitationLinks } from './invitations.js';
import {
  MUTE_SECONDS, MuteBook, canInvite, canLeave, canModerate, canRemove, canTransfer, roleChange, roleOf, sortMembers,
} from './membership.js';
import { confirmButton, roomAdmin } from './room-admin.js';

/**
 * @param {{roomId: string, myId: string, onRole: (role: string|null) => void}} o `onRole` hears
 *     the caller's role after each load (null in an archived room: no message tools there)
 */
export function membersPanel({ roomId, myId, onRole }) {
  // Open at once on a wide screen only.
  const membersCount = h('span', { class: 'count-badge' }, '0');
  const memberList = h('ul', { id: 'members', class: 'members' });
  const membersError = h('p', { id: 'members-error', class: 'form-error', role: 'alert', hidden: true });
  const inviteInput = h('input', {
    id: 'f-invite', name: 'username', autocomplete: 'off', placeholder: 'username', required: true,
  });
  const inviteForm = h('form', { class: 'invite', 'aria-label': 'Invite a user', hidden: true },
    h('label', { for: 'f-invite', class: 'visually-hidden' }, 'Username to invite'),
    inviteInput,
    h('button', { type: 'submit', class: 'secondary' }, 'Invite'));
  // Invitation links: private rooms only, for the owner and admins.
  const linkMaker = invitationLinks({ roomId, onCreated: () => admin.refresh() });
  let roomKind = isDirectRoom(roomId) ? 'direct' : null;
  // Bans, links, archive and delete (js/room-admin.js); who is muted, from frames and answers.
  let names = new Map();
  const admin = roomAdmin({
    roomId, act: (button, call) => act(button, call), nameOf: (id) => names.get(String(id)) ?? `user ${id}`,
    onDeleted: () => { location.hash = '#/'; },
  });
  const mutes = new MuteBook();
  /** Archived: history only; the panel lists members without tools (the owner may still delete). */
  let archived = false;
  const showLinkMaker = () => { linkMaker.hidden = !(canInvite(myRole) && roomKind === 'private') || archived; };
  const leaveButton = h('button', { type: 'button', class: 'secondary danger', id: 'leave-room', hidden: true }, 'Leave room');
  const membersPanel = h('details', {
    class: 'members-panel', id: 'members-panel',
    open: window.matchMedia('(min-width: 800px)').matches,
  },
  h('summary', {}, h('h2', {}, 'Members ', membersCount)),
  membersError, memberList, inviteForm, linkMaker, admin.el, leaveButton);

  /** My role here: 'owner', 'admin', 'member', or null (not a member: a public room's guest). */
  let myRole = null;
  /** Removed, left or gone: the panel is hidden and no longer asks the server. */
  let roomEnded = false;
  let membersTimer = null;

  function showMembersError(message) {
    membersError.textContent = message ?? '';
    membersError.hidden = !message;
  }

  /** One membership action: its button waits; a refusal shows the server's sentence. */
  async function act(button, action) {
    showMembersError(null);
    button.disabled = true;
    try {
      await action();
      return true;
    } catch (e) {
      // A 401 is handled by api.js (back to the log-in screen).
      if (e.status !== 401) showMembersError(e.message);
      return false;
    } finally {
      button.disabled = false;
      if (!roomEnded) loadMembers();
    }
  }

  function memberEl(m) {
    const self = String(m.userId) === myId;
    const actions = [];
    if (archived) return memberRow(m, self, actions);
    const newRole = roleChange(myRole, m.role, self);
    if (newRole) {
      const button = h('button', {
        type: 'button', class: 'link-button', dataset: { action: 'role' },
        'aria-label': `Make ${m.username} ${newRole === 'admin' ? 'an admin' : 'a member'}`,
      }, newRole === 'admin' ? 'Make admin' : 'Make member');
      button.addEventListener('click', () => act(button, () => api.setRole(roomId, m.userId, newRole)));
      actions.push(button);
    }
    if (canRemove(myRole, m.role, self)) {
      const button = h('button', {
        type: 'button', class: 'link-button danger', dataset: { action: 'remove' },
        'aria-label': `Remove ${m.username}`,
      }, 'Remove');
      button.addEventListener('click', () => act(button, () => api.removeMember(roomId, m.userId)));
      actions.push(button);
    }
    if (canModerate(myRole, m.role, self)) {
      const moderation = [
        ['kick', 'Kick', `Kick ${m.username}`, () => api.kick(roomId, m.userId)],
        ['ban', 'Ban', `Ban ${m.username}`, () => api.ban(roomId, m.userId).then(() => admin.refresh())],
        mutes.isMuted(m.userId)
          ? ['unmute', 'Unmute', `Unmute ${m.username}`,
            () => api.unmute(roomId, m.userId).then(() => mutes.unmuted(m.userId))]
          : ['mute', 'Mute', `Mute ${m.username} for ${MUTE_SECONDS / 60} minutes`,
            () => api.mute(roomId, m.userId, MUTE_SECONDS).then((r) => mutes.muted(m.userId, r.until))],
      ];
      for (const [action, label, ariaLabel, call] of moderation) {
        const button = h('button', {
          type: 'button', class: action === 'mute' ? 'link-button' : 'link-button danger', dataset: { action },
          'aria-label': ariaLabel,
        }, label);
        button.addEventListener('click', () => act(button, call));
        actions.push(button);
      }
    }
    if (canTransfer(myRole, m.role, self)) {
      const button = confirmButton({
        id: undefined, label: 'Make owner', confirmLabel: `Confirm: ${m.username} owns the room`,
        className: 'link-button danger', action: () => act(button, () => api.transferOwnership(roomId, m.userId)),
      });
      button.dataset.action = 'transfer';
      actions.push(button);
    }
    return memberRow(m, self, actions);
  }

  function memberRow(m, self, actions) {
    return h('li', { class: self ? 'me' : undefined, dataset: { userId: m.userId, username: m.username, role: m.role } },
      h('span', { class: 'member-name' }, m.username, self && h('span', { class: 'you' }, ' (you)')),
      h('span', { class: 'role-badge', dataset: { role: m.role } }, m.role),
      actions.length > 0 && h('span', { class: 'member-actions' }, actions));
  }

  async function loadMembers() {
    clearTimeout(membersTimer);
    try {
      const members = sortMembers(await api.members(roomId));
      if (roomEnded) return;
      myRole = roleOf(members, myId);
      names = new Map(members.map((m) => [String(m.userId), m.username]));
      admin.update({ role: myRole, kind: roomKind, archived });
      admin.refresh();
      onRole(archived ? null : myRole);
      membersCount.textContent = String(members.length);
      memberList.replaceChildren(...members.map(memberEl));
      inviteForm.hidden = !canInvite(myRole) || archived;
      showLinkMaker();
      // A direct conversation's two members are fixed.
      leaveButton.hidden = !canLeave(myRole) || isDirectRoom(roomId) || archived;
    } catch (e) {
      // 404: no longer ours to see (removed from a private room); the socket's close says why.
      if (e.status !== 401 && e.status !== 404 && !roomEnded) showMembersError(e.message);
    }
  }

  function refreshMembers() {
    if (roomEnded) return;
    clearTimeout(membersTimer);
    membersTimer = setTimeout(loadMembers, 150);
  }

  inviteForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const username = inviteInput.value.trim();
    if (username === '') {
      showMembersError('username is required');
      inviteInput.focus();
      return;
    }
    if (await act(inviteForm.querySelector('button'), () => api.invite(roomId, username))) {
      inviteInput.value = '';
    }
  });
  leaveButton.addEventListener('click', async () => {
    // Leaving is meant to take the user out of the room: back to the list once the server agrees.
    if (await act(leaveButton, () => api.leave(roomId))) location.hash = '#/';
  });

  return {
    el: membersPanel,
    /** Reloads the list soon (a join/leave or moderation frame, a reconnect). */
    refresh: refreshMembers,
    /** The room's kind once known: links are for private rooms only. */
    setKind(kind) {
      roomKind = kind;
      showLinkMaker();
      admin.update({ kind });
    },
    /** A `moderation` frame: who is muted, and the bans list on a ban or unban. */
    moderation(frame) {
      mutes.note(frame);
      if (frame.action === 'ban' || frame.action === 'unban') admin.refresh();
    },
    /** The room is archived: members without tools, the owner's Delete only. */
    archive() {
      archived = true;
      loadMembers();
    },
    /** Left, removed or gone (hide: true), or the view closed: no more calls to the server. */
    end({ hide = false } = {}) {
      roomEnded = true;
      clearTimeout(membersTimer);
      if (hide) membersPanel.hidden = true;
    },
  };
}
