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

  rooms: async () => (await request('GET', 'api/v1/ws/getRooms')).rooms,
  createRoom: (id, name) => request('POST', 'api/v1/ws/createRoom', { id, name }),
  whoIsHere: (roomId) => request('GET', `api/v1/ws/get/${enc(roomId)}`),

  /** One page of stored messages: `{messages, hasMore}`, oldest first. */
  messages(roomId, { before, after, limit } = {}) {
    const query = new URLSearchParams();
    if (before !== undefined) query.set('before', before);
    if (after !== undefined) query.set('after', after);
    if (limit !== undefined) query.set('limit', limit);
    return request('GET', `api/v1/rooms/${enc(roomId)}/messages?${query}`);
  },
};

/** The room's WebSocket URL (ws: or wss: like the page), relative to the page. */
export function roomSocketUrl(roomId) {
  const url = new URL(`api/v1/ws/joinRoom/${enc(roomId)}`, document.baseURI);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}
