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

/** Only the owner hands the room to another member (README: `PUT .../owner`); the old owner
 * becomes an admin. Not to oneself, nor to a non-member (a public room's visitor). */
export function canTransfer(myRole, targetRole, isSelf = false) {
  return myRole === 'owner' && !isSelf && (targetRole === 'admin' || targetRole === 'member');
}

/** The owner and admins see the bans list (and lift bans) and the room's invitation links. */
export function canSeeBans(myRole) {
  return myRole === 'owner' || myRole === 'admin';
}

/** Only the owner archives or deletes the room; a direct conversation has no owner to. */
export function canCloseRoom(myRole) {
  return myRole === 'owner';
}

/**
 * Who is muted in one room, as far as this tab knows: there is no GET of mutes, so it learns from
 * the `mute`/`unmute` moderation frames and from the answer to its own `POST .../mutes`.
 */
export class MuteBook {
  #until = new Map();

  /** Records a mute of `userId` until the ISO time `until` (a newer mute replaces one). */
  muted(userId, until) {
    const t = Date.parse(until);
    if (!Number.isNaN(t)) this.#until.set(String(userId), t);
  }

  unmuted(userId) {
    this.#until.delete(String(userId));
  }

  /** Applies a `moderation` frame; true when it changed what this book says. */
  note(frame) {
    if (frame?.action === 'mute' && frame.userId != null) {
      this.muted(frame.userId, frame.until);
      return true;
    }
    if (frame?.action === 'unmute' && frame.userId != null) {
      this.unmuted(frame.userId);
      return true;
    }
    return false;
  }

  /** Whether `userId` is muted at `now` (ms); a mute that ran out is forgotten. */
  isMuted(userId, now = Date.now()) {
    const t = this.#until.get(String(userId));
    if (t === undefined) return false;
    if (t <= now) {
      this.#until.delete(String(userId));
      return false;
    }
    return true;
  }
}
