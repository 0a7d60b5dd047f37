// SPDX-License-Identifier: EUPL-1.2
// `veerkracht map import|export|area` against real SQLite files: the demo map as JSON and as a CSV
// datapackage, a byte-exact round trip through both forms, located errors for bad JSON and bad
// CSV with the database left exactly as it was, re-imports that update instead of duplicating,
// and a partial import that renames an organisation or a location: the search (over HTTP) then
// finds every stored service of it by the new name, and none by the old one.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, rmSync, cpSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, repoRoot, tempDir, startServer, binaryPath } from '../lib/server.mjs';
import { sql } from './_util.mjs';

const demoFile = join(repoRoot, 'data', 'social-map', 'demo-veerhaven.json');
const out = (r) => `exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

/** Object keys sorted, arrays of objects sorted by id: the canonical order docs/social-map.md §4 names. */
function normalise(v) {
  if (Array.isArray(v)) {
    const items = v.map(normalise);
    if (items.every((x) => x && typeof x === 'object' && !Array.isArray(x) && typeof x.id === 'string')) {
      items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    return items;
  }
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, normalise(v[k])]));
  }
  return v;
}

const MAP_TABLES = ['map_orgs', 'map_locations', 'map_services', 'map_service_codes', 'map_service_locations',
  'map_terms', 'map_taxonomies', 'map_areas', 'map_revisions', 'map_fts', 'audit'];

/** Row counts of every map table and a hash of every stored document: "the database as it is". */
function snapshot(db) {
  const counts = Object.fromEntries(MAP_TABLES.map((t) => [t, sql(db, `SELECT count(*) AS n FROM ${t}`)[0].n]));
  const h = createHash('sha256');
  for (const t of ['map_services', 'map_orgs', 'map_locations']) {
    for (const r of sqlBig(db, `SELECT hsds_id, doc FROM ${t} ORDER BY hsds_id`)) h.update(`${r.hsds_id}\0${r.doc}\0`);
  }
  return { counts, docs: h.digest('hex') };
}

/** RFC 4180 records (arrays of cells) of a CSV text. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; } else cell += ch;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** The CSV text of records, and the physical line each record starts on. */
function writeCsv(rows) {
  const lines = [];
  let line = 1;
  const out = rows.map((r) => {
    lines.push(line);
    const text = r.map((c) => (/[",\n\r]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',');
    line += (text.match(/\n/g) ?? []).length + 1;
    return text;
  });
  return { text: `${out.join('\n')}\n`, lines };
}

/** Runs one query with a buffer big enough for whole documents (the shared helper caps at 1 MiB). */
function sqlBig(db, query) {
  const r = spawnSync('sqlite3', ['-readonly', '-json', '-cmd', '.timeout 5000', db, query],
    { encoding: 'utf8', timeout: 30000, maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`sqlite3 exited ${r.status}: ${r.stderr}\nquery: ${query}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

const summary = /^map import: (\d+) services \((\d+) new, (\d+) updated, (\d+) unchanged\), (\d+) organisations, (\d+) locations$/m;

describe('map import and export (CLI)', () => {
  let dir;
  let original;
  const orgIds = new Set();
  const locIds = new Set();
  const db1 = () => join(dir, 'one.db');

  before(() => {
    dir = tempDir();
    original = JSON.parse(readFileSync(demoFile, 'utf8'));
    for (const s of original) {
      orgIds.add(s.organization.id);
      for (const sal of s.service_at_locations ?? []) locIds.add(sal.location_id);
    }
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('map --help and each subcommand --help print usage', () => {
    for (const args of [['map'], ['map', 'import'], ['map', 'export'], ['map', 'area']]) {
      const r = runCli([...args, '--help']);
      assert.equal(r.status, 0, out(r));
      assert.match(r.stdout, /usage: veerkracht map import/, out(r));
    }
    assert.match(runCli(['--help']).stdout, /\bmap\b/);
    const bad = runCli(['map', 'frobnicate']);
    assert.equal(bad.status, 2, out(bad));
    const noDb = runCli(['map', 'import', demoFile]);
    assert.equal(noDb.status, 2, out(noDb));
  });

  it('exporting an empty map gives []', () => {
    const db = join(dir, 'empty.db');
    const file = join(dir, 'empty.json');
    const r = runCli(['map', 'export', '--db', db, '--format', 'hsds-json', file]);
    assert.equal(r.status, 0, out(r));
    assert.equal(readFileSync(file, 'utf8').trim(), '[]');
    assert.match(r.stdout, /map export: 0 services/);
  });

  it('shows progress on a terminal', () => {
    // script(1) gives the command a pseudo-terminal, as an operator's shell would
    const db = join(dir, 'tty.db');
    const cmd = [binaryPath(), 'map', 'import', '--db', db, demoFile].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', timeout: 120000 });
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, new RegExp(`\rimport: ${original.length}/${original.length} services \\(100%\\)`), r.stdout);
    assert.match(r.stdout, summary);
  });

  it('imports the demo map from JSON in one go, with a summary and one audit row', () => {
    const r = runCli(['map', 'import', '--db', db1(), '--region', 'Regio Veerhaven', demoFile]);
    assert.equal(r.status, 0, out(r));
    const m = r.stdout.match(summary);
    assert.ok(m, `summary line: ${out(r)}`);
    assert.deepEqual(m.slice(1).map(Number), [original.length, original.length, 0, 0, orgIds.size, locIds.size]);
    assert.doesNotMatch(r.stderr, /\r/, 'no progress line when stderr is not a terminal');
    assert.equal(sql(db1(), 'SELECT count(*) AS n FROM map_services')[0].n, original.length);
    assert.equal(sql(db1(), 'SELECT count(*) AS n FROM map_orgs')[0].n, orgIds.size);
    assert.equal(sql(db1(), 'SELECT count(*) AS n FROM map_locations')[0].n, locIds.size);
    assert.equal(sql(db1(), 'SELECT count(*) AS n FROM map_fts')[0].n, original.length);
    assert.equal(sql(db1(), "SELECT count(*) AS n FROM map_services WHERE region = 'Regio Veerhaven'")[0].n,
      original.length);
    const audit = sql(db1(), "SELECT action, object_type, object_id, outcome FROM audit WHERE object_type = 'map'");
    assert.deepEqual(audit, [{ action: 'import', object_type: 'map', object_id: String(original.length), outcome: 'success' }]);
    const revs = sql(db1(), "SELECT count(*) AS n FROM map_revisions WHERE source = 'import' AND by_user = 'import' AND prev_doc IS NULL")[0].n;
    assert.equal(revs, original.length, 'one revision per created service');
    // stored service documents carry no nested organisation or location
    for (const { doc } of sqlBig(db1(), 'SELECT doc FROM map_services')) {
      const s = JSON.parse(doc);
      assert.equal(s.organization, undefined);
      for (const sal of s.service_at_locations ?? []) {
        assert.equal(sal.location, undefined);
        assert.equal(typeof sal.location_id, 'string');
      }
    }
    // the areas the services name, with the kind their uri implies
    const areas = Object.fromEntries(sql(db1(), 'SELECT uri, kind FROM map_areas').map((a) => [a.uri, a.kind]));
    assert.equal(areas['urn:veerkracht:demo:gemeente:veerhaven'], 'municipality');
    assert.equal(areas['urn:veerkracht:demo:coa-locatie:azc-veerhaven'], 'coa_location');
    assert.equal(areas['urn:veerkracht:area:nl'], 'national');
    const v = runCli(['audit', 'verify', '--db', db1()]);
    assert.equal(v.status, 0, out(v));
  });

  it('JSON export equals the original after normalising; CSV round trip is byte-identical', () => {
    const e1 = join(dir, 'export1.json');
    const csv = join(dir, 'csv1');
    const db2 = join(dir, 'two.db');
    const e2 = join(dir, 'export2.json');

    let r = runCli(['map', 'export', '--db', db1(), '--format', 'hsds-json', e1]);
    assert.equal(r.status, 0, out(r));
    const exported = JSON.parse(readFileSync(e1, 'utf8'));
    assert.equal(exported.length, original.length);
    assert.deepEqual(normalise(exported), normalise(original));
    assert.deepEqual(exported.map((s) => s.id), [...exported.map((s) => s.id)].sort(), 'services sorted by id');

    r = runCli(['map', 'export', '--db', db1(), '--format', 'hsds-csv', csv]);
    assert.equal(r.status, 0, out(r));
    const files = readdirSync(csv);
    for (const f of ['datapackage.json', 'services.csv', 'organizations.csv', 'locations.csv', 'attributes.csv']) {
      assert.ok(files.includes(f), `${f} in ${files.join(', ')}`);
    }

    r = runCli(['map', 'import', '--db', db2, csv]);
    assert.equal(r.status, 0, out(r));
    assert.deepEqual(r.stdout.match(summary)?.slice(1, 5).map(Number), [original.length, original.length, 0, 0], out(r));
    r = runCli(['map', 'export', '--db', db2, '--format', 'hsds-json', e2]);
    assert.equal(r.status, 0, out(r));
    assert.ok(readFileSync(e1).equals(readFileSync(e2)), 'JSON -> DB -> CSV -> DB -> JSON is byte-identical');

    // the datapackage.json path names the same package
    const db3 = join(dir, 'three.db');
    r = runCli(['map', 'import', '--db', db3, join(csv, 'datapackage.json')]);
    assert.equal(r.status, 0, out(r));
  });

  it('bad JSON: every problem located by pointer, exit 1, nothing written', () => {
    const before = snapshot(db1());
    const bad = structuredClone(original);
    bad[3].minimum_age = 'x';
    bad[7].no_such_member = 1;
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify(bad));
    const r = runCli(['map', 'import', '--db', db1(), path]);
    assert.equal(r.status, 1, out(r));
    assert.ok(r.stderr.includes(`${path}: /3/minimum_age: `), out(r));
    assert.ok(r.stderr.includes(`${path}: /7/no_such_member: `), out(r));
    assert.doesNotMatch(r.stdout, summary);
    assert.deepEqual(snapshot(db1()), before);

    writeFileSync(path, '[{"id": ');
    const syntax = runCli(['map', 'import', '--db', db1(), path]);
    assert.equal(syntax.status, 1, out(syntax));
    assert.match(syntax.stderr, /line 1 column \d+/);
    writeFileSync(path, '{"id": "x"}');
    const notArray = runCli(['map', 'import', '--db', db1(), path]);
    assert.equal(notArray.status, 1, out(notArray));
    assert.deepEqual(snapshot(db1()), before);
  });

  it('bad CSV: file:line:field errors, exit 1, nothing written', () => {
    const csv = join(dir, 'csv1');
    const bad = join(dir, 'csvbad');
    cpSync(csv, bad, { recursive: true });
    // one bad cell: minimum_age of the third service record, the file re-written as valid CSV
    const services = parseCsv(readFileSync(join(bad, 'services.csv'), 'utf8'));
    const col = services[0].indexOf('minimum_age');
    assert.ok(col >= 0, 'services.csv has minimum_age');
    services[3][col] = 'abc';
    const written = writeCsv(services);
    writeFileSync(join(bad, 'services.csv'), written.text);
    const lineNo = written.lines[3];
    // one broken quote: a bare quote inside an unquoted name in organizations.csv
    const orgs = readFileSync(join(bad, 'organizations.csv'), 'utf8').split('\n');
    const plain = orgs.findIndex((l, i) => i > 0 && l && !l.includes('"')
      && orgs.slice(0, i).join('\n').split('"').length % 2 === 1);
    assert.ok(plain > 0, 'an organizations.csv record without quotes');
    const cells = orgs[plain].split(',');
    const nameCol = orgs[0].split(',').indexOf('name');
    cells[nameCol] = `${cells[nameCol].slice(0, 3)}"${cells[nameCol].slice(3)}`;
    orgs[plain] = cells.join(',');
    writeFileSync(join(bad, 'organizations.csv'), orgs.join('\n'));

    const before = snapshot(db1());
    const r = runCli(['map', 'import', '--db', db1(), bad]);
    assert.equal(r.status, 1, out(r));
    assert.match(r.stderr, new RegExp(`^services\\.csv:${lineNo}:minimum_age: `, 'm'), out(r));
    assert.match(r.stderr, new RegExp(`^organizations\\.csv:${plain + 1}:name: .*quote`, 'm'), out(r));
    assert.doesNotMatch(r.stdout, summary);
    assert.deepEqual(snapshot(db1()), before);
  });

  it('bad CSV by the profile: the service row that lacks its care level is named, nothing written', () => {
    const csv = join(dir, 'csv1');
    const bad = join(dir, 'csvprofile');
    cpSync(csv, bad, { recursive: true });
    const terms = parseCsv(readFileSync(join(bad, 'taxonomy_terms.csv'), 'utf8'));
    const l1 = terms.find((t) => t[terms[0].indexOf('code')] === 'care_level.L1')[terms[0].indexOf('id')];
    const attrs = parseCsv(readFileSync(join(bad, 'attributes.csv'), 'utf8'));
    const h = attrs[0];
    const victim = attrs.findIndex((a, i) => i > 0 && a[h.indexOf('taxonomy_term_id')] === l1
      && a[h.indexOf('link_entity')] === 'service');
    assert.ok(victim > 0, 'a service with care level L1');
    const serviceId = attrs[victim][h.indexOf('link_id')];
    writeFileSync(join(bad, 'attributes.csv'), writeCsv(attrs.filter((_, i) => i !== victim)).text);
    const services = parseCsv(readFileSync(join(bad, 'services.csv'), 'utf8'));
    const row = services.findIndex((x) => x[services[0].indexOf('id')] === serviceId);
    const lineNo = writeCsv(services).lines[row];

    const before = snapshot(db1());
    const r = runCli(['map', 'import', '--db', db1(), bad]);
    assert.equal(r.status, 1, out(r));
    assert.match(r.stderr, new RegExp(`^services\\.csv:${lineNo}:attributes: .*care_level`, 'm'), out(r));
    assert.deepEqual(snapshot(db1()), before);
  });

  it('re-importing the same file changes nothing; an edited file updates just that service', () => {
    const before = snapshot(db1());
    let r = runCli(['map', 'import', '--db', db1(), demoFile]);
    assert.equal(r.status, 0, out(r));
    assert.deepEqual(r.stdout.match(summary)?.slice(1, 5).map(Number), [original.length, 0, 0, original.length], out(r));
    const after1 = snapshot(db1());
    assert.deepEqual({ ...after1.counts, audit: 0 }, { ...before.counts, audit: 0 }, 'no duplicates, no revisions');
    assert.equal(after1.counts.audit, before.counts.audit + 1, 'the import itself is audited');
    assert.equal(after1.docs, before.docs);
    assert.equal(sql(db1(), "SELECT count(*) AS n FROM map_services WHERE region = 'Regio Veerhaven'")[0].n,
      original.length, 'a re-import without --region keeps the region');

    const edited = structuredClone(original);
    const target = edited[5];
    target.name = `${target.name} (bijgewerkt)`;
    const path = join(dir, 'edited.json');
    writeFileSync(path, JSON.stringify(edited));
    r = runCli(['map', 'import', '--db', db1(), path]);
    assert.equal(r.status, 0, out(r));
    assert.deepEqual(r.stdout.match(summary)?.slice(1, 5).map(Number), [original.length, 0, 1, original.length - 1], out(r));
    const row = sql(db1(), `SELECT name, doc FROM map_services WHERE hsds_id = '${target.id}'`)[0];
    assert.equal(row.name, target.name);
    assert.equal(JSON.parse(row.doc).name, target.name);
    const revs = sql(db1(), `SELECT source, fields, prev_doc FROM map_revisions WHERE service_id = '${target.id}' ORDER BY id`);
    assert.equal(revs.length, 2, 'created, then updated');
    assert.deepEqual(JSON.parse(revs[1].fields), ['name']);
    assert.equal(JSON.parse(revs[1].prev_doc).name, original[5].name);
    const after2 = snapshot(db1());
    assert.equal(after2.counts.map_services, before.counts.map_services);
    assert.equal(after2.counts.map_revisions, before.counts.map_revisions + 1);
    const fts = sql(db1(), `SELECT rowid FROM map_fts WHERE map_fts MATCH 'bijgewerkt'`);
    assert.equal(fts.length, 1, 'the search index follows the update');
  });

  it('terms of other taxonomies are kept and exported unchanged', () => {
    const db = join(dir, 'foreign.db');
    const pkg = structuredClone(original);
    const s = pkg[0];
    const term = {
      id: 'bbbbbbbb-0000-4000-8000-000000000001', code: 'mental-health', name: 'Mental Health',
      description: 'A term of another taxonomy', taxonomy_id: 'cccccccc-0000-4000-8000-000000000001',
      term_uri: 'https://example.org/other#mental-health',
    };
    s.attributes.push({ id: 'aaaaaaaa-0000-4000-8000-000000000001', link_id: s.id, link_entity: 'service',
      link_type: 'other', taxonomy_term_id: term.id, taxonomy_term: term });
    const path = join(dir, 'foreign.json');
    writeFileSync(path, JSON.stringify(pkg));
    let r = runCli(['map', 'import', '--db', db, path]);
    assert.equal(r.status, 0, out(r));
    assert.deepEqual(sql(db, 'SELECT hsds_id, doc FROM map_terms').map((t) => [t.hsds_id, JSON.parse(t.doc)]),
      [[term.id, term]]);
    const e = join(dir, 'foreign-out.json');
    r = runCli(['map', 'export', '--db', db, '--format', 'hsds-json', e]);
    assert.equal(r.status, 0, out(r));
    assert.deepEqual(normalise(JSON.parse(readFileSync(e, 'utf8'))), normalise(pkg));
  });

  it('map area sets a COA location\'s municipality and refuses unknown parents and kinds', () => {
    const azc = 'urn:veerkracht:demo:coa-locatie:azc-veerhaven';
    const gem = 'urn:veerkracht:demo:gemeente:veerhaven';
    let r = runCli(['map', 'area', '--db', db1(), azc, '--parent', gem, '--name', 'AZC Veerhaven']);
    assert.equal(r.status, 0, out(r));
    assert.deepEqual(sql(db1(), `SELECT name, kind, parent_uri FROM map_areas WHERE uri = '${azc}'`),
      [{ name: 'AZC Veerhaven', kind: 'coa_location', parent_uri: gem }]);
    r = runCli(['map', 'area', '--db', db1(), azc, '--parent', 'urn:nowhere']);
    assert.equal(r.status, 1, out(r));
    assert.match(r.stderr, /parent/);
    r = runCli(['map', 'area', '--db', db1(), azc, '--kind', 'planet']);
    assert.equal(r.status, 1, out(r));
    assert.equal(sql(db1(), `SELECT parent_uri FROM map_areas WHERE uri = '${azc}'`)[0].parent_uri, gem);
    // a re-import does not overwrite what the region set
    r = runCli(['map', 'import', '--db', db1(), demoFile]);
    assert.equal(r.status, 0, out(r));
    assert.equal(sql(db1(), `SELECT parent_uri FROM map_areas WHERE uri = '${azc}'`)[0].parent_uri, gem);
    assert.ok(existsSync(db1()));
  });

  it('a re-import with another --region moves the services and records it', () => {
    const r = runCli(['map', 'import', '--db', db1(), '--region', 'Regio Elders', demoFile]);
    assert.equal(r.status, 0, out(r));
    assert.deepEqual(r.stdout.match(summary)?.slice(1, 5).map(Number), [original.length, 0, original.length, 0], out(r));
    assert.equal(sql(db1(), "SELECT count(*) AS n FROM map_services WHERE region = 'Regio Elders'")[0].n, original.length);
    const last = sql(db1(), `SELECT fields FROM map_revisions WHERE service_id = '${original[0].id}' ORDER BY id DESC LIMIT 1`)[0];
    assert.deepEqual(JSON.parse(last.fields), ['region']);
  });
});

/** Every service id GET /api/v1/services?q= finds, over all pages. */
async function searchIds(url, q) {
  const ids = new Set();
  for (let page = 1; page < 100; page++) {
    const params = new URLSearchParams({ q, page: String(page), per_page: '50', facets: '0' });
    const r = await fetch(`${url}/api/v1/services?${params}`);
    const text = await r.text();
    assert.equal(r.status, 200, text);
    const body = JSON.parse(text);
    for (const item of body.items) ids.add(item.id);
    if (!body.items.length || ids.size >= body.total) break;
  }
  return ids;
}

describe('a partial import that renames an organisation or a location keeps the search true', () => {
  const demo = JSON.parse(readFileSync(demoFile, 'utf8'));
  const most = (key) => {
    const groups = new Map();
    for (const s of demo) for (const k of key(s)) groups.set(k, [...(groups.get(k) ?? []), s]);
    return [...groups.entries()].sort((a, b) => b[1].length - a[1].length)[0];
  };
  // the organisation and the location with the most services in the demo map
  const [orgId, orgServices] = most((s) => [s.organization.id]);
  const [locId, locServices] = most((s) => (s.service_at_locations ?? []).map((x) => x.location_id));
  const orgIds = orgServices.map((s) => s.id).sort();
  const locIds = locServices.map((s) => s.id).sort();
  const oldOrgName = orgServices[0].organization.name;
  let dir;
  const db = () => join(dir, 'veerkracht.db');

  /** Starts a server on the test's database, runs fn(url), stops it. */
  async function withServer(fn) {
    const server = await startServer({ dir });
    try { return await fn(server.url); } finally { await server.stop(); }
  }
  /** Imports a package of one demo service, changed by edit(service), and checks the summary. */
  function importOne(service, edit, name) {
    const s = structuredClone(service);
    edit(s);
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify([s]));
    const r = runCli(['map', 'import', '--db', db(), path]);
    assert.equal(r.status, 0, out(r));
    assert.deepEqual(r.stdout.match(summary)?.slice(1, 5).map(Number), [1, 0, 1, 0], out(r));
  }
  const renameLocation = (word) => (s) => {
    for (const sal of s.service_at_locations) if (sal.location_id === locId) sal.location.name = word;
  };
  /** map_services rows of every service but one: what a rename must leave alone. */
  const othersRows = (except) => sqlBig(db(), 'SELECT hsds_id, doc, updated_at, updated_by, region, name '
    + `FROM map_services WHERE hsds_id <> '${except}' ORDER BY hsds_id`);
  const revisions = () => sql(db(), 'SELECT count(*) AS n FROM map_revisions')[0].n;

  before(() => {
    dir = tempDir();
    const r = runCli(['map', 'import', '--db', db(), '--region', 'Regio Veerhaven', demoFile]);
    assert.equal(r.status, 0, out(r));
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('the demo has an organisation and a location with several services, and no test words', () => {
    assert.ok(orgIds.length >= 3, `${orgId} has ${orgIds.length} services`);
    assert.ok(locIds.length >= 3, `${locId} has ${locIds.length} services`);
    const text = readFileSync(demoFile, 'utf8').toLowerCase();
    for (const w of ['zwaluwkruid', 'kraanvogelhof', 'ijsvogelpad']) assert.ok(!text.includes(w), w);
  });

  it('renaming an organisation through one of its services re-indexes all of them', async () => {
    await withServer(async (url) => {
      const found = await searchIds(url, oldOrgName);
      assert.deepEqual(orgIds.filter((id) => !found.has(id)), [], 'before: the old name finds them all');
    });
    const others = othersRows(orgIds[0]);
    const revs = revisions();
    importOne(orgServices.find((s) => s.id === orgIds[0]), (s) => { s.organization.name = 'Zwaluwkruid'; }, 'org');

    assert.equal(sql(db(), `SELECT name FROM map_orgs WHERE hsds_id = '${orgId}'`)[0].name, 'Zwaluwkruid');
    assert.deepEqual(othersRows(orgIds[0]), others, 'the other services\' rows are untouched');
    assert.equal(revisions(), revs + 1, 'one revision: the service in the package');
    assert.equal(sql(db(), 'SELECT count(*) AS n FROM map_fts')[0].n, demo.length, 'no index rows added');
    const fts = sql(db(), "SELECT s.hsds_id FROM map_fts JOIN map_services s ON s.id = map_fts.rowid "
      + "WHERE map_fts MATCH 'org:zwaluwkruid' ORDER BY s.hsds_id").map((r) => r.hsds_id);
    assert.deepEqual(fts, orgIds, 'every service of the organisation has the new name in column org');
    await withServer(async (url) => {
      assert.deepEqual([...await searchIds(url, 'Zwaluwkruid')].sort(), orgIds, 'the new name finds them all');
      const old = await searchIds(url, oldOrgName);
      assert.deepEqual(orgIds.filter((id) => old.has(id)), [], 'the old name finds none of them');
    });
  });

  it('renaming a location through one service re-indexes every service there', async () => {
    // a service of another organisation than the one renamed above, so that test stays apart
    const at = locServices.find((s) => s.organization.id !== orgId) ?? locServices[0];
    importOne(at, renameLocation('Kraanvogelhof'), 'loc1');
    const others = othersRows(at.id);
    importOne(at, renameLocation('IJsvogelpad'), 'loc2');
    assert.deepEqual(othersRows(at.id), others, 'the other services\' rows are untouched');
    await withServer(async (url) => {
      assert.deepEqual([...await searchIds(url, 'ijsvogelpad')].sort(), locIds, 'the new name finds them all');
      assert.deepEqual([...await searchIds(url, 'kraanvogelhof')], [], 'the old name finds none');
    });
    const v = runCli(['audit', 'verify', '--db', db()]);
    assert.equal(v.status, 0, out(v));
  });
});
