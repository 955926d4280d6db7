// Huddle's web client: a hash router over three screens (log in / sign up, rooms, a room).
// Routes: #/login, #/signup, #/ (rooms), #/room/<room id, URI-encoded>.
import { api, setSessionLostHandler } from './api.js';
import { renderLogin, renderSignup } from './auth-view.js';
import { directsLink, isDirectRoom, unseen } from './direct.js';
import { inviteCode, renderInvite } from './invitations.js';
import { readFrames } from './read-state.js';
import { h } from './dom.js';
import { renderRoom } from './room-view.js';
import { renderRooms } from './rooms-view.js';

const main = document.getElementById('main');
/** The logged-in user; null when logged out, undefined until the server has been asked. */
let me;
let leaveView = () => {};
let loginNotice = null;
/** A problem to show in the header once (a log-out that failed). */
let headerProblem = null;
/** An #/invite/<code> address opened before logging in. */
let pendingInvite = null;

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function header() {
  const logout = h('button', { type: 'button', class: 'secondary', id: 'logout' }, 'Log out');
  logout.addEventListener('click', async () => {
    logout.disabled = true;
    leaveView();
    leaveView = () => {};
    try {
      await api.logout();
    } catch (e) {
      // Not logged out: the server did not revoke the token nor clear the cookie (a reload would
      // log this browser back in). Say so, and stay.
      headerProblem = `Could not log out: ${e.message} Try again.`;
      route();
      return;
    }
    me = null;
    unseen.clear();
    loginNotice = 'You are logged out.';
    navigate('#/login');
  });
  return h('header', { class: 'top' },
    h('a', { href: '#/', class: 'brand small' },
      h('img', { src: 'favicon.svg', alt: '', width: 28, height: 28 }), h('span', {}, 'Huddle')),
    h('div', { class: 'who' },
      directsLink(),
      h('span', { class: 'signed-in' },
        h('span', { class: 'narrow-hidden' }, 'Signed in as '), h('strong', { id: 'me' }, me.username)),
      logout),
    ...takeHeaderProblem());
}

function takeHeaderProblem() {
  if (!headerProblem) return [];
  const problem = h('p', { class: 'form-error', role: 'alert', id: 'header-problem' }, headerProblem);
  headerProblem = null;
  return [problem];
}

function sessionLost() {
  me = null;
  leaveView();
  leaveView = () => {};
  loginNotice = 'Your session has ended. Please log in again.';
  navigate('#/login');
}
setSessionLostHandler(sessionLost);

async function route() {
  leaveView();
  leaveView = () => {};
  const hash = location.hash || '#/';
  if (me === undefined) {
    try {
      me = await api.me();
    } catch (e) {
      main.replaceChildren(h('p', { class: 'boot', role: 'alert' }, e.message));
      return;
    }
  }
  const onLoggedIn = (login) => {
    me = { id: login.id, username: login.username };
    loginNotice = null;
    navigate('#/');
  };

  if (hash === '#/login' || hash === '#/signup') {
    if (me) return navigate('#/');
    document.title = hash === '#/login' ? 'Log in · Huddle' : 'Sign up · Huddle';
    if (hash === '#/login') renderLogin(main, { onLoggedIn, notice: loginNotice });
    else renderSignup(main, { onLoggedIn });
    main.querySelector('input')?.focus();
    return;
  }
  if (!me) {
    // An invitation opened while logged out is accepted after the log-in.
    if (inviteCode(hash)) pendingInvite = hash;
    return navigate('#/login');
  }
  if (pendingInvite && hash === '#/') {
    const invite = pendingInvite;
    pendingInvite = null;
    return navigate(invite);
  }

  const code = inviteCode(hash);
  if (code) {
    document.title = 'Invitation · Huddle';
    await renderInvite(main, { header: header(), code, navigate });
    return;
  }

  const roomMatch = hash.match(/^#\/room\/(.+)$/);
  if (roomMatch) {
    let roomId;
    try {
      roomId = decodeURIComponent(roomMatch[1]);
    } catch {
      return navigate('#/');
    }
    document.title = `${roomId} · Huddle`;
    if (isDirectRoom(roomId)) unseen.seen(roomId);
    leaveView = renderRoom(main, {
      roomId, me, header: header(), onSessionLost: sessionLost,
      onDirect: (frame) => { if (frame.roomId !== roomId) unseen.note(frame, me.id); },
    });
    return;
  }
  document.title = 'Rooms · Huddle';
  await renderRooms(main, { header: header(), navigate, me });
}

// Read on another device of the user's: that conversation is no longer unseen here.
readFrames.onOwn((roomId, seq) => unseen.readUpTo(roomId, seq));

window.addEventListener('hashchange', route);
route();
