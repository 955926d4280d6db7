// Small helpers for the browser test: timed steps, retrying assertions, the restart hand-shake with
// .ci/browser-test.sh, and a plain Node client of Huddle (REST + ws) for the third user.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';

const started = Date.now();

/** Runs one named step and prints how long it took. */
export async function step(name, fn) {
  const t0 = Date.now();
  process.stdout.write(`• ${name} … `);
  try {
    const result = await fn();
    console.log(`ok (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return result;
  } catch (e) {
    console.log(`FAILED after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    throw e;
  }
}

export function elapsed() {
  return ((Date.now() - started) / 1000).toFixed(1);
}

/** Retries an assertion until it passes or `timeout` ms have passed; then throws its last error. */
export async function eventually(check, { timeout = 10000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/**
 * Asks the script that started the server to stop or start it (a real process stop/start on the
 * same port and database) and waits until it is done. The script polls `request` in the control
 * folder and answers by creating `done-<command>`.
 */
export async function serverControl(command, { timeout = 120000 } = {}) {
  const dir = process.env.HUDDLE_CONTROL_DIR;
  assert.ok(dir, 'HUDDLE_CONTROL_DIR is not set: run this test through .ci/browser-test.sh');
  const done = path.join(dir, `done-${command}`);
  fs.rmSync(done, { force: true });
  fs.writeFileSync(path.join(dir, 'request.tmp'), command);
  fs.renameSync(path.join(dir, 'request.tmp'), path.join(dir, 'request'));
  await eventually(() => assert.ok(fs.existsSync(done), `server did not ${command} in time`), { timeout, interval: 100 });
  const answer = fs.readFileSync(done, 'utf8').trim();
  assert.equal(answer, 'ok', `server ${command} failed: ${answer}`);
}

/** REST calls for a user that is not in a browser. */
export async function restLogin(base, { username, email, password }) {
  const signup = await fetch(new URL('api/v1/user/signup', base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, email, password }),
  });
  assert.equal(signup.status, 201, `signup ${username}: ${await signup.text()}`);
  const login = await fetch(new URL('api/v1/user/login', base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(login.status, 200);
  return (await login.json()).accessToken;
}

/**
 * Opens a room socket from Node. Resolves with {ws, frames, next(type)} once open, or rejects
 * with an error whose `status` is the HTTP status of the refused upgrade.
 */
export function openSocket(base, roomId, headers) {
  const url = new URL(`api/v1/ws/joinRoom/${encodeURIComponent(roomId)}`, base);
  url.protocol = 'ws:';
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const frames = [];
    const waiters = [];
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      frames.push(frame);
      for (const w of [...waiters]) {
        if (w.match(frame)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(frame);
        }
      }
    });
    const next = (match, timeout = 10000) => {
      const found = frames.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((res, rej) => {
        const w = { match, resolve: res };
        waiters.push(w);
        setTimeout(() => rej(new Error('no matching frame in time')), timeout).unref();
      });
    };
    ws.once('open', () => resolve({ ws, frames, next }));
    ws.once('unexpected-response', (req, res) => {
      const error = new Error(`upgrade refused with ${res.statusCode}`);
      error.status = res.statusCode;
      req.destroy();
      reject(error);
    });
    ws.once('error', (e) => reject(e));
  });
}
