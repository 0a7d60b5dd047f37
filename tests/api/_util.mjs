// SPDX-License-Identifier: EUPL-1.2
// Small helpers shared by the API end-to-end tests (not a test file itself: the name does not
// match the runner's *.test.mjs pattern). The server harness lives in tests/lib/server.mjs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

export const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

/** Quote a string as an SQL literal. */
export const q = (s) => `'${String(s).replaceAll("'", "''")}'`;

/**
 * Run one query with the sqlite3 CLI and return the rows as objects (read-only by default, so it
 * is safe next to a running server: WAL lets readers in while the server writes).
 */
export function sql(dbPath, query, { readonly = true } = {}) {
  const args = [...(readonly ? ['-readonly'] : []), '-json', '-cmd', '.timeout 5000', dbPath, query];
  const r = spawnSync('sqlite3', args, { encoding: 'utf8', timeout: 30000 });
  if (r.status !== 0) throw new Error(`sqlite3 exited ${r.status}: ${r.stderr}\nquery: ${query}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

/** Run sqlite3 read-write without throwing; returns {status, stdout, stderr}. */
export function sqlExec(dbPath, script) {
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', dbPath, script], { encoding: 'utf8', timeout: 30000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const count = (dbPath, where = '1', table = 'audit') =>
  sql(dbPath, `SELECT count(*) AS n FROM ${table} WHERE ${where}`)[0].n;

/** Describe a response for assertion messages. */
export const show = (r) => `${r.status} ${r.headers.get('content-type') ?? ''} ${r.text.slice(0, 500)}`;

/** Assert an RFC 9457 problem response with the given status and type slug. */
export function assertProblem(r, status, slug) {
  assert.equal(r.status, status, `expected ${status} ${slug}, got ${show(r)}`);
  assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json\b/i,
    `problem content-type: ${show(r)}`);
  assert.ok(r.json && typeof r.json === 'object', `problem body is a JSON object: ${show(r)}`);
  assert.equal(typeof r.json.type, 'string', `problem.type: ${show(r)}`);
  assert.ok(r.json.type.endsWith(`/problems/${slug}`), `problem.type should end /problems/${slug}: ${show(r)}`);
  assert.equal(r.json.status, status, `problem.status: ${show(r)}`);
  assert.equal(typeof r.json.title, 'string', `problem.title: ${show(r)}`);
  assert.ok(r.headers.get('x-request-id'), 'every response carries X-Request-Id');
  assert.equal(r.json.request_id, r.headers.get('x-request-id'), `problem.request_id = X-Request-Id: ${show(r)}`);
}

/**
 * A response body with its own request id blanked out (problem bodies may repeat the
 * X-Request-Id as a `request_id` member; it must then equal the header) and any further strings.
 */
export function bodyWithoutIds(r, other = []) {
  const rid = r.headers.get('x-request-id');
  if (r.json && typeof r.json === 'object' && 'request_id' in r.json) {
    assert.equal(r.json.request_id, rid, 'request_id in the body equals X-Request-Id');
  }
  let t = rid ? r.text.replaceAll(rid, '{request_id}') : r.text;
  for (const s of other) t = t.replaceAll(s, '{id}');
  return t;
}

/** Assert a 2xx/3xx/4xx status with a helpful message. */
export function assertStatus(r, status) {
  assert.equal(r.status, status, `expected ${status}, got ${show(r)}`);
}

/** Sorted copy, for comparing scope sets. */
export const sorted = (a) => [...a].sort();

/** A random base64url id of n characters that certainly names no client. */
export function randomId(n = 22) {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let s = '';
  for (let i = 0; i < n; i++) s += abc[Math.floor(Math.random() * abc.length)];
  return s;
}

export const DAY_MS = 24 * 3600 * 1000;

/** A tiny valid PCM WAV: 16-bit mono 16 kHz, n samples of a quiet tone. */
export function wavBytes(n = 1600) {
  const b = Buffer.alloc(44 + 2 * n);
  b.write('RIFF', 0); b.writeUInt32LE(36 + 2 * n, 4); b.write('WAVE', 8);
  b.write('fmt ', 12); b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22);
  b.writeUInt32LE(16000, 24); b.writeUInt32LE(32000, 28); b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34);
  b.write('data', 36); b.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(2000 * Math.sin(i / 8)), 44 + 2 * i);
  return b;
}

