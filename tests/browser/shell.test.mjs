// SPDX-License-Identifier: EUPL-1.2
// Browser test of the web UI shell against the real binary (demo data), at a 360 px wide phone
// viewport: log in in Dutch, register a client, see who can see it, switch to Arabic (RTL), and
// the error paths — wrong password, a server-side 422 shown next to its field, an ended session,
// and login throttling. Screenshots go to build/test-artifacts/screenshots/shell-*.png.
//
// Set VK_WEB_ROOT=web to test the files on disk instead of the assets built into the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, locale, fill } from '../lib/browser.mjs';
import { demoEmail, DEMO_PASSWORD, Client } from '../lib/server.mjs';

const nl = locale('nl');
const ar = locale('ar');

const suite = browserSuite({ prefix: 'shell', args: ['--login-delay-ms', '1'], timeout: 10000 });
const { newPage, closePage, noHorizontalScroll, shot } = suite;
let server;

before(async () => {
  ({ server } = await suite.start());
});

after(() => suite.stop());

async function openLogin(page) {
  await page.goto(`${server.url}/`);
  await page.getByRole('heading', { level: 1, name: nl.login.title }).waitFor();
}

async function logIn(page, role, password = DEMO_PASSWORD) {
  await page.getByLabel(nl.login.email, { exact: true }).fill(demoEmail(role));
  await page.getByLabel(nl.login.password, { exact: true }).fill(password);
  await page.locator('#login-submit').click();
}

async function fillRegisterForm(page, year = '1994') {
  await page.getByLabel(nl.register.year_of_birth, { exact: true }).fill(year);
  await page.getByLabel(nl.register.gender, { exact: true }).selectOption('female');
  await page.getByLabel(nl.register.country_of_origin, { exact: true }).selectOption('SY');
  await page.getByLabel(nl.register.language, { exact: true }).selectOption('ar');
  await page.getByLabel(nl.phases.coa, { exact: true }).check();
  await page.getByLabel(nl.register.location, { exact: true }).fill('AZC Veerhaven');
  await page.getByLabel(nl.risk_flags.single_parent, { exact: true }).check();
}

test('volunteer logs in in Dutch, registers a client, sees its grants, switches to Arabic', async () => {
  const page = await newPage();
  await openLogin(page);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'nl');
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
  await assert.doesNotReject(page.locator('#crisis-line a[href="tel:113"]').waitFor(), 'crisis line shown before login');

  await logIn(page, 'volunteer');
  await page.getByRole('heading', { level: 1, name: nl.home.title }).waitFor();
  assert.equal((await page.locator('#home-role').textContent()).trim(), nl.roles.volunteer);
  await page.getByText(nl.home.who_title).waitFor();
  const org = (await page.locator('#home-org').textContent()).trim();
  assert.ok(org.length > 0, 'home page names the organisation');
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'focus moves to the page heading');
  await noHorizontalScroll(page, 'home');
  await shot(page, '1-home-nl');

  await page.getByRole('navigation').getByRole('link', { name: nl.nav.register }).click();
  await page.getByRole('heading', { level: 1, name: nl.register.title }).waitFor();
  await fillRegisterForm(page);
  await noHorizontalScroll(page, 'register');
  await shot(page, '2-register-nl');
  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/clients') && r.request().method() === 'POST');
  await page.locator('#register-submit').click();
  assert.equal((await created).status(), 201);

  await page.waitForURL(/#\/clients\/[^/]+$/);
  await page.getByRole('heading', { level: 1, name: fill(nl.client.heading, { year: 1994 }) }).waitFor();
  await page.getByText(nl.register.done).waitFor();
  const grants = page.locator('#grants');
  await grants.getByRole('heading', { name: nl.grants.title }).waitFor();
  const own = grants.locator('.grant', { has: page.getByRole('heading', { level: 3, name: org }) });
  await own.waitFor();
  assert.match(await own.textContent(), new RegExp(nl.grants.active));
  assert.match(await own.textContent(), new RegExp(nl.basis.registered_in_person));
  await page.locator('#access-log tbody tr').first().waitFor();
  await noHorizontalScroll(page, 'client page');
  await shot(page, '3-client-nl');

  await page.getByLabel(nl.lang.switch, { exact: true }).selectOption('ar');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');
  await page.getByRole('heading', { level: 2, name: ar.grants.title }).waitFor();
  await page.getByText(ar.crisis.title).waitFor();
  assert.equal(await page.locator('#crisis-line a[href="tel:112"]').count(), 1);
  await noHorizontalScroll(page, 'client page in Arabic');
  await shot(page, '4-client-ar');

  // The choice survives a reload, and the session too.
  await page.reload();
  await page.getByRole('heading', { level: 2, name: ar.grants.title }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  await closePage(page);
});

test('a wrong password shows the error next to the form, in Dutch', async () => {
  const page = await newPage();
  await openLogin(page);
  await logIn(page, 'coordinator', 'not-the-password');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.equal((await alert.textContent()).trim(), nl.login.errors.bad_credentials);
  assert.equal(await page.getByLabel(nl.login.password, { exact: true }).getAttribute('aria-invalid'), 'true');
  await noHorizontalScroll(page, 'login error');
  await shot(page, '5-login-error');
  await closePage(page);
});

test('a 422 from the server is shown next to the field it points at', async () => {
  const page = await newPage();
  await openLogin(page);
  await logIn(page, 'coa_staff');
  await page.getByRole('heading', { level: 1, name: nl.home.title }).waitFor();
  await page.goto(`${server.url}/#/clients/new`);
  await page.getByRole('heading', { level: 1, name: nl.register.title }).waitFor();
  await fillRegisterForm(page, '1994');
  // Bypass the client-side check: rewrite the body on its way out so only the server can object.
  await page.route('**/api/v1/clients', async (route) => {
    const body = JSON.parse(route.request().postData());
    await route.continue({ postData: JSON.stringify({ ...body, year_of_birth: 1800 }) });
  });
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/clients') && r.request().method() === 'POST');
  await page.locator('#register-submit').click();
  const res = await answer;
  assert.equal(res.status(), 422);
  const problem = await res.json();
  assert.ok(problem.errors.some((e) => e.pointer === '/year_of_birth'), JSON.stringify(problem));

  const input = page.locator('#reg-year_of_birth');
  const error = page.locator('#reg-year_of_birth-error');
  await error.waitFor();
  assert.equal((await error.textContent()).trim(),
    fill(nl.register.errors.year_of_birth, { year: new Date().getFullYear() }));
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.ok((await input.getAttribute('aria-describedby')).split(' ').includes('reg-year_of_birth-error'));
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'reg-year_of_birth', 'first invalid field focused');
  await noHorizontalScroll(page, 'register with error');
  await shot(page, '6-register-422');

  // An ended session (here: the cookie is gone) sends the user to login with a message.
  await page.unroute('**/api/v1/clients');
  await page.context().clearCookies();
  await page.getByRole('navigation').getByRole('link', { name: nl.nav.clients }).click();
  await page.getByRole('heading', { level: 1, name: nl.login.title }).waitFor();
  await page.getByText(nl.errors.session_ended).waitFor();
  await closePage(page);
});

test('repeated wrong passwords lock the login, with the wait in minutes', async () => {
  // Ten failures through the API lock the account (15 minutes by default); the browser's next
  // attempt is refused with 429 and Retry-After, which the page turns into minutes.
  const email = demoEmail('wijkteam');
  const api = new Client(server.url);
  for (let i = 0; i < 10; i++) {
    const r = await api.login(email, 'wrong-password');
    assert.equal(r.status, 401, `attempt ${i + 1}`);
    await new Promise((res) => setTimeout(res, 40)); // outlast the (1 ms, doubling) delay
  }
  const page = await newPage();
  await openLogin(page);
  await page.getByLabel(nl.login.email, { exact: true }).fill(email);
  await page.getByLabel(nl.login.password, { exact: true }).fill('wrong-password');
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/session'));
  await page.locator('#login-submit').click();
  const res = await answer;
  assert.equal(res.status(), 429, 'locked after ten failures');
  const minutes = Math.max(1, Math.ceil(Number(res.headers()['retry-after']) / 60));
  assert.ok(minutes > 1, `a lock lasts minutes, not seconds (Retry-After ${res.headers()['retry-after']})`);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.equal((await alert.textContent()).trim(), fill(nl.login.errors.throttled.other, { count: minutes }));
  await shot(page, '7-login-locked');
  await closePage(page);
});
