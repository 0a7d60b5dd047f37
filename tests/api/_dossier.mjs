// SPDX-License-Identifier: EUPL-1.2
// Helpers shared by the dossier tests that look at the disk (encryption.test.mjs: the canary and
// swap tests; erasure.test.mjs: what an erasure leaves). Not a test file itself: the name does
// not match the runner's *.test.mjs pattern.
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Client } from '../lib/server.mjs';
import { assertStatus } from './_util.mjs';

// the demo's GP practice and its POH-GGZ service (tests/api/referrals.test.mjs)
export const POH_DE_LINDE = '302b670b-0e4f-5c1f-a377-a0a9e3208ab9';
export const DE_LINDE = 'Huisartsenpraktijk De Linde (fictief)';

/** Logs the client of dossier pid in with a fresh card (the client's own session). The card's
 * code and PIN are kept on the client as .code and .pin. */
export async function clientSession(server, vol, pid) {
  const card = await vol.post(`/api/v1/clients/${pid}/card`);
  assertStatus(card, 201);
  const c = new Client(server.url);
  const login = await c.post('/api/v1/session/card', { code: card.json.code, new_pin: '583920' });
  assertStatus(login, 200);
  c.csrf = login.json.csrf_token;
  c.code = card.json.code;
  c.pin = '583920';
  return c;
}

/** A grant of the client for De Linde and a referral to its POH-GGZ, sent; returns its id. */
export async function referToDeLinde(vol, pid, body = {}) {
  const orgs = Object.fromEntries((await vol.get('/api/v1/orgs')).json.items.map((o) => [o.name, o.id]));
  assertStatus(await vol.post(`/api/v1/clients/${pid}/grants`,
    { org_id: orgs[DE_LINDE], scopes: ['signal', 'referral'], basis: 'verbal_consent', days: 30 }), 201);
  const r = await vol.post('/api/v1/referrals', { client_id: pid, service_id: POH_DE_LINDE, scopes: [], ...body });
  assertStatus(r, 201);
  return r;
}

export const marker = () => `CANARY${randomBytes(8).toString('hex')}`;

/** Where a string (as UTF-8) or bytes occur in a file; -1 when they do not, or no file. */
export function findIn(path, s) {
  if (!existsSync(path)) return -1;
  return readFileSync(path).indexOf(Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8'));
}

/** Every file of the database: main file, WAL and shared-memory index. */
export const dbFiles = (db) => [db, `${db}-wal`, `${db}-shm`];

/** The JSON text the server seals for an answers object (jansson compact, sorted keys). */
export const compactSorted = (o) => JSON.stringify(Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1))));
