// SPDX-License-Identifier: EUPL-1.2
// Client login without DigiD: a professional issues a login card (code + QR), the client chooses a
// PIN at the first login and logs in with it afterwards; wrong PINs are throttled and then lock the
// card; a re-issue kills the old code; an unknown code and a wrong PIN cannot be told apart; only a
// professional with access may issue; the password login refuses client accounts; and a parent's
// account can hold and switch to a child's dossier, and nobody else's.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, Client, demoLogin, sampleClient, DEMO_PASSWORD, demoEmail } from '../lib/server.mjs';
import { assertProblem, assertStatus, bodyWithoutIds, sql, q, sleep, show } from './_util.mjs';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_RE = /^VK-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/;
const DELAY_MS = 50; // --login-delay-ms: the card's first wait after 3 wrong PINs, then doubling

/** Luhn mod 32 over the alphabet, as docs/API.md describes the check character. */
function checkChar(data) {
  let factor = 2;
  let sum = 0;
  for (let i = data.length - 1; i >= 0; i--) {
    const addend = factor * ALPHABET.indexOf(data[i]);
    factor = factor === 2 ? 1 : 2;
    sum += Math.floor(addend / 32) + (addend % 32);
  }
  return ALPHABET[(32 - (sum % 32)) % 32];
}

/** A well-formed code (right check character) that no card has. */
function unknownCode() {
  let d = '';
  for (let i = 0; i < 12; i++) d += ALPHABET[Math.floor(Math.random() * 32)];
  const c = d + checkChar(d);
  return `VK-${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8, 12)}-${c[12]}`;
}

/** Typed the sloppy way: lower case, no dashes, spaces, O for zero, l for one. */
const sloppy = (code) => code.replaceAll('-', ' ').toLowerCase().replaceAll('0', 'o').replaceAll('1', 'l');

const cardLogin = (server, body) => new Client(server.url).post('/api/v1/session/card', body);

/** POST /session/card on a client that keeps the session cookie; sets its CSRF token. */
async function loginWithCard(server, code, pinBody) {
  const c = new Client(server.url);
  const r = await c.post('/api/v1/session/card', { code, ...pinBody });
  if (r.status === 200 && r.json.csrf_token) c.csrf = r.json.csrf_token;
  return { c, r };
}

describe('client login cards', () => {
  let server;
  let vol; // volunteer: registers clients, issues cards
  let coa; // COA staff: another organisation
  const client = {}; // name -> {pid, code}

  const register = async (name, over = {}, by = vol) => {
    const r = await by.post('/api/v1/clients', sampleClient(over));
    assertStatus(r, 201);
    client[name] = { pid: r.json.id };
    return r.json.id;
  };
  const issue = async (name, by = vol) => {
    const r = await by.post(`/api/v1/clients/${client[name].pid}/card`);
    assertStatus(r, 201);
    client[name].code = r.json.code;
    return r;
  };
  /** Issue a card and choose PIN 583920; returns the logged-in client. */
  const enrol = async (name) => {
    await issue(name);
    const { c, r } = await loginWithCard(server, client[name].code, { new_pin: '583920' });
    assertStatus(r, 200);
    return c;
  };

  before(async () => {
    server = await startServer({ demo: true, args: ['--login-delay-ms', String(DELAY_MS)] });
    vol = await demoLogin(server, 'volunteer');
    coa = await demoLogin(server, 'coa_staff');
  });
  after(async () => { await server?.stop(); });

  it('issue → first login chooses a PIN → the session works → logout → login with the PIN', async () => {
    const pid = await register('amal', { year_of_birth: 1994, language: 'ar' });
    const r = await issue('amal');
    const { code } = r.json;
    assert.match(code, CODE_RE);
    assert.equal(checkChar(code.replaceAll('-', '').slice(2, 14)), code.at(-1), 'check character');
    assert.equal(r.json.login_url, `${server.url}/#/card/${code}`);
    assert.equal(r.json.language, 'ar');
    assert.match(r.json.qr_svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d+) \1"/);
    assert.doesNotMatch(r.json.qr_svg, /<script|on\w+=|href|style/i, 'a plain SVG, nothing active');
    assert.equal(r.headers.get('cache-control'), 'no-store');

    // only the hash is stored: neither form of the code is anywhere in the database file
    const cardOf = `FROM client_cards k JOIN users u ON u.id = k.user_id JOIN clients c ON c.id = u.client_id
      WHERE c.pid = ${q(pid)}`;
    const rows = sql(server.dbPath, `SELECT hex(k.code_hash) AS h, k.pin_hash ${cardOf}`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].h.length, 64, 'a 32-byte hash');
    assert.equal(rows[0].pin_hash, null, 'no PIN before the first login');
    const db = readFileSync(server.dbPath).toString('latin1') + readFileSync(`${server.dbPath}-wal`).toString('latin1');
    assert.ok(!db.includes(code) && !db.includes(code.replaceAll('-', '').slice(2)), 'code not stored');
    const audit = sql(server.dbPath, `SELECT * FROM audit WHERE action = 'card_issue' AND client_pid = ${q(pid)}`);
    assert.equal(audit.length, 1);
    assert.equal(audit[0].client_pid, pid);
    assert.equal(audit[0].role, 'volunteer');

    // the code alone: choose a PIN, no session yet
    const probe = await cardLogin(server, { code });
    assertStatus(probe, 200);
    assert.deepEqual(probe.json, { needs_pin_choice: true });
    assert.equal(probe.headers.get('set-cookie'), null);
    // PIN rules, each reported at the field
    for (const bad of ['12345', '123456', '654321', '111111', '121212', '199455', 'kort']) {
      const x = await cardLogin(server, { code, new_pin: bad });
      assertProblem(x, 422, 'invalid-input');
      assert.equal(x.json.errors[0].pointer, '/new_pin', `${bad}: ${show(x)}`);
    }
    const { c, r: first } = await loginWithCard(server, code, { new_pin: '583920' });
    assertStatus(first, 200);
    assert.equal(first.json.user.role, 'client');
    assert.match(first.headers.get('set-cookie'), /^vk_session=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict/);
    assert.match(sql(server.dbPath, `SELECT k.pin_hash ${cardOf}`)[0].pin_hash, /^\$argon2id\$v=19\$/);

    const me = await c.get('/api/v1/me');
    assertStatus(me, 200);
    assert.equal(me.json.user.role, 'client');
    assert.equal(me.json.session.idle_timeout, 900, 'the same idle limit as every session');
    assert.deepEqual(me.json.dossiers, [{ id: pid, relation: 'self', year_of_birth: 1994, active: true }]);
    assert.equal(me.json.active_dossier, pid);
    assertStatus(await c.get(`/api/v1/clients/${pid}`), 200); // the own dossier
    assertStatus(await c.del('/api/v1/session'), 204);
    assertProblem(await c.get('/api/v1/me'), 401, 'unauthenticated');

    // the PIN now; the code typed sloppily still works, a PIN in Arabic-Indic digits too
    const again = await loginWithCard(server, sloppy(code), { pin: '583920' });
    assertStatus(again.r, 200);
    assertStatus(await again.c.get('/api/v1/me'), 200);
    const arabic = await cardLogin(server, { code, pin: '٥٨٣٩٢٠' });
    assertStatus(arabic, 200);
    // a new PIN for a card that has one is refused like a wrong PIN
    assertProblem(await cardLogin(server, { code, new_pin: '902741' }), 401, 'bad-credentials');
    assertStatus(await cardLogin(server, { code, pin: '583920' }), 200); // resets the count

    const logins = sql(server.dbPath, `SELECT * FROM audit WHERE action = 'login' AND role = 'client'`);
    assert.ok(logins.length >= 3, `client logins audited: ${logins.length}`);
    assert.equal(logins[0].user_id, me.json.user.id);
  });

  it('a malformed code is refused at the field without a lookup', async () => {
    const code = client.amal.code;
    const typo = code.slice(0, -1) + (code.at(-1) === '0' ? '1' : '0');
    for (const bad of [typo, 'VK-1234', '', 'U'.repeat(13), 'x'.repeat(65)]) {
      const r = await cardLogin(server, { code: bad, pin: '583920' });
      assert.ok(r.status === 422 || r.status === 400, show(r));
      assert.equal(r.json.errors[0].pointer, '/code', show(r));
    }
    assertProblem(await cardLogin(server, { code, pin: '583920', extra: 1 }), 422, 'invalid-input');
  });

  it('the password login refuses client accounts', async () => {
    const { c } = await loginWithCard(server, client.amal.code, { pin: '583920' });
    const email = (await c.get('/api/v1/me')).json.user.email;
    assert.match(email, /@card\.invalid$/);
    assertProblem(await new Client(server.url).login(email, '583920'), 401, 'bad-credentials');
    // the demo's client account has a real password, and still cannot use it
    assertProblem(await new Client(server.url).login(demoEmail('client'), DEMO_PASSWORD), 401, 'bad-credentials');
    assertStatus(await new Client(server.url).login(demoEmail('gp'), DEMO_PASSWORD), 200);
    // instead, the demo prints its client's login card
    const m = server.logs().match(/client\s+login card (VK-[0-9A-Z-]{16})/);
    assert.ok(m, `the demo logins name the client's card:\n${server.logs().slice(0, 2000)}`);
    assert.deepEqual((await cardLogin(server, { code: m[1] })).json, { needs_pin_choice: true });
  });

  it('wrong PINs: 3 free, then a doubling wait, then the card locks until re-issued', async () => {
    await register('bilal');
    const c0 = await enrol('bilal');
    const userId = (await c0.get('/api/v1/me')).json.user.id;
    const { code } = client.bilal;
    const auditBefore = sql(server.dbPath, 'SELECT max(id) AS m FROM audit')[0].m;
    for (let i = 0; i < 3; i++) assertProblem(await cardLogin(server, { code, pin: '000001' }), 401, 'bad-credentials');
    const wait = await cardLogin(server, { code, pin: '583920' });
    assertProblem(wait, 429, 'login-throttled');
    assert.equal(wait.headers.get('retry-after'), '1', 'the 50 ms wait, rounded up');
    for (let f = 3; f < 10; f++) {
      await sleep(DELAY_MS * 2 ** (f - 3) + 40);
      assertProblem(await cardLogin(server, { code, pin: '000001' }), 401, 'bad-credentials');
    }
    const locked = await cardLogin(server, { code, pin: '583920' });
    assertProblem(locked, 429, 'card-locked');
    assert.equal(locked.headers.get('retry-after'), null, 'no point in waiting');
    assert.match(locked.json.detail, /new card/);

    const failed = sql(server.dbPath, `SELECT * FROM audit WHERE id > ${auditBefore} AND action = 'login_failed'`);
    assert.equal(failed.filter((a) => a.outcome === 'failure').length, 10);
    for (const a of failed) {
      assert.equal(a.user_id, userId, 'login_failed names the card\'s account');
      for (const v of Object.values(a)) assert.ok(!String(v).includes(code.slice(3, 7)), 'never the code');
    }
    assertStatus(await vol.get(`/api/v1/clients/${client.bilal.pid}/card`), 200);
    const st = (await vol.get(`/api/v1/clients/${client.bilal.pid}/card`)).json;
    assert.equal(st.locked, true);
    assert.equal(st.pin_chosen, true);

    // re-issue: the old code is dead, the new one needs a new PIN, the lock is gone
    await issue('bilal');
    assert.notEqual(client.bilal.code, code);
    assertProblem(await cardLogin(server, { code, pin: '583920' }), 401, 'bad-credentials');
    assert.deepEqual((await cardLogin(server, { code: client.bilal.code, pin: '583920' })).json, { needs_pin_choice: true });
    assertStatus((await loginWithCard(server, client.bilal.code, { new_pin: '740213' })).r, 200);
  });

  it('re-issue: the old code stops at once, its sessions end, a new PIN must be chosen', async () => {
    await register('dana');
    const old = await enrol('dana');
    const oldCode = client.dana.code;
    assertStatus(await old.get('/api/v1/me'), 200);
    await issue('dana');
    assertProblem(await old.get('/api/v1/me'), 401, 'unauthenticated');
    assertProblem(await cardLogin(server, { code: oldCode, pin: '583920' }), 401, 'bad-credentials');
    assert.deepEqual((await cardLogin(server, { code: client.dana.code })).json, { needs_pin_choice: true });
    assertProblem(await cardLogin(server, { code: client.dana.code, new_pin: '123456' }), 422, 'invalid-input');
    assertStatus((await loginWithCard(server, client.dana.code, { new_pin: '508163' })).r, 200);
    assert.equal(sql(server.dbPath, `SELECT count(*) AS n FROM audit WHERE action = 'card_issue' AND client_pid = ${q(client.dana.pid)}`)[0].n, 2);
  });

  it('an unknown code and a wrong PIN: same status, same body, same time', async () => {
    await register('emre');
    await enrol('emre');
    const known = client.emre.code;
    const shape = (r) => ({ status: r.status, ctype: r.headers.get('content-type'), body: bodyWithoutIds(r) });
    // the code alone
    assert.deepEqual((await cardLogin(server, { code: unknownCode() })).json, { needs_pin: true });
    assert.deepEqual((await cardLogin(server, { code: known })).json, { needs_pin: true });
    const times = { known: [], unknown: [] };
    let first;
    for (let i = 0; i < 6; i++) {
      for (const kind of i % 2 ? ['known', 'unknown'] : ['unknown', 'known']) {
        const body = { code: kind === 'known' ? known : unknownCode(), pin: '000001' };
        const t0 = performance.now();
        const r = await cardLogin(server, body);
        times[kind].push(performance.now() - t0);
        assertProblem(r, 401, 'bad-credentials');
        first ??= shape(r);
        assert.deepEqual(shape(r), first, `${kind}: ${show(r)}`);
      }
      assertStatus(await cardLogin(server, { code: known, pin: '583920' }), 200); // resets the count
    }
    // a new PIN for either: refused alike
    const n1 = await cardLogin(server, { code: known, new_pin: '902741' });
    const n2 = await cardLogin(server, { code: unknownCode(), new_pin: '902741' });
    assert.deepEqual(shape(n1), shape(n2));
    const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
    const mk = median(times.known);
    const mu = median(times.unknown);
    // both pay one argon2id verification (tens to hundreds of ms): a missing one would show
    assert.ok(Math.abs(mk - mu) < Math.max(25, 0.35 * Math.max(mk, mu)),
      `median known ${mk.toFixed(1)} ms vs unknown ${mu.toFixed(1)} ms`);
    console.log(`# card login: median known wrong PIN ${mk.toFixed(1)} ms, unknown code ${mu.toFixed(1)} ms`);
    assert.ok(Math.min(mk, mu) > 10, `an argon2id verification was done: ${mk}, ${mu}`);
  });

  it('only a professional with access may issue: 404 like any refused client, audited', async () => {
    const other = await register('farah', {}, coa); // the volunteer's organisation has no grant
    const r = await vol.post(`/api/v1/clients/${other}/card`);
    assertProblem(r, 404, 'not-found');
    const none = await vol.post('/api/v1/clients/00000000000000000000000000000000/card');
    assertProblem(none, 404, 'not-found');
    assert.equal(bodyWithoutIds(r), bodyWithoutIds(none), 'refused = does not exist');
    const denied = sql(server.dbPath, `SELECT * FROM audit WHERE action = 'access_denied' AND client_pid = ${q(other)}`);
    assert.equal(denied.length, 1);
    assert.equal(denied[0].object_type, 'card');
    assert.equal(denied[0].role, 'volunteer');
    assert.equal(sql(server.dbPath, `SELECT count(*) AS n FROM client_cards k JOIN users u ON u.id = k.user_id JOIN clients c ON c.id = u.client_id WHERE c.pid = ${q(other)}`)[0].n, 0);
    // a grant without contact or signal (referral only) is not enough either
    const volOrg = (await vol.get('/api/v1/me')).json.user.org.id;
    assertStatus(await coa.post(`/api/v1/clients/${other}/grants`, { org_id: volOrg, scopes: ['referral'], basis: 'verbal_consent', days: 30 }), 201);
    assertStatus(await vol.get(`/api/v1/clients/${other}`), 200);
    assertProblem(await vol.post(`/api/v1/clients/${other}/card`), 404, 'not-found');
    // the organisation that registered the client may
    assertStatus(await coa.post(`/api/v1/clients/${other}/card`), 201);
    // roles without client data: 403, whatever the client
    const admin = await demoLogin(server, 'admin');
    assertProblem(await admin.post(`/api/v1/clients/${other}/card`), 403, 'forbidden');
    // a client cannot issue cards, not even for itself
    const { c } = await loginWithCard(server, client.amal.code, { pin: '583920' });
    assertProblem(await c.post(`/api/v1/clients/${client.amal.pid}/card`), 403, 'forbidden');
  });

  it('holders: a parent sees and switches to the child\'s dossier; nobody else can', async () => {
    await register('mother', { year_of_birth: 1988 });
    const child = await register('child', { year_of_birth: 2015 });
    const parent = await enrol('mother');
    assertProblem(await parent.get(`/api/v1/clients/${child}`), 404, 'not-found');

    const bad = await vol.post(`/api/v1/clients/${child}/holders`, { holder_client: client.mother.pid, relation: 'uncle' });
    assertProblem(bad, 422, 'invalid-input');
    assert.equal(bad.json.errors[0].pointer, '/relation');
    const self = await vol.post(`/api/v1/clients/${child}/holders`, { holder_client: child, relation: 'parent' });
    assertProblem(self, 422, 'invalid-input');
    const notMine = await vol.post(`/api/v1/clients/${child}/holders`, { holder_client: client.farah.pid, relation: 'parent' });
    assertProblem(notMine, 404, 'not-found');
    const h = await vol.post(`/api/v1/clients/${child}/holders`, { holder_client: client.mother.pid, relation: 'parent' });
    assertStatus(h, 201);
    assert.deepEqual(h.json, { client: child, holder_client: client.mother.pid, relation: 'parent' });
    assertStatus(await vol.post(`/api/v1/clients/${child}/holders`, { holder_client: client.mother.pid, relation: 'guardian' }), 200);
    assertStatus(await vol.post(`/api/v1/clients/${child}/holders`, { holder_client: client.mother.pid, relation: 'parent' }), 200);

    const me = (await parent.get('/api/v1/me')).json;
    assert.deepEqual(me.dossiers, [
      { id: client.mother.pid, relation: 'self', year_of_birth: 1988, active: true },
      { id: child, relation: 'parent', year_of_birth: 2015, active: false },
    ]);
    // holding is not reading: only the active dossier opens
    assertProblem(await parent.get(`/api/v1/clients/${child}`), 404, 'not-found');
    const sw = await parent.post('/api/v1/session/dossier', { pid: child });
    assertStatus(sw, 200);
    assert.equal(sw.json.active_dossier, child);
    const read = await parent.get(`/api/v1/clients/${child}`);
    assertStatus(read, 200);
    assert.equal(read.json.year_of_birth, 2015);
    assertProblem(await parent.get(`/api/v1/clients/${client.mother.pid}`), 404, 'not-found');
    const onBehalf = sql(server.dbPath, `SELECT * FROM audit WHERE client_pid = ${q(child)} AND action IN ('switch_dossier', 'read') AND role = 'client'`);
    assert.ok(onBehalf.length >= 2, JSON.stringify(onBehalf));
    for (const a of onBehalf) assert.equal(a.on_behalf_of, child, 'acted on behalf of the child');
    // and back
    assertStatus(await parent.post('/api/v1/session/dossier', { pid: client.mother.pid }), 200);
    assertStatus(await parent.get(`/api/v1/clients/${client.mother.pid}`), 200);
    assertProblem(await parent.get(`/api/v1/clients/${child}`), 404, 'not-found');

    // another client cannot switch to the child, and the attempt is audited
    const stranger = (await loginWithCard(server, client.emre.code, { pin: '583920' })).c;
    const st = await stranger.post('/api/v1/session/dossier', { pid: child });
    assertProblem(st, 404, 'not-found');
    const unknown = await stranger.post('/api/v1/session/dossier', { pid: '0'.repeat(32) });
    assert.equal(bodyWithoutIds(st), bodyWithoutIds(unknown));
    assertProblem(await stranger.get(`/api/v1/clients/${child}`), 404, 'not-found');
    const den = sql(server.dbPath, `SELECT * FROM audit WHERE action = 'access_denied' AND object_type = 'dossier' AND client_pid = ${q(child)}`);
    assert.equal(den.length, 1);
    // a professional has no dossier to switch
    assertProblem(await vol.post('/api/v1/session/dossier', { pid: child }), 403, 'forbidden');
    const added = sql(server.dbPath, `SELECT * FROM audit WHERE action = 'holder_add' AND client_pid = ${q(child)}`);
    assert.equal(added.length, 3);
  });
});
