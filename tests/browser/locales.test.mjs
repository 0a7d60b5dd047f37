// SPDX-License-Identifier: EUPL-1.2
// Static checks on the UI locale files (no browser, no server): every locale has the same keys as
// Dutch (plural forms aside), carries _meta, names every code the UI offers, and every literal
// t('key') in web/js resolves. Catches a missing translation before a user sees a raw key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../lib/server.mjs';
import { COUNTRIES, LANGUAGES, GENDERS, PHASES, RISK_FLAGS, SCOPES, ROLES } from '../../web/js/codes.js';

const LOCALES = ['nl', 'en', 'ar'];
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
  assert.equal(locales.ar._meta.review_status, 'draft');
  assert.equal(locales.ar._meta.note, 'machine-drafted, to be reviewed by a native speaker');
  for (const l of LOCALES) assert.equal(locales[l]._meta.language, l);
});

test('every locale has exactly the Dutch keys', () => {
  const nl = keys(locales.nl);
  for (const l of ['en', 'ar']) {
    const other = keys(locales[l]);
    assert.deepEqual([...nl].filter((k) => !other.has(k)), [], `${l} misses keys`);
    assert.deepEqual([...other].filter((k) => !nl.has(k)), [], `${l} has extra keys`);
  }
});

test('every code the UI offers has a name in every locale', () => {
  const groups = { countries: COUNTRIES, languages: LANGUAGES, genders: GENDERS, phases: PHASES,
    phases_desc: PHASES, risk_flags: RISK_FLAGS, scopes: SCOPES, scopes_desc: SCOPES, roles: ROLES };
  for (const l of LOCALES) {
    for (const [g, codes] of Object.entries(groups)) {
      for (const c of codes) assert.equal(typeof lookup(locales[l], `${g}.${c}`), 'string', `${l}: ${g}.${c}`);
    }
  }
});

test('every literal t()/tp() key used in web/js exists in Dutch', () => {
  const nl = keys(locales.nl);
  const missing = [];
  for (const f of jsFiles(join(repoRoot, 'web', 'js'))) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/\bt(?:p|Nodes)?\(\s*'([a-z0-9_.]+)'/g)) {
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
