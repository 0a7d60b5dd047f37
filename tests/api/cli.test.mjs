// SPDX-License-Identifier: EUPL-1.2
// The command line: help, migrations, adding users (with password rules), unknown commands.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, Client, runCli, tempDir, binaryPath } from '../lib/server.mjs';
import { assertProblem, assertStatus } from './_util.mjs';

const schema = (db) => spawnSync('sqlite3', ['-readonly', db, '.schema'], { encoding: 'utf8' }).stdout;
const out = (r) => `exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

describe('command line', () => {
  let dir;
  let db;
  before(() => { dir = tempDir(); db = join(dir, 'veerkracht.db'); });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('--help works on the binary and on every subcommand', () => {
    const top = runCli(['--help']);
    assert.equal(top.status, 0, out(top));
    assert.match(top.stdout, /usage/i, out(top));
    for (const sub of ['serve', 'migrate', 'user', 'audit']) assert.match(top.stdout, new RegExp(`\\b${sub}\\b`), `top help names ${sub}`);
    for (const args of [['serve'], ['migrate'], ['user'], ['user', 'add'], ['audit'], ['audit', 'verify']]) {
      const r = runCli([...args, '--help']);
      assert.equal(r.status, 0, `${args.join(' ')} --help: ${out(r)}`);
      assert.match(r.stdout, /usage/i, `${args.join(' ')} --help prints usage: ${out(r)}`);
    }
    const serve = runCli(['serve', '--help']);
    for (const opt of ['listen', 'db', 'max-body', 'session-idle', 'session-max', 'login-throttle-after',
      'login-delay-ms', 'login-lock-after', 'login-lock-seconds', 'ip-lock-after', 'config', 'demo']) {
      assert.match(serve.stdout, new RegExp(`(^|[\\s\\[])(--)?${opt}\\b`, 'm'), `serve --help mentions ${opt}`);
    }
  });

  it('an unknown subcommand or option fails with a message', () => {
    const r = runCli(['frobnicate']);
    assert.notEqual(r.status, 0, out(r));
    assert.ok(r.stderr.trim().length > 0, 'says why on stderr');
    const s = spawnSync(binaryPath(), ['serve', '--listen', '127.0.0.1:0', '--db', join(dir, 'x.db'), '--no-such-option'],
      { encoding: 'utf8', timeout: 15000 });
    assert.ok(s.status !== null && s.status !== 0, `serve with an unknown option must exit non-zero: ${out(s)}`);
    assert.ok(s.stderr.trim().length > 0);
  });

  it('migrate applies the schema once; running it again is a no-op', () => {
    const r1 = runCli(['migrate', '--db', db]);
    assert.equal(r1.status, 0, out(r1));
    const s1 = schema(db);
    assert.match(s1, /CREATE TABLE/i);
    const r2 = runCli(['migrate', '--db', db]);
    assert.equal(r2.status, 0, out(r2));
    assert.match(r2.stdout + r2.stderr, /nothing|no (pending |new )?migrations?|up[ -]to[ -]date|\b0 (migrations? )?applied/i, out(r2));
    assert.equal(schema(db), s1, 'schema unchanged by the second run');
    const v = runCli(['audit', 'verify', '--db', db]);
    assert.equal(v.status, 0, out(v));
    assert.match(v.stdout, /audit: \d+ rows ok/);
  });

  const add = (email, password, role = 'volunteer') => runCli(['user', 'add', '--db', db, '--org',
    'Testorganisatie Veerhaven', '--org-kind', 'volunteer_org', '--region', 'Veerhaven', '--role', role,
    '--email', email], { input: `${password}\n` });

  it('user add: good passwords are accepted, weak ones, bad roles and duplicates refused', () => {
    const ok = add('nieuw@example.org', 'Een-lang-wachtwoord-42');
    assert.equal(ok.status, 0, out(ok));
    const twelve = runCli(['user', 'add', '--db', db, '--org', 'Testorganisatie Veerhaven', '--role', 'keyperson',
      '--email', 'twaalf@example.org'], { input: 'Zq8!mWx2#pLv\n' });
    assert.equal(twelve.status, 0, `12 characters is enough, existing org reused: ${out(twelve)}`);

    for (const [what, r] of [
      ['common password', add('zwak@example.org', 'password1234')],
      ['11 characters', add('kort@example.org', 'Zq8!mWx2#pL')],
      ['empty password', add('leeg@example.org', '')],
      ['unknown role', add('rol@example.org', 'Een-lang-wachtwoord-43', 'wizard')],
      ['duplicate email', add('nieuw@example.org', 'Een-ander-wachtwoord-44')],
    ]) {
      assert.notEqual(r.status, 0, `${what} must be refused: ${out(r)}`);
      assert.ok(r.stderr.trim().length > 0, `${what}: a message on stderr`);
      assert.ok(!r.stderr.includes('Een-'), `${what}: the password is not echoed`);
    }
  });

  describe('logging in as the added users', () => {
    let server;
    before(async () => { server = await startServer({ dir }); });
    after(async () => { await server?.stop(); });

    it('the added users can log in; refused ones do not exist', async () => {
      const c = new Client(server.url);
      const r = await c.login('nieuw@example.org', 'Een-lang-wachtwoord-42');
      assertStatus(r, 200);
      assert.equal(r.json.user.role, 'volunteer');
      assert.equal(r.json.user.org.name, 'Testorganisatie Veerhaven');
      assert.equal(r.json.user.org.kind, 'volunteer_org');
      assert.equal(r.json.user.org.region, 'Veerhaven');
      const k = await new Client(server.url).login('twaalf@example.org', 'Zq8!mWx2#pLv');
      assertStatus(k, 200);
      assert.equal(k.json.user.role, 'keyperson');
      assert.equal(k.json.user.org.id, r.json.user.org.id, 'same organisation');
      assertProblem(await new Client(server.url).login('zwak@example.org', 'password1234'), 401, 'bad-credentials');
      assertProblem(await new Client(server.url).login('nieuw@example.org', 'Een-ander-wachtwoord-44'), 401, 'bad-credentials');
    });
  });
});
