// SPDX-License-Identifier: EUPL-1.2
// Erasure in the browser (docs/dossier.md §6) at a 360 px phone viewport: a client logs in with
// a new card in Arabic (RTL), opens "delete my information" (#/me/erase), reads what it means,
// must tick "I understand" before asking, asks, withdraws and asks again; then the GP (health
// role, with a grant) sees the request on the client page, with the record-keeping caveat, types
// a wrong number (refused, nothing erased), types the pseudonym and confirms: the caseload opens
// with a message, and the API answers 404 for the client from then on.
// Screenshots: build/test-artifacts/screenshots/erase-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { browserSuite, locale, SHOTS, firstCardLogin } from '../lib/browser.mjs';
import { demoLogin, demoEmail, sampleClient, DEMO_PASSWORD } from '../lib/server.mjs';

const ar = locale('ar');
const nl = locale('nl');
const suite = browserSuite({ prefix: 'erase', timeout: 15000 });
const { newPage, closePage, noHorizontalScroll, shot } = suite;
let server, vol, gp, pid, loginUrl;

before(async () => {
  ({ server } = await suite.start());
  vol = await demoLogin(server, 'volunteer');
  gp = await demoLogin(server, 'gp');
  pid = (await vol.post('/api/v1/clients', sampleClient({ name: 'Amal Testnaam' }))).json.id;
  const gpOrg = (await gp.get('/api/v1/me')).json.user.org.id;
  let r = await vol.post(`/api/v1/clients/${pid}/grants`, { org_id: gpOrg, scopes: ['signal'], basis: 'verbal_consent', days: 30 });
  assert.equal(r.status, 201, r.text);
  r = await vol.post(`/api/v1/clients/${pid}/card`);
  assert.equal(r.status, 201, r.text);
  loginUrl = r.json.login_url;
});

after(() => suite.stop());

test('the client asks for erasure in Arabic at 360 px, withdraws, and asks again', async () => {
  const page = await newPage();
  await firstCardLogin(page, loginUrl, { lang: 'ar' });
  // the way in: "My dossier", then the link under "Take my dossier with me"
  await page.locator('#home-me').click();
  await page.getByRole('heading', { level: 1, name: ar.me.title }).waitFor();
  await page.locator('#me-erase').click();
  await page.getByRole('heading', { level: 1, name: ar.erase.title }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  for (const k of ['what', 'final', 'who', 'kept', 'download_first']) await page.getByText(ar.erase[k]).waitFor();
  assert.ok(await page.locator('#crisis-line').isVisible(), 'the crisis line stays');
  assert.equal(await page.locator('#erase-state').getAttribute('data-state'), 'none');
  await noHorizontalScroll(page, 'erase page');
  await shot(page, 'client-ask');

  // asking needs the tick first; nothing is sent without it
  await page.locator('#erase-ask').click();
  await page.getByText(ar.erase.understand_needed).waitFor();
  assert.equal((await gp.get(`/api/v1/clients/${pid}/erasure`)).json.state, 'none');
  await page.getByLabel(ar.erase.understand, { exact: true }).check();
  await page.locator('#erase-ask').click();
  await page.getByText(ar.erase.asked_done).waitFor();
  assert.equal(await page.locator('#erase-state').getAttribute('data-state'), 'requested');
  const state = (await gp.get(`/api/v1/clients/${pid}/erasure`)).json;
  assert.equal(state.state, 'requested');
  await page.locator('#erase-asked').waitFor();
  await shot(page, 'client-asked');

  await page.locator('#erase-withdraw').click();
  await page.getByText(ar.erase.withdrawn_done).waitFor();
  assert.equal(await page.locator('#erase-state').getAttribute('data-state'), 'withdrawn');
  assert.equal((await gp.get(`/api/v1/clients/${pid}/erasure`)).json.state, 'withdrawn');
  await page.getByLabel(ar.erase.understand, { exact: true }).check();
  await page.locator('#erase-ask').click();
  await page.getByText(ar.erase.asked_done).waitFor();
  assert.equal((await gp.get(`/api/v1/clients/${pid}/erasure`)).json.state, 'requested');
  await noHorizontalScroll(page, 'erase page, asked');
  await closePage(page);
});

test('the GP confirms on the client page by typing the pseudonym again', async () => {
  const page = await newPage();
  await page.goto(`${server.url}/`);
  await page.getByLabel(nl.login.email, { exact: true }).fill(demoEmail('gp'));
  await page.getByLabel(nl.login.password, { exact: true }).fill(DEMO_PASSWORD);
  await page.locator('#login-submit').click();
  await page.getByRole('heading', { level: 1, name: nl.home.title }).waitFor();
  await page.goto(`${server.url}/#/clients/${pid}`);
  await page.locator('#erasure').waitFor();
  await page.getByText(nl.erase.panel_law).waitFor();
  await page.getByText(nl.erase.panel_backups).waitFor();
  const asked = (await gp.get(`/api/v1/clients/${pid}/erasure`)).json;
  assert.equal(asked.may_confirm, true);
  await noHorizontalScroll(page, 'client page with the erasure request');
  // the page is long (the access log): the panel itself
  await page.locator('#erasure').screenshot({ path: join(SHOTS, 'erase-panel.png') });

  // a wrong number: refused in place, nothing erased
  await page.locator('#erasure-pid').fill(pid.replace(/.$/, (c) => (c === '0' ? '1' : '0')));
  await page.locator('#erasure-confirm').click();
  await page.getByText(nl.erase.mismatch).waitFor();
  assert.equal(await page.locator('#erasure-pid').getAttribute('aria-invalid'), 'true');
  assert.equal((await gp.get(`/api/v1/clients/${pid}`)).status, 200, 'still there');
  await page.locator('#erasure').screenshot({ path: join(SHOTS, 'erase-panel-mismatch.png') });

  await page.locator('#erasure-pid').fill(pid);
  await page.locator('#erasure-confirm').click();
  await page.getByText(nl.erase.erased_done).waitFor();
  assert.match(page.url(), /#\/clients$/);
  assert.equal(await page.locator(`a[href="#/clients/${pid}"]`).count(), 0, 'gone from the caseload');
  await shot(page, 'erased');
  assert.equal((await gp.get(`/api/v1/clients/${pid}`)).status, 404);
  assert.equal((await vol.get(`/api/v1/clients/${pid}`)).status, 404);
  await closePage(page);
});

test('a volunteer sees no confirm form (the role may not confirm)', async () => {
  const other = (await vol.post('/api/v1/clients', sampleClient({}))).json.id;
  const card = await vol.post(`/api/v1/clients/${other}/card`);
  const page = await newPage();
  await firstCardLogin(page, card.json.login_url, { lang: 'nl' });
  await page.goto(`${server.url}/#/me/erase`);
  await page.getByLabel(nl.erase.understand, { exact: true }).check();
  await page.locator('#erase-ask').click();
  await page.getByText(nl.erase.asked_done).waitFor();
  await page.locator('#erase-asked').waitFor();
  await page.context().close();

  const vpage = await newPage();
  await vpage.goto(`${server.url}/`);
  await vpage.getByLabel(nl.login.email, { exact: true }).fill(demoEmail('volunteer'));
  await vpage.getByLabel(nl.login.password, { exact: true }).fill(DEMO_PASSWORD);
  await vpage.locator('#login-submit').click();
  await vpage.getByRole('heading', { level: 1, name: nl.home.title }).waitFor();
  await vpage.goto(`${server.url}/#/clients/${other}`);
  await vpage.locator('#access-log').waitFor();
  assert.equal(await vpage.locator('#erasure').count(), 0);
  await closePage(vpage);
});
