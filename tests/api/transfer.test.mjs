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
import { generateKeyPairSync, sign as edSign, randomBytes, randomUUID, createCipheriv, createDecipheriv }
  from 'node:crypto';
import { readFileSync, writeFileSync, statSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startServer, demoLogin, sampleClient, Client, runCli, tempDir, repoRoot, demoEmail }
  from '../lib/server.mjs';
import { assertProblem, assertStatus, sql, q, count } from './_util.mjs';
import { referToDeLinde } from './_dossier.mjs';

const NAME = 'TRANSFER-CANARY-NAME Rahel Tesfay';
const PHONE = '+31 6 TRANSFER 11';
const ONLY_A = 'Stichting Alleen-A (fictief)';
const DE_LINDE = 'Huisartsenpraktijk De Linde (fictief)';
const PHQ9 = resolve(repoRoot, 'tests/fixtures/instruments/phq9.json');
const KEY_SHAPE = /^([A-Z2-7]{4}-){12}[A-Z2-7]{4}$/;
const HANDOVER = 'TRANSFER-CANARY-HANDOVER for the GP only';

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

/** Canonical JSON as the server writes it: sorted keys, no white space, \\u00XX upper case. */
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v).replace(/\\u([0-9a-f]{4})/g, (m, h) => `\\u${h.toUpperCase()}`);
}

// ---- XChaCha20-Poly1305 (libsodium's ietf construction) and the key text, to forge packages
// the way another installation could: HChaCha20 gives the subkey, node's ChaCha20-Poly1305 the rest.
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function keyBytes(text) {
  let acc = 0, bits = 0;
  const out = [];
  for (const ch of text.replace(/[- ]/g, '').toUpperCase()) {
    acc = (acc << 5) | B32.indexOf(ch);
    bits += 5;
    if (bits >= 8) { bits -= 8; out.push((acc >> bits) & 0xff); }
  }
  return Buffer.from(out.slice(0, 32));
}
function keyText(bytes) {
  let acc = 0, bits = 0, s = '';
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) { bits -= 5; s += B32[(acc >> bits) & 31]; }
  }
  if (bits) s += B32[(acc << (5 - bits)) & 31];
  return s.match(/.{4}/g).join('-');
}
function hchacha20(key, n16) {
  const x = new Uint32Array(16);
  x.set([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);
  for (let i = 0; i < 8; i++) x[4 + i] = key.readUInt32LE(4 * i);
  for (let i = 0; i < 4; i++) x[12 + i] = n16.readUInt32LE(4 * i);
  const rotl = (v, c) => ((v << c) | (v >>> (32 - c))) >>> 0;
  const qr = (a, b, c, d) => {
    x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 16); x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 12);
    x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 8); x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 7);
  };
  for (let i = 0; i < 10; i++) {
    qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15);
    qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14);
  }
  const out = Buffer.alloc(32);
  [0, 1, 2, 3, 12, 13, 14, 15].forEach((j, i) => out.writeUInt32LE(x[j], 4 * i));
  return out;
}
const subkey = (key, nonce) => [hchacha20(key, nonce.subarray(0, 16)), Buffer.concat([Buffer.alloc(4), nonce.subarray(16)])];
function xseal(key, ad, pt) {
  const nonce = randomBytes(24);
  const c = createCipheriv('chacha20-poly1305', ...subkey(key, nonce), { authTagLength: 16 });
  c.setAAD(ad, { plaintextLength: pt.length });
  const ct = Buffer.concat([c.update(pt), c.final()]);
  return Buffer.concat([nonce, ct, c.getAuthTag()]);
}
function xopen(key, ad, sealed) {
  const nonce = sealed.subarray(0, 24);
  const d = createDecipheriv('chacha20-poly1305', ...subkey(key, nonce), { authTagLength: 16 });
  d.setAAD(ad, { plaintextLength: sealed.length - 40 });
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([d.update(sealed.subarray(24, sealed.length - 16)), d.final()]);
}

/**
 * A package another installation could make from a real one's dossier: its own signing key,
 * its own transfer key, header fields and body changed as asked. {file, key}.
 */
function forge(real, { id = randomUUID(), sender = 'Veerkracht Elders (test)', body = (b) => b } = {}) {
  const { header, sealed } = split(real.file);
  const dossier = JSON.parse(xopen(keyBytes(real.key), header, sealed).toString('utf8'));
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const h = JSON.parse(header.toString('utf8'));
  const nh = Buffer.from(canonical({ ...h, id, sender: { name: sender, public_key: raw.toString('base64') } }));
  const k = randomBytes(32);
  const file = assemble(nh, xseal(k, nh, Buffer.from(JSON.stringify(body(dossier)))), privateKey);
  return { file, key: keyText(k), package_id: id };
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
    // a referral with a handover note: for De Linde's receiver then, not for every reader later
    await referToDeLinde(volA, pid, { handover_note: HANDOVER });
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
      for (const m of [NAME, PHONE, HANDOVER, 'TRANSFER-CANARY']) assert.ok(!logs.includes(m), `${m} in a server's output`);
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
    for (const k of ['instrument', 'version', 'language', 'mode', 'answers']) {
      assert.deepEqual(one[k], src[k], k);
    }
    // scored again on B: the same result, without A's red-flag rows (they are not open here)
    assert.deepEqual({ ...one.result, red_flags: [] }, { ...src.result, red_flags: [] });
    assert.deepEqual(one.result.red_flags, []);
    assert.equal(one.created_by.role, 'import', 'an imported screening is marked');
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
    const notes = (x) => x.referrals.filter((e) => e.resourceType === 'ServiceRequest').map((e) => e.note?.[0]?.text ?? null);
    assert.deepEqual(notes(h), [HANDOVER], 'the client reads its own handover note');
    // a grantee sees the history too (its scopes decide the parts); never the earlier access
    // log, never a handover note
    const gpHist = await gpB.get(`/api/v1/clients/${newPid}/transfer-history`);
    assertStatus(gpHist, 200);
    const g = gpHist.json.items[0];
    assert.equal(g.screenings.length, 1, 'De Linde was granted signal');
    assert.deepEqual(notes(g), [null], 'scope referral: the referrals, without the note');
    assert.ok(g.organizations.length > 0, 'scope referral: the organisations the referrals name');
    assert.ok(!('access_log' in g), 'only the client reads the earlier access log');
    assert.ok(!JSON.stringify(g).includes(HANDOVER));
    const km = await demoLogin(B, 'klantmanager');
    const kmOrg = (await km.get('/api/v1/me')).json.user.org.id;
    assertStatus(await meB.post(`/api/v1/clients/${newPid}/grants`,
      { org_id: kmOrg, scopes: ['contact'], basis: 'client_consent', days: 30 }), 201);
    const kmHist = await km.get(`/api/v1/clients/${newPid}/transfer-history`);
    assertStatus(kmHist, 200);
    const k = kmHist.json.items[0];
    assert.ok(!('screenings' in k) && !('referrals' in k), 'scope contact only: no screenings, no referrals');
    assert.ok(!('organizations' in k) && !('access_log' in k),
      'scope contact only: not which providers the client dealt with');
    assert.deepEqual(Object.keys(k).sort(), ['created_at', 'fingerprint', 'id', 'imported_at', 'package_id', 'sender']);
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
    const noUser = runCli(['dossier', 'export-transfer', '--db', A.dbPath, '--client', pid, '--out', file]);
    assert.equal(noUser.status, 2, 'export-transfer needs --user');
    assert.ok(!existsSync(file));
    const outBefore = count(A.dbPath, '1', 'transfers_out');
    const stranger = runCli(['dossier', 'export-transfer', '--db', A.dbPath, '--client', pid, '--out', file,
      '--user', 'nobody@demo.example']);
    assert.equal(stranger.status, 1);
    assert.match(stranger.stderr, /no professional with the email/);
    assert.ok(!existsSync(file), 'the file made before the transaction is removed');
    assert.equal(count(A.dbPath, '1', 'transfers_out'), outBefore, 'nothing recorded');
    const ex = runCli(['dossier', 'export-transfer', '--db', A.dbPath, '--client', pid, '--out', file,
      '--sender', 'Veerkracht Regio A', '--user', demoEmail('volunteer')]);
    assert.equal(ex.status, 0, ex.stderr);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const key = ex.stdout.match(/^ {2}(([A-Z2-7]{4}-){12}[A-Z2-7]{4})$/m)?.[1];
    assert.ok(key, ex.stdout);
    const fpr = ex.stdout.match(/sender fingerprint (\S+)/)[1];
    assert.equal(fpr, pkg.fingerprint, 'the same installation key as the API');
    assert.ok(ex.stdout.includes('\u2588'), 'a QR code in the terminal');
    const id = ex.stdout.match(/^package (\S+)$/m)[1];
    assert.equal(count(A.dbPath, `action = 'transfer_out' AND object_id = ${q(id)} AND role = 'volunteer'
      AND source_addr = 'cli' AND user_id IS NOT NULL`), 1);
    const volUid = sql(A.dbPath, `SELECT uid FROM users WHERE email = ${q(demoEmail('volunteer'))}`)[0].uid;
    assert.deepEqual(sql(A.dbPath, `SELECT by_user, by_role, via FROM transfers_out WHERE package_id = ${q(id)}`),
      [{ by_user: volUid, by_role: 'volunteer', via: 'cli' }]);
    const n = count(A.dbPath, '1', 'transfers_out');
    const exists = runCli(['dossier', 'export-transfer', '--db', A.dbPath, '--client', pid, '--out', file,
      '--user', demoEmail('volunteer')]);
    assert.equal(exists.status, 1);
    assert.match(exists.stderr, /exists already/);
    assert.equal(count(A.dbPath, '1', 'transfers_out'), n, 'an existing file stops the export before anything is recorded');

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

  it('HEAD on the download answers the headers and does not use up the one download', async () => {
    const r = await meA.post(`/api/v1/clients/${pid}/transfer`, {});
    assertStatus(r, 201);
    const head = await fetch(A.url + r.json.download, { method: 'HEAD', headers: { cookie: meA.cookie } });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'application/octet-stream');
    assert.equal(count(A.dbPath, `action = 'download' AND object_id = ${q(r.json.package_id)}`), 0, 'no download audited');
    assert.deepEqual(sql(A.dbPath, `SELECT fetched_at IS NULL AS waiting, package IS NOT NULL AS held FROM transfers_out
      WHERE package_id = ${q(r.json.package_id)}`), [{ waiting: 1, held: 1 }]);
    const get = await fetch(A.url + r.json.download, { headers: { cookie: meA.cookie } });
    assert.equal(get.status, 200, 'the GET after a HEAD still gets the file');
    assert.ok(Buffer.from(await get.arrayBuffer()).subarray(0, 5).equals(Buffer.from('VKTP\x01', 'latin1')));
    assert.equal(count(A.dbPath, `action = 'download' AND object_id = ${q(r.json.package_id)}`), 1);
    assert.equal((await fetch(A.url + r.json.download, { headers: { cookie: meA.cookie } })).status, 404);
  });

  it('refusals are audited: a professional taking the dossier, another session\'s download, a role that may not import (API and CLI)', async () => {
    const denied = (server, r) => auditOf(server, r).filter((a) => a.outcome === 'denied')
      .map((a) => [a.action, a.object_type, a.client_pid, a.role]);
    let r = await volA.post(`/api/v1/clients/${pid}/transfer`, {});
    assertProblem(r, 403, 'forbidden');
    assert.deepEqual(denied(A, r), [['access_denied', 'transfer', pid, 'volunteer']]);
    const made = await meA.post(`/api/v1/clients/${pid}/transfer`, {});
    assertStatus(made, 201);
    r = await volA.get(made.json.download);
    assertProblem(r, 404, 'not-found');
    assert.deepEqual(denied(A, r), [['access_denied', 'transfer', pid, 'volunteer']]);
    const analyst = await demoLogin(B, 'analyst');
    r = await importOnB(analyst, pkg.file, pkg.key);
    assertProblem(r, 403, 'forbidden');
    assert.deepEqual(denied(B, r), [['access_denied', 'transfer', null, 'analyst']]);
    // the command line: a role that may not import, and a refused package
    const dir = tempDir();
    const file = join(dir, 'p.vktp');
    writeFileSync(file, pkg.file);
    const before = count(B.dbPath, "source_addr = 'cli' AND outcome IN ('denied', 'failure')");
    const role = runCli(['dossier', 'import-transfer', '--db', B.dbPath, '--key', pkg.key, '--user', demoEmail('analyst'), file]);
    assert.equal(role.status, 1);
    assert.match(role.stderr, /may not register clients/);
    const bad = runCli(['dossier', 'import-transfer', '--db', B.dbPath, '--key', (await takeOnA()).key,
      '--user', demoEmail('volunteer'), file]);
    assert.equal(bad.status, 1);
    const rows = sql(B.dbPath, `SELECT action, object_type, role, outcome FROM audit WHERE source_addr = 'cli'
      AND outcome IN ('denied', 'failure') ORDER BY id`).slice(before);
    assert.deepEqual(rows, [
      { action: 'access_denied', object_type: 'transfer', role: 'analyst', outcome: 'denied' },
      { action: 'transfer_in', object_type: 'dossier', role: 'volunteer', outcome: 'failure' }]);
  });

  it('a package of another key that copies a real package\'s id is no replay of it; the real one imports once', async () => {
    const real = await takeOnA();
    const copy = forge(real, { id: real.package_id });
    let r = await importOnB(volB, copy.file, copy.key);
    assertStatus(r, 201);
    const copyPid = r.json.client_id;
    assert.equal(r.json.package_id, real.package_id);
    r = await importOnB(volB, real.file, real.key);
    assertStatus(r, 201, 'the real package is not blocked by the copy');
    const realPid = r.json.client_id;
    assert.notEqual(realPid, copyPid);
    r = await importOnB(volB, real.file, real.key);
    assertProblem(r, 409, 'conflict');
    assert.ok(r.json.detail.includes(`imported before: dossier ${realPid}`), r.text);
    r = await importOnB(volB, copy.file, copy.key);
    assertProblem(r, 409, 'conflict');
    assert.ok(r.json.detail.includes(copyPid) && !r.json.detail.includes(realPid), r.text);
    // on A the id was made there, but not signed with A's key: not "made here", no pid of A
    r = await importOnB(volA, copy.file, copy.key);
    assertStatus(r, 201);
    assert.ok(!JSON.stringify(r.json).includes(pid), 'A\'s dossier is not named');
  });

  it('an imported screening is scored here: a result that disagrees with its answers is not taken over', async () => {
    const real = await takeOnA();
    const signal = (b) => b.screenings.find((x) => x.instrument === 'vk-signal-adult');
    const forged = forge(real, { body: (b) => {
      Object.assign(signal(b), { level: 'green', band: 'none', flag_count: 0,
        result: { level: 'green', band: null, forged: true, red_flags: [] } });
      return b;
    } });
    const r = await importOnB(volB, forged.file, forged.key);
    assertStatus(r, 201);
    assert.deepEqual(r.json.screenings, { recreated: 1, kept: 1 });
    const rowB = sql(B.dbPath, `SELECT s.level, s.band, s.flag_count, s.created_by_role FROM screenings s
      JOIN clients c ON c.id = s.client_id WHERE c.pid = ${q(r.json.client_id)}`);
    const rowA = sql(A.dbPath, `SELECT s.level, s.band, s.flag_count FROM screenings s JOIN clients c ON c.id = s.client_id
      WHERE c.pid = ${q(pid)} AND s.instrument = 'vk-signal-adult'`)[0];
    assert.notEqual(rowA.level, 'green', 'the forged level differs from the real one');
    assert.deepEqual(rowB, [{ ...rowA, created_by_role: 'import' }]);
    const me = new Client(B.url);
    const login = await me.post('/api/v1/session/card', { code: r.json.card.code, new_pin: '583920' });
    assertStatus(login, 200);
    const list = (await me.get(`/api/v1/clients/${r.json.client_id}/screenings`)).json.items;
    const one = (await me.get(`/api/v1/clients/${r.json.client_id}/screenings/${list[0].id}`)).json;
    assert.ok(!('forged' in one.result), 'the package\'s result is not stored');
    const src = Object.values(answersA).find((x) => x.instrument === 'vk-signal-adult');
    assert.deepEqual({ ...one.result, red_flags: [] }, { ...src.result, red_flags: [] });
    // answers that do not fit the definition here: kept in the history, not a screening
    const odd = forge(real, { body: (b) => { signal(b).answers = { no_such_item: 1 }; return b; } });
    const r2 = await importOnB(volB, odd.file, odd.key);
    assertStatus(r2, 201);
    assert.deepEqual(r2.json.screenings, { recreated: 0, kept: 2 });
  });

  it('an imported screening dated in the future is dated no later than its package', async () => {
    const real = await takeOnA();
    const future = Date.parse('9999-01-01T00:00:00Z');
    const forged = forge(real, { body: (b) => {
      b.screenings.find((x) => x.instrument === 'vk-signal-adult').created_at = future;
      return b;
    } });
    const before = Date.now();
    const r = await importOnB(volB, forged.file, forged.key);
    assertStatus(r, 201);
    assert.equal(r.json.screenings.recreated, 1);
    const [row] = sql(B.dbPath, `SELECT s.created_at FROM screenings s JOIN clients c ON c.id = s.client_id
      WHERE c.pid = ${q(r.json.client_id)}`);
    assert.ok(row.created_at < future && row.created_at <= Date.now() && row.created_at > before - 3600e3,
      `created_at ${row.created_at}`);
  });

  it('control characters in a package\'s names are refused (they would reach a terminal)', async () => {
    const real = await takeOnA();
    const before = snapshot(B.dbPath);
    for (const sender of ['Veerkracht \u001b[2J\u001b]0;pwned\u0007', 'Veerkracht \u009b31m', 'Veerkracht\nregel 2']) {
      const bad = forge(real, { sender });
      const r = await importOnB(volB, bad.file, bad.key);
      assertProblem(r, 422, 'invalid-input');
      assert.equal(r.json.errors?.[0]?.pointer, '/package', r.text);
    }
    assert.deepEqual(snapshot(B.dbPath), before);
    // an organisation name with an escape sequence is no organisation: not listed, no request
    const evil = 'Stichting \u001b[31mRood';
    const odd = forge(real, { body: (b) => {
      b.grants.push({ ...b.grants[0], organization: { name: evil, kind: 'other' } });
      return b;
    } });
    const r = await importOnB(volB, odd.file, odd.key);
    assertStatus(r, 201);
    assert.ok(!JSON.stringify(r.json).includes('Rood'), JSON.stringify(r.json.unknown_orgs));
    assert.deepEqual(r.json.unknown_orgs, [ONLY_A]);
  });

  it('the audit chains on both sides stay intact', () => {
    for (const s of [A, B]) {
      const r = runCli(['audit', 'verify', '--db', s.dbPath]);
      assert.equal(r.status, 0, r.stdout + r.stderr);
    }
  });
});
