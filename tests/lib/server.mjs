// SPDX-License-Identifier: EUPL-1.2
// Start the real veerkracht binary on a temporary SQLite file and a free loopback port, and speak
// HTTP to it. Every end-to-end test (API and browser) goes through this one harness.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');

export const DEMO_PASSWORD = 'veerkracht-demo-2026';
export const demoEmail = (role) => `${role}@demo.example`;

/** Path of the binary under test: $VEERKRACHT_BIN, else the asan build, else the dev build. */
export function binaryPath() {
  if (process.env.VEERKRACHT_BIN) return resolve(process.env.VEERKRACHT_BIN);
  for (const p of ['build/asan/veerkracht', 'build/dev/veerkracht', 'build/release/veerkracht']) {
    const full = join(repoRoot, p);
    if (existsSync(full)) return full;
  }
  throw new Error('no veerkracht binary: build first or set VEERKRACHT_BIN');
}

/** Run a CLI subcommand to completion; returns {status, stdout, stderr}. */
export function runCli(args, { input } = {}) {
  const r = spawnSync(binaryPath(), args, { input, encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir() {
  return mkdtempSync(join(tmpdir(), 'veerkracht-test-'));
}

/**
 * Start `veerkracht serve` on 127.0.0.1 with port 0 and a fresh database.
 * opts.demo: seed the demo region; opts.args: extra CLI flags; opts.dir: reuse a temp dir.
 * Resolves to {url, port, dbPath, dir, proc, logs(), stop(signal)}.
 */
export async function startServer(opts = {}) {
  const dir = opts.dir ?? tempDir();
  const dbPath = join(dir, 'veerkracht.db');
  const args = ['serve', '--listen', '127.0.0.1:0', '--db', dbPath, ...(opts.args ?? [])];
  if (opts.demo) args.push('--demo');
  const proc = spawn(binaryPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start:\n${out}\n${err}`)), 30000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); res(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); rej(new Error(`server exited ${code}:\n${out}\n${err}`)); });
  });
  const exited = new Promise((res) => proc.on('exit', (code, sig) => res({ code, sig })));
  return {
    url, port: Number(new URL(url).port), dbPath, dir, proc,
    logs: () => out + err,
    exited,
    /** Stops the server; throws if a sanitizer reported anything, so no report goes unseen. */
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const r = await exited;
      if (!opts.keep && !opts.dir) rmSync(dir, { recursive: true, force: true });
      const report = (out + err).match(/(AddressSanitizer|LeakSanitizer|runtime error:)[^\n]*/);
      if (report) throw new Error(`sanitizer report from the server: ${report[0]}\n${err.slice(-4000)}`);
      return r;
    },
  };
}

/** A tiny cookie-keeping HTTP client bound to one server, with CSRF handled after login. */
export class Client {
  constructor(url) { this.url = url; this.cookie = ''; this.csrf = ''; }

  async req(method, path, { body, headers = {}, raw, origin = true, csrf = true } = {}) {
    const h = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (origin && method !== 'GET') h.origin = this.url;
    if (csrf && this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    let payload = raw;
    if (body !== undefined) { payload = JSON.stringify(body); h['content-type'] = 'application/json'; }
    const res = await fetch(this.url + path, { method, headers: h, body: payload, redirect: 'manual' });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const m = setCookie.match(/vk_session=([^;]*)/);
      if (m) this.cookie = m[1] ? `vk_session=${m[1]}` : '';
    }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { status: res.status, headers: res.headers, text, json };
  }

  async login(email, password = DEMO_PASSWORD) {
    const r = await this.req('POST', '/api/v1/session', { body: { email, password } });
    if (r.status === 200) this.csrf = r.json.csrf_token;
    return r;
  }

  get(path, o) { return this.req('GET', path, o); }
  post(path, body, o = {}) { return this.req('POST', path, { ...o, body }); }
  del(path, o) { return this.req('DELETE', path, o); }
}

/** Log in as a demo role on a server started with {demo: true}; throws unless it works. */
export async function demoLogin(server, role) {
  const c = new Client(server.url);
  const r = await c.login(demoEmail(role));
  if (r.status !== 200) throw new Error(`demo login ${role}: ${r.status} ${r.text}`);
  return c;
}

/** A valid client registration body; override fields as needed. */
export function sampleClient(over = {}) {
  return {
    year_of_birth: 1994, gender: 'female', country_of_origin: 'SY', language: 'ar',
    phase: 'coa', location: 'AZC Veerhaven', risk_flags: ['single_parent'], ...over,
  };
}
