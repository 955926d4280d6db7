// Edits and deletes in the web client (js/edits.js): which events change a row, and who gets which tool.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyChange, initialState, isChange, messageActions, stateLabel,
} from '../../../main/resources/META-INF/resources/js/edits.js';

const message = (over = {}) => ({ type: 'message', seq: 5, userId: '1', content: 'helo', ...over });
const edit = (seq, content, targetSeq = 5) => ({ type: 'edit', seq, targetSeq, content });
const del = (seq, targetSeq = 5) => ({ type: 'delete', seq, targetSeq });

test('edit and delete events are changes, messages and other frames are not', () => {
  assert.equal(isChange(edit(6, 'x')), true);
  assert.equal(isChange(del(6)), true);
  assert.equal(isChange(message()), false);
  assert.equal(isChange({ type: 'join' }), false);
  assert.equal(isChange(undefined), false);
});

test('a row starts from the frame: text, edited and deleted markers, as of the batch', () => {
  assert.deepEqual(initialState(message(), 5), { text: 'helo', edited: false, deleted: false, asOf: 5 });
  assert.deepEqual(initialState(message({ editedAt: '2026-12-03T06:00:00Z', content: 'hello' }), 9),
    { text: 'hello', edited: true, deleted: false, asOf: 9 });
  assert.deepEqual(initialState(message({ deleted: true, content: undefined, editedAt: 'x' }), 2),
    { text: '', edited: false, deleted: true, asOf: 5 }, 'never older than its own seq');
});

test('only changes newer than what the row shows apply; a delete is final', () => {
  const live = initialState(message(), 5);
  const edited = applyChange(live, edit(6, 'hello'));
  assert.deepEqual(edited, { text: 'hello', edited: true, deleted: false, asOf: 6 });
  assert.equal(applyChange(edited, edit(6, 'hello')), null, 'the same event twice (REST answer, then frame)');
  assert.equal(applyChange(initialState(message({ content: 'v2' }), 20), edit(10, 'v1')), null,
    'an older page never undoes the row');
  const deleted = applyChange(edited, del(8));
  assert.deepEqual(deleted, { text: '', edited: false, deleted: true, asOf: 8 });
  assert.equal(applyChange(deleted, edit(9, 'back')), null);
  assert.equal(applyChange(live, message({ seq: 7 })), null, 'a message is not a change');
});

test('an edit read after the delete carries no text: the row keeps its text until the delete', () => {
  const state = applyChange(initialState(message(), 5), { type: 'edit', seq: 6, targetSeq: 5 });
  assert.deepEqual(state, { text: 'helo', edited: false, deleted: false, asOf: 6 });
});

test('the label says (edited) or message deleted', () => {
  assert.equal(stateLabel({ edited: false, deleted: false }), '');
  assert.equal(stateLabel({ edited: true, deleted: false }), '(edited)');
  assert.equal(stateLabel({ edited: false, deleted: true }), 'message deleted');
});

test('authors edit and delete their own; owners and admins delete any; nothing on a deleted one', () => {
  const open = { deleted: false };
  assert.deepEqual(messageActions(message(), open, '1', 'member'), { edit: true, delete: true });
  assert.deepEqual(messageActions(message(), open, '1', null), { edit: true, delete: true });
  assert.deepEqual(messageActions(message(), open, '2', 'member'), { edit: false, delete: false });
  assert.deepEqual(messageActions(message(), open, '2', null), { edit: false, delete: false });
  assert.deepEqual(messageActions(message(), open, '2', 'admin'), { edit: false, delete: true });
  assert.deepEqual(messageActions(message(), open, '2', 'owner'), { edit: false, delete: true });
  assert.deepEqual(messageActions(message(), { deleted: true }, '1', 'owner'), { edit: false, delete: false });
});
