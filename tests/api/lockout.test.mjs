// SPDX-License-Identifier: EUPL-1.2
// Login throttling and lockout, per account and per source address, with no difference between
// existing and unknown accounts.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, demoEmail, DEMO_PASSWORD } from '../lib/server.mjs';
import { assertProblem, assertStatus, bodyWithoutIds, sql, sleep, show } from './_util.mjs';

const WRONG = 'definitely-wrong-password';
const login = (server, email, password) => new Client(server.url).login(email, password);
const retryAfter = (r) => {
  const v = r.headers.get('retry-after');
  assert.match(v ?? '', /^\d+$/, `Retry-After is whole seconds: ${v} (${show(r)})`);
  return Number(v);
};
// Compare two problem answers with their request ids and any numbers (seconds to wait) blanked out.
const shape = (r) => ({
  status: r.status,
  ctype: r.headers.get('content-type'),
  hasRetryAfter: r.headers.has('retry-after'),
  body: bodyWithoutIds(r).replace(/\d+/g, '#'),
});

/**
 * Walk one email through throttling into lockout. `lastPassword` is used for the final attempt
 * (the correct one for a real account). Returns every answer, labelled.
 */
async function walk(server, email, lastPassword) {
  const out = {};
  out.f1 = await login(server, email, WRONG);
  out.f2 = await login(server, email, WRONG);
  out.f3 = await login(server, email, WRONG);
  out.throttled = await login(server, email, WRONG); // immediately: must wait 200 ms first
  await sleep(Math.max(1000 * retryAfter(out.throttled), 300) + 100);
  out.f4 = await login(server, email, WRONG); // waited: checked again, and wrong
  await sleep(1100); // more than the doubled delay (400 ms)
  out.f5 = await login(server, email, WRONG); // 5th failure: now locked for 60 s
  out.locked = await login(server, email, WRONG);
  await sleep(2000); // longer than any throttle delay at this count; a lock lasts 60 s
  out.lockedRight = await login(server, email, lastPassword);
  return out;
}

describe('login throttling and lockout (throttle after 3, 200 ms, lock after 5 for 60 s)', () => {
  let server;
  let known;
  let unknown;
  before(async () => {
    server = await startServer({
      demo: true,
      args: ['--login-throttle-after', '3', '--login-delay-ms', '200', '--login-lock-after', '5',
        '--login-lock-seconds', '60'],
    });
  });
  after(async () => { await server?.stop(); });

  it('an existing account: 3 failures, then a wait, then lockout that refuses even the right password', async () => {
    known = await walk(server, demoEmail('volunteer'), DEMO_PASSWORD);
    for (const k of ['f1', 'f2', 'f3']) assertProblem(known[k], 401, 'bad-credentials');
    assertProblem(known.throttled, 429, 'login-throttled');
    const ra = retryAfter(known.throttled);
    assert.ok(ra >= 1 && ra <= 2, `throttle Retry-After about the 200 ms delay (rounded up): ${ra}`);
    assertProblem(known.f4, 401, 'bad-credentials');
    assertProblem(known.f5, 401, 'bad-credentials');
    assertProblem(known.locked, 429, 'login-throttled');
    const lra = retryAfter(known.locked);
    assert.ok(lra >= 30 && lra <= 60, `lock Retry-After about 60 s: ${lra}`);
    assertProblem(known.lockedRight, 429, 'login-throttled');
    const rra = retryAfter(known.lockedRight);
    assert.ok(rra >= 30 && rra <= 60, `still locked for the correct password: ${rra}`);
    assert.ok(!known.lockedRight.headers.has('set-cookie') ||
      /^vk_session=;/.test(known.lockedRight.headers.get('set-cookie')), 'no session while locked');
  });

  it('an unknown email walked the same way gets the same answers (no existence leak)', async () => {
    unknown = await walk(server, 'no-such-person@demo.example', 'some-other-password-42');
    for (const k of ['f1', 'f2', 'f3', 'throttled', 'f4', 'f5', 'locked', 'lockedRight']) {
      assert.deepEqual(shape(unknown[k]), shape(known[k]), `step ${k}: unknown ${show(unknown[k])} vs known ${show(known[k])}`);
    }
    assert.ok(Math.abs(retryAfter(unknown.locked) - retryAfter(known.locked)) <= 15,
      'similar lock durations');
  });

  it('failed logins are audited as login_failed with the source address', () => {
    const rows = sql(server.dbPath, "SELECT * FROM audit WHERE action = 'login_failed'");
    assert.ok(rows.length >= 5, `at least the 5 checked failures of the real account: ${rows.length}`);
    for (const r of rows) {
      assert.ok(r.source_addr && String(r.source_addr).includes('127.0.0.1'), `source_addr: ${JSON.stringify(r)}`);
      assert.ok(r.at, 'at filled');
    }
    const success = sql(server.dbPath, "SELECT count(*) AS n FROM audit WHERE action = 'login'")[0].n;
    assert.equal(success, 0, 'no successful login was recorded for the locked account');
  });

  it('another account from the same address still logs in', async () => {
    const r = await login(server, demoEmail('gp'), DEMO_PASSWORD);
    assertStatus(r, 200);
    assert.equal(r.json.user.email, demoEmail('gp'));
  });
});

describe('per-address lockout (--ip-lock-after 4)', () => {
  let server;
  before(async () => { server = await startServer({ demo: true, args: ['--ip-lock-after', '4'] }); });
  after(async () => { await server?.stop(); });

  it('failures spread over many emails lock the source address, even for a correct login', async () => {
    for (let i = 0; i < 4; i++) {
      assertProblem(await login(server, `spray-${i}@demo.example`, WRONG), 401, 'bad-credentials');
    }
    const r = await login(server, demoEmail('gp'), DEMO_PASSWORD);
    assertProblem(r, 429, 'login-throttled');
    assert.ok(retryAfter(r) >= 1);
    // A client-supplied X-Forwarded-For must not get around it (no proxy is configured).
    const c = new Client(server.url);
    const spoof = await c.req('POST', '/api/v1/session', {
      body: { email: demoEmail('gp'), password: DEMO_PASSWORD }, headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    assertProblem(spoof, 429, 'login-throttled');
  });
});
