// Read state in the web client (js/read-state.js): badge text, the throttled marker, read frames.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReadFrames, ReadMarker, UNREAD_CAP, unreadText } from '../../../main/resources/META-INF/resources/js/read-state.js';
import { UnseenDirects } from '../../../main/resources/META-INF/resources/js/direct.js';

/** A fake clock whose timers run when advance(ms) passes them. */
function fakeClock() {
  let now = 0;
  let next = 1;
  const due = new Map();
  return {
    now: () => now,
    timers: {
      set: (f, ms) => { const id = next++; due.set(id, { f, at: now + ms }); return id; },
      clear: (id) => due.delete(id),
    },
    advance(ms) {
      now += ms;
      for (const [id, t] of [...due].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at <= now) { due.delete(id); t.f(); }
      }
    },
    pending: () => due.size,
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('unreadText: nothing for none or nonsense, the number, and "100+" at the server\'s cap', () => {
  for (const none of [0, -1, undefined, null, 'x', NaN]) assert.equal(unreadText(none), null, String(none));
  assert.equal(unreadText(1), '1');
  assert.equal(unreadText(99), '99');
  assert.equal(UNREAD_CAP, 100);
  assert.equal(unreadText(100), '100+');
});

test('the marker goes out at once, then at most once per interval with the latest seq', async () => {
  const clock = fakeClock();
  const sent = [];
  const marker = new ReadMarker({ send: async (seq) => sent.push(seq), intervalMs: 1000, timers: clock.timers, now: clock.now });
  marker.seen(3);
  await settle();
  assert.deepEqual(sent, [3]);
  marker.seen(4);
  marker.seen(6);
  marker.seen(5); // lower than what is wanted: ignored
  await settle();
  assert.deepEqual(sent, [3], 'within the interval: held');
  clock.advance(999);
  await settle();
  assert.deepEqual(sent, [3]);
  clock.advance(1);
  await settle();
  assert.deepEqual(sent, [3, 6], 'the latest, once');
  marker.seen(6);
  clock.advance(5000);
  await settle();
  assert.deepEqual(sent, [3, 6], 'never the same seq twice');
  assert.equal(clock.pending(), 0);
});

test('nothing goes out while hidden; flush sends when visible again; stop cancels', async () => {
  const clock = fakeClock();
  const sent = [];
  let visible = false;
  const marker = new ReadMarker({
    send: async (seq) => sent.push(seq), visible: () => visible, timers: clock.timers, now: clock.now,
  });
  marker.seen(2);
  await settle();
  assert.deepEqual(sent, []);
  visible = true;
  marker.flush();
  await settle();
  assert.deepEqual(sent, [2]);
  marker.seen(9);
  assert.equal(clock.pending(), 1);
  marker.stop();
  clock.advance(5000);
  await settle();
  assert.deepEqual(sent, [2]);
});

test('a marker the server refused is tried again; one read elsewhere is not sent', async () => {
  const clock = fakeClock();
  const sent = [];
  let fail = true;
  const marker = new ReadMarker({
    send: async (seq) => { sent.push(seq); if (fail) throw new Error('offline'); },
    timers: clock.timers,
    now: clock.now,
  });
  marker.seen(4);
  await settle();
  assert.equal(marker.sent, 0, 'forgotten after the failure');
  fail = false;
  clock.advance(1000);
  marker.flush();
  await settle();
  assert.deepEqual(sent, [4, 4]);
  marker.readElsewhere(10);
  marker.seen(8);
  clock.advance(1000);
  await settle();
  assert.deepEqual(sent, [4, 4], 'another device already read past it');
});

test('read frames: the user\'s own go to onOwn, the other user\'s (DM receipts) to onReceipt', () => {
  const frames = new ReadFrames();
  const own = [];
  const receipts = [];
  const stop = frames.onOwn((roomId, seq) => own.push([roomId, seq]));
  frames.onReceipt((roomId, seq) => receipts.push([roomId, seq]));
  assert.equal(frames.note({ type: 'read', roomId: 'r1', userId: '7', seq: 4 }, 7), true);
  assert.equal(frames.note({ type: 'read', roomId: 'dm:7:9', userId: '9', seq: 2 }, '7'), false);
  assert.equal(frames.note({ type: 'message', roomId: 'r1', userId: '7', seq: 5 }, '7'), false);
  assert.equal(frames.note({ type: 'read', roomId: 'r1', userId: '7', seq: 'x' }, '7'), false);
  assert.deepEqual(own, [['r1', 4]]);
  assert.deepEqual(receipts, [['dm:7:9', 2]]);
  stop();
  frames.note({ type: 'read', roomId: 'r2', userId: '7', seq: 1 }, '7');
  assert.deepEqual(own, [['r1', 4]]);
});

test('reading a DM elsewhere clears its unseen mark unless a newer message came since', () => {
  const unseen = new UnseenDirects();
  const dm = (seq) => ({ type: 'dm', roomId: 'dm:1:2', message: { seq, userId: '2' } });
  unseen.note(dm(5), '1');
  unseen.readUpTo('dm:1:2', 4);
  assert.equal(unseen.has('dm:1:2'), true, 'read only up to 4 of 5');
  unseen.readUpTo('dm:1:2', 5);
  assert.equal(unseen.count, 0);
});
