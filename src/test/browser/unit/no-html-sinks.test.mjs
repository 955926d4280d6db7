// The client renders user content as text only. The CSP enforces it at run time (Trusted Types
// refuse HTML sinks); this check finds a sink in the source before anyone runs it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../main/resources/META-INF/resources/', import.meta.url));
const SINKS = /\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|\beval\(|new Function\(|createContextualFragment/;

test('no HTML sink and no eval in the client', () => {
  const files = fs.readdirSync(path.join(root, 'js')).filter((f) => f.endsWith('.js'));
  assert.ok(files.length >= 5, `client modules found: ${files}`);
  for (const file of files) {
    const source = fs.readFileSync(path.join(root, 'js', file), 'utf8');
    assert.doesNotMatch(source, SINKS, file);
  }
});

test('index.html has no inline script, style or event handler', () => {
  const html = fs.readFileSync(path.join(root, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)/);
  assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i);
  assert.doesNotMatch(html, /https?:\/\//, 'nothing from another origin (works offline)');
});
