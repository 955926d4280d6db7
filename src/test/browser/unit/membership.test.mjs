// Who may do what to whom in a room (js/membership.js), as README "Rooms and roles" says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MuteBook, canCloseRoom, canInvite, canLeave, canModerate, canRemove, canSeeBans, canTransfer, moderationText,
  roleChange, roleOf, sortMembers,
} from '../../../main/resources/META-INF/resources/js/membership.js';

const ROLES = ['owner', 'admin', 'member'];

test('the owner removes admins and members, an admin members only; nobody the owner or themselves', () => {
  const allowed = [];
  for (const me of [...ROLES, null]) {
    for (const target of ROLES) if (canRemove(me, target)) allowed.push(`${me}→${target}`);
  }
  assert.deepEqual(allowed, ['owner→admin', 'owner→member', 'admin→member']);
  assert.equal(canRemove('owner', 'admin', true), false, 'removing oneself is leaving');
  assert.equal(canRemove('admin', 'member', true), false);
});

test('only the owner switches roles, between admin and member, never its own', () => {
  assert.equal(roleChange('owner', 'member'), 'admin');
  assert.equal(roleChange('owner', 'admin'), 'member');
  assert.equal(roleChange('owner', 'owner'), null);
  assert.equal(roleChange('owner', 'admin', true), null);
  for (const me of ['admin', 'member', null]) {
    for (const target of ROLES) assert.equal(roleChange(me, target), null, `${me}→${target}`);
  }
});

test('owner and admins invite; everyone but the owner leaves; a guest does neither', () => {
  assert.deepEqual(ROLES.filter(canInvite), ['owner', 'admin']);
  assert.deepEqual(ROLES.filter(canLeave), ['admin', 'member']);
  assert.equal(canInvite(null), false);
  assert.equal(canLeave(null), false);
});

test('roleOf compares ids as strings; a non-member has no role', () => {
  const members = [{ userId: '1', username: 'alice', role: 'owner' }, { userId: '2', username: 'bob', role: 'member' }];
  assert.equal(roleOf(members, 2), 'member');
  assert.equal(roleOf(members, '1'), 'owner');
  assert.equal(roleOf(members, '3'), null);
});

test('members are listed owner, admins, members, by name within a role', () => {
  const sorted = sortMembers([
    { username: 'zoe', role: 'member' }, { username: 'bob', role: 'admin' },
    { username: 'amy', role: 'member' }, { username: 'carl', role: 'owner' }, { username: 'al', role: 'admin' },
  ]);
  assert.deepEqual(sorted.map((m) => m.username), ['carl', 'al', 'bob', 'amy', 'zoe']);
});

test('kick, ban and mute: the owner on admins and members, an admin on members; nobody the owner or themselves', () => {
  const allowed = [];
  for (const me of [...ROLES, null]) {
    for (const target of ROLES) if (canModerate(me, target)) allowed.push(`${me}→${target}`);
  }
  assert.deepEqual(allowed, ['owner→admin', 'owner→member', 'admin→member']);
  assert.equal(canModerate('owner', 'member', true), false);
  assert.equal(canModerate('admin', 'member', true), false);
});

test('a moderation frame reads as a system line, "you" for the viewer', () => {
  const frame = (action, extra = {}) => ({ type: 'moderation', roomId: 'r', action, userId: '2', username: 'bob', by: 'alice', ...extra });
  assert.equal(moderationText(frame('kick'), '1'), 'alice kicked bob from the room');
  assert.equal(moderationText(frame('kick'), '2'), 'alice kicked you from the room');
  assert.equal(moderationText(frame('ban'), '1'), 'alice banned bob from the room');
  assert.equal(moderationText(frame('unban'), '1'), 'alice lifted the ban on bob');
  assert.equal(moderationText(frame('unmute'), '1'), 'alice unmuted bob');
  assert.match(moderationText(frame('mute', { until: '2026-11-27T20:05:00Z' }), '1'), /^alice muted bob until \d/);
  assert.equal(moderationText({ type: 'moderation', action: 'archive', by: 'alice' }, '1'), 'alice archived the room');
  assert.equal(moderationText(frame('smite'), '1'), null, 'an unknown action shows nothing');
});

test('only the owner transfers the room, to an admin or a member, never to itself or a visitor', () => {
  const allowed = [];
  for (const me of [...ROLES, null]) {
    for (const target of [...ROLES, null]) if (canTransfer(me, target)) allowed.push(`${me}→${target}`);
  }
  assert.deepEqual(allowed, ['owner→admin', 'owner→member']);
  assert.equal(canTransfer('owner', 'admin', true), false);
});

test('owner and admins see the bans; only the owner archives or deletes', () => {
  assert.deepEqual(ROLES.filter(canSeeBans), ['owner', 'admin']);
  assert.deepEqual(ROLES.filter(canCloseRoom), ['owner']);
  assert.equal(canSeeBans(null), false);
  assert.equal(canCloseRoom(null), false);
});

test('MuteBook learns mutes from frames and answers, forgets them on unmute or when they run out', () => {
  const book = new MuteBook();
  const now = Date.parse('2026-11-27T19:55:00Z');
  assert.equal(book.isMuted('2', now), false);
  assert.equal(book.note({ type: 'moderation', action: 'mute', userId: '2', until: '2026-11-27T20:05:00Z' }), true);
  assert.equal(book.isMuted(2, now), true, 'ids compare as strings');
  assert.equal(book.isMuted('3', now), false, 'nobody else');
  assert.equal(book.isMuted('2', Date.parse('2026-11-27T20:05:00Z')), false, 'ran out');
  assert.equal(book.isMuted('2', now), false, 'and is forgotten');
  book.muted('2', '2026-11-27T20:05:00Z');
  assert.equal(book.note({ action: 'unmute', userId: '2' }), true);
  assert.equal(book.isMuted('2', now), false);
  assert.equal(book.note({ action: 'kick', userId: '2' }), false, 'other actions change nothing');
  book.muted('4', 'not a time');
  assert.equal(book.isMuted('4', now), false, 'a bad until is ignored');
});
