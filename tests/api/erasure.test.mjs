// SPDX-License-Identifier: EUPL-1.2
// Erasure (docs/dossier.md §6, docs/API.md "Erasure"): the client asks, may withdraw, a
// professional with the right role confirms by typing the pseudonym again; everyone else is
// refused and audited. Afterwards the database, its WAL and shared memory hold no marker written
// into any sealed field and none of the client's ciphertexts or its wrapped data key; every table
// is scanned for rows of the client; the login card, the client's session and the receiving
// organisation's referral reads are gone; the audit trail keeps the erase row under the
// pseudonym. A backup made before the erasure still holds the dossier and opens with the key of
// its time only (documented: backups hold a dossier until they expire).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startServer, demoLogin, sampleClient, runCli, tempDir, Client } from '../lib/server.mjs';
import { sql, q, assertStatus, assertProblem, show } from './_util.mjs';
import { clientSession, referToDeLinde, marker, findIn, dbFiles, compactSorted } from './_dossier.mjs';

const erasure = (pid) => `/api/v1/clients/${pid}/erasure`;

/** Every sealed value of client row id `cid` and its wrapped data key, as hex, with where from. */
function sealedBlobs(db, cid) {
  return sql(db, `
    SELECT 'clients.name' AS col, hex(name) AS v FROM clients WHERE id = ${cid} AND name IS NOT NULL
    UNION ALL SELECT 'clients.phone', hex(phone) FROM clients WHERE id = ${cid} AND phone IS NOT NULL
    UNION ALL SELECT 'screenings.answers', hex(answers) FROM screenings WHERE client_id = ${cid}
    UNION ALL SELECT 'screenings.result', hex(result) FROM screenings WHERE client_id = ${cid}
    UNION ALL SELECT 'red_flags.note', hex(note) FROM red_flags WHERE client_id = ${cid} AND note IS NOT NULL
    UNION ALL SELECT 'red_flags.close_reason', hex(close_reason) FROM red_flags WHERE client_id = ${cid} AND close_reason IS NOT NULL
    UNION ALL SELECT 'red_flag_actions.note', hex(a.note) FROM red_flag_actions a JOIN red_flags f ON f.id = a.flag_id
      WHERE f.client_id = ${cid} AND a.note IS NOT NULL
    UNION ALL SELECT 'referrals.handover_note', hex(handover_note) FROM referrals WHERE client_id = ${cid} AND handover_note IS NOT NULL
    UNION ALL SELECT 'referrals.contact_with', hex(contact_with) FROM referrals WHERE client_id = ${cid} AND contact_with IS NOT NULL
    UNION ALL SELECT 'referral_events.note', hex(e.note) FROM referral_events e JOIN referrals r ON r.id = e.referral_id
      WHERE r.client_id = ${cid} AND e.note IS NOT NULL
    UNION ALL SELECT 'client_keys.wrapped', hex(wrapped) FROM client_keys WHERE client_id = ${cid}`);
}

/** The ids of everything that hangs off client row `cid`, for the schema scan afterwards. */
function linkedIds(db, cid) {
  const ids = (query) => sql(db, query).map((r) => r.id);
  return {
    client_id: [cid],
    user_id: ids(`SELECT id FROM users WHERE client_id = ${cid}`),
    session_id: ids(`SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.client_id = ${cid}`),
    referral_id: ids(`SELECT id FROM referrals WHERE client_id = ${cid}`),
    flag_id: ids(`SELECT id FROM red_flags WHERE client_id = ${cid}`),
    screening_id: ids(`SELECT id FROM screenings WHERE client_id = ${cid}`),
  };
}

/**
 * Rows left for the client in any table: every column named client_id, user_id, session_id,
 * referral_id, flag_id or screening_id holding one of the client's ids, and pid / client_pid
 * holding its pseudonym (the audit trail excepted, which keeps it by design). {table.column: n}.
 */
function leftovers(db, ids, pid) {
  const cols = sql(db, `SELECT m.name AS t, p.name AS c FROM sqlite_schema m JOIN pragma_table_info(m.name) p
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY 1, 2`);
  const found = {};
  for (const { t, c } of cols) {
    let where = null;
    if (ids[c]?.length && !(t === 'audit' && c === 'user_id')) where = `${c} IN (${ids[c].join(', ')})`;
    else if ((c === 'pid' || c === 'client_pid') && t !== 'audit') where = `${c} = ${q(pid)}`;
    if (!where) continue;
    const n = sql(db, `SELECT count(*) AS n FROM "${t}" WHERE ${where}`)[0].n;
    if (n) found[`${t}.${c}`] = n;
  }
  return found;
}

describe('erasure: ask, withdraw, confirm; nothing readable is left', () => {
  let server, vol, gp, admin, health, coord, me;
  let pid, cid, control, rid, backup;
  let blobs, ids, answersText, userUid, taken;
  const M = marker();
  const field = {
    name: `${M}-name`, phone: `${M}-phone`, flagNote: `${M}-flag-note`, actionNote: `${M}-action-note`,
    reason: `${M}-close-reason`, handover: `${M}-handover-note`, contactWith: `${M}-contact-with`,
    stepNote: `${M}-step-note`, couldNotGo: `${M}-could-not-go`,
  };
  const C = marker(); // the control client's markers: must stay

  before(async () => {
    server = await startServer({ demo: true });
    [vol, gp, admin, health, coord] = await Promise.all(
      ['volunteer', 'gp', 'admin', 'health_staff', 'coordinator'].map((r) => demoLogin(server, r)));

    const created = await vol.post('/api/v1/clients', sampleClient({ name: field.name, phone: field.phone }));
    assertStatus(created, 201);
    pid = created.json.id;
    control = (await vol.post('/api/v1/clients', sampleClient({ name: `${C}-name` }))).json.id;

    // every sealed field, written through the API (as the canary test does)
    const def = (await vol.get('/api/v1/instruments/vk-signal-adult')).json;
    const answers = Object.fromEntries(def.items.map((it) => [it.id, 0]));
    Object.assign(answers, { sleep: 1, nightmares: 1, hope: 1 });
    assertStatus(await vol.post(`/api/v1/clients/${pid}/screenings`,
      { instrument: 'vk-signal-adult', version: def.version, language: 'nl', mode: 'client', answers }), 201);
    answersText = compactSorted(answers);
    const flag = await vol.post(`/api/v1/clients/${pid}/red-flags`, { protocol: 'suicide', note: field.flagNote });
    assertStatus(flag, 201);
    assertStatus(await vol.post(`/api/v1/red-flags/${flag.json.id}/actions`, { action: 'other', note: field.actionNote }), 201);
    assertStatus(await vol.post(`/api/v1/clients/${pid}/route`, {}), 201);
    const ref = await referToDeLinde(vol, pid, { handover_note: field.handover,
      joint_contact: { with: field.contactWith, mode: 'phone' } });
    rid = ref.json.id;
    assertStatus(await gp.post(`/api/v1/red-flags/${flag.json.id}/close`, { reason: field.reason }), 200);
    assertStatus(await gp.post(`/api/v1/referrals/${rid}/transitions`, { to: 'received', note: field.stepNote }), 200);
    // a move within the installation (0013): one more table with the client's rows
    const moved = await gp.post(`/api/v1/clients/${pid}/move`, { phase: 'municipality', location: 'Lindedal' });
    assertStatus(moved, 200);
    me = await clientSession(server, vol, pid);
    assertStatus(await me.post(`/api/v1/referrals/${rid}/client-answer`, { went: false, reason: field.couldNotGo }), 200);
    // the client takes the dossier along before the erasure (docs/dossier.md §5): the package
    // must not bring it back here afterwards
    const take = await me.post(`/api/v1/clients/${pid}/transfer`, {});
    assertStatus(take, 201);
    const dl = await fetch(server.url + take.json.download, { headers: { cookie: me.cookie } });
    assert.equal(dl.status, 200);
    taken = { id: take.json.package_id, key: take.json.key, file: Buffer.from(await dl.arrayBuffer()) };
    // the positive control: the receiver reads the referral with its note
    assert.equal((await gp.get(`/api/v1/referrals/${rid}`)).json.handover_note, field.handover);

    cid = sql(server.dbPath, `SELECT id FROM clients WHERE pid = ${q(pid)}`)[0].id;
    userUid = sql(server.dbPath, `SELECT uid FROM users WHERE client_id = ${cid}`)[0].uid;
    blobs = sealedBlobs(server.dbPath, cid);
    ids = linkedIds(server.dbPath, cid);
    // every kind of sealed value is there, so the checks below can fail
    assert.deepEqual([...new Set(blobs.map((b) => b.col))].sort(), ['client_keys.wrapped', 'clients.name', 'clients.phone',
      'red_flag_actions.note', 'red_flags.close_reason', 'red_flags.note', 'referral_events.note', 'referrals.contact_with',
      'referrals.handover_note', 'screenings.answers', 'screenings.result']);
    assert.ok(blobs.every((b) => b.v.length >= 2 * 40), 'every blob is long enough to be unique');
    const before = leftovers(server.dbPath, ids, pid);
    for (const t of ['clients.pid', 'users.client_id', 'sessions.user_id', 'client_cards.user_id', 'client_keys.client_id',
      'grants.client_id', 'screenings.client_id', 'red_flags.client_id', 'red_flag_actions.flag_id', 'route_advice.client_id',
      'referrals.client_id', 'referral_events.referral_id', 'client_moves.client_id', 'transfers_out.client_id',
      'transfers_out.session_id']) {
      assert.ok(before[t] > 0, `the scan finds ${t} before the erasure: ${JSON.stringify(before)}`);
    }

    backup = join(server.dir, 'before-erasure.db');
    const b = runCli(['backup', '--db', server.dbPath, backup]);
    assert.equal(b.status, 0, b.stderr);
  });
  after(async () => { await server?.stop(); });

  it('a professional cannot confirm before the client asks (409), nor ask in the client\'s name (403, audited)', async () => {
    assertProblem(await gp.post(`${erasure(pid)}/confirm`, { confirm_pid: pid }), 409, 'conflict');
    assertProblem(await vol.post(erasure(pid)), 403, 'forbidden');
    assertProblem(await gp.del(erasure(pid)), 403, 'forbidden');
    assert.deepEqual(sql(server.dbPath, `SELECT action, outcome, object_type FROM audit WHERE client_pid = ${q(pid)}
      AND object_type = 'erasure' AND outcome = 'denied'`),
    [{ action: 'access_denied', outcome: 'denied', object_type: 'erasure' }, { action: 'access_denied', outcome: 'denied', object_type: 'erasure' }]);
    // reading the state needs access like any read of the client: 404 (audited) without it
    for (const c of [admin, health]) assertProblem(await c.get(erasure(pid)), 404, 'not-found');
    assertProblem(await gp.get(erasure('0123456789abcdef0123456789abcdef')), 404, 'not-found');
    assert.equal(sql(server.dbPath, `SELECT count(*) AS n FROM audit WHERE client_pid = ${q(pid)} AND action = 'access_denied'
      AND object_type = 'erasure' AND role IN ('admin', 'health_staff')`)[0].n, 2);
    const none = await gp.get(erasure(pid));
    assertStatus(none, 200);
    assert.deepEqual(none.json, { id: null, state: 'none', requested_at: null, withdrawn_at: null, may_confirm: true });
  });

  it('the client asks (201), once (409), may withdraw (204) and ask again', async () => {
    const ask = await me.post(erasure(pid));
    assertStatus(ask, 201);
    assert.equal(ask.json.state, 'requested');
    assert.equal(ask.json.may_confirm, false, 'the client cannot confirm');
    assertProblem(await me.post(erasure(pid)), 409, 'conflict');
    assert.equal((await gp.get(erasure(pid))).json.may_confirm, true);
    assert.equal((await vol.get(erasure(pid))).json.may_confirm, false);
    assert.equal((await vol.get(erasure(pid))).json.state, 'requested');

    assertStatus(await me.del(erasure(pid)), 204);
    const w = await me.get(erasure(pid));
    assert.equal(w.json.state, 'withdrawn');
    assert.ok(w.json.withdrawn_at);
    assertProblem(await me.del(erasure(pid)), 409, 'conflict');
    assertProblem(await gp.post(`${erasure(pid)}/confirm`, { confirm_pid: pid }), 409, 'conflict');

    const again = await me.post(erasure(pid));
    assertStatus(again, 201);
    assert.notEqual(again.json.id, ask.json.id);
    assert.deepEqual(sql(server.dbPath, `SELECT action FROM audit WHERE client_pid = ${q(pid)} AND action LIKE 'erase%' ORDER BY id`)
      .map((r) => r.action), ['erase_request', 'erase_withdraw', 'erase_request']);
  });

  it('open requests are on the worklist of roles that may confirm, not of others', async () => {
    const w = await gp.get('/api/v1/worklist');
    assertStatus(w, 200);
    assert.deepEqual(w.json.erasure_requests.map((x) => x.client_id), [pid]);
    assert.equal((await vol.get('/api/v1/worklist')).json.erasure_requests, undefined);
    // the health post has no grant on this client: an empty list, not the client
    assert.deepEqual((await health.get('/api/v1/worklist')).json.erasure_requests, []);
  });

  it('confirming is refused for the wrong role (403), without access (404), and for a mistyped pid (422); each refusal audited', async () => {
    const before = sql(server.dbPath, `SELECT count(*) AS n FROM audit WHERE client_pid = ${q(pid)} AND outcome = 'denied'`)[0].n;
    assertProblem(await vol.post(`${erasure(pid)}/confirm`, { confirm_pid: pid }), 403, 'forbidden');
    assertProblem(await me.post(`${erasure(pid)}/confirm`, { confirm_pid: pid }), 403, 'forbidden');
    for (const c of [admin, health, coord]) { // no grant: the client does not exist for them
      assertProblem(await c.post(`${erasure(pid)}/confirm`, { confirm_pid: pid }), 404, 'not-found');
    }
    const denied = sql(server.dbPath, `SELECT role, action, object_type FROM audit WHERE client_pid = ${q(pid)}
      AND outcome = 'denied' ORDER BY id`).slice(before);
    assert.deepEqual(denied.map((d) => d.role), ['volunteer', 'client', 'admin', 'health_staff', 'coordinator']);
    assert.ok(denied.every((d) => d.action === 'access_denied' && d.object_type === 'erasure'), JSON.stringify(denied));

    const typo = await gp.post(`${erasure(pid)}/confirm`, { confirm_pid: control });
    assertProblem(typo, 422, 'invalid-input');
    assert.deepEqual(typo.json.errors.map((e) => e.pointer), ['/confirm_pid']);
    assertProblem(await gp.post(`${erasure(pid)}/confirm`, {}), 422, 'invalid-input');
    assertProblem(await gp.post(`${erasure(pid)}/confirm`, { confirm_pid: pid, extra: 1 }), 422, 'invalid-input');
    // nothing was erased by any of these
    assert.equal(sql(server.dbPath, `SELECT count(*) AS n FROM clients WHERE id = ${cid}`)[0].n, 1);
    assert.equal((await gp.get(`/api/v1/referrals/${rid}`)).status, 200);
  });

  it('a professional with a health role and a grant confirms: 200 {erased, pid}', async () => {
    const r = await gp.post(`${erasure(pid)}/confirm`, { confirm_pid: pid });
    assertStatus(r, 200);
    assert.deepEqual(r.json, { erased: true, pid });
    assertProblem(await gp.post(`${erasure(pid)}/confirm`, { confirm_pid: pid }), 404, 'not-found');
  });

  it('no table holds a row of the client any more (schema scan)', () => {
    assert.deepEqual(leftovers(server.dbPath, ids, pid), {});
    assert.equal(sql(server.dbPath, `SELECT count(*) AS n FROM client_keys WHERE client_id = ${cid}`)[0].n, 0, 'the wrapped DEK is gone');
    assert.equal(sql(server.dbPath, `SELECT count(*) AS n FROM users WHERE uid = ${q(userUid)}`)[0].n, 0, 'the client account is gone');
  });

  it('the database, WAL and shared memory hold no marker, no ciphertext of the client and not its wrapped key', () => {
    for (const f of dbFiles(server.dbPath)) {
      assert.equal(findIn(f, M), -1, `${f} holds a marker`);
      assert.equal(findIn(f, answersText), -1, `${f} holds the answers`);
      for (const b of blobs) {
        assert.equal(findIn(f, Buffer.from(b.v, 'hex')), -1, `${f} still holds ${b.col}`);
        // a piece of it either (a page split could leave a part behind)
        assert.equal(findIn(f, Buffer.from(b.v.slice(12, 12 + 64), 'hex')), -1, `${f} still holds part of ${b.col}`);
      }
    }
    // the other client is untouched and still opens
    assert.ok(dbFiles(server.dbPath).every((f) => findIn(f, C) === -1));
  });

  it('the other client is untouched', async () => {
    const r = await vol.get(`/api/v1/clients/${control}`);
    assertStatus(r, 200);
    assert.equal(r.json.name, `${C}-name`);
  });

  it('the login card no longer logs in, the client\'s session is gone, the receiver\'s reads are 404', async () => {
    assertProblem(await me.get('/api/v1/me'), 401, 'unauthenticated');
    const card = new Client(server.url);
    const login = await card.post('/api/v1/session/card', { code: me.code, pin: me.pin });
    assert.equal(login.status, 401, show(login));
    for (const path of [`/api/v1/referrals/${rid}`, `/api/v1/clients/${pid}`, `/api/v1/clients/${pid}/referrals`, erasure(pid)]) {
      assertProblem(await gp.get(path), 404, 'not-found');
    }
    const inbox = await gp.get('/api/v1/referrals?role=receiver');
    assertStatus(inbox, 200);
    assert.ok(!inbox.json.items.some((x) => x.id === rid), 'the referral left the receiver\'s inbox');
    assert.ok(!(await vol.get('/api/v1/clients')).json.items.some((c) => c.id === pid), 'not in the caseload');
    assert.deepEqual((await gp.get('/api/v1/worklist')).json.erasure_requests, []);
  });

  it('the audit trail keeps the erase row under the pseudonym, identifiers only, and still verifies', () => {
    const rows = sql(server.dbPath, `SELECT * FROM audit WHERE client_pid = ${q(pid)} ORDER BY id`);
    const erase = rows.filter((r) => r.action === 'erase');
    assert.equal(erase.length, 1);
    assert.deepEqual({ ...erase[0], id: 0, at: 0, user_id: 0, org_id: 0, request_id: 0, prev_hash: 0, row_hash: 0 },
      { id: 0, at: 0, user_id: 0, role: 'gp', org_id: 0, on_behalf_of: null, client_pid: pid, action: 'erase',
        object_type: 'dossier', object_id: pid, outcome: 'success', source_addr: '127.0.0.1', request_id: 0, prev_hash: 0, row_hash: 0 });
    for (const r of rows) {
      const text = JSON.stringify(r);
      assert.ok(!text.includes(M), `an audit row holds a marker: ${text}`);
      for (const k of ['user_id', 'org_id', 'on_behalf_of', 'client_pid', 'object_id', 'request_id']) {
        // random uids, or a transfer package's UUID
        assert.ok(r[k] === null || /^([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})$/.test(r[k]),
          `audit.${k} is an identifier: ${r[k]}`);
      }
    }
    const v = runCli(['audit', 'verify', '--db', server.dbPath]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
  });

  it('a package taken before the erasure does not bring the dossier back (409, made here, erased)', async () => {
    // the package id is kept without the client, its session, its user or the file
    assert.deepEqual(sql(server.dbPath, `SELECT client_id, by_user, session_id, package FROM transfers_out
      WHERE package_id = ${q(taken.id)}`), [{ client_id: null, by_user: null, session_id: null, package: null }]);
    const tables = ['clients', 'client_keys', 'screenings', 'grant_requests', 'transfers_in', 'transfer_history', 'users'];
    const snap = () => tables.map((t) => sql(server.dbPath, `SELECT count(*) AS n FROM ${t}`)[0].n);
    const before = snap();
    const r = await vol.post('/api/v1/transfers', { package: taken.file.toString('base64'), key: taken.key });
    assertProblem(r, 409, 'conflict');
    assert.match(r.json.detail, /made here, and that dossier was erased here/);
    assert.deepEqual(snap(), before, 'nothing was created');
    assert.equal(sql(server.dbPath, `SELECT count(*) AS n FROM audit WHERE request_id = ${q(r.headers.get('x-request-id'))}
      AND action = 'transfer_in' AND outcome = 'failure'`)[0].n, 1);
  });

  it('the server output holds no marker and not the erased pseudonym', () => {
    assert.ok(!server.logs().includes(M));
    assert.match(server.logs(), /dossier erased" request=[0-9a-f]{32} rows=[1-9][0-9]*/);
    assert.ok(!server.logs().includes(pid), 'the log outlives the erasure: no pid in it');
  });

  it('a backup made before the erasure still holds the dossier, and opens with the key of its time only', async () => {
    // honest, and documented: backups keep an erased dossier until they expire
    assert.ok(findIn(backup, Buffer.from(blobs.find((b) => b.col === 'client_keys.wrapped').v, 'hex')) >= 0);
    assert.equal(findIn(backup, M), -1, 'sealed in the backup too');
    const dir = tempDir();
    copyFileSync(backup, join(dir, 'veerkracht.db'));
    const other = join(dir, 'other.key');
    writeFileSync(other, `vk-master-key-v1 ${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    const refused = runCli(['serve', '--listen', '127.0.0.1:0', '--db', join(dir, 'veerkracht.db'), '--key-file', other]);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /master key does not open the database/);
    copyFileSync(`${server.dbPath}.key`, join(dir, 'veerkracht.db.key'));
    const restored = await startServer({ dir });
    try {
      const v = await demoLogin(restored, 'volunteer');
      const r = await v.get(`/api/v1/clients/${pid}`);
      assertStatus(r, 200);
      assert.equal(r.json.name, field.name);
    } finally {
      await restored.stop();
    }
  });
});

describe('erasure of a held dossier, asked by the holder', () => {
  let server, vol, gp, parent, parentPid, childPid;

  before(async () => {
    server = await startServer({ demo: true });
    vol = await demoLogin(server, 'volunteer');
    gp = await demoLogin(server, 'gp');
    parentPid = (await vol.post('/api/v1/clients', sampleClient({ name: 'Ouder' }))).json.id;
    childPid = (await vol.post('/api/v1/clients', sampleClient({ year_of_birth: 2016, name: 'Kind' }))).json.id;
    parent = await clientSession(server, vol, parentPid);
    assertStatus(await vol.post(`/api/v1/clients/${childPid}/holders`, { holder_client: parentPid, relation: 'parent' }), 201);
    const orgs = (await vol.get('/api/v1/orgs')).json.items;
    const gpOrg = orgs.find((o) => o.kind === 'gp_practice').id;
    assertStatus(await vol.post(`/api/v1/clients/${childPid}/grants`, { org_id: gpOrg, scopes: ['signal'], basis: 'verbal_consent', days: 7 }), 201);
  });
  after(async () => { await server?.stop(); });

  it('the parent asks on the child\'s dossier only while acting on it; the parent keeps their own account', async () => {
    assertProblem(await parent.post(erasure(childPid)), 404, 'not-found'); // not the active dossier
    assertStatus(await parent.post('/api/v1/session/dossier', { pid: childPid }), 200);
    const ask = await parent.post(erasure(childPid));
    assertStatus(ask, 201);
    assert.equal(sql(server.dbPath, `SELECT on_behalf_of FROM audit WHERE action = 'erase_request'`)[0].on_behalf_of, childPid);
    assertStatus(await gp.post(`${erasure(childPid)}/confirm`, { confirm_pid: childPid }), 200);
    assert.equal(sql(server.dbPath, 'SELECT count(*) AS n FROM client_holders')[0].n, 0);
    assert.equal(sql(server.dbPath, 'SELECT count(*) AS n FROM session_dossier')[0].n, 0);
    // the parent's session falls back to its own dossier
    const meNow = await parent.get('/api/v1/me');
    assertStatus(meNow, 200);
    assert.equal(meNow.json.active_dossier, parentPid);
    assert.deepEqual(meNow.json.dossiers.map((d) => d.id), [parentPid]);
    assertStatus(await parent.get(`/api/v1/clients/${parentPid}`), 200);
  });
});
