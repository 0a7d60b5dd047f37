// SPDX-License-Identifier: EUPL-1.2
// Graceful shutdown under load: SIGTERM mid-burst exits 0, leaves a sound database, and every
// registration that was answered 201 is really stored (and audited).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer, demoLogin, runCli, tempDir, sampleClient } from '../lib/server.mjs';
import { sql, sleep } from './_util.mjs';

const TOTAL = 300;
const IN_FLIGHT = 16;
const SIGNAL_AFTER = 100;

describe('graceful shutdown', () => {
  let dir;
  let server;
  const results = [];
  let exit;
  let signalledAt = 0;

  before(async () => {
    dir = tempDir();
    server = await startServer({ demo: true, dir });
  });
  after(async () => {
    await server?.stop('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('SIGTERM during a burst of registrations exits 0 without losing answered writes', async (t) => {
    const vol = await demoLogin(server, 'volunteer');
    const headers = {
      cookie: vol.cookie, origin: server.url, 'x-csrf-token': vol.csrf, 'content-type': 'application/json',
    };
    let next = 0;
    let answered = 0;
    let inFlightAtSignal = [];
    const inFlight = new Set();
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        inFlight.add(i);
        const res = { i, startedAfterSignal: signalledAt > 0 };
        try {
          const r = await fetch(`${server.url}/api/v1/clients`, {
            method: 'POST', headers, body: JSON.stringify(sampleClient({ year_of_birth: 1950 + (i % 60) })),
            signal: AbortSignal.timeout(30000),
          });
          res.status = r.status;
          res.text = await r.text();
          if (r.status === 201) res.id = JSON.parse(res.text).id;
        } catch (e) {
          res.error = e.cause?.code ?? e.name ?? String(e);
        }
        inFlight.delete(i);
        res.answeredBeforeSignal = signalledAt === 0;
        results.push(res);
        answered++;
        if (answered >= SIGNAL_AFTER && !signalledAt) {
          signalledAt = Date.now();
          inFlightAtSignal = [...inFlight];
          server.proc.kill('SIGTERM');
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    exit = await Promise.race([server.exited, sleep(30000).then(() => ({ timeout: true }))]);
    const exitMs = Date.now() - signalledAt;

    const ok = results.filter((r) => r.status === 201);
    const failed = results.filter((r) => r.error);
    const other = results.filter((r) => !r.error && r.status !== 201);
    const flight = results.filter((r) => inFlightAtSignal.includes(r.i));
    t.diagnostic(`201: ${ok.length}, connection errors: ${failed.length}, other: ${other.length}; ` +
      `in flight at SIGTERM: ${flight.length} (${flight.filter((r) => r.status === 201).length} answered 201); ` +
      `exit ${JSON.stringify(exit)} ${exitMs} ms after SIGTERM`);

    assert.equal(results.length, TOTAL);
    assert.ok(!exit.timeout, 'server exited within 30 s of SIGTERM');
    assert.equal(exit.sig, null, `exited by itself, not killed by a signal: ${JSON.stringify(exit)}`);
    assert.equal(exit.code, 0);
    // Before the signal the server was healthy under this load. (A request in flight at SIGTERM
    // may still lose its connection if the server had not read it yet; that is allowed.)
    const early = results.filter((r) => r.answeredBeforeSignal);
    assert.ok(early.length >= SIGNAL_AFTER - 1 && early.every((r) => r.status === 201),
      `all answers before the signal were 201: ${JSON.stringify(early.filter((r) => r.status !== 201).slice(0, 3))}`);
    assert.ok(ok.length >= SIGNAL_AFTER - IN_FLIGHT, `at least ~100 registrations answered 201: ${ok.length}`);
    for (const r of other) {
      assert.ok(r.status === 503, `during shutdown only 201, 503 or a dropped connection: ${r.status} ${r.text}`);
    }

    const integrity = sql(server.dbPath, 'PRAGMA integrity_check');
    assert.deepEqual(integrity.map((x) => Object.values(x)[0]), ['ok']);
    const stored = new Set(sql(server.dbPath, 'SELECT pid FROM clients').map((x) => x.pid));
    const lost = ok.filter((r) => !stored.has(r.id));
    assert.equal(lost.length, 0, `answered 201 but not stored: ${lost.map((r) => r.id).join(', ')}`);
    const audited = new Set(sql(server.dbPath, "SELECT client_pid FROM audit WHERE action = 'create'").map((x) => x.client_pid));
    const unaudited = ok.filter((r) => !audited.has(r.id));
    assert.equal(unaudited.length, 0, `stored without a create audit row: ${unaudited.length}`);

    const v = runCli(['audit', 'verify', '--db', server.dbPath]);
    assert.equal(v.status, 0, `audit chain intact after concurrent writes: ${v.stdout} ${v.stderr}`);
  });

  it('SIGINT on an idle server also exits 0', async () => {
    const s = await startServer();
    const r = await s.stop('SIGINT');
    assert.deepEqual(r, { code: 0, sig: null });
  });
});
