// SPDX-License-Identifier: EUPL-1.2
// "Take my dossier with me" (#/me/take) at a 360 px phone viewport in Arabic (RTL): the demo
// client logs in with the code from `serve --demo` and a new PIN, reads the explanation, makes the
// package, and sees the download link, the key as a QR code and as 13 groups of 4 (left to right
// inside the RTL page) and the warning. The key on the page is the one that opens the file: the
// file downloaded through the link is refused by this installation (made here) and imported by
// another one over the API with the key read from the page.
// Keyboard only for the button. Screenshots: build/test-artifacts/screenshots/take-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { browserSuite, locale, firstCardLogin } from '../lib/browser.mjs';
import { demoLogin, startServer } from '../lib/server.mjs';

const ar = locale('ar');
const suite = browserSuite({ prefix: 'take', timeout: 15000 });
const { newPage, closePage, noHorizontalScroll, shot } = suite;
let server;
let code;

before(async () => {
  ({ server } = await suite.start());
  code = server.logs().match(/client\s+login card (VK-[0-9A-Z-]+)/)?.[1];
  assert.ok(code, `demo client card in the server output:\n${server.logs()}`);
});

after(() => suite.stop());

test('the demo client takes the dossier along, in Arabic at 360 px', async () => {
  const page = await newPage();
  await firstCardLogin(page, `${server.url}/#/card/${code}`, { lang: 'ar' });
  await page.goto(`${server.url}/#/me/take`);
  await page.getByRole('heading', { level: 1, name: ar.take.title }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  for (const k of ['intro', 'step_make', 'step_bring', 'step_there', 'stays']) {
    await page.getByText(ar.take[k]).first().waitFor();
  }
  await noHorizontalScroll(page, 'take: explanation');
  await shot(page, '1-explain-ar');

  // keyboard: focus the button and press Enter
  await page.locator('#take-make-button').focus();
  await page.keyboard.press('Enter');
  await page.locator('#take-result').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'take-result-title', 'focus moves to the result');
  assert.equal(await page.locator('#take-warning').textContent(), ar.take.warning);
  const key = (await page.locator('#take-key').textContent()).trim().replaceAll(' ', '-');
  assert.match(key, /^([A-Z2-7]{4}-){12}[A-Z2-7]{4}$/);
  assert.equal(await page.locator('#take-key').getAttribute('dir'), 'ltr', 'the key reads left to right');
  assert.equal(await page.locator('#take-key .take-key__group').count(), 13);
  const qr = page.locator('#take-qr');
  assert.equal(await qr.getAttribute('alt'), ar.take.qr_alt);
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code is drawn');
  await noHorizontalScroll(page, 'take: result');
  await shot(page, '2-key-ar');

  // the link gives the file once; the key on the page opens it on another installation's API
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#take-download').click()]);
  const file = readFileSync(await download.path());
  assert.equal(file.subarray(0, 4).toString('latin1'), 'VKTP');
  // not on this installation: the dossier is here already (409 naming it)
  const volHere = await demoLogin(server, 'volunteer');
  const here = await volHere.post('/api/v1/transfers', { package: file.toString('base64'), key });
  assert.equal(here.status, 409, here.text);
  assert.match(here.json.detail, /made here/);
  // another installation opens it with the key read from the page
  const other = await startServer({ demo: true });
  try {
    const vol = await demoLogin(other, 'volunteer');
    const r = await vol.post('/api/v1/transfers', { package: file.toString('base64'), key: key.toLowerCase() });
    assert.equal(r.status, 201, r.text);
    assert.ok(r.json.client_id);
    assert.equal(r.json.sender.fingerprint, (await page.locator('#take-fingerprint bdi').textContent()).replaceAll('\u2011', '-'));
  } finally {
    await other.stop();
  }
  const again = await page.evaluate(async (href) => (await fetch(href)).status, await page.locator('#take-download').getAttribute('href'));
  assert.equal(again, 404, 'the file is served once');

  // leaving forgets the key
  await page.locator('#take-back').click();
  await page.getByRole('heading', { level: 1, name: ar.me.title }).waitFor();
  await page.goBack();
  await page.getByRole('heading', { level: 1, name: ar.take.title }).waitFor();
  assert.equal(await page.locator('#take-key').count(), 0);
  await closePage(page);
});
