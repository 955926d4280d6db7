// Who may do what to whom in a room (js/membership.js), as README "Rooms and roles" says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  canInvite, canLeave, canRemove, roleChange, roleOf, sortMembers,
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
