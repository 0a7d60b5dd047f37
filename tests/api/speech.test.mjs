// SPDX-License-Identifier: EUPL-1.2
// Read aloud of any text the screen shows (POST /api/v1/speech, GET /api/v1/speech/voices;
// src/api/api_speech.c): a valid WAV for Arabic and Dutch, 404 with a clear detail for a language
// without a voice (Tigrinya), 422 at /text for a text over SPEECH_TEXT_MAX (2000 bytes) and for
// bad input, 413 for a body over the server's limit, 401 without a session, a client account may
// use it, the answer is never cached, parallel requests get 200 or 503 with Retry-After and never
// stall the server, and nothing of the text reaches the server's log or the database.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, demoLogin, Client } from '../lib/server.mjs';
import { assertProblem } from './_util.mjs';

/** The 44-byte RIFF/WAVE header of a PCM 16-bit mono file: {rate, bits, channels, data}. */
function wavHeader(buf) {
  assert.ok(buf.length > 44, `${buf.length} bytes`);
  assert.equal(buf.subarray(0, 4).toString('latin1'), 'RIFF');
  assert.equal(buf.readUInt32LE(4), buf.length - 8, 'RIFF size');
  assert.equal(buf.subarray(8, 12).toString('latin1'), 'WAVE');
  assert.equal(buf.subarray(12, 16).toString('latin1'), 'fmt ');
  assert.equal(buf.readUInt16LE(20), 1, 'PCM');
  assert.equal(buf.subarray(36, 40).toString('latin1'), 'data');
  assert.equal(buf.readUInt32LE(40), buf.length - 44, 'data size');
  return { channels: buf.readUInt16LE(22), rate: buf.readUInt32LE(24), bits: buf.readUInt16LE(34), data: buf.length - 44 };
}

describe('read aloud (POST /api/v1/speech)', () => {
  let server;
  let vol;
  // Marker words that must never appear in the log: a name-like string and a sentence.
  const SECRET_NL = 'Mevrouw Zarqa Haddad slaapt slecht sinds de verhuizing';
  const SECRET_AR = 'السيدة زرقاء حداد لا تنام جيدا';

  before(async () => {
    server = await startServer({ demo: true });
    vol = await demoLogin(server, 'volunteer');
  });
  after(() => server.stop());

  const speak = async (client, body, extra = {}) => {
    const headers = { 'content-type': 'application/json', origin: server.url, ...extra };
    if (client) {
      headers.cookie = client.cookie;
      headers['x-csrf-token'] = client.csrf;
    }
    const res = await fetch(`${server.url}/api/v1/speech`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const buf = Buffer.from(await res.arrayBuffer());
    const text = buf.toString('utf8');
    let json = null;
    try { json = JSON.parse(text); } catch { json = null; }
    return { status: res.status, headers: res.headers, buf, text, json };
  };

  it('lists the languages with a voice: nl and ar, not ti or so', async () => {
    const r = await vol.get('/api/v1/speech/voices');
    assert.equal(r.status, 200, r.text);
    assert.ok(Array.isArray(r.json.languages), r.text);
    for (const l of ['nl', 'ar']) assert.ok(r.json.languages.includes(l), `${l}: ${r.text}`);
    for (const l of ['ti', 'so']) assert.ok(!r.json.languages.includes(l), `${l}: ${r.text}`);
  });

  for (const [lang, text] of [['ar', SECRET_AR], ['nl', SECRET_NL]]) {
    it(`speaks ${lang}: a valid WAV, not cached`, async () => {
      const r = await speak(vol, { lang, text });
      assert.equal(r.status, 200, r.text.slice(0, 300));
      assert.equal(r.headers.get('content-type'), 'audio/wav');
      assert.equal(r.headers.get('cache-control'), 'no-store');
      const h = wavHeader(r.buf);
      assert.equal(h.channels, 1);
      assert.equal(h.bits, 16);
      assert.ok(h.rate >= 8000 && h.rate <= 48000, `rate ${h.rate}`);
      // About 140 words a minute: a sentence is a second or more of sound.
      assert.ok(h.data / (h.rate * 2) > 0.8, `${h.data} bytes of sound`);
    });
  }

  it('the same text twice gives sound again (synthesised, never stored)', async () => {
    const a = await speak(vol, { lang: 'nl', text: 'Goedemorgen' });
    const b = await speak(vol, { lang: 'nl', text: 'Goedemorgen' });
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.ok(wavHeader(b.buf).data > 0);
    const db = readFileSync(server.dbPath);
    assert.ok(!db.includes(Buffer.from('Goedemorgen')), 'the text is not in the database');
  });

  it('a language without a voice is 404 with a clear detail', async () => {
    for (const lang of ['ti', 'so', 'xx']) {
      const r = await speak(vol, { lang, text: 'selam' });
      assertProblem(r, 404, 'not-found');
      assert.match(r.json.detail, /no read-aloud voice/);
      assert.ok(r.json.detail.includes(lang), r.json.detail);
    }
  });

  it('a text over 2000 bytes is 422 at /text; a body over the server limit 413', async () => {
    const long = 'ب'.repeat(1001); // 2002 bytes of UTF-8
    const r = await speak(vol, { lang: 'ar', text: long });
    assertProblem(r, 422, 'invalid-input');
    assert.deepEqual(r.json.errors.map((e) => e.pointer), ['/text']);
    const ok = await speak(vol, { lang: 'ar', text: 'ب'.repeat(1000) }); // exactly 2000 bytes
    assert.equal(ok.status, 200, ok.text.slice(0, 300));
    // Just over the default max_body (1 MiB); the server answers 413 and closes.
    const huge = await speak(vol, { lang: 'nl', text: 'a'.repeat(1024 * 1024) });
    assertProblem(huge, 413, 'too-large');
  });

  it('bad input: each problem at its pointer', async () => {
    const cases = [
      [{ text: 'hallo' }, ['/lang']],
      [{ lang: 'nl' }, ['/text']],
      [{ lang: 'nl', text: '' }, ['/text']],
      [{ lang: 'nl', text: '   ' }, ['/text']],
      [{ lang: 'nl', text: 'a\u0001b' }, ['/text']],
      [{ lang: 'nl', text: 5 }, ['/text']],
      [{ lang: 'nl', text: 'hallo', voice: 'x' }, ['/voice']],
    ];
    for (const [body, pointers] of cases) {
      const r = await speak(vol, body);
      assertProblem(r, 422, 'invalid-input');
      assert.deepEqual(r.json.errors.map((e) => e.pointer).sort(), pointers, JSON.stringify(body));
    }
    assertProblem(await speak(vol, '{"lang": "nl", "text": '), 400, 'malformed-json');
  });

  it('needs a session (401), works for a client account', async () => {
    assertProblem(await speak(null, { lang: 'nl', text: 'hallo' }), 401, 'unauthenticated');
    const anon = new Client(server.url);
    assertProblem(await anon.get('/api/v1/speech/voices'), 401, 'unauthenticated');
    const clients = (await vol.get('/api/v1/clients')).json.items;
    const card = await vol.post(`/api/v1/clients/${clients[0].id}/card`);
    assert.equal(card.status, 201, card.text);
    const client = new Client(server.url);
    const login = await client.post('/api/v1/session/card', { code: card.json.code, new_pin: '583920' });
    assert.equal(login.status, 200, login.text);
    client.csrf = login.json.csrf_token;
    assert.equal((await client.get('/api/v1/speech/voices')).status, 200);
    const r = await speak(client, { lang: 'ar', text: SECRET_AR });
    assert.equal(r.status, 200, r.text.slice(0, 300));
    wavHeader(r.buf);
  });

  it('parallel requests never wait for the one engine: 200 or 503 with Retry-After, the server stays free', async () => {
    // Long texts, sent at once: one engine speaks one at a time, and a server thread must not
    // wait behind it. Each answer is a WAV or a 503 that says when to try again; at least one
    // is a 503 (a server that queues them answers 200 to all); meanwhile another call answers.
    const text = 'Dit is een lange zin om voor te lezen, met veel woorden achter elkaar. '.repeat(27); // ≈1900 bytes
    assert.ok(Buffer.byteLength(text) <= 2000);
    const limit = (p, what) => Promise.race([p, new Promise((_, no) => { setTimeout(() => no(new Error(`${what} hangs`)), 60000).unref(); })]);
    const all = Promise.all(Array.from({ length: 6 }, () => limit(speak(vol, { lang: 'nl', text }), 'speech')));
    const me = await limit(vol.get('/api/v1/me'), '/me during speech');
    assert.equal(me.status, 200);
    const voices = await limit(vol.get('/api/v1/speech/voices'), 'voices during speech');
    assert.equal(voices.status, 200);
    assert.ok(voices.json.languages.includes('nl'), 'a voice known once is not hidden while busy');
    const res = await all;
    for (const r of res) {
      if (r.status === 200) {
        wavHeader(r.buf);
      } else {
        assertProblem(r, 503, 'unavailable');
        assert.equal(r.headers.get('retry-after'), '1');
        assert.match(r.json.detail, /busy/);
      }
    }
    assert.ok(res.some((r) => r.status === 503), res.map((r) => r.status).join(','));
    // once it is free again, the same text is read
    const later = await limit(speak(vol, { lang: 'nl', text }), 'speech afterwards');
    assert.equal(later.status, 200, later.text.slice(0, 300));
  });

  it('nothing of the text reaches the server log', async () => {
    const logs = server.logs();
    assert.ok(logs.includes('/api/v1/speech'), 'the requests are logged (by route)');
    for (const s of [SECRET_NL, SECRET_AR, 'Zarqa', 'Haddad', 'زرقاء', 'Goedemorgen']) assert.ok(!logs.includes(s), `log mentions ${s}`);
  });
});
