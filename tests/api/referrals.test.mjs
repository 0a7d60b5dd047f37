// SPDX-License-Identifier: EUPL-1.2
// Referrals over HTTP on the demo region (docs/referrals.md): refused without the receiving
// organisation's consent grant (nothing written), the receiving organisation sees only what is
// addressed to it, every step has its audit row, illegal transitions answer 409 with the allowed
// ones, the client answers from their own session, and an aged referral is on the worklist.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, demoLogin, sampleClient, Client } from '../lib/server.mjs';
import { sql, sqlExec, q, count, assertProblem, assertStatus, show, sorted, DAY_MS } from './_util.mjs';

const POH_DE_LINDE = '302b670b-0e4f-5c1f-a377-a0a9e3208ab9';
const DE_LINDE = 'Huisartsenpraktijk De Linde (fictief)';
const BASIS_GGZ = 'Basis-GGZ Veerhaven (fictief)';

describe('referrals', () => {
  let server;
  let vol;
  let gp;
  let ggz;
  let coord;
  let client;
  let pid;
  let orgs;
  let rid;

  const grant = async (orgName, scopes) => {
    const r = await vol.post(`/api/v1/clients/${pid}/grants`,
      { org_id: orgs[orgName], scopes, basis: 'verbal_consent', days: 30 });
    assertStatus(r, 201);
  };
  const refer = (over = {}) => vol.post('/api/v1/referrals', {
    client_id: pid, service_id: POH_DE_LINDE, scopes: ['signal'],
    handover_note: 'GEHEIM-OVERDRACHT: slaapt slecht sinds de overtocht', interpreter: true,
    interpreter_language: 'ar', ...over,
  });
  const step = (c, id, body) => c.post(`/api/v1/referrals/${id}/transitions`, body);
  const auditRows = (action, id) =>
    count(server.dbPath, `object_type = 'referral' AND action = ${q(action)} AND object_id = ${q(id)}`);

  before(async () => {
    server = await startServer({ demo: true });
    vol = await demoLogin(server, 'volunteer');
    gp = await demoLogin(server, 'gp');
    ggz = await demoLogin(server, 'ggz');
    coord = await demoLogin(server, 'coordinator');
    orgs = Object.fromEntries((await vol.get('/api/v1/orgs')).json.items.map((o) => [o.name, o.id]));
    const r = await vol.post('/api/v1/clients', sampleClient({ year_of_birth: 1990 }));
    assertStatus(r, 201);
    pid = r.json.id;
  });
  after(async () => { await server?.stop(); });

  it('a referral without the receiving organisation\'s grant is refused (409) and nothing is written', async () => {
    const auditBefore = count(server.dbPath);
    const refsBefore = count(server.dbPath, '1', 'referrals'); // the demo seeds one
    const eventsBefore = count(server.dbPath, '1', 'referral_events');
    const r = await refer();
    assertProblem(r, 409, 'conflict');
    assert.match(r.json.detail, /De Linde/, show(r));
    assert.match(r.json.detail, /signal, referral/, show(r));
    assert.equal(count(server.dbPath, '1', 'referrals'), refsBefore);
    assert.equal(count(server.dbPath, '1', 'referral_events'), eventsBefore);
    assert.equal(count(server.dbPath), auditBefore, 'no audit row rides along with a refusal');
    // a grant that covers referral but not the shared signal scope is not enough either
    await grant(DE_LINDE, ['referral']);
    const partial = await refer();
    assertProblem(partial, 409, 'conflict');
    assert.match(partial.json.detail, /signal/);
    assert.equal(count(server.dbPath, '1', 'referrals'), refsBefore);
  });

  it('with the grant the volunteer refers to POH-GGZ De Linde (201, audited once)', async () => {
    await grant(DE_LINDE, ['signal', 'referral']);
    const r = await refer({ joint_contact: { with: 'vrijwilliger, cliënt, POH-GGZ', mode: 'in_person', interpreter: true } });
    assertStatus(r, 201);
    rid = r.json.id;
    assert.equal(r.json.state, 'sent');
    assert.equal(r.json.client_id, pid);
    assert.equal(r.json.to.name, DE_LINDE);
    assert.equal(r.json.service.id, POH_DE_LINDE);
    assert.deepEqual(sorted(r.json.scopes), ['referral', 'signal']);
    assert.equal(r.json.joint_contact.mode, 'in_person');
    assert.equal(r.json.overdue, false);
    assert.ok(Date.parse(r.json.due_at) > Date.now());
    assert.deepEqual(r.json.transitions.map((t) => t.to), ['sent']);
    assert.equal(auditRows('create', rid), 1);
    assert.equal(r.json.handover_note, 'GEHEIM-OVERDRACHT: slaapt slecht sinds de overtocht');
    assert.equal(r.json.joint_contact.with, 'vrijwilliger, cliënt, POH-GGZ');
    // the free text is sealed (docs/dossier.md §3): BLOBs, never the words
    assert.equal(count(server.dbPath, `uid = ${q(rid)} AND typeof(handover_note) = 'blob'
      AND typeof(contact_with) = 'blob' AND hex(substr(handover_note, 1, 5)) = '0100000001'`, 'referrals'), 1);
    assert.equal(count(server.dbPath, `CAST(handover_note AS TEXT) LIKE '%GEHEIM%'
      OR CAST(contact_with AS TEXT) LIKE '%vrijwilliger%'`, 'referrals'), 0);
  });

  it('bad input is refused with pointers, nothing written', async () => {
    const n = count(server.dbPath, '1', 'referrals');
    const r = await refer({ service_id: 'no-such-service', scopes: ['telepathy'], joint_contact: { mode: 'pigeon' } });
    assertProblem(r, 422, 'invalid-input');
    const ptrs = r.json.errors.map((e) => e.pointer);
    assert.ok(ptrs.includes('/scopes/0'), show(r));
    const mode = await refer({ joint_contact: { mode: 'pigeon' } });
    assertProblem(mode, 422, 'invalid-input');
    assert.equal(mode.json.errors[0].pointer, '/joint_contact/mode');
    const unknown = await refer({ service_id: 'no-such-service' });
    assertProblem(unknown, 422, 'invalid-input');
    assert.equal(unknown.json.errors[0].pointer, '/service_id');
    // a volunteer cannot share clinical: it is outside their own access
    const clinical = await refer({ scopes: ['clinical'] });
    assertProblem(clinical, 422, 'invalid-input');
    assert.equal(count(server.dbPath, '1', 'referrals'), n);
  });

  it('the receiving organisation sees the referral in its inbox with what it needs; another does not', async () => {
    await grant(BASIS_GGZ, ['signal', 'referral']); // access to the client, but not addressed
    const inbox = await gp.get('/api/v1/referrals?role=receiver');
    assertStatus(inbox, 200);
    const item = inbox.json.items.find((i) => i.id === rid);
    assert.ok(item, show(inbox));
    assert.deepEqual(item.client, { pseudonym: pid, age_group: '27_64', language: 'ar' });
    assert.equal(item.interpreter, true);
    assert.equal(item.interpreter_language, 'ar');
    assert.match(item.handover_note, /GEHEIM-OVERDRACHT/);
    assert.deepEqual(item.allowed_transitions, ['received']);
    const other = await ggz.get('/api/v1/referrals?role=receiver');
    assertStatus(other, 200);
    assert.ok(!other.json.items.some((i) => i.id === rid), 'Basis-GGZ does not see it');
    assertProblem(await ggz.get(`/api/v1/referrals/${rid}`), 404, 'not-found');
    assertProblem(await step(ggz, rid, { to: 'received' }), 404, 'not-found');
    assert.ok(count(server.dbPath, `action = 'access_denied' AND object_type = 'referral' AND outcome = 'denied'`) >= 2);
    const sent = await vol.get('/api/v1/referrals?role=sender&state=sent');
    assert.ok(sent.json.items.some((i) => i.id === rid));
    assert.ok((await vol.get('/api/v1/referrals?role=sender&state=accepted')).json.items.every((i) => i.id !== rid));
    assertProblem(await vol.get('/api/v1/referrals?role=boss'), 400, 'bad-request');
    assertProblem(await vol.get('/api/v1/referrals?role=sender&state=lost'), 400, 'bad-request');
  });

  it('illegal transitions answer 409 naming the allowed ones; the wrong side 403', async () => {
    const before = count(server.dbPath, '1', 'referral_events');
    const r = await step(gp, rid, { to: 'completed', reason: 'care_started' });
    assertProblem(r, 409, 'conflict');
    assert.match(r.json.detail, /from sent to completed/);
    assert.match(r.json.detail, /received/);
    const side = await step(vol, rid, { to: 'received' });
    assertProblem(side, 403, 'forbidden');
    assert.match(side.json.detail, /receiving/);
    assertProblem(await step(gp, rid, { to: 'teleported' }), 422, 'invalid-input');
    assert.equal(count(server.dbPath, '1', 'referral_events'), before);
    assert.equal(sql(server.dbPath, `SELECT state FROM referrals WHERE uid = ${q(rid)}`)[0].state, 'sent');
  });

  it('the GP practice walks the life cycle; each step is one event and one audit row', async () => {
    const steps = [
      [{ to: 'received' }],
      [{ to: 'waitlisted' }, 422], // weeks are required
      [{ to: 'waitlisted', weeks: 3, note: 'plek over drie weken' }],
      [{ to: 'declined', reason: 'bored' }, 422],
      [{ to: 'accepted' }],
      [{ to: 'first_contact_planned', contact: { mode: 'phone', at: '2026-12-01T10:00:00Z', with: 'POH-GGZ en cliënt', interpreter: true } }],
      [{ to: 'first_contact_done', note: 'kennismaking gehad' }],
      [{ to: 'completed', reason: 'care_started' }],
      [{ to: 'cancelled' }, 409],
    ];
    for (const [body, status = 200] of steps) {
      const r = await step(gp, rid, body);
      assert.equal(r.status, status, `${body.to}: ${show(r)}`);
      if (status === 200) assert.equal(r.json.state, body.to);
    }
    assert.equal(auditRows('update', rid), 6);
    const tl = await vol.get(`/api/v1/clients/${pid}/referrals`);
    assertStatus(tl, 200);
    const mine = tl.json.items.find((i) => i.id === rid);
    assert.deepEqual(mine.transitions.map((t) => t.to),
      ['sent', 'received', 'waitlisted', 'accepted', 'first_contact_planned', 'first_contact_done', 'completed']);
    assert.equal(mine.transitions[2].note, 'plek over drie weken');
    assert.equal(mine.joint_contact.with, 'POH-GGZ en cliënt');
    assert.equal(count(server.dbPath, `note IS NOT NULL AND (typeof(note) != 'blob' OR uid IS NULL)`, 'referral_events'), 0);
    assert.equal(count(server.dbPath, `CAST(note AS TEXT) LIKE '%drie weken%'`, 'referral_events'), 0);
    assert.equal(mine.transitions[1].by.role, 'gp');
    assert.equal(mine.transitions[1].by.org.name, DE_LINDE);
    assert.equal(mine.reason, 'care_started');
    assert.equal(mine.joint_contact.mode, 'phone');
    assert.equal(mine.overdue, false);
  });

  it('the client answers from their own session: could not go marks it for a new offer', async () => {
    const card = await vol.post(`/api/v1/clients/${pid}/card`);
    assertStatus(card, 201);
    client = new Client(server.url);
    const login = await client.post('/api/v1/session/card', { code: card.json.code, new_pin: '583920' });
    assertStatus(login, 200);
    client.csrf = login.json.csrf_token;
    const r2 = await refer({ scopes: [] });
    assertStatus(r2, 201);
    const id2 = r2.json.id;
    assertProblem(await client.post(`/api/v1/referrals/${id2}/client-answer`, { went: false }), 422, 'invalid-input');
    assertProblem(await vol.post(`/api/v1/referrals/${id2}/client-answer`, { went: true }), 403, 'forbidden');
    assertProblem(await step(client, id2, { to: 'cancelled' }), 403, 'forbidden');
    const no = await client.post(`/api/v1/referrals/${id2}/client-answer`, { went: false, reason: 'geen geld voor de bus' });
    assertStatus(no, 200);
    assert.equal(no.json.client_answer, 'could_not_go');
    assert.equal(no.json.needs_new_offer, true);
    assert.equal(no.json.state, 'sent', 'the answer is an event, not a transition');
    assert.equal(auditRows('update', id2), 1);
    const seen = await vol.get(`/api/v1/referrals/${id2}`);
    assert.equal(seen.json.needs_new_offer, true);
    assert.deepEqual(seen.json.transitions.map((t) => [t.kind, t.reason, t.note]),
      [['transition', null, null], ['client_answer', 'could_not_go', 'geen geld voor de bus']]);
    const mine = await client.get(`/api/v1/clients/${pid}/referrals`);
    assertStatus(mine, 200);
    assert.equal(mine.json.items.length, 2);
    const yes = await client.post(`/api/v1/referrals/${rid}/client-answer`, { went: true });
    assertStatus(yes, 200);
    assert.equal(yes.json.client_answer, 'went');
    assert.equal(yes.json.needs_new_offer, false);
  });

  it('a referral not received within 2 working days is on the sender\'s and the coordinator\'s worklist', async () => {
    const r = await refer({ scopes: [] });
    assertStatus(r, 201);
    const id = r.json.id;
    const fresh = await vol.get('/api/v1/worklist');
    assertStatus(fresh, 200);
    assert.ok(!fresh.json.referrals.some((i) => i.id === id), 'a fresh referral is not overdue');
    // the server has no clock to wind on, so age the referral by 5 days (at least 3 working days, within the L1 target of 7)
    const aged = sqlExec(server.dbPath, `UPDATE referrals SET sent_at = sent_at - ${5 * DAY_MS},
      created_at = created_at - ${5 * DAY_MS} WHERE uid = ${q(id)}`);
    assert.equal(aged.status, 0, aged.stderr);
    for (const c of [vol, coord]) {
      const w = await c.get('/api/v1/worklist');
      assertStatus(w, 200);
      const item = w.json.referrals.find((i) => i.id === id);
      assert.ok(item, show(w));
      assert.equal(item.overdue_reason, 'not_received');
      assert.ok(Date.parse(item.due_at) < Date.now());
      assert.ok(!w.text.includes('GEHEIM'), 'facts only, no free text');
    }
    assert.ok((await gp.get('/api/v1/worklist')).json.referrals.every((i) => i.id !== id),
      'the receiver of another region? no: the GP practice is not the sender');
    const got = await step(gp, id, { to: 'received' });
    assertStatus(got, 200);
    assert.ok((await vol.get('/api/v1/worklist')).json.referrals.every((i) => i.id !== id),
      'received and within the first-contact target: off the worklist');
  });
});

// Re-referral keeps the history (docs/referrals.md §6): a new referral names the one it follows
// up (`replaces`), the old one says who followed it up (`replaced_by`) and gets an event, a "could
// not go" flag is cleared; a referral still going well, of another client, of another
// organisation or already followed up is refused at /replaces with nothing written.
describe('re-referral (replaces)', () => {
  let server;
  let vol;
  let gp;
  let ggz;
  let client;
  let pid;
  let otherPid;
  let orgs;
  let basisService;

  const grant = async (id, orgName, scopes) => {
    const r = await vol.post(`/api/v1/clients/${id}/grants`,
      { org_id: orgs[orgName], scopes, basis: 'verbal_consent', days: 30 });
    assertStatus(r, 201);
  };
  const refer = (over = {}) => vol.post('/api/v1/referrals', {
    client_id: pid, service_id: POH_DE_LINDE, scopes: ['signal'], ...over,
  });
  const step = (c, id, body) => c.post(`/api/v1/referrals/${id}/transitions`, body);
  const nothingWritten = async (r, re) => {
    const n = count(server.dbPath, '1', 'referrals');
    const ev = count(server.dbPath, '1', 'referral_events');
    const res = await r();
    assertProblem(res, 422, 'invalid-input');
    assert.deepEqual(res.json.errors.map((e) => e.pointer), ['/replaces'], show(res));
    if (re) assert.match(res.json.errors[0].detail ?? res.json.errors[0].message ?? JSON.stringify(res.json.errors[0]), re);
    assert.equal(count(server.dbPath, '1', 'referrals'), n);
    assert.equal(count(server.dbPath, '1', 'referral_events'), ev);
    return res;
  };

  before(async () => {
    server = await startServer({ demo: true });
    vol = await demoLogin(server, 'volunteer');
    gp = await demoLogin(server, 'gp');
    ggz = await demoLogin(server, 'ggz');
    orgs = Object.fromEntries((await vol.get('/api/v1/orgs')).json.items.map((o) => [o.name, o.id]));
    for (const yob of [1988, 1995]) {
      const r = await vol.post('/api/v1/clients', sampleClient({ year_of_birth: yob }));
      assertStatus(r, 201);
      if (!pid) pid = r.json.id; else otherPid = r.json.id;
    }
    for (const id of [pid, otherPid]) {
      await grant(id, DE_LINDE, ['signal', 'referral']);
      await grant(id, BASIS_GGZ, ['signal', 'referral']);
    }
    // a service of Basis-GGZ, as the social map has it (the map organisation the demo links)
    const rows = sql(server.dbPath, `SELECT s.hsds_id FROM map_services s JOIN map_orgs o ON o.id = s.org_id
      JOIN map_org_accounts a ON a.map_org_hsds_id = o.hsds_id JOIN orgs g ON g.id = a.org_id
      WHERE g.name = ${q(BASIS_GGZ)} ORDER BY s.hsds_id LIMIT 1`);
    assert.equal(rows.length, 1, 'the demo maps a Basis-GGZ service');
    basisService = rows[0].hsds_id;
    const card = await vol.post(`/api/v1/clients/${pid}/card`);
    assertStatus(card, 201);
    client = new Client(server.url);
    const login = await client.post('/api/v1/session/card', { code: card.json.code, new_pin: '583920' });
    assertStatus(login, 200);
    client.csrf = login.json.csrf_token;
  });
  after(async () => { await server?.stop(); });

  it('a fresh referral replaces nothing and was not followed up', async () => {
    const r = await refer();
    assertStatus(r, 201);
    assert.equal(r.json.replaces, null);
    assert.equal(r.json.replaced_by, null);
  });

  it('refuses at /replaces what may not be followed up, and writes nothing', async () => {
    const open = await refer();
    assertStatus(open, 201);
    await nothingWritten(() => refer({ service_id: basisService, replaces: open.json.id }), /sent/);
    await nothingWritten(() => refer({ service_id: basisService, replaces: 'no-such-referral' }));
    await nothingWritten(() => refer({ service_id: basisService, replaces: 'x'.repeat(100) }));
    // a declined referral of another client
    const other = await refer({ client_id: otherPid });
    assertStatus(other, 201);
    assertStatus(await step(gp, other.json.id, { to: 'received' }), 200);
    assertStatus(await step(gp, other.json.id, { to: 'declined', reason: 'no_capacity' }), 200);
    await nothingWritten(() => refer({ service_id: basisService, replaces: other.json.id }), /another client/);
    // Basis-GGZ holds a grant on the client but was no party to the referral: the same answer as
    // for an unknown id
    const notParty = await ggz.post('/api/v1/referrals', { client_id: otherPid, service_id: POH_DE_LINDE, replaces: other.json.id });
    assertProblem(notParty, 422, 'invalid-input');
    assert.deepEqual(notParty.json.errors.map((e) => e.pointer), ['/replaces']);
    const unknown = await refer({ client_id: otherPid, replaces: 'no-such-referral' });
    assert.deepEqual(notParty.json.errors, unknown.json.errors, 'no hint that the referral exists');
    assertProblem(await refer({ replaces: 42 }), 422, 'invalid-input');
  });

  it('a declined referral is followed up: linked both ways, an event and an audit row on the old one', async () => {
    const old = await refer({ handover_note: 'EERSTE-VERWIJZING' });
    assertStatus(old, 201);
    const oid = old.json.id;
    assertStatus(await step(gp, oid, { to: 'received' }), 200);
    const declined = await step(gp, oid, { to: 'declined', reason: 'not_suitable' });
    assertStatus(declined, 200);
    assert.deepEqual(declined.json.allowed_transitions, []);
    const updatesBefore = count(server.dbPath, `object_type = 'referral' AND action = 'update' AND object_id = ${q(oid)}`);
    const next = await refer({ service_id: basisService, replaces: oid });
    assertStatus(next, 201);
    assert.equal(next.json.replaces, oid);
    assert.equal(next.json.replaced_by, null);
    assert.equal(next.json.to.name, BASIS_GGZ);
    assert.equal(next.json.state, 'sent');
    const seen = await vol.get(`/api/v1/referrals/${oid}`);
    assertStatus(seen, 200);
    assert.equal(seen.json.replaced_by, next.json.id);
    assert.equal(seen.json.state, 'declined', 'the old referral keeps its state');
    assert.equal(seen.json.reason, 'not_suitable');
    const last = seen.json.transitions.at(-1);
    assert.equal(last.kind, 'followed_up');
    assert.equal(last.from, 'declined');
    assert.equal(last.to, 'declined');
    assert.equal(last.by.org.id, orgs[sql(server.dbPath, `SELECT o.name FROM orgs o JOIN referrals r ON r.from_org = o.id WHERE r.uid = ${q(oid)}`)[0].name]);
    assert.equal(count(server.dbPath, `object_type = 'referral' AND action = 'update' AND object_id = ${q(oid)}`), updatesBefore + 1);
    assert.equal(count(server.dbPath, `r.uid = ${q(next.json.id)} AND r.replaces_id = o.id AND o.uid = ${q(oid)}`, 'referrals r, referrals o'), 1);
    // the client's timeline keeps both
    const tl = await vol.get(`/api/v1/clients/${pid}/referrals`);
    const ids = tl.json.items.map((i) => i.id);
    assert.ok(ids.includes(oid) && ids.includes(next.json.id));
    // a referral is followed up once; the chain goes on from the new one
    await nothingWritten(() => refer({ replaces: oid }), new RegExp(next.json.id));
    // each organisation sees a link only to a referral it is party to itself
    const gpView = await gp.get(`/api/v1/referrals/${oid}`);
    assertStatus(gpView, 200);
    assert.equal(gpView.json.replaced_by, null, 'De Linde is no party to the Basis-GGZ referral');
    const ggzView = await ggz.get(`/api/v1/referrals/${next.json.id}`);
    assertStatus(ggzView, 200);
    assert.equal(ggzView.json.replaces, null, 'Basis-GGZ is no party to the De Linde referral');
    const mine = await client.get(`/api/v1/clients/${pid}/referrals`);
    assertStatus(mine, 200);
    assert.equal(mine.json.items.find((i) => i.id === oid).replaced_by, next.json.id);
    assert.equal(mine.json.items.find((i) => i.id === next.json.id).replaces, oid);
  });

  it('"could not go" is followed up: needs_new_offer is cleared, the state stays', async () => {
    const r = await refer();
    assertStatus(r, 201);
    const id = r.json.id;
    const no = await client.post(`/api/v1/referrals/${id}/client-answer`, { went: false, reason: 'te ver weg' });
    assertStatus(no, 200);
    assert.equal(no.json.needs_new_offer, true);
    const next = await refer({ service_id: basisService, replaces: id });
    assertStatus(next, 201);
    const old = await vol.get(`/api/v1/referrals/${id}`);
    assert.equal(old.json.needs_new_offer, false);
    assert.equal(old.json.state, 'sent');
    assert.equal(old.json.client_answer, 'could_not_go', 'the client\'s answer stays in the history');
    assert.deepEqual(old.json.transitions.map((t) => t.kind), ['transition', 'client_answer', 'followed_up']);
    assert.equal(old.json.replaced_by, next.json.id);
  });

  it('cancelled and closed_unsuccessful referrals can be followed up, also by the receiver side', async () => {
    const c1 = await refer();
    assertStatus(c1, 201);
    assertStatus(await step(vol, c1.json.id, { to: 'cancelled' }), 200);
    const n1 = await refer({ service_id: basisService, replaces: c1.json.id, send: false });
    assertStatus(n1, 201);
    assert.equal(n1.json.state, 'draft');
    assert.equal(n1.json.replaces, c1.json.id);
    const c2 = await refer();
    assertStatus(c2, 201);
    for (const body of [{ to: 'received' }, { to: 'accepted' },
      { to: 'closed_unsuccessful', reason: 'could_not_reach' }]) {
      assertStatus(await step(gp, c2.json.id, body), 200);
    }
    // De Linde (the receiver) refers on to Basis-GGZ itself
    const n2 = await gp.post('/api/v1/referrals', { client_id: pid, service_id: basisService, replaces: c2.json.id });
    assertStatus(n2, 201);
    assert.equal(n2.json.replaces, c2.json.id);
    assert.equal((await vol.get(`/api/v1/referrals/${c2.json.id}`)).json.replaced_by, null,
      'the volunteer\'s organisation is no party to the GP\'s new referral');
    assert.equal((await gp.get(`/api/v1/referrals/${c2.json.id}`)).json.replaced_by, n2.json.id);
    // Followed up already, by a referral the volunteer's organisation is no party to: the refusal
    // says so without the follow-up's id (docs/referrals.md §7). Fails when the detail names it.
    const again = await nothingWritten(() => refer({ service_id: basisService, replaces: c2.json.id }), /already followed up/);
    assert.ok(!JSON.stringify(again.json).includes(n2.json.id), show(again));
    // The GP, party to both, is told which one.
    const gpAgain = await gp.post('/api/v1/referrals', { client_id: pid, service_id: basisService, replaces: c2.json.id });
    assertProblem(gpAgain, 422, 'invalid-input');
    assert.ok(gpAgain.json.errors[0].detail.includes(n2.json.id), show(gpAgain));
  });
});

// The client's verbal consent sent with the referral (`consent`): the grant and the referral are
// one transaction. A referral refused after the consent was read (a handover note of 600 Arabic
// letters is 1200 bytes, over the 1000-byte cap) leaves no grant; an accepted one leaves exactly
// one grant for the receiving organisation with the shared scopes, audited like POST …/grants.
describe('referral with the client\'s consent in it', () => {
  let server;
  let vol;
  let pid;
  let orgs;

  const deLindeGrants = async () => (await vol.get(`/api/v1/clients/${pid}/grants`)).json.items
    .filter((g) => g.org?.id === orgs[DE_LINDE]);
  const refer = (over = {}) => vol.post('/api/v1/referrals', {
    client_id: pid, service_id: POH_DE_LINDE, scopes: ['signal'],
    consent: { basis: 'verbal_consent', days: 90 }, ...over,
  });

  before(async () => {
    server = await startServer({ demo: true });
    vol = await demoLogin(server, 'volunteer');
    orgs = Object.fromEntries((await vol.get('/api/v1/orgs')).json.items.map((o) => [o.name, o.id]));
    const r = await vol.post('/api/v1/clients', sampleClient({ year_of_birth: 1987 }));
    assertStatus(r, 201);
    pid = r.json.id;
  });
  after(async () => { await server?.stop(); });

  it('a referral refused after the consent leaves no grant and no audit row', async () => {
    const audit = count(server.dbPath);
    const grants = count(server.dbPath, '1', 'grants');
    const refs = count(server.dbPath, '1', 'referrals'); // the demo seeds one, with its grant
    const consentRows = count(server.dbPath, `action = 'grant_add' OR object_type = 'referral'`);
    const long = 'ب'.repeat(600); // 600 letters, 1200 bytes
    const r = await refer({ handover_note: long });
    assertProblem(r, 422, 'invalid-input');
    assert.deepEqual(r.json.errors.map((e) => e.pointer), ['/handover_note'], show(r));
    assert.match(r.json.errors[0].detail, /bytes|characters/);
    assert.deepEqual(await deLindeGrants(), []);
    assert.equal(count(server.dbPath, '1', 'grants'), grants);
    assert.equal(count(server.dbPath, `action = 'grant_add' OR object_type = 'referral'`), consentRows);
    assert.equal(count(server.dbPath, '1', 'referrals'), refs);
    // bad consent: each problem at its pointer, nothing written
    for (const [consent, ptr] of [[{ basis: 'verbal_consent', days: 0 }, '/consent/days'],
      [{ basis: 'verbal_consent', days: 366 }, '/consent/days'],
      [{ basis: 'client_consent', days: 30 }, '/consent/basis'],
      ['yes', '/consent']]) {
      const bad = await refer({ consent });
      assertProblem(bad, 422, 'invalid-input');
      assert.deepEqual(bad.json.errors.map((e) => e.pointer), [ptr], show(bad));
    }
    // consent belongs to a referral that is sent: with a draft it would outlive a cancelled one
    {
      const bad = await refer({ send: false });
      assertProblem(bad, 422, 'invalid-input');
      assert.deepEqual(bad.json.errors.map((e) => e.pointer), ['/consent'], show(bad));
    }
    assert.equal(count(server.dbPath, '1', 'grants'), grants);
    // the grant reads of the checks above are the only audit rows added
    assert.equal(count(server.dbPath, `action = 'grant_add' OR object_type = 'referral'`), consentRows);
    assert.ok(count(server.dbPath) >= audit);
  });

  it('an accepted referral records exactly the consent shared, audited as grant_add', async () => {
    const r = await refer({ handover_note: 'ب'.repeat(500) }); // exactly 1000 bytes
    assertStatus(r, 201);
    const gs = await deLindeGrants();
    assert.equal(gs.length, 1, JSON.stringify(gs));
    const g = gs[0];
    assert.deepEqual(sorted(g.scopes), ['referral', 'signal']);
    assert.equal(g.basis, 'verbal_consent');
    assert.equal(g.purpose, 'referral');
    assert.equal(g.active, true);
    const days = (Date.parse(g.expires_at) - Date.parse(g.created_at)) / DAY_MS;
    assert.ok(Math.abs(days - 90) < 0.01, `${days} days`);
    assert.equal(count(server.dbPath, `action = 'grant_add' AND object_id = ${q(g.id)}`), 1);
    assert.equal(count(server.dbPath, `object_type = 'referral' AND action = 'create' AND object_id = ${q(r.json.id)}`), 1);
    // without consent, a grant that covers it is enough (nothing new recorded)
    const plain = await vol.post('/api/v1/referrals', { client_id: pid, service_id: POH_DE_LINDE, scopes: ['signal'] });
    assertStatus(plain, 201);
    assert.equal((await deLindeGrants()).length, 1);
  });
});
