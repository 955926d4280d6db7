// Invitation links in the web client (js/invitations.js): which addresses are invitations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LINK_LIFETIME_SECONDS, inviteCode, linkSummary } from '../../../main/resources/META-INF/resources/js/invitations.js';

test('inviteCode takes the code of #/invite/<code> only', () => {
  const code = 'Vq3fJ0n1kS8b2xQyHc7tWmA4ZpLr9e-_';
  assert.equal(inviteCode(`#/invite/${code}`), code);
  for (const hash of ['#/', '#/invite/', '#/invite/a b', `#/invite/${code}/x`, `#/room/${code}`, '#/invite/%3Cx%3E']) {
    assert.equal(inviteCode(hash), null, hash);
  }
  assert.equal(LINK_LIFETIME_SECONDS, 86400, 'the server accepts 60 s to 30 days');
});

test('linkSummary says when a link expires and how often it was used, of how many', () => {
  const date = (iso) => `<${iso}>`;
  const at = '2026-12-04T09:12:00Z';
  assert.equal(linkSummary({ expiresAt: at, uses: 2, maxUses: 10 }, date), `expires <${at}> · used 2 of 10`);
  assert.equal(linkSummary({ expiresAt: at, uses: 0 }, date), `expires <${at}> · used 0 times`);
  assert.equal(linkSummary({ expiresAt: at, uses: 1 }, date), `expires <${at}> · used 1 time`);
  assert.equal(linkSummary({ expiresAt: at, uses: 0, maxUses: 1 }, date), `expires <${at}> · used 0 of 1`);
});
