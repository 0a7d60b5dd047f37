// SPDX-License-Identifier: EUPL-1.2
// Read-aloud: Arabic is synthesised by espeak-ng once and then served from the cache; Tigrinya
// has no voice, so it has no audio until a coordinator adds a recording, which is then served
// exactly as uploaded. Where there is neither, the instrument view gives no link at all.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, demoLogin, runCli, tempDir, Client } from '../lib/server.mjs';
import { sql, wavBytes } from './_util.mjs';

describe('read-aloud audio', () => {
  let server, vol;
  const recording = wavBytes(3200);

  before(async () => {
    const dir = tempDir();
    const wav = join(dir, 'sleep.wav');
    writeFileSync(wav, recording);
    const r = runCli(['instrument', 'audio', 'add', '--db', join(dir, 'veerkracht.db'),
      '--instrument', 'vk-signal-adult', '--lang', 'ti', '--key', 'item.sleep', wav]);
    assert.equal(r.status, 0, r.stderr);
    server = await startServer({ demo: true, dir });
    vol = await demoLogin(server, 'volunteer');
  });
  after(() => server.stop());

  const fetchAudio = async (path, cookie = vol.cookie) => {
    const res = await fetch(server.url + path, { headers: { cookie } });
    return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
  };

  it('Arabic questions and answers have audio, synthesised once and cached', async () => {
    const def = (await vol.get('/api/v1/instruments/vk-signal-adult?lang=ar')).json;
    const item = def.items.find((i) => i.id === 'sleep');
    assert.ok(item.audio?.text, 'a link for the question');
    assert.ok(Object.keys(item.audio.options).length === 2, 'a link per answer');
    assert.ok(def.audio, 'a link for the introduction');
    const a = await fetchAudio(item.audio.text);
    assert.equal(a.status, 200);
    assert.equal(a.type, 'audio/wav');
    assert.ok(a.body.length > 1000, `${a.body.length} bytes`);
    assert.equal(a.body.subarray(0, 4).toString(), 'RIFF');
    const again = await fetchAudio(item.audio.text);
    assert.deepEqual(again.body, a.body);
    assert.equal(sql(server.dbPath, "SELECT count(*) AS n FROM audio WHERE lang = 'ar' AND source = 'tts'")[0].n, 1);
  });

  it('Tigrinya has audio only where a recording was added, served as uploaded', async () => {
    const def = (await vol.get('/api/v1/instruments/vk-signal-adult?lang=ti')).json;
    const sleep = def.items.find((i) => i.id === 'sleep');
    const other = def.items.find((i) => i.id === 'nightmares');
    assert.equal(other.audio, null, 'no voice and no recording: no link');
    assert.equal(def.audio, null);
    assert.ok(sleep.audio?.text);
    const a = await fetchAudio(sleep.audio.text);
    assert.equal(a.status, 200);
    assert.deepEqual(a.body, recording);
    assert.equal((await fetchAudio('/api/v1/instruments/vk-signal-adult/audio/ti/item.nightmares')).status, 404);
  });

  it('unknown texts are 404 and audio needs a login', async () => {
    assert.equal((await fetchAudio('/api/v1/instruments/vk-signal-adult/audio/ar/item.nope')).status, 404);
    assert.equal((await fetchAudio('/api/v1/instruments/nope/audio/ar/intro')).status, 404);
    assert.equal((await fetchAudio('/api/v1/instruments/vk-signal-adult/audio/ar/intro', '')).status, 401);
    assert.ok(new Client(server.url));
  });
});
