// SPDX-License-Identifier: EUPL-1.2
// The authorization matrix (issue 5, "What must show"): every demo role × every scope × every grant
// state (none, active, expired, revoked, granted to another organisation, nonexistent client) ×
// every action (read, write, export, refer), against the real binary on --demo. The EXPECTED answer
// comes from the table below, written out by hand from docs/API.md ("Roles and scopes": role
// ceiling ∩ active grant), never from the server. Every refusal must have left an audit row
// `access_denied` / outcome `denied` for that very request (matched by X-Request-Id), and no
// success row; every success must have left a success row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startServer, demoLogin, sampleClient, repoRoot } from '../lib/server.mjs';
import { sql, sqlExec, q, assertStatus, DAY_MS } from './_util.mjs';

const SCOPES = ['signal', 'referral', 'clinical', 'network', 'plan', 'contact'];
const BIT = Object.fromEntries(SCOPES.map((s, i) => [s, 1 << i])); // dossier.h bit order
const ALL_BITS = Object.values(BIT).reduce((a, b) => a | b);

// docs/API.md "Roles and scopes", copied by hand (NOT read from the server or consent.c).
const base = ['signal', 'referral', 'network', 'contact'];
const CEILING = {
  volunteer: base,
  keyperson: base,
  coa_staff: [...base, 'plan'],
  wijkteam: [...base, 'plan'],
  health_staff: [...base, 'clinical'],
  gp: [...base, 'clinical'],
  poh_ggz: [...base, 'clinical'],
  ggz: [...base, 'clinical'],
  klantmanager: ['referral', 'network', 'plan', 'contact'],
  coordinator: ['signal', 'referral', 'contact'],
  analyst: [],
  admin: [],
};
const ROLES = Object.keys(CEILING); // every professional demo account (<role>@demo.example)
// active: a grant of just that scope; active_all: a grant of all six, so that the role ceiling
// alone decides (the write asks for the cell's scope, 422 when it is outside the ceiling)
const STATES = ['none', 'active', 'active_all', 'expired', 'revoked', 'other_org', 'no_client'];
const ACTIONS = ['read', 'write', 'export', 'refer'];

// Map organisation "GGZ Specialistisch Lindedal" (demo.c demo_map_accounts): receives referrals,
// has no demo user, so a grant to it never gives any tested role access.
const RECEIVER_MAP_ORG = '2d64eee8-ee9b-5a6d-9893-79e21e1a0516';
const RECEIVER_ORG = 'GGZ Specialistisch Lindedal (fictief)';
const OTHER_ORG = 'JGZ Veerhaven (fictief)'; // "granted to another organisation": no demo user
const REQUEST_ORG = 'Gemeente Lindedal, Werk en Inkomen (fictief)'; // grantee of grant requests

/** The expected answer for one cell: status per action (from docs/API.md). */
function expected(role, scope, state) {
  const granted = state === 'active' ? [scope] : state === 'active_all' ? SCOPES : [];
  const eff = CEILING[role].filter((s) => granted.includes(s));
  const has = (s) => eff.includes(s);
  const any = eff.length > 0;
  return {
    eff,
    // GET /clients/{id}: any effective scope; plus the scope's own data where it has an endpoint
    read: any ? 200 : 404,
    readScoped: scope === 'signal' ? (has('signal') ? 200 : 404)
      : scope === 'referral' ? (has('referral') ? 200 : 404) : null,
    // signal: a screening (needs signal); others: a grant request for that scope (needs access,
    // and the scope within the requester's ceiling, else 422 /scopes)
    write: scope === 'signal' ? (has('signal') ? 201 : 404)
      : !any ? 404 : CEILING[role].includes(scope) ? 201 : 422,
    export: any ? 200 : 404,
    refer: has('referral') ? 201 : 404,
  };
}

let server;
const users = {}; // role -> {c: Client, user}
const cells = []; // one per role × scope × state
let orgIdByUid;
let orgUidByName;
let receiverService;
let answers;

before(async () => {
  server = await startServer({ demo: true });
  for (const role of ROLES) {
    const c = await demoLogin(server, role);
    const me = await c.get('/api/v1/me');
    assertStatus(me, 200);
    users[role] = { c, user: me.json.user };
  }
  const orgs = sql(server.dbPath, 'SELECT id, uid, name FROM orgs');
  orgIdByUid = Object.fromEntries(orgs.map((o) => [o.uid, o.id]));
  orgUidByName = Object.fromEntries(orgs.map((o) => [o.name, o.uid]));
  receiverService = sql(server.dbPath, `SELECT s.hsds_id FROM map_services s JOIN map_orgs o ON o.id = s.org_id
    WHERE o.hsds_id = ${q(RECEIVER_MAP_ORG)} ORDER BY s.id LIMIT 1`)[0]?.hsds_id;
  assert.ok(receiverService, 'the demo map has a service of the receiving organisation');
  answers = JSON.parse(readFileSync(join(repoRoot, 'tests/fixtures/instruments/vk-signal-adult.cases.json'), 'utf8'))[0].answers;
});
after(async () => { await server?.stop(); });

/** Registers a client (volunteer) and returns its pid; its registration grant is removed later. */
async function newClient() {
  const r = await users.volunteer.c.post('/api/v1/clients', sampleClient({ name: 'Matrix Naam', phone: '06-000' }));
  assertStatus(r, 201);
  return r.json.id;
}

/** Builds the clients: one without grants, one per scope × granted state, and grants them by SQL. */
async function buildClients() {
  const none = await newClient();
  const byKey = { none };
  for (const s of SCOPES) for (const st of ['active', 'active_all', 'expired', 'revoked', 'other_org']) byKey[`${st}/${s}`] = await newClient();
  const now = Date.now();
  const volUid = users.volunteer.user.id;
  const volOrg = orgIdByUid[users.volunteer.user.org.id];
  const roleOrgs = [...new Set(ROLES.map((r) => orgIdByUid[users[r].user.org.id]))];
  const ins = (pid, org, bits, created, expires, revoked = 'NULL') =>
    `INSERT INTO grants(uid, client_id, org_id, scopes, basis, granted_by_user, granted_by_role, granted_by_org, created_at, expires_at, revoked_at, revoked_by_user, confirmed_at)
     VALUES (${q(randomBytes(16).toString('hex'))}, (SELECT id FROM clients WHERE pid = ${q(pid)}), ${org}, ${bits}, 'verbal_consent',
     ${q(volUid)}, 'volunteer', ${volOrg}, ${created}, ${expires}, ${revoked}, ${revoked === 'NULL' ? 'NULL' : q(volUid)}, ${created});\n`;
  const pids = Object.values(byKey);
  let script = `BEGIN;\nDELETE FROM grants WHERE client_id IN (SELECT id FROM clients WHERE pid IN (${pids.map(q).join(', ')}));\n`;
  for (const s of SCOPES) {
    const b = BIT[s];
    for (const org of roleOrgs) {
      script += ins(byKey[`active/${s}`], org, b, now - DAY_MS, now + 30 * DAY_MS);
      script += ins(byKey[`active_all/${s}`], org, ALL_BITS, now - DAY_MS, now + 30 * DAY_MS);
      script += ins(byKey[`expired/${s}`], org, b, now - 31 * DAY_MS, now - 3600e3);
      script += ins(byKey[`revoked/${s}`], org, b, now - DAY_MS, now + 30 * DAY_MS, now - 60e3);
    }
    script += ins(byKey[`other_org/${s}`], orgIdByUid[orgUidByName[OTHER_ORG]], b, now - DAY_MS, now + 30 * DAY_MS);
  }
  // the receiving organisation of every referral holds signal+referral on every client but `none`
  for (const [k, pid] of Object.entries(byKey)) {
    if (k !== 'none') script += ins(pid, orgIdByUid[orgUidByName[RECEIVER_ORG]], BIT.signal | BIT.referral, now - DAY_MS, now + 30 * DAY_MS);
  }
  script += 'COMMIT;\n';
  const r = sqlExec(server.dbPath, script);
  assert.equal(r.status, 0, r.stderr);
  byKey.no_client = randomBytes(16).toString('hex');
  return byKey;
}

const pidFor = (byKey, scope, state) =>
  (state === 'none' || state === 'no_client') ? byKey[state] : byKey[`${state}/${scope}`];

/** Runs the actions of one cell; records status and request id per action. */
async function runCell(role, scope, state, pid) {
  const { c } = users[role];
  const exp = expected(role, scope, state);
  const got = {};
  const rec = (name, r) => { got[name] = { status: r.status, rid: r.headers.get('x-request-id'), json: r.json }; };
  rec('read', await c.get(`/api/v1/clients/${pid}`));
  if (exp.readScoped !== null) {
    rec('readScoped', await c.get(`/api/v1/clients/${pid}/${scope === 'signal' ? 'screenings' : 'referrals'}`));
  }
  if (scope === 'signal') {
    rec('write', await c.post(`/api/v1/clients/${pid}/screenings`,
      { instrument: 'vk-signal-adult', version: '1.0.0', language: 'nl', mode: 'client', answers }));
  } else {
    rec('write', await c.post(`/api/v1/clients/${pid}/grants`,
      { org_id: orgUidByName[REQUEST_ORG], scopes: [scope], basis: 'request', days: 30 }));
  }
  rec('export', await c.get(`/api/v1/clients/${pid}/export`));
  rec('refer', await c.post('/api/v1/referrals', { client_id: pid, service_id: receiverService, scopes: [] }));
  return { role, scope, state, pid, exp, got };
}

const ACTION_KEYS = ['read', 'readScoped', 'write', 'export', 'refer'];

/** Problems with one cell: wrong status, wrong body, missing or wrong audit rows. */
function checkCell(cell, auditByRid) {
  const out = [];
  const { exp, got } = cell;
  for (const k of ACTION_KEYS) {
    if (exp[k] === null || exp[k] === undefined) continue;
    const g = got[k];
    if (g.status !== exp[k]) { out.push(`${k}: expected ${exp[k]}, got ${g.status}`); continue; }
    const rows = auditByRid.get(g.rid) ?? [];
    const denied = rows.filter((r) => r.outcome === 'denied');
    const success = rows.filter((r) => r.outcome === 'success');
    if (g.status === 403 || g.status === 404) {
      const pidOk = denied.some((r) => r.action === 'access_denied' && r.client_pid === cell.pid);
      if (!pidOk) out.push(`${k}: refusal ${g.status} without an access_denied/denied audit row for ${cell.pid} (rows: ${JSON.stringify(rows)})`);
      if (success.length) out.push(`${k}: refusal ${g.status} but success audit rows ${JSON.stringify(success)}`);
    } else if (g.status < 300) {
      if (!success.length) out.push(`${k}: ${g.status} without a success audit row`);
      if (denied.length) out.push(`${k}: ${g.status} with a denied audit row`);
    }
  }
  // bodies: the client view shows exactly the effective scopes; name only with contact
  if (got.read.status === 200) {
    const sc = [...(got.read.json?.scopes ?? [])].sort();
    if (JSON.stringify(sc) !== JSON.stringify([...exp.eff].sort())) out.push(`read: scopes ${sc} ≠ expected ${exp.eff}`);
    const hasName = got.read.json && 'name' in got.read.json && got.read.json.name !== null;
    if (hasName !== exp.eff.includes('contact')) out.push(`read: name ${hasName ? 'shown' : 'hidden'} with scopes ${exp.eff}`);
  }
  if (got.export.status === 200) {
    const types = new Set((got.export.json?.entry ?? []).map((e) => e.resource?.resourceType));
    if (types.has('QuestionnaireResponse') && !exp.eff.includes('signal')) out.push('export: QuestionnaireResponse without signal');
    if (cell.screened && exp.eff.includes('signal') && !types.has('QuestionnaireResponse')) out.push('export: screening missing with signal');
    if ((types.has('Task') || types.has('ServiceRequest')) && !exp.eff.includes('referral')) out.push('export: Task/ServiceRequest without referral');
  }
  return out;
}

/** A compact role × (state/scope) table: one letter per action, upper case = matches. */
function summary(cellsDone, problems) {
  const cols = [];
  for (const st of STATES) for (const s of SCOPES) cols.push([st, s]);
  const lines = [`one character per scope (${SCOPES.join(', ')}) under each grant state: '.' all actions as expected, 'X' not`];
  lines.push(`${'role'.padEnd(13)} ${STATES.map((st) => st.padEnd(6 * 2 + 5)).join(' ')}`);
  for (const role of ROLES) {
    let line = role.padEnd(13) + ' ';
    for (const st of STATES) {
      let seg = '';
      for (const s of SCOPES) {
        const cell = cellsDone.find((x) => x.role === role && x.scope === s && x.state === st);
        seg += !cell ? '?' : problems.has(cell) ? 'X' : '.';
      }
      line += seg.padEnd(6 * 2 + 5) + ' ';
    }
    lines.push(line);
  }
  for (const [cell, p] of problems) lines.push(`${cell.role} ${cell.state}/${cell.scope}: ${p.join('; ')}`);
  return lines.join('\n');
}

test('authorization matrix: roles × scopes × grant states × actions, every refusal audited', async () => {
  const byKey = await buildClients();
  const screened = new Set();
  const t0 = Date.now();
  for (const role of ROLES) {
    for (const state of STATES) {
      for (const scope of SCOPES) {
        const cell = await runCell(role, scope, state, pidFor(byKey, scope, state));
        if (cell.got.write.status === 201 && scope === 'signal') screened.add(cell.pid);
        cell.screened = screened.has(cell.pid);
        cells.push(cell);
      }
    }
  }
  const auditByRid = new Map();
  for (const r of sql(server.dbPath, 'SELECT request_id, action, object_type, outcome, client_pid FROM audit WHERE request_id IS NOT NULL')) {
    if (!auditByRid.has(r.request_id)) auditByRid.set(r.request_id, []);
    auditByRid.get(r.request_id).push(r);
  }
  const problems = new Map();
  let requests = 0;
  let refusals = 0;
  for (const cell of cells) {
    requests += Object.keys(cell.got).length;
    refusals += Object.values(cell.got).filter((g) => g.status === 403 || g.status === 404).length;
    const p = checkCell(cell, auditByRid);
    if (p.length) problems.set(cell, p);
  }
  // the matrix must exercise both answers for every action, or it proves nothing
  for (const a of ACTIONS) {
    const st = new Set(cells.map((c) => c.got[a].status));
    assert.ok(st.size >= 2, `action ${a} saw only ${[...st]}`);
  }
  const tally = ACTION_KEYS.map((k) => {
    const n = {};
    for (const c of cells) if (c.got[k]) n[c.got[k].status] = (n[c.got[k].status] ?? 0) + 1;
    return `${k} ${JSON.stringify(n)}`;
  });
  console.log(`# authz matrix: ${cells.length} cells, ${requests} requests, ${refusals} refusals, ${Date.now() - t0} ms; ${tally.join(' ')}`);
  assert.equal(problems.size, 0, `\n${summary(cells, problems)}`);
});

// The client role (docs/API.md: "client — their own record"): logs in with a card, so it is not in
// the matrix above. Own record: everything but sending a referral (a professional's act: 403, after
// the access check, as for grants); another client's record or a nonexistent one: 404. Every
// refusal audited.
test('client role: own record, another client, nonexistent client', async () => {
  const vol = users.volunteer.c;
  const own = await newClient();
  const card = await vol.post(`/api/v1/clients/${own}/card`);
  assertStatus(card, 201);
  const c = new (vol.constructor)(server.url);
  const login = await c.post('/api/v1/session/card', { code: card.json.code, new_pin: '583920' });
  assertStatus(login, 200);
  c.csrf = login.json.csrf_token;
  const other = await newClient();
  const missing = randomBytes(16).toString('hex');
  const rows = [];
  for (const [what, pid] of [['own', own], ['other_client', other], ['no_client', missing]]) {
    const mine = what === 'own';
    const reqs = [
      ['read', 200, await c.get(`/api/v1/clients/${pid}`)],
      ['readScoped', 200, await c.get(`/api/v1/clients/${pid}/screenings`)],
      ['write', 201, await c.post(`/api/v1/clients/${pid}/grants`,
        { org_id: orgUidByName[REQUEST_ORG], scopes: ['signal'], basis: 'client_consent', days: 30 })],
      ['export', 200, await c.get(`/api/v1/clients/${pid}/export`)],
    ];
    for (const [action, okStatus, r] of reqs) rows.push({ what, pid, action, exp: mine ? okStatus : 404, r });
    rows.push({ what, pid, action: 'refer', exp: mine ? 403 : 404,
      r: await c.post('/api/v1/referrals', { client_id: pid, service_id: receiverService, scopes: [] }) });
  }
  const audit = sql(server.dbPath, `SELECT request_id, action, outcome, client_pid FROM audit WHERE request_id IN (${rows.map((x) => q(x.r.headers.get('x-request-id'))).join(', ')})`);
  const problems = [];
  for (const x of rows) {
    const rid = x.r.headers.get('x-request-id');
    const mineRows = audit.filter((a) => a.request_id === rid);
    if (x.r.status !== x.exp) problems.push(`${x.what} ${x.action}: expected ${x.exp}, got ${x.r.status}`);
    else if (x.r.status >= 400 && !mineRows.some((a) => a.outcome === 'denied' && a.client_pid === x.pid)) {
      problems.push(`${x.what} ${x.action}: refusal ${x.r.status} not audited as denied (rows: ${JSON.stringify(mineRows)})`);
    } else if (x.r.status < 300 && !mineRows.some((a) => a.outcome === 'success')) {
      problems.push(`${x.what} ${x.action}: ${x.r.status} without a success audit row`);
    }
  }
  assert.deepEqual(problems, []);
});

// A client account that HOLDS children's dossiers (docs/API.md "Dossiers a client account holds"):
// a parent with its own dossier holds two children's; another family's child and a nonexistent
// pid complete the targets. For each dossier the session is switched to (its own, the first
// child), every action on every target is compared with the table below, written out by hand:
// only the active dossier opens — a held child that is not active and the parent's own dossier
// while a child is active are 404 like a stranger's —, and a client never refers (403, after the
// access check). Every refusal is audited as denied for that target, every success as a success,
// and while the child is active every row of the request carries on_behalf_of = the child.
const HOLDER_TARGETS = ['own', 'child', 'second_child', 'other_child', 'no_client'];
const HOLDER_ACTIONS = ['read', 'readScoped', 'write', 'export', 'refer'];
const OPEN = [200, 200, 201, 200, 403]; // the active dossier, in HOLDER_ACTIONS order
const SHUT = [404, 404, 404, 404, 404];
const HOLDER_EXPECTED = {
  // active dossier → target → statuses in HOLDER_ACTIONS order
  own: { own: OPEN, child: SHUT, second_child: SHUT, other_child: SHUT, no_client: SHUT },
  child: { own: SHUT, child: OPEN, second_child: SHUT, other_child: SHUT, no_client: SHUT },
};

test('a parent holding children\'s dossiers: only the active dossier opens, every refusal audited', async () => {
  const vol = users.volunteer.c;
  const kid = async () => {
    const r = await vol.post('/api/v1/clients', sampleClient({ year_of_birth: 2015, risk_flags: [] }));
    assertStatus(r, 201);
    return r.json.id;
  };
  const pids = { own: await newClient(), child: await kid(), second_child: await kid(), other_child: await kid(),
    no_client: randomBytes(16).toString('hex') };
  const card = await vol.post(`/api/v1/clients/${pids.own}/card`);
  assertStatus(card, 201);
  for (const k of ['child', 'second_child']) {
    assertStatus(await vol.post(`/api/v1/clients/${pids[k]}/holders`, { holder_client: pids.own, relation: 'parent' }), 201);
  }
  const c = new (vol.constructor)(server.url);
  const login = await c.post('/api/v1/session/card', { code: card.json.code, new_pin: '583920' });
  assertStatus(login, 200);
  c.csrf = login.json.csrf_token;
  assert.deepEqual(login.json.dossiers.map((d) => [d.id, d.relation]).sort(),
    [[pids.own, 'self'], [pids.child, 'parent'], [pids.second_child, 'parent']].sort());
  const pidKey = Object.fromEntries(Object.entries(pids).map(([k, v]) => [v, k]));
  // switching to a dossier the account does not hold is itself refused and audited
  const strange = await c.post('/api/v1/session/dossier', { pid: pids.other_child });
  assert.equal(strange.status, 404, strange.text);

  const rows = [];
  for (const active of Object.keys(HOLDER_EXPECTED)) {
    const sw = await c.post('/api/v1/session/dossier', { pid: pids[active] });
    assertStatus(sw, 200);
    assert.equal(sw.json.active_dossier, pids[active]);
    for (const target of HOLDER_TARGETS) {
      const pid = pids[target];
      const got = [
        await c.get(`/api/v1/clients/${pid}`),
        await c.get(`/api/v1/clients/${pid}/screenings`),
        await c.post(`/api/v1/clients/${pid}/grants`,
          { org_id: orgUidByName[REQUEST_ORG], scopes: ['signal'], basis: 'client_consent', days: 30 }),
        await c.get(`/api/v1/clients/${pid}/export`),
        await c.post('/api/v1/referrals', { client_id: pid, service_id: receiverService, scopes: [] }),
      ];
      HOLDER_ACTIONS.forEach((action, i) => rows.push({ active, target, pid, action, exp: HOLDER_EXPECTED[active][target][i], r: got[i] }));
    }
  }
  const rids = [strange, ...rows.map((x) => x.r)].map((r) => q(r.headers.get('x-request-id')));
  const audit = sql(server.dbPath, `SELECT request_id, action, object_type, outcome, client_pid, on_behalf_of FROM audit WHERE request_id IN (${rids.join(', ')})`);
  const auditOf = (r) => audit.filter((a) => a.request_id === r.headers.get('x-request-id'));
  const problems = [];
  if (!auditOf(strange).some((a) => a.action === 'access_denied' && a.object_type === 'dossier' && a.client_pid === pids.other_child)) {
    problems.push(`switch to a dossier not held: not audited (${JSON.stringify(auditOf(strange))})`);
  }
  for (const x of rows) {
    const mine = auditOf(x.r);
    const where = `active ${x.active} → ${x.target} ${x.action}`;
    if (x.r.status !== x.exp) { problems.push(`${where}: expected ${x.exp}, got ${x.r.status}`); continue; }
    if (x.r.status >= 400) {
      if (!mine.some((a) => a.action === 'access_denied' && a.outcome === 'denied' && a.client_pid === x.pid)) {
        problems.push(`${where}: refusal ${x.r.status} not audited as denied for the target (rows: ${JSON.stringify(mine)})`);
      }
      if (mine.some((a) => a.outcome === 'success')) problems.push(`${where}: refusal with a success row`);
    } else if (!mine.some((a) => a.outcome === 'success' && a.client_pid === x.pid)) {
      problems.push(`${where}: ${x.r.status} without a success audit row for the target`);
    }
    if (x.active === 'child' && mine.some((a) => a.on_behalf_of !== pids.child)) {
      problems.push(`${where}: a row without on_behalf_of = the child (${JSON.stringify(mine)})`);
    }
    // what opened is the target itself, never the dossier the session came from
    if (x.r.status === 200 && x.action === 'read' && pidKey[x.r.json?.id] !== x.target) problems.push(`${where}: read ${x.r.json?.id}`);
    if (x.r.status === 200 && x.action === 'export') {
      const patient = x.r.json?.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource;
      if (patient?.id !== x.pid) problems.push(`${where}: export of ${patient?.id}`);
    }
  }
  const table = Object.entries(HOLDER_EXPECTED).flatMap(([active, byTarget]) => HOLDER_TARGETS.map((target) =>
    `${active.padEnd(6)} ${target.padEnd(13)} ${HOLDER_ACTIONS.map((a, i) => {
      const x = rows.find((y) => y.active === active && y.target === target && y.action === a);
      return `${a}=${x.r.status}${x.r.status === byTarget[target][i] ? '' : `(≠${byTarget[target][i]})`}`;
    }).join(' ')}`));
  console.log(`# holder matrix: ${rows.length} requests, ${rows.filter((x) => x.r.status >= 400).length} refusals`);
  assert.deepEqual(problems, [], `\n${table.join('\n')}`);
});
