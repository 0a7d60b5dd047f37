// SPDX-License-Identifier: EUPL-1.2
// The client takes the dossier along (issue 5), at a 360 px phone viewport in Tigrinya: a client
// enrolled with a card logs in with code and a new PIN, sees the story, accepts open grant
// requests in one step — after one was declined meanwhile on another device, which makes the
// first attempt accept nothing (one transaction) and say so — (or, while POST …/grants/accept
// does not exist, gets a clear message and nothing changes), downloads the dossier — the file is the API's FHIR export: same Patient,
// same entries — and opens the printable summary: Tigrinya first, Dutch second, no risk labels,
// printed by Chromium to an A4 PDF with the Dutch side on its own page. A professional opens the
// summary of the Arabic demo client (right-to-left, then Dutch) and of a Dutch-speaking client
// (one side). Screenshots: build/test-artifacts/screenshots/summary-*.png; the PDF:
// build/test-artifacts/summary-ti.pdf.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { browserSuite, locale, fill, firstCardLogin } from '../lib/browser.mjs';
import { demoLogin, sampleClient, repoRoot, demoEmail, DEMO_PASSWORD, Client } from '../lib/server.mjs';

const ti = locale('ti');
const nl = locale('nl');
const ar = locale('ar');
const ARTIFACTS = join(repoRoot, 'build', 'test-artifacts');
const POH_DE_LINDE = '302b670b-0e4f-5c1f-a377-a0a9e3208ab9'; // demo map: POH-GGZ De Linde
const suite = browserSuite({ prefix: 'summary', timeout: 15000 });
const { newPage, closePage, noHorizontalScroll, shot } = suite;
let server;
let vol;
let pid; // the Tigrinya client
let code;
let level;
let referral;
let requests; // [{id, org}] the two open grant requests
let acceptAllExists;

before(async () => {
  ({ server } = await suite.start());
  vol = await demoLogin(server, 'volunteer');
  let r = await vol.post('/api/v1/clients', sampleClient({ language: 'ti', country_of_origin: 'ER', year_of_birth: 1990, phase: 'municipality', location: 'Veerhaven' }));
  assert.equal(r.status, 201, r.text);
  pid = r.json.id;
  const answers = JSON.parse(readFileSync(join(repoRoot, 'tests/fixtures/instruments/vk-signal-adult.cases.json'), 'utf8'))
    .find((c) => c.expect?.band === 'medium').answers;
  r = await vol.post(`/api/v1/clients/${pid}/screenings`, { instrument: 'vk-signal-adult', version: '1.0.0', language: 'ti', mode: 'client', answers });
  assert.equal(r.status, 201, r.text);
  r = await vol.post(`/api/v1/clients/${pid}/route`, {});
  assert.equal(r.status, 201, r.text);
  level = r.json.levels[0].level;
  // a referral to the POH-GGZ of the GP practice needs the practice's consent grant
  const orgOf = async (role) => (await (await demoLogin(server, role)).get('/api/v1/me')).json.user.org;
  const gpOrg = await orgOf('gp');
  r = await vol.post(`/api/v1/clients/${pid}/grants`, { org_id: gpOrg.id, scopes: ['signal', 'referral'], basis: 'verbal_consent', days: 30 });
  assert.equal(r.status, 201, r.text);
  r = await vol.post('/api/v1/referrals', { client_id: pid, service_id: POH_DE_LINDE, scopes: ['signal'] });
  assert.equal(r.status, 201, r.text);
  referral = r.json.id;
  // three organisations that give care (not the volunteer's, not the GP practice) ask for access
  const volOrg = (await vol.get('/api/v1/me')).json.user.org;
  const askers = (await vol.get('/api/v1/orgs')).json.items
    .filter((o) => !['platform', 'client_accounts'].includes(o.kind) && o.id !== volOrg.id && o.id !== gpOrg.id).slice(0, 3);
  assert.equal(askers.length, 3, 'three other organisations in the demo');
  requests = [];
  for (const org of askers) {
    r = await vol.post(`/api/v1/clients/${pid}/grants`, { org_id: org.id, scopes: ['signal'], basis: 'request', days: 60 });
    assert.equal(r.status, 201, r.text);
    requests.push({ id: r.json.id, org });
  }
  // does the one-step accept exist yet? A professional gets 403/422 from it, 404/405 when it is missing.
  r = await vol.post(`/api/v1/clients/${pid}/grants/accept`, { ids: [] });
  acceptAllExists = ![404, 405].includes(r.status);
  r = await vol.post(`/api/v1/clients/${pid}/card`);
  assert.equal(r.status, 201, r.text);
  code = r.json.code;
});

after(() => suite.stop());

/** The whole text content of a located element (hidden parts included). */
const textOf = (loc) => loc.evaluate((el) => el.textContent);

test('a client in Tigrinya accepts open requests in one step, downloads the dossier and prints the summary', async () => {
  const page = await newPage();
  await firstCardLogin(page, `${server.url}/#/card/${code}`, { lang: 'ti' });
  await page.locator('#home-me').click();
  await page.getByRole('heading', { level: 1, name: ti.me.title }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ti');
  // read aloud: the server has no Tigrinya voice (GET /speech/voices) and neither has the browser
  // here, so there is no button at all; a voice on either side gives one
  const voices = (await vol.get('/api/v1/speech/voices')).json.languages;
  const browserTi = await page.evaluate(() => (window.speechSynthesis?.getVoices() ?? []).some((v) => v.lang.toLowerCase().startsWith('ti')));
  assert.equal(await page.locator('#me-read').count(), voices.includes('ti') || browserTi ? 1 : 0, `voices ${voices}`);

  // the story, in calm words
  const story = page.locator('#me-story');
  await story.getByText(ti.me.story.screening).first().waitFor();
  assert.ok((await textOf(story)).includes(ti.me.levels[level]), `the advice in words (${level})`);
  assert.ok((await textOf(story.locator(`[data-referral="${referral}"]`))).includes(ti.me.referral_states.sent));

  // "Take my dossier with me": download, summary, and the links to moving and erasure
  const take = page.locator('#me-take');
  await take.getByRole('heading', { level: 2, name: ti.me.take.title }).waitFor();
  assert.equal(await take.locator('#me-move').getAttribute('href'), '#/me/take');
  assert.equal(await take.locator('#me-erase').getAttribute('href'), '#/me/erase');
  assert.equal(await take.locator('#me-summary').getAttribute('href'), '#/me/summary');
  assert.equal((await take.locator('#me-download-desc').textContent()).trim(), ti.me.take.download_desc);

  // three open requests: the organisations named first, then one button for all
  const all = page.locator('#me-accept-all');
  await all.waitFor();
  const allText = await textOf(all);
  for (const rq of requests) assert.ok(allText.includes(rq.org.name), `names ${rq.org.name}`);
  const button = page.locator('#me-accept-all-button');
  assert.equal((await button.textContent()).trim(), fill(ti.me.grants.accept_all.other, { count: 3 }));
  await noHorizontalScroll(page, 'my dossier');
  await shot(page, '1-me-ti');
  const grantsNow = async () => (await vol.get(`/api/v1/clients/${pid}/grants`)).json.items;
  if (acceptAllExists) {
    // meanwhile the client says no to the third on another device: "accept all" now accepts nothing
    const other = new Client(server.url);
    const login = await other.post('/api/v1/session/card', { code, pin: '583920' });
    assert.equal(login.status, 200, login.text);
    other.csrf = login.json.csrf_token;
    assert.equal((await other.del(`/api/v1/clients/${pid}/grants/${requests[2].id}`)).status, 204);
    await button.click();
    await page.locator('#me-grants .notice--error').getByText(ti.me.grants.accept_all_changed).waitFor();
    const unchanged = await grantsNow();
    for (const rq of requests.slice(0, 2)) assert.equal(unchanged.find((x) => x.id === rq.id)?.state, 'requested', 'one transaction: nothing accepted');
    // the list is fresh: two requests, one button
    assert.equal((await button.textContent()).trim(), fill(ti.me.grants.accept_all.other, { count: 2 }));
    await button.click();
    const done = page.locator('#me-grants .notice--success');
    await done.waitFor();
    const doneText = await textOf(done);
    assert.ok(doneText.startsWith(ti.me.grants.accepted_all_done.split('{orgs}')[0]), doneText);
    for (const rq of requests.slice(0, 2)) assert.ok(doneText.includes(rq.org.name), `names ${rq.org.name}`);
    assert.doesNotMatch(doneText, / and /, 'no English "and" in a Tigrinya sentence');
    const items = await grantsNow();
    for (const rq of requests.slice(0, 2)) {
      const g = items.find((x) => x.id === rq.id);
      assert.equal(g?.state, 'active', `${rq.org.name} accepted: ${JSON.stringify(g)}`);
      assert.equal(g.confirmed, true);
    }
    assert.equal(await page.locator('#me-accept-all').count(), 0, 'no open requests left');
    assert.equal(items.find((x) => x.id === requests[2].id)?.state, 'declined');
  } else {
    // the endpoint is not there yet: a clear message, no crash, nothing changed
    await button.click();
    await page.locator('#me-grants .notice--error').getByText(ti.me.grants.accept_all_missing).waitFor();
    const items = await grantsNow();
    for (const rq of requests) assert.equal(items.find((x) => x.id === rq.id)?.state, 'requested');
    console.log('# POST /api/v1/clients/{id}/grants/accept is not on the server yet: tested the clear error only');
  }
  await shot(page, '2-accept-all-ti');

  // download: the file is the API's export
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#me-download').click()]);
  assert.equal(download.suggestedFilename(), `veerkracht-${pid}.json`);
  const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
  await page.locator('#me-take .notice--success').getByText(ti.me.take.downloaded).waitFor();
  const api = await page.evaluate(async (p) => (await fetch(`/api/v1/clients/${p}/export`, { credentials: 'same-origin' })).json(), pid);
  assert.equal(file.resourceType, 'Bundle');
  assert.equal(file.type, 'collection');
  const patient = (b) => b.entry.find((e) => e.resource.resourceType === 'Patient').resource;
  assert.equal(patient(file).id, pid);
  assert.equal(patient(file).id, patient(api).id);
  assert.deepEqual(patient(file), patient(api));
  // the later export has the same entries plus the audit rows written since (the download itself)
  const auditNo = (e) => Number(String(e.resource.id).replace(/^audit-/, ''));
  const lastAudit = Math.max(...file.entry.filter((e) => e.resource.resourceType === 'AuditEvent').map(auditNo));
  const same = api.entry.filter((e) => e.resource.resourceType !== 'AuditEvent' || auditNo(e) <= lastAudit);
  assert.equal(file.entry.length, same.length, 'same number of Bundle entries');
  assert.deepEqual(file.entry.map((e) => e.fullUrl).sort(), same.map((e) => e.fullUrl).sort());
  assert.ok(file.entry.some((e) => e.resource.resourceType === 'QuestionnaireResponse'));
  assert.ok(file.entry.some((e) => e.resource.resourceType === 'Task' && e.resource.id === referral));

  // the printable summary: Tigrinya first, then Dutch
  await page.locator('#me-summary').click();
  await page.getByRole('heading', { level: 1, name: ti.summary.title }).waitFor();
  const sides = page.locator('.summary__side');
  assert.equal(await sides.count(), 2);
  assert.equal(await sides.nth(0).getAttribute('lang'), 'ti');
  assert.equal(await sides.nth(0).getAttribute('dir'), 'ltr');
  assert.equal(await sides.nth(1).getAttribute('lang'), 'nl');
  assert.equal((await sides.nth(0).locator('h2').textContent()).trim(), ti.summary.doc_title);
  assert.equal((await sides.nth(1).locator('h2').textContent()).trim(), nl.summary.doc_title);
  // Chromium has no Tigrinya month names: digits, never English words
  assert.match(await textOf(sides.nth(0).locator('.summary__head')), /\d{2}-\d{2}-\d{4}/);
  assert.doesNotMatch(await textOf(sides.nth(0)), /January|February|March|April|May|June|July|August|September|October|November|December/);
  const screenings = (await vol.get(`/api/v1/clients/${pid}/screenings`)).json.items;
  const refs = (await vol.get(`/api/v1/clients/${pid}/referrals`)).json.items;
  const grants = await grantsNow();
  for (const [i, tr] of [[0, ti], [1, nl]]) {
    const side = sides.nth(i);
    const text = await textOf(side);
    assert.ok(text.includes(pid), 'the pseudonym');
    assert.ok(text.includes('1990'), 'the year of birth');
    assert.ok(text.includes(tr.languages.ti), 'the language in words');
    assert.equal(await side.locator('[data-part="talks"] li').count(), screenings.length, 'one line per conversation');
    assert.ok(text.includes(tr.summary.talk));
    assert.ok(text.includes(tr.me.levels[level]), 'the advice in words');
    const ref = side.locator(`[data-referral="${referral}"]`);
    assert.ok((await textOf(ref)).includes(tr.me.referral_states[refs.find((x) => x.id === referral).state]));
    for (const g of grants.filter((x) => x.state === 'active')) {
      assert.ok((await textOf(side.locator(`[data-grant="${g.id}"]`))).includes(g.org.name), `grant of ${g.org.name}`);
    }
    assert.match(await textOf(side.locator('[data-part="crisis"]')), /112[\s\S]*113[\s\S]*0800-0113/);
    assert.ok(text.includes(tr.summary.crisis_gp));
    // calm: no band, score or level code, no risk label
    for (const label of Object.values(tr.bands ?? {})) {
      if (typeof label === 'string' && label.length > 2) assert.ok(!text.includes(label), `no risk label "${label}"`);
    }
    assert.doesNotMatch(text, /\b(low|medium|high|L[0-3])\b/, 'no band or level codes');
  }
  await noHorizontalScroll(page, 'summary');
  await shot(page, '3-summary-ti');

  // on paper: no navigation or buttons, Dutch on its own A4 page
  await page.emulateMedia({ media: 'print' });
  for (const sel of ['.site-header', '#site-nav', '#summary-print', '.breadcrumb']) {
    assert.equal(await page.locator(sel).first().isVisible(), false, `${sel} hidden on paper`);
  }
  assert.ok(await sides.nth(1).isVisible(), 'the Dutch side is printed');
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, 'summary-ti.pdf');
  await page.pdf({ path, preferCSSPageSize: true, printBackground: true });
  const pdf = readFileSync(path).toString('latin1');
  assert.equal(pdf.slice(0, 5), '%PDF-', 'a PDF file');
  const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => `${Math.round(Number(m[1]))}x${Math.round(Number(m[2]))}`);
  assert.ok(boxes.length >= 2, `the Dutch side starts a new page (${boxes.length} pages)`);
  for (const b of boxes) assert.equal(b, '595x842', 'A4');
  await shot(page, '4-summary-print-ti');
  await page.emulateMedia({ media: 'screen' });
  await closePage(page);
});

test('a professional opens the summary: Arabic right-to-left then Dutch; a Dutch client gets one side', async () => {
  const list = (await vol.get('/api/v1/clients')).json.items;
  const arabic = list.find((c) => c.language === 'ar');
  assert.ok(arabic, 'the Arabic demo client');
  const r = await vol.post('/api/v1/clients', sampleClient({ language: 'nl', country_of_origin: 'SY', year_of_birth: 1985 }));
  assert.equal(r.status, 201, r.text);
  const dutch = r.json.id;
  const page = await newPage();
  await page.goto(`${server.url}/#/login`);
  await page.getByLabel(nl.login.email, { exact: true }).fill(demoEmail('volunteer'));
  await page.getByLabel(nl.login.password, { exact: true }).fill(DEMO_PASSWORD);
  await page.locator('#login-submit').click();
  await page.getByRole('heading', { level: 1, name: nl.home.title }).waitFor();

  await page.goto(`${server.url}/#/clients/${arabic.id}`);
  await page.locator('#client-summary-link').click();
  await page.getByRole('heading', { level: 1, name: nl.summary.title }).waitFor();
  const sides = page.locator('.summary__side');
  assert.equal(await sides.count(), 2);
  assert.equal(await sides.nth(0).getAttribute('lang'), 'ar');
  assert.equal(await sides.nth(0).getAttribute('dir'), 'rtl');
  assert.equal((await sides.nth(0).locator('h2').textContent()).trim(), ar.summary.doc_title);
  assert.equal(await sides.nth(1).getAttribute('lang'), 'nl');
  assert.ok((await textOf(sides.nth(0))).includes(ar.summary.talk), 'the demo screening, calmly');
  assert.equal(await page.locator('#summary-back').getAttribute('href'), `#/clients/${arabic.id}`);
  await noHorizontalScroll(page, 'summary ar');
  await shot(page, '5-summary-ar');

  await page.goto(`${server.url}/#/clients/${dutch}/summary`);
  await page.locator(`.summary__side [data-part="who"]`).getByText(dutch).waitFor();
  assert.equal(await page.locator('.summary__side').count(), 1, 'Dutch only once');
  assert.equal(await page.locator('.summary__side').getAttribute('lang'), 'nl');
  assert.ok((await textOf(page.locator('.summary__side'))).includes(nl.summary.talks_none));
  await closePage(page);
});

test('read aloud on the client\'s page uses the server\'s voice: the intro and the story, at most 2000 bytes', async () => {
  const voices = (await vol.get('/api/v1/speech/voices')).json.languages;
  if (!voices.includes('nl')) {
    console.log('# the server has no Dutch voice (espeak-ng): read aloud not tested');
    return;
  }
  const page = await newPage();
  await page.addInitScript(() => { try { localStorage.setItem('vk.lang', 'nl'); } catch { /* ignore */ } });
  await page.goto(`${server.url}/#/card/${code}`);
  await page.locator('#card-pin').fill('583920');
  await page.locator('#card-submit').click();
  await page.getByRole('heading', { level: 1, name: nl.home.title }).waitFor();
  await page.locator('#home-me').click();
  await page.getByRole('heading', { level: 1, name: nl.me.title }).waitFor();
  const btn = page.locator('#me-read');
  assert.equal((await btn.textContent()).trim(), nl.me.read_aloud);
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/speech') && r.request().method() === 'POST'),
    btn.click(),
  ]);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-type'] ?? '', /^audio\/wav/);
  const sent = JSON.parse(res.request().postData());
  assert.equal(sent.lang, 'nl');
  assert.ok(sent.text.startsWith(nl.me.intro), sent.text.slice(0, 80));
  assert.ok(sent.text.includes(nl.me.story.title) && sent.text.includes(nl.me.story.screening), 'the story is read');
  assert.ok(Buffer.byteLength(sent.text, 'utf8') <= 2000, 'within the server\'s cap');
  assert.ok(!sent.text.includes(nl.me.story.went), 'no button labels');
  await closePage(page);
});

