// SPDX-License-Identifier: EUPL-1.2
// --web-root (development): files are served from disk with the right type, also ones that are
// not built into the binary, and nothing outside the directory can be reached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, tempDir } from '../lib/server.mjs';

test('files from --web-root get their MIME type; paths cannot leave the directory', async () => {
  const root = tempDir();
  mkdirSync(join(root, 'js'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>dev</title>');
  writeFileSync(join(root, 'js', 'only-on-disk.js'), 'export const x = 1;\n');
  writeFileSync(join(root, 'data.bin'), 'x');
  const server = await startServer({ args: ['--web-root', root] });
  try {
    const js = await fetch(`${server.url}/js/only-on-disk.js`);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(await js.text(), 'export const x = 1;\n');
    const html = await fetch(`${server.url}/`);
    assert.equal(html.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(await html.text(), '<!doctype html><title>dev</title>');
    assert.equal((await fetch(`${server.url}/data.bin`)).headers.get('content-type'), 'application/octet-stream');
    for (const p of ['/..%2f..%2fetc/passwd', '/js/../../etc/passwd', '/%2e%2e/etc/passwd', '/nope.js']) {
      const r = await fetch(server.url + p);
      assert.equal(r.status, 404, p);
    }
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
