// SPDX-License-Identifier: EUPL-1.2
// Who may record which grant: a professional can share only scopes within their own ceiling,
// and organisations that give no care (the platform, client accounts) can never be grantees.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, demoLogin, sampleClient } from '../lib/server.mjs';

let server, vol, orgs;

before(async () => {
  server = await startServer({ demo: true });
  vol = await demoLogin(server, 'volunteer');
  orgs = (await vol.get('/api/v1/orgs')).json.items;
});
after(() => server.stop());

const orgOfKind = (kind) => orgs.find((o) => o.kind === kind).id;

test('a volunteer cannot record consent for the clinical scope, a GP can', async () => {
  const c = (await vol.post('/api/v1/clients', sampleClient())).json;
  const r = await vol.post(`/api/v1/clients/${c.id}/grants`, {
    org_id: orgOfKind('basic_ggz'), scopes: ['signal', 'clinical'], basis: 'verbal_consent', days: 30,
  });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.errors[0].pointer, '/scopes');
  const grants = (await vol.get(`/api/v1/clients/${c.id}/grants`)).json.items;
  assert.equal(grants.length, 1, 'nothing was stored');
  const ok = await vol.post(`/api/v1/clients/${c.id}/grants`, {
    org_id: orgOfKind('basic_ggz'), scopes: ['signal'], basis: 'verbal_consent', days: 30,
  });
  assert.equal(ok.status, 201, ok.text);
  // the GP practice gets signal access; its GP may then record clinical consent for the GGZ
  await vol.post(`/api/v1/clients/${c.id}/grants`, {
    org_id: orgOfKind('gp_practice'), scopes: ['signal'], basis: 'verbal_consent', days: 30,
  });
  const gp = await demoLogin(server, 'gp');
  const byGp = await gp.post(`/api/v1/clients/${c.id}/grants`, {
    org_id: orgOfKind('basic_ggz'), scopes: ['clinical'], basis: 'verbal_consent', days: 30,
  });
  assert.equal(byGp.status, 201, byGp.text);
});

test('the platform and client-account organisations cannot be granted access', async () => {
  const c = (await vol.post('/api/v1/clients', sampleClient())).json;
  for (const kind of ['platform', 'client_accounts']) {
    const r = await vol.post(`/api/v1/clients/${c.id}/grants`, {
      org_id: orgOfKind(kind), scopes: ['signal'], basis: 'verbal_consent', days: 30,
    });
    assert.equal(r.status, 422, `${kind}: ${r.text}`);
    assert.equal(r.json.errors[0].pointer, '/org_id');
  }
});

test('422 problems say that fields are invalid', async () => {
  const r = await vol.post('/api/v1/clients', sampleClient({ year_of_birth: 1800 }));
  assert.equal(r.status, 422);
  assert.equal(r.json.detail, 'One or more fields are invalid.');
});
