// SPDX-License-Identifier: EUPL-1.2
// Consent in the client's hands (issue 5): a professional may only request a grant (no access until
// the client accepts) or record verbal consent (active, unconfirmed, for the client to confirm or
// revoke); only the client accepts, creates, narrows, extends and revokes; professionals get 403;
// a revocation is effective on the organisation's very next request; a parent holding a child's
// dossier acts for the child (only while switched to it); everything is audited.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, demoLogin, sampleClient } from '../lib/server.mjs';
import { assertProblem, assertStatus, sql, q, show, sorted, randomId, DAY_MS } from './_util.mjs';
import { clientSession } from './_dossier.mjs';

const patch = (c, path, body) => c.req('PATCH', path, { body });

describe('grants in the client\'s hands', () => {
  let server;
  let vol;
  let gp;
  let ggz;
  let me; // the client's own session (card + PIN)
  let pid;
  let other; // another client's pid
  const orgs = {};

  const auditOf = (r) => sql(server.dbPath, `SELECT action, object_type, object_id, client_pid, role, outcome
    FROM audit WHERE request_id = ${q(r.headers.get('x-request-id'))} ORDER BY id`);
  const grants = async (c = me) => {
    const r = await c.get(`/api/v1/clients/${pid}/grants`);
    assertStatus(r, 200);
    return r.json.items;
  };
  const one = async (gid) => (await grants()).find((g) => g.id === gid);

  before(async () => {
    server = await startServer({ demo: true });
    vol = await demoLogin(server, 'volunteer');
    gp = await demoLogin(server, 'gp');
    ggz = await demoLogin(server, 'ggz');
    for (const [k, c] of [['vol', vol], ['gp', gp], ['ggz', ggz]]) {
      orgs[k] = (await c.get('/api/v1/me')).json.user.org.id;
    }
    let r = await vol.post('/api/v1/clients', sampleClient({ name: 'Selam Consent', language: 'ti' }));
    assertStatus(r, 201);
    pid = r.json.id;
    r = await vol.post('/api/v1/clients', sampleClient({ name: 'Other Person' }));
    other = r.json.id;
    me = await clientSession(server, vol, pid);
  });
  after(async () => { await server?.stop(); });

  let gpReq;
  it('a professional request gives no access until the client accepts it', async () => {
    const r = await vol.post(`/api/v1/clients/${pid}/grants`,
      { org_id: orgs.gp, scopes: ['signal', 'referral'], basis: 'request', days: 30, purpose: 'referral' });
    assertStatus(r, 201);
    gpReq = r.json.id;
    assert.equal(r.json.state, 'requested');
    assert.equal(r.json.active, false);
    assert.equal(r.json.purpose, 'referral');
    assert.equal(r.json.requested_by.role, 'volunteer');
    assert.deepEqual(auditOf(r).map((a) => [a.action, a.object_id, a.outcome]), [['grant_request', gpReq, 'success']]);
    assertProblem(await gp.get(`/api/v1/clients/${pid}`), 404, 'not-found');
    assert.ok(!(await gp.get('/api/v1/clients')).json.items.some((x) => x.id === pid), 'not in caseload');
    const listed = await one(gpReq);
    assert.equal(listed?.state, 'requested', JSON.stringify(listed));

    // the professional cannot accept it for the client
    const self = await vol.post(`/api/v1/clients/${pid}/grants/${gpReq}/accept`);
    assertProblem(self, 403, 'forbidden');
    assert.equal(auditOf(self)[0]?.action, 'access_denied');
    assertProblem(await gp.get(`/api/v1/clients/${pid}`), 404, 'not-found');

    const acc = await me.post(`/api/v1/clients/${pid}/grants/${gpReq}/accept`);
    assertStatus(acc, 200);
    assert.equal(acc.json.id, gpReq, 'the grant keeps the request id');
    assert.equal(acc.json.state, 'active');
    assert.equal(acc.json.confirmed, true);
    assert.equal(acc.json.source, 'client');
    assert.ok(Math.abs(Date.parse(acc.json.expires_at) - Date.now() - 30 * DAY_MS) < 3600e3);
    assert.deepEqual(auditOf(acc).map((a) => [a.action, a.role, a.client_pid]), [['grant_accept', 'client', pid]]);
    const g = await gp.get(`/api/v1/clients/${pid}`);
    assertStatus(g, 200);
    assert.deepEqual(sorted(g.json.scopes), ['referral', 'signal']);
    // accepting twice: no second grant
    assert.ok([404, 409].includes((await me.post(`/api/v1/clients/${pid}/grants/${gpReq}/accept`)).status));
    assert.equal((await grants()).filter((x) => x.id === gpReq).length, 1);
  });

  it('the client can decline a request; nothing is granted', async () => {
    const r = await vol.post(`/api/v1/clients/${pid}/grants`,
      { org_id: orgs.ggz, scopes: ['signal'], basis: 'request', days: 10 });
    assertStatus(r, 201);
    const d = await me.del(`/api/v1/clients/${pid}/grants/${r.json.id}`);
    assertStatus(d, 204);
    assert.equal(auditOf(d)[0]?.action, 'grant_decline');
    assert.equal((await one(r.json.id))?.state, 'declined');
    assertProblem(await ggz.get(`/api/v1/clients/${pid}`), 404, 'not-found');
    assertProblem(await me.post(`/api/v1/clients/${pid}/grants/${r.json.id}/accept`), 404, 'not-found');
  });

  let ggzVerbal;
  it('verbal consent is active at once but unconfirmed; the client confirms it', async () => {
    const r = await vol.post(`/api/v1/clients/${pid}/grants`,
      { org_id: orgs.ggz, scopes: ['signal'], basis: 'verbal_consent', days: 14 });
    assertStatus(r, 201);
    ggzVerbal = r.json.id;
    assert.equal(r.json.state, 'active');
    assert.equal(r.json.source, 'verbal');
    assert.equal(r.json.confirmed, false);
    assertStatus(await ggz.get(`/api/v1/clients/${pid}`), 200);
    const c = await me.post(`/api/v1/clients/${pid}/grants/${ggzVerbal}/accept`);
    assertStatus(c, 200);
    assert.equal(c.json.confirmed, true);
    assert.equal(auditOf(c)[0]?.action, 'grant_confirm');
    assert.equal((await one(ggzVerbal)).confirmed, true);
    assertProblem(await me.post(`/api/v1/clients/${pid}/grants/${ggzVerbal}/accept`), 409, 'conflict');
  });

  it('the registration grant is shown to the client as unconfirmed', async () => {
    const reg = (await grants()).find((g) => g.basis === 'registered_in_person');
    assert.ok(reg, 'registration grant listed');
    assert.equal(reg.confirmed, false);
    assert.equal(reg.source, 'registration');
  });

  it('the client narrows (fewer scopes) and extends (later, capped); the org sees it at once', async () => {
    const n = await patch(me, `/api/v1/clients/${pid}/grants/${gpReq}`, { scopes: ['signal'] });
    assertStatus(n, 200);
    assert.deepEqual(n.json.scopes, ['signal']);
    assert.deepEqual(auditOf(n).map((a) => a.action), ['grant_narrow']);
    assert.deepEqual((await gp.get(`/api/v1/clients/${pid}`)).json.scopes, ['signal']);

    for (const [body, ptr] of [[{ scopes: ['signal', 'clinical'] }, '/scopes'], [{ scopes: ['signal'] }, '/scopes'],
      [{ scopes: [] }, '/scopes'], [{ days: 1 }, '/days'], [{ days: 366 }, '/days'], [{ days: 0 }, '/days'],
      [{ extra: 1 }, '/extra'], [{}, '']]) {
      const bad = await patch(me, `/api/v1/clients/${pid}/grants/${gpReq}`, body);
      assertProblem(bad, 422, 'invalid-input');
      assert.ok(bad.json.errors?.some((e) => e.pointer === ptr), `${JSON.stringify(body)} → ${ptr}: ${show(bad)}`);
    }
    const e = await patch(me, `/api/v1/clients/${pid}/grants/${gpReq}`, { days: 200 });
    assertStatus(e, 200);
    assert.ok(Math.abs(Date.parse(e.json.expires_at) - Date.now() - 200 * DAY_MS) < 3600e3, e.json.expires_at);
    assert.deepEqual(auditOf(e).map((a) => a.action), ['grant_extend']);
    assert.deepEqual(e.json.scopes, ['signal'], 'extending keeps the narrowed scopes');
  });

  it('a professional cannot create client consent, change or revoke (403, audited)', async () => {
    const before = JSON.stringify(await grants());
    const tries = [
      await vol.post(`/api/v1/clients/${pid}/grants`, { org_id: orgs.gp, scopes: ['signal'], basis: 'client_consent', days: 30 }),
      await patch(vol, `/api/v1/clients/${pid}/grants/${gpReq}`, { days: 300 }),
      await patch(vol, `/api/v1/clients/${pid}/grants/${gpReq}`, { scopes: ['signal'] }),
      await gp.del(`/api/v1/clients/${pid}/grants/${gpReq}`),
      await vol.del(`/api/v1/clients/${pid}/grants/${ggzVerbal}`),
    ];
    for (const r of tries) {
      assertProblem(r, 403, 'forbidden');
      const a = auditOf(r);
      assert.equal(a.length, 1, JSON.stringify(a));
      assert.equal(a[0].action, 'access_denied');
      assert.equal(a[0].client_pid, pid);
    }
    assert.equal(JSON.stringify(await grants()), before, 'nothing changed');
    // without access it stays 404, as for any other client
    assertProblem(await gp.del(`/api/v1/clients/${other}/grants/${randomId(32)}`), 404, 'not-found');
  });

  it('the client cannot record verbal consent or requests, nor touch another dossier', async () => {
    const v = await me.post(`/api/v1/clients/${pid}/grants`, { org_id: orgs.gp, scopes: ['signal'], basis: 'verbal_consent', days: 5 });
    assertProblem(v, 422, 'invalid-input');
    const rq = await me.post(`/api/v1/clients/${pid}/grants`, { org_id: orgs.gp, scopes: ['signal'], basis: 'request', days: 5 });
    assertProblem(rq, 422, 'invalid-input');
    assertProblem(await me.get(`/api/v1/clients/${other}/grants`), 404, 'not-found');
    assertProblem(await me.post(`/api/v1/clients/${other}/grants`,
      { org_id: orgs.gp, scopes: ['signal'], basis: 'client_consent', days: 5 }), 404, 'not-found');
  });

  it('the client creates a grant of their own (confirmed at once)', async () => {
    const r = await me.post(`/api/v1/clients/${pid}/grants`,
      { org_id: orgs.ggz, scopes: ['clinical'], basis: 'client_consent', days: 20, purpose: 'care' });
    assertStatus(r, 201);
    assert.equal(r.json.confirmed, true);
    assert.equal(r.json.source, 'client');
    assert.equal(auditOf(r)[0]?.action, 'grant_add');
    assert.deepEqual(sorted((await ggz.get(`/api/v1/clients/${pid}`)).json.scopes), ['clinical', 'signal']);
  });

  it("the client's revocation is effective on the organisation's very next request", async () => {
    assertStatus(await gp.get(`/api/v1/clients/${pid}`), 200);
    const r = await me.del(`/api/v1/clients/${pid}/grants/${gpReq}`);
    assertStatus(r, 204);
    assert.deepEqual(auditOf(r).map((a) => [a.action, a.object_id, a.role, a.outcome]),
      [['grant_revoke', gpReq, 'client', 'success']]);
    assertProblem(await gp.get(`/api/v1/clients/${pid}`), 404, 'not-found');
    assert.ok(!(await gp.get('/api/v1/clients')).json.items.some((x) => x.id === pid));
    const g = await one(gpReq);
    assert.equal(g.state, 'revoked');
    assert.ok([404, 409].includes((await me.del(`/api/v1/clients/${pid}/grants/${gpReq}`)).status));
    assert.ok([404, 409].includes((await patch(me, `/api/v1/clients/${pid}/grants/${gpReq}`, { days: 50 })).status));
  });

  it('a parent holding a child\'s dossier manages the child\'s grants; not while on their own', async () => {
    const kid = await vol.post('/api/v1/clients', sampleClient({ name: 'Kind Consent', year_of_birth: 2016 }));
    assertStatus(kid, 201);
    const child = kid.json.id;
    assertStatus(await vol.post(`/api/v1/clients/${child}/holders`, { holder_client: pid, relation: 'parent' }), 201);
    const g = await vol.post(`/api/v1/clients/${child}/grants`,
      { org_id: orgs.gp, scopes: ['signal'], basis: 'verbal_consent', days: 30 });
    assertStatus(g, 201);
    assertStatus(await gp.get(`/api/v1/clients/${child}`), 200);
    // the parent's session is on their own dossier: the child's grants are not reachable
    assertProblem(await me.del(`/api/v1/clients/${child}/grants/${g.json.id}`), 404, 'not-found');
    assertStatus(await me.post('/api/v1/session/dossier', { pid: child }), 200);
    const c = await me.post(`/api/v1/clients/${child}/grants/${g.json.id}/accept`);
    assertStatus(c, 200);
    assert.equal(c.json.confirmed, true);
    const r = await me.del(`/api/v1/clients/${child}/grants/${g.json.id}`);
    assertStatus(r, 204);
    assert.deepEqual(auditOf(r).map((a) => [a.action, a.client_pid, a.role]), [['grant_revoke', child, 'client']]);
    assertProblem(await gp.get(`/api/v1/clients/${child}`), 404, 'not-found');
    // and now the parent's own dossier is out of reach until they switch back
    assertProblem(await me.get(`/api/v1/clients/${pid}/grants`), 404, 'not-found');
    assertStatus(await me.post('/api/v1/session/dossier', { pid }), 200);
  });

  it('the client reads who looked, with organisation and role', async () => {
    const r = await me.get(`/api/v1/clients/${pid}/access-log`);
    assertStatus(r, 200);
    const gpRead = r.json.items.find((e) => e.role === 'gp' && e.action === 'read');
    assert.ok(gpRead, show(r));
    assert.equal(typeof gpRead.org, 'string');
    assert.ok(r.json.items.some((e) => e.action === 'grant_revoke' && e.role === 'client'));
    assert.ok(r.json.items.some((e) => e.action === 'access_denied' && e.role === 'gp'), 'refusals are listed');
  });
});
