// SPDX-License-Identifier: EUPL-1.2
// The demo shows a referral in flight (src/demo/demo.c, docs/referrals.md §1): `serve --demo`
// seeds one referral by the volunteer of the second client (Tigrinya, Lindedal) to POH-GGZ De
// Linde, with the client's verbal consent recorded as a grant for the practice, audited like the
// route map's refer button, sent three working days back so that it is overdue ("not received")
// on the volunteer's and the coordinator's worklists. The first client stays without it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, demoLogin } from '../lib/server.mjs';
import { sql, q, count, assertStatus, show, sorted, DAY_MS } from './_util.mjs';

const POH_DE_LINDE = '302b670b-0e4f-5c1f-a377-a0a9e3208ab9';
const DE_LINDE = 'Huisartsenpraktijk De Linde (fictief)';
const VOLUNTEER_ORG = 'Vluchtelingenwerk Veerhaven (fictief)';

/** t plus n working days (Monday to Friday, UTC), as docs/referrals.md §4 defines them. */
function addWorkingDays(t, n) {
  let left = n;
  let at = t;
  while (left > 0) {
    at += DAY_MS;
    const wd = new Date(at).getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return at;
}

describe('demo: a referral in flight', () => {
  let server;
  let vol;
  let poh;
  let coord;
  let orgs;
  let second; // the Tigrinya client in Lindedal
  let first; // the Arabic client at AZC Veerhaven
  let item; // the POH-GGZ's inbox item

  before(async () => {
    server = await startServer({ demo: true });
    vol = await demoLogin(server, 'volunteer');
    poh = await demoLogin(server, 'poh_ggz');
    coord = await demoLogin(server, 'coordinator');
    orgs = Object.fromEntries((await vol.get('/api/v1/orgs')).json.items.map((o) => [o.name, o.id]));
    const list = (await vol.get('/api/v1/clients')).json.items;
    second = list.find((c) => c.language === 'ti').id;
    first = list.find((c) => c.language === 'ar').id;
  });
  after(async () => { await server?.stop(); });

  it('the startup output names the inbox', () => {
    assert.match(server.logs(), /POH-GGZ inbox: 1 referral/);
  });

  it('the POH-GGZ inbox of De Linde holds exactly that referral, with what it needs to act', async () => {
    const r = await poh.get('/api/v1/referrals?role=receiver');
    assertStatus(r, 200);
    assert.equal(r.json.items.length, 1, show(r));
    item = r.json.items[0];
    assert.equal(item.client_id, second);
    assert.equal(item.state, 'sent');
    assert.equal(item.level, 'L1');
    assert.equal(item.service.id, POH_DE_LINDE);
    assert.equal(item.to.name, DE_LINDE);
    assert.equal(item.to.id, orgs[DE_LINDE]);
    assert.equal(item.from.name, VOLUNTEER_ORG);
    assert.deepEqual(sorted(item.scopes), ['referral', 'signal']);
    assert.equal(item.interpreter, true);
    assert.equal(item.interpreter_language, 'ti');
    assert.equal(item.client.language, 'ti');
    assert.deepEqual(item.allowed_transitions, ['received']);
    // the note is the one the sender wrote (and reads back), Dutch and marked fictional
    const sent = await vol.get(`/api/v1/referrals/${item.id}`);
    assertStatus(sent, 200);
    assert.ok(item.handover_note, 'the receiver may read the note: its access covers signal');
    assert.equal(item.handover_note, sent.json.handover_note);
    assert.match(item.handover_note, /fictief/);
    assert.ok(Buffer.byteLength(item.handover_note) <= 1000);
    const stored = sql(server.dbPath, `SELECT typeof(handover_note) AS t, instr(handover_note, ${q(item.handover_note)}) AS plain
      FROM referrals WHERE uid = ${q(item.id)}`);
    assert.deepEqual(stored, [{ t: 'blob', plain: 0 }], 'the note is sealed with the client\'s key');
    // the sender's own list has it too, and nothing else was seeded
    const out = await vol.get('/api/v1/referrals?role=sender');
    assert.deepEqual(out.json.items.map((i) => i.id), [item.id]);
    assert.equal(count(server.dbPath, '1', 'referrals'), 1);
  });

  it('the client\'s verbal consent is a grant for De Linde, and both steps are audited', async () => {
    const gs = (await vol.get(`/api/v1/clients/${second}/grants`)).json.items
      .filter((g) => g.org?.id === orgs[DE_LINDE]);
    assert.equal(gs.length, 1, JSON.stringify(gs));
    const g = gs[0];
    assert.deepEqual(sorted(g.scopes), sorted(item.scopes), 'exactly the shared scopes');
    assert.equal(g.basis, 'verbal_consent');
    assert.equal(g.purpose, 'referral');
    assert.equal(g.active, true);
    const days = (Date.parse(g.expires_at) - Date.parse(g.created_at)) / DAY_MS;
    assert.ok(Math.abs(days - 90) < 0.01, `${days} days, as the route map's refer button`);
    const volUid = sql(server.dbPath, "SELECT uid FROM users WHERE email = 'volunteer@demo.example'")[0].uid;
    const rows = (where) => sql(server.dbPath, `SELECT user_id, role, org_id, client_pid, outcome FROM audit
      WHERE ${where}`);
    const want = [{ user_id: volUid, role: 'volunteer', org_id: orgs[VOLUNTEER_ORG], client_pid: second, outcome: 'success' }];
    assert.deepEqual(rows(`action = 'grant_add' AND object_type = 'grant' AND object_id = ${q(g.id)}`), want);
    assert.deepEqual(rows(`action = 'create' AND object_type = 'referral' AND object_id = ${q(item.id)}`), want);
    // the timeline: one event, the creation as sent, at the sending moment
    const tl = await vol.get(`/api/v1/clients/${second}/referrals`);
    assertStatus(tl, 200);
    assert.equal(tl.json.items.length, 1);
    assert.deepEqual(tl.json.items[0].transitions.map((t) => [t.kind, t.from, t.to, t.at]),
      [['transition', null, 'sent', item.sent_at]]);
  });

  it('it was sent days ago and is overdue (not received) on the volunteer\'s and the coordinator\'s worklists', async () => {
    const sentAt = Date.parse(item.sent_at);
    const due = addWorkingDays(sentAt, 2);
    assert.ok(due < Date.now(), `sent ${item.sent_at}: more than 2 working days ago`);
    assert.ok(Date.now() - sentAt < 7 * DAY_MS, 'within the L1 first-contact target of 7 days');
    assert.equal(Date.parse(item.due_at), due);
    assert.equal(item.overdue, true);
    assert.equal(item.overdue_reason, 'not_received');
    for (const c of [vol, coord]) {
      const w = await c.get('/api/v1/worklist');
      assertStatus(w, 200);
      const mine = w.json.referrals.filter((i) => i.id === item.id);
      assert.equal(mine.length, 1, show(w));
      assert.equal(mine[0].overdue_reason, 'not_received');
      assert.equal(mine[0].sent_at, item.sent_at);
      assert.equal(mine[0].due_at, item.due_at);
      assert.ok(!w.text.includes(item.handover_note), 'facts only, no handover note');
    }
    // the receiver is not the sender: not on the POH-GGZ's worklist
    assert.ok((await poh.get('/api/v1/worklist')).json.referrals.every((i) => i.id !== item.id));
  });

  it('the first client has no referral and no grant for De Linde', async () => {
    const tl = await vol.get(`/api/v1/clients/${first}/referrals`);
    assertStatus(tl, 200);
    assert.deepEqual(tl.json.items, []);
    const gs = (await vol.get(`/api/v1/clients/${first}/grants`)).json.items;
    assert.ok(gs.every((g) => g.org?.id !== orgs[DE_LINDE]), JSON.stringify(gs));
  });
});
