// SPDX-License-Identifier: EUPL-1.2
// Browser test of the signalling conversation against the real binary (demo data), at a 360 px
// wide phone viewport:
//  1. a volunteer registers an Arabic-speaking adult and runs the adult signal in client mode in
//     Arabic (right-to-left, read-aloud that really plays a WAV), reaching the "medium" band;
//  2. a red-flag answer brings up the protocol, which neither Escape nor the back button closes
//     and which records what was done; the flag shows on the client page, and a GP (given access
//     by the volunteer) closes it with a reason;
//  3. a volunteer raises a flag by hand from the client page; the coordinator sees it on the
//     worklist;
//  4. in Tigrinya (no voice, no recording) there is no read-aloud button at all;
//  5. interviewer mode shows Dutch above the client's language;
//  6. a conversation that goes on after a red flag ends in a result with the flag on top.
// Screenshots go to build/test-artifacts/screenshots/signal-*.png.
//
// Set VK_WEB_ROOT=web to test the files on disk instead of the assets built into the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { browserSuite, locale, fill, SHOTS, VIEWPORT } from '../lib/browser.mjs';
import { demoEmail, DEMO_PASSWORD, repoRoot, demoLogin, sampleClient } from '../lib/server.mjs';


const nl = locale('nl');
const ar = locale('ar');
const ti = locale('ti');
const adult = JSON.parse(readFileSync(join(repoRoot, 'data', 'instruments', 'vk-signal-adult.json'), 'utf8'));
const ITEMS = adult.items.map((i) => i.id);
const SYMPTOMS = adult.scales.find((x) => x.id === 'symptoms').items;

const suite = browserSuite({ prefix: 'signal', args: [], timeout: 15000 });
const { newPage, closePage, noHorizontalScroll, shot } = suite;
let server;

before(async () => {
  ({ server } = await suite.start());
});

after(() => suite.stop());

/** Just one part of a long page. */
async function shotOf(locator, name) {
  await locator.screenshot({ path: join(SHOTS, `signal-${name}.png`) });
}

/** The protocol panel is fixed to the viewport: grow the viewport to show all of it. */
async function shotOverlay(page, name) {
  const height = await page.evaluate(() => document.getElementById('redflag-protocol').scrollHeight);
  await page.setViewportSize({ width: VIEWPORT.width, height: Math.max(VIEWPORT.height, height) });
  await page.screenshot({ path: join(SHOTS, `signal-${name}.png`) });
  await page.setViewportSize(VIEWPORT);
}

async function logIn(page, role) {
  await page.goto(`${server.url}/`);
  await page.getByRole('heading', { level: 1, name: nl.login.title }).waitFor();
  await page.getByLabel(nl.login.email, { exact: true }).fill(demoEmail(role));
  await page.getByLabel(nl.login.password, { exact: true }).fill(DEMO_PASSWORD);
  await page.locator('#login-submit').click();
  await page.getByRole('heading', { level: 1, name: nl.home.title }).waitFor();
}

/** Register a client through the API as the demo volunteer; returns the client id. */
async function apiClient(over) {
  const api = await demoLogin(server, 'volunteer');
  const r = await api.post('/api/v1/clients', sampleClient(over));
  assert.equal(r.status, 201, r.text);
  return { api, id: r.json.id };
}

/** From the client page: "Signalering starten", pick language and mode, begin. */
async function startSignal(page, { lang, mode }) {
  await page.getByRole('link', { name: nl.signal.start, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: nl.signal.setup_title }).waitFor();
  const select = page.getByLabel(nl.signal.language, { exact: true });
  assert.equal(await select.inputValue(), lang, "the client's language is chosen by default");
  await page.getByLabel(nl.signal.modes[mode], { exact: true }).check();
  await noHorizontalScroll(page, 'setup');
  const def = page.waitForResponse((r) => r.url().includes('/api/v1/instruments/vk-signal-adult?'));
  await page.locator('#signal-begin').click();
  assert.equal((await def).status(), 200);
  await page.locator('#signal-start').waitFor();
}

/** Wait for question n (1-based) of total. */
async function atQuestion(page, n, total = ITEMS.length) {
  await page.waitForFunction(([a, b]) => {
    const el = document.querySelector('.convo__count');
    return el && el.textContent.includes(`${a} / ${b}`);
  }, [n, total]);
}

async function answer(page, value) {
  await page.locator(`.answer[data-value="${value}"]`).click();
}

test('client mode in Arabic: right-to-left, read-aloud plays, five symptoms give "medium"', async () => {
  const page = await newPage();
  await logIn(page, 'volunteer');

  // Register an adult whose language is Arabic, through the form.
  await page.getByRole('navigation').getByRole('link', { name: nl.nav.register }).click();
  await page.getByLabel(nl.register.year_of_birth, { exact: true }).fill('1990');
  await page.getByLabel(nl.register.gender, { exact: true }).selectOption('male');
  await page.getByLabel(nl.register.country_of_origin, { exact: true }).selectOption('SY');
  await page.getByLabel(nl.register.language, { exact: true }).selectOption('ar');
  await page.getByLabel(nl.phases.coa, { exact: true }).check();
  await page.getByLabel(nl.register.location, { exact: true }).fill('AZC Veerhaven');
  await page.locator('#register-submit').click();
  await page.getByRole('heading', { level: 1, name: fill(nl.client.heading, { year: 1990 }) }).waitFor();
  await page.locator('#signalling').waitFor();
  await page.getByText(nl.screenings.none).waitFor();
  await shotOf(page.locator('#signalling'), '1-client-page');

  await startSignal(page, { lang: 'ar', mode: 'client' });

  // The phone is handed over: the page speaks Arabic, right to left; no navigation.
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');
  assert.equal(await page.locator('#site-nav').isVisible(), false, 'no navigation in client mode');
  await page.getByRole('heading', { level: 1, name: adult.title.ar }).waitFor();
  assert.equal(await page.locator('#read-intro').count(), 1, 'read-aloud on the intro');
  await page.getByText(ar.crisis.title).waitFor();
  await noHorizontalScroll(page, 'intro');
  await shot(page, '2-intro-ar');

  await page.getByRole('button', { name: ar.signal.begin, exact: true }).click();
  await atQuestion(page, 1);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'signal-heading', "focus on the question's heading");
  assert.equal((await page.locator('#signal-heading').textContent()).trim(), adult.items[0].text.ar);
  assert.equal(await page.locator('.convo__count').getAttribute('aria-live'), 'polite');
  assert.equal(await page.locator('#signal-help').textContent(), adult.items[0].help.ar);
  // Answer buttons: at least 64 px high, (almost) the full width of the phone, each with an icon.
  for (const b of await page.locator('.answer').all()) {
    const box = await b.boundingBox();
    assert.ok(box.height >= 64, `answer button is ${box.height} px high`);
    assert.ok(box.width >= 220, `answer button is ${box.width} px wide`);
    assert.equal(await b.locator('svg.icon').count(), 1, 'an icon on each answer');
  }
  assert.equal(await page.locator('.answer--yes svg.icon--yes').count(), 1);
  assert.equal(await page.locator('.answer--no svg.icon--no').count(), 1);
  assert.equal(await page.locator('.answers .read-aloud').count(), 2, 'read-aloud on each answer');

  // Read-aloud on the question plays a real WAV.
  const readQ = page.getByRole('button', { name: ar.signal.read_aloud_question, exact: true });
  await readQ.click();
  const src = await page.locator('#read-aloud-audio').getAttribute('src');
  assert.match(src, /\/api\/v1\/instruments\/vk-signal-adult\/audio\/ar\/item\.sleep$/);
  const wav = await page.evaluate(async (url) => {
    const r = await fetch(url, { credentials: 'same-origin' });
    const b = await r.arrayBuffer();
    const head = String.fromCharCode(...new Uint8Array(b.slice(0, 4)));
    return { status: r.status, type: r.headers.get('content-type'), bytes: b.byteLength, head };
  }, src);
  assert.equal(wav.status, 200);
  assert.match(wav.type, /^audio\/wav/);
  assert.ok(wav.bytes > 1000, `audio is ${wav.bytes} bytes`);
  assert.equal(wav.head, 'RIFF');
  const duration = await page.waitForFunction(() => {
    const a = document.getElementById('read-aloud-audio');
    return a.readyState >= 1 && Number.isFinite(a.duration) && a.duration > 0 ? a.duration : false;
  }, null, { timeout: 30000 });
  assert.ok(await duration.jsonValue() > 0.2, 'the audio element loaded a clip with a duration');
  await noHorizontalScroll(page, 'question');
  await shot(page, '3-question-ar');

  // Answer: five symptoms yes, everything else no (safety included). Go back once on the way.
  const values = ITEMS.map((id) => (SYMPTOMS.slice(0, 5).includes(id) ? 1 : 0));
  for (let i = 0; i < ITEMS.length; i++) {
    await atQuestion(page, i + 1);
    if (i === 2) {
      await page.getByRole('button', { name: ar.signal.back }).click();
      await atQuestion(page, 2);
      assert.equal(await page.locator('.answer[data-value="1"]').getAttribute('aria-pressed'), 'true', 'the earlier answer stays chosen');
      await answer(page, values[1]);
      await atQuestion(page, 3);
    }
    if (i === ITEMS.length - 1) await shot(page, '4-last-question-ar');
    if (i === ITEMS.length - 1) {
      const saved = page.waitForResponse((r) => r.url().endsWith('/screenings') && r.request().method() === 'POST');
      await answer(page, values[i]);
      const res = await saved;
      assert.equal(res.status(), 201);
      const body = await res.json();
      assert.equal(body.result.band.id, 'medium', JSON.stringify(body.result));
      assert.equal(body.mode, 'client');
      assert.equal(body.language, 'ar');
      assert.deepEqual(body.result.red_flags, []);
    } else {
      await answer(page, values[i]);
    }
  }

  // The calm outro: no band, no score, no risk label on the client's screen.
  await page.getByRole('heading', { level: 1, name: ar.signal.done_title }).waitFor();
  await page.getByText(ar.signal.give_back).waitFor();
  const view = page.locator('#signal-view-result');
  await page.waitForFunction(() => !document.getElementById('signal-view-result').disabled);
  const clientText = await page.locator('.convo__stage').evaluate((el) => {
    const c = el.cloneNode(true);
    c.querySelector('.convo__volunteer')?.remove();
    return c.textContent;
  });
  for (const word of [ar.bands.medium, nl.bands.medium, 'Middel', 'medium', 'L0', '5']) {
    assert.ok(!clientText.includes(word), `the client's screen shows no "${word}"`);
  }
  await noHorizontalScroll(page, 'outro');
  await shot(page, '5-outro-ar');

  // Back to the volunteer: Dutch again, the result with the band and what it means.
  await view.click();
  await page.getByRole('heading', { level: 1, name: nl.screening.title }).waitFor();
  await page.waitForFunction(() => document.documentElement.dir === 'ltr');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'nl');
  assert.equal(await page.locator('#result-band-value').getAttribute('data-band'), 'medium');
  assert.equal((await page.locator('#result-band-value').textContent()).trim(), nl.bands.medium);
  assert.equal(await page.locator('#result-level').getAttribute('data-level'), 'L0');
  assert.equal((await page.locator('#result-advice').textContent()).trim(), adult.advice.medium.volunteer.nl);
  assert.equal(await page.locator('#result-flags-card').count(), 0, 'no red flags on this result');
  await noHorizontalScroll(page, 'result');
  await shot(page, '6-result-nl');

  // The client summary: the calm advice in Arabic, no scores.
  await page.getByRole('button', { name: nl.screening.summary_show }).click();
  const summary = page.locator('#client-summary');
  await summary.waitFor();
  assert.equal(await summary.getAttribute('lang'), 'ar');
  assert.equal(await summary.getAttribute('dir'), 'rtl');
  assert.match(await summary.textContent(), new RegExp(adult.advice.medium.client.ar.slice(0, 20)));
  assert.ok(!(await summary.textContent()).includes(ar.bands.medium), 'no band in the client summary');
  assert.equal(await summary.locator('a[href="tel:113"]').count(), 1);
  await noHorizontalScroll(page, 'client summary');
  await shot(page, '7-client-summary-ar');

  // The client page lists the conversation.
  await page.locator('#result-back').click();
  await page.locator('#screenings [data-screening]').first().waitFor();
  assert.match(await page.locator('#screenings').textContent(), new RegExp(fill(nl.screenings.band, { band: nl.bands.medium })));
  await closePage(page);
});

test('a red-flag answer brings up the protocol; it records what was done; a GP closes the flag', async () => {
  const { api, id } = await apiClient({ language: 'ar', year_of_birth: 1988 });
  const page = await newPage();
  await logIn(page, 'volunteer');
  await page.goto(`${server.url}/#/clients/${id}`);
  await page.locator('#signalling').waitFor();
  await startSignal(page, { lang: 'ar', mode: 'client' });
  await page.getByRole('button', { name: ar.signal.begin, exact: true }).click();

  const lifeAt = ITEMS.indexOf('safety_life');
  for (let i = 0; i < lifeAt; i++) {
    await atQuestion(page, i + 1);
    await answer(page, 0);
  }
  await atQuestion(page, lifeAt + 1);
  const raised = page.waitForResponse((r) => r.url().endsWith(`/clients/${id}/red-flags`) && r.request().method() === 'POST');
  await answer(page, 1);

  // At once: a calm message for the client, in Arabic, with 113 / 0800-0113 and 112.
  const panel = page.locator('#redflag-protocol');
  await panel.waitFor();
  assert.equal((await raised).status(), 201, 'the flag is raised on the server at once');
  assert.equal(await panel.getAttribute('role'), 'alertdialog');
  assert.equal(await panel.getAttribute('aria-modal'), 'true');
  assert.equal(await panel.getAttribute('lang'), 'ar');
  for (const tel of ['tel:113', 'tel:08000113', 'tel:112']) assert.equal(await panel.locator(`a[href="${tel}"]`).count(), 1, tel);
  assert.ok(!(await panel.textContent()).includes(ar.redflags.protocols.suicide), 'no risk label for the client');
  await page.keyboard.press('Escape');
  assert.equal(await panel.count(), 1, 'Escape does not close it');
  await shotOverlay(page, '8-calm-message-ar');

  // The volunteer protocol, in Dutch.
  await page.getByRole('button', { name: 'Voor de begeleider: verder' }).click();
  await page.getByRole('heading', { name: /Zorg om veiligheid/ }).waitFor();
  assert.equal(await panel.getAttribute('lang'), 'nl');
  await panel.getByText('Blijf bij de persoon').waitFor();
  for (const tel of ['tel:112', 'tel:113', 'tel:08000113']) assert.ok(await panel.locator(`a[href="${tel}"]`).count() >= 1, tel);
  assert.match(await panel.textContent(), /huisartsenpost/);
  assert.match(await panel.textContent(), /GZA/);
  await panel.locator('.protocol__raise--ok').waitFor();

  // Nothing closes it: not Escape, not the back button; focus stays inside.
  const submit = page.getByRole('button', { name: 'Vastleggen', exact: true });
  assert.equal(await submit.isDisabled(), true, '"Vastleggen" is disabled until an action is chosen');
  const url = page.url();
  await page.keyboard.press('Escape');
  await page.goBack();
  await page.waitForTimeout(300);
  assert.equal(await panel.count(), 1, 'neither Escape nor the back button closes it');
  assert.equal(page.url(), url, 'the page stays where it was');
  for (let i = 0; i < 25; i++) await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.getElementById('redflag-protocol').contains(document.activeElement)), true,
    'focus stays inside the protocol');
  assert.equal(await page.evaluate(() => document.getElementById('main').inert), true, 'the page behind is inert');
  await shotOverlay(page, '9-protocol-nl');

  await page.getByLabel('Ik ben bij de persoon gebleven', { exact: true }).check();
  assert.equal(await submit.isDisabled(), false);
  await page.getByLabel('113 of 0800-0113 gebeld', { exact: true }).check();
  await page.getByLabel('Korte toelichting', { exact: true }).fill('Samen 113 gebeld; morgen naar de huisarts.');
  const recorded = page.waitForResponse((r) => r.url().includes('/actions') && r.request().method() === 'POST');
  await submit.click();
  assert.equal((await recorded).status(), 201);
  await panel.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.getElementById('main').inert), false);

  // Back in the conversation: for the volunteer, continue or stop. Stop.
  await page.getByRole('heading', { level: 1, name: nl.signal.flagged_title }).waitFor();
  await shot(page, '10-flag-recorded');
  await page.locator('#signal-stop-after').click();
  await page.getByRole('heading', { level: 1, name: nl.signal.stopped_title }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'nl');
  await page.locator('#signal-to-client').click();

  // The client page shows the flag, open, with what was recorded.
  const open = page.locator('#flags-open .flag[data-state="open"]');
  await open.first().waitFor();
  assert.equal(await open.count(), 1);
  const text = await open.textContent();
  assert.match(text, new RegExp(nl.redflags.protocols.suicide));
  assert.match(text, new RegExp(nl.flag_actions.stayed_with_person));
  assert.match(text, new RegExp(nl.flag_actions.called_113));
  assert.match(text, /morgen naar de huisarts/);
  assert.equal(await page.locator('[data-close-flag]').count(), 0, 'a volunteer cannot close a flag');
  await noHorizontalScroll(page, 'client page with flag');
  await shotOf(page.locator('#signalling'), '11-client-flag-open');
  await closePage(page);

  // The volunteer records the client's verbal consent for the GP practice; the GP closes the flag.
  const orgs = (await api.get('/api/v1/orgs')).json.items;
  const gpOrg = orgs.find((o) => o.kind === 'gp_practice');
  const grant = await api.post(`/api/v1/clients/${id}/grants`, { org_id: gpOrg.id, scopes: ['signal'], basis: 'verbal_consent', days: 30 });
  assert.equal(grant.status, 201, grant.text);

  const gp = await newPage();
  await logIn(gp, 'gp');
  await gp.goto(`${server.url}/#/clients/${id}`);
  const card = gp.locator('#flags-open .flag').first();
  await card.waitFor();
  await card.getByRole('button', { name: nl.redflags.close_submit }).click();
  await card.getByText(fill(nl.redflags.close_error, { max: 1000 })).waitFor();
  assert.equal(await card.locator('textarea').getAttribute('aria-invalid'), 'true');
  await card.getByLabel(nl.redflags.close_reason_label, { exact: true }).fill('Gesprek gehad; veiligheidsplan gemaakt, POH-GGZ volgt op.');
  const closed = gp.waitForResponse((r) => r.url().endsWith('/close'));
  await card.getByRole('button', { name: nl.redflags.close_submit }).click();
  assert.equal((await closed).status(), 200);
  await gp.getByText(nl.redflags.closed_ok).waitFor();
  await gp.locator('#flags-closed .flag[data-state="closed"]').waitFor();
  assert.equal(await gp.locator('#flags-open .flag').count(), 0);
  assert.match(await gp.locator('#flags-closed').textContent(), /veiligheidsplan gemaakt/);
  await noHorizontalScroll(gp, 'closed flag');
  await shotOf(gp.locator('#signalling'), '12-gp-closed');
  const flags = (await api.get(`/api/v1/clients/${id}/red-flags`)).json.items;
  assert.equal(flags.length, 1);
  assert.equal(flags[0].state, 'closed');
  await closePage(gp);
});

test('a flag raised by hand on the client page reaches the coordinator\'s worklist', async () => {
  const { id } = await apiClient({ language: 'so', year_of_birth: 1979 });
  const page = await newPage();
  await logIn(page, 'volunteer');
  await page.goto(`${server.url}/#/clients/${id}`);
  await page.getByRole('button', { name: nl.signal.flag_button }).click();
  const panel = page.locator('#redflag-protocol');
  await panel.waitFor();
  await shotOverlay(page, '13-manual-choose');
  await panel.locator('[data-protocol="danger"]').click();
  await page.getByRole('heading', { name: 'Zorg om veiligheid: gevaar nu' }).waitFor();
  await panel.locator('.protocol__raise--ok').waitFor();
  await page.getByLabel('112 gebeld', { exact: true }).check();
  await page.getByLabel('Korte toelichting', { exact: true }).fill('Politie kwam; persoon is bij familie.');
  await page.getByRole('button', { name: 'Vastleggen', exact: true }).click();
  await panel.waitFor({ state: 'detached' });
  await page.getByText(nl.redflags.recorded).waitFor();
  assert.equal(await page.locator('#flags-open .flag').count(), 1);
  assert.match(await page.locator('#flags-open').textContent(), new RegExp(nl.redflags.source_manual));
  await closePage(page);

  const coord = await newPage();
  await logIn(coord, 'coordinator');
  await coord.getByRole('navigation').getByRole('link', { name: nl.nav.worklist }).click();
  await coord.getByRole('heading', { level: 1, name: nl.worklist.title }).waitFor();
  const card = coord.locator(`#worklist .flag:has(a[href="#/clients/${id}"])`);
  await card.waitFor();
  assert.match(await card.textContent(), new RegExp(nl.redflags.protocols.danger));
  assert.match(await card.textContent(), new RegExp(nl.flag_actions.called_112));
  assert.equal(await card.locator('[data-close-flag]').count(), 0, 'the coordinator follows up but does not close');
  await noHorizontalScroll(coord, 'worklist');
  await shot(coord, '14-worklist');
  await closePage(coord);
});

test('Tigrinya has no voice and no recording: no read-aloud button anywhere', async () => {
  const { id } = await apiClient({ language: 'ti', country_of_origin: 'ER', year_of_birth: 1997 });
  const page = await newPage();
  await logIn(page, 'volunteer');
  await page.goto(`${server.url}/#/clients/${id}`);
  await page.locator('#signalling').waitFor();
  await startSignal(page, { lang: 'ti', mode: 'client' });
  await page.waitForFunction(() => document.documentElement.lang === 'ti');
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
  await page.getByRole('heading', { level: 1, name: adult.title.ti }).waitFor();
  assert.equal(await page.locator('.read-aloud').count(), 0, 'no read-aloud on the intro');
  await shot(page, '15-intro-ti');
  await page.getByRole('button', { name: ti.signal.begin, exact: true }).click();
  await atQuestion(page, 1);
  assert.equal((await page.locator('#signal-heading').textContent()).trim(), adult.items[0].text.ti);
  assert.equal(await page.locator('.read-aloud').count(), 0, 'no read-aloud on the question or its answers (absent, not disabled)');
  assert.equal(await page.locator('.answer').count(), 2);
  assert.equal((await page.locator('.answer--yes').textContent()).trim(), adult.response_sets[0].options[0].label.ti);
  const def = await page.evaluate(async () => (await fetch('/api/v1/instruments/vk-signal-adult?lang=ti')).json());
  assert.equal(def.voice, false);
  assert.ok(def.items.every((it) => it.audio === null), 'the server offers no audio in Tigrinya');
  await noHorizontalScroll(page, 'question in Tigrinya');
  await shot(page, '16-question-ti');
  await closePage(page);
});

test('interviewer mode: Dutch on top, the client\'s language below, answers in both', async () => {
  const { id } = await apiClient({ language: 'fa', country_of_origin: 'AF', year_of_birth: 1985 });
  const page = await newPage();
  await logIn(page, 'volunteer');
  await page.goto(`${server.url}/#/clients/${id}`);
  await page.locator('#signalling').waitFor();
  await startSignal(page, { lang: 'fa', mode: 'interviewer' });
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'nl', 'the page stays in the volunteer\'s language');
  await page.getByRole('button', { name: nl.signal.begin, exact: true }).click();
  await atQuestion(page, 1);
  const heading = page.locator('#signal-heading');
  assert.equal((await heading.locator('.bilingual__nl').textContent()).trim(), adult.items[0].text.nl);
  const own = heading.locator('.bilingual__own');
  assert.equal((await own.textContent()).trim(), adult.items[0].text.fa);
  assert.equal(await own.getAttribute('lang'), 'fa');
  assert.equal(await own.getAttribute('dir'), 'rtl');
  const yes = page.locator('.answer--yes');
  assert.equal((await yes.locator('.bilingual__nl').textContent()).trim(), 'Ja');
  assert.equal((await yes.locator('.bilingual__own').textContent()).trim(), adult.response_sets[0].options[0].label.fa);
  await noHorizontalScroll(page, 'interviewer question');
  await shot(page, '17-interviewer-fa');
  // The language switch offers all eight languages; Persian turns the page right-to-left.
  const options = await page.locator('#lang-select option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(options, ['nl', 'en', 'ar', 'fa', 'ti', 'so', 'tr', 'uk']);
  // Leaving asks first: the answers would be lost. Cancel stays, OK leaves.
  let asked = null;
  page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
  await page.goBack();
  await atQuestion(page, 1);
  assert.equal(asked, nl.signal.leave_confirm);
  page.once('dialog', (d) => d.accept());
  await page.goBack();
  await page.waitForFunction((cid) => location.hash === `#/clients/${cid}`, id);
  await closePage(page);
});

test('after a red flag the conversation can go on; the result shows the flag on top', async () => {
  const { api, id } = await apiClient({ language: 'tr', country_of_origin: 'TR', year_of_birth: 1992 });
  const page = await newPage();
  await logIn(page, 'volunteer');
  await page.goto(`${server.url}/#/clients/${id}`);
  await page.locator('#signalling').waitFor();
  await startSignal(page, { lang: 'tr', mode: 'interviewer' });
  await page.getByRole('button', { name: nl.signal.begin, exact: true }).click();
  const dangerAt = ITEMS.indexOf('safety_danger');
  for (let i = 0; i < dangerAt; i++) {
    await atQuestion(page, i + 1);
    await answer(page, SYMPTOMS.includes(ITEMS[i]) ? 1 : 0);
  }
  await atQuestion(page, dangerAt + 1);
  await answer(page, 1);
  // Interviewer mode: straight to the volunteer protocol for danger, in Dutch.
  const panel = page.locator('#redflag-protocol');
  await page.getByRole('heading', { name: 'Zorg om veiligheid: gevaar nu' }).waitFor();
  await panel.locator('.protocol__raise--ok').waitFor();
  await page.getByLabel('112 gebeld', { exact: true }).check();
  await page.getByLabel('Korte toelichting', { exact: true }).fill('112 gebeld, politie ter plaatse.');
  await page.getByRole('button', { name: 'Vastleggen', exact: true }).click();
  await panel.waitFor({ state: 'detached' });
  const saved = page.waitForResponse((r) => r.url().endsWith('/screenings') && r.request().method() === 'POST');
  await page.locator('#signal-continue').click();
  const res = await saved;
  assert.equal(res.status(), 201);
  const body = await res.json();
  assert.equal(body.result.level, 'crisis');
  assert.equal(body.result.band.id, 'high', 'all ten symptoms: high band, overridden by the red flag');
  assert.equal(body.result.red_flags.length, 1);
  await page.waitForFunction(() => !document.getElementById('signal-view-result').disabled);
  await page.locator('#signal-view-result').click();
  await page.getByRole('heading', { level: 1, name: nl.screening.title }).waitFor();

  // The red flag comes first, open, with what was recorded; then the band; the level is crisis.
  const card = page.locator('#result-flags-card');
  await card.waitFor();
  const order = await page.evaluate(() => {
    const f = document.getElementById('result-flags-card');
    const b = document.getElementById('result-band-value');
    return Boolean(f.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  assert.ok(order, 'the red flag is shown above the band');
  assert.equal(await card.locator('.flag[data-state="open"]').count(), 1);
  assert.match(await card.textContent(), new RegExp(nl.redflags.protocols.danger));
  assert.equal(await page.locator('#result-level').getAttribute('data-level'), 'crisis');
  await noHorizontalScroll(page, 'result with a red flag');
  await shot(page, '18-result-with-flag');
  // What the volunteer recorded is on the screening's own flag as well.
  const flags = (await api.get(`/api/v1/clients/${id}/red-flags`)).json.items;
  const fromScreening = flags.find((f) => f.id === body.result.red_flags[0].id);
  assert.ok(fromScreening?.actions?.some((a) => a.action === 'called_112'), JSON.stringify(flags));
  await closePage(page);
});

test('the instrument follows the age: a child gets the parent version, a toddler none', async () => {
  const year = new Date().getFullYear();
  const { id: child } = await apiClient({ language: 'uk', country_of_origin: 'UA', year_of_birth: year - 8 });
  const { id: toddler } = await apiClient({ language: 'uk', country_of_origin: 'UA', year_of_birth: year - 2 });
  const page = await newPage();
  await logIn(page, 'volunteer');
  await page.goto(`${server.url}/#/clients/${child}/signal`);
  await page.getByRole('heading', { level: 1, name: nl.signal.setup_title }).waitFor();
  const radios = page.locator('input[name="instrument"]');
  assert.equal(await radios.count(), 1);
  assert.equal(await radios.first().getAttribute('value'), 'vk-signal-child');
  await page.getByText(nl.signal.respondent.parent).waitFor();
  assert.equal(await page.getByLabel(nl.signal.language, { exact: true }).inputValue(), 'uk');
  await page.goto(`${server.url}/#/clients/${toddler}/signal`);
  await page.getByText(fill(nl.signal.no_instrument, { age: 2 })).waitFor();
  assert.equal(await page.locator('#signal-begin').count(), 0);
  await noHorizontalScroll(page, 'no instrument');
  await shot(page, '19-no-instrument');
  await closePage(page);
});
