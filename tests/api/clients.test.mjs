// SPDX-License-Identifier: EUPL-1.2
// Registering and reading clients: the default grant, audit of every read, uniform 404s, input
// validation with JSON pointers, body limits, media types, role checks and contact visibility.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, demoLogin, sampleClient } from '../lib/server.mjs';
import { assertProblem, assertStatus, bodyWithoutIds, sql, q, count, show, sorted, randomId, DAY_MS } from './_util.mjs';

const VOLUNTEER_SCOPES = ['contact', 'network', 'referral', 'signal'];
const NAME = 'Amina Testnaam-Qorvali';
const PHONE = '+31 6 1234 5678';

describe('clients', () => {
  let server;
  let vol;
  let gp;
  let volMe;
  let id; // registered by the volunteer, with name and phone
  let created; // its 201 body

  const caseload = async (c = vol) => {
    const r = await c.get('/api/v1/clients');
    assertStatus(r, 200);
    return r.json.items;
  };
  const clientRows = () => count(server.dbPath, '1', 'clients');
  const maxAuditId = () => sql(server.dbPath, 'SELECT coalesce(max(id), 0) AS m FROM audit')[0].m;

  before(async () => {
    server = await startServer({ demo: true });
    vol = await demoLogin(server, 'volunteer');
    gp = await demoLogin(server, 'gp');
    volMe = (await vol.get('/api/v1/me')).json.user;
  });
  after(async () => { await server?.stop(); });

  it('registers a client: 201, Location, random id, echoed fields, scopes', async () => {
    const body = sampleClient({ name: NAME, phone: PHONE });
    const t0 = Date.now();
    const r = await vol.post('/api/v1/clients', body);
    assertStatus(r, 201);
    created = r.json;
    id = r.json.id;
    assert.match(id, /^[A-Za-z0-9_-]{22,}$/, `id is ≥ 22 url-safe characters: ${id}`);
    assert.ok(!/^\d+$/.test(id), 'id is not a counter');
    const loc = r.headers.get('location');
    assert.ok(loc, 'Location header');
    assert.equal(new URL(loc, server.url).pathname, `/api/v1/clients/${id}`);
    for (const k of ['year_of_birth', 'gender', 'country_of_origin', 'language', 'phase', 'location']) {
      assert.equal(r.json[k], body[k], `field ${k}`);
    }
    assert.deepEqual(r.json.risk_flags, ['single_parent']);
    assert.equal(r.json.name, NAME);
    assert.equal(r.json.phone, PHONE);
    const at = Date.parse(r.json.created_at);
    assert.ok(Math.abs(at - t0) < 60_000, `created_at is now: ${r.json.created_at}`);
    assert.deepEqual(sorted(r.json.scopes), VOLUNTEER_SCOPES);

    const r2 = await vol.post('/api/v1/clients', sampleClient());
    assertStatus(r2, 201);
    const other = r2.json.id;
    assert.notEqual(other, id);
    let same = 0;
    for (let i = 0; i < Math.min(id.length, other.length); i++) if (id[i] === other[i]) same++;
    assert.ok(same < id.length / 2, `ids look random, not sequential: ${id} ${other}`);
  });

  it('the registering org gets a 30-day registered_in_person grant with its ceiling minus clinical', async () => {
    const r = await vol.get(`/api/v1/clients/${id}/grants`);
    assertStatus(r, 200);
    assert.equal(r.json.items.length, 1, show(r));
    const g = r.json.items[0];
    assert.equal(g.org.id, volMe.org.id);
    assert.equal(g.org.name, volMe.org.name);
    assert.deepEqual(sorted(g.scopes), VOLUNTEER_SCOPES);
    assert.ok(!g.scopes.includes('clinical'));
    assert.equal(g.basis, 'registered_in_person');
    assert.equal(g.active, true);
    assert.equal(g.revoked_at, null);
    assert.equal(g.granted_by.role, 'volunteer');
    assert.equal(typeof g.id, 'string');
    const span = Date.parse(g.expires_at) - Date.parse(g.created_at);
    assert.ok(Math.abs(span - 30 * DAY_MS) < 3600e3, `expiry 30 days after creation: ${g.created_at} → ${g.expires_at}`);
    assert.ok(Math.abs(Date.parse(g.expires_at) - Date.now() - 30 * DAY_MS) < 3600e3, 'expiry ≈ now + 30 days');
  });

  it('a GP registering gets signal/referral/network/contact but not clinical; coa_staff gets plan', async () => {
    const r = await gp.post('/api/v1/clients', sampleClient({ phase: 'municipality', location: 'Veerhaven-Noord' }));
    assertStatus(r, 201);
    assert.deepEqual(sorted(r.json.scopes), VOLUNTEER_SCOPES, 'clinical is never granted by registering');
    const g = await gp.get(`/api/v1/clients/${r.json.id}/grants`);
    assertStatus(g, 200);
    assert.equal(g.json.items.length, 1);
    assert.deepEqual(sorted(g.json.items[0].scopes), VOLUNTEER_SCOPES);
    assert.equal(g.json.items[0].granted_by.role, 'gp');

    const coa = await demoLogin(server, 'coa_staff');
    const c = await coa.post('/api/v1/clients', sampleClient());
    assertStatus(c, 201);
    assert.deepEqual(sorted(c.json.scopes), ['contact', 'network', 'plan', 'referral', 'signal']);
  });

  it('GET by id is 200 and writes exactly one read audit row, tied to the X-Request-Id', async () => {
    const create = sql(server.dbPath, `SELECT * FROM audit WHERE client_pid = ${q(id)} AND action = 'create'`);
    assert.equal(create.length, 1, 'registration was audited as create');
    const m = maxAuditId();
    const r = await vol.get(`/api/v1/clients/${id}`);
    assertStatus(r, 200);
    for (const k of ['id', 'year_of_birth', 'gender', 'country_of_origin', 'language', 'phase', 'location',
      'risk_flags', 'created_at', 'name', 'phone']) {
      assert.deepEqual(r.json[k], created[k], `field ${k} as registered`);
    }
    assert.deepEqual(sorted(r.json.scopes), VOLUNTEER_SCOPES);
    const rows = sql(server.dbPath, `SELECT * FROM audit WHERE id > ${m}`);
    assert.equal(rows.length, 1, `exactly one audit row for one GET: ${JSON.stringify(rows)}`);
    const a = rows[0];
    assert.equal(a.action, 'read');
    assert.equal(a.client_pid, id);
    assert.equal(a.object_type, 'client');
    assert.equal(a.outcome, 'success');
    assert.equal(a.role, 'volunteer');
    assert.ok(a.user_id !== null && a.user_id !== '', 'user_id');
    assert.ok(a.org_id !== null && a.org_id !== '', 'org_id');
    assert.ok(a.source_addr && String(a.source_addr).includes('127.0.0.1'), `source_addr ${a.source_addr}`);
    assert.ok(a.request_id, 'request_id');
    assert.equal(a.request_id, r.headers.get('x-request-id'), 'audit request_id = X-Request-Id');
    assert.ok(a.at, 'at');

    const again = await vol.get(`/api/v1/clients/${id}`);
    assertStatus(again, 200);
    assert.notEqual(again.headers.get('x-request-id'), r.headers.get('x-request-id'), 'request ids differ');
    assert.equal(count(server.dbPath, `client_pid = ${q(id)} AND action = 'read' AND object_type = 'client'`), 2,
      'every call writes a row');
  });

  it('the caseload lists the client with only the summary fields', async () => {
    const m = maxAuditId();
    const items = await caseload();
    const it0 = items.find((x) => x.id === id);
    assert.ok(it0, 'registered client is in the caseload');
    assert.deepEqual(Object.keys(it0).sort(), ['id', 'language', 'location', 'phase', 'year_of_birth']);
    assert.ok(!JSON.stringify(items).includes(NAME), 'no names in the caseload');
    assert.ok(count(server.dbPath, `id > ${m} AND action = 'list'`) >= 1, 'listing is audited');
  });

  let unknown404;
  it('an unknown id is 404 not-found', async () => {
    const fake = randomId(id.length);
    const r = await vol.get(`/api/v1/clients/${fake}`);
    assertProblem(r, 404, 'not-found');
    unknown404 = { r, fake };
  });

  it("another org's client is 404 exactly like an unknown id, and access_denied is audited", async () => {
    const m = maxAuditId();
    const r = await gp.get(`/api/v1/clients/${id}`);
    assertProblem(r, 404, 'not-found');
    assert.ok(!r.text.includes(NAME) && !r.text.includes('AZC'), 'nothing about the client leaks');
    assert.equal(bodyWithoutIds(r, [id]), bodyWithoutIds(unknown404.r, [unknown404.fake]),
      'same body as for an unknown id (but for the request id)');
    assert.equal(r.headers.get('content-type'), unknown404.r.headers.get('content-type'));
    const rows = sql(server.dbPath, `SELECT * FROM audit WHERE id > ${m} AND action = 'access_denied'`);
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.equal(rows[0].client_pid, id);
    assert.equal(rows[0].role, 'gp');
    assert.equal(rows[0].request_id, r.headers.get('x-request-id'));
    assert.ok(!(await caseload(gp)).some((x) => x.id === id), 'not in the GP caseload');
    assertProblem(await gp.get(`/api/v1/clients/${id}/grants`), 404, 'not-found');
    assertProblem(await gp.get(`/api/v1/clients/${id}/access-log`), 404, 'not-found');
  });

  it('invalid fields are 422 with a JSON pointer each, and nothing is stored', async (t) => {
    const beforeCount = (await caseload()).length;
    const rows = clientRows();
    const { phase, ...noPhase } = sampleClient();
    void phase;
    const year = new Date().getUTCFullYear();
    const cases = [
      ['year_of_birth 1800', sampleClient({ year_of_birth: 1800 }), '/year_of_birth'],
      ['year_of_birth next year', sampleClient({ year_of_birth: year + 1 }), '/year_of_birth'],
      ['year_of_birth as string', sampleClient({ year_of_birth: '1994' }), '/year_of_birth'],
      ['country "Syria"', sampleClient({ country_of_origin: 'Syria' }), '/country_of_origin'],
      ['country lower case', sampleClient({ country_of_origin: 'sy' }), '/country_of_origin'],
      ['phase "x"', sampleClient({ phase: 'x' }), '/phase'],
      ['phase missing', noPhase, '/phase'],
      ['gender "x"', sampleClient({ gender: 'x' }), '/gender'],
      ['language empty', sampleClient({ language: '' }), '/language'],
      ['location empty', sampleClient({ location: '' }), '/location'],
      ['location 121 chars', sampleClient({ location: 'L'.repeat(121) }), '/location'],
      ['name 201 chars', sampleClient({ name: 'N'.repeat(201) }), '/name'],
      ['phone 41 chars', sampleClient({ phone: '1'.repeat(41) }), '/phone'],
      ['unknown field', sampleClient({ foo: 1 }), '/foo'],
      ['risk_flags nonsense', sampleClient({ risk_flags: ['nonsense'] }), /^\/risk_flags(\/0)?$/],
      ['risk_flags not an array', sampleClient({ risk_flags: 'single_parent' }), '/risk_flags'],
    ];
    for (const [name, body, pointer] of cases) {
      await t.test(name, async () => {
        const r = await vol.post('/api/v1/clients', body);
        assertProblem(r, 422, 'invalid-input');
        assert.ok(Array.isArray(r.json.errors) && r.json.errors.length >= 1, `errors[]: ${show(r)}`);
        const hit = r.json.errors.find((e) => (pointer instanceof RegExp ? pointer.test(e.pointer) : e.pointer === pointer));
        assert.ok(hit, `an error with pointer ${pointer}: ${show(r)}`);
        assert.equal(typeof hit.detail, 'string');
      });
    }
    await t.test('two bad fields give two errors', async () => {
      const r = await vol.post('/api/v1/clients', sampleClient({ year_of_birth: 1800, phase: 'x' }));
      assertProblem(r, 422, 'invalid-input');
      const ps = r.json.errors.map((e) => e.pointer);
      assert.ok(ps.includes('/year_of_birth') && ps.includes('/phase'), `both pointers: ${show(r)}`);
    });
    assert.equal((await caseload()).length, beforeCount, 'caseload unchanged');
    assert.equal(clientRows(), rows, 'no rows in clients');
  });

  it('malformed, too deep or too long JSON is 400 malformed-json with a pointer', async (t) => {
    const rows = clientRows();
    const post = (raw) => vol.req('POST', '/api/v1/clients', { raw, headers: { 'content-type': 'application/json' } });
    await t.test('truncated JSON', async () => {
      const r = await post('{"year_of_birth": ');
      assertProblem(r, 400, 'malformed-json');
      assert.equal(r.json.errors?.[0]?.pointer, '', `errors[0].pointer is the whole document: ${show(r)}`);
      assert.match(r.json.errors[0].detail ?? '', /line/i, 'detail gives the line');
      assert.match(r.json.errors[0].detail ?? '', /col/i, 'detail gives the column');
    });
    await t.test('not JSON at all', async () => {
      assertProblem(await post('hello'), 400, 'malformed-json');
    });
    await t.test('nesting depth 100', async () => {
      const r = await post(`{"risk_flags":${'['.repeat(99)}${']'.repeat(99)}}`);
      assertProblem(r, 400, 'malformed-json');
    });
    await t.test('nesting depth 33 is too deep, 32 is parsed', async () => {
      assertProblem(await post(`{"risk_flags":${'['.repeat(32)}${']'.repeat(32)}}`), 400, 'malformed-json');
      // 32 levels is well-formed and reaches validation (the nested arrays are not valid flags)
      assertProblem(await post(`{"risk_flags":${'['.repeat(31)}${']'.repeat(31)}}`), 422, 'invalid-input');
    });
    await t.test('a string over 4096 bytes', async () => {
      const r = await vol.post('/api/v1/clients', sampleClient({ name: 'x'.repeat(5000) }));
      assertProblem(r, 400, 'malformed-json');
      assert.equal(r.json.errors?.[0]?.pointer, '/name', `pointer locates the string: ${show(r)}`);
    });
    await t.test('an array over 256 items', async () => {
      const r = await vol.post('/api/v1/clients', sampleClient({ risk_flags: Array(300).fill('ex_amv') }));
      assert.ok([400, 422].includes(r.status), show(r));
    });
    assert.equal(clientRows(), rows, 'nothing stored');
  });

  it('a body that is not application/json is 415', async () => {
    const rows = clientRows();
    const json = JSON.stringify(sampleClient());
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await vol.req('POST', '/api/v1/clients', { raw: json, headers: { 'content-type': ct } });
      assertProblem(r, 415, 'unsupported-media-type');
    }
    const none = await vol.req('POST', '/api/v1/clients', { raw: Buffer.from(json) }); // no Content-Type at all
    assertProblem(none, 415, 'unsupported-media-type');
    assert.equal(clientRows(), rows);
    const ok = await vol.req('POST', '/api/v1/clients', {
      raw: json, headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    assertStatus(ok, 201);
  });

  it('analyst and admin may not register (403 forbidden) and see no client', async () => {
    const rows = clientRows();
    for (const role of ['analyst', 'admin']) {
      const c = await demoLogin(server, role);
      const r = await c.post('/api/v1/clients', sampleClient());
      assertProblem(r, 403, 'forbidden');
      const g = await c.get(`/api/v1/clients/${id}`);
      assert.ok([403, 404].includes(g.status), `${role} reading a client: ${show(g)}`);
      assert.ok(!g.text.includes(NAME));
    }
    assert.equal(clientRows(), rows);
  });

  it('name and phone are only shown with the contact scope', async () => {
    const gpOrg = (await gp.get('/api/v1/me')).json.user.org.id;
    const signalOnly = await vol.post(`/api/v1/clients/${id}/grants`,
      { org_id: gpOrg, scopes: ['signal'], basis: 'verbal_consent', days: 30 });
    assertStatus(signalOnly, 201);
    const r = await gp.get(`/api/v1/clients/${id}`);
    assertStatus(r, 200);
    assert.deepEqual(r.json.scopes, ['signal']);
    assert.ok(!r.text.includes(NAME), 'no name without contact');
    assert.ok(!r.text.includes(PHONE), 'no phone without contact');
    assert.ok(r.json.name === undefined && r.json.phone === undefined, `name/phone keys absent: ${r.text}`);

    const c2 = await vol.post('/api/v1/clients', sampleClient({ name: 'Tesfay Voorbeeld', phone: '+31 20 555 0101' }));
    assertStatus(c2, 201);
    assertStatus(await vol.post(`/api/v1/clients/${c2.json.id}/grants`,
      { org_id: gpOrg, scopes: ['signal', 'contact'], basis: 'verbal_consent', days: 30 }), 201);
    const r2 = await gp.get(`/api/v1/clients/${c2.json.id}`);
    assertStatus(r2, 200);
    assert.deepEqual(sorted(r2.json.scopes), ['contact', 'signal']);
    assert.equal(r2.json.name, 'Tesfay Voorbeeld');
    assert.equal(r2.json.phone, '+31 20 555 0101');
  });
});

describe('request body cap (--max-body 1024)', () => {
  let server;
  let vol;
  before(async () => {
    server = await startServer({ demo: true, args: ['--max-body', '1024'] });
    vol = await demoLogin(server, 'volunteer');
  });
  after(async () => { await server?.stop(); });

  it('a 2 KB body is 413 too-large and stores nothing; a small one still works', async () => {
    const body = sampleClient({ name: 'x'.repeat(1900) });
    assert.ok(JSON.stringify(body).length > 2000);
    const rows = count(server.dbPath, '1', 'clients');
    const r = await vol.post('/api/v1/clients', body);
    assertProblem(r, 413, 'too-large');
    assert.equal(count(server.dbPath, '1', 'clients'), rows);
    assertStatus(await vol.post('/api/v1/clients', sampleClient()), 201);
  });
});
