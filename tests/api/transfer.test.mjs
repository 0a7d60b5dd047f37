// SPDX-License-Identifier: EUPL-1.2
// Transfer packages between two running installations (docs/dossier.md §5, issue 5): the client
// takes its dossier from A (API and CLI), a professional of B imports it with the client's key
// (API and CLI). The dossier on B equals what A's API showed (demographics, name, phone,
// screenings with their answers; a screening of an instrument B does not offer is kept in the
// history); every grant became a request for the client to confirm on B, an organisation B does
// not know is listed; a wrong key, one flipped byte anywhere, a header forged and re-signed with
// another installation's key, a replay and an oversize file are refused with nothing written;
// both sides audit; no name, answer, key or card code ever reaches a server's output.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign as edSign } from 'node:crypto';
import { readFileSync, writeFileSync, statSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startServer, demoLogin, sampleClient, Client, runCli, tempDir, repoRoot, demoEmail }
  from '../lib/server.mjs';
import { assertProblem, assertStatus, sql, q, count } from './_util.mjs';

const NAME = 'TRANSFER-CANARY-NAME Rahel Tesfay';
const PHONE = '+31 6 TRANSFER 11';
const ONLY_A = 'Stichting Alleen-A (fictief)';
const DE_LINDE = 'Huisartsenpraktijk De Linde (fictief)';
const PHQ9 = resolve(repoRoot, 'tests/fixtures/instruments/phq9.json');
const KEY_SHAPE = /^([A-Z2-7]{4}-){12}[A-Z2-7]{4}$/;

/** The parts of a package file: magic, header (JSON text), sealed body, signature. */
function split(buf) {
  assert.equal(buf.subarray(0, 5).toString('latin1'), 'VKTP\x01');
  const hlen = buf.readUInt32BE(5);
  const header = buf.subarray(9, 9 + hlen);
  const clen = buf.readUInt32BE(9 + hlen);
  const sealed = buf.subarray(13 + hlen, 13 + hlen + clen);
  const sig = buf.subarray(13 + hlen + clen);
  assert.equal(sig.length, 64, 'the signature closes the file');
  return { header, sealed, sig };
}

/** A package made of a header and a sealed body, signed with privateKey. */
function assemble(header, sealed, privateKey) {
  const h = Buffer.from(header);
  const lens = [Buffer.alloc(4), Buffer.alloc(4)];
  lens[0].writeUInt32BE(h.length);
  lens[1].writeUInt32BE(sealed.length);
  const signed = Buffer.concat([Buffer.from('VKTP\x01', 'latin1'), lens[0], h, lens[1], sealed]);
  return Buffer.concat([signed, edSign(null, signed, privateKey)]);
}

/** Canonical JSON as the server writes it: sorted keys, no white space. */
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

describe('transfer package between two installations', () => {
  let A, B, dirA;
  let volA, meA, pid, volB, gpB;
  const answersA = {}; // screening answers as A's API shows them, by created_at
  let screeningsA; // A's list, newest first
  let grantOrgsA; // names of the organisations with a grant in force on A

  const tables = ['clients', 'client_keys', 'screenings', 'grant_requests', 'grants', 'transfers_in',
    'transfer_history', 'users'];
  const snapshot = (db) => Object.fromEntries(tables.map((t) => [t, count(db, '1', t)]));
  const auditOf = (server, r) => sql(server.dbPath, `SELECT action, object_type, object_id, client_pid,
    role, outcome FROM audit WHERE request_id = ${q(r.headers.get('x-request-id'))} ORDER BY id`);

  /** The client takes the dossier along on A: package bytes, key, fingerprint, id. */
  async function takeOnA() {
    const r = await meA.post(`/api/v1/clients/${pid}/transfer`, {});
    assertStatus(r, 201);
    const res = await fetch(A.url + r.json.download, { headers: { cookie: meA.cookie } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/octet-stream');
    return { ...r.json, file: Buffer.from(await res.arrayBuffer()), response: r };
  }
  const importOnB = (c, file, key) => c.post('/api/v1/transfers', { package: file.toString('base64'), key });

  before(async () => {
    dirA = tempDir();
    A = await startServer({ demo: true, dir: dirA });
    // an organisation only A knows, and a grant to it
    const add = runCli(['user', 'add', '--db', A.dbPath, '--org', ONLY_A, '--role', 'wijkteam',
      '--email', 'only-a@demo.example'], { input: 'alleen-a-wachtwoord-2026\n' });
    assert.equal(add.status, 0, add.stderr);
    // A offers PHQ-9 too (imported), B does not: such a screening stays in the history on B
    await A.stop();
    const imp = runCli(['instrument', 'import', '--db', A.dbPath, PHQ9]);
    assert.equal(imp.status, 0, imp.stderr);
    A = await startServer({ dir: dirA });
    B = await startServer({ demo: true });

    volA = await demoLogin(A, 'volunteer');
    let r = await volA.post('/api/v1/clients', sampleClient({ name: NAME, phone: PHONE, language: 'ti' }));
    assertStatus(r, 201);
    pid = r.json.id;
    for (const [instrument, val] of [['vk-signal-adult', 1], ['phq9', 2]]) {
      const def = (await volA.get(`/api/v1/instruments/${instrument}`)).json;
      const answers = Object.fromEntries(def.items.map((it) => [it.id, val]));
      r = await volA.post(`/api/v1/clients/${pid}/screenings`,
        { instrument, version: def.version, language: 'nl', mode: 'interviewer', answers });
      assertStatus(r, 201);
    }
    const card = await volA.post(`/api/v1/clients/${pid}/card`);
    assertStatus(card, 201);
    meA = new Client(A.url);
    r = await meA.post('/api/v1/session/card', { code: card.json.code, new_pin: '583920' });
    assertStatus(r, 200);
    meA.csrf = r.json.csrf_token;
    const orgs = Object.fromEntries((await volA.get('/api/v1/orgs')).json.items.map((o) => [o.name, o.id]));
    for (const name of [ONLY_A, DE_LINDE]) {
      assertStatus(await meA.post(`/api/v1/clients/${pid}/grants`,
        { org_id: orgs[name], scopes: ['contact', 'referral'], basis: 'client_consent', days: 90 }), 201);
    }
    // a second grant to De Linde: one request on B, with the scopes of both
    assertStatus(await meA.post(`/api/v1/clients/${pid}/grants`,
      { org_id: orgs[DE_LINDE], scopes: ['signal'], basis: 'client_consent', days: 30 }), 201);
    screeningsA = (await meA.get(`/api/v1/clients/${pid}/screenings`)).json.items;
    assert.equal(screeningsA.length, 2);
    for (const s of screeningsA) {
      answersA[s.created_at] = (await meA.get(`/api/v1/clients/${pid}/screenings/${s.id}`)).json;
    }
    grantOrgsA = (await meA.get(`/api/v1/clients/${pid}/grants`)).json.items
      .filter((g) => g.active).map((g) => g.org.name);
    assert.ok(grantOrgsA.includes(ONLY_A) && grantOrgsA.includes(DE_LINDE));

    volB = await demoLogin(B, 'volunteer');
    gpB = await demoLogin(B, 'gp');
  });
  after(async () => {
    for (const s of [A, B]) {
      if (!s) continue;
      const logs = s.logs();
      for (const m of [NAME, PHONE, 'TRANSFER-CANARY']) assert.ok(!logs.includes(m), `${m} in a server's output`);
      await s.stop();
    }
  });

  let pkg; // the package of the API round trip
  let newPid;
  it('the client takes the dossier along on A: a signed, sealed file and a key shown once', async () => {
    const before = count(A.dbPath, '1', 'transfers_out');
    pkg = await takeOnA();
    assert.match(pkg.key, KEY_SHAPE);
    assert.match(pkg.fingerprint, /^([A-Z2-7]{4}-){3}[A-Z2-7]{4}$/);
    assert.match(pkg.key_qr_svg, /^<svg [^>]*viewBox/);
    assert.equal(pkg.download, `/api/v1/transfers/${pkg.package_id}/file`);
    const { header, sealed } = split(pkg.file);
    const h = JSON.parse(header.toString('utf8'));
    assert.equal(h.format, 'veerkracht-transfer/1');
    assert.equal(h.id, pkg.package_id);
    assert.equal(h.sender.name, A.url);
    assert.equal(canonical(h), header.toString('utf8'), 'the header is canonical JSON');
    assert.ok(sealed.length > 1000);
    // nothing readable of the dossier in the file
    const text = pkg.file.toString('latin1');
    for (const m of [NAME, PHONE, pid, 'vk-signal-adult', 'phq9', ONLY_A]) {
      assert.ok(!text.includes(m), `${m} readable in the package`);
    }
    // recorded and audited on A; the key is stored nowhere
    assert.equal(count(A.dbPath, '1', 'transfers_out'), before + 1);
    const row = sql(A.dbPath, `SELECT via, fetched_at IS NOT NULL AS fetched, package IS NULL AS dropped
      FROM transfers_out WHERE package_id = ${q(pkg.package_id)}`)[0];
    assert.deepEqual(row, { via: 'api', fetched: 1, dropped: 1 });
    const audit = auditOf(A, pkg.response).map((a) => [a.action, a.object_type, a.client_pid, a.role]);
    assert.ok(audit.some((a) => a[0] === 'transfer_out' && a[1] === 'dossier' && a[2] === pid && a[3] === 'client'),
      JSON.stringify(audit));
    assert.equal(count(A.dbPath, `action = 'download' AND object_id = ${q(pkg.package_id)}`), 1);
    const dbText = readFileSync(A.dbPath).toString('latin1') +
      (existsSync(`${A.dbPath}-wal`) ? readFileSync(`${A.dbPath}-wal`).toString('latin1') : '');
    assert.ok(!dbText.includes(pkg.key), 'the transfer key is not stored');
    // the file is served once, to the same session only
    assert.equal((await fetch(A.url + pkg.download, { headers: { cookie: meA.cookie } })).status, 404);
    const again = await meA.post(`/api/v1/clients/${pid}/transfer`, {});
    assertStatus(again, 201);
    assertProblem(await volA.get(again.json.download), 404, 'not-found');
  });

  it('only the client takes its dossier; others get 403 or 404 and nothing is made', async () => {
    const before = count(A.dbPath, '1', 'transfers_out');
    assertProblem(await volA.post(`/api/v1/clients/${pid}/transfer`, {}), 403, 'forbidden');
    const ggzA = await demoLogin(A, 'ggz'); // no grant on this client
    assertProblem(await ggzA.post(`/api/v1/clients/${pid}/transfer`, {}), 404, 'not-found');
    const other = (await volA.get('/api/v1/clients')).json.items.find((c) => c.id !== pid).id;
    assertProblem(await meA.post(`/api/v1/clients/${other}/transfer`, {}), 404, 'not-found');
    assert.equal(count(A.dbPath, '1', 'transfers_out'), before);
  });

  it('a wrong key is refused on B and nothing is written', async () => {
    const before = snapshot(B.dbPath);
    const other = await takeOnA();
    for (const key of [other.key, other.key.toLowerCase(), 'AAAA-BBBB', '']) {
      const r = await importOnB(volB, pkg.file, key);
      assertProblem(r, key === '' ? 422 : 422, 'invalid-input');
      assert.equal(r.json.errors?.[0]?.pointer, '/key', r.text);
    }
    assert.deepEqual(snapshot(B.dbPath), before);
    assert.ok(count(B.dbPath, "action = 'transfer_in' AND outcome = 'failure'") >= 4, 'refusals are audited');
  });

  it('one flipped byte anywhere in the file is refused, nothing written', async () => {
    const before = snapshot(B.dbPath);
    const { header, sealed } = split(pkg.file);
    const n = pkg.file.length;
    const places = [0, 4, 5, 8, 9, 9 + Math.floor(header.length / 2), 8 + header.length + 4,
      13 + header.length, 13 + header.length + Math.floor(sealed.length / 2), n - 65, n - 64, n - 1];
    for (const at of places) {
      const bad = Buffer.from(pkg.file);
      bad[at] ^= 0x01;
      const r = await importOnB(volB, bad, pkg.key);
      assertProblem(r, 422, 'invalid-input');
      assert.equal(r.json.errors?.[0]?.pointer, '/package', `byte ${at}: ${r.text}`);
    }
    assertProblem(await importOnB(volB, pkg.file.subarray(0, n - 1), pkg.key), 422, 'invalid-input');
    assertProblem(await importOnB(volB, Buffer.concat([pkg.file, Buffer.from([0])]), pkg.key), 422, 'invalid-input');
    assert.deepEqual(snapshot(B.dbPath), before);
  });

  it('a header forged and signed with another installation\'s key is refused', async () => {
    const before = snapshot(B.dbPath);
    const { header, sealed } = split(pkg.file);
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const h = JSON.parse(header.toString('utf8'));
    // the same header, signed by someone else: the signature does not match the key it names
    let r = await importOnB(volB, assemble(header, sealed, privateKey), pkg.key);
    assertProblem(r, 422, 'invalid-input');
    assert.equal(r.json.errors[0].pointer, '/package');
    // a forged sender with the forger's key: the signature checks, but the sealed body is bound
    // to the original header, so even the right transfer key does not open it
    const forged = canonical({ ...h, sender: { name: 'Veerkracht Elders (vals)', public_key: raw.toString('base64') } });
    r = await importOnB(volB, assemble(forged, sealed, privateKey), pkg.key);
    assertProblem(r, 422, 'invalid-input');
    assert.equal(r.json.errors[0].pointer, '/key', r.text);
    // a header that is not canonical is not ours either
    r = await importOnB(volB, assemble(JSON.stringify(h, null, 1), sealed, privateKey), pkg.key);
    assertProblem(r, 422, 'invalid-input');
    assert.deepEqual(snapshot(B.dbPath), before);
  });

  it('who may import: roles that may register clients; a client gets 403', async () => {
    const analyst = await demoLogin(B, 'analyst');
    assertProblem(await importOnB(analyst, pkg.file, pkg.key), 403, 'forbidden');
  });

  let result;
  it('B imports with the right key: the dossier is rebuilt, grants become requests', async () => {
    const before = snapshot(B.dbPath);
    const r = await importOnB(volB, pkg.file, pkg.key);
    assertStatus(r, 201);
    result = r.json;
    newPid = result.client_id;
    assert.match(newPid, /^[0-9a-f]{32}$/);
    assert.notEqual(newPid, pid, 'a new pid on B');
    assert.equal(result.package_id, pkg.package_id);
    assert.deepEqual(result.sender, { name: A.url, fingerprint: pkg.fingerprint });
    assert.deepEqual(result.unknown_orgs, [ONLY_A]);
    assert.deepEqual(result.screenings, { recreated: 1, kept: 1 });
    const volOrgB = (await volB.get('/api/v1/me')).json.user.org.name;
    const expected = [...new Set([...grantOrgsA.filter((n) => n !== ONLY_A), volOrgB])].sort();
    assert.deepEqual(result.grant_requests.map((g) => g.organization.name).sort(), expected);
    assert.match(result.card.code, /^VK-/);
    const after = snapshot(B.dbPath);
    assert.equal(after.clients, before.clients + 1);
    assert.equal(after.screenings, before.screenings + 1);
    assert.equal(after.transfers_in, before.transfers_in + 1);
    assert.equal(after.transfer_history, before.transfer_history + 1);
    assert.equal(after.grants, before.grants, 'no access is granted by an import');
    assert.equal(after.grant_requests, before.grant_requests + expected.length);
    // audited on B, with the package id
    const audit = auditOf(B, r);
    assert.ok(audit.some((a) => a.action === 'transfer_in' && a.object_id === pkg.package_id
      && a.client_pid === newPid && a.outcome === 'success'), JSON.stringify(audit));
    assert.equal(audit.filter((a) => a.action === 'grant_request').length, expected.length);
    // the professional who imported has no access until the client says yes
    assertProblem(await volB.get(`/api/v1/clients/${newPid}`), 404, 'not-found');
    assertProblem(await gpB.get(`/api/v1/clients/${newPid}`), 404, 'not-found');
    const sealedName = sql(B.dbPath, `SELECT typeof(name) AS t FROM clients WHERE pid = ${q(newPid)}`)[0].t;
    assert.equal(sealedName, 'blob', 'the name is sealed on B too');
  });

  let meB;
  it('the client logs in on B with the new card: same data, requests to confirm, history', async () => {
    meB = new Client(B.url);
    const login = await meB.post('/api/v1/session/card', { code: result.card.code, new_pin: '583920' });
    assertStatus(login, 200);
    meB.csrf = login.json.csrf_token;
    const a = (await meA.get(`/api/v1/clients/${pid}`)).json;
    const b = (await meB.get(`/api/v1/clients/${newPid}`)).json;
    for (const k of ['name', 'phone', 'year_of_birth', 'gender', 'country', 'language', 'phase', 'location', 'risk_flags']) {
      assert.deepEqual(b[k], a[k], k);
    }
    assert.equal(b.name, NAME);
    // the screening of an instrument B offers is a screening again, answers and all
    const list = (await meB.get(`/api/v1/clients/${newPid}/screenings`)).json.items;
    assert.equal(list.length, 1);
    const one = (await meB.get(`/api/v1/clients/${newPid}/screenings/${list[0].id}`)).json;
    const src = answersA[one.created_at];
    assert.ok(src, 'same created_at as on A');
    for (const k of ['instrument', 'version', 'language', 'mode', 'answers', 'result']) {
      assert.deepEqual(one[k], src[k], k);
    }
    assert.equal(one.instrument, 'vk-signal-adult');
    // grants: only requests, which the client accepts here
    const grants = (await meB.get(`/api/v1/clients/${newPid}/grants`)).json.items;
    assert.ok(grants.every((g) => g.state === 'requested' && !g.active), JSON.stringify(grants));
    assert.equal(grants.filter((g) => g.org.name === DE_LINDE).length, 1, 'one request per organisation');
    const linde = grants.find((g) => g.org.name === DE_LINDE);
    assert.deepEqual(linde.scopes.sort(), ['contact', 'referral', 'signal']);
    assert.ok(linde.days >= 89 && linde.days <= 90, `the longest end: ${linde.days}`);
    assertStatus(await meB.post(`/api/v1/clients/${newPid}/grants/${linde.id}/accept`, {}), 200);
    assertStatus(await gpB.get(`/api/v1/clients/${newPid}`), 200);
    // the rest is the history from A: the PHQ-9 screening, the access log
    const hist = await meB.get(`/api/v1/clients/${newPid}/transfer-history`);
    assertStatus(hist, 200);
    assert.equal(hist.json.items.length, 1);
    const h = hist.json.items[0];
    assert.equal(h.sender, A.url);
    assert.equal(h.fingerprint, pkg.fingerprint);
    assert.equal(h.screenings.length, 1);
    assert.equal(h.screenings[0].instrument, 'phq9');
    const kept = answersA[new Date(h.screenings[0].created_at).toISOString()];
    assert.deepEqual(h.screenings[0].answers, kept.answers);
    assert.deepEqual(h.screenings[0].result, kept.result);
    assert.ok(h.access_log.length > 0 && h.access_log.every((e) => e.resourceType === 'AuditEvent'));
    assert.ok(h.organizations.some((o) => o.name === ONLY_A));
    // a grantee sees the history too (its scopes decide the parts)
    const gpHist = await gpB.get(`/api/v1/clients/${newPid}/transfer-history`);
    assertStatus(gpHist, 200);
    assert.equal(gpHist.json.items[0].screenings.length, 1, 'De Linde was granted signal');
    const km = await demoLogin(B, 'klantmanager');
    const kmOrg = (await km.get('/api/v1/me')).json.user.org.id;
    assertStatus(await meB.post(`/api/v1/clients/${newPid}/grants`,
      { org_id: kmOrg, scopes: ['contact'], basis: 'client_consent', days: 30 }), 201);
    const kmHist = await km.get(`/api/v1/clients/${newPid}/transfer-history`);
    assertStatus(kmHist, 200);
    assert.ok(!('screenings' in kmHist.json.items[0]) && !('referrals' in kmHist.json.items[0]),
      'scope contact only: no screenings, no referrals');
    assert.ok(kmHist.json.items[0].access_log.length > 0);
    const nurse = await demoLogin(B, 'ggz');
    assertProblem(await nurse.get(`/api/v1/clients/${newPid}/transfer-history`), 404, 'not-found');
  });

  it('the same package a second time is refused (409) and nothing is duplicated', async () => {
    const before = snapshot(B.dbPath);
    const r = await importOnB(volB, pkg.file, pkg.key);
    assertProblem(r, 409, 'conflict');
    assert.ok(r.json.detail.includes(newPid), `names the existing dossier: ${r.text}`);
    assert.deepEqual(snapshot(B.dbPath), before);
    assert.equal(count(B.dbPath, `action = 'transfer_in' AND client_pid = ${q(newPid)} AND outcome = 'failure'`), 1);
  });

  it('a package made here is not imported here: the dossier is here already', async () => {
    const before = snapshot(A.dbPath);
    const r = await importOnB(volA, pkg.file, pkg.key);
    assertProblem(r, 409, 'conflict');
    assert.ok(r.json.detail.includes('made here') && r.json.detail.includes(pid), r.text);
    assert.deepEqual(snapshot(A.dbPath), before);
  });

  it('an oversize body is refused', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 7);
    const r = await importOnB(volB, big, pkg.key);
    assertProblem(r, 413, 'too-large');
  });

  it('the command line: export on A, import on B, wrong key and replay refused', async () => {
    const dir = tempDir();
    const file = join(dir, 'rahel.vktp');
    const ex = runCli(['dossier', 'export-transfer', '--db', A.dbPath, '--client', pid, '--out', file,
      '--sender', 'Veerkracht Regio A']);
    assert.equal(ex.status, 0, ex.stderr);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const key = ex.stdout.match(/^ {2}(([A-Z2-7]{4}-){12}[A-Z2-7]{4})$/m)?.[1];
    assert.ok(key, ex.stdout);
    const fpr = ex.stdout.match(/sender fingerprint (\S+)/)[1];
    assert.equal(fpr, pkg.fingerprint, 'the same installation key as the API');
    assert.ok(ex.stdout.includes('\u2588'), 'a QR code in the terminal');
    const id = ex.stdout.match(/^package (\S+)$/m)[1];
    assert.equal(count(A.dbPath, `action = 'transfer_out' AND object_id = ${q(id)} AND role = 'operator'`), 1);
    const exists = runCli(['dossier', 'export-transfer', '--db', A.dbPath, '--client', pid, '--out', file]);
    assert.equal(exists.status, 1);
    assert.match(exists.stderr, /exists already/);

    const before = snapshot(B.dbPath);
    const wrong = runCli(['dossier', 'import-transfer', '--db', B.dbPath, '--key', pkg.key,
      '--user', demoEmail('volunteer'), file]);
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /\/key: this key does not open this package/);
    assert.deepEqual(snapshot(B.dbPath), before);

    const ok = runCli(['dossier', 'import-transfer', '--db', B.dbPath, '--key', '-',
      '--user', demoEmail('volunteer'), file], { input: `${key.toLowerCase().replaceAll('-', ' ')}\n` });
    assert.equal(ok.status, 0, ok.stderr);
    const cliPid = ok.stdout.match(/^client ([0-9a-f]{32})$/m)[1];
    assert.match(ok.stdout, new RegExp(`unknown organisation ${ONLY_A.replace(/[()]/g, '\\$&')}`));
    assert.match(ok.stdout, /from Veerkracht Regio A \(fingerprint /);
    assert.equal(count(B.dbPath, `action = 'transfer_in' AND object_id = ${q(id)} AND client_pid = ${q(cliPid)}`), 1);
    // the client logs in on B with the printed card and finds the same dossier
    const code = ok.stdout.match(/login card (VK-\S+)/)[1];
    const me = new Client(B.url);
    const login = await me.post('/api/v1/session/card', { code, new_pin: '583920' });
    assertStatus(login, 200);
    assert.equal((await me.get(`/api/v1/clients/${cliPid}`)).json.name, NAME);

    const replay = runCli(['dossier', 'import-transfer', '--db', B.dbPath, '--key', key,
      '--user', demoEmail('volunteer'), file]);
    assert.equal(replay.status, 1);
    assert.ok(replay.stderr.includes(`imported before: dossier ${cliPid}`), replay.stderr);
    // and the API refuses the CLI's package the same way
    assertProblem(await importOnB(volB, readFileSync(file), key), 409, 'conflict');

    const huge = join(dir, 'huge.vktp');
    writeFileSync(huge, Buffer.alloc(8 * 1024 * 1024 + 1));
    const big = runCli(['dossier', 'import-transfer', '--db', B.dbPath, '--key', key,
      '--user', demoEmail('volunteer'), huge]);
    assert.equal(big.status, 1);
    assert.match(big.stderr, /larger than a package can be/);
    for (const out of [ex.stdout + ex.stderr, wrong.stderr, ok.stderr]) assert.ok(!out.includes(NAME));
  });

  it('an imported client lives in the region of the importing organisation, as at registration', async () => {
    const region = (pidB) => sql(B.dbPath, `SELECT region FROM clients WHERE pid = ${q(pidB)}`)[0].region;
    const volOrg = (await volB.get('/api/v1/me')).json.user.org;
    const orgRegion = (await volB.get('/api/v1/orgs')).json.items.find((o) => o.id === volOrg.id).region;
    assert.ok(orgRegion, 'the demo organisation has a region');
    // a client registered on B by the same professional: the same rule
    const reg = await volB.post('/api/v1/clients', sampleClient());
    assertStatus(reg, 201);
    assert.equal(region(reg.json.id), orgRegion);
    assert.equal(region(newPid), orgRegion, 'the API import');
    const cliPids = sql(B.dbPath, `SELECT c.pid FROM clients c JOIN transfers_in t ON t.client_id = c.id
      WHERE c.pid <> ${q(newPid)}`).map((x) => x.pid);
    assert.ok(cliPids.length >= 1, 'the command-line import');
    for (const p of cliPids) assert.equal(region(p), orgRegion, 'the command-line import');
    // and a move from there starts in that region (the API says where the client came from)
    const move = await gpB.post(`/api/v1/clients/${newPid}/move`, { phase: 'municipality', location: 'Elders-op-Zee' });
    assertStatus(move, 200);
    assert.equal(move.json.move.from.region, orgRegion);
  });

  it('the audit chains on both sides stay intact', () => {
    for (const s of [A, B]) {
      const r = runCli(['audit', 'verify', '--db', s.dbPath]);
      assert.equal(r.status, 0, r.stdout + r.stderr);
    }
  });
});
