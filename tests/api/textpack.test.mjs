// SPDX-License-Identifier: EUPL-1.2
// Item-text packs: a licensed language added to an instrument by `instrument import`, refused
// with the pointer of every missing text when incomplete, and offered by the server afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, demoLogin, runCli, tempDir, repoRoot, sampleClient } from '../lib/server.mjs';
import { sql } from './_util.mjs';

const fx = (f) => join(repoRoot, 'tests/fixtures/instruments', f);

test('a text pack adds Arabic to PHQ-9; an incomplete one is refused and stores nothing', async () => {
  const dir = tempDir();
  const db = join(dir, 'veerkracht.db');
  assert.equal(runCli(['instrument', 'import', '--db', db, fx('phq9.json')]).status, 0);
  const bad = runCli(['instrument', 'import', '--db', db, fx('phq9.ar.incomplete.textpack.json')]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /phq9\.ar\.incomplete\.textpack\.json:\/items\/8\/text\/ar: /);
  assert.equal(sql(db, 'SELECT count(*) AS n FROM text_packs')[0].n, 0);
  const ok = runCli(['instrument', 'import', '--db', db, fx('phq9.ar.textpack.json')]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /imported the ar texts of phq9 1\.0\.0/);

  const server = await startServer({ demo: true, dir });
  try {
    const vol = await demoLogin(server, 'volunteer');
    const def = await vol.get('/api/v1/instruments/phq9?lang=ar');
    assert.equal(def.status, 200, def.text);
    assert.equal(def.json.dir, 'rtl');
    assert.equal(def.json.items[0].text.text, 'PHQ-9 البند 1 (نص مرخص)');
    assert.notEqual(def.json.items[0].text.nl, def.json.items[0].text.text);
    const client = (await vol.post('/api/v1/clients', sampleClient())).json.id;
    const answers = Object.fromEntries(def.json.items.map((i) => [i.id, 1]));
    const s = await vol.post(`/api/v1/clients/${client}/screenings`,
      { instrument: 'phq9', version: '1.0.0', language: 'ar', mode: 'client', answers });
    assert.equal(s.status, 201, s.text);
    assert.equal(s.json.result.scales.total.value, 9);
  } finally {
    await server.stop();
  }
});
