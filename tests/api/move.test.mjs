// SPDX-License-Identifier: EUPL-1.2
// A client moves within the installation (issues 5 and 6; docs/dossier.md §5, docs/referrals.md
// §6): the move changes the client and writes a move row and an audit row; the route advice is
// recomputed against the new municipality's map; open referrals stay open, flagged when their
// service does not serve the new place; the new region's coordinator sees them in
// "moved_referrals" (and did not before), the old sender still sees its own; the proposal of new
// partners is what the advice implies; several grant requests in one step and the client's
// "accept all" are all-or-nothing; the client's timeline shows the move.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, demoLogin, Client, runCli } from '../lib/server.mjs';
import { sql, q, count, assertProblem, assertStatus, show, sorted } from './_util.mjs';
import { clientSession } from './_dossier.mjs';

const LINDEDAL = 'urn:veerkracht:demo:gemeente:lindedal';
const NEW_REGION = 'Regio Noordmeer (test)';

describe('a client moves', () => {
  let server;
  let vol;
  let coa;
  let gp;
  let coord; // the demo coordinator, Regio Veerhaven
  let coordNew; // a coordinator of the region the client moves to
  let me; // the client's own session
  let pid;
  let orgs;
  let refCoaAzc; // sent by the COA to a service that only serves the AZC
  let refCoaLinde; // sent by the COA to a service in Lindedal
  let refVol; // sent by the volunteer organisation
  let moved; // the answer of the move

  const auditOf = (r) => sql(server.dbPath, `SELECT action, object_type, object_id, client_pid, role, outcome
    FROM audit WHERE request_id = ${q(r.headers.get('x-request-id'))} ORDER BY id`);
  const serviceId = async (name) => {
    const r = await vol.get(`/api/v1/services?q=${encodeURIComponent(name)}&per_page=50`);
    assertStatus(r, 200);
    const s = r.json.items.find((i) => i.name.startsWith(name));
    assert.ok(s, `service ${name}: ${show(r)}`);
    return s.id;
  };
  const verbal = async (orgName, scopes) => assertStatus(await vol.post(`/api/v1/clients/${pid}/grants`,
    { org_id: orgs[orgName], scopes, basis: 'verbal_consent', days: 60 }), 201);
  const refer = async (c, service) => {
    const r = await c.post('/api/v1/referrals', { client_id: pid, service_id: service, scopes: ['signal'],
      handover_note: 'MOVE-NOTE: liever een vrouwelijke hulpverlener' });
    assertStatus(r, 201);
    return r.json.id;
  };
  /** Every service the municipality filter finds for an area (all pages). */
  const inArea = async (uri) => {
    const ids = new Set();
    for (let page = 1; ; page++) {
      const r = await vol.get(`/api/v1/services?municipality=${encodeURIComponent(uri)}&per_page=50&page=${page}&facets=0`);
      assertStatus(r, 200);
      r.json.items.forEach((i) => ids.add(i.id));
      if (page * 50 >= r.json.total) return { ids, levels: new Map(r.json.items.map((i) => [i.id, i.level])) };
    }
  };

  before(async () => {
    server = await startServer({ demo: true });
    vol = await demoLogin(server, 'volunteer');
    coa = await demoLogin(server, 'coa_staff');
    gp = await demoLogin(server, 'gp');
    coord = await demoLogin(server, 'coordinator');
    orgs = Object.fromEntries((await vol.get('/api/v1/orgs')).json.items.map((o) => [o.name, o.id]));
    // the demo client: registered by the volunteer in AZC Veerhaven, with a medium screening
    const list = await vol.get('/api/v1/clients');
    pid = list.json.items.find((c) => c.location === 'AZC Veerhaven').id;
    // a coordinator of another region, made with the CLI like any other account
    const add = runCli(['user', 'add', '--db', server.dbPath, '--org', 'Regiocoördinatie Noordmeer (test)',
      '--org-kind', 'coordination', '--region', NEW_REGION, '--role', 'coordinator',
      '--email', 'coordinator@noordmeer.example'], { input: 'Noordmeer-coord-2026!\n' });
    assert.equal(add.status, 0, add.stderr);
    coordNew = new Client(server.url);
    assertStatus(await coordNew.login('coordinator@noordmeer.example', 'Noordmeer-coord-2026!'), 200);
    // the COA may act for the client; it refers twice, the volunteer once
    await verbal('AZC Veerhaven (COA, fictief)', ['signal', 'referral']);
    await verbal('Gezondheidspost AZC Veerhaven (fictief)', ['signal', 'referral']);
    await verbal('Basis-GGZ Veerhaven (fictief)', ['signal', 'referral']);
    refCoaAzc = await refer(coa, await serviceId('POH-GGZ Gezondheidspost AZC'));
    refCoaLinde = await refer(coa, await serviceId('Spreekuur Vluchtelingenwerk Lindedal'));
    refVol = await refer(vol, await serviceId('Basis-GGZ: kortdurende behandeling'));
    // at the AZC the route map was asked with complaints that persist
    assertStatus(await coa.post(`/api/v1/clients/${pid}/route`, { persistent: true }), 201);
    // the client's own session, with a fresh card
    me = await clientSession(server, vol, pid);
  });
  after(async () => { await server?.stop(); });

  it('a client gets the region of the organisation that registered it', async () => {
    const [row] = sql(server.dbPath, `SELECT region FROM clients WHERE pid = ${q(pid)}`);
    assert.equal(row.region, 'Regio Veerhaven');
    const r = await vol.post('/api/v1/clients', { year_of_birth: 1990, gender: 'male', country_of_origin: 'ER',
      language: 'ti', phase: 'coa', location: 'AZC Veerhaven' });
    assertStatus(r, 201);
    assert.equal(sql(server.dbPath, `SELECT region FROM clients WHERE pid = ${q(r.json.id)}`)[0].region, 'Regio Veerhaven');
  });

  it('before the move the other region\'s coordinator does not see the client\'s referrals', async () => {
    const w = await coordNew.get('/api/v1/worklist');
    assertStatus(w, 200);
    assert.deepEqual(w.json.moved_referrals, [], show(w));
    const all = JSON.stringify(w.json);
    for (const id of [refCoaAzc, refCoaLinde, refVol]) assert.ok(!all.includes(id), `${id} not on ${all}`);
  });

  it('bad moves are refused: 422 with pointers, 403 for a volunteer, 404 without access; nothing written', async () => {
    const before = count(server.dbPath, '1', 'client_moves');
    let r = await coa.post(`/api/v1/clients/${pid}/move`, { phase: 'abroad', location: '', region: 'Nergens', extra: 1 });
    assertProblem(r, 422, 'invalid-input');
    assert.ok(r.json.errors.some((e) => e.pointer === '/extra'), show(r));
    r = await coa.post(`/api/v1/clients/${pid}/move`, { phase: 'abroad', location: 'Lindedal', region: 'Nergens' });
    assertProblem(r, 422, 'invalid-input');
    assert.deepEqual(sorted(r.json.errors.map((e) => e.pointer)), ['/phase', '/region']);
    r = await coa.post(`/api/v1/clients/${pid}/move`, { phase: 'coa', location: 'azc veerhaven' });
    assertProblem(r, 422, 'invalid-input');
    assert.equal(r.json.errors[0].pointer, '/location', 'the client lives there already');
    r = await coa.post(`/api/v1/clients/${pid}/move`, { phase: 'municipality', location: 'x'.repeat(121) });
    assertProblem(r, 422, 'invalid-input');
    assertProblem(await vol.post(`/api/v1/clients/${pid}/move`, { phase: 'municipality', location: 'Lindedal' }), 403, 'forbidden');
    const km = await demoLogin(server, 'klantmanager'); // the municipality holds no grant yet
    assertProblem(await km.post(`/api/v1/clients/${pid}/move`, { phase: 'municipality', location: 'Lindedal' }), 404, 'not-found');
    assert.equal(count(server.dbPath, '1', 'client_moves'), before);
    assert.ok(count(server.dbPath, `action = 'access_denied' AND object_type = 'client_move' AND client_pid = ${q(pid)}`) >= 1);
    assert.equal(sql(server.dbPath, `SELECT phase FROM clients WHERE pid = ${q(pid)}`)[0].phase, 'coa');
  });

  it('the COA moves the client to Lindedal in another region: client, move row and audit in one step', async () => {
    const advices = count(server.dbPath, `client_id = (SELECT id FROM clients WHERE pid = ${q(pid)})`, 'route_advice');
    const r = await coa.post(`/api/v1/clients/${pid}/move`, { phase: 'municipality', location: 'Lindedal', region: NEW_REGION });
    assertStatus(r, 200);
    moved = r.json;
    assert.deepEqual(moved.client, { id: pid, phase: 'municipality', location: 'Lindedal', region: NEW_REGION });
    assert.deepEqual(moved.move.from, { phase: 'coa', location: 'AZC Veerhaven', region: 'Regio Veerhaven' });
    assert.deepEqual(moved.move.to, { phase: 'municipality', location: 'Lindedal', region: NEW_REGION, area: LINDEDAL });
    const [c] = sql(server.dbPath, `SELECT phase, location, region FROM clients WHERE pid = ${q(pid)}`);
    assert.deepEqual(c, { phase: 'municipality', location: 'Lindedal', region: NEW_REGION });
    const rows = sql(server.dbPath, `SELECT uid, from_phase, from_location, from_region, to_phase, to_location, to_region,
      to_area, by_role FROM client_moves WHERE client_id = (SELECT id FROM clients WHERE pid = ${q(pid)})`);
    assert.deepEqual(rows, [{ uid: moved.move.id, from_phase: 'coa', from_location: 'AZC Veerhaven',
      from_region: 'Regio Veerhaven', to_phase: 'municipality', to_location: 'Lindedal', to_region: NEW_REGION,
      to_area: LINDEDAL, by_role: 'coa_staff' }]);
    const audit = auditOf(r);
    assert.ok(audit.some((a) => a.action === 'update' && a.object_type === 'client_move' && a.object_id === moved.move.id
      && a.client_pid === pid && a.role === 'coa_staff' && a.outcome === 'success'), JSON.stringify(audit));
    assert.ok(audit.some((a) => a.action === 'create' && a.object_type === 'route_advice' && a.object_id === moved.advice.id));
    assert.equal(count(server.dbPath, `client_id = (SELECT id FROM clients WHERE pid = ${q(pid)})`, 'route_advice'), advices + 1);
  });

  it('the advice is recomputed against the new municipality\'s map', async () => {
    const advice = moved.advice;
    assert.equal(advice.area, LINDEDAL);
    assert.equal(advice.input.phase, 'municipality');
    assert.equal(advice.input.persistent, true, 'the situation of the last advice carries over');
    const latest = await coa.get(`/api/v1/clients/${pid}/route`);
    assertStatus(latest, 200);
    assert.equal(latest.json.id, advice.id, 'stored as the latest advice');
    const area = await inArea(LINDEDAL);
    let matched = 0;
    for (const lv of advice.levels) {
      const local = [...area.levels].filter(([, l]) => l === lv.level);
      for (const m of lv.matches) {
        matched++;
        // the map search falls back to anywhere only for a level the municipality lacks
        if (local.length) assert.ok(area.ids.has(m.service), `${lv.level} ${m.name} is served in Lindedal`);
      }
    }
    assert.ok(matched > 0, 'the advice names services');
    const azcOnly = await serviceId('POH-GGZ Gezondheidspost AZC');
    assert.ok(!advice.levels.some((lv) => lv.matches.some((m) => m.service === azcOnly)), 'no AZC-only offer any more');
  });

  it('open referrals stay open, flagged when their service does not serve the new place', async () => {
    const area = await inArea(LINDEDAL);
    const got = Object.fromEntries(moved.open_referrals.map((x) => [x.id, x]));
    assert.deepEqual(sorted(Object.keys(got)), sorted([refCoaAzc, refCoaLinde]), 'the COA sees the ones it sent');
    for (const x of moved.open_referrals) {
      assert.equal(x.state, 'sent');
      assert.equal(x.serves_new_area, area.ids.has(x.service.id), x.service.name);
    }
    assert.equal(got[refCoaAzc].serves_new_area, false);
    assert.equal(got[refCoaLinde].serves_new_area, true);
    const states = sql(server.dbPath, `SELECT state FROM referrals WHERE client_id = (SELECT id FROM clients WHERE pid = ${q(pid)})`);
    assert.ok(states.every((s) => s.state === 'sent'), 'never closed by the move');
  });

  it('the new region\'s coordinator sees them in moved_referrals (facts only, audited); the old one and the sender keep theirs', async () => {
    const w = await coordNew.get('/api/v1/worklist');
    assertStatus(w, 200);
    const items = w.json.moved_referrals;
    const open = sql(server.dbPath, `SELECT uid FROM referrals WHERE client_id = (SELECT id FROM clients WHERE pid = ${q(pid)})
      AND state NOT IN ('draft', 'declined', 'completed', 'closed_unsuccessful', 'cancelled')`).map((x) => x.uid);
    assert.deepEqual(sorted(items.map((i) => i.id)), sorted(open));
    assert.ok(open.includes(refVol) && open.includes(refCoaLinde));
    const area = await inArea(LINDEDAL);
    for (const i of items) {
      assert.equal(i.client_id, pid);
      assert.equal(i.serves_new_area, area.ids.has(i.service.id));
      assert.equal(i.moved.to_location, 'Lindedal');
      assert.ok(!('handover_note' in i) && !JSON.stringify(i).includes('MOVE-NOTE'), 'no notes');
    }
    const audit = auditOf(w);
    for (const id of open) {
      assert.ok(audit.some((a) => a.action === 'list' && a.object_type === 'referral' && a.object_id === id
        && a.role === 'coordinator' && a.client_pid === pid), `audited ${id}`);
    }
    const old = await coord.get('/api/v1/worklist');
    assertStatus(old, 200);
    assert.deepEqual(old.json.moved_referrals, [], 'the old region has no moved-in referrals');
    const sent = await vol.get('/api/v1/referrals?role=sender');
    assert.ok(sent.json.items.some((i) => i.id === refVol), 'the sender still sees its own');
    assertStatus(await vol.get(`/api/v1/referrals/${refVol}`), 200);
    // other roles get no such member
    assert.equal((await vol.get('/api/v1/worklist')).json.moved_referrals, undefined);
  });

  it('the proposal is the advice\'s local organisations without an active grant', async () => {
    const grants = (await coa.get(`/api/v1/clients/${pid}/grants`)).json.items;
    const granted = new Set(grants.filter((g) => g.active).map((g) => g.org.id));
    const accounts = sql(server.dbPath, `SELECT a.map_org_hsds_id AS map, o.uid, o.kind FROM map_org_accounts a
      JOIN orgs o ON o.id = a.org_id ORDER BY o.id`);
    const expected = new Map();
    for (const lv of moved.advice.levels) {
      for (const m of lv.matches) {
        const s = await vol.get(`/api/v1/services/${m.service}`);
        assertStatus(s, 200);
        const acct = accounts.find((a) => a.map === s.json.organization.id);
        if (acct && !granted.has(acct.uid) && acct.kind !== 'coordination') expected.set(acct.uid, acct.kind);
      }
    }
    const got = moved.proposed_partners;
    assert.deepEqual(sorted(got.map((p) => p.org.id)), sorted([...expected.keys()]), JSON.stringify(got));
    assert.ok(got.length > 0, 'something to propose in Lindedal');
    for (const p of got) {
      const want = ['municipality', 'district_team'].includes(p.org.kind) ? ['plan', 'referral', 'signal'] : ['referral', 'signal'];
      assert.deepEqual(sorted(p.scopes), want, p.org.name);
      assert.ok(p.services.length > 0 && p.services.every((s) => s.id && s.name && s.level));
    }
  });

  let asked;
  it('the COA asks for all proposed organisations in one request; one bad item writes nothing', async () => {
    const items = moved.proposed_partners.map((p) => ({ org_id: p.org.id, scopes: p.scopes, purpose: 'care' }));
    const n = count(server.dbPath, '1', 'grant_requests');
    let r = await coa.post(`/api/v1/clients/${pid}/grants/requests`, { items: [...items, { org_id: 'no-such-org', scopes: ['signal'] }] });
    assertProblem(r, 422, 'invalid-input');
    assert.deepEqual(r.json.errors.map((e) => e.pointer), [`/items/${items.length}/org_id`]);
    r = await coa.post(`/api/v1/clients/${pid}/grants/requests`, { items: [{ ...items[0], scopes: ['telepathy'] }, 7] });
    assertProblem(r, 422, 'invalid-input');
    assert.deepEqual(sorted(r.json.errors.map((e) => e.pointer)), ['/items/0/scopes/0', '/items/1']);
    r = await coa.post(`/api/v1/clients/${pid}/grants/requests`, { items: [{ ...items[0], days: 999 }] });
    assertProblem(r, 422, 'invalid-input');
    assert.deepEqual(r.json.errors.map((e) => e.pointer), ['/items/0/days']);
    r = await coa.post(`/api/v1/clients/${pid}/grants/requests`, { items: [items[0], items[0]] });
    assertProblem(r, 422, 'invalid-input');
    assert.equal(r.json.errors[0].pointer, '/items/1/org_id');
    r = await coa.post(`/api/v1/clients/${pid}/grants/requests`, { items: [{ ...items[0], scopes: ['clinical'] }] });
    assertProblem(r, 422, 'invalid-input'); // outside the COA's own ceiling
    assert.equal(r.json.errors[0].pointer, '/items/0/scopes');
    r = await coa.post(`/api/v1/clients/${pid}/grants/requests`, { items: Array(21).fill(items[0]) });
    assertProblem(r, 422, 'invalid-input');
    assert.equal(r.json.errors[0].pointer, '/items');
    assert.equal(count(server.dbPath, '1', 'grant_requests'), n, 'nothing written');
    r = await coa.post(`/api/v1/clients/${pid}/grants/requests`, { items });
    assertStatus(r, 201);
    asked = r.json.items.map((x) => x.id);
    assert.equal(asked.length, items.length);
    assert.ok(r.json.items.every((x) => x.state === 'requested' && x.basis === 'request' && x.days === 90));
    assert.deepEqual(r.json.items.map((x) => x.org.id), items.map((x) => x.org_id));
    assert.equal(count(server.dbPath, '1', 'grant_requests'), n + items.length);
    assert.deepEqual(auditOf(r).map((a) => a.action), Array(items.length).fill('grant_request'));
    const km = await demoLogin(server, 'klantmanager');
    assertProblem(await km.post(`/api/v1/clients/${pid}/grants/requests`, { items }), 404, 'not-found');
  });

  it('the client accepts all at once; a bad id accepts nothing; a professional gets 403', async () => {
    const grantsBefore = count(server.dbPath, '1', 'grants');
    let r = await me.post(`/api/v1/clients/${pid}/grants/accept`, { ids: [...asked, 'f'.repeat(32)] });
    assertProblem(r, 422, 'invalid-input');
    assert.deepEqual(r.json.errors.map((e) => e.pointer), [`/ids/${asked.length}`]);
    r = await me.post(`/api/v1/clients/${pid}/grants/accept`, { ids: [asked[0], asked[0]] });
    assertProblem(r, 422, 'invalid-input');
    assert.equal(r.json.errors[0].pointer, '/ids/1');
    assert.equal(count(server.dbPath, '1', 'grants'), grantsBefore, 'nothing accepted');
    assert.equal(count(server.dbPath, `state = 'open'`, 'grant_requests'), asked.length);
    r = await coa.post(`/api/v1/clients/${pid}/grants/accept`, { ids: asked });
    assertProblem(r, 403, 'forbidden');
    assertProblem(await (await demoLogin(server, 'klantmanager')).post(`/api/v1/clients/${pid}/grants/accept`, { ids: asked }), 404, 'not-found');
    r = await me.post(`/api/v1/clients/${pid}/grants/accept`, { ids: asked });
    assertStatus(r, 200);
    assert.deepEqual(r.json.items.map((g) => g.id), asked);
    assert.ok(r.json.items.every((g) => g.active && g.confirmed && g.source === 'client'));
    assert.equal(count(server.dbPath, '1', 'grants'), grantsBefore + asked.length);
    assert.deepEqual(auditOf(r).filter((a) => a.object_type === 'grant').map((a) => a.action), Array(asked.length).fill('grant_accept'));
    r = await me.post(`/api/v1/clients/${pid}/grants/accept`, { ids: asked });
    assertProblem(r, 422, 'invalid-input'); // no longer open
  });

  it('the timeline shows the move, to the client and to professionals with access', async () => {
    const mine = await me.get(`/api/v1/clients/${pid}/moves`);
    assertStatus(mine, 200);
    assert.equal(mine.json.items.length, 1);
    assert.deepEqual(mine.json.items[0].to, moved.move.to);
    assert.equal(mine.json.items[0].by.role, 'coa_staff');
    const theirs = await coa.get(`/api/v1/clients/${pid}/moves`);
    assertStatus(theirs, 200);
    assert.deepEqual(theirs.json.items.map((m) => m.id), [moved.move.id]);
    assert.ok(auditOf(theirs).some((a) => a.action === 'read' && a.object_type === 'client_move'));
    const other = new Client(server.url);
    assertProblem(await other.get(`/api/v1/clients/${pid}/moves`), 401, 'unauthenticated');
  });
});
