// The room list's paging (allPages in js/api.js): every page of getRooms, up to a cap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allPages } from '../../../main/resources/META-INF/resources/js/api.js';

test('allPages follows next until it is absent', async () => {
  const pages = { undefined: { rooms: [{ id: 'a' }], next: 'c1' }, c1: { rooms: [{ id: 'b' }], next: 'c2' }, c2: { rooms: [{ id: 'c' }] } };
  const asked = [];
  const result = await allPages(async (after) => { asked.push(after); return pages[after]; });
  assert.deepEqual(asked, [undefined, 'c1', 'c2']);
  assert.deepEqual(result, { rooms: [{ id: 'a' }, { id: 'b' }, { id: 'c' }], truncated: false });
});

test('allPages stops at its cap (truncated) and on a next that repeats', async () => {
  let n = 0;
  const endless = await allPages(async () => ({ rooms: [{ id: `r${n}` }], next: `c${++n}` }), 3);
  assert.equal(endless.rooms.length, 3);
  assert.equal(endless.truncated, true);
  let calls = 0;
  const stuck = await allPages(async () => { calls++; return { rooms: [], next: 'same' }; }, 10);
  assert.equal(calls, 2, 'the same cursor twice ends it');
  assert.equal(stuck.truncated, false);
  const single = await allPages(async () => ({ rooms: [{ id: 'x' }] }));
  assert.deepEqual(single, { rooms: [{ id: 'x' }], truncated: false });
});

test('an error on a later page is the caller\'s to show', async () => {
  await assert.rejects(allPages(async (after) => {
    if (after) throw new Error('boom');
    return { rooms: [], next: 'n' };
  }), /boom/);
});
