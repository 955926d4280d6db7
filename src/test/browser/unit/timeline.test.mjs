// Day separators and grouping of the message list (js/timeline.js), in the machine's time zone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GROUP_GAP_MS, dayKey, dayLabel, layout } from '../../../main/resources/META-INF/resources/js/timeline.js';

const at = (y, mo, d, h, mi) => new Date(y, mo - 1, d, h, mi).toISOString();

test('a separator before the first message and at each change of local day', () => {
  const list = [
    { userId: '1', sentAt: at(2026, 11, 27, 23, 58) },
    { userId: '1', sentAt: at(2026, 11, 27, 23, 59) },
    { userId: '1', sentAt: at(2026, 11, 28, 0, 1) },
    { userId: '2', sentAt: at(2026, 11, 28, 9, 0) },
  ];
  assert.deepEqual(layout(list).map((l) => l.separator), [true, false, true, false]);
});

test('consecutive messages by one author group, unless another spoke, a notice came, or time passed', () => {
  const list = [
    { userId: '1', sentAt: at(2026, 11, 27, 10, 0) },
    { userId: '1', sentAt: at(2026, 11, 27, 10, 1) },
    { userId: '2', sentAt: at(2026, 11, 27, 10, 2) },
    { userId: '1', sentAt: at(2026, 11, 27, 10, 3) },
    { userId: '1', sentAt: at(2026, 11, 27, 10, 4), afterNotice: true },
    { userId: '1', sentAt: new Date(Date.parse(at(2026, 11, 27, 10, 4)) + GROUP_GAP_MS + 1000).toISOString() },
    { userId: '1', sentAt: at(2026, 11, 28, 0, 0) },
  ];
  assert.deepEqual(layout(list).map((l) => l.continued), [false, true, false, false, false, false, false]);
});

test('dayKey is the local calendar day; dayLabel says today, yesterday, or the date', () => {
  assert.equal(dayKey(at(2026, 1, 2, 0, 0)), '2026-1-2');
  assert.equal(dayKey('not a date'), '');
  const now = new Date(2026, 10, 27, 15, 0);
  assert.equal(dayLabel(at(2026, 11, 27, 0, 5), now), 'Today');
  assert.equal(dayLabel(at(2026, 11, 26, 23, 55), now), 'Yesterday');
  const older = dayLabel(at(2026, 11, 20, 12, 0), now);
  assert.ok(older.includes('2026') && older !== 'Yesterday', older);
});
