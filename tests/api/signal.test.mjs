// SPDX-License-Identifier: EUPL-1.2
// Signalling over HTTP: every shipped instrument and every imported fixture (RHS-15, PHQ-9,
// GAD-7, K10, WHO-5) scored at its band edges by the real server; red flags stored, overriding
// the band, closed only by a professional; invalid screenings refused whole; no access without a
// grant; the coordinator's worklist.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, demoLogin, sampleClient, runCli, tempDir, repoRoot } from '../lib/server.mjs';
import { sql, sqlExec, q } from './_util.mjs';

const fixtures = ['rhs15', 'phq9', 'gad7', 'k10', 'who5'];
const shipped = ['vk-signal-adult', 'vk-signal-youth', 'vk-signal-child'];
const cases = (id) => JSON.parse(readFileSync(join(repoRoot, 'tests/fixtures/instruments', `${id}.cases.json`), 'utf8'));
const year = new Date().getUTCFullYear();
const ageFor = { 'vk-signal-youth': 15, 'vk-signal-child': 8 };

describe('signalling', () => {
  let server, vol, gp, coord, adult;

  before(async () => {
    const dir = tempDir();
    const db = join(dir, 'veerkracht.db');
    const imp = runCli(['instrument', 'import', '--db', db,
      ...fixtures.map((f) => join(repoRoot, 'tests/fixtures/instruments', `${f}.json`))]);
    assert.equal(imp.status, 0, imp.stderr);
    server = await startServer({ demo: true, dir });
    vol = await demoLogin(server, 'volunteer');
    gp = await demoLogin(server, 'gp');
    coord = await demoLogin(server, 'coordinator');
    adult = (await vol.post('/api/v1/clients', sampleClient({ year_of_birth: year - 30 }))).json.id;
  });
  after(() => server.stop());

  const submit = (client, instrument, answers, over = {}) => vol.post(`/api/v1/clients/${client}/screenings`,
    { instrument, version: '1.0.0', language: 'nl', mode: 'client', answers, ...over });

  it('lists the shipped and imported instruments, localised', async () => {
    const r = await vol.get('/api/v1/instruments?lang=ar');
    assert.equal(r.status, 200);
    const ids = r.json.items.map((i) => i.id).sort();
    assert.deepEqual(ids, [...fixtures, ...shipped].sort());
    const adultDef = await vol.get('/api/v1/instruments/vk-signal-adult?lang=ar');
    assert.equal(adultDef.json.dir, 'rtl');
    assert.equal(adultDef.json.items.length, 22);
    assert.ok(adultDef.json.items[0].text.nl && adultDef.json.items[0].text.text !== adultDef.json.items[0].text.nl);
    assert.ok(adultDef.json.red_flags.some((f) => f.item === 'safety_life'));
    assert.equal((await vol.get('/api/v1/instruments/nope')).status, 404);
  });

  for (const id of [...shipped, ...fixtures]) {
    it(`${id}: every expectation case scores exactly through the API`, async () => {
      const client = ageFor[id]
        ? (await vol.post('/api/v1/clients', sampleClient({ year_of_birth: year - ageFor[id] }))).json.id
        : adult;
      for (const c of cases(id)) {
        const r = await submit(client, id, c.answers);
        assert.equal(r.status, 201, `${id} ${c.name}: ${r.text}`);
        const res = r.json.result;
        for (const [scale, value] of Object.entries(c.expect.scales ?? {})) {
          assert.equal(res.scales[scale].value, value, `${id} ${c.name}: scale ${scale}`);
        }
        if (c.expect.band) assert.equal(res.band?.id, c.expect.band, `${id} ${c.name}: band`);
        if (c.expect.level) assert.equal(res.level, c.expect.level, `${id} ${c.name}: level`);
        for (const [rule, v] of Object.entries(c.expect.rules ?? {})) {
          assert.equal(res.rules[rule], v, `${id} ${c.name}: rule ${rule}`);
        }
        const flags = res.red_flags.map((f) => f.flag);
        assert.deepEqual(flags, c.expect.red_flags ?? [], `${id} ${c.name}: red flags`);
        if (flags.length) assert.equal(res.level, 'crisis', 'a red flag overrides every band');
      }
    });
  }

  it('a red flag is stored open, overrides the band, and shows on the client', async () => {
    const all0 = Object.fromEntries(cases('vk-signal-adult')[0].answers ? Object.keys(cases('vk-signal-adult')[0].answers).map((k) => [k, 0]) : []);
    const r = await submit(adult, 'vk-signal-adult', { ...all0, safety_life: 1 });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.result.band.id, 'low');
    assert.equal(r.json.result.level, 'crisis');
    const flags = (await vol.get(`/api/v1/clients/${adult}/red-flags`)).json.items;
    const f = flags.find((x) => x.id === r.json.result.red_flags[0].id);
    assert.equal(f.state, 'open');
    assert.equal(f.protocol, 'suicide');
    assert.ok(Date.parse(f.due_at) - Date.parse(f.raised_at) === 24 * 3600e3);
    const rows = sql(server.dbPath, `SELECT action, object_type FROM audit WHERE request_id = ${q(r.headers.get('x-request-id'))}`);
    assert.deepEqual(rows, [{ action: 'create', object_type: 'screening' }]);
    const again = await vol.get(`/api/v1/clients/${adult}/screenings/${r.json.id}`);
    assert.deepEqual(again.json.result.red_flags, r.json.result.red_flags, 'stored with its flags');
    assert.equal(f.screening_id, r.json.id);
  });

  it('a flag raised on the answer becomes the screening\'s flag, not a second one', async () => {
    const c = (await vol.post('/api/v1/clients', sampleClient({ year_of_birth: year - 40 }))).json.id;
    const early = await vol.post(`/api/v1/clients/${c}/red-flags`, { protocol: 'suicide', flag: 'suicidal_thoughts' });
    assert.equal(early.status, 201, early.text);
    assert.equal(early.json.screening_id, null);
    const all0 = Object.fromEntries(Object.keys(cases('vk-signal-adult')[0].answers).map((k) => [k, 0]));
    const r = await submit(c, 'vk-signal-adult', { ...all0, safety_life: 1 });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.result.red_flags.map((f) => f.id), [early.json.id]);
    const flags = (await vol.get(`/api/v1/clients/${c}/red-flags`)).json.items;
    assert.equal(flags.length, 1);
    assert.equal(flags[0].screening_id, r.json.id);
    assert.equal((await vol.post(`/api/v1/clients/${c}/red-flags`, { protocol: 'suicide', flag: 'Bad Name' })).status, 422);
  });

  it('invalid screenings are 422 with pointers and store nothing', async () => {
    const good = cases('vk-signal-adult')[0].answers;
    const before = sql(server.dbPath, 'SELECT count(*) AS n FROM screenings')[0].n;
    const flagsBefore = sql(server.dbPath, 'SELECT count(*) AS n FROM red_flags')[0].n;
    const bad = [
      [{ ...good, bogus: 1 }, {}, '/answers/bogus'],
      [{ ...good, sleep: 2 }, {}, '/answers/sleep'],
      [(({ sleep, ...rest }) => rest)(good), {}, '/answers/sleep'],
      [{ ...good, safety_life: 1, sleep: 7 }, {}, '/answers/sleep'], // a red flag does not store half
      [good, { version: '9.9.9' }, '/version'],
      [good, { language: 'xx' }, '/language'],
      [good, { mode: 'robot' }, '/mode'],
      [good, { instrument: 'vk-signal-child' }, '/instrument'], // an adult is not 4-12
    ];
    for (const [answers, over, pointer] of bad) {
      const r = await submit(adult, 'vk-signal-adult', answers, over);
      assert.equal(r.status, 422, r.text);
      assert.ok(r.json.errors.some((e) => e.pointer === pointer), `${pointer}: ${r.text}`);
    }
    assert.equal(sql(server.dbPath, 'SELECT count(*) AS n FROM screenings')[0].n, before);
    assert.equal(sql(server.dbPath, 'SELECT count(*) AS n FROM red_flags')[0].n, flagsBefore);
  });

  it('without a grant a screening is 404, read and write', async () => {
    const r = await gp.post(`/api/v1/clients/${adult}/screenings`, { instrument: 'phq9', version: '1.0.0', language: 'nl', mode: 'client', answers: {} });
    assert.equal(r.status, 404);
    assert.equal((await gp.get(`/api/v1/clients/${adult}/screenings`)).status, 404);
    const list = await vol.get(`/api/v1/clients/${adult}/screenings`);
    assert.equal(list.status, 200);
    const one = await vol.get(`/api/v1/clients/${adult}/screenings/${list.json.items[0].id}`);
    assert.equal(one.status, 200);
    assert.equal(one.json.id, list.json.items[0].id);
    assert.equal((await gp.get(`/api/v1/clients/${adult}/screenings/${list.json.items[0].id}`)).status, 404);
  });

  it('a volunteer raises a flag by hand; only a professional closes it, with a reason', async () => {
    const raised = await vol.post(`/api/v1/clients/${adult}/red-flags`, { protocol: 'danger', note: 'zorgen' });
    assert.equal(raised.status, 201, raised.text);
    assert.equal(raised.json.severity, 'red_imminent');
    const fid = raised.json.id;
    const act = await vol.post(`/api/v1/red-flags/${fid}/actions`, { action: 'called_112', note: 'ambulance' });
    assert.equal(act.status, 201, act.text);
    assert.equal(act.json.actions[0].action, 'called_112');
    assert.equal((await vol.post(`/api/v1/red-flags/${fid}/actions`, { action: 'dance' })).status, 422);
    assert.equal((await vol.post(`/api/v1/red-flags/${fid}/close`, { reason: 'klaar' })).status, 403);
    assert.equal((await gp.post(`/api/v1/red-flags/${fid}/close`, { reason: 'klaar' })).status, 404, 'no grant, no flag');
    const orgs = (await vol.get('/api/v1/orgs')).json.items;
    const gpOrg = orgs.find((o) => o.kind === 'gp_practice').id;
    assert.equal((await vol.post(`/api/v1/clients/${adult}/grants`, { org_id: gpOrg, scopes: ['signal'], basis: 'verbal_consent', days: 7 })).status, 201);
    assert.equal((await gp.post(`/api/v1/red-flags/${fid}/close`, { reason: '' })).status, 422);
    const closed = await gp.post(`/api/v1/red-flags/${fid}/close`, { reason: 'Gesproken, veiligheidsplan gemaakt' });
    assert.equal(closed.status, 200, closed.text);
    assert.equal(closed.json.state, 'closed');
    assert.equal((await gp.post(`/api/v1/red-flags/${fid}/close`, { reason: 'nog eens' })).status, 409);
  });

  it('open flags are on the coordinator worklist, without notes; closed ones leave it', async () => {
    const raised = await vol.post(`/api/v1/clients/${adult}/red-flags`, { protocol: 'suicide', note: 'GEHEIM-NOTE' });
    const w = await coord.get('/api/v1/worklist');
    assert.equal(w.status, 200, w.text);
    const item = w.json.items.find((i) => i.flag.id === raised.json.id);
    assert.ok(item, 'the new flag is on the worklist');
    assert.equal(item.client_id, adult);
    assert.equal(item.flag.overdue, false);
    assert.ok(!w.text.includes('GEHEIM-NOTE'), 'no free text beyond grants');
    assert.ok(w.json.items.every((i) => i.flag.state === 'open'));
    assert.deepEqual((await vol.get('/api/v1/worklist')).json.items, [], 'no red flags for a volunteer (only their overdue referrals)');
  });

  it('a flag left open for more than 24 hours is overdue on the worklist', async () => {
    const raised = await vol.post(`/api/v1/clients/${adult}/red-flags`, { protocol: 'danger' });
    const day = 24 * 3600 * 1000;
    // the server has no clock to wind on, so age the flag itself by 25 hours
    const r = sqlExec(server.dbPath, `UPDATE red_flags SET raised_at = raised_at - ${day + 3600e3},
      due_at = due_at - ${day + 3600e3} WHERE uid = ${q(raised.json.id)}`);
    assert.equal(r.status, 0, r.stderr);
    const item = (await coord.get('/api/v1/worklist')).json.items.find((i) => i.flag.id === raised.json.id);
    assert.equal(item.flag.overdue, true);
    assert.ok(Date.parse(item.flag.due_at) < Date.now());
    const fresh = (await coord.get('/api/v1/worklist')).json.items.filter((i) => !i.flag.overdue);
    assert.ok(fresh.every((i) => Date.parse(i.flag.due_at) > Date.now()), 'only the aged one is overdue');
  });
});
