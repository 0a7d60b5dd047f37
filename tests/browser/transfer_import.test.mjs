// SPDX-License-Identifier: EUPL-1.2
// The import screen (#/transfers/import) and the history that came along (docs/dossier.md §5),
// with two running installations at a 360 px phone viewport: a client on A, with a screening and
// a referral, takes the dossier along over A's API; a volunteer on B (the browser suite's server)
// opens the screen from the caseload, chooses the file (the page shows the sender and its
// fingerprint, computed in the browser, equal to what A's API gave the client) and types the key. A key that belongs to
// another package shows the error at the key field and nothing is created on B; the right key,
// typed in small letters with spaces, imports: the page shows what the API answered (new
// pseudonym, sender fingerprint, grant requests, unknown organisations, the login card) and the
// same file again is refused with a link to that dossier. The client then logs in on B with the
// card code read from the page and finds "your file from <A> (moved here on …)" in My story, with
// the earlier referral in the disclosure; after the client accepts the volunteer's request, the
// volunteer's client page shows the history panel as GET …/transfer-history gives it. A damaged
// file (422 /package), a file that is no package, and one over the server's request cap (413, the
// command line named) are explained on the page, and nothing is created.
// Keyboard for the import button. Screenshots: build/test-artifacts/screenshots/transfer-import-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, locale, fill, firstCardLogin } from '../lib/browser.mjs';
import { startServer, demoLogin, sampleClient, Client, DEMO_PASSWORD, demoEmail } from '../lib/server.mjs';
import { count, sql, q } from '../api/_util.mjs';

const nl = locale('nl');
const POH_DE_LINDE = '302b670b-0e4f-5c1f-a377-a0a9e3208ab9';
const DE_LINDE = 'Huisartsenpraktijk De Linde (fictief)';
const suite = browserSuite({ prefix: 'transfer-import', timeout: 15000 });
const { newPage, closePage, noHorizontalScroll, shot } = suite;
let A;
let B;
let pkg; // {package_id, key, fingerprint, file}
let otherKey; // the key of another package of the same client
let serviceName; // the referral's service on A

const TABLES = ['clients', 'client_keys', 'screenings', 'grant_requests', 'grants', 'transfers_in', 'transfer_history', 'users'];
const snapshot = () => Object.fromEntries(TABLES.map((tb) => [tb, count(B.dbPath, '1', tb)]));
const dateNl = (iso) => new Intl.DateTimeFormat('nl', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }).format(new Date(iso));

async function take(me, pid) {
  const r = await me.post(`/api/v1/clients/${pid}/transfer`, {});
  assert.equal(r.status, 201, r.text);
  const res = await fetch(A.url + r.json.download, { headers: { cookie: me.cookie } });
  assert.equal(res.status, 200);
  return { ...r.json, file: Buffer.from(await res.arrayBuffer()) };
}

before(async () => {
  ({ server: B } = await suite.start());
  A = await startServer({ demo: true });
  const vol = await demoLogin(A, 'volunteer');
  let r = await vol.post('/api/v1/clients', sampleClient({ language: 'nl', name: 'TRANSFER-UI-CANARY Samira' }));
  assert.equal(r.status, 201, r.text);
  const pid = r.json.id;
  const def = (await vol.get('/api/v1/instruments/vk-signal-adult')).json;
  r = await vol.post(`/api/v1/clients/${pid}/screenings`, {
    instrument: 'vk-signal-adult', version: def.version, language: 'nl', mode: 'interviewer',
    answers: Object.fromEntries(def.items.map((it) => [it.id, 1])),
  });
  assert.equal(r.status, 201, r.text);
  const orgs = Object.fromEntries((await vol.get('/api/v1/orgs')).json.items.map((o) => [o.name, o.id]));
  r = await vol.post(`/api/v1/clients/${pid}/grants`,
    { org_id: orgs[DE_LINDE], scopes: ['signal', 'referral'], basis: 'verbal_consent', days: 60 });
  assert.equal(r.status, 201, r.text);
  r = await vol.post('/api/v1/referrals', { client_id: pid, service_id: POH_DE_LINDE, scopes: ['signal'] });
  assert.equal(r.status, 201, r.text);
  serviceName = r.json.service.name;
  const card = await vol.post(`/api/v1/clients/${pid}/card`);
  assert.equal(card.status, 201, card.text);
  const me = new Client(A.url);
  r = await me.post('/api/v1/session/card', { code: card.json.code, new_pin: '583920' });
  assert.equal(r.status, 200, r.text);
  me.csrf = r.json.csrf_token;
  otherKey = (await take(me, pid)).key;
  pkg = await take(me, pid);
  assert.notEqual(otherKey, pkg.key);
});

after(async () => {
  await A?.stop();
  await suite.stop();
});

async function loginAs(page, role) {
  await page.goto(`${B.url}/`);
  await page.getByLabel(nl.login.email, { exact: true }).fill(demoEmail(role));
  await page.getByLabel(nl.login.password, { exact: true }).fill(DEMO_PASSWORD);
  await page.locator('#login-submit').click();
  await page.getByRole('heading', { level: 1, name: nl.home.title }).waitFor();
}

const chooseFile = (page) => page.locator('#transfer-file').setInputFiles(
  { name: `veerkracht-transfer-${pkg.package_id}.vktp`, mimeType: 'application/octet-stream', buffer: pkg.file });

let newPid;
let cardCode;
test('a volunteer on B imports the dossier through the screen, with the client\'s key', async () => {
  const page = await newPage();
  await page.addInitScript(() => { try { localStorage.setItem('vk.lang', 'nl'); } catch { /* ignore */ } });
  await loginAs(page, 'volunteer');
  await page.goto(`${B.url}/#/clients`);
  await page.locator('#transfer-import-link').click();
  await page.getByRole('heading', { level: 1, name: nl.transfer.title }).waitFor();
  assert.equal(await page.locator('#transfer-import-link').count(), 0);

  // empty form: both fields say what is missing, nothing is sent
  await page.locator('#transfer-submit').click();
  assert.equal((await page.locator('#transfer-file-error').textContent()).trim(), nl.transfer.err_no_file);
  assert.equal((await page.locator('#transfer-key-error').textContent()).trim(), nl.transfer.err_no_key);

  // the file: its plain header names the sender before anything is sent
  await chooseFile(page);
  await page.locator('#transfer-sender-before').waitFor();
  assert.equal(await page.locator('#transfer-sender-name').textContent(), A.url);
  assert.equal((await page.locator('#transfer-fingerprint-before').textContent()).replaceAll('\u2011', '-'), pkg.fingerprint,
    'the fingerprint before the import is the one A gave the client');
  await noHorizontalScroll(page, 'import: form');
  await shot(page, '1-form');

  // a key of another package: refused at the key field, nothing created on B
  const before = snapshot();
  await page.locator('#transfer-key').fill(otherKey);
  const [bad] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/transfers') && r.request().method() === 'POST'),
    page.locator('#transfer-submit').click(),
  ]);
  assert.equal(bad.status(), 422);
  await page.locator('#transfer-key-error').waitFor();
  assert.equal((await page.locator('#transfer-key-error').textContent()).trim(), nl.transfer.err_key);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'transfer-key', 'focus on the field to fix');
  assert.equal(await page.locator('#transfer-key').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(snapshot(), before, 'nothing was created');
  await shot(page, '2-wrong-key');

  // the right key, in small letters with spaces; keyboard: Enter on the button
  await page.locator('#transfer-key').fill(pkg.key.toLowerCase().replaceAll('-', ' '));
  await page.locator('#transfer-submit').focus();
  const [ok] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/transfers') && r.request().method() === 'POST'),
    page.keyboard.press('Enter'),
  ]);
  assert.equal(ok.status(), 201);
  const res = await ok.json();
  await page.locator('#transfer-result').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'transfer-result-title', 'focus moves to the result');
  newPid = res.client_id;
  assert.equal((await page.locator('#transfer-pid').textContent()).trim(), newPid);
  assert.equal(sql(B.dbPath, `SELECT c.pid FROM transfers_in t JOIN clients c ON c.id = t.client_id
    WHERE t.package_id = ${q(pkg.package_id)}`)[0].pid, newPid, 'the page names the dossier B made');
  assert.equal((await page.locator('#transfer-fingerprint').textContent()).replaceAll('\u2011', '-'), pkg.fingerprint);
  assert.equal(res.sender.fingerprint, pkg.fingerprint);
  const shown = (await page.locator('#transfer-requests li').allTextContents()).map((x) => x.trim());
  assert.equal(shown.length, res.grant_requests.length);
  for (const g of res.grant_requests) assert.ok(shown.some((x) => x.startsWith(g.organization.name)), `${g.organization.name} in ${shown}`);
  assert.ok(res.grant_requests.some((g) => g.organization.name === DE_LINDE));
  assert.equal(await page.locator('#transfer-unknown').count(), res.unknown_orgs.length ? 1 : 0);
  assert.equal((await page.locator('#transfer-screenings').textContent()).trim(),
    fill(nl.transfer.screenings, { recreated: res.screenings.recreated, kept: res.screenings.kept }));
  for (const k of ['next_card', 'next_login', 'next_accept', 'next_access']) await page.getByText(nl.transfer[k]).waitFor();
  cardCode = (await page.locator('.login-card__code').first().textContent()).trim();
  assert.equal(cardCode, res.card.code);
  assert.ok(await page.locator('.login-card__qr').first().evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code is drawn');
  assert.equal(count(B.dbPath, `action = 'transfer_in' AND object_id = ${q(pkg.package_id)} AND outcome = 'success'`), 1);
  await noHorizontalScroll(page, 'import: result');
  await shot(page, '3-result');

  // the same file again: refused, with a link to the dossier it became
  await page.locator('#transfer-again').click();
  await chooseFile(page);
  await page.locator('#transfer-key').fill(pkg.key);
  const afterImport = snapshot();
  await page.locator('#transfer-submit').click();
  await page.locator('#transfer-existing').waitFor();
  assert.equal(await page.locator('#transfer-existing').getAttribute('href'), `#/clients/${newPid}`);
  await page.getByText(nl.transfer.err_imported).waitFor();
  assert.deepEqual(snapshot(), afterImport);
  await shot(page, '4-again');
  await closePage(page);
});

test('the client logs in on B and finds the file from A in My story', async () => {
  assert.ok(cardCode, 'the import test ran');
  const page = await newPage();
  await firstCardLogin(page, `${B.url}/#/card/${cardCode}`, { lang: 'nl' });
  await page.goto(`${B.url}/#/me`);
  await page.getByRole('heading', { level: 1, name: nl.me.title }).waitFor();
  const item = page.locator('#me-story .me-history');
  await item.waitFor();
  const hist = await page.evaluate(async (p) => (await (await fetch(`/api/v1/clients/${p}/transfer-history`)).json()), newPid);
  assert.equal(hist.items.length, 1);
  assert.equal((await item.locator('p').first().textContent()).trim(),
    fill(nl.history.story_item, { sender: A.url, date: dateNl(hist.items[0].imported_at) }));
  // the earlier referral, in calm words, behind the disclosure
  const details = item.locator('details');
  assert.equal(await details.evaluate((d) => d.open), false);
  await details.locator('summary').focus();
  await page.keyboard.press('Enter');
  assert.equal(await details.evaluate((d) => d.open), true);
  const text = await details.textContent();
  assert.ok(text.includes(fill(nl.me.story.referral, { service: serviceName })), text);
  assert.ok(text.includes(nl.me.referral_states.sent), text);
  for (const word of ['band', 'score', 'risico', 'vk-signal']) assert.ok(!text.toLowerCase().includes(word), `${word} in the story`);
  await noHorizontalScroll(page, 'me: history');
  await shot(page, '5-story');
  await closePage(page);
});

test('after the client says yes, the volunteer sees the history panel on the client page', async () => {
  assert.ok(newPid, 'the import test ran');
  const me = new Client(B.url);
  const login = await me.post('/api/v1/session/card', { code: cardCode, pin: '583920' });
  assert.equal(login.status, 200, login.text);
  me.csrf = login.json.csrf_token;
  const volB = await demoLogin(B, 'volunteer');
  const volOrg = (await volB.get('/api/v1/me')).json.user.org.id;
  const req = (await me.get(`/api/v1/clients/${newPid}/grants`)).json.items.find((g) => g.org.id === volOrg && g.state === 'requested');
  assert.ok(req, 'the importing organisation asked for access');
  assert.equal((await me.post(`/api/v1/clients/${newPid}/grants/${req.id}/accept`, {})).status, 200);
  const api = (await volB.get(`/api/v1/clients/${newPid}/transfer-history`)).json.items[0];

  const page = await newPage();
  await page.addInitScript(() => { try { localStorage.setItem('vk.lang', 'nl'); } catch { /* ignore */ } });
  await loginAs(page, 'volunteer');
  await page.goto(`${B.url}/#/clients/${newPid}`);
  const panel = page.locator('#history');
  await panel.waitFor();
  assert.equal((await page.locator('#history-title').textContent()).trim(), nl.history.panel_title);
  assert.equal((await page.locator('#history-from').textContent()).trim(),
    fill(nl.history.from, { sender: api.sender, date: dateNl(api.imported_at) }));
  assert.equal((await panel.locator('.history-fingerprint').textContent()).replaceAll('\u2011', '-'), api.fingerprint);
  const tasks = api.referrals.filter((r) => r.resourceType === 'Task');
  assert.equal(await panel.locator('.history-referrals li').count(), tasks.length);
  assert.ok((await panel.locator('.history-referrals').textContent()).includes(serviceName));
  if ('screenings' in api) assert.equal(await panel.locator('.history-screenings li').count(), api.screenings.length);
  await noHorizontalScroll(page, 'client: history panel');
  await panel.scrollIntoViewIfNeeded();
  await shot(page, '6-panel');
  await closePage(page);
});

test('a damaged file and a file too large for the server are explained, nothing is created', async () => {
  const page = await newPage();
  await page.addInitScript(() => { try { localStorage.setItem('vk.lang', 'nl'); } catch { /* ignore */ } });
  await loginAs(page, 'volunteer');
  await page.goto(`${B.url}/#/transfers/import`);
  await page.getByRole('heading', { level: 1, name: nl.transfer.title }).waitFor();
  const before = snapshot();
  // one flipped byte in the signature: the header still reads, the server refuses the package
  const damaged = Buffer.from(pkg.file);
  damaged[damaged.length - 1] ^= 0x01;
  await page.locator('#transfer-file').setInputFiles({ name: 'damaged.vktp', mimeType: 'application/octet-stream', buffer: damaged });
  await page.locator('#transfer-sender-before').waitFor();
  await page.locator('#transfer-key').fill(pkg.key);
  await page.locator('#transfer-submit').click();
  await page.locator('#transfer-file-error').waitFor();
  assert.equal((await page.locator('#transfer-file-error').textContent()).trim(), nl.transfer.err_package);
  // not a package at all: said before anything is sent
  await page.locator('#transfer-file').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a package') });
  await page.locator('#transfer-file-error').waitFor();
  assert.equal((await page.locator('#transfer-file-error').textContent()).trim(), nl.transfer.err_package);
  // larger than the server's request cap (1 MiB by default): 413, the command line is named
  const big = Buffer.concat([pkg.file, Buffer.alloc(1024 * 1024, 7)]);
  await page.locator('#transfer-file').setInputFiles({ name: 'big.vktp', mimeType: 'application/octet-stream', buffer: big });
  await page.locator('#transfer-sender-before').waitFor();
  const [r] = await Promise.all([
    page.waitForResponse((x) => x.url().endsWith('/api/v1/transfers') && x.request().method() === 'POST'),
    page.locator('#transfer-submit').click(),
  ]);
  assert.equal(r.status(), 413);
  await page.locator('#transfer-msg').waitFor();
  assert.equal((await page.locator('#transfer-msg').textContent()).trim(), nl.transfer.err_too_large);
  assert.match(nl.transfer.err_too_large, /veerkracht dossier import-transfer/);
  assert.deepEqual(snapshot(), before, 'nothing was created');
  await noHorizontalScroll(page, 'import: too large');
  await shot(page, '7-too-large');
  await closePage(page);
});
