// SPDX-License-Identifier: EUPL-1.2
// Browser test of the social map against the real binary with the demo map (--demo), on a
// 360 px wide phone viewport: an anonymous user searches, applies two filter chips (the count
// must equal the API's total for the same query), loads more results and opens a detail page;
// the map in Arabic is right to left with Arabic names; "near me" sorts by distance; a
// coordinator edits a service's capacity and sees it on the detail page, and a 422 shows at its
// field; the chain overview for Veerhaven renders all five care levels and prints to an A4 PDF.
// Expected values are fetched from the API in the test, never hard-coded.
// Screenshots: build/test-artifacts/screenshots/map-*.png; the PDF: build/test-artifacts/.
//
// Set VK_WEB_ROOT=web to test the files on disk instead of the assets built into the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { browserSuite, locale, fill, VIEWPORT } from '../lib/browser.mjs';
import { demoEmail, demoLogin, DEMO_PASSWORD, Client, repoRoot, startServer } from '../lib/server.mjs';
import {
  TARGET_GROUPS, LEGAL_STATUSES, ENTRY_ROUTES, COSTS, MODES, PAID_BY, CULTURE, CAPACITY, CHAIN_ROLES,
  STATUSES, DAYS, MAP_LEVELS,
} from '../../web/js/views/map.js';

const nl = locale('nl');
const ar = locale('ar');
const ARTIFACTS = join(repoRoot, 'build', 'test-artifacts');
const LOCALES = ['nl', 'en', 'ar', 'fa', 'ti', 'so', 'tr', 'uk'];

const suite = browserSuite({ prefix: 'map', args: ['--login-delay-ms', '1'], timeout: 15000 });
const { newPage, closePage, noHorizontalScroll, shot } = suite;
let server;
let anon; // an HTTP client without a session: the map is public

before(async () => {
  ({ server } = await suite.start());
  anon = new Client(server.url);
});

after(() => suite.stop());

/* ---------- helpers ---------- */

const num = (n) => new Intl.NumberFormat('nl').format(n);
/** The live count as the page words it: the plural form and digits of the language. */
function countText(n, lang = 'nl') {
  const forms = locale(lang).map.count;
  const form = forms[new Intl.PluralRules(lang).select(n)] ?? forms.other;
  return fill(form, { count: new Intl.NumberFormat(lang).format(n) });
}

async function apiSearch(params, lang = 'nl') {
  const qs = new URLSearchParams({ page: '1', per_page: '20', ...params });
  const r = await anon.get(`/api/v1/services?${qs}`, { headers: { 'accept-language': lang } });
  assert.equal(r.status, 200, `GET /services?${qs}: ${r.text}`);
  assert.ok(Array.isArray(r.json.items) && typeof r.json.total === 'number', 'items and total');
  return r.json;
}

async function apiGet(path, lang = 'nl') {
  const r = await anon.get(`/api/v1${path}`, { headers: { 'accept-language': lang } });
  assert.equal(r.status, 200, `GET ${path}: ${r.text}`);
  return r.json;
}

const list = (x) => (Array.isArray(x) ? x : x?.items ?? []);

/** Waits until the element's text is `text` (digits compared as digits, whatever their script). */
async function waitText(page, selector, text) {
  await page.waitForFunction(([sel, want]) => {
    const digits = (x) => x.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660))
      .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x6F0));
    const got = document.querySelector(sel)?.textContent.trim();
    return got != null && digits(got) === digits(want);
  }, [selector, text]);
}

/** A phone-sized page like newPage(), with extra context options (geolocation). */
async function pageWith(options) {
  const context = await suite.browser.newContext({ viewport: VIEWPORT, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) page.problems.push(m.text());
  });
  page.setDefaultTimeout(15000);
  return page;
}

async function openMap(page, hash = '#/map') {
  await page.goto(`${server.url}/${hash}`);
  await page.getByRole('heading', { level: 1, name: nl.map.title }).waitFor();
  await page.locator('#map-count').waitFor();
}

async function logIn(page, role, url = server.url) {
  await page.goto(`${url}/#/login`);
  await page.getByRole('heading', { level: 1, name: nl.login.title }).waitFor();
  await page.getByLabel(nl.login.email, { exact: true }).fill(demoEmail(role));
  await page.getByLabel(nl.login.password, { exact: true }).fill(DEMO_PASSWORD);
  await page.locator('#login-submit').click();
  await page.getByRole('heading', { level: 1, name: nl.home.title }).waitFor();
}

/** Chips the search page offers: [facet, value, element id, query parameter to add]. */
const CHIPS = [
  ...['L0', 'L1', 'L2', 'L3'].map((l) => ['level', l, `#map-level-${l}`, { level: l }]),
  ...['coa', 'municipality'].map((p) => ['phase', p, `#map-phase-${p}`, { phase: p }]),
  ['no_referral', '1', '#map-no_referral', { no_referral: '1' }],
  ['open', '1', '#map-open', { open: '1' }],
  ['interpreter', '1', '#map-interpreter', { interpreter: '1' }],
];

/** The first chip (of another facet than `skip`) whose count is above 0 and below the total. */
function pickChip(res, skip) {
  return CHIPS.find(([f, v]) => f !== skip && res.facets?.[f]?.[v] > 0 && res.facets[f][v] < res.total);
}

/* ---------- static: every code the map shows has a name in every locale ---------- */

test('every map code has a name in every locale', () => {
  const groups = { target: TARGET_GROUPS, legal: LEGAL_STATUSES, entry: ENTRY_ROUTES, cost: COSTS, mode: MODES,
    paid_by: PAID_BY, culture: CULTURE, capacity: CAPACITY, role: CHAIN_ROLES, days: DAYS,
    status: STATUSES.map((x) => x.replace(/ /g, '_')), phase_short: ['coa', 'municipality'], iasc: ['1', '2', '3', '4'] };
  for (const l of LOCALES) {
    const loc = locale(l);
    assert.equal(typeof loc.nav.map, 'string', `${l}: nav.map`);
    for (const [g, codes] of Object.entries(groups)) {
      for (const c of codes) assert.equal(typeof loc.map[g]?.[c], 'string', `${l}: map.${g}.${c}`);
    }
    for (const lv of MAP_LEVELS) assert.equal(typeof loc.levels[lv], 'string', `${l}: levels.${lv}`);
  }
});

/* ---------- search, filters, detail (no login) ---------- */

test('without login at 360 px: search a word, two filter chips, more results, a detail page', async () => {
  const page = await newPage();
  await openMap(page);
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'focus on the page heading');
  await page.getByRole('navigation').getByRole('link', { name: nl.nav.map }).waitFor();
  assert.equal((await page.locator('#map-fiction').textContent()).trim(), nl.map.fiction, 'demo data is labelled fictional');

  // Everything, unfiltered: the count, the crisis box, and "more results".
  const all = await apiSearch({});
  assert.ok(all.total > 20, `the demo map has more than one page (${all.total})`);
  await waitText(page, '#map-count', countText(all.total));
  const live = page.locator('#map-count');
  assert.equal(await live.getAttribute('role'), 'status');
  assert.equal(await live.getAttribute('aria-live'), 'polite');
  assert.ok(all.crisis.length > 0, 'the API returns crisis entries');
  assert.equal(await page.locator('#map-crisis li').count(), all.crisis.length, 'crisis box lists every crisis entry');
  assert.equal(await page.locator('.map-card').count(), all.items.length);
  assert.equal((await page.locator('.map-card .map-card__link').first().textContent()).trim(), all.items[0].name);
  const L1 = all.facets.level?.L1;
  assert.equal(typeof L1, 'number', 'level facet');
  assert.match(await page.locator('#map-level-L1 .chip__count').textContent(), new RegExp(`^${num(L1)}$`), 'facet count on the chip');
  await noHorizontalScroll(page, 'map start');
  await shot(page, '1-start');

  await page.locator('#map-next').click();
  await page.waitForFunction((n) => document.querySelectorAll('.map-card').length === n, Math.min(40, all.total));
  const focused = await page.evaluate(() => document.activeElement?.closest('.map-card')?.dataset.id);
  const page2 = await apiSearch({ page: '2' });
  assert.equal(focused, page2.items[0].id, 'focus moves to the first new result');

  // A word: the one of these with the most results, as the API says.
  const words = ['vrouwen', 'huisarts', 'groep', 'taalcafé', 'trauma'];
  const totals = await Promise.all(words.map(async (w) => [w, await apiSearch({ q: w })]));
  const [word, byWord] = totals.sort((a, b) => b[1].total - a[1].total)[0];
  assert.ok(byWord.total >= 2, `a search word with results (${word}: ${byWord.total})`);
  await page.locator('#map-q').fill(word);
  await page.locator('#map-go').click();
  await waitText(page, '#map-count', countText(byWord.total));
  assert.equal(await page.locator('.map-card').count(), byWord.items.length);

  // Two chips, each narrowing the result: the count follows the API's total for the same query.
  const first = pickChip(byWord);
  assert.ok(first, `a chip narrows "${word}"`);
  let params = { q: word, ...first[3] };
  const afterFirst = await apiSearch(params);
  await page.locator(first[2]).click();
  await waitText(page, '#map-count', countText(afterFirst.total));
  assert.notEqual(afterFirst.total, byWord.total);
  assert.equal(await page.locator(first[2]).getAttribute('aria-pressed'), 'true');
  const second = pickChip(afterFirst, first[0]) ?? CHIPS.find(([f, v]) => f !== first[0] && (afterFirst.facets?.[f]?.[v] ?? 0) < afterFirst.total);
  assert.ok(second, 'a second chip changes the count');
  params = { ...params, ...second[3] };
  const afterSecond = await apiSearch(params);
  await page.locator(second[2]).click();
  await waitText(page, '#map-count', countText(afterSecond.total));
  assert.notEqual(afterSecond.total, afterFirst.total, 'the second chip changes the count');
  assert.equal(await page.locator('.map-card').count(), afterSecond.items.length);
  const hash = new URLSearchParams((await page.evaluate(() => location.hash)).split('?')[1]);
  assert.equal(hash.get('q'), word, 'the search is kept in the address');
  await noHorizontalScroll(page, 'map filtered');
  await shot(page, '2-filtered');

  // A detail page: the first result of the filtered search (or of the word alone).
  const target = (afterSecond.items[0] ?? byWord.items[0]);
  if (!afterSecond.items.length) {
    await page.locator('#map-clear').click();
    await openMap(page, `#/map?q=${encodeURIComponent(word)}`);
  }
  await page.locator(`.map-card[data-id="${target.id}"] .map-card__link`).click();
  const detail = await apiGet(`/services/${target.id}?lang=nl`);
  await page.getByRole('heading', { level: 1, name: detail.name }).waitFor();
  for (const key of ['access', 'contact', 'cost', 'capacity_title']) {
    await page.getByRole('heading', { level: 2, name: nl.map.detail[key] }).waitFor();
  }
  const phones = [...(detail.phones ?? []), ...(detail.contacts ?? []).flatMap((c) => c.phones ?? [])];
  if (phones.length) assert.ok(await page.locator('#main a[href^="tel:"]').count() > 0, 'phone numbers are tel: links');
  assert.ok((await page.locator('#svc-checked').textContent()).length > 0, 'last checked shown');
  assert.equal(await page.locator('#svc-edit').count(), 0, 'no edit link without login');
  await noHorizontalScroll(page, 'detail');
  await shot(page, '3-detail');

  await page.locator('#svc-back').click();
  await page.getByRole('heading', { level: 1, name: nl.map.title }).waitFor();
  assert.equal(await page.locator('#map-q').inputValue(), word, 'back to the same search');
  await closePage(page);
});

test('in Arabic the map is right to left and shows the Arabic names', async () => {
  const page = await newPage();
  await openMap(page);
  await page.getByLabel(nl.lang.switch, { exact: true }).selectOption('ar');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  await page.getByRole('heading', { level: 1, name: ar.map.title }).waitFor();
  const res = await apiSearch({}, 'ar');
  const arabic = res.items.find((x) => /[\u0600-\u06FF]/.test(x.name));
  assert.ok(arabic, 'the API gives Arabic names for Accept-Language: ar');
  await page.waitForFunction((name) => [...document.querySelectorAll('.map-card__link')].some((a) => a.textContent.trim() === name), arabic.name);
  await waitText(page, '#map-count', countText(res.total, 'ar'));
  await noHorizontalScroll(page, 'map in Arabic');
  await shot(page, '4-ar');

  await page.locator(`.map-card[data-id="${arabic.id}"] .map-card__link`).click();
  await page.getByRole('heading', { level: 1, name: arabic.name }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  await page.getByRole('heading', { level: 2, name: ar.map.detail.access }).waitFor();
  await noHorizontalScroll(page, 'detail in Arabic');
  await shot(page, '5-ar-detail');
  await closePage(page);
});

test('"near me" asks for the location on click and sorts by distance', async () => {
  const near = { latitude: 52.10, longitude: 5.12 };
  const page = await pageWith({ geolocation: near, permissions: ['geolocation'] });
  await openMap(page);
  await page.locator('#map-more summary').click();
  await page.locator('#map-near').click();
  const res = await apiSearch({ near: '52.1000,5.1200' });
  await waitText(page, '#map-count', countText(res.total));
  const withDistance = res.items.filter((x) => typeof x.distance_km === 'number');
  assert.ok(withDistance.length > 0, 'the API gives distances');
  for (let i = 1; i < withDistance.length; i++) assert.ok(withDistance[i].distance_km >= withDistance[i - 1].distance_km, 'nearest first');
  await page.locator('.map-card__distance').first().waitFor();
  const shown = await page.locator('.map-card').first().getAttribute('data-id');
  assert.equal(shown, res.items[0].id, 'the page shows the API order');
  assert.ok(!(await page.evaluate(() => location.hash)).includes('52.1'), 'the location is not put in the address');
  await closePage(page);
});

/* ---------- coordinator ---------- */

test('a coordinator edits a capacity and sees it on the detail page; a 422 shows at its field', async () => {
  // An entry not checked in six months, so the warning shows too.
  const res = await apiSearch({ per_page: '50', level: 'L1,L2,L3' });
  const stale = res.items.find((x) => x.stale) ?? res.items[0];
  const page = await newPage();
  await logIn(page, 'coordinator');
  await page.getByRole('navigation').getByRole('link', { name: nl.nav.map }).click();
  await page.getByRole('heading', { level: 1, name: nl.map.title }).waitFor();

  // The coordinator's filter "not checked in 6 months" works on the loaded page.
  const first = await apiSearch({});
  await page.locator('.map-card').first().waitFor();
  await page.locator('#map-stale').check();
  const staleIds = first.items.filter((x) => x.stale).map((x) => x.id);
  await page.waitForFunction((n) => document.querySelectorAll('.map-card').length === n, staleIds.length);
  assert.deepEqual(await page.locator('.map-card').evaluateAll((els) => els.map((e) => e.dataset.id)), staleIds);
  await page.locator('#map-stale').uncheck();

  await page.goto(`${server.url}/#/map/service/${stale.id}`);
  await page.getByRole('heading', { level: 1, name: stale.name }).waitFor();
  await page.locator('#svc-edit').click();
  await page.locator('#edit-form').waitFor();
  if (stale.stale) await page.locator('#edit-stale').waitFor();
  const revisionsBefore = await page.locator('#edit-revisions tbody tr').count();
  await noHorizontalScroll(page, 'edit form');
  await shot(page, '6-edit');

  // A 422: an empty Dutch name and negative weeks, each shown at its input; nothing saved.
  const before = await apiGet(`/services/${stale.id}?lang=nl`);
  await page.locator('#edit-name-nl').fill('');
  await page.locator('#edit-capacity-state-1').click(); // waitlist (CAPACITY order: open, waitlist, closed)
  await page.locator('#edit-capacity-weeks').fill('-3');
  const answer = page.waitForResponse((r) => r.url().endsWith(`/api/v1/services/${stale.id}`) && r.request().method() === 'PUT');
  await page.locator('#edit-submit').click();
  const put = await answer;
  assert.equal(put.status(), 422);
  const pointers = (await put.json()).errors.map((e) => e.pointer);
  for (const [ptr, id] of [['/name/nl', 'edit-name-nl'], ['/capacity/weeks', 'edit-capacity-weeks']]) {
    if (!pointers.includes(ptr)) continue;
    await page.locator(`#${id}-error`).waitFor();
    assert.equal(await page.locator(`#${id}`).getAttribute('aria-invalid'), 'true', id);
    assert.ok((await page.locator(`#${id}`).getAttribute('aria-describedby')).includes(`${id}-error`));
  }
  assert.ok(pointers.includes('/capacity/weeks') || pointers.includes('/name/nl'), `expected pointers: ${pointers}`);
  const firstId = pointers.includes('/name/nl') ? 'edit-name-nl' : 'edit-capacity-weeks';
  assert.equal(await page.evaluate(() => document.activeElement?.id), firstId, 'first invalid field focused');
  await noHorizontalScroll(page, 'edit with 422');
  await shot(page, '7-edit-422');
  assert.deepEqual((await apiGet(`/services/${stale.id}?lang=nl`)).capacity, before.capacity, 'nothing saved on 422');

  // Now a valid edit: waitlist of 7 weeks, checked today.
  const weeks = (before.capacity?.weeks ?? 0) === 7 ? 8 : 7;
  await page.locator('#edit-name-nl').fill(before.name);
  await page.locator('#edit-capacity-weeks').fill(String(weeks));
  await page.locator('#edit-mark_checked').check();
  await page.locator('#edit-submit').click();
  await page.waitForURL(new RegExp(`#/map/service/${stale.id}$`));
  await page.getByText(nl.map.edit.saved).waitFor();
  await waitText(page, '#svc-capacity-state', fill(nl.map.capacity_weeks.other, { count: weeks }));
  const today = new Intl.DateTimeFormat('nl', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }).format(new Date());
  await waitText(page, '#svc-checked', fill(nl.map.checked_on, { date: today }));
  const after = await apiGet(`/services/${stale.id}?lang=nl`);
  assert.equal(after.capacity.state, 'waitlist');
  assert.equal(after.capacity.weeks, weeks);
  await shot(page, '8-detail-after-edit');

  // The revision list has one more row: this edit.
  await page.locator('#svc-edit').click();
  await page.locator('#edit-revisions tbody tr').first().waitFor();
  assert.equal(await page.locator('#edit-revisions tbody tr').count(), revisionsBefore + 1, 'a revision per edit');
  await closePage(page);
});

/* ---------- chain overview ---------- */

test('the chain overview for Veerhaven shows the five care levels and prints to an A4 PDF', async () => {
  const areas = list(await apiGet('/map/areas'));
  const veerhaven = areas.find((a) => a.kind === 'municipality' && /Veerhaven/.test(a.name));
  assert.ok(veerhaven, 'the demo has the municipality Veerhaven');
  const chain = await apiGet(`/map/chain?area=${encodeURIComponent(veerhaven.uri)}`);
  const page = await newPage();
  // The overview is the shared Dutch format, even when the UI speaks Arabic.
  await page.addInitScript(() => localStorage.setItem('vk.lang', 'ar'));
  await page.goto(`${server.url}/#/map/chain?area=${encodeURIComponent(veerhaven.uri)}`);
  await page.getByRole('heading', { level: 1, name: fill(nl.map.chain.heading, { area: chain.area.name }) }).waitFor();
  assert.equal(await page.locator('.chain').getAttribute('lang'), 'nl');
  const levels = await page.locator('.chain__level').evaluateAll((els) => els.map((e) => e.dataset.level));
  assert.deepEqual([...levels].sort(), [...MAP_LEVELS].sort(), 'all five levels');
  for (const l of chain.levels) {
    const section = page.locator(`.chain__level[data-level="${l.level}"]`);
    assert.equal((await section.locator('h2').textContent()).trim(), nl.levels[l.level]);
    assert.equal(await section.locator('tbody tr').count(), l.services.length, `rows for ${l.level}`);
  }
  await page.locator('#chain-print').waitFor();
  assert.equal((await page.locator('#map-fiction').textContent()).trim(), nl.map.fiction);
  await noHorizontalScroll(page, 'chain');
  await shot(page, '9-chain');

  // Print: no header or navigation, the crisis numbers stay; then a real A4 PDF.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false, 'no header on paper');
  assert.equal(await page.locator('#chain-print').isVisible(), false, 'no print button on paper');
  assert.equal(await page.locator('#crisis-line a[href="tel:113"]').isVisible(), true, 'crisis numbers on paper');
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, 'map-chain-veerhaven.pdf');
  await page.pdf({ path, format: 'A4', printBackground: true });
  const pdf = readFileSync(path);
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'a PDF file');
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
  assert.ok(pages >= 1, `at least one page (${pages})`);
  await closePage(page);
});

/* ---------- a region that keeps its map private ---------- */

test('with map-public off the map asks for a login, and shows after it', async () => {
  const root = process.env.VK_WEB_ROOT ? ['--web-root', resolve(repoRoot, process.env.VK_WEB_ROOT)] : [];
  const closed = await startServer({ demo: true, args: [...root, '--map-public', 'false', '--login-delay-ms', '1'] });
  try {
    const r = await new Client(closed.url).get('/api/v1/services');
    assert.equal(r.status, 401, 'the API refuses without a session');
    const page = await newPage();
    await page.goto(`${closed.url}/#/map`);
    await page.getByText(nl.map.login_needed).waitFor();
    assert.equal(await page.locator('#map-login').getAttribute('href'), '#/login');
    await shot(page, '10-private');
    await logIn(page, 'volunteer', closed.url);
    await page.getByRole('navigation').getByRole('link', { name: nl.nav.map }).click();
    await page.getByRole('heading', { level: 1, name: nl.map.title }).waitFor();
    const total = (await (await demoLogin(closed, 'volunteer')).get('/api/v1/services')).json.total;
    await waitText(page, '#map-count', countText(total));
    await closePage(page);
  } finally {
    await closed.stop();
  }
});
