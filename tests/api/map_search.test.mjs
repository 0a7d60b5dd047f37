// SPDX-License-Identifier: EUPL-1.2
// Searching and reading the social map over HTTP (GET /api/v1/services, /services/{id},
// /map/areas, /map/chain, /map/taxonomy) on a server started with --demo, which loads
// data/social-map/demo-veerhaven.json. Every expected count is computed here from that file, so
// a filter that finds too much or too little fails: each filter, free text in Dutch (with and
// without accents) and Arabic (with and without tashkeel and hamza forms), distance order,
// pagination, facets against filtered totals, the crisis list, 422 pointers, map_public=false,
// the resolved detail in Arabic with Dutch fallback, and 404s.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, Client, demoLogin, repoRoot, runCli } from '../lib/server.mjs';
import { assertProblem, show } from './_util.mjs';

const demo = JSON.parse(readFileSync(join(repoRoot, 'data/social-map/demo-veerhaven.json'), 'utf8'));
const AREA = {
  nl: 'urn:veerkracht:area:nl',
  veerhaven: 'urn:veerkracht:demo:gemeente:veerhaven',
  lindedal: 'urn:veerkracht:demo:gemeente:lindedal',
  azc: 'urn:veerkracht:demo:coa-locatie:azc-veerhaven',
};
const COA_PARENT = { [AREA.azc]: AREA.veerhaven };

/* ---------- the demo file, read independently of the server ---------- */

const codesOf = (obj) => (obj?.attributes ?? []).map((a) => a.taxonomy_term.code);
const valueOf = (obj, prefix) => codesOf(obj).find((c) => c.startsWith(prefix))?.slice(prefix.length);
const valuesOf = (obj, prefix) => codesOf(obj).filter((c) => c.startsWith(prefix)).map((c) => c.slice(prefix.length));

function facts(s) {
  const codes = codesOf(s);
  const free = {};
  for (const co of s.cost_options ?? []) free[valueOf(co, 'phase.')] = valueOf(co, 'cost.') === 'free';
  return {
    id: s.id,
    name: s.name,
    level: valueOf(s, 'care_level.'),
    phases: valuesOf(s, 'phase.'),
    min: s.minimum_age ?? 0,
    max: s.maximum_age ?? Infinity,
    targets: valuesOf(s, 'target_group.'),
    langs: (s.languages ?? []).map((l) => l.code),
    interpreter: codes.includes('interpreter.provided'),
    modes: valuesOf(s, 'interpreter.mode.'),
    free,
    noReferral: codes.includes('entry_route.no_referral') || codes.includes('entry_route.self_registration'),
    open: codes.includes('capacity.open') && s.status === 'active',
    areas: (s.service_areas ?? []).map((a) => a.uri),
    points: (s.service_at_locations ?? []).map((x) => x.location).filter((l) => typeof l?.latitude === 'number'),
  };
}
const all = demo.map(facts);
const byId = new Map(all.map((f) => [f.id, f]));
const servesMunicipality = (f, m) => f.areas.some((u) => u === m || COA_PARENT[u] === m || u === AREA.nl);

function km(lat1, lon1, lat2, lon2) {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2
    + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(a));
}
const nearest = (f, lat, lon) => Math.min(...f.points.map((p) => km(lat, lon, p.latitude, p.longitude)));

/* The filters of docs/social-map.md §6, each with the rule it should apply. */
const FILTERS = [
  ['level=L0', (f) => f.level === 'L0'],
  ['level=L1,L2', (f) => f.level === 'L1' || f.level === 'L2'],
  ['level=crisis', (f) => f.level === 'crisis'],
  ['phase=coa', (f) => f.phases.includes('coa')],
  ['phase=municipality', (f) => f.phases.includes('municipality')],
  ['age=15', (f) => f.min <= 15 && 15 <= f.max],
  ['age=70', (f) => f.min <= 70 && 70 <= f.max],
  ['target=women', (f) => f.targets.includes('women') || f.targets.length === 0],
  ['target=women&target_only=1', (f) => f.targets.includes('women')],
  ['target=ex_amv&target_only=1', (f) => f.targets.includes('ex_amv')],
  ['lang=ar', (f) => f.langs.includes('ar')],
  ['lang=ti', (f) => f.langs.includes('ti')],
  ['interpreter=1', (f) => f.interpreter],
  ['interpreter_mode=video', (f) => f.modes.includes('video')],
  ['interpreter=1&interpreter_mode=phone', (f) => f.interpreter && f.modes.includes('phone')],
  ['free=1&phase=coa', (f) => f.phases.includes('coa') && f.free.coa === true],
  ['free=1&phase=municipality', (f) => f.phases.includes('municipality') && f.free.municipality === true],
  ['no_referral=1', (f) => f.noReferral],
  ['open=1', (f) => f.open],
  [`municipality=${encodeURIComponent(AREA.veerhaven)}`, (f) => servesMunicipality(f, AREA.veerhaven)],
  [`municipality=${encodeURIComponent(AREA.lindedal)}`, (f) => servesMunicipality(f, AREA.lindedal)],
  [`phase=coa&lang=ar&open=1`, (f) => f.phases.includes('coa') && f.langs.includes('ar') && f.open],
  [`near=52.10,5.12&within_km=3`, (f) => f.points.length > 0 && nearest(f, 52.10, 5.12) <= 3],
];

/* ---------- the server ---------- */

let server;
let api;

/** Every page of a search, as one list of items (asserting per_page and the page numbers). */
async function everything(query) {
  const items = [];
  let total = null;
  for (let page = 1; page < 100; page++) {
    const r = await api.get(`/api/v1/services?${query}${query ? '&' : ''}per_page=50&page=${page}&facets=0`);
    assert.equal(r.status, 200, show(r));
    total ??= r.json.total;
    assert.equal(r.json.total, total);
    assert.equal(r.json.page, page);
    items.push(...r.json.items);
    if (r.json.items.length < 50) break;
  }
  assert.equal(items.length, total, `${query}: pages add up to the total`);
  return items;
}

const search = async (query) => {
  const r = await api.get(`/api/v1/services?${query}`);
  assert.equal(r.status, 200, `${query}: ${show(r)}`);
  return r.json;
};

before(async () => {
  server = await startServer({ demo: true });
  api = new Client(server.url);
  assert.equal(all.length, 65, 'the demo file has 65 services');
});

after(async () => { await server?.stop(); });

describe('search without filters', () => {
  it('returns every service, 20 per page, crisis first, with the crisis list beside it', async () => {
    const r = await search('');
    assert.equal(r.total, all.length);
    assert.equal(r.page, 1);
    assert.equal(r.per_page, 20);
    assert.equal(r.items.length, 20);
    const crisis = all.filter((f) => f.level === 'crisis');
    assert.deepEqual(r.crisis.map((c) => c.id).sort(), crisis.map((f) => f.id).sort());
    assert.ok(r.crisis.every((c) => c.level === 'crisis'));
    const ranks = { crisis: 0, L0: 1, L1: 2, L2: 3, L3: 4 };
    const order = (await everything('')).map((c) => ranks[c.level]);
    assert.deepEqual(order, [...order].sort((a, b) => a - b), 'sorted by care level, crisis first');
  });

  it('gives each card the documented members', async () => {
    const { items } = await search('per_page=50');
    for (const c of items) {
      const f = byId.get(c.id);
      assert.ok(f, `unknown id ${c.id}`);
      assert.equal(c.name, f.name);
      assert.equal(c.level, f.level);
      assert.equal(c.lang, 'nl');
      assert.deepEqual([...c.languages].sort(), [...f.langs].sort());
      assert.equal(c.interpreter, f.interpreter);
      assert.deepEqual([...c.phases].sort(), [...f.phases].sort());
      for (const p of ['coa', 'municipality']) assert.equal(c.free[p], f.free[p] ?? null, `${c.name} free.${p}`);
      assert.ok(['open', 'waitlist', 'closed'].includes(c.capacity.state));
      assert.equal(c.distance_km, null);
      assert.equal(typeof c.organization.name, 'string');
      assert.ok([...c.summary].length <= 160);
      const old = !c.assured_date || Date.now() - Date.parse(c.assured_date) > 183 * 86400e3;
      assert.equal(c.stale, old, `${c.name}: stale follows assured_date ${c.assured_date}`);
      for (const k of ['iasc_layer', 'interpreter_modes', 'cost', 'entry_routes', 'draft']) assert.ok(k in c, k);
    }
    assert.ok(items.some((c) => c.stale) && items.some((c) => !c.stale), 'both fresh and stale entries');
  });
});

describe('filters', () => {
  for (const [query, rule] of FILTERS) {
    it(`${decodeURIComponent(query)} finds exactly the matching services`, async () => {
      const want = all.filter(rule).map((f) => f.id).sort();
      assert.ok(want.length > 0 && want.length < all.length, `${query} is a real test (${want.length})`);
      const got = (await everything(query)).map((c) => c.id).sort();
      assert.deepEqual(got, want);
    });
  }

  it('the crisis list stays whatever the filters', async () => {
    const r = await search('level=L3&lang=ti&q=zzzzqqq');
    assert.equal(r.total, 0);
    assert.equal(r.crisis.length, all.filter((f) => f.level === 'crisis').length);
  });
});

describe('free text', () => {
  const names = async (q, extra = '') => (await everything(`q=${encodeURIComponent(q)}${extra}`)).map((c) => c.name);

  it('is accent-insensitive in Dutch: cafe finds Taalcafé', async () => {
    for (const q of ['cafe', 'café', 'TAALCAFE', 'taalcafé']) {
      const got = await names(q);
      assert.ok(got.includes('Taalcafé Veerhaven'), `${q}: ${got}`);
    }
    const plain = await names('ketencoordinatie');
    assert.ok(plain.length > 0, 'Ketencoördinatie without the diaeresis');
    assert.deepEqual(await names('ketencoördinatie'), plain);
  });

  it('needs every word, and a trailing * is a prefix', async () => {
    const both = await names('taalcafe lindedal');
    assert.equal(both[0], 'Taalcafé Lindedal', 'both words in the name rank first');
    assert.ok(both.length < (await names('taalcafe')).length, 'the second word narrows');
    const prefix = await names('taalc*');
    assert.ok(prefix.includes('Taalcafé Veerhaven') && prefix.includes('Taalcafé Lindedal'));
    assert.deepEqual(await names('taalc'), [], 'no prefix without the *');
  });

  it('ranks a name match above a match elsewhere', async () => {
    const got = await names('taalcafe');
    assert.ok(got[0].startsWith('Taalcafé'), got.join(' | '));
  });

  it('finds Arabic with and without tashkeel, hamza and letter variants', async () => {
    const cases = [
      ['لينددال', 'Taalcafé Lindedal'],        // the index has ليندِدال (kasra)
      ['ليندِدال', 'Taalcafé Lindedal'],
      ['الاشخاص', 'Sleutelpersonen AZC Veerhaven'], // the index has الأشخاص
      ['الأشخاص', 'Sleutelpersonen AZC Veerhaven'],
      ['مقهي', 'Taalcafé Veerhaven'],            // ى written as ي
      ['مـقـهى', 'Taalcafé Veerhaven'],           // with tatweel
      ['مجموعه', 'Lotgenotengroep Arabischsprekende vrouwen'], // ة written as ه
    ];
    for (const [q, name] of cases) {
      const got = await names(q);
      assert.ok(got.includes(name), `${q} should find ${name}: ${got}`);
    }
  });

  it('treats FTS syntax in the query as plain text', async () => {
    for (const q of ['"', 'a OR b', 'NEAR(taal cafe)', 'name:taal', '*', '-taal', '(', 'taal"cafe', '^taal', "'"]) {
      const r = await api.get(`/api/v1/services?q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200, `${q}: ${show(r)}`);
    }
    assert.deepEqual(await names('name:taalcafe'), [], 'no column filter: "name" is a word to find');
    assert.ok((await names('taalcafe"')).includes('Taalcafé Veerhaven'), 'a stray quote is harmless');
  });

  it('combines with filters and with distance as the tie-break', async () => {
    const got = await everything(`q=taalcafe&municipality=${encodeURIComponent(AREA.lindedal)}`);
    assert.ok(got.length >= 1 && got.every((c) => servesMunicipality(byId.get(c.id), AREA.lindedal)));
    const near = await everything('q=taalcafe&near=52.1011,5.1204');
    assert.ok(near.every((c) => typeof c.distance_km === 'number' || c.distance_km === null));
  });
});

describe('distance', () => {
  it('orders by nearest location, non-decreasing, services without one last', async () => {
    const [lat, lon] = [52.12, 5.18];
    const items = await everything(`near=${lat},${lon}`);
    assert.equal(items.length, all.length);
    const d = items.map((c) => c.distance_km);
    const located = d.filter((x) => x !== null);
    assert.deepEqual(d.slice(0, located.length), located, 'no null before a number');
    for (let i = 1; i < located.length; i++) assert.ok(located[i - 1] <= located[i], `order at ${i}: ${located[i - 1]} > ${located[i]}`);
    for (const c of items) {
      const f = byId.get(c.id);
      if (f.points.length) assert.ok(Math.abs(c.distance_km - nearest(f, lat, lon)) < 0.01, c.name);
      else assert.equal(c.distance_km, null);
    }
  });

  it('within_km keeps only what is close enough', async () => {
    const items = await everything('near=52.10,5.12&within_km=2.5');
    assert.ok(items.length > 0);
    assert.ok(items.every((c) => c.distance_km <= 2.5));
  });
});

describe('pagination', () => {
  it('pages are disjoint and their union is the result', async () => {
    const total = (await search('phase=municipality')).total;
    const seen = new Set();
    const pages = Math.ceil(total / 7);
    for (let p = 1; p <= pages; p++) {
      const r = await search(`phase=municipality&per_page=7&page=${p}`);
      assert.equal(r.items.length, p < pages ? 7 : total - 7 * (pages - 1));
      for (const c of r.items) { assert.ok(!seen.has(c.id), `${c.id} twice`); seen.add(c.id); }
    }
    assert.equal(seen.size, total);
    assert.equal((await search(`phase=municipality&per_page=7&page=${pages + 1}`)).items.length, 0);
  });
});

describe('facets', () => {
  it('each facet equals the total of the query with that value', async () => {
    const base = 'phase=coa&no_referral=1';
    const r = await search(base);
    const checks = [
      ['level', 'L0', 'level=L0'], ['level', 'L1', 'level=L1'],
      ['lang', 'ar', 'lang=ar'], ['target', 'women', 'target=women'],
      ['interpreter', '1', 'interpreter=1'], ['interpreter_mode', 'video', 'interpreter_mode=video'],
      ['free', 'coa', 'free=1'], ['open', '1', 'open=1'],
      ['municipality', AREA.lindedal, `municipality=${encodeURIComponent(AREA.lindedal)}`],
    ];
    for (const [facet, key, q] of checks) {
      const n = r.facets[facet]?.[key] ?? 0;
      const t = (await search(`${base}&${q}`)).total;
      assert.equal(n, t, `facets.${facet}.${key} = total of ${q}`);
    }
    assert.equal(r.facets.no_referral['1'], r.total, 'a facet of an active yes/no filter counts the result');
    assert.equal(r.facets.phase.municipality, (await search('no_referral=1&phase=municipality')).total,
      'a facet leaves out its own filter');
  });

  it('a facet leaves out only its own filter', async () => {
    const r = await search('level=L0');
    const l1 = all.filter((f) => f.level === 'L1').length;
    assert.equal(r.facets.level.L1, l1);
    assert.equal(r.facets.lang.ar, all.filter((f) => f.level === 'L0' && f.langs.includes('ar')).length);
    assert.equal((await search('level=L0&facets=0')).facets, null);
  });
});

describe('bad parameters', () => {
  const cases = [
    ['level=L9', '/level'], ['level=L1,', '/level'], ['age=abc', '/age'], ['age=-1', '/age'], ['age=151', '/age'],
    ['near=52.1', '/near'], ['near=91,5', '/near'], ['near=52.1,5.1x', '/near'], ['near=nan,inf', '/near'],
    ['within_km=5', '/within_km'], ['near=52,5&within_km=0', '/within_km'], ['free=1', '/free'],
    ['phase=azc', '/phase'], ['target=everyone', '/target'], ['lang=arabic', '/lang'],
    ['interpreter_mode=telepathy', '/interpreter_mode'], ['open=yes', '/open'], ['page=0', '/page'],
    ['per_page=51', '/per_page'], [`q=${'a'.repeat(201)}`, '/q'],
    [`q=${encodeURIComponent(Array.from({ length: 17 }, (_, i) => `w${i}`).join(' '))}`, '/q'],
    [`q=${encodeURIComponent('a\u0001b')}`, '/q'],
  ];
  for (const [query, pointer] of cases) {
    it(`${query.slice(0, 40)} → 422 ${pointer}`, async () => {
      const r = await api.get(`/api/v1/services?${query}`);
      assertProblem(r, 422, 'invalid-input');
      assert.ok(r.json.errors.some((e) => e.pointer === pointer), JSON.stringify(r.json.errors));
    });
  }

  it('200 bytes and 16 words are still fine', async () => {
    assert.equal((await api.get(`/api/v1/services?q=${'a'.repeat(200)}`)).status, 200);
    const words = Array.from({ length: 16 }, (_, i) => `w${i}`).join(' ');
    assert.equal((await api.get(`/api/v1/services?q=${encodeURIComponent(words)}`)).status, 200);
  });
});

describe('one service', () => {
  const cafe = demo.find((s) => s.name === 'Taalcafé Veerhaven');
  const arName = cafe.attributes.find((a) => a.taxonomy_term.code === 'translation.name.ar').value;

  it('resolves texts in Arabic, falling back to Dutch field by field', async () => {
    const r = await api.get(`/api/v1/services/${cafe.id}?lang=ar`);
    assert.equal(r.status, 200, show(r));
    const d = r.json;
    assert.equal(d.id, cafe.id);
    assert.equal(d.name, arName);
    assert.equal(d.lang, 'ar');
    assert.equal(d.draft, true, 'the Arabic texts are drafts');
    assert.ok(d.drafts.includes('name') && d.drafts.includes('description'), d.drafts.join());
    // the organisation has no translations: its Dutch description is shown
    assert.equal(d.organization.description, cafe.organization.description);
    assert.ok(!d.drafts.includes('organization.description'));
    assert.equal(d.assured_date.length, 10);
    assert.equal(d.contacts[0].roles.sort().join(), valuesOf(cafe.contacts[0], 'chain_role.').sort().join());
    assert.equal(d.locations[0].latitude, cafe.service_at_locations[0].location.latitude);
    assert.equal(d.costs.length, cafe.cost_options.length);
    assert.ok(d.costs.every((c) => c.cost === 'free' && c.amount === 0));
    assert.equal(d.service_areas[0].uri, cafe.service_areas[0].uri);
    assert.equal(d.schedules[0].opens_at, '14:00');
  });

  it('takes the language from Accept-Language when ?lang is absent, else Dutch', async () => {
    const ar = await api.get(`/api/v1/services/${cafe.id}`, { headers: { 'accept-language': 'xx, ar-SY;q=0.8, en;q=0.5' } });
    assert.equal(ar.json.name, arName);
    const nl = await api.get(`/api/v1/services/${cafe.id}`, { headers: { 'accept-language': 'de, ar;q=0' } });
    assert.equal(nl.json.name, cafe.name);
    assert.equal(nl.json.lang, 'nl');
    assert.equal(nl.json.draft, false);
    const cards = await api.get('/api/v1/services?q=taalcafe', { headers: { 'accept-language': 'ar' } });
    assert.ok(cards.json.items.some((c) => c.name === arName && c.lang === 'ar' && c.draft));
    assertProblem(await api.get(`/api/v1/services/${cafe.id}?lang=klingon`), 422, 'invalid-input');
  });

  it('gives the nested HSDS document', async () => {
    const r = await api.get(`/api/v1/services/${cafe.id}/hsds`);
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.id, cafe.id);
    assert.equal(r.json.organization.id, cafe.organization.id);
    assert.equal(r.json.service_at_locations[0].location.id, cafe.service_at_locations[0].location.id);
  });

  it('answers 404 for ids it does not know', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'nope', 'x'.repeat(63)]) {
      for (const tail of ['', '/hsds', '/fhir']) {
        assertProblem(await api.get(`/api/v1/services/${id}${tail}`), 404, 'not-found');
      }
    }
  });
});

describe('areas, chain overview, taxonomy', () => {
  it('lists the areas of the region', async () => {
    const r = await api.get('/api/v1/map/areas');
    assert.equal(r.status, 200, show(r));
    const kinds = Object.fromEntries(r.json.items.map((a) => [a.uri, a]));
    assert.equal(kinds[AREA.veerhaven].kind, 'municipality');
    assert.equal(kinds[AREA.azc].kind, 'coa_location');
    assert.equal(kinds[AREA.azc].parent, AREA.veerhaven);
    assert.equal(kinds[AREA.nl].kind, 'national');
  });

  it('lays out a municipality by care level with roles and contacts', async () => {
    for (const m of [AREA.veerhaven, AREA.lindedal]) {
      const r = await api.get(`/api/v1/map/chain?area=${encodeURIComponent(m)}`);
      assert.equal(r.status, 200, show(r));
      assert.equal(r.json.area.uri, m);
      assert.deepEqual(r.json.levels.map((l) => l.level), ['crisis', 'L0', 'L1', 'L2', 'L3']);
      const ids = r.json.levels.flatMap((l) => l.services.map((s) => s.id)).sort();
      assert.deepEqual(ids, all.filter((f) => servesMunicipality(f, m)).map((f) => f.id).sort());
      for (const l of r.json.levels) {
        for (const s of l.services) {
          assert.equal(s.level, l.level);
          assert.ok(s.roles.length > 0, `${s.name} has a chain role`);
          assert.ok(s.contact && (s.contact.phone || s.contact.email), `${s.name} has a contact`);
        }
      }
    }
    const v = await api.get(`/api/v1/map/chain?area=${encodeURIComponent(AREA.veerhaven)}`);
    assert.deepEqual(v.json.coa_locations.map((a) => a.uri), [AREA.azc]);
  });

  it('lays out a COA location: its own, national, and its municipality\'s COA-phase offers', async () => {
    const r = await api.get(`/api/v1/map/chain?area=${encodeURIComponent(AREA.azc)}`);
    assert.equal(r.status, 200, show(r));
    const ids = r.json.levels.flatMap((l) => l.services.map((s) => s.id)).sort();
    const want = all.filter((f) => f.areas.includes(AREA.azc) || f.areas.includes(AREA.nl)
      || (f.areas.includes(AREA.veerhaven) && f.phases.includes('coa'))).map((f) => f.id).sort();
    assert.deepEqual(ids, want);
  });

  it('refuses an unknown or missing area', async () => {
    assertProblem(await api.get('/api/v1/map/chain?area=urn:nowhere'), 404, 'not-found');
    assertProblem(await api.get('/api/v1/map/chain'), 422, 'invalid-input');
  });

  it('publishes the taxonomy terms for UIs', async () => {
    const r = await api.get('/api/v1/map/taxonomy');
    assert.equal(r.status, 200, show(r));
    const byCode = Object.fromEntries(r.json.items.map((t) => [t.code, t]));
    assert.equal(byCode['care_level.L1'].parent, 'care_level');
    assert.equal(byCode['care_level.L1'].id, '9f99825f-507e-5a3d-8c54-e97adf3d0a85');
    assert.equal(byCode.care_level.parent, undefined);
    assert.ok(!r.json.items.some((t) => t.code.startsWith('translation')));
  });
});

describe('map_public=false', () => {
  let closed;
  before(async () => { closed = await startServer({ demo: true, args: ['--map-public', 'false'] }); });
  after(async () => { await closed?.stop(); });

  it('needs a session for every map read', async () => {
    const anon = new Client(closed.url);
    const id = demo[0].id;
    const paths = ['/api/v1/services', `/api/v1/services/${id}`, `/api/v1/services/${id}/hsds`,
      `/api/v1/services/${id}/fhir`, '/api/v1/map/areas', `/api/v1/map/chain?area=${AREA.veerhaven}`,
      '/api/v1/map/taxonomy'];
    for (const p of paths) assertProblem(await anon.get(p), 401, 'unauthenticated');
    const user = await demoLogin(closed, 'volunteer');
    for (const p of paths) assert.equal((await user.get(p)).status, 200, p);
  });
});

describe('a change written by another process', () => {
  let own;
  before(async () => { own = await startServer({ demo: true }); });
  after(async () => { await own?.stop(); });

  it('is seen by the next search: the in-memory index follows the map generation', async () => {
    const anon = new Client(own.url);
    const count = async (m) => {
      const r = await anon.get(`/api/v1/services?municipality=${encodeURIComponent(m)}&per_page=1`);
      assert.equal(r.status, 200, show(r));
      return r.json.total;
    };
    const lindedal = all.filter((f) => servesMunicipality(f, AREA.lindedal)).length;
    assert.equal(await count(AREA.lindedal), lindedal);
    // The reception location moves to Lindedal: an area write, no service row changes.
    const r = runCli(['map', 'area', '--db', own.dbPath, AREA.azc, '--parent', AREA.lindedal]);
    assert.equal(r.status, 0, r.stderr);
    const moved = all.filter((f) => f.areas.some((u) => u === AREA.lindedal || u === AREA.azc
      || u === AREA.nl)).length;
    assert.ok(moved > lindedal, 'the demo has offers at the reception location');
    assert.equal(await count(AREA.lindedal), moved);
  });

  it('an import by the CLI while the server runs shows in the next search and facets', async () => {
    const anon = new Client(own.url);
    const openNow = async () => (await anon.get('/api/v1/services?open=1&per_page=1')).json.total;
    const before = await openNow();
    const svc = structuredClone(demo.find((s) => facts(s).open));
    for (const a of svc.attributes) {
      if (a.taxonomy_term.code === 'capacity.open') {
        const closed = demo.flatMap((x) => x.attributes).find((x) => x.taxonomy_term.code === 'capacity.closed');
        a.taxonomy_term_id = closed.taxonomy_term_id;
        a.taxonomy_term = closed.taxonomy_term;
      }
    }
    const file = join(own.dir, 'one.json');
    writeFileSync(file, JSON.stringify([svc]));
    const r = runCli(['map', 'import', '--db', own.dbPath, file]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(await openNow(), before - 1);
  });
});
