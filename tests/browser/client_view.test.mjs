// SPDX-License-Identifier: EUPL-1.2
// The client's own view (#/me) at a 360 px phone viewport in Arabic (RTL): the demo client logs in
// with the code from `serve --demo` and a new PIN, sees the timeline (calm words: no band, no
// score), accepts a request, confirms verbal consent, shows the GP less, allows the GGZ longer,
// revokes the GP's grant — after which the GP's very next API request for the client is 404 — and
// reads who looked, filtered by period. Screenshots: build/test-artifacts/screenshots/client-view-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, locale, fill, firstCardLogin } from '../lib/browser.mjs';
import { demoLogin } from '../lib/server.mjs';

const ar = locale('ar');
const suite = browserSuite({ prefix: 'client-view', timeout: 15000 });
const { newPage, closePage, noHorizontalScroll, shot } = suite;
let server;
let code;
let pid;
let gp;
let gpName;
let ggzName;
let gpGrant;
let ggzRequest;
let level;
let referral;
const POH_DE_LINDE = '302b670b-0e4f-5c1f-a377-a0a9e3208ab9'; // demo map: POH-GGZ De Linde

before(async () => {
  ({ server } = await suite.start());
  code = server.logs().match(/client\s+login card (VK-[0-9A-Z-]+)/)?.[1];
  assert.ok(code, `demo client card in the server output:\n${server.logs()}`);
  // the demo client's dossier: the volunteer registered it (demo data)
  const vol = await demoLogin(server, 'volunteer');
  const list = (await vol.get('/api/v1/clients')).json.items;
  gp = await demoLogin(server, 'gp');
  const ggz = await demoLogin(server, 'ggz');
  const gpOrg = (await gp.get('/api/v1/me')).json.user.org;
  const ggzOrg = (await ggz.get('/api/v1/me')).json.user.org;
  gpName = gpOrg.name;
  ggzName = ggzOrg.name;
  // find the demo client's pid: the one with a login card (the API tells the holder only)
  for (const c of list) {
    const card = await vol.get(`/api/v1/clients/${c.id}/card`);
    if (card.status === 200 && card.json?.issued) { pid = c.id; break; }
  }
  assert.ok(pid, 'the demo client is in the volunteer caseload');
  let r = await vol.post(`/api/v1/clients/${pid}/grants`, { org_id: gpOrg.id, scopes: ['signal', 'referral'], basis: 'verbal_consent', days: 30 });
  assert.equal(r.status, 201, r.text);
  gpGrant = r.json.id;
  r = await vol.post(`/api/v1/clients/${pid}/grants`, { org_id: ggzOrg.id, scopes: ['signal'], basis: 'request', days: 60, purpose: 'referral' });
  assert.equal(r.status, 201, r.text);
  ggzRequest = r.json.id;
  assert.equal((await gp.get(`/api/v1/clients/${pid}`)).status, 200, 'the GP can read before the revocation');
  // route advice and a referral to the POH-GGZ of the GP practice, for the timeline
  r = await vol.post(`/api/v1/clients/${pid}/route`, {});
  assert.equal(r.status, 201, r.text);
  level = r.json.levels[0].level;
  r = await vol.post('/api/v1/referrals', { client_id: pid, service_id: POH_DE_LINDE, scopes: ['signal'] });
  assert.equal(r.status, 201, r.text);
  referral = r.json.id;
});

after(() => suite.stop());

test('the demo client sees the story, manages access and reads who looked, in Arabic at 360 px', async () => {
  const page = await newPage();
  await firstCardLogin(page, `${server.url}/#/card/${code}`, { lang: 'ar' });
  await page.locator('#home-me').click();
  await page.getByRole('heading', { level: 1, name: ar.me.title }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');
  // the crisis line stays visible on the client's page
  assert.ok(await page.locator('#crisis-line').isVisible());
  assert.match(await page.locator('#crisis-line').textContent(), /112[\s\S]*113/);

  // My story: the demo screening as a calm sentence, never a band or a level code
  const story = page.locator('#me-story');
  await story.getByText(ar.me.story.screening).first().waitFor();
  const storyText = await story.textContent();
  for (const label of Object.values(ar.bands ?? {})) {
    if (typeof label === 'string' && label.length > 2) assert.ok(!storyText.includes(label), `no risk label "${label}"`);
  }
  assert.doesNotMatch(storyText, /\b(low|medium|high|L[0-3])\b/, 'no band or level codes');
  assert.ok(storyText.includes(ar.me.levels[level]), `the advice in words (${level})`);
  const ref = story.locator(`[data-referral="${referral}"]`);
  assert.match(await ref.textContent(), new RegExp(ar.me.referral_states.sent));
  await noHorizontalScroll(page, 'my story');
  await shot(page, '1-story-ar');
  // "I could not go, because …": the answer reaches the referral
  await ref.getByRole('button', { name: ar.me.story.not_went }).click();
  await page.locator('#me-reason').fill('لم يكن لدي مال للحافلة');
  await story.getByRole('button', { name: ar.me.story.send }).click();
  await story.getByText(ar.me.story.thanks).waitFor();
  await story.locator(`[data-referral="${referral}"]`).getByText(ar.me.story.answered_not).waitFor();
  const answered = (await gp.get(`/api/v1/referrals/${referral}`)).json;
  assert.equal(answered.client_answer, 'could_not_go', JSON.stringify(answered));

  // Who can see: the request, then the GP's verbal consent (unconfirmed)
  const grants = page.locator('#me-grants');
  const req = grants.locator(`[data-grant="${ggzRequest}"]`);
  await req.getByText(ar.me.grants.requested).waitFor();
  assert.match(await req.textContent(), new RegExp(ar.me.purposes.referral));
  const gpCard = grants.locator(`[data-grant="${gpGrant}"]`);
  await gpCard.getByText(ar.me.grants.unconfirmed).waitFor();
  await noHorizontalScroll(page, 'who can see');
  await shot(page, '2-grants-ar');

  await req.locator('[data-action="accept"]').click();
  await grants.getByText(fill(ar.me.grants.accepted_done, { org: ggzName })).waitFor();
  assert.equal(await grants.locator(`[data-grant="${ggzRequest}"]`).getAttribute('data-state'), 'active');

  await gpCard.locator('[data-action="confirm"]').click();
  await grants.getByText(fill(ar.me.grants.confirmed_done, { org: gpName })).waitFor();

  // show less: the GP keeps only what stays ticked, at once
  await gpCard.locator('[data-action="narrow"]').click();
  await gpCard.locator('input[value="referral"]').uncheck();
  await gpCard.locator('.me-narrow button[type="submit"]').click();
  await grants.getByText(fill(ar.me.grants.narrowed_done, { org: gpName })).waitFor();
  assert.deepEqual((await gp.get(`/api/v1/clients/${pid}`)).json.scopes, ['signal']);

  // allow longer: the accepted request now ends about 60 + 90 days from now
  await grants.locator(`[data-grant="${ggzRequest}"] [data-action="extend"]`).click();
  await grants.getByText(fill(ar.me.grants.extended_done, { org: ggzName })).waitFor();
  const vol = await demoLogin(server, 'volunteer');
  const ext = (await vol.get(`/api/v1/clients/${pid}/grants`)).json.items.find((g) => g.id === ggzRequest);
  const days = (Date.parse(ext.expires_at) - Date.now()) / 86400e3;
  assert.ok(days > 145 && days < 152, `extended to ${days} days`);

  // revoke the GP: one button, the org's very next request is 404
  await grants.locator(`[data-grant="${gpGrant}"] [data-action="revoke"]`).click();
  await grants.getByText(fill(ar.me.grants.revoked_done, { org: gpName })).waitFor();
  const after = await gp.get(`/api/v1/clients/${pid}`);
  assert.equal(after.status, 404, `the GP's next request: ${after.status} ${after.text}`);
  await shot(page, '3-revoked-ar');

  // Who looked: the GP's reads, then its refused attempt, in plain words with the basis
  const looked = page.locator('#me-looked');
  await page.locator('[data-period="week"]').click();
  await page.locator('[data-period="week"][aria-pressed="true"]').waitFor();
  await looked.locator('.me-log__item').first().waitFor();
  const text = await looked.textContent();
  assert.ok(text.includes(gpName), 'the GP organisation is named');
  assert.ok(text.includes(ar.roles.gp), 'with its role in Arabic');
  assert.ok(text.includes(ar.me.looked.actions.read), 'what it did in words');
  assert.ok(text.includes(ar.me.looked.basis_permission), 'on which basis');
  assert.ok(text.includes(ar.me.looked.actions.grant_revoke), 'the revocation is listed');
  assert.equal(await page.locator('[data-period="week"]').getAttribute('aria-pressed'), 'true');
  await page.locator('[data-period="all"]').click();
  await page.locator('[data-period="all"][aria-pressed="true"]').waitFor();
  // a phone screen of rows, then "show more"
  assert.equal(await looked.locator('.me-log__item').count(), 15);
  await page.locator('#me-log-more').click();
  await page.locator('#me-log-more').waitFor({ state: 'detached' });
  assert.ok(await looked.locator('.me-log__item').count() > 15);
  await looked.getByText(ar.me.looked.actions.card_issue).first().waitFor();
  await noHorizontalScroll(page, 'who looked');
  await shot(page, '4-looked-ar');
  await closePage(page);
});

test('a volunteer asks the client for access (no access until the client accepts)', async () => {
  const nl = locale('nl');
  const vol = await demoLogin(server, 'volunteer');
  const orgs = (await vol.get('/api/v1/orgs')).json.items;
  const target = orgs.find((o) => o.kind === 'basic_ggz');
  assert.ok(target, 'a GGZ organisation');
  const page = await newPage();
  await page.goto(`${server.url}/#/login`);
  await page.getByLabel(nl.login.email, { exact: true }).fill('volunteer@demo.example');
  await page.getByLabel(nl.login.password, { exact: true }).fill('veerkracht-demo-2026');
  await page.locator('#login-submit').click();
  await page.getByRole('heading', { level: 1, name: nl.home.title }).waitFor();
  await page.goto(`${server.url}/#/clients/${pid}`);
  await page.locator('#grant-form select[name="org_id"]').selectOption(target.id);
  await page.locator('#grant-form input[name="scopes"][value="referral"]').check();
  await page.locator('#grant-request').click();
  await page.getByText(fill(nl.grants.request_sent, { org: target.name })).waitFor();
  const item = page.locator('.grant', { has: page.getByRole('heading', { level: 3, name: target.name }) })
    .filter({ hasText: nl.grants.requested });
  await item.first().waitFor();
  assert.equal(await page.locator('.grant button[data-grant]').count(), 0, 'no withdraw button for a professional');
  await noHorizontalScroll(page, 'client page with a request');
  await shot(page, '5-request-nl');
  const items = (await vol.get(`/api/v1/clients/${pid}/grants`)).json.items;
  const req = items.find((g) => g.state === 'requested' && g.org.id === target.id && g.scopes.includes('referral'));
  assert.ok(req, JSON.stringify(items));
  assert.equal(req.requested_by.role, 'volunteer');
  await closePage(page);
});
