// SPDX-License-Identifier: EUPL-1.2
// Coordinator editing of the social map over HTTP, on the demo region: the edit model read and
// written back, located 422 errors that write nothing, 403 for other roles and other regions,
// creating a service, and the audit row plus revision that every save leaves.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, Client, demoLogin, runCli, repoRoot } from '../lib/server.mjs';
import { sql, show, assertProblem } from './_util.mjs';

const demo = JSON.parse(readFileSync(join(repoRoot, 'data', 'social-map', 'demo-veerhaven.json'), 'utf8'));
// a service for both phases, with translations, so every part of the model is exercised
const target = demo.find((s) => s.cost_options.length === 2 && s.contacts.length >= 1);
// the server's "today" is the Dutch calendar day (src/core/clock.c clock_nl_date)
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());

/** Runs one query with a buffer big enough for whole documents (the shared helper caps at 1 MiB). */
function sqlBig(db, query) {
  const r = spawnSync('sqlite3', ['-readonly', '-json', '-cmd', '.timeout 5000', db, query],
    { encoding: 'utf8', timeout: 30000, maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`sqlite3 exited ${r.status}: ${r.stderr}\nquery: ${query}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

/** What must not change when a save is refused. */
function snapshot(db) {
  const h = createHash('sha256');
  for (const r of sqlBig(db, 'SELECT hsds_id, doc FROM map_services ORDER BY hsds_id')) h.update(`${r.hsds_id}\0${r.doc}\0`);
  return {
    docs: h.digest('hex'),
    services: sql(db, 'SELECT count(*) AS n FROM map_services')[0].n,
    revisions: sql(db, 'SELECT count(*) AS n FROM map_revisions')[0].n,
    updates: sql(db, "SELECT count(*) AS n FROM audit WHERE object_type = 'map_service' AND outcome = 'success'")[0].n,
  };
}

const pointers = (r) => (r.json?.errors ?? []).map((e) => e.pointer);

describe('social map editing (API)', () => {
  let server;
  let coord;
  const path = `/api/v1/services/${target.id}`;

  before(async () => {
    server = await startServer({ demo: true });
    coord = await demoLogin(server, 'coordinator');
  });
  after(async () => { await server?.stop(); });

  it('the demo map is loaded for the demo region with its areas', () => {
    assert.equal(sql(server.dbPath, "SELECT count(*) AS n FROM map_services WHERE region = 'Regio Veerhaven'")[0].n, demo.length);
    const areas = Object.fromEntries(sql(server.dbPath, 'SELECT uri, name, kind, parent_uri FROM map_areas')
      .map((a) => [a.uri, a]));
    assert.deepEqual(areas['urn:veerkracht:demo:coa-locatie:azc-veerhaven'], {
      uri: 'urn:veerkracht:demo:coa-locatie:azc-veerhaven', name: 'AZC Veerhaven', kind: 'coa_location',
      parent_uri: 'urn:veerkracht:demo:gemeente:veerhaven',
    });
    assert.equal(areas['urn:veerkracht:demo:gemeente:lindedal'].name, 'Lindedal');
    assert.equal(areas['urn:veerkracht:area:nl'].name, 'Nederland');
    // dates move with the calendar: as many entries are stale (> 183 days) as on 2026-11-22
    const day = 86400000;
    const shift = Math.floor(Date.now() / day) - Math.floor(Date.parse('2026-11-22') / day);
    const stored = sql(server.dbPath, `SELECT assured_date FROM map_services WHERE hsds_id = '${target.id}'`)[0];
    const expect = new Date(Date.parse(target.assured_date) + shift * day).toISOString().slice(0, 10);
    assert.equal(stored.assured_date, expect);
    const stale = sql(server.dbPath, `SELECT count(*) AS n FROM map_services WHERE assured_date < date('now', '-183 days')`)[0].n;
    assert.equal(stale, 18);
  });

  it('GET …/edit gives the flat model, the region and the import revision', async () => {
    const r = await coord.get(`${path}/edit`);
    assert.equal(r.status, 200, show(r));
    const m = r.json.model;
    assert.equal(r.json.region, 'Regio Veerhaven');
    assert.equal(m.name.nl, target.name);
    assert.ok(m.name.en && m.name.ar, 'translations are in the model');
    assert.equal(m.translation_status.ar, 'draft');
    assert.deepEqual(m.phases, ['coa', 'municipality']);
    assert.deepEqual(Object.keys(m.costs).sort(), ['coa', 'municipality']);
    assert.match(m.level, /^(L[0-3]|crisis)$/);
    assert.equal(typeof m.iasc_layer, 'number');
    assert.equal(typeof m.interpreter.provided, 'boolean');
    assert.ok(m.contacts.length >= 1 && m.contacts[0].id && Array.isArray(m.contacts[0].roles));
    assert.equal(m.organization_id, target.organization_id);
    assert.equal(m.minimum_age, target.minimum_age);
    assert.equal(r.json.revisions.length, 1);
    assert.equal(r.json.revisions[0].source, 'import');
    assert.match(r.json.revisions[0].at, /^\d{4}-\d\d-\d\dT/);
  });

  it('PUT saves name, translations, capacity and "checked"; the model reads back; audited and revised', async () => {
    const before = snapshot(server.dbPath);
    const storedBefore = JSON.parse(sql(server.dbPath, `SELECT doc FROM map_services WHERE hsds_id = '${target.id}'`)[0].doc);
    const m = structuredClone((await coord.get(`${path}/edit`)).json.model);
    m.name.nl = `${target.name} (bewerkt)`;
    m.name.en = 'Edited name';
    m.description.ar = 'وصف معدل';
    m.capacity = { state: 'waitlist', weeks: 6 };
    m.mark_checked = true;
    const p = await coord.req('PUT', path, { body: m });
    assert.equal(p.status, 200, show(p));
    assert.deepEqual(p.json, { id: target.id });

    const back = await coord.get(`${path}/edit`);
    const b = back.json.model;
    assert.equal(b.name.nl, `${target.name} (bewerkt)`);
    assert.equal(b.name.en, 'Edited name');
    assert.equal(b.description.ar, 'وصف معدل');
    assert.deepEqual(b.capacity, { state: 'waitlist', weeks: 6, updated: today() });
    assert.equal(b.assured_date, today());
    assert.equal(b.assurer_email, 'coordinator@demo.example');
    for (const k of ['phases', 'costs', 'contacts', 'languages', 'target_groups', 'legal_statuses', 'entry_routes',
      'culture', 'interpreter', 'level', 'iasc_layer', 'minimum_age', 'maximum_age', 'url', 'email']) {
      assert.deepEqual(b[k], m[k], `${k} unchanged`);
    }
    const rev = back.json.revisions[0];
    assert.equal(rev.source, 'edit');
    assert.notEqual(rev.by_user, 'import');
    for (const f of ['name', 'description', 'capacity', 'assured_date']) assert.ok(rev.fields.includes(f), `${f} in ${rev.fields}`);
    assert.ok(!rev.fields.includes('phases'));

    const after = snapshot(server.dbPath);
    assert.equal(after.revisions, before.revisions + 1);
    assert.equal(after.updates, before.updates + 1);
    const audit = sql(server.dbPath, "SELECT action, object_id, outcome, role FROM audit WHERE object_type = 'map_service' ORDER BY id DESC LIMIT 1")[0];
    assert.deepEqual(audit, { action: 'update', object_id: target.id, outcome: 'success', role: 'coordinator' });
    const row = sql(server.dbPath, `SELECT name, capacity, waitlist_weeks, assured_date, updated_by FROM map_services WHERE hsds_id = '${target.id}'`)[0];
    assert.equal(row.name, `${target.name} (bewerkt)`);
    assert.equal(row.capacity, 'waitlist');
    assert.equal(row.waitlist_weeks, 6);
    assert.equal(row.assured_date, today());
    assert.equal(row.updated_by, rev.by_user);
    const prev = sql(server.dbPath, `SELECT prev_doc FROM map_revisions WHERE service_id = '${target.id}' ORDER BY id DESC LIMIT 1`)[0];
    assert.equal(JSON.parse(prev.prev_doc).name, target.name);
    // what the model does not cover is kept as it was
    const stored = JSON.parse(sql(server.dbPath, `SELECT doc FROM map_services WHERE hsds_id = '${target.id}'`)[0].doc);
    for (const k of ['phones', 'schedules', 'service_areas', 'service_at_locations', 'required_documents']) {
      assert.deepEqual(stored[k], storedBefore[k], `${k} kept`);
    }
    const fts = sql(server.dbPath, "SELECT rowid FROM map_fts WHERE map_fts MATCH 'bewerkt'");
    assert.equal(fts.length, 1, 'the search index follows the edit');
  });

  it('422 names edit-model pointers and writes nothing', async () => {
    const base = (await coord.get(`${path}/edit`)).json.model;
    const cases = [
      ['/level', (m) => { m.level = 'L9'; }],
      ['/name/nl', (m) => { delete m.name.nl; }],
      ['/capacity/weeks', (m) => { m.capacity = { state: 'waitlist', weeks: -2 }; }],
      ['/costs/municipality', (m) => { delete m.costs.municipality; }],
      ['/costs/coa/cost', (m) => { m.costs.coa.cost = 'cheap'; }],
      ['/no_such_member', (m) => { m.no_such_member = true; }],
      // longer than HSDS allows (8 KiB): a field error, not a malformed body
      ['/description/nl', (m) => { m.description.nl = 'x'.repeat(8193); }],
      // found by the HSDS profile check, mapped back to the model
      ['/alert/nl', (m) => { m.status = 'temporarily closed'; m.alert = {}; }],
      ['/contacts/0/email', (m) => {
        m.contacts[0].email = 'not an email';
        m.contacts.push({ name: 'Intake (test)', roles: ['treats'] }); // a new id sorts anywhere
      }],
    ];
    for (const [pointer, change] of cases) {
      const before = snapshot(server.dbPath);
      const m = structuredClone(base);
      change(m);
      const r = await coord.req('PUT', path, { body: m });
      assertProblem(r, 422, 'invalid-input');
      assert.ok(pointers(r).includes(pointer), `${pointer} in ${JSON.stringify(r.json.errors)}`);
      assert.deepEqual(snapshot(server.dbPath), before, `nothing written for ${pointer}`);
    }
  });

  it('takes texts up to the HSDS limit of 8 KiB, past the API\'s usual 4 KiB', async () => {
    const m = (await coord.get(`${path}/edit`)).json.model;
    m.description.nl = `Lange beschrijving. ${'Veel te vertellen. '.repeat(300)}`.trim();
    assert.ok(Buffer.byteLength(m.description.nl) > 4096 && Buffer.byteLength(m.description.nl) <= 8192);
    const r = await coord.req('PUT', path, { body: m });
    assert.equal(r.status, 200, show(r));
    assert.equal((await coord.get(`${path}/edit`)).json.model.description.nl, m.description.nl);
  });

  it('403 for a volunteer and for a coordinator of another region', async () => {
    const base = (await coord.get(`${path}/edit`)).json.model;
    const before = snapshot(server.dbPath);
    const deniedBefore = sql(server.dbPath, "SELECT count(*) AS n FROM audit WHERE object_type = 'map_service' AND outcome = 'denied'")[0].n;

    const vol = await demoLogin(server, 'volunteer');
    assertProblem(await vol.req('PUT', path, { body: base }), 403, 'forbidden');
    assertProblem(await vol.get(`${path}/edit`), 403, 'forbidden');

    const add = runCli(['user', 'add', '--db', server.dbPath, '--org', 'Regiocoördinatie Elders (test)', '--org-kind',
      'coordination', '--region', 'Regio Elders', '--role', 'coordinator', '--email', 'coord@elders.example'],
    { input: 'Een-lang-wachtwoord-42\n' });
    assert.equal(add.status, 0, add.stderr);
    const other = new Client(server.url);
    assert.equal((await other.login('coord@elders.example', 'Een-lang-wachtwoord-42')).status, 200);
    assertProblem(await other.req('PUT', path, { body: base }), 403, 'forbidden');
    assertProblem(await other.get(`${path}/edit`), 403, 'forbidden');

    assert.deepEqual(snapshot(server.dbPath), before);
    const denied = sql(server.dbPath, "SELECT count(*) AS n FROM audit WHERE object_type = 'map_service' AND outcome = 'denied'")[0].n;
    assert.equal(denied, deniedBefore + 4, 'each refusal is in the audit trail');
  });

  it('POST creates a service in the coordinator\'s region', async () => {
    const orgs = await coord.get('/api/v1/map/organizations');
    assert.equal(orgs.status, 200, show(orgs));
    assert.ok(orgs.json.items.length >= 20);
    const org = orgs.json.items.find((o) => o.id === target.organization_id);
    assert.ok(org && org.name, 'organisations by id and name');
    const body = {
      name: { nl: 'Wandelgroep Veerhaven (test)', en: 'Walking group (test)' },
      description: { nl: 'Elke week samen wandelen (fictief).', en: 'Walking together every week.' },
      application_process: { nl: 'Kom langs op dinsdag.', en: 'Come on Tuesday.' },
      translation_status: { en: 'draft' },
      status: 'active', url: null, email: null, minimum_age: 18, maximum_age: null,
      level: 'L0', iasc_layer: 2, phases: ['municipality'],
      costs: { municipality: { cost: 'free', amount: null, interpreter_paid_by: null } },
      target_groups: [], legal_statuses: ['no_limit'], entry_routes: ['no_referral'],
      interpreter: { provided: false, modes: [] }, culture: ['group_format'],
      capacity: { state: 'open', weeks: null }, languages: ['nl', 'ar'],
      contacts: [{ name: 'Aanspreekpunt keten: wandelgroep', title: null, email: null, phone: '010-000 0999', roles: ['informs'] }],
      organization_id: org.id, service_areas: ['urn:veerkracht:demo:gemeente:veerhaven'], location_ids: [],
      mark_checked: true,
    };
    const before = snapshot(server.dbPath);
    const r = await coord.post('/api/v1/services', body);
    assert.equal(r.status, 201, show(r));
    assert.match(r.json.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(r.headers.get('location'), `/api/v1/services/${r.json.id}`);
    const back = await coord.get(`/api/v1/services/${r.json.id}/edit`);
    assert.equal(back.status, 200, show(back));
    assert.equal(back.json.model.name.en, 'Walking group (test)');
    assert.deepEqual(back.json.model.costs, { municipality: { cost: 'free', amount: 0, interpreter_paid_by: null } });
    assert.deepEqual(back.json.model.service_areas, ['urn:veerkracht:demo:gemeente:veerhaven']);
    assert.equal(back.json.revisions[0].source, 'create');
    const after = snapshot(server.dbPath);
    assert.equal(after.services, before.services + 1);
    assert.equal(after.revisions, before.revisions + 1);
    const row = sql(server.dbPath, `SELECT region FROM map_services WHERE hsds_id = '${r.json.id}'`)[0];
    assert.equal(row.region, 'Regio Veerhaven');
    const audit = sql(server.dbPath, "SELECT action FROM audit WHERE object_type = 'map_service' ORDER BY id DESC LIMIT 1")[0];
    assert.equal(audit.action, 'create');

    const missing = await coord.post('/api/v1/services', { ...body, organization_id: 'no-such-org' });
    assertProblem(missing, 422, 'invalid-input');
    assert.ok(pointers(missing).includes('/organization_id'), JSON.stringify(missing.json.errors));
  });

  it('an unknown service is 404; changing the organisation of an existing one is refused', async () => {
    assertProblem(await coord.get('/api/v1/services/00000000-0000-4000-8000-000000000000/edit'), 404, 'not-found');
    const m = (await coord.get(`${path}/edit`)).json.model;
    m.organization_id = demo.find((s) => s.organization_id !== target.organization_id).organization_id;
    const r = await coord.req('PUT', path, { body: m });
    assertProblem(r, 422, 'invalid-input');
    assert.ok(pointers(r).includes('/organization_id'));
  });
});
