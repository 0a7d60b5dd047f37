// SPDX-License-Identifier: EUPL-1.2
// Encryption at rest, end to end (docs/dossier.md §3): the canary test (unique markers written
// through the API into every sensitive field, the referrals' free text included, never reach
// the database file, its WAL, a backup, the server's output or an error body), ciphertexts
// swapped between clients, rows and referrals under a running server (500, no text, an audit
// row decrypt_failed), start-up refusals (wrong master key, a key file others may read), and
// databases made before encryption at rest and before sealed referrals (sealed at start-up,
// still readable).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, chmodSync, writeFileSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startServer, demoLogin, sampleClient, runCli, tempDir, repoRoot, Client, DEMO_PASSWORD } from '../lib/server.mjs';
import { sql, sqlExec, q, assertStatus, assertProblem, show } from './_util.mjs';
import { POH_DE_LINDE, clientSession, referToDeLinde, marker, findIn, dbFiles, compactSorted } from './_dossier.mjs';

/** Run `veerkracht serve` expecting it to refuse to start; returns {status, stderr}. */
function serveRefused(db, { env = {}, args = [] } = {}) {
  const saved = {};
  for (const [k, v] of Object.entries(env)) { saved[k] = process.env[k]; process.env[k] = v; }
  try {
    return runCli(['serve', '--listen', '127.0.0.1:0', '--db', db, ...args]);
  } finally {
    for (const k of Object.keys(env)) {
      if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
    }
  }
}

describe('canary: sensitive fields never reach the disk, a backup, the logs or an error body', () => {
  let server, vol, gp;
  const M = marker();
  const field = {
    name: `${M}-name`, phone: `${M}-phone`,
    flagNote: `${M}-flag-note`, actionNote: `${M}-action-note`, reason: `${M}-close-reason`,
    handover: `${M}-handover-note`, contactWith: `${M}-contact-with`, stepNote: `${M}-step-note`,
    couldNotGo: `${M}-could-not-go`,
  };
  const errorBodies = [];
  let client, answersText, resultText, backup;

  const keep = (r) => { if (r.status >= 400) errorBodies.push(r.text); return r; };

  before(async () => {
    server = await startServer({ demo: true });
    vol = await demoLogin(server, 'volunteer');
    gp = await demoLogin(server, 'gp');
    const created = keep(await vol.post('/api/v1/clients',
      sampleClient({ name: field.name, phone: field.phone })));
    assertStatus(created, 201);
    client = created.json.id;
    // the positive control: the API gives every value back
    assert.equal(created.json.name, field.name);
    const read = await vol.get(`/api/v1/clients/${client}`);
    assert.deepEqual([read.json.name, read.json.phone], [field.name, field.phone]);

    const def = (await vol.get('/api/v1/instruments/vk-signal-adult')).json;
    const answers = Object.fromEntries(def.items.map((it) => [it.id, 0]));
    Object.assign(answers, { sleep: 1, nightmares: 1, hope: 1 });
    const s = keep(await vol.post(`/api/v1/clients/${client}/screenings`,
      { instrument: 'vk-signal-adult', version: def.version, language: 'nl', mode: 'client', answers }));
    assertStatus(s, 201);
    answersText = compactSorted(answers);
    resultText = JSON.stringify(s.json.result);
    const again = await vol.get(`/api/v1/clients/${client}/screenings/${s.json.id}`);
    assert.deepEqual(again.json.answers, answers);

    const flag = keep(await vol.post(`/api/v1/clients/${client}/red-flags`, { protocol: 'suicide', note: field.flagNote }));
    assertStatus(flag, 201);
    assert.equal(flag.json.note, field.flagNote);
    const act = keep(await vol.post(`/api/v1/red-flags/${flag.json.id}/actions`, { action: 'other', note: field.actionNote }));
    assertStatus(act, 201);
    assert.equal(act.json.actions[0].note, field.actionNote);
    const gpOrg = (await vol.get('/api/v1/orgs')).json.items.find((o) => o.kind === 'gp_practice').id;
    assertStatus(await vol.post(`/api/v1/clients/${client}/grants`, { org_id: gpOrg, scopes: ['signal'], basis: 'verbal_consent', days: 7 }), 201);
    const closed = keep(await gp.post(`/api/v1/red-flags/${flag.json.id}/close`, { reason: field.reason }));
    assertStatus(closed, 200);
    assert.equal(closed.json.close_reason, field.reason);
    const list = await vol.get(`/api/v1/clients/${client}/red-flags`);
    assert.equal(list.json.items[0].actions[0].note, field.actionNote);

    // a referral: the handover note, who takes part in the first contact, a transition's note
    // and the client's "could not go" reason
    const ref = await referToDeLinde(vol, client, { handover_note: field.handover,
      joint_contact: { with: field.contactWith, mode: 'phone' } });
    assert.equal(ref.json.handover_note, field.handover);
    assert.equal(ref.json.joint_contact.with, field.contactWith);
    const got = keep(await gp.post(`/api/v1/referrals/${ref.json.id}/transitions`, { to: 'received', note: field.stepNote }));
    assertStatus(got, 200);
    assert.equal(got.json.handover_note, field.handover, 'the receiver sees the note');
    const me = await clientSession(server, vol, client);
    const answer = keep(await me.post(`/api/v1/referrals/${ref.json.id}/client-answer`, { went: false, reason: field.couldNotGo }));
    assertStatus(answer, 200);
    const timeline = await vol.get(`/api/v1/clients/${client}/referrals`);
    assertStatus(timeline, 200);
    assert.deepEqual(timeline.json.items[0].transitions.map((t) => t.note), [null, field.stepNote, field.couldNotGo]);
    assert.equal(timeline.json.items[0].joint_contact.with, field.contactWith);

    // refused input that carries the markers: the error bodies must not repeat them
    keep(await vol.post('/api/v1/clients', sampleClient({ name: `${field.name}${'x'.repeat(200)}` })));
    keep(await vol.post('/api/v1/clients', sampleClient({ phone: `${field.phone}${'9'.repeat(40)}` })));
    keep(await vol.post(`/api/v1/clients/${client}/red-flags`, { protocol: 'nope', note: field.flagNote }));
    keep(await vol.post(`/api/v1/red-flags/${flag.json.id}/actions`, { action: 'dance', note: field.actionNote }));
    keep(await gp.post(`/api/v1/red-flags/${flag.json.id}/close`, { reason: field.reason }));
    keep(await vol.post('/api/v1/referrals', { client_id: client, service_id: POH_DE_LINDE,
      handover_note: `${field.handover}${'x'.repeat(1000)}` }));
    keep(await gp.post(`/api/v1/referrals/${ref.json.id}/transitions`, { to: 'completed', note: field.stepNote }));
    keep(await me.post(`/api/v1/referrals/${ref.json.id}/client-answer`, { went: false, reason: `${field.couldNotGo}${'x'.repeat(1000)}` }));
    assert.equal(errorBodies.length, 8, 'every refusal was collected');

    backup = join(server.dir, 'backup.db');
    const b = runCli(['backup', '--db', server.dbPath, backup]);
    assert.equal(b.status, 0, b.stderr);
  });
  after(async () => { await server?.stop(); });

  it('the database file, its WAL and shared memory hold no marker while the server runs', () => {
    // the search can see stored text: the client's pseudonym is there in the clear
    assert.ok(dbFiles(server.dbPath).some((f) => findIn(f, client) >= 0), 'pid found in the database files');
    for (const f of dbFiles(server.dbPath)) {
      assert.equal(findIn(f, M), -1, `${f} holds a marker`);
      assert.equal(findIn(f, answersText), -1, `${f} holds the answers in plain text`);
      assert.equal(findIn(f, resultText), -1, `${f} holds the result in plain text`);
    }
  });

  it('the sealed columns are BLOBs in the format 0x01 || DEK version || nonce || ciphertext || tag', () => {
    const rows = sql(server.dbPath, `SELECT typeof(name) AS t, hex(substr(name, 1, 5)) AS head, length(name) AS n
      FROM clients WHERE pid = ${q(client)}`);
    assert.deepEqual(rows, [{ t: 'blob', head: '0100000001', n: 5 + 24 + 16 + Buffer.byteLength(field.name) }]);
    const types = sql(server.dbPath, `SELECT
      (SELECT group_concat(DISTINCT typeof(answers) || typeof(result)) FROM screenings) AS s,
      (SELECT group_concat(DISTINCT typeof(note)) FROM red_flags WHERE note IS NOT NULL) AS f,
      (SELECT group_concat(DISTINCT typeof(close_reason)) FROM red_flags WHERE close_reason IS NOT NULL) AS r,
      (SELECT group_concat(DISTINCT typeof(note)) FROM red_flag_actions WHERE note IS NOT NULL) AS a,
      (SELECT group_concat(DISTINCT typeof(handover_note) || typeof(contact_with)) FROM referrals
        WHERE client_id = (SELECT id FROM clients WHERE pid = ${q(client)})) AS h,
      (SELECT group_concat(DISTINCT typeof(note)) FROM referral_events WHERE note IS NOT NULL) AS e,
      (SELECT count(*) FROM referral_events WHERE note IS NOT NULL) AS en`)[0];
    assert.deepEqual(types, { s: 'blobblob', f: 'blob', r: 'blob', a: 'blob', h: 'blobblob', e: 'blob', en: 2 });
  });

  it('a backup made with `veerkracht backup` holds no marker and no key', () => {
    assert.ok(findIn(backup, client) >= 0, 'the backup holds the pid in the clear');
    assert.equal(findIn(backup, M), -1, 'the backup holds a marker');
    assert.equal(findIn(backup, answersText), -1);
    const keyHex = readFileSync(`${server.dbPath}.key`, 'utf8').trim().split(' ')[1];
    assert.match(keyHex, /^[0-9a-f]{64}$/);
    assert.equal(findIn(backup, keyHex), -1, 'the master key is not in the backup');
    assert.equal(findIn(backup, Buffer.from(keyHex, 'hex')), -1);
    assert.equal(statSync(backup).mode & 0o777, 0o600);
  });

  it('no error body repeats a marker', () => {
    for (const body of errorBodies) assert.ok(!body.includes(M), `error body with a marker: ${body}`);
  });

  it('the server output holds no marker (checked again after the stop)', async () => {
    assert.ok(!server.logs().includes(M), 'server output holds a marker');
    await server.stop();
    const logs = server.logs();
    assert.ok(logs.includes('listening on'), 'the output was captured');
    assert.ok(!logs.includes(M), 'server output holds a marker');
    assert.ok(!logs.includes(answersText));
  });
});

describe('a ciphertext swapped between two clients under a running server', () => {
  let server, vol, a, b;
  const nameA = `Amina ${marker()}`;
  const nameB = `Bashir ${marker()}`;

  before(async () => {
    server = await startServer({ demo: true });
    vol = await demoLogin(server, 'volunteer');
    a = (await vol.post('/api/v1/clients', sampleClient({ name: nameA, phone: '0612345678' }))).json.id;
    b = (await vol.post('/api/v1/clients', sampleClient({ name: nameB }))).json.id;
    assert.equal((await vol.get(`/api/v1/clients/${a}`)).json.name, nameA);
    assert.equal((await vol.get(`/api/v1/clients/${b}`)).json.name, nameB);
  });
  after(async () => { await server?.stop(); });

  it('GET answers 500 without either name, and the failure is audited', async () => {
    const swap = sqlExec(server.dbPath, `CREATE TEMP TABLE t AS SELECT pid, name FROM clients
      WHERE pid IN (${q(a)}, ${q(b)});
      UPDATE clients SET name = (SELECT t.name FROM t WHERE t.pid != clients.pid)
      WHERE pid IN (${q(a)}, ${q(b)});`);
    assert.equal(swap.status, 0, swap.stderr);
    for (const id of [a, b]) {
      const r = await vol.get(`/api/v1/clients/${id}`);
      assertProblem(r, 500, 'internal');
      assert.ok(!r.text.includes(nameA) && !r.text.includes(nameB), `a name in the error: ${show(r)}`);
      const rows = sql(server.dbPath, `SELECT action, outcome, object_type FROM audit
        WHERE client_pid = ${q(id)} AND action = 'decrypt_failed'`);
      assert.deepEqual(rows, [{ action: 'decrypt_failed', outcome: 'failure', object_type: 'client' }]);
      // the read itself was rolled back: no success row for it
      assert.equal(sql(server.dbPath, `SELECT count(*) AS n FROM audit WHERE client_pid = ${q(id)}
        AND action = 'read' AND outcome = 'success' AND object_type = 'client'`)[0].n, 1, 'only the read before the swap');
    }
    assert.ok(!server.logs().includes(nameA) && !server.logs().includes(nameB));
  });

  it('the phone moved into the name of the same client does not open either', async () => {
    const c = (await vol.post('/api/v1/clients', sampleClient({ name: 'Chiara', phone: '0687654321' }))).json.id;
    assert.equal((await vol.get(`/api/v1/clients/${c}`)).status, 200);
    assert.equal(sqlExec(server.dbPath, `UPDATE clients SET name = phone WHERE pid = ${q(c)}`).status, 0);
    assertProblem(await vol.get(`/api/v1/clients/${c}`), 500, 'internal');
  });

  it('a red-flag note moved to another flag does not open', async () => {
    const f1 = (await vol.post(`/api/v1/clients/${a}/red-flags`, { protocol: 'danger', note: 'first note' })).json.id;
    const f2 = (await vol.post(`/api/v1/clients/${a}/red-flags`, { protocol: 'danger', note: 'second note' })).json.id;
    assert.equal(sqlExec(server.dbPath, `UPDATE red_flags SET note = (SELECT note FROM red_flags WHERE uid = ${q(f1)})
      WHERE uid = ${q(f2)}`).status, 0);
    const r = await vol.post(`/api/v1/red-flags/${f2}/actions`, { action: 'called_112' });
    assertProblem(r, 500, 'internal');
    assert.ok(!r.text.includes('first note'));
    // the action was rolled back with the request
    assert.equal(sql(server.dbPath, `SELECT count(*) AS n FROM red_flag_actions a JOIN red_flags f ON f.id = a.flag_id
      WHERE f.uid = ${q(f2)}`)[0].n, 0);
  });

  it('a handover note moved to another client\'s referral, or a transition note to another event, does not open', async () => {
    const noteA = `voor Amina ${marker()}`;
    const ra = (await referToDeLinde(vol, a, { handover_note: noteA })).json.id;
    const rb = (await referToDeLinde(vol, b, { handover_note: 'voor Bashir' })).json.id;
    assert.equal((await vol.get(`/api/v1/referrals/${rb}`)).json.handover_note, 'voor Bashir');
    const auditBefore = sql(server.dbPath, `SELECT count(*) AS n FROM audit WHERE object_id = ${q(rb)}`)[0].n;
    assert.equal(sqlExec(server.dbPath, `UPDATE referrals SET handover_note = (SELECT handover_note FROM referrals
      WHERE uid = ${q(ra)}) WHERE uid = ${q(rb)}`).status, 0);
    for (const path of [`/api/v1/referrals/${rb}`, `/api/v1/clients/${b}/referrals`, '/api/v1/referrals?role=sender']) {
      const r = await vol.get(path);
      assertProblem(r, 500, 'internal');
      assert.ok(!r.text.includes(noteA), `the note in the error: ${show(r)}`);
    }
    // one audit row per failed request (b's name was swapped above: those rows say client)
    assert.deepEqual(sql(server.dbPath, `SELECT outcome, count(*) AS n FROM audit WHERE client_pid = ${q(b)}
      AND action = 'decrypt_failed' AND object_type = 'referral' GROUP BY outcome`), [{ outcome: 'failure', n: 3 }]);
    // the reads were rolled back: no success row for them
    assert.equal(sql(server.dbPath, `SELECT count(*) AS n FROM audit WHERE object_id = ${q(rb)}`)[0].n, auditBefore);
    assert.equal((await vol.get(`/api/v1/referrals/${ra}`)).json.handover_note, noteA, 'the original still opens');

    // two events of one referral: the notes swapped between the rows
    const gp = await demoLogin(server, 'gp');
    assertStatus(await gp.post(`/api/v1/referrals/${ra}/transitions`, { to: 'received', note: 'ontvangen' }), 200);
    assertStatus(await gp.post(`/api/v1/referrals/${ra}/transitions`, { to: 'accepted', note: 'aangenomen' }), 200);
    assert.equal(sqlExec(server.dbPath, `CREATE TEMP TABLE t AS SELECT id, note FROM referral_events
      WHERE note IS NOT NULL AND referral_id = (SELECT id FROM referrals WHERE uid = ${q(ra)});
      UPDATE referral_events SET note = (SELECT t.note FROM t WHERE t.id != referral_events.id)
      WHERE id IN (SELECT id FROM t);`).status, 0);
    const r = await gp.get(`/api/v1/referrals/${ra}`);
    assertProblem(r, 500, 'internal');
    assert.ok(!r.text.includes('ontvangen') && !r.text.includes('aangenomen'));
    assert.ok(!server.logs().includes(noteA));
  });
});

describe('referral notes stored in plain text by a version before 0009', () => {
  let server, vol, pid, rid;
  const M = marker();

  before(async () => {
    server = await startServer({ demo: true, keep: true });
    vol = await demoLogin(server, 'volunteer');
    pid = (await vol.post('/api/v1/clients', sampleClient({}))).json.id;
    const gp = await demoLogin(server, 'gp');
    rid = (await referToDeLinde(vol, pid, { joint_contact: { with: 'tolk', mode: 'phone' } })).json.id;
    assertStatus(await gp.post(`/api/v1/referrals/${rid}/transitions`, { to: 'received', note: 'ontvangen' }), 200);
    await server.stop();
    // what the previous version wrote: plain text, and events without a uid
    const old = sqlExec(server.dbPath, `
      UPDATE referrals SET handover_note = ${q(`${M}-handover`)}, contact_with = ${q(`${M}-with`)} WHERE uid = ${q(rid)};
      UPDATE referral_events SET uid = NULL, note = ${q(`${M}-event`)} WHERE to_state = 'received';`);
    assert.equal(old.status, 0, old.stderr);
    assert.ok(findIn(server.dbPath, `${M}-handover`) >= 0 || findIn(`${server.dbPath}-wal`, `${M}-handover`) >= 0);
  });
  after(async () => { await server?.stop(); });

  it('are sealed at the next start, leave no plain text on disk, and read back exactly', async () => {
    server = await startServer({ dir: server.dir });
    assert.match(server.logs(), /sealed 3 value\(s\) stored by an older version/);
    for (const f of dbFiles(server.dbPath)) assert.equal(findIn(f, M), -1, `${f} still holds plain text`);
    assert.equal(sql(server.dbPath, `SELECT count(*) AS n FROM referral_events WHERE uid IS NULL
      OR (note IS NOT NULL AND typeof(note) != 'blob')`)[0].n, 0);
    vol = await demoLogin(server, 'volunteer');
    const r = await vol.get(`/api/v1/referrals/${rid}`);
    assertStatus(r, 200);
    assert.equal(r.json.handover_note, `${M}-handover`);
    assert.equal(r.json.joint_contact.with, `${M}-with`);
    assert.deepEqual(r.json.transitions.map((t) => t.note), [null, `${M}-event`]);
  });
});

describe('start-up refuses keys that are wrong or exposed', () => {
  it('a wrong VEERKRACHT_MASTER_KEY is refused with exit 1 and a clear message', async () => {
    const dir = tempDir();
    const db = join(dir, 'veerkracht.db');
    const k1 = randomBytes(32).toString('hex');
    await serveWithKey(db, k1);
    assert.ok(!existsSync(`${db}.key`), 'no key file is made when the key comes from the environment');
    const wrong = serveRefused(db, { env: { VEERKRACHT_MASTER_KEY: randomBytes(32).toString('hex') } });
    assert.equal(wrong.status, 1, wrong.stderr);
    assert.match(wrong.stderr, /master key does not open the database/);
    const bad = serveRefused(db, { env: { VEERKRACHT_MASTER_KEY: 'not-hex' } });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /VEERKRACHT_MASTER_KEY must be 64 hexadecimal digits/);
    // the right one still works
    await serveWithKey(db, k1);
  });

  it('a key file that others may read is refused; the one made at first start is 0600', async () => {
    const server = await startServer({ keep: true });
    const keyFile = `${server.dbPath}.key`;
    await server.stop();
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.match(readFileSync(keyFile, 'utf8'), /^vk-master-key-v1 [0-9a-f]{64}\n$/);
    chmodSync(keyFile, 0o644);
    const r = serveRefused(server.dbPath);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /may be read by others/);
    chmodSync(keyFile, 0o600);
    const other = join(server.dir, 'other.key');
    writeFileSync(other, `vk-master-key-v1 ${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    const w = serveRefused(server.dbPath, { args: ['--key-file', other] });
    assert.equal(w.status, 1);
    assert.match(w.stderr, /master key does not open the database/);
  });
});

/** Starts a server with the key in the environment, checks it answers, stops it. */
async function serveWithKey(db, keyHex) {
  const saved = process.env.VEERKRACHT_MASTER_KEY;
  process.env.VEERKRACHT_MASTER_KEY = keyHex;
  let server;
  try {
    server = await startServer({ dir: join(db, '..') });
  } finally {
    if (saved === undefined) delete process.env.VEERKRACHT_MASTER_KEY; else process.env.VEERKRACHT_MASTER_KEY = saved;
  }
  assert.equal((await fetch(`${server.url}/api/v1/me`)).status, 401);
  await server.stop();
}

describe('a database made before encryption at rest', () => {
  let dir, db, server;
  const M = marker();
  const now = Date.now();
  const uid = randomBytes(16).toString('hex');
  const pid = randomBytes(16).toString('hex');
  const sid = randomBytes(16).toString('hex');
  const fid = randomBytes(16).toString('hex');

  before(() => {
    dir = tempDir();
    db = join(dir, 'veerkracht.db');
    // a real password hash, made by the binary
    const scratch = join(dir, 'scratch.db');
    const u = runCli(['user', 'add', '--db', scratch, '--org', 'Scratch', '--role', 'volunteer',
      '--email', 'x@example.org'], { input: `${DEMO_PASSWORD}\n` });
    assert.equal(u.status, 0, u.stderr);
    const hash = sql(scratch, 'SELECT pw_hash FROM users')[0].pw_hash;
    // the schema of the previous version: its migrations, applied as it applied them
    const migrations = ['0001_init.sql', '0002_signalling.sql', '0003_text_packs.sql', '0004_directory.sql'];
    let script = 'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);\n';
    migrations.forEach((m, i) => {
      script += `${readFileSync(join(repoRoot, 'src/storage/migrations', m), 'utf8')}\n`;
      script += `INSERT INTO schema_migrations VALUES (${i + 1}, ${q(m)}, ${now});\n`;
    });
    script += `
      INSERT INTO orgs(id, uid, name, kind, region, created_at) VALUES (1, ${q(randomBytes(16).toString('hex'))}, 'Legacy Org', 'refugee_support', 'Veerhaven', ${now});
      INSERT INTO users(id, uid, org_id, role, email, pw_hash, created_at) VALUES (1, ${q(uid)}, 1, 'volunteer', 'legacy@example.org', ${q(hash)}, ${now});
      INSERT INTO clients(id, pid, year_of_birth, gender, country_of_origin, language, phase, location, risk_flags, name, phone,
        created_by_user, created_by_org, created_at, updated_at)
        VALUES (1, ${q(pid)}, 1990, 'female', 'SY', 'ar', 'coa', 'AZC Oudedal', 0, ${q(`${M}-name`)}, ${q(`${M}-phone`)}, ${q(uid)}, 1, ${now}, ${now});
      INSERT INTO grants(uid, client_id, org_id, scopes, basis, granted_by_user, granted_by_role, granted_by_org, created_at, expires_at)
        VALUES (${q(randomBytes(16).toString('hex'))}, 1, 1, 59, 'registered_in_person', ${q(uid)}, 'volunteer', 1, ${now}, ${now + 30 * 86400000});
      INSERT INTO screenings(id, uid, client_id, instrument, version, def_hash, language, mode, answers, result, level, band, flag_count,
        created_by_user, created_by_role, created_by_org, created_at)
        VALUES (1, ${q(sid)}, 1, 'vk-signal-adult', '1.0.0', zeroblob(32), 'nl', 'client', ${q(`{"${M}-answer":1}`)}, ${q(`{"level":"${M}-result"}`)},
        'low', NULL, 0, ${q(uid)}, 'volunteer', 1, ${now});
      INSERT INTO red_flags(id, uid, client_id, flag, severity, protocol, note, raised_by_user, raised_by_role, raised_by_org, raised_at, due_at,
        closed_at, closed_by_user, closed_by_role, close_reason)
        VALUES (1, ${q(fid)}, 1, 'manual', 'red', 'suicide', ${q(`${M}-flag-note`)}, ${q(uid)}, 'volunteer', 1, ${now}, ${now + 86400000},
        ${now}, ${q(uid)}, 'gp', ${q(`${M}-close-reason`)});
      INSERT INTO red_flag_actions(flag_id, action, note, by_user, by_role, by_org, at) VALUES (1, 'other', ${q(`${M}-action-note`)}, ${q(uid)}, 'volunteer', 1, ${now});`;
    const made = sqlExec(db, script);
    assert.equal(made.status, 0, made.stderr);
    assert.ok(findIn(db, `${M}-name`) >= 0, 'the old database holds the name in plain text');
    // the new binary's `migrate` adds the tables but cannot seal (it holds no key)
    const m = runCli(['migrate', '--db', db]);
    assert.equal(m.status, 0, m.stderr);
  });
  after(async () => { await server?.stop(); });

  it('is sealed at the first start and reads back exactly', async () => {
    server = await startServer({ dir });
    assert.match(server.logs(), /sealed 7 value\(s\) stored by an older version/);
    const c = new Client(server.url);
    assertStatus(await c.login('legacy@example.org'), 200);
    const client = await c.get(`/api/v1/clients/${pid}`);
    assertStatus(client, 200);
    assert.deepEqual([client.json.name, client.json.phone, client.json.location], [`${M}-name`, `${M}-phone`, 'AZC Oudedal']);
    const s = await c.get(`/api/v1/clients/${pid}/screenings/${sid}`);
    assertStatus(s, 200);
    assert.deepEqual(s.json.answers, { [`${M}-answer`]: 1 });
    assert.equal(s.json.result.level, `${M}-result`);
    const flags = await c.get(`/api/v1/clients/${pid}/red-flags`);
    assertStatus(flags, 200);
    assert.equal(flags.json.items[0].note, `${M}-flag-note`);
    assert.equal(flags.json.items[0].close_reason, `${M}-close-reason`);
    assert.equal(flags.json.items[0].actions[0].note, `${M}-action-note`);
    assert.equal(sql(db, 'SELECT count(*) AS n FROM red_flag_actions WHERE uid IS NULL')[0].n, 0);
    assert.equal(sql(db, 'SELECT count(*) AS n FROM client_keys')[0].n, 1);
  });

  it('leaves no plain text on disk, and a second start seals nothing more', async () => {
    await server.stop();
    for (const f of dbFiles(db)) assert.equal(findIn(f, M), -1, `${f} still holds plain text`);
    server = await startServer({ dir });
    assert.doesNotMatch(server.logs(), /sealed \d+ value/);
    const c = new Client(server.url);
    assertStatus(await c.login('legacy@example.org'), 200);
    assert.equal((await c.get(`/api/v1/clients/${pid}`)).json.name, `${M}-name`);
  });
});
