// SPDX-License-Identifier: EUPL-1.2
// `veerkracht instrument check`: shipped definitions pass; a broken one fails naming the file and
// the JSON pointer of each problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, repoRoot, tempDir } from '../lib/server.mjs';
import { wavBytes } from './_util.mjs';

const shipped = ['vk-signal-adult', 'vk-signal-youth', 'vk-signal-child']
  .map((id) => join(repoRoot, 'data', 'instruments', `${id}.json`));

test('the shipped instruments pass the check', () => {
  const r = runCli(['instrument', 'check', ...shipped]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 3);
  assert.match(r.stdout, /vk-signal-adult 1\.0\.0, 22 items/);
});

test('a broken definition fails with file:pointer: message per problem', () => {
  const dir = tempDir();
  const def = JSON.parse(readFileSync(shipped[0], 'utf8'));
  def.bands = def.bands.filter((b) => b.id !== 'medium');   // leaves a gap 4..7
  def.items[0].response_set = 'nonexistent';
  delete def.title.ar;
  const path = join(dir, 'broken.json');
  writeFileSync(path, JSON.stringify(def));
  const r = runCli(['instrument', 'check', path]);
  rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes(`${path}:/title/ar:`), r.stderr);
  assert.ok(r.stderr.includes(`${path}:/items/0/response_set:`), r.stderr);
  assert.doesNotMatch(r.stdout, /ok/);
});

test('a file that is not JSON is reported, not crashed on', () => {
  const dir = tempDir();
  const path = join(dir, 'x.json');
  writeFileSync(path, '{"format": ');
  const r = runCli(['instrument', 'check', path]);
  rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not JSON: line 1/);
});

test('audio add stores a recording for a text, and refuses what is not a WAV or not a text', () => {
  const dir = tempDir();
  const db = join(dir, 'v.db');
  const wav = join(dir, 'sleep-ti.wav');
  writeFileSync(wav, wavBytes());
  const base = ['instrument', 'audio', 'add', '--db', db, '--instrument', 'vk-signal-adult', '--lang', 'ti'];
  const ok = runCli([...base, '--key', 'item.sleep', wav]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /stored 3244 bytes/);
  assert.equal(runCli([...base, '--key', 'item.nope', wav]).status, 1);
  const txt = join(dir, 'x.wav');
  writeFileSync(txt, 'not audio at all, just text that is long enough to have a header');
  assert.equal(runCli([...base, '--key', 'item.sleep', txt]).status, 1);
  rmSync(dir, { recursive: true, force: true });
});
