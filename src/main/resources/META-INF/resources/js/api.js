// REST calls to Huddle. The HttpOnly access_token cookie travels with every same-origin request;
// the client never sees or stores the token itself. URLs are relative to the page, so the client
// also works when Huddle is served under a path prefix.

export class ApiError extends Error {
  /** @param {number} status HTTP status, 0 when the server could not be reached */
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

let onSessionLost = () => {};

/** Called when a call that needs a session answers 401 (token expired, revoked or absent). */
export function setSessionLostHandler(handler) {
  onSessionLost = handler;
}

async function request(method, path, body, { session = true } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.');
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    // An empty or non-JSON body: the status speaks for itself.
  }
  if (!response.ok) {
    const message = (data && typeof data.error === 'string' && data.error)
      || `The server answered ${response.status}.`;
    const error = new ApiError(response.status, message);
    if (session && response.status === 401) onSessionLost(error);
    throw error;
  }
  return data;
}

const enc = encodeURIComponent;

/** Rooms asked for per getRooms page (the server's most). */
export const ROOMS_PAGE_SIZE = 500;
/** Pages fetched at most for the room list: 20 × 500 rooms is more than a list can show anyway. */
export const MAX_ROOM_PAGES = 20;

/**
 * Follows a `{rooms, next}` cursor: calls `fetchPage(after)` (undefined first, then each `next`)
 * until a page has no `next`, or `maxPages` pages were fetched (then `truncated` is true).
 * A `next` equal to the one just sent also stops it, so a server bug cannot loop it.
 */
export async function allPages(fetchPage, maxPages = MAX_ROOM_PAGES) {
  const rooms = [];
  let after;
  for (let page = 0; page < maxPages; page++) {
    const answer = await fetchPage(after);
    rooms.push(...(answer?.rooms ?? []));
    const next = answer?.next;
    if (typeof next !== 'string' || next === '' || next === after) return { rooms, truncated: false };
    after = next;
  }
  return { rooms, truncated: true };
}

export const api = {
  signup: (username, email, password) =>
    request('POST', 'api/v1/user/signup', { username, email, password }, { session: false }),
  login: (email, password) =>
    request('POST', 'api/v1/user/login', { email, password }, { session: false }),
  logout: () => request('POST', 'api/v1/user/logout', undefined, { session: false }),

  /** The logged-in user, or null when the cookie is missing or no longer valid. */
  async me() {
    try {
      return await request('GET', 'api/v1/user/me', undefined, { session: false });
    } catch (e) {
      if (e.status === 401) return null;
      throw e;
    }
  },

  /** Every room the user may see, all pages: `{rooms, truncated}` (see allPages). */
  rooms: () => allPages((after) => {
    const query = new URLSearchParams({ limit: String(ROOMS_PAGE_SIZE) });
    if (after !== undefined) query.set('after', after);
    return request('GET', `api/v1/ws/getRooms?${query}`);
  }),
  createRoom: (id, name, { private: isPrivate = false } = {}) =>
    request('POST', 'api/v1/ws/createRoom', isPrivate ? { id, name, kind: 'private' } : { id, name }),
  whoIsHere: (roomId) => request('GET', `api/v1/ws/get/${enc(roomId)}`),

  members: async (roomId) => (await request('GET', `api/v1/rooms/${enc(roomId)}/members`)).members,
  invite: (roomId, username) => request('POST', `api/v1/rooms/${enc(roomId)}/members`, { username }),
  leave: (roomId) => request('DELETE', `api/v1/rooms/${enc(roomId)}/members/me`),
  removeMember: (roomId, userId) => request('DELETE', `api/v1/rooms/${enc(roomId)}/members/${enc(userId)}`),
  setRole: (roomId, userId, role) =>
    request('PUT', `api/v1/rooms/${enc(roomId)}/members/${enc(userId)}/role`, { role }),
  kick: (roomId, userId) => request('POST', `api/v1/rooms/${enc(roomId)}/kicks`, { userId: String(userId) }),
  ban: (roomId, userId) => request('POST', `api/v1/rooms/${enc(roomId)}/bans`, { userId: String(userId) }),
  mute: (roomId, userId, durationSeconds) =>
    request('POST', `api/v1/rooms/${enc(roomId)}/mutes`, { userId: String(userId), durationSeconds }),
  unmute: (roomId, userId) => request('DELETE', `api/v1/rooms/${enc(roomId)}/mutes/${enc(userId)}`),
  bans: async (roomId) => (await request('GET', `api/v1/rooms/${enc(roomId)}/bans`)).bans,
  unban: (roomId, userId) => request('DELETE', `api/v1/rooms/${enc(roomId)}/bans/${enc(userId)}`),
  /** Hands the room to another member; answers the new member list. */
  transferOwnership: async (roomId, userId) =>
    (await request('PUT', `api/v1/rooms/${enc(roomId)}/owner`, { userId: String(userId) })).members,
  archiveRoom: (roomId) => request('POST', `api/v1/rooms/${enc(roomId)}/archive`),
  deleteRoom: (roomId) => request('DELETE', `api/v1/rooms/${enc(roomId)}`),

  /** A link that makes whoever accepts it a member (js/invitations.js). */
  createInvitation: (roomId, expiresInSeconds) =>
    request('POST', `api/v1/rooms/${enc(roomId)}/invitations`, { expiresInSeconds }),
  /** The room's links that still work, newest first, without their codes. */
  invitations: async (roomId) => (await request('GET', `api/v1/rooms/${enc(roomId)}/invitations`)).invitations,
  revokeInvitation: (roomId, id) => request('DELETE', `api/v1/rooms/${enc(roomId)}/invitations/${enc(id)}`),
  acceptInvitation: (code) => request('POST', `api/v1/invitations/${enc(code)}/accept`),

  /** The direct conversation with a user, started if needed (see js/direct.js). */
  startDirect: (username) => request('POST', 'api/v1/dms', { username }),
  /** The first page of the user's direct conversations, newest activity first. */
  directs: () => request('GET', 'api/v1/dms?limit=200'),

  /** Moves the user's read marker in the room forward to `seq` (js/read-state.js). */
  markRead: (roomId, seq) => request('PUT', `api/v1/rooms/${enc(roomId)}/read`, { seq }),

  /** One page of stored messages: `{messages, hasMore}`, oldest first. */
  messages(roomId, { before, after, limit } = {}) {
    const query = new URLSearchParams();
    if (before !== undefined) query.set('before', before);
    if (after !== undefined) query.set('after', after);
    if (limit !== undefined) query.set('limit', limit);
    return request('GET', `api/v1/rooms/${enc(roomId)}/messages?${query}`);
  },
  /** Replaces the text of one's own message; answers the `edit` event (see js/edits.js). */
  editMessage: (roomId, seq, content) =>
    request('PATCH', `api/v1/rooms/${enc(roomId)}/messages/${enc(seq)}`, { content }),
  /** Deletes one's own message (or any, as the room's owner or an admin); answers the `delete` event. */
  deleteMessage: (roomId, seq) => request('DELETE', `api/v1/rooms/${enc(roomId)}/messages/${enc(seq)}`),
};

/** The room's WebSocket URL (ws: or wss: like the page), relative to the page. */
export function roomSocketUrl(roomId) {
  const url = new URL(`api/v1/ws/joinRoom/${enc(roomId)}`, document.baseURI);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}
