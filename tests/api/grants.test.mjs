// SPDX-License-Identifier: EUPL-1.2
// Grants: who may see a client, effective immediately on add and revoke, capped by the role's
// ceiling, audited, and visible in the client's access log.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, demoLogin, sampleClient } from '../lib/server.mjs';
import { assertProblem, assertStatus, sql, q, show, sorted, randomId, DAY_MS } from './_util.mjs';

const GP_ORG_NAME = 'Huisartsenpraktijk De Linde (fictief)';
const VOL_ORG_NAME = 'Vluchtelingenwerk Veerhaven (fictief)';

describe('grants', () => {
  let server;
  let vol;
  let gp;
  let volOrg;
  let gpOrg;
  let id;
  let gpGrant;

  const grants = async (c = vol) => {
    const r = await c.get(`/api/v1/clients/${id}/grants`);
    assertStatus(r, 200);
    return r.json.items;
  };

  before(async () => {
    server = await startServer({ demo: true });
    vol = await demoLogin(server, 'volunteer');
    gp = await demoLogin(server, 'gp');
    volOrg = (await vol.get('/api/v1/me')).json.user.org;
    gpOrg = (await gp.get('/api/v1/me')).json.user.org;
    const r = await vol.post('/api/v1/clients', sampleClient({ name: 'Rahel Grantstest' }));
    assertStatus(r, 201);
    id = r.json.id;
  });
  after(async () => { await server?.stop(); });

  it('the orgs list names the GP practice with the id the GP logs in with', async () => {
    const r = await vol.get('/api/v1/orgs');
    assertStatus(r, 200);
    const org = r.json.items.find((o) => o.name === GP_ORG_NAME);
    assert.ok(org, `GP org listed: ${show(r)}`);
    assert.equal(org.id, gpOrg.id);
    assert.equal(typeof org.kind, 'string');
    assert.equal(typeof org.region, 'string');
  });

  it('without a grant the GP gets 404', async () => {
    assertProblem(await gp.get(`/api/v1/clients/${id}`), 404, 'not-found');
  });

  it('a volunteer may not record consent for clinical (422 /scopes, nothing stored)', async () => {
    const n = (await grants()).length;
    const r = await vol.post(`/api/v1/clients/${id}/grants`,
      { org_id: gpOrg.id, scopes: ['signal', 'clinical'], basis: 'verbal_consent', days: 30 });
    assertProblem(r, 422, 'invalid-input');
    assert.ok(r.json.errors?.some((e) => /^\/scopes(\/\d+)?$/.test(e.pointer)), `pointer /scopes: ${show(r)}`);
    assert.equal((await grants()).length, n);
    assertProblem(await gp.get(`/api/v1/clients/${id}`), 404, 'not-found');
  });

  it('the volunteer grants the GP practice signal+referral on verbal consent for 30 days (201)', async () => {
    const r = await vol.post(`/api/v1/clients/${id}/grants`,
      { org_id: gpOrg.id, scopes: ['signal', 'referral'], basis: 'verbal_consent', days: 30 });
    assertStatus(r, 201);
    gpGrant = r.json;
    assert.equal(typeof gpGrant.id, 'string');
    assert.equal(gpGrant.org.id, gpOrg.id);
    assert.equal(gpGrant.org.name, GP_ORG_NAME);
    assert.deepEqual(sorted(gpGrant.scopes), ['referral', 'signal']);
    assert.equal(gpGrant.basis, 'verbal_consent');
    assert.equal(gpGrant.granted_by.role, 'volunteer');
    assert.equal(gpGrant.granted_by.org, VOL_ORG_NAME);
    assert.equal(gpGrant.active, true);
    assert.equal(gpGrant.revoked_at, null);
    const span = Date.parse(gpGrant.expires_at) - Date.now();
    assert.ok(Math.abs(span - 30 * DAY_MS) < 3600e3, `expires in 30 days: ${gpGrant.expires_at}`);
    const rows = sql(server.dbPath, `SELECT id, action, object_type, object_id, client_pid, role, outcome, request_id
      FROM audit WHERE request_id = ${q(r.headers.get('x-request-id'))}`);
    assert.equal(rows.length, 1, `one audit row for one grant: ${JSON.stringify(rows)}`);
    assert.equal(rows[0].action, 'grant_add');
    assert.equal(rows[0].client_pid, id);
    assert.equal(rows[0].object_id, gpGrant.id, 'object_id names the grant');
    assert.equal(rows[0].role, 'volunteer');
    assert.equal(rows[0].outcome, 'success');
  });

  it("the GP's very next request is 200 with scopes = ceiling ∩ grant", async () => {
    const r = await gp.get(`/api/v1/clients/${id}`);
    assertStatus(r, 200);
    // not the GP's whole ceiling (which also has clinical, network, contact): only what was granted
    assert.deepEqual(sorted(r.json.scopes), ['referral', 'signal']);
    assert.ok(!r.text.includes('Rahel'), 'no contact scope, no name');
    const list = await gp.get('/api/v1/clients');
    assertStatus(list, 200);
    assert.ok(list.json.items.some((x) => x.id === id), 'in the GP caseload');
  });

  it('a GP (with access) may record clinical consent for a GGZ organisation, which then sees clinical', async () => {
    const orgs = (await gp.get('/api/v1/orgs')).json.items;
    const ggzOrg = orgs.find((o) => o.kind === 'basic_ggz') ?? orgs.find((o) => /GGZ/.test(o.name));
    assert.ok(ggzOrg, `a GGZ organisation in ${JSON.stringify(orgs)}`);
    const r = await gp.post(`/api/v1/clients/${id}/grants`,
      { org_id: ggzOrg.id, scopes: ['clinical'], basis: 'verbal_consent', days: 14 });
    assertStatus(r, 201);
    assert.equal(r.json.granted_by.role, 'gp');
    assert.equal(r.json.granted_by.org, GP_ORG_NAME);
    const ggz = await demoLogin(server, 'ggz');
    const g = await ggz.get(`/api/v1/clients/${id}`);
    assertStatus(g, 200);
    assert.deepEqual(g.json.scopes, ['clinical']);
  });

  it('clinical never reaches a volunteer, whatever the grant says', async () => {
    // The GP (who now has access, and clinical in its ceiling) grants the volunteer org clinical.
    const r = await gp.post(`/api/v1/clients/${id}/grants`,
      { org_id: volOrg.id, scopes: ['signal', 'clinical'], basis: 'verbal_consent', days: 10 });
    assertStatus(r, 201);
    // The volunteer cannot record clinical consent for its own organisation either.
    const self = await vol.post(`/api/v1/clients/${id}/grants`,
      { org_id: volOrg.id, scopes: ['clinical', 'referral'], basis: 'verbal_consent', days: 10 });
    assertProblem(self, 422, 'invalid-input');
    const v = await vol.get(`/api/v1/clients/${id}`);
    assertStatus(v, 200);
    assert.ok(!v.json.scopes.includes('clinical'), `volunteer scopes: ${v.json.scopes}`);
    assert.deepEqual(sorted(v.json.scopes), ['contact', 'network', 'referral', 'signal']);
    const k = await demoLogin(server, 'keyperson'); // same org, same ceiling
    const kr = await k.get(`/api/v1/clients/${id}`);
    assertStatus(kr, 200);
    assert.ok(!kr.json.scopes.includes('clinical'), `keyperson scopes: ${kr.json.scopes}`);
  });

  it('the access log shows the GP read with org name and role, newest first', async () => {
    const r = await vol.get(`/api/v1/clients/${id}/access-log`);
    assertStatus(r, 200);
    const items = r.json.items;
    assert.ok(items.length >= 1 && items.length <= 500);
    const gpRead = items.find((e) => e.role === 'gp' && e.action === 'read' && e.outcome === 'success');
    assert.ok(gpRead, `GP read listed: ${show(r)}`);
    assert.equal(gpRead.org, GP_ORG_NAME);
    assert.equal(gpRead.object_type, 'client');
    assert.ok(Number.isFinite(Date.parse(gpRead.at)));
    for (let i = 1; i < items.length; i++) {
      assert.ok(Date.parse(items[i - 1].at) >= Date.parse(items[i].at), 'newest first');
    }
    assert.ok(items.some((e) => e.role === 'volunteer'), 'own reads are listed too');
    assert.ok(!r.text.includes('@demo.example'), 'no email addresses of staff in the access log');

    const tomorrow = new Date(Date.now() + DAY_MS).toISOString();
    const empty = await vol.get(`/api/v1/clients/${id}/access-log?from=${encodeURIComponent(tomorrow)}`);
    assertStatus(empty, 200);
    assert.equal(empty.json.items.length, 0);
    const bad = await vol.get(`/api/v1/clients/${id}/access-log?from=yesterday-ish`);
    assertProblem(bad, 400, 'bad-request');
    assert.equal(bad.json.errors?.[0]?.pointer, '/query/from', show(bad));
  });

  it('invalid grants are refused and nothing is added', async () => {
    const n = (await grants()).length;
    const base = { org_id: gpOrg.id, scopes: ['signal'], basis: 'verbal_consent', days: 30 };
    for (const [over, ptr] of [[{ days: 0 }, '/days'], [{ days: 366 }, '/days'], [{ scopes: ['foo'] }, /^\/scopes/],
      [{ basis: 'because' }, '/basis'], [{ extra: true }, '/extra']]) {
      const r = await vol.post(`/api/v1/clients/${id}/grants`, { ...base, ...over });
      assertProblem(r, 422, 'invalid-input');
      assert.ok(r.json.errors?.some((e) => (ptr instanceof RegExp ? ptr.test(e.pointer) : e.pointer === ptr)),
        `pointer ${ptr}: ${show(r)}`);
    }
    const cc = await vol.post(`/api/v1/clients/${id}/grants`, { ...base, basis: 'client_consent' });
    assert.ok([403, 422].includes(cc.status), `client_consent from a professional: ${show(cc)}`);
    const unknownOrg = await vol.post(`/api/v1/clients/${id}/grants`, { ...base, org_id: randomId(22) });
    assert.ok([404, 422].includes(unknownOrg.status), `unknown org: ${show(unknownOrg)}`);
    assert.equal((await grants()).length, n);
  });

  it('someone without access can neither add nor revoke grants (404)', async () => {
    const n = (await grants()).length;
    const coa = await demoLogin(server, 'coa_staff');
    const coaOrg = (await coa.get('/api/v1/me')).json.user.org.id;
    const add = await coa.post(`/api/v1/clients/${id}/grants`,
      { org_id: coaOrg, scopes: ['signal'], basis: 'verbal_consent', days: 30 });
    assertProblem(add, 404, 'not-found');
    const rev = await coa.del(`/api/v1/clients/${id}/grants/${gpGrant.id}`);
    assertProblem(rev, 404, 'not-found');
    assert.equal((await grants()).length, n);
    assertProblem(await coa.get(`/api/v1/clients/${id}`), 404, 'not-found');
    // a professional with access may not revoke at all (issue 5: only the client revokes)
    assertProblem(await vol.del(`/api/v1/clients/${id}/grants/${randomId(22)}`), 403, 'forbidden');
  });

  it('a professional cannot revoke (403, audited); the GP keeps access', async () => {
    // Issue 5: only the client (or a holder) revokes; tests/api/grants_client.test.mjs covers
    // the client's revocation and the org's very next request (404).
    const r = await vol.del(`/api/v1/clients/${id}/grants/${gpGrant.id}`);
    assertProblem(r, 403, 'forbidden');
    assertStatus(await gp.get(`/api/v1/clients/${id}`), 200);
    const g = (await grants()).find((x) => x.id === gpGrant.id);
    assert.equal(g.active, true);
    assert.equal(g.revoked_at, null);
    const rows = sql(server.dbPath, `SELECT action, object_type, client_pid, role, outcome
      FROM audit WHERE request_id = ${q(r.headers.get('x-request-id'))}`);
    assert.equal(rows.length, 1, `one audit row for the refusal: ${JSON.stringify(rows)}`);
    assert.equal(rows[0].action, 'access_denied');
    assert.equal(rows[0].object_type, 'grant');
    assert.equal(rows[0].client_pid, id);
    assert.notEqual(rows[0].outcome, 'success');
  });
});
