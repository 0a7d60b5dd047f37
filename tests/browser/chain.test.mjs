// SPDX-License-Identifier: EUPL-1.2
// The whole chain of issue 6 in the demo region (--demo), in the browser at 360 px, against the
// real binary:
//  1. a volunteer registers a fresh client and signals through the conversation (answers chosen so
//     the band is medium), opens the route map from the result, adds "complaints persist" so the
//     GP step (L1) is advised, and refers to the POH-GGZ offer of the GP practice the POH-GGZ user
//     works at, with the client's consent recorded at the refer button;
//  2. the POH-GGZ user opens the inbox (Ontvangen), sees what they need to act, opens the
//     referral, marks it received (a stale form answers 409 at the form), accepts, plans the joint
//     first contact and records it;
//  3. the client logs in with the login card and a PIN, sees the referral on #/me and says "I went";
//  4. the volunteer's referral page shows the client's answer.
// Every expectation is compared with what the API says; screenshots:
// build/test-artifacts/screenshots/chain-*.png.
//
// Set VK_WEB_ROOT=web to test the files on disk instead of the assets built into the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { browserSuite, locale, fill } from '../lib/browser.mjs';
import { demoEmail, DEMO_PASSWORD, repoRoot, demoLogin } from '../lib/server.mjs';
import { sqlExec, DAY_MS } from '../api/_util.mjs';

const nl = locale('nl');
const ar = locale('ar');
const adult = JSON.parse(readFileSync(join(repoRoot, 'data', 'instruments', 'vk-signal-adult.json'), 'utf8'));
const ITEMS = adult.items.map((i) => i.id);
const SYMPTOMS = adult.scales.find((x) => x.id === 'symptoms').items;
const YEAR = 1991;
const PIN = '583920';

const suite = browserSuite({ prefix: 'chain', args: ['--login-delay-ms', '1'], timeout: 20000 });
const { newPage, closePage, noHorizontalScroll, shot } = suite;
let server;
let vol; // API clients, to compare what the pages show with what the API says
let poh;
let pohOrg;
const chain = {}; // what the steps hand on: pid, referral id, card code

before(async () => {
  ({ server } = await suite.start());
  vol = await demoLogin(server, 'volunteer');
  poh = await demoLogin(server, 'poh_ggz');
  pohOrg = (await poh.get('/api/v1/me')).json.user.org;
  assert.ok(pohOrg?.id, 'the POH-GGZ user belongs to an organisation');
});

after(() => suite.stop());

async function logIn(page, role) {
  await page.goto(`${server.url}/`);
  await page.getByRole('heading', { level: 1, name: nl.login.title }).waitFor();
  await page.getByLabel(nl.login.email, { exact: true }).fill(demoEmail(role));
  await page.getByLabel(nl.login.password, { exact: true }).fill(DEMO_PASSWORD);
  await page.locator('#login-submit').click();
  await page.getByRole('heading', { level: 1, name: nl.home.title }).waitFor();
}

async function atQuestion(page, n) {
  await page.waitForFunction(([a, b]) => {
    const el = document.querySelector('.convo__count');
    return el && el.textContent.includes(`${a} / ${b}`);
  }, [n, ITEMS.length]);
}

/** The referral as the API shows it to `api`. */
async function apiReferral(api, id = chain.rid) {
  const r = await api.get(`/api/v1/referrals/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

/** Opens the form of one step on the referral page, fills it with `fillFn`, saves, waits for `to`. */
async function step(page, to, fillFn) {
  if (!await page.locator(`#step-form-${to}`).count()) await page.locator(`#step-${to}`).click();
  await page.locator(`#step-form-${to}`).waitFor();
  if (fillFn) await fillFn(page);
  const saved = page.waitForResponse((r) => r.url().endsWith(`/referrals/${chain.rid}/transitions`));
  await page.locator('#step-save').click();
  assert.equal((await saved).status(), 200);
  await page.locator(`#referral-state[data-state="${to}"]`).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'referral-state', 'focus on the new state');
  const ref = await apiReferral(poh);
  assert.equal(ref.state, to);
  assert.equal((await page.locator('#referral-state').textContent()).trim(), nl.referral.states[to]);
  assert.equal((await page.locator('#status').textContent()).trim(), fill(nl.referral.saved, { state: nl.referral.states[to] }),
    'the new state is announced in the live region');
  assert.deepEqual(await page.locator('#referral-actions [data-to]').evaluateAll((els) => els.map((e) => e.dataset.to)),
    ref.allowed_transitions, 'one button per allowed transition, as the API says');
  return ref;
}

test('1. the volunteer signals (medium), opens the route map and refers to POH-GGZ with consent', async () => {
  const page = await newPage();
  await logIn(page, 'volunteer');

  // A fresh client, through the form.
  await page.getByRole('navigation').getByRole('link', { name: nl.nav.register }).click();
  await page.getByLabel(nl.register.year_of_birth, { exact: true }).fill(String(YEAR));
  await page.getByLabel(nl.register.gender, { exact: true }).selectOption('female');
  await page.getByLabel(nl.register.country_of_origin, { exact: true }).selectOption('SY');
  await page.getByLabel(nl.register.language, { exact: true }).selectOption('ar');
  // a status holder living in Lindedal (a map area): the GP practice De Linde, not the reception
  // health post, is their L1
  await page.getByLabel(nl.phases.municipality, { exact: true }).check();
  await page.getByLabel(nl.register.location, { exact: true }).fill('Lindedal');
  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/clients') && r.request().method() === 'POST');
  await page.locator('#register-submit').click();
  chain.pid = (await (await created).json()).id;
  await page.getByRole('heading', { level: 1, name: fill(nl.client.heading, { year: YEAR }) }).waitFor();
  assert.equal(page.url().split('#')[1], `/clients/${chain.pid}`);

  // The signalling conversation, in client mode, in the client's language.
  await page.getByRole('link', { name: nl.signal.start, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: nl.signal.setup_title }).waitFor();
  await page.getByLabel(nl.signal.modes.client, { exact: true }).check();
  await page.locator('#signal-begin').click();
  await page.getByRole('button', { name: ar.signal.begin, exact: true }).click();
  // five symptoms yes, everything else (safety included) no: the medium band
  const values = ITEMS.map((id) => (SYMPTOMS.slice(0, 5).includes(id) ? 1 : 0));
  let screening;
  for (let i = 0; i < ITEMS.length; i++) {
    await atQuestion(page, i + 1);
    if (i === ITEMS.length - 1) {
      const saved = page.waitForResponse((r) => r.url().endsWith('/screenings') && r.request().method() === 'POST');
      await page.locator(`.answer[data-value="${values[i]}"]`).click();
      screening = await (await saved).json();
    } else {
      await page.locator(`.answer[data-value="${values[i]}"]`).click();
    }
  }
  assert.equal(screening.result.band.id, 'medium', JSON.stringify(screening.result));
  const sc = (await vol.get(`/api/v1/clients/${chain.pid}/screenings`)).json.items[0];
  assert.equal(sc.id, screening.id, 'the API has the screening the conversation saved');
  await page.getByRole('heading', { level: 1, name: ar.signal.done_title }).waitFor();
  await page.waitForFunction(() => !document.getElementById('signal-view-result').disabled);
  await page.locator('#signal-view-result').click();
  await page.getByRole('heading', { level: 1, name: nl.screening.title }).waitFor();
  assert.equal(await page.locator('#result-band-value').getAttribute('data-band'), 'medium');
  await shot(page, '1-result-medium');

  // The route map from the result; complaints persist, so the GP step (L1) is advised too.
  await page.locator('#result-route-link').click();
  await page.getByRole('heading', { level: 1, name: nl.route.page_title }).waitFor();
  await page.locator('#route-stairs').waitFor();
  await page.locator('#route-q-persistent').check();
  const computed = page.waitForResponse((r) => r.url().endsWith(`/clients/${chain.pid}/route`) && r.request().method() === 'POST');
  await page.locator('#route-recompute').click();
  assert.equal((await computed).status(), 201);
  await page.locator('#route-level-L1').waitFor();
  const advice = (await vol.get(`/api/v1/clients/${chain.pid}/route`)).json;
  assert.equal(advice.input.band, 'medium');
  const l1 = advice.levels.find((l) => l.level === 'L1');
  assert.ok(l1, `L1 advised when complaints persist: ${JSON.stringify(advice.levels.map((l) => l.level))}`);
  const i = l1.matches.findIndex((m) => m.receiver?.id === pohOrg.id && /POH-GGZ/.test(m.name));
  assert.ok(i >= 0, `a POH-GGZ offer of ${pohOrg.name} on the route map: ${JSON.stringify(l1.matches.map((m) => [m.name, m.receiver]))}`);
  const offer = l1.matches[i];
  chain.offer = offer;
  const key = `route-level-L1-offers-${i}`;
  await shot(page, '2-route-map');

  // "Verwijzen": no grant for the GP practice yet, so the consent step; the client agrees.
  await page.locator(`#refer-${key}`).click();
  await page.locator(`#refer-box-${key}`).waitFor();
  await page.locator(`#refer-note-${key}`).fill('Slaapt slecht sinds de overtocht. Wil graag praten met iemand.');
  await page.locator(`#refer-consent-${key}`).waitFor();
  assert.ok((await page.locator(`#refer-consent-${key}`).textContent()).includes(pohOrg.name), 'the consent step names the organisation');
  await noHorizontalScroll(page, 'consent step');
  await shot(page, '3-consent');
  const grantsBefore = (await vol.get(`/api/v1/clients/${chain.pid}/grants`)).json.items.length;
  await page.locator(`#refer-agree-${key}`).click();
  await page.locator('#refer-confirmation').waitFor();
  const grants = (await vol.get(`/api/v1/clients/${chain.pid}/grants`)).json.items;
  assert.equal(grants.length, grantsBefore + 1, 'the consent is recorded');
  const g = grants.find((x) => x.org?.id === pohOrg.id || x.org_id === pohOrg.id);
  assert.ok(g, `a grant for ${pohOrg.name}: ${JSON.stringify(grants)}`);
  assert.equal(g.basis, 'verbal_consent');
  const refs = (await vol.get(`/api/v1/clients/${chain.pid}/referrals`)).json.items;
  assert.equal(refs.length, 1, 'one referral');
  chain.rid = refs[0].id;
  assert.equal(refs[0].state, 'sent');
  assert.equal(refs[0].service.id, offer.service);
  assert.equal(refs[0].to.id, pohOrg.id);
  await shot(page, '4-referred');

  // The volunteer's inbox, "Verstuurd": the referral on top, in words.
  await page.getByRole('navigation').getByRole('link', { name: nl.inbox.nav }).click();
  await page.getByRole('heading', { level: 1, name: nl.inbox.title }).waitFor();
  await page.locator('#inbox-tab-sent').click();
  await page.locator('#inbox-tab-sent[aria-pressed="true"]').waitFor();
  const sentApi = (await vol.get('/api/v1/referrals?role=sender')).json.items;
  const rows = page.locator('#inbox-list > li');
  assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.dataset.referral)), sentApi.map((x) => x.id), 'the API\'s order: newest first');
  const row = page.locator(`#inbox-list > li[data-referral="${chain.rid}"]`);
  assert.ok((await row.textContent()).includes(pohOrg.name), 'to whom');
  assert.ok((await row.textContent()).includes(nl.referral.states.sent));
  await noHorizontalScroll(page, 'inbox sent');
  await shot(page, '5-volunteer-sent');

  // The card for the client's own login, made by the volunteer.
  await page.goto(`${server.url}/#/clients/${chain.pid}`);
  await page.locator('#client-card-link').click();
  await page.locator('#card-make').click();
  await page.locator('#card-sheet').waitFor();
  chain.code = (await page.locator('.login-card__code').first().textContent()).trim();
  assert.ok(chain.code.length > 8, chain.code);
  await closePage(page);
});

test('2. the POH-GGZ user works the referral from the inbox: received, accepted, joint first contact', async () => {
  assert.ok(chain.rid, 'step 1 made the referral');
  // An older referral to the same offer, not received for five days: overdue, said in words.
  const old = await vol.post('/api/v1/referrals', { client_id: chain.pid, service_id: chain.offer.service, scopes: ['signal'] });
  assert.equal(old.status, 201, old.text);
  const aged = sqlExec(server.dbPath, `UPDATE referrals SET sent_at = sent_at - ${5 * DAY_MS},
    created_at = created_at - ${5 * DAY_MS} WHERE uid = '${old.json.id}'`);
  assert.equal(aged.status, 0, aged.stderr);
  const page = await newPage();
  await logIn(page, 'poh_ggz');
  await page.getByRole('navigation').getByRole('link', { name: nl.inbox.nav }).click();
  await page.getByRole('heading', { level: 1, name: nl.inbox.title }).waitFor();
  assert.equal(await page.locator('#inbox-tab-received').getAttribute('aria-pressed'), 'true', 'received first');
  const inbox = (await poh.get('/api/v1/referrals?role=receiver')).json.items;
  const item = inbox.find((x) => x.id === chain.rid);
  assert.ok(item, 'addressed to the GP practice');
  const row = page.locator(`#inbox-list > li[data-referral="${chain.rid}"]`);
  await row.waitFor();
  const text = await row.textContent();
  // what the receiver needs to act, as the API says it
  for (const want of [item.client.pseudonym, nl.inbox.ages[item.client.age_group], nl.languages[item.client.language],
    nl.levels_short[item.level], item.service.name, item.from.name, nl.referral.states[item.state]]) {
    assert.ok(text.includes(want), `the row shows "${want}": ${text}`);
  }
  assert.equal(item.overdue, false);
  assert.ok(!text.includes(nl.inbox.overdue.not_received), 'not overdue: not marked');
  assert.equal(await row.evaluate((e) => e.classList.contains('flag--overdue')), false);
  // the state filter asks the API again
  await page.locator('#inbox-state').selectOption('accepted');
  await page.locator('#inbox-none').waitFor();
  assert.equal((await poh.get('/api/v1/referrals?role=receiver&state=accepted')).json.items.length, 0);
  await page.locator('#inbox-state').selectOption('');
  await row.waitFor();
  const oldApi = (await poh.get('/api/v1/referrals?role=receiver')).json.items.find((x) => x.id === old.json.id);
  assert.equal(oldApi.overdue_reason, 'not_received');
  const oldRow = page.locator(`#inbox-list > li[data-referral="${old.json.id}"]`);
  assert.ok((await oldRow.textContent()).includes(nl.inbox.overdue.not_received), 'overdue in words');
  assert.equal(await oldRow.evaluate((e) => e.classList.contains('flag--overdue')), true);
  assert.deepEqual(await page.locator('#inbox-list > li').evaluateAll((els) => els.map((e) => e.dataset.referral)),
    (await poh.get('/api/v1/referrals?role=receiver')).json.items.map((x) => x.id), 'newest first, as the API lists them');
  await noHorizontalScroll(page, 'inbox received');
  await shot(page, '6-poh-inbox');

  // The referral page: facts, the handover note as the API gives it, one button: received.
  await page.locator(`#inbox-open-${chain.rid}`).click();
  await page.locator('#referral-facts').waitFor();
  let ref = await apiReferral(poh);
  assert.equal((await page.locator('#referral-handover').textContent()).trim(), ref.handover_note);
  assert.deepEqual(await page.locator('#referral-actions [data-to]').evaluateAll((els) => els.map((e) => e.dataset.to)), ref.allowed_transitions);
  await noHorizontalScroll(page, 'referral page');
  await shot(page, '7-poh-referral');

  // Keyboard: open the step with Enter, focus goes into its form.
  await page.locator('#step-received').focus();
  await page.keyboard.press('Enter');
  await page.locator('#step-form-received').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'step-note');
  // The server's 422 is shown at the field its pointer names (a control character in the note
  // passes the page's own checks, not the server's).
  await page.locator('#step-note').fill('ontvangen\u0007');
  const refused = page.waitForResponse((r) => r.url().endsWith('/transitions'));
  await page.locator('#step-save').click();
  const bad = await refused;
  assert.equal(bad.status(), 422);
  const problem = await bad.json();
  assert.equal(problem.errors[0].pointer, '/note');
  await page.locator('#step-note-error').waitFor();
  assert.equal((await page.locator('#step-note-error').textContent()).trim(), problem.errors[0].detail);
  assert.equal(await page.locator('#step-note').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'step-note', 'focus on the field');
  assert.equal((await apiReferral(poh)).state, 'sent', 'nothing written');
  ref = await step(page, 'received', async (p) => { await p.locator('#step-note').fill('Ontvangen, we bellen deze week.'); });
  assert.equal(ref.transitions.at(-1).note, 'Ontvangen, we bellen deze week.');

  // A stale page: someone else accepted meanwhile; the server's 409 (with what is allowed now)
  // is shown above the buttons, with the state and the steps possible now in Dutch.
  await page.locator('#step-accepted').click();
  await page.locator('#step-form-accepted').waitFor();
  const other = await poh.post(`/api/v1/referrals/${chain.rid}/transitions`, { to: 'accepted' });
  assert.equal(other.status, 200, other.text);
  const conflict = page.waitForResponse((r) => r.url().endsWith('/transitions'));
  await page.locator('#step-save').click();
  const res = await conflict;
  assert.equal(res.status(), 409);
  const detail = (await res.json()).detail;
  await page.locator('#step-error').waitFor();
  await page.locator('#referral-state[data-state="accepted"]').waitFor();
  const shown = await page.locator('#step-error').textContent();
  const now = await apiReferral(poh);
  const steps = now.allowed_transitions.map((x) => nl.referral.actions[x]).join(', ');
  for (const want of [nl.referral.errors.conflict, detail, fill(nl.referral.errors.state_now, { state: nl.referral.states.accepted }),
    fill(nl.referral.errors.allowed_now, { steps })]) {
    assert.ok(shown.includes(want), `the 409 says "${want}": ${shown}`);
  }
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'step-error', 'focus on the message');
  assert.equal(await page.locator('#step-form-accepted').count(), 0, 'the stale form is gone');
  assert.deepEqual(await page.locator('#referral-actions [data-to]').evaluateAll((els) => els.map((e) => e.dataset.to)), now.allowed_transitions);
  await shot(page, '8-poh-409');

  // The joint first contact: a missing mode is said at its field; then planned.
  await page.locator('#step-first_contact_planned').click();
  await page.locator('#step-form-first_contact_planned').waitFor();
  await page.locator('#step-save').click();
  await page.locator('#step-mode-error').waitFor();
  assert.equal((await page.locator('#step-mode-error').textContent()).trim(), nl.referral.errors.mode);
  assert.equal(await page.locator('#step-mode').getAttribute('aria-invalid'), 'true');
  const at = '2026-12-03T10:30';
  ref = await step(page, 'first_contact_planned', async (p) => {
    await p.getByLabel(nl.referral.modes.in_person, { exact: true }).check();
    await p.locator('#step-with').fill('vrijwilliger, cliënt, POH-GGZ');
    await p.locator('#step-at').fill(at);
    await p.locator('#step-interpreter').check();
  });
  // the moment typed is Dutch time, as the page shows every moment: what the API stored, shown
  // back in Europe/Amsterdam, is what was typed
  const back = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam', dateStyle: 'short', timeStyle: 'short' })
    .format(new Date(ref.joint_contact.at)).replace(' ', 'T');
  assert.equal(back, at, `typed ${at}, stored ${ref.joint_contact.at}`);
  assert.deepEqual({ ...ref.joint_contact, at: null }, { mode: 'in_person', with: 'vrijwilliger, cliënt, POH-GGZ', at: null, interpreter: true });
  const contact = await page.locator('#referral-contact').textContent();
  assert.ok(contact.includes(nl.referral.modes.in_person) && contact.includes('vrijwilliger, cliënt, POH-GGZ') && contact.includes(nl.referral.contact_interpreter_yes), contact);
  await shot(page, '9-poh-planned');

  ref = await step(page, 'first_contact_done', async (p) => {
    await p.locator('#step-note').fill('Kennismaking gehad, met tolk.');
  });
  const last = ref.transitions.at(-1);
  assert.equal(last.note, 'Kennismaking gehad, met tolk.');
  const tl = page.locator('#referral-timeline > li');
  assert.equal(await tl.count(), ref.transitions.length, 'every transition on the timeline');
  assert.ok((await tl.last().textContent()).includes(last.note));
  assert.ok((await tl.last().textContent()).includes(fill(nl.referral.ev.transition,
    { from: nl.referral.states.first_contact_planned, to: nl.referral.states.first_contact_done })));
  await noHorizontalScroll(page, 'referral done');
  await shot(page, '10-poh-first-contact-done');
  await closePage(page);
});

test('3. the client logs in with the card and a PIN, sees the referral and says "I went"', async () => {
  assert.ok(chain.code, 'step 1 made a card');
  const page = await newPage();
  await page.addInitScript(() => { try { localStorage.setItem('vk.lang', 'ar'); } catch { /* ignore */ } });
  await page.goto(`${server.url}/#/card/${chain.code}`);
  await page.locator('#card-new-pin').fill(PIN);
  await page.locator('#card-repeat').fill(PIN);
  await page.locator('#card-submit').click();
  await page.getByRole('heading', { level: 1, name: ar.home.title }).waitFor();
  await page.locator('#home-me').click();
  await page.getByRole('heading', { level: 1, name: ar.me.title }).waitFor();
  const story = page.locator('#me-story');
  const ref = story.locator(`[data-referral="${chain.rid}"]`);
  await ref.waitFor();
  assert.ok((await ref.textContent()).includes(chain.offer.name), 'the service as the route map named it');
  // every step so far is on the client's timeline, in the client's words
  const seen = await apiReferral(vol);
  const steps = seen.transitions.filter((x) => x.kind === 'transition' && x.to !== 'draft');
  await ref.locator('details.me-steps > summary').click();
  const li = ref.locator('details.me-steps li');
  assert.equal(await li.count(), steps.length, 'one line per step');
  assert.deepEqual(await li.evaluateAll((els) => els.map((e) => e.dataset.step)), steps.map((x) => x.to));
  assert.ok((await li.last().textContent()).includes(ar.me.referral_states[steps.at(-1).to]));
  await noHorizontalScroll(page, 'my story');
  await shot(page, '11-client-me');
  await ref.getByRole('button', { name: ar.me.story.went }).click();
  await story.getByText(ar.me.story.thanks).waitFor();
  const answered = await apiReferral(vol);
  assert.equal(answered.client_answer, 'went');
  assert.equal(answered.needs_new_offer, false);
  await shot(page, '12-client-went');
  await closePage(page);
});

test('4. the sender\'s referral page shows the client\'s answer', async () => {
  const page = await newPage();
  await logIn(page, 'volunteer');
  await page.goto(`${server.url}/#/referrals/${chain.rid}`);
  await page.locator('#referral-facts').waitFor();
  const ref = await apiReferral(vol);
  assert.equal(ref.client_answer, 'went');
  assert.equal((await page.locator('#referral-answer').textContent()).trim(), nl.inbox.answers[ref.client_answer]);
  const answers = ref.transitions.filter((x) => x.kind === 'client_answer');
  assert.equal(answers.length, 1);
  const li = page.locator('#referral-timeline > li[data-kind="client_answer"]');
  assert.equal(await li.count(), 1);
  assert.ok((await li.textContent()).includes(nl.inbox.answers.went));
  assert.ok((await li.textContent()).includes(nl.referral.ev.by_client));
  assert.equal((await page.locator('#referral-state').getAttribute('data-state')), ref.state);
  // the sender may only withdraw before the first contact: after it, nothing to do
  assert.deepEqual(ref.allowed_transitions, []);
  await page.locator('#referral-no-actions').waitFor();
  await noHorizontalScroll(page, 'sender referral page');
  await shot(page, '13-volunteer-sees-went');
  await closePage(page);
});
