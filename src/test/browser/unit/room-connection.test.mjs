// The web client's protocol logic (js/room-connection.js) against a scripted fake socket: the cases
// a browser run cannot produce on demand (a lost ack, a truncated catch-up, a refused upgrade).
// Run: node --test unit/
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import {
  RoomConnection,
  contentLength,
  contentProblem,
  defaultBackoff,
  newClientId,
} from '../../../main/resources/META-INF/resources/js/room-connection.js';

class FakeSocket {
  static all = [];
  constructor(url) {
    this.url = url;
    this.sent = [];
    this.closed = null;
    FakeSocket.all.push(this);
  }
  static last() {
    return FakeSocket.all[FakeSocket.all.length - 1];
  }
  send(text) {
    if (this.closed) throw new Error('closed');
    this.sent.push(JSON.parse(text));
  }
  close(code) {
    this.closed = code;
  }
  // server side
  open() {
    this.onopen?.();
  }
  frame(obj) {
    this.onmessage?.({ data: JSON.stringify(obj) });
  }
  drop(code = 1006) {
    this.closed = code;
    this.onclose?.({ code });
  }
}

function fakeTimers() {
  const queue = [];
  return {
    queue,
    set(fn, ms) {
      const t = { fn, ms };
      queue.push(t);
      return t;
    },
    clear(t) {
      const i = queue.indexOf(t);
      if (i >= 0) queue.splice(i, 1);
    },
    runAll() {
      while (queue.length) queue.shift().fn();
    },
  };
}

const msg = (seq, extra = {}) => ({
  type: 'message', roomId: 'r', seq, userId: '1', username: 'alice', content: `m${seq}`,
  sentAt: '2026-11-27T19:55:21.544Z', isDirect: false, ...extra,
});
const flush = () => new Promise((resolve) => setImmediate(resolve));

function setup({ pages = () => ({ messages: [], hasMore: false }), probe } = {}) {
  const shown = [];
  const pending = [];
  const states = [];
  const fatal = [];
  const pageCalls = [];
  const timers = fakeTimers();
  let ids = 0;
  const conn = new RoomConnection({
    url: 'ws://h/api/v1/ws/joinRoom/r',
    fetchPage: async (q) => {
      pageCalls.push(q);
      return pages(q);
    },
    probe,
    WebSocketImpl: FakeSocket,
    backoff: (attempt) => 100 * (attempt + 1),
    timers,
    clientIds: () => `c${++ids}`,
    handlers: {
      messages: (list) => shown.push(...list.map((m) => m.seq)),
      pending: (p) => pending.push(p),
      state: (s) => states.push(s),
      fatal: (r) => fatal.push(r),
    },
  });
  return { conn, shown, pending, states, fatal, pageCalls, timers };
}

beforeEach(() => {
  FakeSocket.all = [];
});

describe('RoomConnection', () => {
  test('first entry connects without since; reconnect asks for ?since=<last seq>', () => {
    const { conn, timers, states } = setup();
    conn.start();
    assert.equal(FakeSocket.last().url, 'ws://h/api/v1/ws/joinRoom/r');
    FakeSocket.last().open();
    FakeSocket.last().frame({ type: 'history', roomId: 'r', messages: [msg(4), msg(5)] });
    FakeSocket.last().frame(msg(6));
    assert.equal(conn.lastSeq, 6);
    assert.equal(conn.hasOlder, true);
    FakeSocket.last().drop(1001);
    assert.equal(states.at(-1).state, 'waiting');
    assert.equal(states.at(-1).closeCode, 1001);
    timers.runAll();
    assert.equal(FakeSocket.all.length, 2);
    assert.equal(FakeSocket.last().url, 'ws://h/api/v1/ws/joinRoom/r?since=6');
  });

  test('each seq reaches the view once, whatever repeats', () => {
    const { conn, shown } = setup();
    conn.start();
    const s = FakeSocket.last();
    s.open();
    s.frame({ type: 'history', roomId: 'r', messages: [msg(1), msg(2)] });
    s.frame(msg(2));
    s.frame(msg(3));
    s.frame(msg(3));
    assert.deepEqual(shown, [1, 2, 3]);
  });

  test('a moderation event with a seq is a row of the sequence; one without stays a notice', () => {
    const { conn, shown } = setup();
    const notices = [];
    conn.on.moderation = (f) => notices.push(f.action);
    conn.start();
    const s = FakeSocket.last();
    s.open();
    s.frame({ type: 'history', roomId: 'r', messages: [msg(1)] });
    s.frame({ type: 'moderation', roomId: 'r', seq: 2, action: 'kick', userId: '2', by: 'alice' });
    s.frame({ type: 'moderation', roomId: 'r', seq: 2, action: 'kick', userId: '2', by: 'alice' });
    s.frame(msg(3));
    s.frame({ type: 'moderation', roomId: 'r', action: 'delete', by: 'alice' });
    assert.deepEqual(shown, [1, 2, 3]);
    assert.equal(conn.lastSeq, 3);
    assert.deepEqual(notices, ['delete']);
  });

  test('backoff grows per failed attempt and resets once live', async () => {
    const { conn, timers, states } = setup();
    conn.start();
    FakeSocket.last().open();
    FakeSocket.last().frame({ type: 'history', roomId: 'r', messages: [] });
    FakeSocket.last().drop(1006);
    assert.equal(states.at(-1).retryInMs, 100);
    timers.runAll();
    FakeSocket.last().drop(1006); // never opened: the probe runs first
    await flush();
    assert.equal(states.at(-1).retryInMs, 200);
    timers.runAll();
    FakeSocket.last().open();
    FakeSocket.last().frame({ type: 'history', roomId: 'r', messages: [] });
    FakeSocket.last().drop(1001);
    assert.equal(states.at(-1).retryInMs, 100);
  });

  test('a message sent while disconnected waits, then goes out after the history frame', () => {
    const { conn, timers, pending } = setup();
    conn.start();
    FakeSocket.last().open();
    FakeSocket.last().frame({ type: 'history', roomId: 'r', messages: [msg(1)] });
    FakeSocket.last().drop(1006);
    conn.send('hello');
    assert.equal(pending.at(-1).status, 'queued');
    timers.runAll();
    const s = FakeSocket.last();
    s.open();
    assert.deepEqual(s.sent, [], 'nothing is sent before the history frame');
    s.frame({ type: 'history', roomId: 'r', messages: [] });
    assert.deepEqual(s.sent, [{ type: 'message', content: 'hello', clientId: 'c1' }]);
    assert.equal(pending.at(-1).status, 'sending');
  });

  test('an un-acked message is resent with the same clientId; a duplicate ack settles it', () => {
    const { conn, timers, pending, shown } = setup();
    conn.start();
    let s = FakeSocket.last();
    s.open();
    s.frame({ type: 'history', roomId: 'r', messages: [msg(1)] });
    conn.send('hello');
    assert.deepEqual(s.sent.map((f) => f.clientId), ['c1']);
    // Stored as seq 2, but the socket drops before the ack and the echo arrive.
    s.drop(1006);
    timers.runAll();
    s = FakeSocket.last();
    assert.equal(s.url, 'ws://h/api/v1/ws/joinRoom/r?since=1');
    s.open();
    s.frame({ type: 'history', roomId: 'r', messages: [msg(2, { content: 'hello' })] });
    assert.deepEqual(s.sent, [{ type: 'message', content: 'hello', clientId: 'c1' }], 'same clientId');
    s.frame({ type: 'ack', roomId: 'r', seq: 2, clientId: 'c1', duplicate: true });
    assert.equal(pending.at(-1).status, 'done');
    assert.deepEqual(shown, [1, 2]);
    assert.equal(conn.outbox.size, 0);
  });

  test('an ack before its echo keeps the message pending until the echo', () => {
    const { conn, pending, shown } = setup();
    conn.start();
    const s = FakeSocket.last();
    s.open();
    s.frame({ type: 'history', roomId: 'r', messages: [] });
    conn.send('hi');
    s.frame({ type: 'ack', roomId: 'r', seq: 1, clientId: 'c1' });
    assert.equal(pending.at(-1).status, 'sent');
    s.frame(msg(1, { content: 'hi' }));
    assert.equal(pending.at(-1).status, 'done');
    assert.deepEqual(shown, [1]);
  });

  test('an error frame for a message marks it failed; retry resends the same clientId', () => {
    const { conn, pending } = setup();
    conn.start();
    const s = FakeSocket.last();
    s.open();
    s.frame({ type: 'history', roomId: 'r', messages: [] });
    conn.send('hi');
    s.frame({ type: 'error', clientId: 'c1', error: 'Server busy' });
    assert.equal(pending.at(-1).status, 'failed');
    assert.equal(pending.at(-1).error, 'Server busy');
    conn.retry('c1');
    assert.deepEqual(s.sent.map((f) => f.clientId), ['c1', 'c1']);
  });

  test('a truncated catch-up is filled from REST page by page, in order, without duplicates', async () => {
    const pages = (q) => {
      // 3..9 are missing; the REST API hands them out 3 at a time
      const all = [3, 4, 5, 6, 7, 8, 9].filter((n) => n > q.after && n < q.before);
      const page = all.slice(0, 3);
      return { messages: page.map((n) => msg(n)), hasMore: all.length > 3 };
    };
    const { conn, timers, shown, pageCalls } = setup({ pages });
    conn.start();
    FakeSocket.last().open();
    FakeSocket.last().frame({ type: 'history', roomId: 'r', messages: [msg(1), msg(2)] });
    FakeSocket.last().drop(1006);
    timers.runAll();
    const s = FakeSocket.last();
    assert.equal(s.url, 'ws://h/api/v1/ws/joinRoom/r?since=2');
    s.open();
    s.frame({ type: 'history', roomId: 'r', messages: [msg(10), msg(11)], truncated: true });
    s.frame(msg(12));
    await flush();
    await flush();
    await flush();
    assert.deepEqual(pageCalls, [
      { after: 2, before: 10, limit: 500 },
      { after: 5, before: 10, limit: 500 },
      { after: 8, before: 10, limit: 500 },
    ]);
    assert.deepEqual([...shown].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.equal(new Set(shown).size, shown.length);
    assert.equal(conn.lastSeq, 12);
  });

  test('a hole the server no longer has (retention) does not stall lastSeq', async () => {
    const { conn, timers } = setup({ pages: () => ({ messages: [], hasMore: false }) });
    conn.start();
    FakeSocket.last().open();
    FakeSocket.last().frame({ type: 'history', roomId: 'r', messages: [msg(1)] });
    FakeSocket.last().drop(1006);
    timers.runAll();
    FakeSocket.last().open();
    FakeSocket.last().frame({ type: 'history', roomId: 'r', messages: [msg(50)], truncated: true });
    await flush();
    assert.equal(conn.lastSeq, 50);
  });

  test('a refused upgrade with a dead session stops for good (no retry loop)', async () => {
    const { conn, fatal, timers } = setup({ probe: async () => 'unauthorized' });
    conn.start();
    FakeSocket.last().drop(1006);
    await flush();
    assert.deepEqual(fatal, ['unauthorized']);
    assert.equal(timers.queue.length, 0);
    assert.equal(conn.state, 'stopped');
  });

  test('a refused upgrade of an archived room (410) stops for good: the room is read-only', async () => {
    const { conn, fatal, timers } = setup({ probe: async () => 'archived' });
    conn.start();
    FakeSocket.last().drop(1006);
    await flush();
    assert.deepEqual(fatal, ['archived']);
    assert.equal(timers.queue.length, 0);
    assert.equal(conn.state, 'stopped');
  });

  for (const code of [4001, 4002, 4003]) {
    test(`a close with ${code} (session ended) stops for good without retrying`, async () => {
      const { conn, fatal, timers } = setup();
      conn.start();
      FakeSocket.last().open();
      FakeSocket.last().frame({ type: 'history', roomId: 'r', messages: [msg(1)] });
      FakeSocket.last().drop(code);
      await flush();
      assert.deepEqual(fatal, ['unauthorized']);
      assert.equal(timers.queue.length, 0);
      assert.equal(conn.state, 'stopped');
    });
  }

  for (const [code, reason] of [
    [4004, 'removed'],
    [4005, 'left'],
    [4006, 'kicked'],
    [4007, 'banned'],
    [4008, 'archived'],
    [4009, 'deleted'],
  ]) {
    test(`a close with ${code} (${reason}) stops the room for good without retrying`, async () => {
      const { conn, fatal, timers } = setup();
      conn.start();
      FakeSocket.last().open();
      FakeSocket.last().frame({ type: 'history', roomId: 'r', messages: [msg(1)] });
      FakeSocket.last().drop(code);
      await flush();
      assert.deepEqual(fatal, [reason]);
      assert.equal(timers.queue.length, 0);
      assert.equal(conn.state, 'stopped');
    });
  }

  test('a rate-limited message stays pending and is sent again after retryAfterMs', () => {
    const { conn, timers, pending } = setup();
    conn.start();
    const s = FakeSocket.last();
    s.open();
    s.frame({ type: 'history', roomId: 'r', messages: [] });
    const id = conn.send('hello');
    assert.equal(s.sent.length, 1);
    s.frame({ type: 'error', clientId: id, error: 'Too many messages', retryAfterMs: 200 });
    assert.equal(pending.at(-1).status, 'queued');
    assert.equal(timers.queue.at(-1).ms, 200);
    timers.runAll();
    assert.equal(s.sent.length, 2);
    assert.deepEqual(s.sent[1], { type: 'message', content: 'hello', clientId: id });
    s.frame({ type: 'ack', roomId: 'r', seq: 1, clientId: id });
    assert.equal(conn.outbox.size, 0);
  });

  test('a refused upgrade while the server is unreachable keeps retrying', async () => {
    const { conn, fatal, timers } = setup({ probe: async () => 'unreachable' });
    conn.start();
    FakeSocket.last().drop(1006);
    await flush();
    assert.deepEqual(fatal, []);
    assert.equal(timers.queue.length, 1);
  });

  test('stop() closes with 1000 and never reconnects', () => {
    const { conn, timers } = setup();
    conn.start();
    const s = FakeSocket.last();
    s.open();
    conn.stop();
    assert.equal(s.closed, 1000);
    s.onclose?.({ code: 1000 });
    timers.runAll();
    assert.equal(FakeSocket.all.length, 1);
  });

  test('an error before any history frame starts over with a new connection', () => {
    const { conn, timers } = setup();
    conn.start();
    const s = FakeSocket.last();
    s.open();
    s.frame({ type: 'error', error: 'History is unavailable right now' });
    assert.equal(s.closed, 4000);
    s.drop(4000);
    timers.runAll();
    assert.equal(FakeSocket.all.length, 2);
  });
});

describe('content rules (as the server counts)', () => {
  test('length counts code points, not UTF-16 units', () => {
    assert.equal(contentLength('😀😀'), 2);
    assert.equal(contentProblem('😀'.repeat(4000)), null);
    assert.match(contentProblem('😀'.repeat(4001)), /at most 4000/);
    assert.match(contentProblem('  \n '), /Type a message/);
    assert.match(contentProblem('a\u0000b'), /NUL/);
  });

  test('client ids are UUIDs, also without crypto.randomUUID (plain-http pages)', () => {
    const fallback = newClientId({ getRandomValues: (a) => globalThis.crypto.getRandomValues(a) });
    assert.match(fallback, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('backoff stays between 375 ms and 6.25 s', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const d = defaultBackoff(attempt);
      assert.ok(d >= 375 && d <= 6250, `${attempt}: ${d}`);
    }
  });
});

describe('RoomConnection typing', () => {
  test('typing frames go to the typing handler; sendTyping sends only while live', () => {
    const typed = [];
    const conn = new RoomConnection({
      url: 'ws://h/api/v1/ws/joinRoom/r',
      fetchPage: async () => ({ messages: [], hasMore: false }),
      WebSocketImpl: FakeSocket,
      timers: fakeTimers(),
      handlers: { typing: (f) => typed.push(f.username) },
    });
    conn.start();
    const s = FakeSocket.last();
    assert.equal(conn.sendTyping(), false, 'not open yet: nothing sent');
    s.open();
    s.frame({ type: 'history', roomId: 'r', messages: [] });
    assert.equal(conn.sendTyping(), true);
    assert.deepEqual(s.sent, [{ type: 'typing' }]);
    s.frame({ type: 'typing', roomId: 'r', userId: '2', username: 'bob', expiresInMs: 5000 });
    assert.deepEqual(typed, ['bob']);
    assert.equal(conn.seen.size, 0, 'a typing notice is not a message');
  });
});
