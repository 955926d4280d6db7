// Typing indicators in the web client (js/typing.js): the send throttle, the text, and expiry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TypingIndicator, TypingThrottle, typingText } from '../../../main/resources/META-INF/resources/js/typing.js';

/** Timers on a fake clock: advance(ms) runs what falls due. */
function fakeTimers() {
  let now = 0;
  let next = 1;
  const due = new Map();
  return {
    set: (f, ms) => { const id = next++; due.set(id, { f, at: now + ms }); return id; },
    clear: (id) => due.delete(id),
    advance(ms) {
      now += ms;
      for (const [id, t] of [...due].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at <= now) { due.delete(id); t.f(); }
      }
    },
    pending: () => due.size,
  };
}

test('the throttle sends at once, then at most once per interval, never for blank text', () => {
  let now = 1000;
  const throttle = new TypingThrottle({ intervalMs: 2500, now: () => now });
  assert.equal(throttle.shouldSend('   '), false, 'blank: nothing to announce');
  assert.equal(throttle.shouldSend('h'), true);
  now += 100;
  assert.equal(throttle.shouldSend('he'), false);
  now += 2399;
  assert.equal(throttle.shouldSend('hel'), false);
  now += 1;
  assert.equal(throttle.shouldSend('hell'), true);
  throttle.reset();
  assert.equal(throttle.shouldSend('n'), true, 'a frame that did not go out is tried again at once');
});

test('typingText names one, two, three, then several', () => {
  assert.equal(typingText([]), '');
  assert.equal(typingText(['alice']), 'alice is typing…');
  assert.equal(typingText(['alice', 'bob']), 'alice and bob are typing…');
  assert.equal(typingText(['alice', 'bob', 'carol']), 'alice, bob and carol are typing…');
  assert.equal(typingText(['a', 'b', 'c', 'd']), 'Several people are typing…');
});

test('a notice shows until it expires; a new one extends it', () => {
  const timers = fakeTimers();
  const seen = [];
  const typing = new TypingIndicator({ myId: '1', timers, onChange: (names) => seen.push(names) });
  typing.typing({ type: 'typing', userId: '2', username: 'bob', expiresInMs: 5000 });
  assert.deepEqual(typing.names(), ['bob']);
  timers.advance(4000);
  typing.typing({ type: 'typing', userId: '2', username: 'bob', expiresInMs: 5000 });
  timers.advance(4000);
  assert.deepEqual(typing.names(), ['bob'], 'extended by the second notice');
  timers.advance(1000);
  assert.deepEqual(typing.names(), []);
  assert.deepEqual(seen, [['bob'], []], 'one change each way, not one per notice');
  assert.equal(timers.pending(), 0);
});

test('two typists, one stops by sending a message; our own id and bad frames are ignored', () => {
  const timers = fakeTimers();
  let text = '';
  const typing = new TypingIndicator({ myId: '1', timers, onChange: (names) => { text = typingText(names); } });
  typing.typing({ userId: '2', username: 'bob', expiresInMs: 5000 });
  typing.typing({ userId: '3', username: 'carol', expiresInMs: 5000 });
  typing.typing({ userId: '1', username: 'me', expiresInMs: 5000 });
  typing.typing({ username: 'nobody' });
  assert.equal(text, 'bob and carol are typing…');
  typing.stopped('2');
  assert.equal(text, 'carol is typing…');
  typing.stopped('2');
  timers.advance(5000);
  assert.equal(text, '');
});

test('a notice without expiresInMs lasts the default 5 s; clear() empties at once', () => {
  const timers = fakeTimers();
  const typing = new TypingIndicator({ myId: '1', timers });
  typing.typing({ userId: '2', username: 'bob' });
  timers.advance(4999);
  assert.deepEqual(typing.names(), ['bob']);
  timers.advance(1);
  assert.deepEqual(typing.names(), []);
  typing.typing({ userId: '2', username: 'bob', expiresInMs: 5000 });
  typing.clear();
  assert.deepEqual(typing.names(), []);
  assert.equal(timers.pending(), 0);
});
