// Huddle's web client in a real browser (Debian's Chromium, driven by playwright-core) against a
// real Huddle with its own database. Started by .ci/browser-test.sh, which also restarts the
// server when this test asks (see serverControl).
//
// Two users in two browser contexts (alice on a desktop in Tokyo, bob on a 360 px phone in New
// York) sign up, meet in a room and talk; HTML in a message stays text; the server restarts while
// bob is offline and a third user talks in the gap; both catch up with nothing missed and nothing
// twice; in second tabs, alice makes a private room that bob cannot see until she invites him,
// promotes and demotes him, kicks him (his tab shows the 4006, he comes back), removes him (his
// tab shows the 4004), invites him again and he leaves; they exchange direct messages; unread
// badges appear and clear as bob reads, also from his other tab (read frames), and alice sees his
// read receipt; bob joins a private room by an invitation link; logging out kills the cookie for
// sockets too.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { elapsed, eventually, openSocket, restLogin, serverControl, step } from './lib/support.mjs';

const BASE = process.env.HUDDLE_URL ?? 'http://127.0.0.1:8080/';
// Health and metrics: the management interface (its own port); checked when given.
const MANAGEMENT = process.env.HUDDLE_MANAGEMENT_URL;
const SHOTS = process.env.HUDDLE_SCREENSHOT_DIR ?? 'screenshots';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const XSS = '<img src=x onerror=alert(1)>';
const PASSWORD = 'correct horse battery';
const ROOM = { name: 'Design review', id: 'design-review' };

fs.mkdirSync(SHOTS, { recursive: true });

// ---- page helpers ---------------------------------------------------------------------------

/** The rendered messages of a room page, in DOM order. */
const messagesOf = (page) => page.$$eval('#messages li.msg[data-seq]', (els) => els.map((el) => ({
  seq: Number(el.dataset.seq),
  author: el.querySelector('.author').textContent,
  text: el.querySelector('.text').textContent,
  own: el.classList.contains('own'),
  time: el.querySelector('time')?.textContent,
  datetime: el.querySelector('time')?.getAttribute('datetime'),
})));

const connState = (page) => page.getAttribute('#conn-status', 'data-state');
const composer = (page) => page.getByRole('textbox', { name: 'Message' });

async function waitLive(page, timeout = 15000) {
  await eventually(async () => assert.equal(await connState(page), 'live'), { timeout });
}

async function waitForText(page, text, timeout = 10000) {
  await eventually(async () => {
    const texts = (await messagesOf(page)).map((m) => m.text);
    assert.ok(texts.includes(text), `"${text}" not among ${JSON.stringify(texts)}`);
  }, { timeout });
}

/** Sends through the composer: Enter, or the Send button. */
async function say(page, text, { button = false } = {}) {
  await composer(page).fill(text);
  if (button) await page.getByRole('button', { name: 'Send' }).click();
  else await composer(page).press('Enter');
}

/** Each seq once, ascending, no gaps. */
function assertGapless(list, who) {
  const seqs = list.map((m) => m.seq);
  assert.equal(new Set(seqs).size, seqs.length, `${who}: duplicate seq in ${seqs}`);
  seqs.forEach((s, i) => assert.equal(s, seqs[0] + i, `${who}: not gapless/in order: ${seqs}`));
}

async function noHorizontalScroll(page, what) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `${what}: page is ${scroll} px wide in a ${client} px viewport`);
}

/** The local time the page must show for an ISO instant, computed independently in Node. */
function expectedTimes(iso, timeZone) {
  const date = new Date(iso);
  return [
    new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone }).format(date),
    new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date),
  ];
}

async function newUserPage(browser, { name, viewport, timezoneId }) {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId });
  // Report any Content-Security-Policy violation the page meets (inline code, a foreign URL...).
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  const problems = [];
  watch(page, name, problems);
  const restRequests = [];
  page.on('request', (r) => { if (r.url().includes('/messages?')) restRequests.push(r.url()); });
  return { name, context, page, problems, restRequests, timezoneId };
}

/** Records a page's errors, dialogs and CSP/Trusted Types complaints in `problems`. */
function watch(page, name, problems) {
  page.on('pageerror', (e) => problems.push(`${name}: page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`${name}: a dialog opened: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Trusted Type/i.test(m.text())) {
      problems.push(`${name}: ${m.text()}`);
    }
  });
}

/** A second tab of the same user (same cookie), watched like the first; opened on the rooms. */
async function openTab(user) {
  const page = await user.context.newPage();
  watch(page, `${user.name} (2nd tab)`, user.problems);
  await page.goto(BASE);
  await page.getByRole('heading', { name: 'Rooms' }).waitFor();
  return page;
}

/** Closes a tab after moving its CSP violations into the user's problems. */
async function closeTab(user, page) {
  for (const v of await page.evaluate(() => window.__cspViolations)) user.problems.push(`${user.name} (2nd tab): CSP: ${v}`);
  await page.close();
}

/** The room list once loaded: `{id, kind, text}` for each room. */
async function roomList(page) {
  await page.locator('.room-list:not([aria-busy])').waitFor();
  return page.$$eval('.room-list li', (els) => els.map((e) => ({ id: e.dataset.roomId, kind: e.dataset.kind, text: e.textContent })));
}

/** The members panel: `username:role` for each member, in order. */
const membersOf = (page) => page.$$eval('#members li', (els) => els.map((e) => `${e.dataset.username}:${e.dataset.role}`));
/** Opens the members panel (a closed <details> on a narrow screen) unless it is open. */
async function openMembers(page) {
  if (await page.getAttribute('#members-panel', 'open') === null) await page.locator('#members-panel summary').click();
}
const memberRow = (page, username) => page.locator(`#members li[data-username="${username}"]`);

async function signUp(user, { username, email }, badField) {
  const { page } = user;
  await page.goto(BASE);
  await page.getByRole('heading', { name: 'Log in to Huddle' }).waitFor();
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Email').fill(badField === 'email' ? 'not-an-email' : email);
  await page.getByLabel('Password').fill(badField === 'password' ? 'short' : PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  // The API's sentence appears next to the field it is about, and the field is marked invalid.
  const error = page.locator(`#f-${badField}-error`);
  await error.waitFor();
  assert.match(await error.textContent(), new RegExp(`^${badField} must`));
  assert.equal(await page.getAttribute(`#f-${badField}`, 'aria-invalid'), 'true');
  await page.getByLabel(badField === 'email' ? 'Email' : 'Password')
    .fill(badField === 'email' ? email : PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Rooms' }).waitFor();
  assert.equal(await page.textContent('#me'), username);
}

// ---- the scenario ---------------------------------------------------------------------------

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  // Playwright gives every launch a fresh, empty profile (user-data-dir) of its own.
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let alice;
let bob;
let failed = false;
/** The private room of the invitation-link step, and both tabs in it, for the moderation steps. */
let linked;

try {
  await step('security headers on the page, its assets and the API; Swagger UI has its own policy', async () => {
    for (const file of ['', 'js/main.js', 'css/app.css', 'api/v1/user/me']) {
      const res = await fetch(new URL(file, BASE));
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/, `CSP on /${file}`);
      assert.match(csp, /connect-src 'self'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', `X-Frame-Options on /${file}`);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `nosniff on /${file}`);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    }
    for (const file of ['q/swagger-ui/', 'q/swagger-ui/swagger-ui-bundle.js']) {
      const res = await fetch(new URL(file, BASE));
      assert.equal(res.status, 200, file);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /frame-ancestors 'none'/, `CSP on /${file}`);
      assert.match(csp, /script-src 'self' 'sha256-[^']+' 'sha256-[^']+'(;|$)/, 'inline scripts allowed by hash only');
      assert.match(csp, /connect-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|http/);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', `X-Frame-Options on /${file}`);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `nosniff on /${file}`);
    }
  });

  await step('health and metrics answer on the management port only', async () => {
    for (const file of ['q/health', 'q/health/ready', 'q/metrics']) {
      const res = await fetch(new URL(file, BASE), { redirect: 'manual' });
      assert.equal(res.status, 404, `/${file} on the public port`);
    }
    if (MANAGEMENT) {
      const ready = await fetch(new URL('q/health/ready', MANAGEMENT));
      assert.equal(ready.status, 200);
      assert.equal((await ready.json()).status, 'UP');
      const metrics = await fetch(new URL('q/metrics', MANAGEMENT));
      assert.equal(metrics.status, 200);
      assert.match(await metrics.text(), /^huddle_connections_open /m);
    }
  });

  await step('Swagger UI renders under its policy, without a single violation, and refuses to be framed', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    const swagger = new URL('q/swagger-ui/', BASE).href;
    await page.goto(swagger);
    await page.getByText('Huddle API').first().waitFor({ timeout: 15000 });
    // The operations come from /q/openapi (connect-src 'self'); open one to render its models.
    const signup = page.locator('.opblock-summary-path', { hasText: '/api/v1/user/signup' }).first();
    await signup.waitFor({ timeout: 15000 });
    await signup.click();
    await page.locator('.opblock-body').first().waitFor({ timeout: 15000 });
    // The logo link is written by the second inline script: it ran.
    await page.locator('#swaggerUiLogoLink').waitFor({ timeout: 5000 });
    await page.waitForTimeout(500);
    const violations = await page.evaluate(() => window.__cspViolations);
    assert.deepEqual(violations, [], 'CSP violations on Swagger UI');
    assert.deepEqual(problems, [], 'console errors on Swagger UI');

    // A page elsewhere that frames Swagger UI gets an empty frame (frame-ancestors 'none').
    const framer = await context.newPage();
    const refused = [];
    framer.on('console', (m) => { if (/frame-ancestors|Refused to frame/i.test(m.text())) refused.push(m.text()); });
    await framer.setContent(`<iframe id="f" src="${swagger}" width="800" height="600"></iframe>`);
    await eventually(() => assert.ok(refused.length > 0, 'Chromium reports the refused frame'), { timeout: 10000 });
    const frame = framer.frames().find((f) => f !== framer.mainFrame());
    assert.equal(await frame.locator('#swagger-ui').count(), 0, 'Swagger UI must not render in a frame');
    await context.close();
  });

  alice = await newUserPage(browser, { name: 'alice', viewport: { width: 1100, height: 720 }, timezoneId: 'Asia/Tokyo' });
  bob = await newUserPage(browser, { name: 'bob', viewport: { width: 360, height: 740 }, timezoneId: 'America/New_York' });

  await step('login screen: labelled fields, focus order, screenshot', async () => {
    const { page } = alice;
    await page.goto(BASE);
    await page.getByRole('heading', { name: 'Log in to Huddle' }).waitFor();
    const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent);
    assert.equal(await focused(), 'f-email', 'the first field has the focus');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'f-password');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Log in');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Create an account');
    await page.locator('#f-email').focus();
    await page.screenshot({ path: path.join(SHOTS, 'login.png') });
    await bob.page.goto(BASE);
    await bob.page.getByRole('heading', { name: 'Log in to Huddle' }).waitFor();
    await noHorizontalScroll(bob.page, 'login at 360 px');
  });

  await step('alice and bob sign up (field errors shown next to the field) and land on the rooms', async () => {
    await signUp(alice, { username: 'alice', email: 'alice@example.com' }, 'email');
    await signUp(bob, { username: 'bob', email: 'bob@example.com' }, 'password');
    await noHorizontalScroll(bob.page, 'rooms at 360 px');
  });

  await step('alice creates a room; bob cannot take its id (error next to the id field)', async () => {
    await alice.page.getByLabel('Room name').fill(ROOM.name);
    assert.equal(await alice.page.getByLabel('Room id').inputValue(), ROOM.id, 'id suggested from the name');
    await alice.page.getByRole('button', { name: 'Create room' }).click();
    await waitLive(alice.page);
    assert.equal(await alice.page.textContent('#room-title'), ROOM.name);

    await bob.page.getByLabel('Room name').fill(ROOM.name);
    await bob.page.getByRole('button', { name: 'Create room' }).click();
    const error = bob.page.locator('#f-id-error');
    await error.waitFor();
    assert.match(await error.textContent(), /already exists/);
  });

  await step('bob joins from the list; both see who is here and the join notice', async () => {
    await bob.page.reload();
    await bob.page.getByRole('link', { name: new RegExp(ROOM.name) }).click();
    await waitLive(bob.page);
    for (const user of [alice, bob]) {
      await eventually(async () => assert.deepEqual(
        (await user.page.$$eval('#people li', (els) => els.map((e) => e.firstChild.textContent))).sort(),
        ['alice', 'bob'],
      ));
    }
    await alice.page.getByText('bob joined the room').waitFor();
    await bob.page.getByText('You joined the room').waitFor();
    await noHorizontalScroll(bob.page, 'room at 360 px');
  });

  const conversation = [
    [alice, 'Morning Bob! Is the new login screen ready for review?', false],
    [bob, 'Morning! Yes, pushed it an hour ago.', true],
    [alice, 'Great. Two things:\n1. the error text sits next to the field\n2. Enter sends', false],
    [bob, 'Both done. Try it on your phone too.', false],
    [alice, 'Looks good at 360 px. Ship it!', false],
  ];

  await step('they talk: both see every message once, in order, with the right names', async () => {
    for (const [user, text, button] of conversation) {
      await say(user.page, text, { button });
      await waitForText(alice.page, text);
      await waitForText(bob.page, text);
    }
    const a = await messagesOf(alice.page);
    const b = await messagesOf(bob.page);
    assert.deepEqual(a.map((m) => [m.author, m.text]), conversation.map(([u, t]) => [u.name, t]));
    assert.deepEqual(b.map((m) => [m.seq, m.author, m.text]), a.map((m) => [m.seq, m.author, m.text]));
    assertGapless(a, 'alice');
    assert.equal(a[0].seq, 1);
    // Own messages are marked as such (and styled apart), on each side.
    assert.deepEqual(a.map((m) => m.own), conversation.map(([u]) => u === alice));
    assert.deepEqual(b.map((m) => m.own), conversation.map(([u]) => u === bob));
    // Nothing left pending once acked.
    assert.equal(await alice.page.locator('#outbox li').count(), 0);
    // Notices stay where they happened: bob joined before anyone spoke.
    const items = await alice.page.$$eval('#messages > li', (els) => els.map((e) => e.dataset.seq ?? e.textContent));
    assert.ok(items.findIndex((t) => t.startsWith('bob joined')) < items.indexOf('1'), `log order: ${items}`);
  });

  await step('timestamps are in each viewer\'s own time zone', async () => {
    for (const user of [alice, bob]) {
      for (const m of await messagesOf(user.page)) {
        assert.ok(expectedTimes(m.datetime, user.timezoneId).includes(m.time),
          `${user.name} (${user.timezoneId}) shows ${m.time} for ${m.datetime}`);
      }
    }
    const [a0] = await messagesOf(alice.page);
    const [b0] = await messagesOf(bob.page);
    assert.notEqual(a0.time, b0.time, 'Tokyo and New York see different clock times');
  });

  await step('composer counts code points up to 4000 and refuses more', async () => {
    const { page } = alice;
    await composer(page).fill('😀😀😀');
    assert.equal(await page.textContent('#composer-count'), '3 / 4000');
    await composer(page).fill('x'.repeat(4001));
    assert.equal(await page.textContent('#composer-count'), '4001 / 4000 — too long');
    assert.ok(await page.getByRole('button', { name: 'Send' }).isDisabled());
    await composer(page).press('Enter');
    await composer(page).fill('');
    assert.ok(await page.getByRole('button', { name: 'Send' }).isDisabled());
    assert.equal((await messagesOf(page)).length, conversation.length, 'nothing was sent');
  });

  await step('screenshots of the conversation (desktop and 360 px)', async () => {
    await alice.page.mouse.move(0, 0);
    await alice.page.screenshot({ path: path.join(SHOTS, 'room.png') });
    await bob.page.screenshot({ path: path.join(SHOTS, 'room-mobile.png') });
  });

  await step('a message with HTML in it shows as text: no element is injected, no script runs', async () => {
    await say(bob.page, XSS);
    for (const user of [alice, bob]) {
      await waitForText(user.page, XSS);
      const last = (await messagesOf(user.page)).at(-1);
      assert.equal(last.text, XSS);
      assert.equal(await user.page.locator('#messages img, img[src="x"]').count(), 0, `${user.name}: an img was injected`);
      assert.ok(await user.page.getByText(XSS, { exact: true }).isVisible());
    }
  });

  await step('typing: bob sees "alice is typing…" (alice does not) until her message; it groups with her next one under one day separator', async () => {
    const typingOf = (page) => page.textContent('#typing');
    // Alice typed in the composer steps above: her client sends at most one typing frame per 2.5 s.
    await alice.page.waitForTimeout(2600);
    await composer(alice.page).pressSequentially('Two more', { delay: 40 });
    await eventually(async () => assert.equal(await typingOf(bob.page), 'alice is typing…'), { timeout: 5000 });
    assert.equal(await typingOf(alice.page), '', 'never one\'s own typing');
    await composer(alice.page).press('Enter');
    await waitForText(bob.page, 'Two more');
    assert.equal(await typingOf(bob.page), '', 'her message ends her typing at once');
    await say(alice.page, 'things, in one group');
    for (const user of [alice, bob]) {
      await waitForText(user.page, 'things, in one group');
      // Bob's XSS message came before: alice's first starts a group, her second continues it.
      const last3 = await user.page.$$eval('#messages li.msg[data-seq]',
        (els) => els.slice(-3).map((e) => e.classList.contains('continued')));
      assert.deepEqual(last3, [false, false, true], `${user.name}: grouping`);
      const separators = await user.page.$$eval('#messages li.day-separator', (els) => els.map((e) => e.textContent));
      assert.deepEqual(separators, ['Today'], `${user.name}: one day, one separator`);
      // Kept for screen readers, visually a 1 px clip.
      const box = await user.page.locator('#messages li.msg[data-seq]').last().locator('.author').boundingBox();
      assert.ok(box === null || box.width <= 1, `${user.name}: the name is shown once per group (${JSON.stringify(box)})`);
    }
    // Typing that stops without a message expires (expiresInMs, 5 s).
    await composer(bob.page).pressSequentially('hmm', { delay: 40 });
    await eventually(async () => assert.equal(await typingOf(alice.page), 'bob is typing…'), { timeout: 5000 });
    await eventually(async () => assert.equal(await typingOf(alice.page), ''), { timeout: 8000 });
    await composer(bob.page).fill('');
  });

  // ---- restart -----------------------------------------------------------------------------
  let carol;
  await step('the server stops: both clients show that they are reconnecting', async () => {
    await bob.context.setOffline(true);
    await serverControl('stop');
    for (const user of [alice, bob]) {
      await eventually(async () => assert.ok(['waiting', 'reconnecting'].includes(await connState(user.page))), { timeout: 10000 });
      user.closeCode = await user.page.getAttribute('#conn-status', 'data-close-code');
    }
    assert.match(await alice.page.textContent('#conn-status'), /Connection lost|Reconnecting/);
    console.log(`\n    close codes seen: alice ${alice.closeCode}, bob ${bob.closeCode}`);
  });

  await step('bob (offline) writes a message: it waits, visibly pending', async () => {
    await say(bob.page, 'Typed on the train, no signal');
    const pending = bob.page.locator('#outbox li.pending');
    await pending.waitFor();
    assert.equal(await pending.getAttribute('data-status'), 'queued');
    assert.match(await pending.textContent(), /Waiting for the connection/);
  });

  await step('the server starts again; alice reconnects and writes while bob is still away', async () => {
    await serverControl('start');
    await waitLive(alice.page, 30000);
    await say(alice.page, 'Sent while Bob was away');
    await waitForText(alice.page, 'Sent while Bob was away');
    assert.notEqual(await connState(bob.page), 'live', 'bob is still offline');
  });

  await step('carol, a plain WebSocket client, also talks in the gap (more than one catch-up frame holds)', async () => {
    const token = await restLogin(BASE, { username: 'carol', email: 'carol@example.com', password: PASSWORD });
    carol = await openSocket(BASE, ROOM.id, { Authorization: `Bearer ${token}` });
    await carol.next((f) => f.type === 'history');
    for (let i = 1; i <= 5; i++) {
      carol.ws.send(JSON.stringify({ type: 'message', content: `carol in the gap ${i}`, clientId: `carol-${i}` }));
      await carol.next((f) => f.type === 'ack' && f.clientId === `carol-${i}`);
    }
    await waitForText(alice.page, 'carol in the gap 5');
    carol.ws.close();
  });

  await step('bob comes back: catches up (REST pages for the truncated part), his message goes out once', async () => {
    await bob.context.setOffline(false);
    await waitLive(bob.page, 30000);
    await waitForText(bob.page, 'Typed on the train, no signal', 15000);
    await waitForText(alice.page, 'Typed on the train, no signal');
    await eventually(async () => assert.equal(await bob.page.locator('#outbox li').count(), 0));
    // The hole below the truncated catch-up is filled by a REST page that may arrive after bob's
    // own message has gone round (the restarted server's first history request is cold): wait for
    // it rather than race it, but insist that it does arrive.
    const a = await messagesOf(alice.page);
    assertGapless(a, 'alice');
    const b = await eventually(async () => {
      const held = await messagesOf(bob.page);
      assertGapless(held, 'bob');
      return held;
    });
    assert.deepEqual(b.map((m) => [m.seq, m.author, m.text]), a.map((m) => [m.seq, m.author, m.text]));
    const tail = b.slice(-7).map((m) => `${m.author}: ${m.text}`);
    assert.deepEqual(tail, [
      'alice: Sent while Bob was away',
      ...[1, 2, 3, 4, 5].map((i) => `carol: carol in the gap ${i}`),
      'bob: Typed on the train, no signal',
    ]);
    assert.ok(bob.restRequests.some((u) => u.includes('after=')),
      `bob paged the gap over REST (catch-up limit is ${process.env.HUDDLE_HISTORY_CATCH_UP_LIMIT}); requests: ${bob.restRequests}`);
  });

  // ---- a private room ------------------------------------------------------------------------
  // In a second tab each, so the first tabs stay in the shared room for the log-out steps.
  const SECRET = { name: 'Secret plans', id: 'secret-plans' };
  let aliceTab;
  let bobTab;
  await step('alice creates a private room: marked private in her list; she is its owner', async () => {
    aliceTab = await openTab(alice);
    await aliceTab.getByLabel('Room name').fill(SECRET.name);
    await aliceTab.getByLabel('Private').check();
    await aliceTab.getByRole('button', { name: 'Create room' }).click();
    await waitLive(aliceTab);
    await eventually(async () => assert.equal(await aliceTab.textContent('#room-title'), `${SECRET.name} private`));
    await eventually(async () => assert.deepEqual(await membersOf(aliceTab), ['alice:owner']));
    assert.ok(await aliceTab.getByRole('button', { name: 'Invite' }).isVisible(), 'the owner invites');
    assert.equal(await aliceTab.locator('#leave-room').isVisible(), false, 'the owner cannot leave');
    assert.equal(await memberRow(aliceTab, 'alice').getByRole('button').count(), 0, 'nothing to do to herself');

    // The list follows getRooms' `next` cursor: with pages of one room it needs every page.
    const pages = [];
    const onePerPage = (route) => {
      const url = new URL(route.request().url());
      url.searchParams.set('limit', '1');
      pages.push(url.search);
      return route.continue({ url: url.href });
    };
    const getRooms = (url) => url.pathname.endsWith('/api/v1/ws/getRooms');
    await aliceTab.route(getRooms, onePerPage);
    await aliceTab.getByRole('link', { name: 'Rooms' }).click();
    const rooms = await roomList(aliceTab);
    await aliceTab.unroute(getRooms, onePerPage);
    assert.ok(pages.length >= 2 && pages.slice(1).every((q) => q.includes('after=')), `pages asked: ${pages}`);
    assert.deepEqual(rooms.map((r) => `${r.id}:${r.kind}`), [`${ROOM.id}:public`, `${SECRET.id}:private`]);
    assert.match(rooms[1].text, /private/);
    assert.ok(await aliceTab.$eval(`li[data-room-id="${SECRET.id}"] img.lock`, (img) => img.complete && img.naturalWidth > 0),
      'the padlock image loaded');
    assert.doesNotMatch(rooms[0].text, /private/);
    await aliceTab.getByRole('link', { name: new RegExp(SECRET.name) }).click();
    await waitLive(aliceTab);
  });

  await step('bob does not see it in his list, and its address answers as for no room', async () => {
    bobTab = await openTab(bob);
    assert.deepEqual((await roomList(bobTab)).map((r) => r.id), [ROOM.id]);
    await bobTab.goto(new URL(`#/room/${SECRET.id}`, BASE).href);
    await bobTab.getByText(`Room “${SECRET.id}” does not exist (any more).`).waitFor();
    assert.equal(await connState(bobTab), 'stopped');
  });

  await step('alice invites bob (a wrong or repeated invite shows the server\'s sentence); bob sees the room and they talk', async () => {
    await aliceTab.locator('#f-invite').fill('nobody-here');
    await aliceTab.getByRole('button', { name: 'Invite' }).click();
    await aliceTab.locator('#members-error').getByText("There is no user 'nobody-here'").waitFor();
    await aliceTab.locator('#f-invite').fill('bob');
    await aliceTab.getByRole('button', { name: 'Invite' }).click();
    await eventually(async () => assert.deepEqual(await membersOf(aliceTab), ['alice:owner', 'bob:member']));
    assert.equal(await aliceTab.isVisible('#members-error'), false, 'the error went with the next action');
    assert.equal(await aliceTab.locator('#f-invite').inputValue(), '', 'the field is cleared after an invite');
    await aliceTab.locator('#f-invite').fill('bob');
    await aliceTab.getByRole('button', { name: 'Invite' }).click();
    await aliceTab.locator('#members-error').getByText(/'bob' is already a member/).waitFor();

    await bobTab.goto(BASE);
    const rooms = await roomList(bobTab);
    assert.deepEqual(rooms.map((r) => `${r.id}:${r.kind}`), [`${ROOM.id}:public`, `${SECRET.id}:private`]);
    await bobTab.getByRole('link', { name: new RegExp(SECRET.name) }).click();
    await waitLive(bobTab);
    await eventually(async () => assert.deepEqual(await membersOf(bobTab), ['alice:owner', 'bob:member']));
    // A member: may leave, invites nobody, removes nobody. (At 360 px the panel starts closed.)
    assert.equal(await bobTab.getAttribute('#members-panel', 'open'), null, 'closed on a phone');
    await openMembers(bobTab);
    assert.ok(await bobTab.getByRole('button', { name: 'Leave room' }).isVisible(), 'a member may leave');
    assert.equal(await bobTab.locator('form.invite').isHidden(), true);
    assert.equal(await bobTab.locator('#members button[data-action]').count(), 0);
    await noHorizontalScroll(bobTab, 'private room at 360 px');

    await say(bobTab, 'Thanks for the invite!');
    await waitForText(aliceTab, 'Thanks for the invite!');
    await say(aliceTab, 'Welcome to the secret room.');
    await waitForText(bobTab, 'Welcome to the secret room.');
  });

  await step('bob edits his message (both see "(edited)"); alice, the owner, deletes it (both see "message deleted", also after a reload)', async () => {
    const row = (page, text) => page.locator('#messages li.msg[data-seq]', { hasText: text });
    await say(bobTab, 'Typo herre');
    await waitForText(aliceTab, 'Typo herre');
    // A member edits and deletes only his own; the owner deletes any message but edits only hers.
    assert.equal(await row(bobTab, 'Welcome to the secret room.').locator('.msg-tools button').count(), 0);
    await eventually(async () => assert.deepEqual(
      await row(aliceTab, 'Typo herre').locator('.msg-tools button').allTextContents(), ['Delete']));
    await row(bobTab, 'Typo herre').getByRole('button', { name: 'Edit this message' }).click();
    const input = bobTab.getByRole('textbox', { name: 'Edit message' });
    assert.equal(await input.inputValue(), 'Typo herre');
    await input.fill('Typo here');
    await input.press('Enter');
    for (const page of [bobTab, aliceTab]) {
      await waitForText(page, 'Typo here');
      await eventually(async () => assert.equal(await row(page, 'Typo here').locator('.msg-state').textContent(), '(edited)'));
    }
    const seq = Number(await row(aliceTab, 'Typo here').getAttribute('data-seq'));
    await row(aliceTab, 'Typo here').getByRole('button', { name: 'Delete this message' }).click();
    await row(aliceTab, 'Typo here').getByRole('button', { name: 'Confirm delete' }).click();
    for (const page of [aliceTab, bobTab]) {
      await eventually(async () => {
        const shown = (await messagesOf(page)).find((m) => m.seq === seq);
        assert.equal(shown?.text, 'message deleted', `seq ${seq}: ${JSON.stringify(shown)}`);
      });
    }
    await bobTab.reload();
    await waitLive(bobTab);
    await eventually(async () => {
      const shown = (await messagesOf(bobTab)).find((m) => m.seq === seq);
      assert.equal(shown?.text, 'message deleted');
    });
    assert.equal(await bobTab.locator(`#messages li[data-seq="${seq}"] .msg-tools button`).count(), 0);
    assert.equal(await bobTab.locator('#messages li.msg[data-seq]', { hasText: 'Typo' }).count(), 0, 'the text is gone');
  });

  await step('alice makes bob an admin: as such he invites but cannot remove her; she makes him a member again', async () => {
    await memberRow(aliceTab, 'bob').getByRole('button', { name: 'Make bob an admin' }).click();
    await eventually(async () => assert.deepEqual(await membersOf(aliceTab), ['alice:owner', 'bob:admin']));
    await bobTab.reload();
    await waitLive(bobTab);
    await eventually(async () => assert.deepEqual(await membersOf(bobTab), ['alice:owner', 'bob:admin']));
    await openMembers(bobTab);
    assert.ok(await bobTab.getByRole('button', { name: 'Invite' }).isVisible(), 'an admin invites');
    assert.equal(await bobTab.locator('#members button[data-action]').count(), 0, 'nobody removes the owner');
    await memberRow(aliceTab, 'bob').getByRole('button', { name: 'Make bob a member' }).click();
    await eventually(async () => assert.deepEqual(await membersOf(aliceTab), ['alice:owner', 'bob:member']));
    await aliceTab.mouse.move(0, 0);
    await aliceTab.screenshot({ path: path.join(SHOTS, 'private-room.png') });
  });

  await step('alice kicks bob: his tab says "You were kicked…" (4006) and stops; alice sees the system line; a kick is no ban, he comes back', async () => {
    await memberRow(aliceTab, 'bob').getByRole('button', { name: 'Kick bob' }).click();
    await bobTab.getByText(`You were kicked from room “${SECRET.id}”.`).waitFor();
    assert.equal(await connState(bobTab), 'stopped');
    assert.equal(await bobTab.getAttribute('#conn-status', 'data-close-code'), '4006');
    assert.equal(await composer(bobTab).isHidden(), true, 'no composer any more');
    await aliceTab.locator('.log .notice[data-kind="moderation"]', { hasText: 'alice kicked bob from the room' }).waitFor();
    assert.equal(await bobTab.locator('#members-panel').isHidden(), true, 'no members panel any more');
    // Still a member: the room opens again.
    await bobTab.reload();
    await waitLive(bobTab);
    await eventually(async () => assert.deepEqual(await membersOf(aliceTab), ['alice:owner', 'bob:member']));
  });

  await step('alice removes bob: his tab says so (4004) and stops; the room is gone from his list', async () => {
    await memberRow(aliceTab, 'bob').getByRole('button', { name: 'Remove bob' }).click();
    await eventually(async () => assert.deepEqual(await membersOf(aliceTab), ['alice:owner']));
    await bobTab.getByText(`You were removed from room “${SECRET.id}”.`).waitFor();
    assert.equal(await connState(bobTab), 'stopped');
    assert.equal(await bobTab.getAttribute('#conn-status', 'data-close-code'), '4004');
    assert.equal(await composer(bobTab).isHidden(), true, 'no composer any more');
    assert.equal(await bobTab.locator('#members-panel').isHidden(), true, 'no members panel any more');
    await bobTab.getByRole('link', { name: 'Rooms' }).click();
    assert.deepEqual((await roomList(bobTab)).map((r) => r.id), [ROOM.id]);
  });

  await step('invited again, bob leaves the room himself: back to his list, without it', async () => {
    await aliceTab.locator('#f-invite').fill('bob');
    await aliceTab.getByRole('button', { name: 'Invite' }).click();
    await eventually(async () => assert.deepEqual(await membersOf(aliceTab), ['alice:owner', 'bob:member']));
    await bobTab.reload();
    await bobTab.getByRole('link', { name: new RegExp(SECRET.name) }).click();
    await waitLive(bobTab);
    await openMembers(bobTab);
    await bobTab.getByRole('button', { name: 'Leave room' }).click();
    await bobTab.getByRole('heading', { name: 'Rooms' }).waitFor();
    assert.deepEqual((await roomList(bobTab)).map((r) => r.id), [ROOM.id]);
    await eventually(async () => assert.deepEqual(await membersOf(aliceTab), ['alice:owner']));
    await closeTab(bob, bobTab);
    await closeTab(alice, aliceTab);
  });

  // ---- direct messages -----------------------------------------------------------------------
  await step('alice starts a DM with bob; bob, in another room, sees it arrive; they talk there', async () => {
    const aliceDm = await openTab(alice);
    await aliceDm.getByLabel('Username to write to').fill('nobody-here');
    await aliceDm.getByRole('button', { name: 'Open conversation' }).click();
    await aliceDm.locator('#dm-error').waitFor();
    assert.match(await aliceDm.textContent('#dm-error'), /There is no user 'nobody-here'/);
    await aliceDm.getByLabel('Username to write to').fill('bob');
    await aliceDm.getByRole('button', { name: 'Open conversation' }).click();
    await waitLive(aliceDm);
    const dmRoom = decodeURIComponent(new URL(aliceDm.url()).hash.replace(/^#\/room\//, ''));
    assert.match(dmRoom, /^dm:\d+:\d+$/);
    // bob's first tab is live in the shared room: no badge yet.
    assert.equal(await bob.page.locator('#dm-badge').isVisible(), false);
    await say(aliceDm, 'psst, bob: lunch?');
    await waitForText(aliceDm, 'psst, bob: lunch?');
    await eventually(async () => assert.equal(await bob.page.textContent('#dm-badge'), '1'));
    assert.ok(await bob.page.locator('#dm-badge').isVisible(), 'the badge shows');
    // The conversation is in bob's list (not among the rooms), with its last message, marked new.
    const bobDm = await openTab(bob);
    await bobDm.locator('#dm-list:not([aria-busy])').waitFor();
    const row = bobDm.locator(`#dm-list li[data-room-id="${dmRoom}"]`);
    assert.match(await row.textContent(), /alice.*alice: psst, bob: lunch\?/);
    assert.ok(!(await roomList(bobDm)).some((r) => r.id === dmRoom), 'a DM is not a room in the list');
    await row.getByRole('link').click();
    await waitLive(bobDm);
    await waitForText(bobDm, 'psst, bob: lunch?');
    await eventually(async () => assert.equal(await bobDm.textContent('#room-title'), 'Direct: alice'));
    await openMembers(bobDm);
    await eventually(async () => assert.deepEqual(await membersOf(bobDm), ['alice:member', 'bob:member']));
    assert.equal(await bobDm.locator('#leave-room').isVisible(), false, 'nobody leaves a DM');
    assert.equal(await bobDm.getByRole('button', { name: 'Invite' }).isVisible(), false, 'nobody invites to a DM');
    await say(bobDm, 'Sure, at noon.');
    await waitForText(aliceDm, 'Sure, at noon.');
    await waitForText(bobDm, 'Sure, at noon.');
    const a = await messagesOf(aliceDm);
    assert.deepEqual(a.map((m) => [m.seq, m.author, m.text]), [[1, 'alice', 'psst, bob: lunch?'], [2, 'bob', 'Sure, at noon.']]);
    await closeTab(bob, bobDm);
    await closeTab(alice, aliceDm);
  });

  // ---- read state ----------------------------------------------------------------------------
  await step('read markers: unread badges in both lists, cleared by reading; reading on another device clears the DM badge and alice sees "Seen"', async () => {
    const NEWS = { name: 'News desk', id: 'news-desk' };
    const markerPut = (page, roomId) => page.waitForResponse((r) => r.request().method() === 'PUT'
      && decodeURIComponent(new URL(r.url()).pathname).endsWith(`/rooms/${roomId}/read`) && r.ok());
    const unreadOf = (page, list, roomId) => page.getAttribute(`${list} li[data-room-id="${roomId}"]`, 'data-unread');
    const aliceTab = await openTab(alice);
    await aliceTab.getByLabel('Room name').fill(NEWS.name);
    await aliceTab.getByRole('button', { name: 'Create room' }).click();
    await waitLive(aliceTab);
    await say(aliceTab, 'first news');
    await waitForText(aliceTab, 'first news');
    // bob reads the room once (his marker moves as the message shows), then goes back to the list.
    const bobTab = await openTab(bob);
    const firstRead = markerPut(bobTab, NEWS.id);
    await bobTab.getByRole('link', { name: new RegExp(NEWS.name) }).click();
    await waitForText(bobTab, 'first news');
    await firstRead;
    await bobTab.getByRole('link', { name: 'Rooms' }).click();
    await roomList(bobTab);
    assert.equal(await unreadOf(bobTab, '.room-list', NEWS.id), '0');
    assert.equal(await bobTab.locator(`.room-list li[data-room-id="${NEWS.id}"] .unread-badge`).count(), 0);
    await say(aliceTab, 'second news');
    await say(aliceTab, 'third news');
    await waitForText(aliceTab, 'third news');
    await bobTab.reload();
    await roomList(bobTab);
    assert.equal(await unreadOf(bobTab, '.room-list', NEWS.id), '2');
    assert.equal(await bobTab.textContent(`.room-list li[data-room-id="${NEWS.id}"] .unread-badge`), '2');
    // The shared room, open in bob's first tab all along, has nothing unread.
    assert.equal(await unreadOf(bobTab, '.room-list', ROOM.id), '0');
    const secondRead = markerPut(bobTab, NEWS.id);
    await bobTab.getByRole('link', { name: new RegExp(NEWS.name) }).click();
    await waitForText(bobTab, 'third news');
    await secondRead;
    await bobTab.getByRole('link', { name: 'Rooms' }).click();
    await roomList(bobTab);
    assert.equal(await unreadOf(bobTab, '.room-list', NEWS.id), '0', 'read: no badge');

    // The DM: alice writes while bob's first tab is in the shared room (its header badge shows)
    // and his second is on the list (a count of 1 in the DM list).
    await aliceTab.getByRole('link', { name: 'Rooms' }).click();
    await aliceTab.locator('#dm-list:not([aria-busy])').waitFor();
    const dmRoom = await aliceTab.getAttribute('#dm-list li', 'data-room-id');
    await aliceTab.locator(`#dm-list li[data-room-id="${dmRoom}"] a`).click();
    await waitLive(aliceTab);
    await say(aliceTab, 'did you read this?');
    await waitForText(aliceTab, 'did you read this?');
    await eventually(async () => assert.equal(await bob.page.textContent('#dm-badge'), '1'));
    await bobTab.reload();
    await bobTab.locator('#dm-list:not([aria-busy])').waitFor();
    assert.equal(await unreadOf(bobTab, '#dm-list', dmRoom), '1');
    assert.equal(await bobTab.textContent(`#dm-list li[data-room-id="${dmRoom}"] .unread-badge`), '1');
    await bobTab.locator(`#dm-list li[data-room-id="${dmRoom}"] a`).click();
    await waitForText(bobTab, 'did you read this?');
    // Read in the second tab: the first tab's badge goes (a read frame), and alice's tab marks
    // her message seen (the receipt).
    await eventually(async () => assert.equal(await bob.page.locator('#dm-badge').isVisible(), false));
    const asked = (await messagesOf(aliceTab)).find((m) => m.text === 'did you read this?');
    await eventually(async () => assert.equal(
      await aliceTab.textContent(`#messages li[data-seq="${asked.seq}"] .seen-mark`), 'Seen'));
    assert.equal(await aliceTab.locator('#messages .seen-mark').count(), 1, 'on her newest read message only');
    await bobTab.getByRole('link', { name: 'Rooms' }).click();
    await bobTab.locator('#dm-list:not([aria-busy])').waitFor();
    await eventually(async () => {
      await bobTab.reload();
      await bobTab.locator('#dm-list:not([aria-busy])').waitFor();
      assert.equal(await unreadOf(bobTab, '#dm-list', dmRoom), '0');
    });
    await closeTab(bob, bobTab);
    await closeTab(alice, aliceTab);
  });

  await step('invitation link: alice makes one for a private room; bob opens it and is in the room; a made-up link says so', async () => {
    const LINKED = { name: 'By link only', id: 'by-link-only' };
    const aliceTab = await openTab(alice);
    await aliceTab.getByLabel('Room name').fill(LINKED.name);
    await aliceTab.getByLabel('Private').check();
    await aliceTab.getByRole('button', { name: 'Create room' }).click();
    await waitLive(aliceTab);
    await openMembers(aliceTab);
    await aliceTab.getByRole('button', { name: 'Create invitation link' }).click();
    await aliceTab.locator('#invite-link:not([hidden])').waitFor();
    const url = await aliceTab.inputValue('#invite-link');
    assert.match(url, /#\/invite\/[A-Za-z0-9_-]{32}$/);
    const bobTab = await openTab(bob);
    await bobTab.goto(url);
    await waitLive(bobTab);
    assert.equal(decodeURIComponent(new URL(bobTab.url()).hash), `#/room/${LINKED.id}`);
    await eventually(async () => assert.deepEqual(await membersOf(aliceTab), ['alice:owner', 'bob:member']));
    await bobTab.goto(`${BASE}#/invite/${'A'.repeat(32)}`);
    await eventually(async () => assert.match(await bobTab.textContent('#invite-status'), /does not work/));
    linked = { aliceTab, bobTab, url, room: LINKED };
  });

  // ---- the owner's and admins' tools (js/room-admin.js) ------------------------------------
  await step('alice lists the room\'s invitation links and revokes a second one; the first still works', async () => {
    const { aliceTab } = linked;
    await eventually(async () => assert.equal(await aliceTab.locator('#invitations li').count(), 1));
    assert.match(await aliceTab.textContent('#invitations li'), /alice.*used 1 time/);
    await aliceTab.getByRole('button', { name: 'Create invitation link' }).click();
    await eventually(async () => assert.equal(await aliceTab.locator('#invitations li').count(), 2));
    // Newest first: revoke the one just made.
    await aliceTab.locator('#invitations li').first().getByRole('button', { name: /^Revoke/ }).click();
    await eventually(async () => assert.equal(await aliceTab.locator('#invitations li').count(), 1));
    assert.match(await aliceTab.textContent('#invitations li'), /used 1 time/, 'the used one is left');
  });

  await step('alice bans bob: his tab says so (4007), the bans list shows him, his link is refused; she unbans him and he rejoins by the link', async () => {
    const { aliceTab, bobTab, url, room } = linked;
    await bobTab.goto(`${BASE}#/room/${room.id}`);
    await waitLive(bobTab);
    await memberRow(aliceTab, 'bob').getByRole('button', { name: 'Ban bob' }).click();
    await bobTab.getByText(`You were banned from room “${room.id}”.`).waitFor();
    assert.equal(await bobTab.getAttribute('#conn-status', 'data-close-code'), '4007');
    await eventually(async () => assert.deepEqual(
      await aliceTab.$$eval('#bans li', (els) => els.map((e) => e.dataset.username)), ['bob']));
    assert.match(await aliceTab.textContent('#bans li'), /by alice/);
    await eventually(async () => assert.deepEqual(await membersOf(aliceTab), ['alice:owner']));
    await bobTab.goto(url);
    await eventually(async () => assert.match(await bobTab.textContent('#invite-status'), /banned/i));
    await aliceTab.getByRole('button', { name: 'Unban bob' }).click();
    await eventually(async () => assert.equal(await aliceTab.locator('#bans li').count(), 0));
    assert.equal(await aliceTab.locator('#bans-empty').isVisible(), true);
    await bobTab.goto(`${BASE}#/`);
    await bobTab.goto(url);
    await waitLive(bobTab);
    await eventually(async () => assert.deepEqual(await membersOf(aliceTab), ['alice:owner', 'bob:member']));
  });

  await step('alice mutes bob: his message is refused; she unmutes him (the button turns back) and it goes out', async () => {
    const { aliceTab, bobTab } = linked;
    await memberRow(aliceTab, 'bob').getByRole('button', { name: /^Mute bob/ }).click();
    await memberRow(aliceTab, 'bob').getByRole('button', { name: 'Unmute bob' }).waitFor();
    await say(bobTab, 'can anyone hear me');
    await bobTab.locator('#outbox li[data-status="failed"]', { hasText: /muted/i }).waitFor();
    await bobTab.getByRole('button', { name: 'Discard' }).click();
    await memberRow(aliceTab, 'bob').getByRole('button', { name: 'Unmute bob' }).click();
    await memberRow(aliceTab, 'bob').getByRole('button', { name: /^Mute bob/ }).waitFor();
    await aliceTab.locator('.log .notice[data-kind="moderation"]', { hasText: 'alice unmuted bob' }).waitFor();
    await say(bobTab, 'back again');
    await waitForText(aliceTab, 'back again');
  });

  await step('alice hands the room to bob (after a confirm click): he is its owner, she an admin; he hands it back', async () => {
    const { aliceTab, bobTab } = linked;
    const transfer = memberRow(aliceTab, 'bob').locator('button[data-action="transfer"]');
    await transfer.click();
    assert.match(await transfer.textContent(), /Confirm: bob owns the room/);
    assert.deepEqual(await membersOf(aliceTab), ['alice:owner', 'bob:member'], 'one click changes nothing');
    await transfer.click();
    await eventually(async () => assert.deepEqual(await membersOf(aliceTab), ['bob:owner', 'alice:admin']));
    assert.equal(await aliceTab.locator('#archive-room').isVisible(), false, 'an admin does not archive');
    // A role change sends no frame: bob's tab learns it on its next load.
    await bobTab.reload();
    await waitLive(bobTab);
    await openMembers(bobTab);
    await eventually(async () => assert.deepEqual(await membersOf(bobTab), ['bob:owner', 'alice:admin']));
    const back = memberRow(bobTab, 'alice').locator('button[data-action="transfer"]');
    await back.click();
    await back.click();
    await eventually(async () => assert.deepEqual(await membersOf(bobTab), ['alice:owner', 'bob:admin']));
    await aliceTab.reload();
    await waitLive(aliceTab);
    await openMembers(aliceTab);
    await eventually(async () => assert.deepEqual(await membersOf(aliceTab), ['alice:owner', 'bob:admin']));
    await aliceTab.locator('#archive-room').waitFor();
  });

  await step('alice archives the room (confirm click): bob\'s tab says archived, read-only; both lists mark it; reopened it shows its history without a socket', async () => {
    const { aliceTab, bobTab, room } = linked;
    await aliceTab.locator('#archive-room').click();
    assert.equal(await aliceTab.textContent('#archive-room'), 'Confirm archive');
    await aliceTab.locator('#archive-room').click();
    await bobTab.getByText(`Room “${room.id}” was archived: its history stays, but nobody can write in it.`).waitFor();
    assert.equal(await bobTab.getAttribute('#conn-status', 'data-close-code'), '4008');
    assert.equal(await composer(bobTab).isHidden(), true, 'read-only');
    await bobTab.locator('#room-title .archived-badge').waitFor();
    await aliceTab.locator('.log .notice[data-kind="moderation"]', { hasText: 'alice archived the room' }).waitFor();
    await eventually(async () => assert.equal(await aliceTab.locator('#archive-room').isVisible(), false));
    assert.equal(await aliceTab.locator('#delete-room').isVisible(), true, 'the owner may still delete it');
    await bobTab.getByRole('link', { name: 'Rooms' }).click();
    const listed = (await roomList(bobTab)).find((r) => r.id === room.id);
    assert.match(listed?.text ?? '', /archived/);
    assert.equal(await bobTab.locator(`.room-list li.archived[data-room-id="${room.id}"]`).count(), 1);
    await bobTab.locator(`.room-list li[data-room-id="${room.id}"] a`).click();
    await waitForText(bobTab, 'back again');
    await eventually(async () => assert.equal(await connState(bobTab), 'stopped'));
    assert.equal(await composer(bobTab).isHidden(), true);
    await bobTab.locator('#room-title .archived-badge').waitFor();
    assert.equal(await bobTab.locator('#members button[data-action]').count(), 0, 'no tools in an archived room');
    assert.equal(await bobTab.locator('#messages .msg-tools button:visible').count(), 0, 'no edit or delete either');
  });

  await step('alice deletes the archived room (confirm click): back to her list without it; gone from bob\'s too', async () => {
    const { aliceTab, bobTab, room } = linked;
    await aliceTab.locator('#delete-room').click();
    assert.equal(await aliceTab.textContent('#delete-room'), 'Confirm delete room');
    await aliceTab.locator('#delete-room').click();
    await aliceTab.getByRole('heading', { name: 'Rooms' }).waitFor();
    assert.equal((await roomList(aliceTab)).some((r) => r.id === room.id), false);
    await bobTab.goto(`${BASE}#/`);
    await bobTab.reload();
    assert.equal((await roomList(bobTab)).some((r) => r.id === room.id), false);
    await closeTab(bob, bobTab);
    await closeTab(alice, aliceTab);
  });

  // ---- log out -----------------------------------------------------------------------------
  await step('a log-out the server could not carry out (database down: 503) says so and stays logged in', async () => {
    const outage = (route) => route.fulfill({
      status: 503,
      contentType: 'application/json',
      headers: { 'Retry-After': '5' },
      body: JSON.stringify({ error: 'The database is unavailable; try again shortly' }),
    });
    await bob.page.route('**/api/v1/user/logout', outage);
    await bob.page.getByRole('button', { name: 'Log out' }).click();
    await bob.page.locator('#header-problem').waitFor();
    assert.match(await bob.page.textContent('#header-problem'), /Could not log out: The database is unavailable/);
    assert.equal(await bob.page.textContent('#me'), 'bob');
    await waitLive(bob.page, 15000);
    await bob.page.unroute('**/api/v1/user/logout', outage);
  });

  await step('bob logs out: back to the login screen; his old cookie no longer opens a socket', async () => {
    const cookie = (await bob.context.cookies()).find((c) => c.name === 'access_token');
    assert.ok(cookie?.value, 'the access_token cookie is set');
    assert.ok(cookie.httpOnly, 'the cookie is HttpOnly');
    assert.equal(await bob.page.evaluate(() => document.cookie.includes('access_token')), false);
    // Control: the cookie opens a socket while the session lives.
    const before = await openSocket(BASE, ROOM.id, { Cookie: `access_token=${cookie.value}` });
    before.ws.close();

    await bob.page.getByRole('button', { name: 'Log out' }).click();
    await bob.page.getByRole('heading', { name: 'Log in to Huddle' }).waitFor();
    await bob.page.getByText('You are logged out.').waitFor();
    assert.equal((await bob.context.cookies()).find((c) => c.name === 'access_token' && c.value), undefined,
      'the browser dropped the cookie');

    const refused = await openSocket(BASE, ROOM.id, { Cookie: `access_token=${cookie.value}` }).then(
      (s) => { s.ws.close(); return null; },
      (e) => e,
    );
    assert.equal(refused?.status, 401, 'the old cookie opens no socket after logout');
    const me = await fetch(new URL('api/v1/user/me', BASE), { headers: { Cookie: `access_token=${cookie.value}` } });
    assert.equal(me.status, 401);

    await alice.page.getByText('bob left the room').last().waitFor();
    await eventually(async () => assert.deepEqual(
      await alice.page.$$eval('#people li', (els) => els.map((e) => e.firstChild.textContent)), ['alice']));
  });

  await step('a wrong password is refused with the API\'s sentence above the button', async () => {
    await bob.page.getByLabel('Email').fill('bob@example.com');
    await bob.page.getByLabel('Password').fill('not the password');
    await bob.page.getByRole('button', { name: 'Log in' }).click();
    await bob.page.locator('.form-error').getByText('Email or password is incorrect').waitFor();
  });

  await step('no CSP violation, no page error, no dialog anywhere', async () => {
    const problems = [...alice.problems, ...bob.problems];
    for (const user of [alice, bob]) {
      for (const v of await user.page.evaluate(() => window.__cspViolations)) problems.push(`${user.name}: CSP: ${v}`);
    }
    assert.deepEqual(problems, []);
  });
} catch (e) {
  failed = true;
  console.error(e);
  for (const user of [alice, bob].filter(Boolean)) {
    await user.page.screenshot({ path: path.join(SHOTS, `failure-${user.name}.png`) }).catch(() => {});
  }
} finally {
  await browser.close();
}

console.log(failed ? `browser test FAILED after ${elapsed()} s` : `browser test passed in ${elapsed()} s`);
process.exit(failed ? 1 : 0);
