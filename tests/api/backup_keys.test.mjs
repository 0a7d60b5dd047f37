// SPDX-License-Identifier: EUPL-1.2
// Master-key rotation and backups through the CLI (docs/dossier.md §3): `veerkracht key rotate`
// re-wraps every client key under a new key file, after which the new key opens everything and
// the old one is refused at start-up; `veerkracht backup` makes a consistent copy that opens with
// the key of its time and with no other.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync, copyFileSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startServer, demoLogin, sampleClient, runCli, tempDir } from '../lib/server.mjs';
import { sql, assertStatus } from './_util.mjs';

const M = `CANARY${randomBytes(8).toString('hex')}`;

/** Everything the client's record says, read through the API as the demo volunteer. */
async function readAll(server, pid) {
  const vol = await demoLogin(server, 'volunteer');
  const c = await vol.get(`/api/v1/clients/${pid}`);
  assertStatus(c, 200);
  const list = await vol.get(`/api/v1/clients/${pid}/screenings`);
  const s = await vol.get(`/api/v1/clients/${pid}/screenings/${list.json.items[0].id}`);
  assertStatus(s, 200);
  const flags = await vol.get(`/api/v1/clients/${pid}/red-flags`);
  assertStatus(flags, 200);
  return {
    name: c.json.name, phone: c.json.phone, location: c.json.location, answers: s.json.answers,
    note: flags.json.items[0].note, action: flags.json.items[0].actions[0].note,
  };
}

describe('key rotation and backup', () => {
  let dir, db, oldKey, newKey, pid, expected, backup;

  before(async () => {
    dir = tempDir();
    db = join(dir, 'veerkracht.db');
    oldKey = `${db}.key`;
    newKey = join(dir, 'new.key');
    const server = await startServer({ demo: true, dir });
    const vol = await demoLogin(server, 'volunteer');
    const c = await vol.post('/api/v1/clients', sampleClient({ name: `${M}-name`, phone: '0612345678' }));
    assertStatus(c, 201);
    pid = c.json.id;
    const def = (await vol.get('/api/v1/instruments/vk-signal-adult')).json;
    const answers = Object.fromEntries(def.items.map((it) => [it.id, 0]));
    answers.sleep = 1;
    assertStatus(await vol.post(`/api/v1/clients/${pid}/screenings`,
      { instrument: 'vk-signal-adult', version: def.version, language: 'nl', mode: 'client', answers }), 201);
    const f = await vol.post(`/api/v1/clients/${pid}/red-flags`, { protocol: 'suicide', note: `${M}-note` });
    assertStatus(await vol.post(`/api/v1/red-flags/${f.json.id}/actions`, { action: 'other', note: `${M}-action` }), 201);
    expected = await readAll(server, pid);
    assert.equal(expected.name, `${M}-name`);
    assert.equal(expected.action, `${M}-action`);
    // a backup taken while the server runs, before the rotation
    backup = join(mkdtempSync(join(dir, 'bk-')), 'veerkracht.db');
    const b = runCli(['backup', '--db', db, backup]);
    assert.equal(b.status, 0, b.stderr);
    await server.stop();
  });

  it('backup refuses an existing file and a missing database', () => {
    const again = runCli(['backup', '--db', db, backup]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /the file exists/);
    const none = runCli(['backup', '--db', join(dir, 'nope.db'), join(dir, 'out.db')]);
    assert.equal(none.status, 1);
    assert.ok(!existsSync(join(dir, 'nope.db')), 'backup does not create a database');
    assert.equal(runCli(['backup', '--db', db]).status, 2, 'OUT is required');
  });

  it('the backup is a whole, checked database with sealed columns', () => {
    assert.deepEqual(sql(backup, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
    assert.deepEqual(sql(backup, 'PRAGMA journal_mode'), [{ journal_mode: 'delete' }]);
    assert.deepEqual(sql(backup, `SELECT typeof(name) AS t FROM clients WHERE pid = '${pid}'`), [{ t: 'blob' }]);
    assert.equal(readFileSync(backup).indexOf(M), -1);
    const v = runCli(['audit', 'verify', '--db', backup]);
    assert.equal(v.status, 0, v.stderr);
  });

  it('key rotate needs a new file and the right old key; a failure changes nothing', () => {
    const wrong = join(dir, 'wrong.key');
    writeFileSync(wrong, `vk-master-key-v1 ${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    const r = runCli(['key', 'rotate', '--db', db, '--key-file', wrong, '--new-key-file', newKey]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /master key does not open the database/);
    assert.ok(!existsSync(newKey), 'no new key file is left behind');
    const exists = runCli(['key', 'rotate', '--db', db, '--new-key-file', wrong]);
    assert.equal(exists.status, 1);
    assert.match(exists.stderr, /must be a new file/);
    assert.equal(runCli(['key', 'rotate', '--db', db]).status, 2);
    assert.deepEqual(sql(db, 'SELECT max(version) AS v FROM keyring'), [{ v: 1 }]);
  });

  it('rotates: every client key re-wrapped under the new key, version 2', () => {
    const before = sql(db, 'SELECT client_id, hex(wrapped) AS w FROM client_keys ORDER BY client_id');
    const r = runCli(['key', 'rotate', '--db', db, '--new-key-file', newKey]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`re-wrapped ${before.length} client key\\(s\\) under master key version 2`));
    assert.equal(statSync(newKey).mode & 0o777, 0o600);
    const after = sql(db, 'SELECT client_id, hex(wrapped) AS w, kek_version AS k FROM client_keys ORDER BY client_id');
    assert.equal(after.length, before.length);
    after.forEach((row, i) => {
      assert.equal(row.k, 2);
      assert.notEqual(row.w, before[i].w, 'wrapped anew');
    });
    assert.deepEqual(sql(db, 'SELECT version, retired_at IS NOT NULL AS retired FROM keyring ORDER BY version'),
      [{ version: 1, retired: 1 }, { version: 2, retired: 0 }]);
  });

  it('the new key opens everything', async () => {
    const server = await startServer({ dir, args: ['--key-file', newKey] });
    try {
      assert.deepEqual(await readAll(server, pid), expected);
    } finally {
      await server.stop();
    }
  });

  it('the old key is refused at start-up, from the file and from the environment', () => {
    const r = runCli(['serve', '--listen', '127.0.0.1:0', '--db', db]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /master key does not open the database/);
    const hex = readFileSync(oldKey, 'utf8').trim().split(' ')[1];
    process.env.VEERKRACHT_MASTER_KEY = hex;
    try {
      const e = runCli(['serve', '--listen', '127.0.0.1:0', '--db', db, '--key-file', newKey]);
      assert.equal(e.status, 1, 'the environment wins over --key-file, and holds the old key');
      assert.match(e.stderr, /master key does not open the database/);
    } finally {
      delete process.env.VEERKRACHT_MASTER_KEY;
    }
  });

  it('the backup opens with the key of its time, and with no other', async () => {
    const restoreDir = join(backup, '..');
    const withNew = runCli(['serve', '--listen', '127.0.0.1:0', '--db', backup, '--key-file', newKey]);
    assert.equal(withNew.status, 1);
    const noKey = runCli(['serve', '--listen', '127.0.0.1:0', '--db', backup]);
    assert.equal(noKey.status, 1, 'a backup without its key opens nothing');
    copyFileSync(oldKey, join(restoreDir, 'old.key'));
    const server = await startServer({ dir: restoreDir, args: ['--key-file', join(restoreDir, 'old.key')] });
    try {
      assert.deepEqual(await readAll(server, pid), expected);
    } finally {
      await server.stop();
    }
  });
});
