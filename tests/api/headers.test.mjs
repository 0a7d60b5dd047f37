// SPDX-License-Identifier: EUPL-1.2
// Health check, security headers on every kind of response, unknown routes, and logs that carry
// request ids but no personal data.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, demoLogin, demoEmail, sampleClient } from '../lib/server.mjs';
import { assertProblem, assertStatus, show, sleep } from './_util.mjs';

function assertSecurityHeaders(r, what, { api = false } = {}) {
  const h = (n) => r.headers.get(n) ?? '';
  const csp = h('content-security-policy');
  assert.ok(csp, `${what}: Content-Security-Policy present`);
  const dirs = Object.fromEntries(csp.split(';').map((d) => d.trim()).filter(Boolean)
    .map((d) => { const [k, ...v] = d.split(/\s+/); return [k.toLowerCase(), v]; }));
  assert.ok(dirs['default-src']?.includes("'self'"), `${what}: default-src 'self' in ${csp}`);
  assert.deepEqual(dirs['frame-ancestors'], ["'none'"], `${what}: frame-ancestors 'none' in ${csp}`);
  assert.equal(h('x-content-type-options').toLowerCase(), 'nosniff', `${what}: X-Content-Type-Options`);
  assert.equal(h('referrer-policy').toLowerCase(), 'no-referrer', `${what}: Referrer-Policy`);
  assert.equal(h('x-frame-options').toUpperCase(), 'DENY', `${what}: X-Frame-Options`);
  for (const [d, v] of [['script-src', "'self'"], ['object-src', "'none'"], ['base-uri', "'none'"]]) {
    assert.deepEqual(dirs[d], [v], `${what}: ${d} ${v} in ${csp}`);
  }
  assert.ok(!/unsafe-inline|unsafe-eval/.test(csp), `${what}: no unsafe-* in ${csp}`);
  assert.equal(h('cross-origin-opener-policy'), 'same-origin', `${what}: Cross-Origin-Opener-Policy`);
  assert.ok(h('permissions-policy'), `${what}: Permissions-Policy`);
  assert.ok(h('x-request-id'), `${what}: X-Request-Id`);
  if (api) {
    assert.match(h('cache-control'), /\bno-store\b/, `${what}: API responses carry Cache-Control: no-store`);
  }
}

describe('health, headers and logs', () => {
  let server;
  let startupLines; // whatever the server printed before any request (e.g. a demo banner)
  before(async () => {
    server = await startServer({ demo: true });
    await sleep(200);
    startupLines = new Set(server.logs().split('\n'));
  });
  after(async () => { await server?.stop(); });

  it('GET /healthz is 200 {"status":"ok"} without a login', async () => {
    const r = await new Client(server.url).get('/healthz');
    assertStatus(r, 200);
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/i);
    assert.deepEqual(r.json, { status: 'ok' });
    assert.ok(r.headers.get('x-request-id'));
  });

  it('security headers are on API answers, errors, the health check and the web root', async () => {
    const vol = await demoLogin(server, 'volunteer');
    const api = { api: true };
    assertSecurityHeaders(await vol.get('/api/v1/me'), 'GET /api/v1/me', api);
    assertSecurityHeaders(await vol.post('/api/v1/clients', sampleClient()), 'POST /api/v1/clients', api);
    assertSecurityHeaders(await new Client(server.url).get('/api/v1/me'), '401 /api/v1/me', api);
    assertSecurityHeaders(await vol.get('/api/v1/nope'), '404 /api/v1/nope', api);
    assertSecurityHeaders(await vol.post('/api/v1/clients', sampleClient({ phase: 'x' })), '422 /api/v1/clients', api);
    assertSecurityHeaders(await new Client(server.url).get('/healthz'), '/healthz');
    const root = await new Client(server.url).get('/');
    assert.ok(root.status < 500, `GET /: ${show(root)}`);
    assertSecurityHeaders(root, 'GET /');
  });

  it('unknown API paths are 404 problem+json; a wrong method is 405', async () => {
    const vol = await demoLogin(server, 'keyperson');
    assertProblem(await vol.get('/api/v1/nope'), 404, 'not-found');
    assertProblem(await vol.get('/api/v1/clients/x/y/z'), 404, 'not-found');
    assertProblem(await vol.req('PATCH', '/api/v1/clients', { body: {} }), 405, 'method-not-allowed');
  });

  it('logs have a line per request with its id, and no emails, names, phones or secrets', async () => {
    const NAME = 'Layla Logcontrole-Zuidwijk';
    const PHONE = '+31 6 9876 5432';
    const ids = [];
    const note = (r) => { ids.push(r.headers.get('x-request-id')); return r; };
    const c = new Client(server.url);
    const login = note(await c.login(demoEmail('coa_staff')));
    assertStatus(login, 200);
    note(await new Client(server.url).login('iemand.anders@voorbeeld.nl', 'geheim-wachtwoord-123'));
    const reg = note(await c.post('/api/v1/clients', sampleClient({ name: NAME, phone: PHONE })));
    assertStatus(reg, 201);
    note(await c.get(`/api/v1/clients/${reg.json.id}`));
    note(await c.get('/api/v1/clients'));
    note(await c.get('/api/v1/nope'));
    note(await c.post('/api/v1/clients', sampleClient({ name: NAME, year_of_birth: 1800 })));
    note(await c.get('/healthz'));
    const cookie = c.cookie.replace(/^vk_session=/, '');
    const csrf = c.csrf;
    assertStatus(note(await c.del('/api/v1/session')), 204);

    assert.ok(ids.every(Boolean), 'every response has X-Request-Id');
    assert.equal(new Set(ids).size, ids.length, 'request ids are unique');

    // Give the server a moment to flush, then look (stop it if lines still seem buffered).
    const hasAll = () => ids.every((id) => server.logs().includes(id));
    for (let i = 0; i < 20 && !hasAll(); i++) await sleep(100);
    if (!hasAll()) await server.stop();
    const lines = server.logs().split('\n').filter((l) => !startupLines.has(l));
    const logs = lines.join('\n');
    for (const id of ids) {
      assert.ok(lines.some((l) => l.includes(id)), `a log line with request id ${id}\n--- logs ---\n${logs.slice(-3000)}`);
    }
    assert.doesNotMatch(logs, /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/, 'no email addresses in the logs');
    for (const secret of [NAME, 'Logcontrole', PHONE, 'geheim-wachtwoord-123', 'veerkracht-demo-2026', cookie, csrf]) {
      assert.ok(!logs.includes(secret), `log must not contain ${secret.slice(0, 12)}…`);
    }
  });
});
