// SPDX-License-Identifier: EUPL-1.2
// The route map over HTTP on the demo region (docs/routing.md): the advice for the client with a
// medium screening and for the client with an open red flag, reasons in Dutch and English,
// matching services really from the demo map with their fit reasons, the rules version stored
// with the advice (codes and ids only), 404 without a grant (audited as denied, nothing stored),
// one audit row per advice, and the rule file setting checked at start-up.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, demoLogin, runCli, repoRoot, tempDir } from '../lib/server.mjs';
import { sql, sqlExec, q, count, assertProblem, assertStatus, show } from './_util.mjs';

const DEFAULT_RULES = join(repoRoot, 'data', 'routing', 'default.json');

describe('route map', () => {
  let server;
  let vol;
  let ggz;
  let medium; // pid: coa, Arabic, medium screening with housing and family stressors
  let flagged; // pid: municipality, Tigrinya, open red flag, no screening
  let mapIds;

  before(async () => {
    server = await startServer({ demo: true });
    vol = await demoLogin(server, 'volunteer');
    ggz = await demoLogin(server, 'ggz');
    const list = (await vol.get('/api/v1/clients')).json.items;
    medium = list.find((c) => c.phase === 'coa').id;
    flagged = list.find((c) => c.phase === 'municipality').id;
    mapIds = new Set(sql(server.dbPath, 'SELECT hsds_id FROM map_services').map((r) => r.hsds_id));
  });
  after(async () => { await server?.stop(); });

  it('names the active rules', async () => {
    const r = await vol.get('/api/v1/routing/rules');
    assertStatus(r, 200);
    assert.equal(r.json.id, 'vk-default');
    assert.equal(r.json.version, JSON.parse(readFileSync(DEFAULT_RULES, 'utf8')).version);
    assert.match(r.json.hash, /^[0-9a-f]{64}$/);
  });

  it('medium screening: L0 in own language, with services from the demo map and fit reasons', async () => {
    const before = count(server.dbPath, `object_type = 'route_advice' AND action = 'create'`);
    const r = await vol.post(`/api/v1/clients/${medium}/route`, {});
    assertStatus(r, 201);
    const a = r.json;
    assert.deepEqual(a.levels.map((l) => l.level), ['L0'], show(r));
    assert.equal(a.urgency, 'soon');
    assert.equal(a.input.band, 'medium');
    assert.equal(a.input.phase, 'coa');
    assert.equal(a.input.red_flag, false);
    assert.deepEqual(a.input.stressors, ['housing', 'family']);
    assert.deepEqual(a.rules, { id: 'vk-default', version: '1.0.0', active: true });
    // the client's location "AZC Veerhaven" is a map area: the search stays in it
    assert.equal(a.area, 'urn:veerkracht:demo:coa-locatie:azc-veerhaven');
    const l0 = a.levels[0];
    assert.deepEqual(l0.rules, ['medium']);
    assert.match(l0.reasons[0].nl, /eigen taal/);
    assert.ok(l0.reasons[0].en.length > 10);
    assert.ok(l0.steps.length >= 1);
    assert.equal(l0.target_days, 14);
    assert.ok(l0.matches.length > 0 && l0.matches.length <= 5, show(r));
    for (const m of l0.matches) {
      assert.ok(mapIds.has(m.service), `match ${m.service} is on the demo map`);
      assert.ok(m.fit_reasons.length === m.fit_codes.length && m.fit_reasons.length > 0);
    }
    // ranked by fit; the best speaks Arabic, is free in reception and has room
    const fits = l0.matches.map((m) => m.fit);
    assert.deepEqual(fits, [...fits].sort((x, y) => y - x));
    assert.ok(l0.matches[0].fit_reasons.includes('spreekt Arabisch'), JSON.stringify(l0.matches[0]));
    assert.ok(l0.matches[0].fit_reasons.includes('gratis in de opvang'));
    // the stressors each suggest a practical offer
    assert.deepEqual(a.stressor_offers.map((o) => o.stressor), ['housing', 'family']);
    assert.match(a.stressor_offers[0].reason.nl, /wonen/i);
    // stored with the rules version, codes and ids only, one audit row
    const rows = sql(server.dbPath, `SELECT * FROM route_advice WHERE uid = ${q(a.id)}`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].rules_id, 'vk-default');
    assert.equal(rows[0].rules_version, '1.0.0');
    assert.ok(rows[0].screening_uid, 'the screening used is recorded');
    assert.doesNotMatch(rows[0].output, /Er zijn|spreekt|name/, 'no free text stored');
    assert.equal(count(server.dbPath, `object_type = 'route_advice' AND action = 'create'`), before + 1);
    assert.equal(count(server.dbPath,
      `object_type = 'route_advice' AND action = 'create' AND object_id = ${q(a.id)} AND client_pid = ${q(medium)}`), 1);
  });

  it('complaints that persist add the GP (L1) after L0; never specialist care directly', async () => {
    const r = await vol.post(`/api/v1/clients/${medium}/route`, { persistent: true, wishes: ['women_only'] });
    assertStatus(r, 201);
    assert.deepEqual(r.json.levels.map((l) => l.level), ['L0', 'L1'], show(r));
    const l1 = r.json.levels[1];
    assert.deepEqual(l1.rules, ['medium_persistent']);
    assert.match(l1.reasons[0].nl, /huisarts/);
    assert.ok(l1.matches.length > 0);
    const levels = new Map(sql(server.dbPath, 'SELECT hsds_id, level FROM map_services').map((x) => [x.hsds_id, x.level]));
    for (const m of l1.matches) assert.equal(levels.get(m.service), 'L1', `${m.name} is an L1 service`);
    assert.ok(r.json.levels.every((l) => l.level !== 'L2' && l.level !== 'L3'));
    assert.ok(r.json.levels[0].matches[0].fit_reasons.includes('alleen voor vrouwen'),
      JSON.stringify(r.json.levels[0].matches[0]));
    assert.deepEqual(r.json.input.wishes, ['women_only']);
  });

  it('an open red flag routes to crisis first, now', async () => {
    const r = await vol.post(`/api/v1/clients/${flagged}/route`, {});
    assertStatus(r, 201);
    assert.equal(r.json.levels[0].level, 'crisis', show(r));
    assert.equal(r.json.urgency, 'now');
    assert.equal(r.json.input.red_flag, true);
    assert.equal(r.json.input.phase, 'municipality');
    assert.equal(r.json.area, 'urn:veerkracht:demo:gemeente:lindedal');
    assert.match(r.json.levels[0].reasons[0].nl, /rood signaal/);
    const crisis = new Set(sql(server.dbPath, `SELECT hsds_id FROM map_services WHERE level = 'crisis'`).map((x) => x.hsds_id));
    assert.ok(r.json.levels[0].matches.length > 0);
    for (const m of r.json.levels[0].matches) assert.ok(crisis.has(m.service), `${m.name} is a crisis service`);
  });

  it('GET returns the latest advice with names and texts put back', async () => {
    const post = await vol.post(`/api/v1/clients/${medium}/route`, { function_impaired: true });
    assertStatus(post, 201);
    const r = await vol.get(`/api/v1/clients/${medium}/route`);
    assertStatus(r, 200);
    assert.equal(r.json.id, post.json.id);
    assert.deepEqual(r.json.levels.map((l) => l.level), ['L0', 'L1']);
    assert.deepEqual(r.json.levels[1].rules, ['medium_impaired']);
    assert.equal(r.json.levels[0].matches[0].name, post.json.levels[0].matches[0].name);
    assert.deepEqual(r.json.levels[0].matches[0].fit_reasons, post.json.levels[0].matches[0].fit_reasons);
    assert.equal(r.json.levels[1].reasons[0].nl, post.json.levels[1].reasons[0].nl);
  });

  it('bad input is refused with pointers and nothing is stored', async () => {
    const n = count(server.dbPath, '1', 'route_advice');
    const r = await vol.post(`/api/v1/clients/${medium}/route`,
      { wishes: ['pony'], persistent: 'yes', near: { lat: 200, lon: 5 }, colour: 'red' });
    assertProblem(r, 422, 'invalid-input');
    const ptrs = r.json.errors.map((e) => e.pointer).sort();
    assert.deepEqual(ptrs, ['/colour', '/near', '/persistent', '/wishes']);
    assert.equal(count(server.dbPath, '1', 'route_advice'), n);
  });

  it('without a grant: 404, audited as denied, nothing stored', async () => {
    const n = count(server.dbPath, '1', 'route_advice');
    const denied = () => count(server.dbPath,
      `action = 'access_denied' AND object_type = 'route_advice' AND client_pid = ${q(medium)}`);
    const d0 = denied();
    assertProblem(await ggz.post(`/api/v1/clients/${medium}/route`, {}), 404, 'not-found');
    assertProblem(await ggz.get(`/api/v1/clients/${medium}/route`), 404, 'not-found');
    assert.equal(denied(), d0 + 2);
    assert.equal(count(server.dbPath, '1', 'route_advice'), n);
  });

  it('GET before any advice is 404', async () => {
    const c = await vol.post('/api/v1/clients', {
      year_of_birth: 2016, gender: 'male', country_of_origin: 'AF', language: 'fa', phase: 'coa',
      location: 'AZC Veerhaven', risk_flags: [],
    });
    assertStatus(c, 201);
    assertProblem(await vol.get(`/api/v1/clients/${c.json.id}/route`), 404, 'not-found');
    // a child without a screening: school and leisure with the parent
    const r = await vol.post(`/api/v1/clients/${c.json.id}/route`, {});
    assertStatus(r, 201);
    assert.equal(r.json.input.age_group, 'child');
    assert.equal(r.json.with_parent, true);
    assert.deepEqual(r.json.levels.map((l) => l.level), ['L0']);
    assert.deepEqual(r.json.levels[0].rules, ['no_screening', 'child_youth_low']);
  });

  it('each offer names who would receive a referral; a service tried without result ranks last', async () => {
    const a = await vol.post(`/api/v1/clients/${medium}/route`, { persistent: true });
    assertStatus(a, 201);
    const orgs = (await vol.get('/api/v1/orgs')).json.items;
    const l1 = a.json.levels.find((l) => l.level === 'L1');
    for (const m of l1.matches) {
      if (m.receiver === null) continue;
      const o = orgs.find((x) => x.id === m.receiver.id);
      assert.ok(o, `receiver ${JSON.stringify(m.receiver)} is an account organisation`);
      assert.equal(o.name, m.receiver.name);
    }
    const top = l1.matches.find((m) => m.receiver);
    assert.ok(top, `an L1 offer with a receiver: ${show(a)}`);
    assert.ok(l1.matches.some((m) => m.receiver === null) || l1.matches.every((m) => m.receiver), 'null when unmapped');
    const stored = sql(server.dbPath, `SELECT output FROM route_advice WHERE uid = ${q(a.json.id)}`)[0].output;
    assert.ok(!stored.includes('receiver'), 'the receiver is not stored with the advice');
    assert.deepEqual(a.json.input.tried, []);

    // Referred to the best L1 offer, declined by the receiver.
    const g = await vol.post(`/api/v1/clients/${medium}/grants`, { org_id: top.receiver.id, scopes: ['signal', 'referral'], basis: 'verbal_consent', days: 30 });
    assertStatus(g, 201);
    const ref = await vol.post('/api/v1/referrals', { client_id: medium, service_id: top.service, scopes: ['signal'] });
    assertStatus(ref, 201);
    const staff = await demoLogin(server, 'health_staff');
    assert.equal((await staff.get('/api/v1/me')).json.user.org.id, top.receiver.id, 'the demo health staff works there');
    assertStatus(await staff.post(`/api/v1/referrals/${ref.json.id}/transitions`, { to: 'received' }), 200);
    assertStatus(await staff.post(`/api/v1/referrals/${ref.json.id}/transitions`, { to: 'declined', reason: 'no_capacity' }), 200);

    const b = await vol.post(`/api/v1/clients/${medium}/route`, { persistent: true });
    assertStatus(b, 201);
    assert.deepEqual(b.json.input.tried, [top.service]);
    const m1 = b.json.levels.find((l) => l.level === 'L1').matches;
    assert.notEqual(m1[0].service, top.service, 'no longer first');
    const at = m1.findIndex((m) => m.service === top.service);
    if (at >= 0) {
      assert.ok(m1[at].fit_codes.includes('tried'));
      assert.ok(m1[at].fit_reasons.includes('al eerder geprobeerd'));
      assert.ok(m1.slice(at + 1).every((m) => m.fit_codes.includes('tried')), 'after every offer not tried');
    }
    for (const m of m1.filter((x) => x.service !== top.service)) assert.ok(!m.fit_codes.includes('tried'));
    // Read back the same by the volunteer's organisation, which is party to the referral.
    const again = await vol.get(`/api/v1/clients/${medium}/route`);
    assert.deepEqual(again.json.input.tried, [top.service]);
    assert.ok(again.json.levels.find((l) => l.level === 'L1').matches
      .every((m) => m.fit_codes.includes('tried') === (m.service === top.service)));

    // Not stored: another organisation with signal access never learns the failed referral.
    const row = sql(server.dbPath, `SELECT input, output FROM route_advice WHERE uid = ${q(b.json.id)}`)[0];
    assert.ok(!row.input.includes('tried') && !row.output.includes('"tried"'), 'tried is not stored');
    const ggzOrg = (await ggz.get('/api/v1/me')).json.user.org.id;
    assert.notEqual(ggzOrg, top.receiver.id);
    assertStatus(await vol.post(`/api/v1/clients/${medium}/grants`, { org_id: ggzOrg, scopes: ['signal'], basis: 'verbal_consent', days: 30 }), 201);
    const seen = await ggz.get(`/api/v1/clients/${medium}/route`);
    assertStatus(seen, 200);
    assert.equal(seen.json.id, b.json.id, 'the same advice');
    assert.deepEqual(seen.json.input.tried, [], show(seen));
    for (const x of [...seen.json.levels, ...(seen.json.stressor_offers || [])]) {
      for (const m of x.matches || []) {
        assert.ok(!m.fit_codes.includes('tried') && !m.fit_reasons.includes('al eerder geprobeerd'), JSON.stringify(m));
      }
    }
    const own = await ggz.post(`/api/v1/clients/${medium}/route`, { persistent: true });
    assertStatus(own, 201);
    assert.deepEqual(own.json.input.tried, []);
    // and the volunteer, reading the advice Basis-GGZ computed, still sees their own referral's
    const volSees = await vol.get(`/api/v1/clients/${medium}/route`);
    assert.equal(volSees.json.id, own.json.id);
    assert.deepEqual(volSees.json.input.tried, [top.service]);

    // An advice stored before tried became per caller carried the code and the order: the reader
    // gets the order back without it, so the order tells nobody what was tried.
    const canon = own.json.levels.find((l) => l.level === 'L1').matches.map((m) => m.service);
    assert.ok(canon.length >= 2, show(own));
    const stored2 = JSON.parse(sql(server.dbPath, `SELECT output FROM route_advice WHERE uid = ${q(own.json.id)}`)[0].output);
    const lvl = stored2.levels.find((l) => l.level === 'L1');
    const [firstM] = lvl.matches.splice(0, 1);
    firstM.fit_codes.push('tried');
    lvl.matches.push(firstM);
    const e = sqlExec(server.dbPath, `UPDATE route_advice SET output = ${q(JSON.stringify(stored2))} WHERE uid = ${q(own.json.id)};`);
    assert.equal(e.status, 0, e.stderr);
    const legacy = await ggz.get(`/api/v1/clients/${medium}/route`);
    assertStatus(legacy, 200);
    const got = legacy.json.levels.find((l) => l.level === 'L1').matches;
    assert.deepEqual(got.map((m) => m.service), canon, 'the order without anybody\'s tried services');
    assert.ok(got.every((m) => !m.fit_codes.includes('tried')));
  });
});

describe('route rules files', () => {
  it('route check accepts the default and locates problems', () => {
    const ok = runCli(['route', 'check', DEFAULT_RULES]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /ok \(vk-default 1\.0\.0/);
    const dir = tempDir();
    const doc = JSON.parse(readFileSync(DEFAULT_RULES, 'utf8'));
    doc.rules[3].when.band = ['hgh'];
    doc.rules[2].levels = ['L0', 'L3'];
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(doc));
    const r = runCli(['route', 'check', bad]);
    assert.equal(r.status, 1);
    assert.ok(r.stderr.includes(`${bad}: /rules/3/when/band: unknown band "hgh"`), r.stderr);
    assert.ok(r.stderr.includes(`${bad}: /rules/2/levels/1: L3 only after L1`), r.stderr);
  });

  it('the server refuses to start with an invalid routing_rules file, and uses a valid one', async () => {
    const dir = tempDir();
    const doc = JSON.parse(readFileSync(DEFAULT_RULES, 'utf8'));
    doc.rules[1].when.colour = 'red';
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(doc));
    const r = runCli(['serve', '--listen', '127.0.0.1:0', '--db', join(dir, 'x.db'), '--routing-rules', bad]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /\/rules\/1\/when\/colour: unknown condition "colour"/);

    delete doc.rules[1].when.colour;
    doc.id = 'region-west';
    doc.version = '2.1';
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(doc));
    const server = await startServer({ demo: true, args: ['--routing-rules', good] });
    try {
      const vol = await demoLogin(server, 'volunteer');
      const rules = await vol.get('/api/v1/routing/rules');
      assert.equal(rules.json.id, 'region-west');
      const pid = (await vol.get('/api/v1/clients')).json.items.find((c) => c.phase === 'coa').id;
      const adv = await vol.post(`/api/v1/clients/${pid}/route`, {});
      assertStatus(adv, 201);
      assert.deepEqual(adv.json.rules, { id: 'region-west', version: '2.1', active: true });
      const row = sql(server.dbPath, `SELECT rules_id, rules_version FROM route_advice WHERE uid = ${q(adv.json.id)}`);
      assert.deepEqual(row, [{ rules_id: 'region-west', rules_version: '2.1' }]);
    } finally {
      await server.stop();
    }
  });
});
