// SPDX-License-Identifier: EUPL-1.2
// The audit trail: append-only by trigger, hash-chained, and `audit verify` finds tampering.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, demoLogin, runCli, tempDir, sampleClient } from '../lib/server.mjs';
import { assertStatus, sql, sqlExec } from './_util.mjs';
import { clientSession } from './_dossier.mjs';

describe('audit trail', () => {
  let dir;
  let db;
  let rows;

  const copyDb = (name) => {
    const to = join(dir, name);
    copyFileSync(db, to);
    for (const ext of ['-wal', '-shm']) if (existsSync(db + ext)) copyFileSync(db + ext, to + ext);
    return to;
  };

  before(async () => {
    dir = tempDir();
    const server = await startServer({ demo: true, dir });
    db = server.dbPath;
    try {
      const vol = await demoLogin(server, 'volunteer');
      const ids = [];
      for (let i = 0; i < 3; i++) {
        const r = await vol.post('/api/v1/clients', sampleClient({ year_of_birth: 1980 + i }));
        assertStatus(r, 201);
        ids.push(r.json.id);
        assertStatus(await vol.get(`/api/v1/clients/${r.json.id}`), 200);
      }
      assertStatus(await vol.get('/api/v1/clients'), 200);
      const gp = await demoLogin(server, 'gp');
      assert.equal((await gp.get(`/api/v1/clients/${ids[0]}`)).status, 404);
      assertStatus(await vol.del('/api/v1/session'), 204);
    } finally {
      const { code, sig } = await server.stop();
      assert.equal(sig, null, 'server exits by itself on SIGTERM');
      assert.equal(code, 0);
    }
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('records logins, creates, reads, lists, denials and logouts', () => {
    rows = sql(db, 'SELECT * FROM audit ORDER BY id');
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['login', 'create', 'read', 'list', 'access_denied', 'logout']) {
      assert.ok(actions.has(a), `an audit row with action ${a}: ${[...actions]}`);
    }
    assert.ok(rows.length >= 10);
    for (const r of rows) {
      assert.ok(r.prev_hash !== undefined && r.row_hash, `hashes on row ${r.id}`);
      assert.ok(r.at, `at on row ${r.id}`);
    }
    // ids are 1..N without gaps, so the tamper tests below can name their rows
    rows.forEach((r, i) => assert.equal(r.id, i + 1));
  });

  it('audit verify on the untouched database exits 0 and counts the rows', () => {
    const r = runCli(['audit', 'verify', '--db', db]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`audit: ${rows.length} rows ok`));
  });

  it('UPDATE and DELETE on audit are refused by triggers', () => {
    const before = sql(db, 'SELECT action, outcome FROM audit WHERE id = 2')[0];
    const u = sqlExec(db, "UPDATE audit SET action='read' WHERE id=2");
    assert.notEqual(u.status, 0, 'UPDATE must fail');
    const d = sqlExec(db, 'DELETE FROM audit WHERE id=2');
    assert.notEqual(d.status, 0, 'DELETE must fail');
    assert.deepEqual(sql(db, 'SELECT action, outcome FROM audit WHERE id = 2')[0], before);
    assert.equal(sql(db, 'SELECT count(*) AS n FROM audit')[0].n, rows.length);
    const trig = sql(db, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'").map((x) => x.name);
    assert.ok(trig.includes('audit_no_update') && trig.includes('audit_no_delete'), `triggers: ${trig}`);
  });

  it('an altered row (trigger dropped) is found: verify exits 1 naming row 3', () => {
    const copy = copyDb('altered.db');
    const e = sqlExec(copy, "DROP TRIGGER audit_no_update; UPDATE audit SET outcome = outcome || 'x' WHERE id = 3;");
    assert.equal(e.status, 0, e.stderr);
    const r = runCli(['audit', 'verify', '--db', copy]);
    assert.equal(r.status, 1, `stdout ${r.stdout} stderr ${r.stderr}`);
    assert.match(r.stderr, /audit: chain broken at row 3: \S/);
  });

  it('a deleted middle row (trigger dropped) is found: verify names the row after the gap', () => {
    const copy = copyDb('deleted.db');
    const mid = Math.floor(rows.length / 2);
    const e = sqlExec(copy, `DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = ${mid};`);
    assert.equal(e.status, 0, e.stderr);
    const r = runCli(['audit', 'verify', '--db', copy]);
    assert.equal(r.status, 1, `stdout ${r.stdout} stderr ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`audit: chain broken at row ${mid + 1}: \\S`));
  });

  it('a re-hashed row alone does not fool it (next row no longer links)', () => {
    const copy = copyDb('rehashed.db');
    // Replace row 4's stored hash with row 5's: row 4 no longer matches its own content.
    const e = sqlExec(copy, 'DROP TRIGGER audit_no_update; UPDATE audit SET row_hash = (SELECT row_hash FROM audit WHERE id = 5) WHERE id = 4;');
    assert.equal(e.status, 0, e.stderr);
    const r = runCli(['audit', 'verify', '--db', copy]);
    assert.equal(r.status, 1, `stdout ${r.stdout} stderr ${r.stderr}`);
    assert.match(r.stderr, /audit: chain broken at row [45]: \S/);
  });

  it('the original still verifies after all that', () => {
    const r = runCli(['audit', 'verify', '--db', db]);
    assert.equal(r.status, 0, r.stderr);
  });
});

describe('network addresses in the trail', () => {
  let server;
  let pid;

  before(async () => {
    server = await startServer({ demo: true });
    const vol = await demoLogin(server, 'volunteer');
    const r = await vol.post('/api/v1/clients', sampleClient({}));
    assertStatus(r, 201);
    pid = r.json.id;
    assertStatus(await vol.get(`/api/v1/clients/${pid}`), 200);
    const me = await clientSession(server, vol, pid);
    assertStatus(await me.get(`/api/v1/clients/${pid}`), 200);
    assertStatus(await me.get(`/api/v1/clients/${pid}/access-log`), 200);
  });
  after(async () => { await server?.stop(); });

  it("a client's own requests keep no address; logins and professionals' requests do", () => {
    const rows = sql(server.dbPath, `SELECT role, action, source_addr FROM audit WHERE client_pid = '${pid}' OR action = 'login' ORDER BY id`);
    const own = rows.filter((x) => x.role === 'client' && x.action !== 'login');
    assert.ok(own.length >= 2, JSON.stringify(rows));
    for (const x of own) assert.equal(x.source_addr, null, JSON.stringify(x));
    const prof = rows.filter((x) => x.role === 'volunteer' && x.action === 'read');
    assert.ok(prof.length >= 1 && prof.every((x) => x.source_addr), JSON.stringify(prof));
    const logins = rows.filter((x) => x.action === 'login');
    assert.ok(logins.length >= 2 && logins.every((x) => x.source_addr), JSON.stringify(logins));
    assert.equal(runCli(['audit', 'verify', '--db', server.dbPath]).status, 0);
  });
});

describe('refusals by role alone', () => {
  let server;
  before(async () => { server = await startServer({ demo: true }); });
  after(async () => { await server?.stop(); });

  it('are audited with the route\'s resource as the object', async () => {
    const admin = await demoLogin(server, 'admin');
    const r = await admin.get('/api/v1/worklist');
    assert.equal(r.status, 403, r.text);
    const rows = sql(server.dbPath, "SELECT role, action, object_type, outcome, client_pid FROM audit WHERE action = 'access_denied' AND role = 'admin'");
    assert.deepEqual(rows, [{ role: 'admin', action: 'access_denied', object_type: 'worklist', outcome: 'denied', client_pid: null }]);
  });
});
