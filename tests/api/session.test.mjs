// SPDX-License-Identifier: EUPL-1.2
// Sessions: login, cookie attributes, uniform bad-credentials answer, logout, idle and absolute
// expiry, and that the session token is only stored hashed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { startServer, Client, demoEmail } from '../lib/server.mjs';
import { assertProblem, assertStatus, bodyWithoutIds, sql, sleep, show } from './_util.mjs';

function sessionCookieHeader(r) {
  const all = r.headers.getSetCookie ? r.headers.getSetCookie() : [r.headers.get('set-cookie') ?? ''];
  return all.find((c) => /^\s*vk_session=/.test(c));
}
const attrs = (cookie) => cookie.split(';').slice(1).map((s) => s.trim());

describe('sessions', () => {
  let server;
  before(async () => { server = await startServer({ demo: true }); });
  after(async () => { await server?.stop(); });

  it('login sets a HttpOnly, SameSite=Strict, Path=/ cookie (no Secure on plain http) and returns a CSRF token', async () => {
    const c = new Client(server.url);
    const r = await c.login(demoEmail('volunteer'));
    assertStatus(r, 200);
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/i);
    const cookie = sessionCookieHeader(r);
    assert.ok(cookie, `Set-Cookie vk_session present: ${r.headers.get('set-cookie')}`);
    const a = attrs(cookie);
    const lower = a.map((x) => x.toLowerCase());
    assert.ok(lower.includes('httponly'), `HttpOnly in ${cookie}`);
    assert.ok(lower.includes('samesite=strict'), `SameSite=Strict in ${cookie}`);
    assert.ok(lower.includes('path=/'), `Path=/ in ${cookie}`);
    assert.ok(!lower.includes('secure'), `no Secure on plain http: ${cookie}`);
    assert.ok(c.cookie.length > 'vk_session='.length + 16, 'session cookie has a substantial value');

    assert.equal(typeof r.json.csrf_token, 'string');
    assert.ok(r.json.csrf_token.length >= 16, 'csrf_token is substantial');
    const u = r.json.user;
    assert.equal(u.email, demoEmail('volunteer'));
    assert.equal(u.role, 'volunteer');
    assert.equal(typeof u.id, 'string');
    assert.equal(u.org.name, 'Vluchtelingenwerk Veerhaven (fictief)');
    assert.equal(typeof u.org.id, 'string');
    assert.equal(typeof u.org.kind, 'string');
    assert.equal(typeof u.org.region, 'string');
    assert.ok(!('password_hash' in u) && !('password' in u), 'no password material in USER');

    const me = await c.get('/api/v1/me');
    assertStatus(me, 200);
    assert.equal(me.json.user.id, u.id);
    assert.equal(me.json.user.email, u.email);
    assert.equal(me.json.user.org.id, u.org.id);
    assert.equal(typeof me.json.csrf_token, 'string');
    assert.ok(me.json.csrf_token.length >= 16);
    assert.equal(me.json.session.idle_timeout, 900, 'default idle timeout is 900 s');
    const exp = Date.parse(me.json.session.expires_at);
    assert.ok(Number.isFinite(exp), `expires_at is ISO: ${me.json.session.expires_at}`);
    const hours = (exp - Date.now()) / 3600e3;
    assert.ok(hours > 11.5 && hours <= 12.05, `expires_at about 12 h ahead, got ${hours.toFixed(2)} h`);
  });

  it('GET /me without a session is 401 unauthenticated', async () => {
    const r = await new Client(server.url).get('/api/v1/me');
    assertProblem(r, 401, 'unauthenticated');
  });

  it('wrong password and unknown email get the very same 401 bad-credentials answer', async () => {
    const wrong = await new Client(server.url).login(demoEmail('keyperson'), 'not-the-password-at-all');
    assertProblem(wrong, 401, 'bad-credentials');
    assert.equal(typeof wrong.json.detail, 'string', `detail present: ${show(wrong)}`);
    assert.equal(wrong.json.status, 401);
    const sc = sessionCookieHeader(wrong);
    assert.ok(!sc || /^vk_session=;/.test(sc), `no session cookie on failure: ${sc}`);

    const unknown = await new Client(server.url).login('nobody-here@demo.example', 'not-the-password-at-all');
    assertProblem(unknown, 401, 'bad-credentials');
    assert.equal(bodyWithoutIds(unknown), bodyWithoutIds(wrong),
      'body identical (but for its own request id) for unknown account and wrong password');
    assert.equal(unknown.headers.get('content-type'), wrong.headers.get('content-type'));
    assert.equal(unknown.headers.has('set-cookie'), wrong.headers.has('set-cookie'));

    // A malformed email is the same answer too (no "no such user" / "invalid email" distinction).
    const odd = await new Client(server.url).login('no-at-sign', 'not-the-password-at-all');
    assert.ok([400, 401, 422].includes(odd.status), show(odd));
  });

  it('unknown email costs about as much time as a wrong password (no timing oracle)', async () => {
    const time = async (email) => {
      const t0 = performance.now();
      const r = await new Client(server.url).login(email, 'still-not-the-password');
      assert.equal(r.status, 401, show(r));
      return performance.now() - t0;
    };
    // keyperson now has 1 failure; 2 more stay below the default throttle of 5.
    const wrong = Math.min(await time(demoEmail('keyperson')), await time(demoEmail('keyperson')));
    const unknown = Math.min(await time('ghost-1@demo.example'), await time('ghost-2@demo.example'));
    assert.ok(unknown >= wrong * 0.3,
      `unknown email answered in ${unknown.toFixed(1)} ms vs ${wrong.toFixed(1)} ms for a wrong password`);
  });

  it('logout is 204, clears the cookie, and the old cookie no longer works', async () => {
    const c = new Client(server.url);
    assertStatus(await c.login(demoEmail('coa_staff')), 200);
    const oldCookie = c.cookie;
    assertStatus(await c.get('/api/v1/me'), 200);
    const out = await c.del('/api/v1/session');
    assertStatus(out, 204);
    const sc = sessionCookieHeader(out);
    assert.ok(sc, 'logout sends a Set-Cookie for vk_session');
    assert.ok(/^vk_session=;/.test(sc) || /max-age=0/i.test(sc) || /expires=thu, 01 jan 1970/i.test(sc),
      `cookie cleared: ${sc}`);

    const replay = new Client(server.url);
    replay.cookie = oldCookie;
    assertProblem(await replay.get('/api/v1/me'), 401, 'unauthenticated');
    // and it cannot be used for a state-changing request either
    replay.csrf = 'whatever';
    const again = await replay.del('/api/v1/session');
    assert.ok([401, 403].includes(again.status), show(again));
  });

  it('the session token is not stored raw in the database', async () => {
    const c = new Client(server.url);
    assertStatus(await c.login(demoEmail('gp')), 200);
    const value = c.cookie.replace(/^vk_session=/, '');
    assert.ok(value.length >= 16);
    const rows = sql(server.dbPath, 'SELECT hex(token_hash) AS h FROM sessions');
    assert.ok(rows.length >= 1, 'sessions table has rows');
    const forms = new Set([Buffer.from(value).toString('hex').toUpperCase(), value.toUpperCase()]);
    // The raw token bytes, whichever text encoding the cookie uses.
    let decoded = null;
    if (/^([0-9a-f]{2})+$/i.test(value)) decoded = Buffer.from(value, 'hex');
    else { try { decoded = Buffer.from(value, 'base64url'); } catch { decoded = null; } }
    if (decoded && decoded.length >= 16) forms.add(decoded.toString('hex').toUpperCase());
    if (/^[0-9a-f]+$/i.test(value)) forms.add(value.toUpperCase());
    for (const { h } of rows) {
      for (const f of forms) assert.ok(!h.includes(f) && !(h.length >= 32 && f.includes(h)), `token stored raw: ${h}`);
    }
    // Nowhere in the database files either (any table, any encoding above).
    for (const f of [server.dbPath, `${server.dbPath}-wal`]) {
      if (!existsSync(f)) continue;
      const bytes = readFileSync(f);
      assert.equal(bytes.indexOf(Buffer.from(value)), -1, `cookie value found in ${f}`);
      if (decoded && decoded.length >= 16) assert.equal(bytes.indexOf(decoded), -1, `raw token bytes found in ${f}`);
    }
  });
});

describe('session idle timeout (--session-idle 2)', () => {
  let server;
  before(async () => { server = await startServer({ demo: true, args: ['--session-idle', '2'] }); });
  after(async () => { await server?.stop(); });

  it('activity keeps the session alive; 3 s of silence ends it', async () => {
    const c = new Client(server.url);
    assertStatus(await c.login(demoEmail('volunteer')), 200);
    const me = await c.get('/api/v1/me');
    assertStatus(me, 200);
    assert.equal(me.json.session.idle_timeout, 2);
    // Touch every 0.7 s for ~4 s: longer than the idle timeout in total, so only a sliding idle
    // window keeps it alive.
    for (let i = 0; i < 6; i++) {
      await sleep(700);
      assertStatus(await c.get('/api/v1/me'), 200);
    }
    await sleep(3500);
    assertProblem(await c.get('/api/v1/me'), 401, 'unauthenticated');
    // stays dead even when touched again
    assertProblem(await c.get('/api/v1/me'), 401, 'unauthenticated');
  });
});

describe('session absolute lifetime (--session-max 3 --session-idle 60)', () => {
  let server;
  before(async () => { server = await startServer({ demo: true, args: ['--session-max', '3', '--session-idle', '60'] }); });
  after(async () => { await server?.stop(); });

  it('a session touched every 0.7 s still ends after 3 s in all', async () => {
    const c = new Client(server.url);
    const tBefore = Date.now();
    assertStatus(await c.login(demoEmail('volunteer')), 200);
    const tAfter = Date.now();
    const seen = [];
    let expiresAt = null;
    while (Date.now() - tAfter < 5000) {
      const r = await c.get('/api/v1/me');
      seen.push({ since: Date.now() - tBefore, sinceAfter: Date.now() - tAfter, status: r.status });
      if (r.status === 200 && expiresAt === null) expiresAt = Date.parse(r.json.session.expires_at);
      if (r.status !== 200) assertProblem(r, 401, 'unauthenticated');
      await sleep(700);
    }
    const log = JSON.stringify(seen);
    assert.ok(expiresAt !== null, `session worked right after login: ${log}`);
    assert.ok(Math.abs(expiresAt - (tBefore + 3000)) < 2500, `expires_at about login + 3 s: ${new Date(expiresAt).toISOString()}`);
    for (const s of seen) if (s.since < 1500) assert.equal(s.status, 200, `alive early on: ${log}`);
    for (const s of seen) if (s.sinceAfter > 4200) assert.equal(s.status, 401, `ended after 3 s (+1 s slack): ${log}`);
    const first401 = seen.findIndex((s) => s.status === 401);
    assert.ok(first401 > 0, `ended at some point: ${log}`);
    assert.ok(seen.slice(first401).every((s) => s.status === 401), `stays ended: ${log}`);
  });
});
