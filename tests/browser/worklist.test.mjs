// SPDX-License-Identifier: EUPL-1.2
// The worklist screen (#/worklist) shows everything GET /api/v1/worklist gives the caller, in the
// demo region (--demo) at 360 px, against the real binary:
//  - a volunteer registers a fresh client and refers it twice to the POH-GGZ of GP practice De
//    Linde; one referral is aged past 2 working days unreceived, the other is received and aged
//    past the L1 target without a first contact (the sqlite3 CLI moves sent_at back, as
//    chain.test.mjs does);
//  - the GP (who holds a grant) moves the client to Lindedal in a second region whose coordinator
//    is made with the CLI (as tests/api/move.test.mjs does);
//  - the client logs in with a new card (Tigrinya UI), sees the move in "my story", asks for
//    erasure, and the access log names the move and the request in words, never "other";
//  - the sender's, the Veerhaven coordinator's, the Noordmeer coordinator's and the GP's worklist
//    pages show exactly the sections, counts and ids the API lists for each (nothing hard-coded),
//    overdue said in words; the sender's link opens the referral page, the coordinator (not party,
//    the referral answers 404) gets the facts without a link; the GP's erasure link opens the
//    client page with the confirm panel.
// Screenshots: build/test-artifacts/screenshots/worklist-*.png.
//
// Set VK_WEB_ROOT=web to test the files on disk instead of the assets built into the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, locale, fill, firstCardLogin } from '../lib/browser.mjs';
import { demoEmail, DEMO_PASSWORD, demoLogin, runCli, sampleClient, Client } from '../lib/server.mjs';
import { sqlExec, DAY_MS } from '../api/_util.mjs';

const nl = locale('nl');
const ti = locale('ti');
const POH_DE_LINDE = '302b670b-0e4f-5c1f-a377-a0a9e3208ab9'; // demo map: POH-GGZ De Linde
const NEW_REGION = 'Regio Noordmeer (test)';
const NEW_COORD = { email: 'coordinator@noordmeer.example', password: 'Noordmeer-coord-2026!' };
const PIN = '583920';

const suite = browserSuite({ prefix: 'worklist', args: ['--login-delay-ms', '1'], timeout: 20000 });
const { newPage, closePage, noHorizontalScroll, shot } = suite;
let server;
const api = {}; // API sessions per person, to compare the pages with what the API says
let pid;
let refLate; // sent, never received: overdue "not received"
let refSlow; // received, no first contact within the L1 target
let loginUrl;
let code;

/** The sections of the page and the API member each one shows. */
const SECTIONS = [
  { id: 'worklist-flags', member: 'items', list: '#worklist', key: (x) => x.flag.id, attr: 'data-flag', title: nl.worklist.flags_title },
  { id: 'worklist-referrals', member: 'referrals', list: '#worklist-referral-list', key: (x) => x.id, attr: 'data-referral', title: nl.worklist.referrals_title },
  { id: 'worklist-moved', member: 'moved_referrals', list: '#worklist-moved-list', key: (x) => x.id, attr: 'data-referral', title: nl.worklist.moved_title },
  { id: 'worklist-erasures', member: 'erasure_requests', list: '#worklist-erasure-list', key: (x) => x.id, attr: 'data-erasure', title: nl.worklist.erasure_title },
];

function age(uid, days) {
  const r = sqlExec(server.dbPath, `UPDATE referrals SET sent_at = sent_at - ${days * DAY_MS},
    created_at = created_at - ${days * DAY_MS} WHERE uid = '${uid}'`);
  assert.equal(r.status, 0, r.stderr);
}

before(async () => {
  ({ server } = await suite.start());
  for (const role of ['volunteer', 'gp', 'poh_ggz', 'coordinator']) api[role] = await demoLogin(server, role);
  const add = runCli(['user', 'add', '--db', server.dbPath, '--org', 'Regiocoördinatie Noordmeer (test)',
    '--org-kind', 'coordination', '--region', NEW_REGION, '--role', 'coordinator', '--email', NEW_COORD.email],
  { input: `${NEW_COORD.password}\n` });
  assert.equal(add.status, 0, add.stderr);
  api.newCoord = new Client(server.url);
  assert.equal((await api.newCoord.login(NEW_COORD.email, NEW_COORD.password)).status, 200);

  const vol = api.volunteer;
  let r = await vol.post('/api/v1/clients', sampleClient({ language: 'ti', country_of_origin: 'ER', year_of_birth: 1993 }));
  assert.equal(r.status, 201, r.text);
  pid = r.json.id;
  const gpOrg = (await api.gp.get('/api/v1/me')).json.user.org;
  r = await vol.post(`/api/v1/clients/${pid}/grants`, { org_id: gpOrg.id, scopes: ['signal', 'referral'], basis: 'verbal_consent', days: 60 });
  assert.equal(r.status, 201, r.text);
  for (const which of ['late', 'slow']) {
    r = await vol.post('/api/v1/referrals', { client_id: pid, service_id: POH_DE_LINDE, scopes: ['signal'] });
    assert.equal(r.status, 201, r.text);
    if (which === 'late') refLate = r.json.id; else refSlow = r.json.id;
  }
  r = await api.poh_ggz.post(`/api/v1/referrals/${refSlow}/transitions`, { to: 'received' });
  assert.equal(r.status, 200, r.text);
  age(refLate, 5);
  age(refSlow, 10);
  for (const [id, why] of [[refLate, 'not_received'], [refSlow, 'no_first_contact']]) {
    const x = (await vol.get(`/api/v1/referrals/${id}`)).json;
    assert.equal(x.overdue, true, JSON.stringify(x));
    assert.equal(x.overdue_reason, why);
  }
  r = await api.gp.post(`/api/v1/clients/${pid}/move`, { phase: 'municipality', location: 'Lindedal', region: NEW_REGION });
  assert.equal(r.status, 200, r.text);
  r = await vol.post(`/api/v1/clients/${pid}/card`);
  assert.equal(r.status, 201, r.text);
  ({ login_url: loginUrl, code } = r.json);
  assert.ok(loginUrl && code, r.text);
});

after(() => suite.stop());

async function logIn(page, email, password = DEMO_PASSWORD) {
  await page.goto(`${server.url}/`);
  await page.getByRole('heading', { level: 1, name: nl.login.title }).waitFor();
  await page.getByLabel(nl.login.email, { exact: true }).fill(email);
  await page.getByLabel(nl.login.password, { exact: true }).fill(password);
  await page.locator('#login-submit').click();
  await page.getByRole('heading', { level: 1, name: nl.home.title }).waitFor();
}

/**
 * Opens the worklist from the menu and checks it against the API: one section per non-empty
 * member with the count in its heading, the same ids in the same order, nothing else.
 */
async function checkWorklist(page, who, name) {
  await page.getByRole('navigation').getByRole('link', { name: nl.nav.worklist }).click();
  await page.getByRole('heading', { level: 1, name: nl.worklist.page_title }).waitFor();
  const r = await who.get('/api/v1/worklist');
  assert.equal(r.status, 200, r.text);
  const w = r.json;
  let shown = 0;
  for (const s of SECTIONS) {
    const items = Array.isArray(w[s.member]) ? w[s.member] : [];
    const sec = page.locator(`#${s.id}`);
    if (!items.length) {
      assert.equal(await sec.count(), 0, `${name}: no ${s.member}, no section`);
      continue;
    }
    shown++;
    assert.equal((await sec.locator('h2').textContent()).trim(), fill(nl.worklist.heading_count, { title: s.title, count: items.length }),
      `${name}: heading and count of ${s.member}`);
    const ids = await sec.locator(`${s.list} > li`).evaluateAll((els, attr) => els.map((e) => e.getAttribute(attr)
      ?? e.querySelector(`[${attr}]`)?.getAttribute(attr)), s.attr);
    assert.deepEqual(ids, items.map(s.key), `${name}: ${s.member} as the API lists them`);
  }
  if (!shown) await page.locator('#worklist-nothing').waitFor();
  else assert.equal(await page.locator('#worklist-nothing').count(), 0);
  await noHorizontalScroll(page, `${name} worklist`);
  return w;
}

/** Each overdue referral says why in words and shows its facts as the API gives them. */
async function checkOverdue(page, w, { linked }) {
  for (const x of w.referrals ?? []) {
    const row = page.locator(`#worklist-referral-list > li[data-referral="${x.id}"]`);
    const text = await row.textContent();
    assert.ok(text.includes(nl.worklist.overdue[x.overdue_reason]), `overdue in words: ${x.overdue_reason} in ${text}`);
    for (const part of [x.service.name, x.client_id, x.from.name, x.to.name, nl.levels_short[x.level], nl.referral.states[x.state]]) {
      assert.ok(text.includes(part), `${part} in ${text}`);
    }
    assert.equal(await row.locator(`a[href="#/referrals/${x.id}"]`).count(), linked(x) ? 1 : 0, `link on ${x.id}`);
  }
}

test('1. the client sees the move in the story, asks for erasure, and the access log says both in words', async () => {
  const page = await newPage();
  await firstCardLogin(page, loginUrl, { lang: 'ti', pin: PIN });
  const me = new Client(server.url);
  const login = await me.post('/api/v1/session/card', { code, pin: PIN });
  assert.equal(login.status, 200, login.text);
  me.csrf = login.json.csrf_token;

  await page.locator('#home-me').click();
  await page.getByRole('heading', { level: 1, name: ti.me.title }).waitFor();
  const moves = (await me.get(`/api/v1/clients/${pid}/moves`)).json.items;
  assert.equal(moves.length, 1);
  for (const m of moves) {
    const item = page.locator(`#me-story [data-move="${m.id}"]`);
    await item.waitFor();
    const text = await item.textContent();
    const [head, tail] = ti.move.story_item.split('{date}');
    assert.ok(text.includes(fill(tail, { from: m.from.location, to: m.to.location })) && text.startsWith(head), text);
    assert.ok(text.includes('AZC Veerhaven') && text.includes('Lindedal'), text);
  }
  await shot(page, '1-client-story');

  // asks for erasure on its own page
  await page.locator('#me-erase').click();
  await page.getByRole('heading', { level: 1, name: ti.erase.title }).waitFor();
  await page.getByLabel(ti.erase.understand, { exact: true }).check();
  await page.locator('#erase-ask').click();
  await page.getByText(ti.erase.asked_done).waitFor();
  assert.equal((await me.get(`/api/v1/clients/${pid}/erasure`)).json.state, 'requested');

  // who looked: every entry named in words, the move and the request among them
  await page.goto(`${server.url}/#/me`);
  const looked = page.locator('#me-looked');
  await looked.locator('.me-log__item').first().waitFor();
  if (await page.locator('#me-log-more').count()) await page.locator('#me-log-more').click(); // all lines
  const log = (await me.get(`/api/v1/clients/${pid}/access-log?from=${encodeURIComponent(new Date(Date.now() - 31 * DAY_MS).toISOString())}`)).json.items;
  const texts = await looked.locator('.me-log__item').allTextContents();
  assert.ok(texts.length >= Math.min(log.length, 10), `${texts.length} lines for ${log.length} entries`);
  for (const e of log) {
    assert.equal(typeof ti.me.looked.actions[e.action], 'string', `a word for the action ${e.action}`);
    assert.equal(typeof (ti.me.parts[e.object_type] ?? ti.log_objects[e.object_type]), 'string', `a word for the part ${e.object_type}`);
  }
  const line = (action, part) => `${ti.me.looked.actions[action]} — ${part}`;
  const want = [
    ['update', 'client_move', ti.me.parts.client_move], // the GP moved the client
    ['read', 'client_move', ti.me.parts.client_move], // the client read its moves
    ['erase_request', 'erasure', ti.me.parts.erasure],
  ];
  for (const [action, object, part] of want) {
    assert.ok(log.some((e) => e.action === action && e.object_type === object), `${action} on ${object} in the API log`);
    assert.ok(texts.some((x) => x.includes(line(action, part))), `"${line(action, part)}" on the page`);
  }
  assert.ok(texts.every((x) => !x.includes(ti.me.looked.actions.other)), 'no line says "did something with"');
  await noHorizontalScroll(page, 'me');
  await looked.scrollIntoViewIfNeeded();
  await shot(page, '2-client-looked');
  await closePage(page);
});

test('2. the sender\'s worklist lists its overdue referrals in words; a link opens the referral page', async () => {
  const page = await newPage();
  await logIn(page, demoEmail('volunteer'));
  const w = await checkWorklist(page, api.volunteer, 'volunteer');
  const ids = w.referrals.map((x) => x.id);
  assert.ok(ids.includes(refLate) && ids.includes(refSlow), 'both aged referrals are on the sender\'s list');
  assert.equal(w.referrals.find((x) => x.id === refLate).overdue_reason, 'not_received');
  assert.equal(w.referrals.find((x) => x.id === refSlow).overdue_reason, 'no_first_contact');
  await checkOverdue(page, w, { linked: () => true }); // the sender is party to all it sent
  await shot(page, '3-sender');
  await page.locator(`#worklist-ref-open-${refLate}`).click();
  await page.getByRole('heading', { level: 1, name: fill(nl.referral.title, { service: w.referrals.find((x) => x.id === refLate).service.name }) }).waitFor();
  assert.equal(page.url().split('#')[1], `/referrals/${refLate}`);
  await closePage(page);
});

test('3. the coordinator sees the region\'s overdue referrals: facts, no link to a referral it may not open', async () => {
  const page = await newPage();
  await logIn(page, demoEmail('coordinator'));
  const org = (await api.coordinator.get('/api/v1/me')).json.user.org.id;
  const w = await checkWorklist(page, api.coordinator, 'coordinator');
  assert.ok(w.referrals.some((x) => x.id === refLate) && w.referrals.some((x) => x.id === refSlow), 'the region\'s overdue referrals');
  assert.equal((await api.coordinator.get(`/api/v1/referrals/${refLate}`)).status, 404, 'the coordinator may not open it');
  const party = (x) => x.from.id === org || x.to.id === org;
  await checkOverdue(page, w, { linked: party });
  const row = page.locator(`#worklist-referral-list > li[data-referral="${refLate}"]`);
  assert.ok((await row.textContent()).includes(nl.worklist.not_party));
  assert.deepEqual(w.moved_referrals, [], 'nobody moved into Veerhaven');
  await shot(page, '4-coordinator');
  await closePage(page);
});

test('4. the new region\'s coordinator sees the referrals of the client who moved in, with where from', async () => {
  const page = await newPage();
  await logIn(page, NEW_COORD.email, NEW_COORD.password);
  const w = await checkWorklist(page, api.newCoord, 'new coordinator');
  assert.deepEqual(w.moved_referrals.map((x) => x.id).sort(), [refLate, refSlow].sort());
  for (const x of w.moved_referrals) {
    const row = page.locator(`#worklist-moved-list > li[data-referral="${x.id}"]`);
    const text = await row.textContent();
    for (const part of [x.service.name, x.client_id, x.from.name, x.to.name, x.moved.from_location, x.moved.to_location,
      nl.referral.states[x.state], nl.levels_short[x.level]]) {
      assert.ok(text.includes(part), `${part} in ${text}`);
    }
    const serves = x.serves_new_area === true ? 'yes' : x.serves_new_area === false ? 'no' : 'unknown';
    assert.ok(text.includes(nl.worklist[`moved_serves_${serves}`]), `serves_new_area ${x.serves_new_area}`);
    assert.equal(await row.locator('a').count(), 0, 'not party: facts only');
  }
  await shot(page, '5-new-coordinator');
  await closePage(page);
});

test('5. the GP sees the erasure request and its link opens the client page with the confirm panel', async () => {
  const page = await newPage();
  await logIn(page, demoEmail('gp'));
  const w = await checkWorklist(page, api.gp, 'gp');
  const req = w.erasure_requests.find((x) => x.client_id === pid);
  assert.ok(req, 'the client\'s request is on the GP\'s list');
  const row = page.locator(`#worklist-erasure-list > li[data-erasure="${req.id}"]`);
  assert.ok((await row.textContent()).includes(pid));
  assert.equal(await row.locator('time').getAttribute('datetime'), req.requested_at);
  await shot(page, '6-gp');
  await page.locator(`#worklist-erasure-open-${req.id}`).focus();
  await page.keyboard.press('Enter');
  await page.locator('#erasure[data-state="requested"]').waitFor();
  assert.equal(page.url().split('#')[1], `/clients/${pid}`);
  await closePage(page);
});
