// Direct messages in the web client (js/direct.js): which rooms are conversations, the list's last
// line, and the unseen-conversations badge fed by `dm` frames.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDirectRoom, lastLine, UnseenDirects } from '../../../main/resources/META-INF/resources/js/direct.js';

const dm = (roomId, seq, userId, content = 'hi') =>
  ({ type: 'dm', roomId, message: { type: 'message', roomId, seq, userId, username: `u${userId}`, content } });

test('isDirectRoom knows the server\'s dm:<low>:<high> ids only', () => {
  assert.equal(isDirectRoom('dm:1:2'), true);
  assert.equal(isDirectRoom('dm:12:345'), true);
  for (const id of ['general', 'dm', 'dm:1', 'dm:01:2', 'dm:1:2:3', 'dm-1-2', ' dm:1:2']) {
    assert.equal(isDirectRoom(id), false, id);
  }
});

test('lastLine names the author (You for oneself), folds whitespace and shortens by code points', () => {
  assert.equal(lastLine({}, '1'), 'No messages yet');
  assert.equal(lastLine({ lastMessage: { userId: '1', username: 'alice', content: 'see\nyou' } }, '1'), 'You: see you');
  assert.equal(lastLine({ lastMessage: { userId: '2', username: 'bob', content: 'hey' } }, '1'), 'bob: hey');
  const long = lastLine({ lastMessage: { userId: '2', username: 'bob', content: '😀'.repeat(100) } }, '1', 10);
  assert.equal(long, `bob: ${'😀'.repeat(9)}…`);
});

test('UnseenDirects counts conversations with others\' new messages until each is opened', () => {
  const unseen = new UnseenDirects();
  const counts = [];
  const stop = unseen.subscribe((n) => counts.push(n));
  unseen.note(dm('dm:1:2', 1, '2'), '1');
  unseen.note(dm('dm:1:2', 2, '2'), '1');
  unseen.note(dm('dm:1:2', 2, '2'), '1'); // the same message twice (a second socket): no change
  unseen.note(dm('dm:1:3', 5, '1'), '1'); // the user's own, from another tab: not unseen
  unseen.note(dm('dm:1:3', 6, '3'), '1');
  unseen.note({ type: 'message', roomId: 'dm:1:4' }, '1'); // not a dm frame
  unseen.note({ type: 'dm', roomId: 'general', message: { seq: 1, userId: '9' } }, '1');
  assert.equal(unseen.count, 2);
  assert.equal(unseen.has('dm:1:2'), true);
  unseen.seen('dm:1:2');
  assert.equal(unseen.has('dm:1:2'), false);
  assert.equal(unseen.count, 1);
  unseen.seen('dm:1:2'); // already seen: no change
  stop();
  unseen.clear();
  assert.deepEqual(counts, [1, 1, 2, 1]);
});
