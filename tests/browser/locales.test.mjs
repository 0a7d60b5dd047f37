// SPDX-License-Identifier: EUPL-1.2
// Static checks on the UI locale files (no browser, no server): every locale has the same keys as
// Dutch (plural forms aside), carries _meta, names every code the UI offers, and every literal
// t('key') in web/js resolves. Catches a missing translation before a user sees a raw key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../lib/server.mjs';
import { COUNTRIES, LANGUAGES, GENDERS, PHASES, RISK_FLAGS, SCOPES, ROLES, FLAG_ACTIONS, LEVELS } from '../../web/js/codes.js';
import { LANGS, LANG_NAMES, dirOf } from '../../web/js/i18n.js';
import { CALM, NL as PROTOCOL, ACTIONS, TEL } from '../../web/js/protocol.js';

const LOCALES = ['nl', 'en', 'ar', 'fa', 'ti', 'so', 'tr', 'uk'];
const DRAFTS = ['ar', 'fa', 'ti', 'so', 'tr', 'uk'];
const PLURAL = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);
const load = (l) => JSON.parse(readFileSync(join(repoRoot, 'web', 'locales', `${l}.json`), 'utf8'));
const locales = Object.fromEntries(LOCALES.map((l) => [l, load(l)]));

/** Leaf keys, with a plural group ({one, other, ...}) collapsed to its parent key. */
function keys(obj, prefix = '', out = new Set()) {
  for (const [k, v] of Object.entries(obj)) {
    if (!prefix && k === '_meta') continue;
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') {
      if (Object.keys(v).every((x) => PLURAL.has(x))) {
        assert.ok('other' in v, `${key} lacks the plural form "other"`);
        out.add(key);
      } else keys(v, key, out);
    } else {
      assert.equal(typeof v, 'string', `${key} is not a string`);
      out.add(key);
    }
  }
  return out;
}

function lookup(obj, key) {
  return key.split('.').reduce((o, p) => (o && typeof o === 'object' ? o[p] : undefined), obj);
}

function jsFiles(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? jsFiles(p) : p.endsWith('.js') ? [p] : [];
  });
}

test('locale files carry _meta with the agreed review status', () => {
  assert.equal(locales.nl._meta.review_status, 'reviewed');
  assert.equal(locales.en._meta.review_status, 'reviewed');
  for (const l of DRAFTS) {
    assert.equal(locales[l]._meta.review_status, 'draft', l);
    assert.equal(locales[l]._meta.note, 'machine-drafted, to be reviewed by a native speaker', l);
  }
  for (const l of LOCALES) assert.equal(locales[l]._meta.language, l);
});

test('the UI offers exactly these locales, Arabic and Persian right-to-left', () => {
  assert.deepEqual([...LANGS].sort(), [...LOCALES].sort());
  for (const l of LOCALES) assert.equal(dirOf(l), ['ar', 'fa'].includes(l) ? 'rtl' : 'ltr', l);
  const html = readFileSync(join(repoRoot, 'web', 'index.html'), 'utf8');
  const sel = html.match(/<select[^>]*id="lang-select"[^>]*>([\s\S]*?)<\/select>/);
  assert.ok(sel, 'index.html has the language <select>');
  const opts = [...sel[1].matchAll(/<option value="([a-z]+)" lang="([a-z]+)" dir="(ltr|rtl)">([^<]+)<\/option>/g)];
  assert.deepEqual(opts.map((m) => m[1]), LANGS, 'one option per locale, in order');
  for (const m of opts) {
    assert.equal(m[2], m[1]);
    assert.equal(m[3], dirOf(m[1]), `${m[1]} option direction`);
    assert.equal(m[4], LANG_NAMES[m[1]], `${m[1]} is named in its own language`);
  }
});

test('every locale has exactly the Dutch keys', () => {
  const nl = keys(locales.nl);
  for (const l of LOCALES.filter((x) => x !== 'nl')) {
    const other = keys(locales[l]);
    assert.deepEqual([...nl].filter((k) => !other.has(k)), [], `${l} misses keys`);
    assert.deepEqual([...other].filter((k) => !nl.has(k)), [], `${l} has extra keys`);
  }
});

test('every code the UI offers has a name in every locale', () => {
  const groups = { countries: COUNTRIES, languages: LANGUAGES, genders: GENDERS, phases: PHASES,
    phases_desc: PHASES, risk_flags: RISK_FLAGS, scopes: SCOPES, scopes_desc: SCOPES, roles: ROLES,
    flag_actions: FLAG_ACTIONS, levels: LEVELS, levels_short: LEVELS, 'redflags.protocols': ['suicide', 'danger'],
    'signal.modes': ['client', 'interviewer'], 'signal.modes_desc': ['client', 'interviewer'],
    'signal.respondent': ['self', 'parent', 'interviewer'], bands: ['low', 'medium', 'high'] };
  for (const l of LOCALES) {
    for (const [g, codes] of Object.entries(groups)) {
      for (const c of codes) assert.equal(typeof lookup(locales[l], `${g}.${c}`), 'string', `${l}: ${g}.${c}`);
    }
  }
});

test('every literal t()/tp() key used in web/js exists in Dutch (and so in every locale)', () => {
  const nl = keys(locales.nl);
  const missing = [];
  for (const f of jsFiles(join(repoRoot, 'web', 'js'))) {
    const src = readFileSync(f, 'utf8');
    // t(), tp(), tNodes(), and the per-language translators of the conversation (ct, vt, st, tr).
    for (const m of src.matchAll(/\b(?:t|tp|tNodes|ct|vt|st|tr)(?:\.tp)?\(\s*'([a-z0-9_.]+)'/g)) {
      if (!nl.has(m[1])) missing.push(`${f}: ${m[1]}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('index.html data-i18n keys exist', () => {
  const nl = keys(locales.nl);
  const html = readFileSync(join(repoRoot, 'web', 'index.html'), 'utf8');
  const used = [...html.matchAll(/data-i18n="([^"]+)"/g)].map((m) => m[1])
    .concat([...html.matchAll(/data-i18n-attr="([^"]+)"/g)].flatMap((m) => m[1].split(';').map((p) => p.split(':')[1])));
  assert.ok(used.length > 0);
  for (const k of used) assert.ok(nl.has(k), k);
});

test('the crisis line written into index.html matches the Dutch locale', () => {
  // index.html carries the line in Dutch so it shows even if scripts or locales fail to load;
  // it must say exactly what nl.json says.
  const html = readFileSync(join(repoRoot, 'web', 'index.html'), 'utf8');
  const m = html.match(/<p class="crisis" id="crisis-line">([\s\S]*?)<\/p>/);
  assert.ok(m, 'crisis line present in index.html');
  const text = (s) => s.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
  const expected = `${locales.nl.crisis.title} ${locales.nl.crisis.line}`
    .replace('{n112}', '112').replace('{n113}', '113').replace('{n0800}', '0800-0113');
  assert.equal(text(m[1]), expected);
  for (const tel of ['tel:112', 'tel:113', 'tel:08000113']) assert.ok(m[1].includes(`href="${tel}"`), tel);
});

test('plural groups have every form the language needs', () => {
  for (const l of LOCALES) {
    const cats = new Intl.PluralRules(l).resolvedOptions().pluralCategories;
    const walk = (obj, prefix) => {
      for (const [k, v] of Object.entries(obj)) {
        if (!v || typeof v !== 'object' || k === '_meta') continue;
        const key = prefix ? `${prefix}.${k}` : k;
        if (Object.keys(v).every((x) => PLURAL.has(x))) {
          for (const c of cats) assert.equal(typeof v[c], 'string', `${l}: ${key}.${c}`);
        } else walk(v, key);
      }
    };
    walk(locales[l], '');
  }
});

test('the crisis line names 112, 113 and 0800-0113 in every locale', () => {
  for (const l of LOCALES) {
    const line = locales[l].crisis.line;
    for (const n of ['{n112}', '{n113}', '{n0800}']) assert.ok(line.includes(n), `${l}: crisis.line lacks ${n}`);
    assert.ok(locales[l].crisis.title.length > 0, `${l}: crisis.title`);
  }
});

test('the red-flag protocol is compiled in: Dutch for the volunteer, a calm message in every language', () => {
  assert.deepEqual(ACTIONS, FLAG_ACTIONS);
  for (const a of ACTIONS) assert.equal(typeof PROTOCOL.actions[a], 'string', a);
  for (const p of ['suicide', 'danger']) {
    const all = PROTOCOL.steps[p].join(' ');
    for (const n of ['{n112}', '{n113}', '{n0800}']) assert.ok(all.includes(n), `${p} protocol names ${n}`);
    assert.match(all, /huisarts/);
    assert.match(all, /huisartsenpost/);
    assert.match(all, /GZA/);
  }
  assert.match(PROTOCOL.steps.suicide[0], /Blijf bij de persoon/);
  for (const l of LOCALES) {
    const c = CALM[l];
    assert.ok(c, `calm message in ${l}`);
    for (const n of ['{n113}', '{n0800}', '{n112}']) assert.ok(c.body.includes(n), `${l}: calm message names ${n}`);
    assert.ok(c.title && c.give_back, `${l}: title and give_back`);
  }
  assert.deepEqual(TEL.n0800, ['tel:08000113', '0800-0113']);
});
