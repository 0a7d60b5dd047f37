// SPDX-License-Identifier: EUPL-1.2
// CSRF: every state-changing request needs the server's Origin and the session's X-CSRF-Token;
// a refused request changes nothing.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, demoLogin, demoEmail, DEMO_PASSWORD, sampleClient } from '../lib/server.mjs';
import { assertProblem, assertStatus, count, show } from './_util.mjs';

describe('CSRF protection', () => {
  let server;
  let vol;
  const caseload = async () => {
    const r = await vol.get('/api/v1/clients');
    assertStatus(r, 200);
    return r.json.items.length;
  };
  const clientRows = () => count(server.dbPath, '1', 'clients');

  before(async () => {
    server = await startServer({ demo: true });
    vol = await demoLogin(server, 'volunteer');
  });
  after(async () => { await server?.stop(); });

  it('POST /clients without X-CSRF-Token is 403 csrf and creates nothing', async () => {
    const before = await caseload();
    const rows = clientRows();
    const r = await vol.req('POST', '/api/v1/clients', { body: sampleClient(), csrf: false });
    assertProblem(r, 403, 'csrf');
    assert.equal(await caseload(), before, 'caseload unchanged');
    assert.equal(clientRows(), rows, 'no client row');
  });

  it('a wrong Origin with the right token is 403 csrf', async () => {
    const before = await caseload();
    const r = await vol.req('POST', '/api/v1/clients', {
      body: sampleClient(), origin: false, headers: { origin: 'http://evil.example' },
    });
    assertProblem(r, 403, 'csrf');
    assert.equal(await caseload(), before);
  });

  it('other bad Origins (missing, null, another port, https) are refused', async () => {
    const before = await caseload();
    const u = new URL(server.url);
    const others = [undefined, 'null', `http://127.0.0.1:${Number(u.port) === 1 ? 2 : Number(u.port) - 1}`,
      `https://127.0.0.1:${u.port}`, `${server.url}.evil.example`];
    for (const o of others) {
      const headers = o === undefined ? {} : { origin: o };
      const r = await vol.req('POST', '/api/v1/clients', { body: sampleClient(), origin: false, headers });
      assertProblem(r, 403, 'csrf');
    }
    assert.equal(await caseload(), before);
  });

  it('a wrong token, or the token of another session, is refused', async () => {
    const before = await caseload();
    const bad = await vol.req('POST', '/api/v1/clients', {
      body: sampleClient(), csrf: false, headers: { 'x-csrf-token': 'x'.repeat(vol.csrf.length || 32) },
    });
    assertProblem(bad, 403, 'csrf');
    const other = await demoLogin(server, 'keyperson');
    const crossed = await vol.req('POST', '/api/v1/clients', {
      body: sampleClient(), csrf: false, headers: { 'x-csrf-token': other.csrf },
    });
    assertProblem(crossed, 403, 'csrf');
    assert.equal(await caseload(), before);
  });

  it('with the right Origin and token the same request succeeds (control)', async () => {
    const before = await caseload();
    const r = await vol.post('/api/v1/clients', sampleClient());
    assertStatus(r, 201);
    assert.equal(await caseload(), before + 1);
  });

  it('DELETE /session without the token is 403 and the session keeps working', async () => {
    const r = await vol.req('DELETE', '/api/v1/session', { csrf: false });
    assertProblem(r, 403, 'csrf');
    assertStatus(await vol.get('/api/v1/me'), 200);
    const r2 = await vol.req('DELETE', '/api/v1/session', { origin: false, headers: { origin: 'http://evil.example' } });
    assertProblem(r2, 403, 'csrf');
    assertStatus(await vol.get('/api/v1/me'), 200);
  });

  it('login with a foreign Origin is refused; without an Origin it is allowed', async () => {
    const evil = await new Client(server.url).req('POST', '/api/v1/session', {
      body: { email: demoEmail('coa_staff'), password: DEMO_PASSWORD }, origin: false,
      headers: { origin: 'http://evil.example' },
    });
    assertProblem(evil, 403, 'csrf');
    assert.ok(!(evil.headers.get('set-cookie') ?? '').match(/vk_session=[^;]+/), 'no session from a foreign origin');
    const none = await new Client(server.url).req('POST', '/api/v1/session', {
      body: { email: demoEmail('coa_staff'), password: DEMO_PASSWORD }, origin: false,
    });
    assert.equal(none.status, 200, show(none));
  });
});
