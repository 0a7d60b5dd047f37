// SPDX-License-Identifier: EUPL-1.2
// Browser test of "Client moves" (issues 5 and 6) on the demo region at a 360 px phone viewport:
// the COA staff member opens the demo client's page, chooses Lindedal (a municipality of the
// social map) with the keyboard and records the move. The page then shows what the API says:
// the new advice per level, the open referral to the AZC's POH-GGZ marked "does not work in the
// new place", and the proposed partners as checkboxes; "ask the client" sends one request for the
// ticked organisations, and the client's grant list then holds exactly those requests.
// Screenshots: build/test-artifacts/screenshots/move-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, locale, fill } from '../lib/browser.mjs';
import { demoEmail, DEMO_PASSWORD, demoLogin } from '../lib/server.mjs';

const nl = locale('nl');
const suite = browserSuite({ prefix: 'move', args: ['--login-delay-ms', '1'], timeout: 20000 });
const { newPage, closePage, noHorizontalScroll, shot } = suite;
let server;
let vol;
let coa;
let pid;
let refAzc;

before(async () => {
  ({ server } = await suite.start());
  vol = await demoLogin(server, 'volunteer');
  coa = await demoLogin(server, 'coa_staff');
  const clients = (await vol.get('/api/v1/clients')).json.items;
  pid = clients.find((c) => c.location === 'AZC Veerhaven' && c.language === 'ar').id;
  const orgs = Object.fromEntries((await vol.get('/api/v1/orgs')).json.items.map((o) => [o.name, o.id]));
  for (const org of ['AZC Veerhaven (COA, fictief)', 'Gezondheidspost AZC Veerhaven (fictief)']) {
    const g = await vol.post(`/api/v1/clients/${pid}/grants`, { org_id: orgs[org], scopes: ['signal', 'referral'], basis: 'verbal_consent', days: 60 });
    assert.equal(g.status, 201, g.text);
  }
  // at the AZC: the route map with complaints that persist, and a referral to the AZC's POH-GGZ
  assert.equal((await coa.post(`/api/v1/clients/${pid}/route`, { persistent: true })).status, 201);
  const svc = (await vol.get('/api/v1/services?q=POH-GGZ&per_page=50')).json.items.find((s) => s.name === 'POH-GGZ Gezondheidspost AZC');
  const ref = await coa.post('/api/v1/referrals', { client_id: pid, service_id: svc.id, scopes: ['signal'] });
  assert.equal(ref.status, 201, ref.text);
  refAzc = ref.json.id;
});

after(() => suite.stop());

test('COA staff moves the demo client from AZC Veerhaven to Lindedal and asks the client for the new partners', async () => {
  const page = await newPage();
  await page.goto(`${server.url}/`);
  await page.getByLabel(nl.login.email, { exact: true }).fill(demoEmail('coa_staff'));
  await page.getByLabel(nl.login.password, { exact: true }).fill(DEMO_PASSWORD);
  await page.locator('#login-submit').click();
  await page.getByRole('heading', { level: 1, name: nl.home.title }).waitFor();
  await page.goto(`${server.url}/#/clients/${pid}`);
  const panel = page.locator('#move');
  await panel.getByRole('heading', { level: 2, name: nl.move.title }).waitFor();
  assert.ok((await page.locator('#move-now').textContent()).includes('AZC Veerhaven'));

  // keyboard only: the place from the map's areas, the phase, the button
  const place = page.getByLabel(nl.move.place, { exact: true });
  await place.waitFor();
  const options = await place.locator('option').allTextContents();
  assert.ok(options.includes('Lindedal') && options.includes(nl.move.place_other), options.join('|'));
  await place.focus();
  await place.selectOption('Lindedal');
  assert.ok(await page.getByRole('radio', { name: nl.phases.municipality }).isChecked());
  await page.locator('#move-submit').focus();
  await page.keyboard.press('Enter');
  const result = page.locator('#move-result');
  await result.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'move-result', 'focus moves to the outcome');
  assert.ok((await result.textContent()).includes(fill(nl.move.done, { from: 'AZC Veerhaven', to: 'Lindedal' })));
  const record = await page.locator('section[aria-labelledby="client-record"]').textContent();
  assert.ok(record.includes('Lindedal') && !record.includes('AZC Veerhaven'), 'the record shows the new place');

  // what the page shows is what the API says now
  const client = await coa.get(`/api/v1/clients/${pid}`);
  assert.equal(client.json.location, 'Lindedal');
  assert.equal(client.json.phase, 'municipality');
  const advice = (await coa.get(`/api/v1/clients/${pid}/route`)).json;
  assert.equal(advice.area, 'urn:veerkracht:demo:gemeente:lindedal');
  const shown = await page.locator('#move-advice > li').evaluateAll((els) => els.map((e) => e.dataset.level));
  assert.deepEqual(shown, advice.levels.map((l) => l.level));
  const first = advice.levels.find((l) => l.matches.length)?.matches[0];
  assert.ok((await page.locator('#move-advice').textContent()).includes(first.name), first.name);
  const ref = page.locator(`#move-refs li[data-referral="${refAzc}"]`);
  assert.equal(await ref.locator('[data-serves="no"]').textContent(), nl.move.serves_no);
  const moves = (await coa.get(`/api/v1/clients/${pid}/moves`)).json.items;
  assert.equal(moves.length, 1);
  assert.equal(await page.locator('#move-history > li').count(), 1);

  // the proposal: checkboxes, all ticked, the button counts them
  const boxes = page.locator('#move-partners-group input[type="checkbox"]');
  const n = await boxes.count();
  assert.ok(n >= 1, 'at least one new partner in Lindedal (the GP practice for L1)');
  const names = await page.locator('#move-partners-group .choice__label').allTextContents();
  assert.ok(names.includes('Huisartsenpraktijk De Linde (fictief)'), names.join('|'));
  const submit = page.locator('#move-ask-submit');
  assert.equal(await submit.textContent(), fill(nl.move.ask, { count: n }));
  await noHorizontalScroll(page, 'move result');
  await panel.scrollIntoViewIfNeeded();
  await shot(page, 'proposal');

  const orgIds = await boxes.evaluateAll((els) => els.map((e) => e.value));
  await submit.focus();
  await page.keyboard.press('Enter');
  const asked = page.locator('#move-asked');
  await asked.waitFor();
  assert.ok((await asked.textContent()).includes(fill(nl.move.asked, { count: n })));
  const requests = (await coa.get(`/api/v1/clients/${pid}/grants`)).json.items.filter((g) => g.state === 'requested');
  assert.deepEqual(requests.map((g) => g.org.id).sort(), [...orgIds].sort());
  assert.ok(requests.every((g) => g.requested_by.role === 'coa_staff'));
  await noHorizontalScroll(page, 'after asking');
  await shot(page, 'asked');
  await closePage(page);
});
