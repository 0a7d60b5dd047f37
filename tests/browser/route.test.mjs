// SPDX-License-Identifier: EUPL-1.2
// Browser test of the route map (issue 6) against the real binary with the demo region (--demo),
// at a 360 px phone viewport: the volunteer opens, from the client page, the route map of the
// demo client with a medium screening (src/demo/demo.c); sees the staircase with L0 marked as
// recommended in words, the reasons and steps of L0 as the API words them, at least one offer
// whose name matches the API's advice (fetched in the test, never hard-coded) and a link to its
// map page; opens the route card, which is in the client's language (Arabic, right to left) with
// the crisis numbers, and prints. "Verwijzen" on an L1 offer without the organisation's grant
// turns into the consent step in Arabic (Dutch beside it): refused → nothing written; a note over
// 1000 bytes is caught in the form; agreed → a verbal-consent grant with exactly the shared
// scopes, one referral with the handover note, interpreter and joint contact (Dutch time), and a
// confirmation in Arabic with the map's phone, read aloud in pieces of ≤ 2000 bytes. When a grant
// already covers it, the Arabic block (who, what, the note) still shows before sending; read
// aloud on a busy server retries once and then says it does not work. A declined
// referral gets the next offer of its level ("refer to this one instead", `replaces`).
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
  // Read aloud by the server's Arabic voice: the button speaks the card's own text.
  const speakBtn = card.locator('#route-card-speak');
  assert.equal((await speakBtn.textContent()).trim(), ar.speech.read_aloud);
  const [speech] = await Promise.all([
    page.waitForResponse((res) => res.url().endsWith('/api/v1/speech') && res.request().method() === 'POST'),
    speakBtn.click(),
  ]);
  assert.equal(speech.status(), 200);
  assert.equal(speech.headers()['content-type'], 'audio/wav');
  const sent = JSON.parse(speech.request().postData());
  assert.equal(sent.lang, 'ar');
  assert.ok(sent.text.includes(ar.route.card_title), 'the card\'s text');
  assert.ok(!sent.text.includes(ar.speech.read_aloud) && !sent.text.includes(ar.speech.stop), 'not the button\'s label');
  assert.equal(await speakBtn.getAttribute('aria-pressed'), null, 'one state only: the label says stop');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'route-card-speak', 'focus stays on the button');
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

test('the client\'s wishes and the two questions recompute the advice; offers say which wishes they meet', async () => {
  const page = await newPage();
  await login(page);
  await page.goto(`${server.url}/#/clients/${pid}/route`);
  await page.locator('#route-stairs').waitFor();
  for (const w of ['group', 'individual', 'own_language', 'women_only', 'near_home']) {
    assert.equal((await page.locator(`label[for="route-wish-${w}"]`).textContent()).trim(), nl.route.wish[w]);
  }
  await page.locator('#route-wish-women_only').check();
  await page.locator('#route-q-persistent').check();
  const before = (await vol.get(`/api/v1/clients/${pid}/route`)).json.id;
  await page.locator('#route-recompute').click();
  await page.locator('#route-level-L1').waitFor();
  const a = (await vol.get(`/api/v1/clients/${pid}/route`)).json;
  assert.notEqual(a.id, before, 'a new advice');
  assert.deepEqual(a.input.wishes, ['women_only']);
  assert.equal(a.input.persistent, true);
  assert.equal(a.input.function_impaired, false);
  assert.ok(a.levels.some((l) => l.level === 'L1'), 'persistent complaints add L1');
  // The wishes stay ticked, and each offer that meets one says so.
  assert.equal(await page.locator('#route-wish-women_only').isChecked(), true);
  assert.equal(await page.locator('#route-q-persistent').isChecked(), true);
  const meets = a.levels.flatMap((l) => l.matches.map((m, i) => ({ l: l.level, i, hit: m.fit_codes.includes('wish:women_only') })));
  assert.ok(meets.some((x) => x.hit), 'the demo map has a women-only offer');
  for (const x of meets) {
    const wishes = page.locator(`#route-level-${x.l}-offers > li:nth-child(${x.i + 1}) .route-offer__wishes`);
    if (x.hit) assert.ok((await wishes.textContent()).toLowerCase().includes(nl.route.wish.women_only.toLowerCase()), `${x.l} ${x.i}`);
    else assert.equal(await wishes.count(), 0, `${x.l} ${x.i} meets no wish`);
  }
  await noHorizontalScroll(page, 'wishes');
  await shot(page, 'wishes');
  // Back to none, for the tests after this one.
  await page.locator('#route-wish-women_only').uncheck();
  await page.locator('#route-q-persistent').uncheck();
  await page.locator('#route-recompute').click();
  await page.locator('#route-level-L1').waitFor({ state: 'detached' });
  await closePage(page);
});

/** A fresh advice with persistent complaints: L1 (GP / health post), whose organisation receives referrals. */
async function l1Advice() {
  const a = await vol.post(`/api/v1/clients/${pid}/route`, { persistent: true });
  assert.equal(a.status, 201, a.text);
  const l1 = a.json.levels.find((l) => l.level === 'L1');
  assert.ok(l1, `L1 with persistent complaints: ${a.text}`);
  return { advice: a.json, l1 };
}

const grantsFor = async (orgId) => (await vol.get(`/api/v1/clients/${pid}/grants`)).json.items.filter((g) => g.org?.id === orgId && g.state !== 'requested');
const referralsTo = async (service) => (await vol.get(`/api/v1/clients/${pid}/referrals`)).json.items.filter((x) => x.service?.id === service);

test('refer with consent: shown in the client\'s language, refused → nothing written, agreed → verbal consent + one referral + confirmation', async () => {
  const { l1 } = await l1Advice();
  const i = l1.matches.findIndex((m) => m.receiver);
  assert.ok(i >= 0, `an L1 offer whose organisation receives referrals: ${JSON.stringify(l1.matches)}`);
  const m = l1.matches[i];
  const org = (await vol.get('/api/v1/orgs')).json.items.find((o) => o.id === m.receiver.id);
  assert.ok(org, 'the receiver is an account organisation');
  assert.equal(org.name, m.receiver.name);
  const key = `route-level-L1-offers-${i}`;
  assert.deepEqual(await grantsFor(org.id), [], 'no grant for that organisation yet');
  const before = (await referralsTo(m.service)).length;

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
  // No grant covers it: the consent step, in Arabic with Dutch beside it.
  const consent = page.locator(`#refer-consent-${key}`);
  await consent.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), `refer-note-${key}`, 'focus on the handover note');
  assert.equal(await page.locator(`#refer-send-${key}`).count(), 0, 'no plain send without consent');
  assert.ok((await box.textContent()).includes(fill(nl.route.refer_share, { org: m.receiver.name })), 'with whom (Dutch)');
  const who = consent.locator('.route-consent__who .route-consent__client');
  assert.equal(await who.getAttribute('lang'), 'ar');
  assert.equal(await who.getAttribute('dir'), 'rtl');
  assert.equal((await who.textContent()).trim(), fill(ar.route.consent_who, { org: m.receiver.name }));
  assert.equal((await consent.locator('.route-consent__who .route-consent__nl').textContent()).trim(), fill(nl.route.consent_who, { org: m.receiver.name }));
  const scopeText = await consent.locator('.route-consent__scopes').textContent();
  for (const sc of ['referral', 'signal']) {
    assert.ok(scopeText.includes(ar.scopes_desc[sc]), `shares ${sc}, in Arabic`);
    assert.ok(scopeText.includes(nl.scopes_desc[sc]), `shares ${sc}, in Dutch`);
  }
  assert.ok((await consent.textContent()).includes(fill(ar.route.consent_days, { days: 90 })), 'for how long');
  // The handover note shows in the consent step as it is typed (the client sees it).
  // A long Arabic note, just under the server's 1000 bytes: the confirmation is then read aloud
  // in several requests of at most 2000 bytes each.
  let note = '';
  while (Buffer.byteLength(`${note}تنام السيدة بشكل سيئ منذ الانتقال إلى المركز. `) <= 990) note += 'تنام السيدة بشكل سيئ منذ الانتقال إلى المركز. ';
  note = note.trim();
  assert.equal(await page.locator(`#refer-consent-note-${key}`).isVisible(), false);
  await page.locator(`#refer-note-${key}`).fill(note);
  assert.equal((await page.locator(`#refer-consent-note-text-${key}`).textContent()).trim(), note);
  assert.equal(await page.locator(`#refer-consent-note-${key}`).isVisible(), true);
  await noHorizontalScroll(page, 'consent step');
  await shot(page, 'refer-consent');

  // The client does not agree: the box closes, nothing is written.
  await page.locator(`#refer-disagree-${key}`).click();
  await box.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.id), `refer-${key}`, 'focus back on the button');
  assert.deepEqual(await grantsFor(org.id), [], 'no grant written');
  assert.equal((await referralsTo(m.service)).length, before, 'no referral written');

  // Again. A note of 600 Arabic letters is 1200 bytes: the field counts bytes, and the form says
  // so before anything is sent (the server caps the note at 1000 bytes).
  await button.click();
  await consent.waitFor();
  await page.locator(`#refer-note-${key}`).fill('ب'.repeat(600));
  assert.equal((await page.locator(`#refer-note-${key}-count`).textContent()).trim(), fill(nl.route.refer_note_count, { used: 1200, max: 1000 }));
  await page.locator(`#refer-agree-${key}`).click();
  const tooLong = page.locator(`#refer-error-${key}`);
  await tooLong.waitFor();
  assert.ok((await tooLong.textContent()).includes(fill(nl.route.refer_note_too_long, { used: 1200, max: 1000 })));
  assert.equal(await page.evaluate(() => document.activeElement?.id), `refer-note-${key}`, 'focus on the note');
  assert.deepEqual(await grantsFor(org.id), [], 'no grant written');
  assert.equal((await referralsTo(m.service)).length, before, 'no referral written');
  // With the note, an interpreter and a joint first contact by phone; the client agrees.
  await page.locator(`#refer-note-${key}`).fill(note);
  assert.equal((await page.locator(`#refer-note-${key}-count`).textContent()).trim(), fill(nl.route.refer_note_count, { used: Buffer.byteLength(note), max: 1000 }));
  await page.locator(`#refer-interpreter-${key}`).check();
  assert.equal(await page.locator(`#refer-interpreter-lang-${key}`).inputValue(), 'ar', 'the client\'s language by default');
  await page.locator(`#refer-joint-${key}`).check();
  await page.locator(`#refer-mode-${key}`).selectOption('phone');
  await page.locator(`#refer-with-${key}`).fill('de vrijwilliger en de cliënt');
  await page.locator(`#refer-at-${key}`).fill('2026-12-01T10:30');
  await page.locator(`#refer-contact-interpreter-${key}`).check();
  assert.equal((await page.locator(`#refer-consent-note-text-${key}`).textContent()).trim(), note, 'the note survives re-rendering');
  await page.locator(`#refer-agree-${key}`).click();
  const conf = page.locator('#refer-confirmation');
  await conf.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'refer-confirmation-title', 'focus on the confirmation');

  // Through the API: exactly one verbal-consent grant with exactly the shared scopes, one referral.
  const grants = await grantsFor(org.id);
  assert.equal(grants.length, 1, JSON.stringify(grants));
  assert.equal(grants[0].basis, 'verbal_consent');
  assert.equal(grants[0].purpose, 'referral');
  assert.equal(grants[0].active, true);
  assert.equal(grants[0].confirmed, false, 'the client confirms it later in their own view');
  assert.deepEqual([...grants[0].scopes].sort(), ['referral', 'signal']);
  const after = await referralsTo(m.service);
  assert.equal(after.length, before + 1, 'one referral');
  const ref = after[0];
  assert.equal(ref.state, 'sent');
  assert.equal(ref.to.id, org.id);
  assert.equal(ref.handover_note, note);
  assert.equal(ref.interpreter, true);
  assert.equal(ref.interpreter_language, 'ar');
  assert.equal(ref.joint_contact.mode, 'phone');
  assert.equal(ref.joint_contact.with, 'de vrijwilliger en de cliënt');
  assert.equal(ref.joint_contact.interpreter, true);
  assert.equal(Date.parse(ref.joint_contact.at), Date.parse('2026-12-01T09:30:00Z'), '10:30 Dutch time (winter: UTC+1), whatever the browser\'s zone');

  // The confirmation: in Arabic, the service's phone from the map, what was shared, crisis numbers.
  assert.equal(await conf.getAttribute('lang'), 'ar');
  assert.equal(await conf.getAttribute('dir'), 'rtl');
  const sv = (await vol.get(`/api/v1/services/${encodeURIComponent(m.service)}?lang=ar`)).json;
  const text = await conf.textContent();
  assert.equal((await conf.locator('h2').textContent()).trim(), ar.route.confirm_title);
  assert.ok(text.includes(fill(ar.route.confirm_to, { name: sv.name, org: m.receiver.name })), 'to whom, in Arabic');
  assert.ok(text.includes(fill(ar.route.confirm_joint_phone, { org: m.receiver.name })), 'we call together');
  assert.ok(text.includes(ar.route.confirm_interpreter), 'with an interpreter');
  const phone = sv.phones?.[0]?.number || sv.organization?.phones?.[0]?.number;
  assert.ok(phone && text.includes(phone), `the phone from the map (${phone})`);
  if (sv.locations?.[0]?.name) assert.ok(text.includes(sv.locations[0].name), 'the place from the map');
  for (const sc of ref.scopes) assert.ok(text.includes(ar.scopes_desc[sc]), `shared ${sc}`);
  assert.ok(text.includes(ar.route.confirm_then_text), 'what happens next');
  assert.match(await conf.locator('.route-card__crisis').textContent(), /112[\s\S]*113[\s\S]*0800-0113/);
  await noHorizontalScroll(page, 'confirmation');
  await shot(page, 'refer-confirmation');

  // Read aloud: the confirmation's own text, in requests of at most 2000 bytes; a text over 2000
  // bytes (here the confirmation twice: its note is nearly 1000 bytes) in pieces cut at sentences,
  // one request each, in order.
  const whole = await conf.locator('.route-confirm__body').evaluate((e) => e.innerText);
  const texts = [];
  const onRequest = (req) => { if (req.url().endsWith('/api/v1/speech') && req.method() === 'POST') texts.push(JSON.parse(req.postData()).text); };
  page.on('request', onRequest);
  const norm = (x) => x.replace(/\s+/g, ' ').trim();
  const confSpeak = conf.locator('#refer-confirmation-speak');
  const first = page.waitForResponse((res) => res.url().endsWith('/api/v1/speech') && res.status() === 200, { timeout: 60000 });
  await confSpeak.click();
  await first;
  const pieces = Math.ceil(Buffer.byteLength(whole) / 2000);
  assert.ok(texts.length >= 1 && texts.length <= pieces + 1, `${texts.length} requests`);
  assert.ok(norm(whole).startsWith(norm(texts[0])), 'the confirmation\'s text');
  await confSpeak.click(); // stop
  assert.equal((await confSpeak.textContent()).trim(), ar.speech.read_aloud);
  texts.length = 0;
  const long = `${whole}\n${whole}`;
  assert.ok(Buffer.byteLength(long) > 2000, `${Buffer.byteLength(long)} bytes`);
  let answered = 0;
  const second = page.waitForResponse((res) => res.url().endsWith('/api/v1/speech') && res.status() === 200 && ++answered === 2, { timeout: 60000 });
  await page.evaluate(async (text) => {
    const { speakButton } = await import('/js/speak.js');
    document.getElementById('refer-confirmation').append(speakButton(() => text, 'ar', { id: 'route-long-speak' }));
  }, long);
  await page.locator('#route-long-speak').click();
  await second;
  page.off('request', onRequest);
  assert.ok(texts.length >= 2, `${texts.length} requests`);
  for (const x of texts) assert.ok(x && Buffer.byteLength(x) <= 2000 && x.trim() === x, `${Buffer.byteLength(x)} bytes`);
  assert.ok(norm(long).startsWith(norm(texts.slice(0, 2).join(' '))), 'the pieces are the text, in order');
  assert.ok(/[.!?؟۔]$/.test(texts[0]) || long.includes(`${texts[0]}\n`), 'cut after a sentence or a line');
  await page.locator('#route-long-speak').click(); // stop
  await page.locator('#route-long-speak').evaluate((e) => e.remove());
  await page.emulateMedia({ media: 'print' });
  await page.evaluate(() => document.body.classList.add('is-route-card'));
  assert.equal(await page.locator('#route-stairs').isVisible(), false, 'only the cards print');
  assert.equal(await conf.isVisible(), true);
  assert.equal(await page.locator('#refer-confirmation-print').isVisible(), false, 'no buttons on paper');
  await shot(page, 'refer-confirmation-print');
  await page.evaluate(() => document.body.classList.remove('is-route-card'));
  await page.emulateMedia({ media: 'screen' });

  // The offer now says it was referred; the referral is listed on the route map.
  assert.ok((await page.locator('#route-referrals').textContent()).includes(nl.route.ref_state.sent));

  await closePage(page);
});

test('a grant already covers it: the client still sees, in their language, who gets what and the note before sending', async () => {
  const { l1 } = await l1Advice();
  const done = new Set((await vol.get(`/api/v1/clients/${pid}/referrals`)).json.items.map((r) => r.service?.id));
  const i = l1.matches.findIndex((x) => x.receiver && !done.has(x.service));
  assert.ok(i >= 0, 'an L1 offer not referred to yet');
  const m = l1.matches[i];
  const g = await vol.post(`/api/v1/clients/${pid}/grants`, { org_id: m.receiver.id, scopes: ['signal', 'referral'], basis: 'verbal_consent', days: 30 });
  assert.equal(g.status, 201, g.text);
  const key = `route-level-L1-offers-${i}`;
  const page = await newPage();
  await login(page);
  await page.goto(`${server.url}/#/clients/${pid}/route`);
  await page.locator(`#refer-${key}`).click();
  await page.locator(`#refer-send-${key}`).waitFor();
  assert.ok((await page.locator(`#refer-covered-${key}`).textContent()).includes(m.receiver.name));
  // The client-language block, before the send button: who, what, the note; read aloud; no question.
  const block = page.locator(`#refer-consent-${key}`);
  await block.waitFor();
  assert.equal(await page.locator(`#refer-consent-title-${key}`).evaluate((e) => e.tagName), 'H5', 'under the offer\'s h4');
  const who = block.locator('.route-consent__who .route-consent__client');
  assert.equal(await who.getAttribute('lang'), 'ar');
  assert.equal((await who.textContent()).trim(), fill(ar.route.consent_who, { org: m.receiver.name }));
  const scopeText = await block.locator('.route-consent__scopes').textContent();
  for (const sc of ['referral', 'signal']) assert.ok(scopeText.includes(ar.scopes_desc[sc]), `shares ${sc}, in Arabic`);
  assert.equal(await block.locator('.route-consent__question').count(), 0, 'no consent question');
  assert.equal(await page.locator(`#refer-agree-${key}`).count(), 0);
  const note = 'Graag een vrouwelijke hulpverlener.';
  await page.locator(`#refer-note-${key}`).fill(note);
  assert.equal((await page.locator(`#refer-consent-note-text-${key}`).textContent()).trim(), note, 'the note, as typed');
  const order = await page.evaluate((k) => {
    const b = document.getElementById(`refer-consent-${k}`);
    const send = document.getElementById(`refer-send-${k}`);
    return Boolean(b.compareDocumentPosition(send) & Node.DOCUMENT_POSITION_FOLLOWING);
  }, key);
  assert.ok(order, 'the block comes before the send button');
  await noHorizontalScroll(page, 'covered');
  await shot(page, 'refer-covered');

  // Read aloud while the server is busy: one retry, then — with no voice in the browser either —
  // a short line beside the button says it does not work now.
  let calls = 0;
  await page.route('**/api/v1/speech', (route) => {
    calls++;
    return route.fulfill({ status: 503, headers: { 'Retry-After': '1', 'Content-Type': 'application/problem+json' }, body: '{"status":503}' });
  });
  const speak = page.locator(`#refer-consent-speak-${key}`);
  const sent = page.waitForRequest((req) => req.url().endsWith('/api/v1/speech'));
  await speak.click();
  await sent;
  const browserHasArabic = await page.evaluate(() => (window.speechSynthesis?.getVoices() || []).some((v) => v.lang.startsWith('ar')));
  if (!browserHasArabic) {
    const line = page.locator(`#refer-consent-speak-${key}-failed`);
    await line.waitFor({ timeout: 10000 });
    assert.equal((await line.textContent()).trim(), ar.speech.unavailable);
    assert.equal(calls, 2, 'asked once more after Retry-After');
  }
  assert.equal(await page.evaluate(() => document.activeElement?.id), `refer-consent-speak-${key}`, 'focus stays on the button');
  await page.unroute('**/api/v1/speech');
  // Cancel: nothing sent.
  const before = (await referralsTo(m.service)).length;
  await page.locator(`#refer-box-${key} button`, { hasText: nl.route.refer_cancel }).click();
  assert.equal((await referralsTo(m.service)).length, before);
  await closePage(page);
});

test('declined → the route map marks the offer tried and refers to the next one instead (replaces)', async () => {
  const { l1 } = await l1Advice();
  // The referral of the previous test (or a fresh one) to an L1 service of the health post.
  let old = (await vol.get(`/api/v1/clients/${pid}/referrals`)).json.items.find((r) => r.level === 'L1' && r.state === 'sent');
  if (!old) {
    const m = l1.matches.find((x) => x.receiver);
    await vol.post(`/api/v1/clients/${pid}/grants`, { org_id: m.receiver.id, scopes: ['signal', 'referral'], basis: 'verbal_consent', days: 30 });
    old = (await vol.post('/api/v1/referrals', { client_id: pid, service_id: m.service, scopes: ['signal'] })).json;
  }
  const staff = await demoLogin(server, 'health_staff');
  for (const body of [{ to: 'received' }, { to: 'declined', reason: 'no_capacity' }]) {
    const r = await staff.post(`/api/v1/referrals/${old.id}/transitions`, body);
    assert.equal(r.status, 200, r.text);
  }
  const triedIds = new Set((await vol.get(`/api/v1/clients/${pid}/referrals`)).json.items.map((r) => r.service.id));
  const next = l1.matches.find((x) => x.receiver && !triedIds.has(x.service));
  assert.ok(next, 'an untried L1 offer');

  const page = await newPage();
  await login(page);
  await page.goto(`${server.url}/#/clients/${pid}/route`);
  const item = page.locator(`#route-referrals [data-referral="${old.id}"]`);
  await item.waitFor();
  assert.equal(await item.getAttribute('data-state'), 'declined');
  assert.ok((await item.textContent()).includes(nl.route.ref_state.declined));
  // The offer tried is marked in the advice and has no refer button.
  const triedOffer = page.locator(`#route-level-L1 .route-offer[data-service="${old.service.id}"]`);
  if (await triedOffer.count()) {
    assert.ok((await triedOffer.textContent()).includes(nl.route.tried));
    assert.equal(await triedOffer.locator('.route-refer').count(), 0);
  }
  // The next matching offer of the same level is proposed.
  const proposal = item.locator('.route-offer');
  assert.equal(await proposal.getAttribute('data-service'), next.service);
  const key = `route-next-${old.id}`;
  assert.equal((await page.locator(`#refer-${key}`).textContent()).trim(), nl.route.refer_instead);
  await shot(page, 'next-offer');
  await page.locator(`#refer-${key}`).click();
  // Same organisation and the grant still covers it (else the consent step comes first).
  const send = page.locator(`#refer-send-${key}, #refer-agree-${key}`);
  await send.first().waitFor();
  await send.first().click();
  await page.locator(`#refer-confirmation, #refer-error-${key}`).first().waitFor();
  assert.equal(await page.locator(`#refer-error-${key}`).count(), 0, await page.locator(`#refer-error-${key}`).count() ? await page.locator(`#refer-error-${key}`).textContent() : '');
  const items = (await vol.get(`/api/v1/clients/${pid}/referrals`)).json.items;
  const made = items.find((r) => r.service.id === next.service && r.state === 'sent');
  assert.ok(made, 'the new referral');
  assert.equal(made.replaces, old.id, 'a re-referral that keeps the history');
  assert.equal(items.find((r) => r.id === old.id).replaced_by, made.id);
  // The declined one is followed up: no proposal any more.
  await page.locator(`#route-referrals [data-referral="${old.id}"]`).waitFor();
  assert.equal(await page.locator(`#route-referrals [data-referral="${old.id}"] .route-offer`).count(), 0);
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
