// Who may do what to whom in a room (README "Rooms and roles"), and nothing about the DOM (the
// Node unit tests check it). The server decides; the client only hides what would be refused.

export const ROLES = ['owner', 'admin', 'member'];
const RANK = { owner: 0, admin: 1, member: 2 };

/** The caller's role in `members`, or null when they are not a member (a public room's guest). */
export function roleOf(members, userId) {
  return members.find((m) => String(m.userId) === String(userId))?.role ?? null;
}

/** The owner and admins invite users by username. */
export function canInvite(myRole) {
  return myRole === 'owner' || myRole === 'admin';
}

/** The owner removes admins and members, an admin members only; nobody removes the owner, nor
 * themselves (that is leaving). */
export function canRemove(myRole, targetRole, isSelf = false) {
  if (isSelf) return false;
  if (myRole === 'owner') return targetRole === 'admin' || targetRole === 'member';
  if (myRole === 'admin') return targetRole === 'member';
  return false;
}

/** Kick, ban and mute follow the same rule as removal: the owner acts on admins and members, an
 * admin on members only; nobody on the owner or on themselves. */
export function canModerate(myRole, targetRole, isSelf = false) {
  return canRemove(myRole, targetRole, isSelf);
}

/** How long the members panel's Mute button mutes for. */
export const MUTE_SECONDS = 600;

/** The system line for a `moderation` frame (docs/protocol.md), from the viewer's side. */
export function moderationText(frame, myId) {
  const who = String(frame.userId) === String(myId) ? 'you' : frame.username;
  const by = frame.by ?? 'A moderator';
  switch (frame.action) {
    case 'kick': return `${by} kicked ${who} from the room`;
    case 'ban': return `${by} banned ${who} from the room`;
    case 'unban': return `${by} lifted the ban on ${who}`;
    case 'mute': return `${by} muted ${who} until ${new Date(frame.until).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
    case 'unmute': return `${by} unmuted ${who}`;
    case 'archive': return `${by} archived the room`;
    case 'delete': return `${by} deleted the room`;
    default: return null;
  }
}

/** The role the owner may switch a member to ('admin' ↔ 'member'), or null. */
export function roleChange(myRole, targetRole, isSelf = false) {
  if (myRole !== 'owner' || isSelf) return null;
  if (targetRole === 'member') return 'admin';
  if (targetRole === 'admin') return 'member';
  return null;
}

/** Every member but the owner may leave (the owner transfers the room first). */
export function canLeave(myRole) {
  return myRole === 'admin' || myRole === 'member';
}

/** Owner first, then admins, then members; by username within a role. */
export function sortMembers(members) {
  return [...members].sort((a, b) => (RANK[a.role] ?? 9) - (RANK[b.role] ?? 9)
    || String(a.username).localeCompare(String(b.username)));
}
