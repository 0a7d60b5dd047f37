// SPDX-License-Identifier: EUPL-1.2
// Browser test of the client login card at a 360 px phone viewport: a volunteer makes the card of
// an Arabic-speaking client (Arabic and Dutch sides, the QR code read back with zbarimg to the
// login address, print layout), a fresh browser opens that address as the QR code would, chooses
// a PIN in Arabic and lands logged in; and a client who types the code by hand gets the wrong-PIN
// message at the field and then logs in. Screenshots: build/test-artifacts/screenshots/card-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { browserSuite, locale, fill, SHOTS } from '../lib/browser.mjs';
import { demoEmail, DEMO_PASSWORD, demoLogin, sampleClient } from '../lib/server.mjs';

const nl = locale('nl');
const ar = locale('ar');
const CODE_RE = /^VK-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/;

const suite = browserSuite({ prefix: 'card', timeout: 15000 });
const { newPage, closePage, noHorizontalScroll, shot } = suite;
let server;
let pid;
let code;
let loginUrl;

before(async () => {
  ({ server } = await suite.start());
  const vol = await demoLogin(server, 'volunteer');
  const r = await vol.post('/api/v1/clients', sampleClient({ language: 'ar', year_of_birth: 1991 }));
  assert.equal(r.status, 201, r.text);
  pid = r.json.id;
});

after(() => suite.stop());

/** The sizes (points, rounded) of the pages Chromium prints, as "WxH". */
async function pdfPages(page) {
  const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
  return [...pdf.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)]
    .map((m) => `${Math.round(Number(m[1]))}x${Math.round(Number(m[2]))}`);
}

/** The text zbarimg reads from a PNG (the QR code a phone camera would see). */
function readQr(png) {
  const r = spawnSync('zbarimg', ['--raw', '-q', png], { encoding: 'utf8' });
  assert.ok(!r.error, `zbarimg is needed (scripts/install-deps installs zbar-tools): ${r.error?.message}`);
  assert.equal(r.status, 0, `zbarimg found no QR code: ${r.stderr}`);
  return r.stdout.trim();
}

test('a volunteer makes the login card of an Arabic-speaking client', async () => {
  const page = await newPage();
  await page.goto(`${server.url}/`);
  await page.getByLabel(nl.login.email, { exact: true }).fill(demoEmail('volunteer'));
  await page.getByLabel(nl.login.password, { exact: true }).fill(DEMO_PASSWORD);
  await page.locator('#login-submit').click();
  await page.getByRole('heading', { level: 1, name: nl.home.title }).waitFor();

  await page.goto(`${server.url}/#/clients/${pid}`);
  await page.locator('#client-card-link').click();
  await page.getByRole('heading', { level: 1, name: nl.card.page_title }).waitFor();
  assert.equal((await page.locator('.card-status').first().textContent()).trim(), nl.card.status_none);
  await page.locator('#card-make').click();
  await page.locator('#card-sheet').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'card-made-title', 'focus on the result');
  await page.getByText(nl.card.only_now).waitFor();

  const sides = page.locator('.login-card');
  assert.equal(await sides.count(), 2, 'the client\'s language and Dutch');
  assert.equal(await sides.nth(0).getAttribute('lang'), 'ar');
  assert.equal(await sides.nth(0).getAttribute('dir'), 'rtl');
  assert.equal(await sides.nth(1).getAttribute('lang'), 'nl');
  assert.equal((await sides.nth(0).locator('h2').textContent()).trim(), ar.card.card_title);
  assert.equal((await sides.nth(1).locator('h2').textContent()).trim(), nl.card.card_title);
  code = (await sides.nth(0).locator('.login-card__code').textContent()).trim();
  assert.match(code, CODE_RE);
  assert.equal((await sides.nth(1).locator('.login-card__code').textContent()).trim(), code);
  for (const s of [sides.nth(0), sides.nth(1)]) {
    assert.equal(await s.locator('.login-card__steps li').count(), 3);
    assert.match(await s.locator('.login-card__crisis').textContent(), /112[\s\S]*113[\s\S]*0800-0113/);
  }
  const src = await sides.nth(0).locator('.login-card__qr').getAttribute('src');
  assert.ok(src.startsWith('data:image/svg+xml'), 'the QR code is inline: no request leaves the page');
  assert.equal(await sides.nth(0).locator('.login-card__qr').getAttribute('alt'), ar.card.qr_alt);

  // what a phone camera sees: the login address with this code
  loginUrl = `${server.url}/#/card/${code}`;
  const qrPng = join(SHOTS, 'card-qr.png');
  await sides.nth(1).locator('.login-card__qr').screenshot({ path: qrPng });
  assert.equal(readQr(qrPng), loginUrl);

  await noHorizontalScroll(page, 'card');
  await shot(page, 'made-ar');
  // on paper: no site chrome, the code and the crisis numbers stay
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false);
  assert.equal(await page.locator('#card-print').isVisible(), false);
  assert.ok(await page.locator('.login-card__code').first().isVisible());
  await shot(page, 'print-a6');
  assert.deepEqual(await pdfPages(page), ['298x420', '298x420'], 'A6: one language per page');
  await page.emulateMedia({ media: 'screen' });
  await page.getByLabel(nl.card.format_a4, { exact: true }).check();
  assert.ok(await page.locator('.card-sheet--a4').isVisible());
  await page.emulateMedia({ media: 'print' });
  await shot(page, 'print-a4');
  assert.deepEqual(await pdfPages(page), ['595x842'], 'A4: both languages on one sheet');
  await page.emulateMedia({ media: 'screen' });

  // leaving the page forgets the code: back on it, only a new card can be made
  await page.goto(`${server.url}/#/clients/${pid}`);
  await page.locator('#client-card-link').click();
  await page.locator('#card-make').waitFor();
  assert.equal(await page.locator('#card-sheet').count(), 0);
  assert.equal(await page.getByText(code).count(), 0, 'the code is not shown again');
  await page.getByText(nl.card.reissue_warning).waitFor();
  await closePage(page);
});

test('a fresh browser opens the card\'s address, chooses a PIN in Arabic, and is logged in', async () => {
  assert.ok(loginUrl, 'the card was made');
  const page = await newPage();
  await page.addInitScript(() => { try { localStorage.setItem('vk.lang', 'ar'); } catch { /* ignore */ } });
  await page.goto(loginUrl);
  await page.getByRole('heading', { level: 2, name: ar.card.choose_title }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.ok(!(await page.evaluate(() => location.href)).includes(code.slice(3, 7)), 'the code left the address bar');
  assert.equal(await page.locator('#card-new-pin').getAttribute('inputmode'), 'numeric');
  assert.equal(await page.locator('#card-new-pin').getAttribute('type'), 'password');
  await page.locator('#card-show').click();
  assert.equal(await page.locator('#card-new-pin').getAttribute('type'), 'text');

  // an easy PIN is refused at the field, before any request
  await page.locator('#card-new-pin').fill('123456');
  await page.locator('#card-repeat').fill('123456');
  await page.locator('#card-submit').click();
  await page.locator('#card-new-pin-error').getByText(ar.card.errors.pin_easy).waitFor();
  assert.equal(await page.locator('#card-new-pin').getAttribute('aria-invalid'), 'true');
  // the year of birth only the server knows: its refusal lands at the same field
  await page.locator('#card-new-pin').fill('199104');
  await page.locator('#card-repeat').fill('199104');
  await page.locator('#card-submit').click();
  await page.locator('#card-new-pin-error').getByText(ar.card.errors.rejected).waitFor();
  await noHorizontalScroll(page, 'choose PIN');
  await shot(page, 'choose-pin-ar');

  await page.locator('#card-new-pin').fill('583920');
  await page.locator('#card-repeat').fill('583920');
  await page.locator('#card-submit').click();
  await page.getByRole('heading', { level: 1, name: ar.home.title }).waitFor();
  assert.equal((await page.locator('#home-role').textContent()).trim(), ar.roles.client);
  assert.equal(await page.getByText('card.invalid').count(), 0, 'no placeholder email on show');
  await noHorizontalScroll(page, 'home');
  await shot(page, 'logged-in-ar');
  await closePage(page);
});

test('typing the code by hand: wrong PIN at the field, then in', async () => {
  assert.ok(code, 'the card was made');
  const page = await newPage();
  await page.goto(`${server.url}/#/login`);
  await page.getByLabel(nl.card.choice_card, { exact: true }).check();
  await page.locator('#card-code').waitFor();
  await page.locator('#card-submit').click();
  await page.locator('#card-code-error').getByText(nl.card.errors.code_required).waitFor();
  // a typo in the check character is found at once
  const typo = code.slice(0, -1) + (code.at(-1) === '7' ? '8' : '7');
  await page.locator('#card-code').fill(typo);
  await page.locator('#card-submit').click();
  await page.locator('#card-code-error').getByText(nl.card.errors.code_typo).waitFor();
  // the sloppy way: lower case, spaces, o for zero
  await page.locator('#card-code').fill(code.toLowerCase().replaceAll('-', ' ').replaceAll('0', 'o'));
  await page.locator('#card-submit').click();
  await page.locator('#card-pin').waitFor();
  assert.equal((await page.locator('.login-card-form__code-value').textContent()).trim(), code, 'shown as printed');
  assert.equal(await page.locator('#card-pin').getAttribute('inputmode'), 'numeric');
  await page.locator('#card-pin').fill('000000');
  await page.locator('#card-submit').click();
  await page.locator('#card-pin-error').getByText(nl.card.errors.bad).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'card-pin', 'focus back on the PIN');
  await noHorizontalScroll(page, 'enter PIN');
  await shot(page, 'wrong-pin-nl');
  await page.locator('#card-pin').fill('583920');
  await page.locator('#card-submit').click();
  await page.getByRole('heading', { level: 1, name: nl.home.title }).waitFor();
  assert.equal((await page.locator('#home-role').textContent()).trim(), nl.roles.client);
  await closePage(page);
});

test('a parent holding a child\'s dossier switches to it from the header', async () => {
  const vol = await demoLogin(server, 'volunteer');
  const mother = (await vol.post('/api/v1/clients', sampleClient({ year_of_birth: 1987 }))).json.id;
  const child = (await vol.post('/api/v1/clients', sampleClient({ year_of_birth: 2016 }))).json.id;
  const card = await vol.post(`/api/v1/clients/${mother}/card`);
  assert.equal(card.status, 201, card.text);
  const held = await vol.post(`/api/v1/clients/${child}/holders`, { holder_client: mother, relation: 'parent' });
  assert.equal(held.status, 201, held.text);

  const page = await newPage();
  await page.goto(card.json.login_url);
  await page.locator('#card-new-pin').fill('583920');
  await page.locator('#card-repeat').fill('583920');
  await page.locator('#card-submit').click();
  await page.getByRole('heading', { level: 1, name: nl.home.title }).waitFor();
  const select = page.getByLabel(nl.card.dossier.label, { exact: true });
  assert.deepEqual(await select.locator('option').allTextContents(),
    [nl.card.dossier.self, fill(nl.card.dossier.parent, { year: 2016 })]);
  assert.equal(await select.inputValue(), mother);
  await select.selectOption(child);
  await page.getByText(nl.card.dossier.switched).waitFor();
  assert.equal(await page.getByLabel(nl.card.dossier.label, { exact: true }).inputValue(), child);
  await noHorizontalScroll(page, 'dossier switch');
  await shot(page, 'dossier-switch');
  await closePage(page);
});
