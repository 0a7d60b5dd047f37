// SPDX-License-Identifier: EUPL-1.2
// Browser test of the route map (issue 6) against the real binary with the demo region (--demo),
// at a 360 px phone viewport: the volunteer opens, from the client page, the route map of the
// demo client with a medium screening (src/demo/demo.c); sees the staircase with L0 marked as
// recommended in words, the reasons and steps of L0 as the API words them, at least one offer
// whose name matches the API's advice (fetched in the test, never hard-coded) and a link to its
// map page; opens the route card, which is in the client's language (Arabic, right to left) with
// the crisis numbers, and prints. "Verwijzen" on an L1 offer shows what is shared with whom, is
// refused (409) without the organisation's consent grant and sent once the grant exists.
// Screenshots: build/test-artifacts/screenshots/route-*.png.
//
// Set VK_WEB_ROOT=web to test the files on disk instead of the assets built into the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, locale, fill } from '../lib/browser.mjs';
import { demoEmail, DEMO_PASSWORD, demoLogin } from '../lib/server.mjs';

const nl = locale('nl');
const ar = locale('ar');

const suite = browserSuite({ prefix: 'route', args: ['--login-delay-ms', '1'], timeout: 15000 });
const { newPage, closePage, noHorizontalScroll, shot } = suite;
let server;
let vol;
let pid;

before(async () => {
  ({ server } = await suite.start());
  vol = await demoLogin(server, 'volunteer');
  const r = await vol.get('/api/v1/clients');
  assert.equal(r.status, 200, r.text);
  // The demo client with the medium screening: born 1994, Arabic-speaking (src/demo/demo.c).
  const c = r.json.items.find((x) => x.year_of_birth === 1994 && x.language === 'ar');
  assert.ok(c, `the demo client with a screening: ${r.text}`);
  pid = c.id;
});

after(() => suite.stop());

async function login(page) {
  await page.goto(`${server.url}/`);
  await page.getByLabel(nl.login.email, { exact: true }).fill(demoEmail('volunteer'));
  await page.getByLabel(nl.login.password, { exact: true }).fill(DEMO_PASSWORD);
  await page.locator('#login-submit').click();
  await page.getByRole('heading', { level: 1, name: nl.home.title }).waitFor();
}

test('the volunteer sees the route map of a medium screening and opens the route card', async () => {
  const page = await newPage();
  await login(page);
  // The screening result links to the route map too.
  const sc = (await vol.get(`/api/v1/clients/${pid}/screenings`)).json.items[0];
  await page.goto(`${server.url}/#/clients/${pid}/screenings/${sc.id}`);
  assert.equal(await page.locator('#result-route-link').getAttribute('href'), `#/clients/${pid}/route`);
  await page.goto(`${server.url}/#/clients/${pid}`);
  await page.locator('#client-route-link').click();
  await page.getByRole('heading', { level: 1, name: nl.route.page_title }).waitFor();
  await page.locator('#route-stairs').waitFor();

  // The advice the page shows is the latest one: fetch it from the API.
  const r = await vol.get(`/api/v1/clients/${pid}/route`);
  assert.equal(r.status, 200, r.text);
  const advice = r.json;
  assert.equal(advice.input.band, 'medium', JSON.stringify(advice.input));
  const levels = advice.levels.map((l) => l.level);
  assert.ok(levels.includes('L0'), `L0 recommended: ${levels}`);
  assert.ok(!levels.includes('crisis'), 'no red flag, no crisis level');
  assert.equal(advice.screening_id, sc.id, 'computed from the newest screening');

  // The staircase: five steps, the recommended ones marked in words, the others not.
  const steps = page.locator('#route-stairs > li');
  assert.equal(await steps.count(), 5);
  for (const lv of ['crisis', 'L0', 'L1', 'L2', 'L3']) {
    const step = page.locator(`#route-stairs > li[data-level="${lv}"]`);
    const text = await step.textContent();
    assert.ok(text.includes(nl.levels_short[lv]), `${lv} named`);
    assert.equal(text.includes(nl.route.recommended), levels.includes(lv), `${lv}: marked iff recommended`);
    assert.equal(await step.evaluate((e) => e.classList.contains('is-recommended')), levels.includes(lv));
  }

  // L0: urgency in words, reasons and steps as the API words them, offers with links.
  const l0 = advice.levels.find((l) => l.level === 'L0');
  const sec = page.locator('#route-level-L0');
  assert.equal((await sec.locator('h2').textContent()).trim(), nl.levels.L0);
  assert.ok((await sec.textContent()).includes(nl.route.urgency[l0.urgency]), 'urgency in words');
  assert.ok(l0.reasons.length > 0 && l0.steps.length > 0, 'the rules give reasons and steps');
  assert.deepEqual((await sec.locator('.route-reasons li').allTextContents()).map((x) => x.trim()), l0.reasons.map((x) => x.nl));
  assert.deepEqual((await sec.locator('.route-steps li').allTextContents()).map((x) => x.trim()), l0.steps.map((x) => x.nl));
  assert.ok(l0.matches.length > 0, 'the demo map has L0 offers');
  const names = (await sec.locator('.route-offer__name').allTextContents()).map((x) => x.trim());
  assert.deepEqual(names, l0.matches.map((m) => m.name), 'the offers, in the API\'s order');
  const first = sec.locator('.route-offer').first();
  assert.equal(await first.locator('a').getAttribute('href'), `#/map/service/${encodeURIComponent(l0.matches[0].service)}`);
  assert.deepEqual((await first.locator('.route-offer__fit li').allTextContents()).map((x) => x.trim()), l0.matches[0].fit_reasons);

  await noHorizontalScroll(page, 'route map');
  await shot(page, 'map');

  // The route card: in Arabic (the client's language), right to left, crisis numbers; printable.
  await page.locator('#route-card-open').click();
  await page.locator('#route-card').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'route-card-title', 'focus on the card');
  const card = page.locator('#route-card');
  assert.equal(await card.getAttribute('lang'), 'ar');
  assert.equal(await card.getAttribute('dir'), 'rtl');
  assert.equal((await card.locator('h2').textContent()).trim(), ar.route.card_title);
  assert.ok((await card.textContent()).includes(ar.route.urgency[l0.urgency]), 'urgency in Arabic');
  assert.match(await card.locator('.route-card__crisis').textContent(), /112[\s\S]*113[\s\S]*0800-0113/);
  // Each step in Arabic where the rules have it, else in Dutch with the fallback note.
  const stepLangs = await card.locator('.route-card__level li').evaluateAll((els) => els.map((e) => e.lang));
  const want = advice.levels.flatMap((l) => l.steps.map((x) => (x.ar ? 'ar' : 'nl')));
  assert.deepEqual(stepLangs, want);
  assert.equal(await card.locator('.route-card__draft').count(), want.includes('nl') ? 1 : 0);
  await noHorizontalScroll(page, 'route card');
  await shot(page, 'card');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('#route-stairs').isVisible(), false, 'only the card prints');
  assert.equal(await card.isVisible(), true);
  await shot(page, 'card-print');
  await page.emulateMedia({ media: 'screen' });

  // Keyboard: the close button is reachable and closes the card, focus back on the button.
  await page.locator('#route-card-open').focus();
  await page.keyboard.press('Enter');
  await page.locator('#route-card').waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'route-card-open');
  await closePage(page);
});

test('refer from the route map: the confirmation names the organisation, 409 without consent, then sent', async () => {
  // A fresh advice with persistent complaints adds L1 (GP / health post), whose organisation
  // receives referrals in Veerkracht.
  const a = await vol.post(`/api/v1/clients/${pid}/route`, { persistent: true });
  assert.equal(a.status, 201, a.text);
  const orgs = (await vol.get('/api/v1/orgs')).json.items;
  const l1 = a.json.levels.find((l) => l.level === 'L1');
  assert.ok(l1, `L1 with persistent complaints: ${a.text}`);
  const i = l1.matches.findIndex((m) => orgs.some((o) => o.name === m.organization));
  assert.ok(i >= 0, 'an L1 offer of an account organisation');
  const m = l1.matches[i];
  const org = orgs.find((o) => o.name === m.organization);
  const key = `route-level-L1-offers-${i}`;
  const referrals = async () => (await vol.get(`/api/v1/clients/${pid}/referrals`)).json.items.filter((x) => x.service?.id === m.service);
  const before = (await referrals()).length;

  const page = await newPage();
  await login(page);
  await page.goto(`${server.url}/#/clients/${pid}/route`);
  await page.locator('#route-level-L1').waitFor();
  const button = page.locator(`#refer-${key}`);
  assert.equal((await button.textContent()).trim(), nl.route.refer);
  await button.focus();
  await page.keyboard.press('Enter');
  const box = page.locator(`#refer-box-${key}`);
  await box.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), `refer-send-${key}`);
  assert.ok((await box.textContent()).includes(fill(nl.route.refer_share, { org: m.organization })), 'with whom');
  for (const sc of ['referral', 'signal']) assert.ok((await box.textContent()).includes(nl.scopes[sc]), `shares ${sc}`);
  await shot(page, 'refer-confirm');

  // No consent grant for that organisation yet: 409, said at the button, nothing written.
  await page.locator(`#refer-send-${key}`).click();
  await page.locator(`#refer-error-${key}`).waitFor();
  assert.ok((await page.locator(`#refer-error-${key}`).textContent()).includes(nl.route.refer_no_consent));
  assert.equal((await referrals()).length, before, 'nothing written on 409');
  await shot(page, 'refer-409');

  // The client consents (recorded through the API, as on the client page); sending now works.
  const g = await vol.post(`/api/v1/clients/${pid}/grants`, { org_id: org.id, scopes: ['signal', 'referral'], basis: 'verbal_consent', days: 30 });
  assert.equal(g.status, 201, g.text);
  await page.locator(`#refer-send-${key}`).click();
  await page.getByText(fill(nl.route.refer_done, { name: m.name })).first().waitFor();
  const after = await referrals();
  assert.equal(after.length, before + 1, 'one referral');
  assert.equal(after[0].state, 'sent');
  await noHorizontalScroll(page, 'route map after referral');
  await closePage(page);
});

test('a client the volunteer cannot see: the route map says not found, no advice shown', async () => {
  const page = await newPage();
  await login(page);
  await page.goto(`${server.url}/#/clients/${'0'.repeat(32)}/route`);
  await page.getByRole('heading', { level: 1, name: nl.route.page_title }).waitFor();
  assert.equal((await page.locator('.notice--error').textContent()).trim(), nl.errors.not_found);
  assert.equal(await page.locator('#route-stairs').count(), 0);
  await closePage(page);
});
