// SPDX-License-Identifier: EUPL-1.2
// Read aloud, shared by the views (the route card and the referral confirmation; the client's own
// view). speakButton(getText, lang) gives a button that reads getText() aloud in lang and turns
// into "stop" while it plays, or null when nothing can speak that language. A long text is read
// in pieces of at most 2000 bytes, cut at sentences; a busy server (503) is asked once more. The server's voice
// comes first (POST /api/v1/speech → audio/wav, espeak-ng; GET /api/v1/speech/voices says which
// languages it has); the browser's own speech synthesis is the fallback. The text is sent only
// when the button is pressed and only to our own server.
//
// Call `await loadVoices()` once in a view's load() so that speakButton() knows the server's
// languages when it renders; before that it offers the button optimistically.

import { t } from './i18n.js';
import { get } from './api.js';
import { h } from './dom.js';

let serverLangs = null; // null until GET /speech/voices answered; then the primary subtags
let loading = null;
let current = null; // {stop} of what is playing now (one voice at a time)

const primary = (lang) => String(lang || '').toLowerCase().split('-')[0];

/** Loads the server's read-aloud languages once (never rejects; [] when the call fails). */
export function loadVoices() {
  if (!loading) {
    loading = get('/speech/voices')
      .then(({ data }) => { serverLangs = Array.isArray(data?.languages) ? data.languages.map(primary) : []; })
      .catch(() => { serverLangs = []; });
  }
  return loading;
}

function browserVoice(lang) {
  const synth = window.speechSynthesis;
  if (!synth) return null;
  const p = primary(lang);
  return synth.getVoices().find((v) => primary(v.lang) === p) ?? null;
}

const serverHas = (lang) => serverLangs === null || serverLangs.includes(primary(lang));

/** Whether anything can read lang aloud (the server's voice, else the browser's). */
export function canSpeak(lang) {
  return serverHas(lang) || Boolean(browserVoice(lang));
}

/** Stops whatever a speak button is playing. */
export function stopSpeaking() {
  current?.stop();
  current = null;
}

/** Longest text one POST /speech takes, in bytes of UTF-8 (SPEECH_TEXT_MAX). */
export const SPEECH_MAX_BYTES = 2000;
const encoder = new TextEncoder();
const bytes = (x) => encoder.encode(x).length;

/** The longest start of x that fits in max bytes, cut between code points. */
function cutBytes(x, max) {
  let n = 0;
  let out = '';
  for (const ch of x) {
    n += bytes(ch);
    if (n > max) break;
    out += ch;
  }
  return out;
}

/**
 * text in pieces of at most max bytes of UTF-8, cut after a sentence (. ! ? ؟ ۔ or a line end)
 * where one fits, else after a space, else between letters. Each piece is trimmed; none is empty.
 */
export function splitForSpeech(text, max = SPEECH_MAX_BYTES) {
  const pieces = [];
  let rest = String(text || '').trim();
  while (rest) {
    if (bytes(rest) <= max) { pieces.push(rest); break; }
    const head = cutBytes(rest, max);
    let at = -1;
    for (const m of head.matchAll(/[.!?؟۔。]+["'”’)\]]*\s+|\n+/gu)) at = m.index + m[0].length;
    if (at <= 0) at = head.lastIndexOf(' ') + 1;
    if (at <= 0) at = head.length;
    const piece = rest.slice(0, at).trim();
    if (piece) pieces.push(piece);
    rest = rest.slice(at).trim();
  }
  return pieces;
}

const wait = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/**
 * The WAV of text (≤ 2000 bytes) in lang from the server, as an object URL; null when it cannot
 * (no voice, an error). While the server reads another text it answers 503 with Retry-After:
 * asked once more after that wait (at most 3 s).
 */
async function serverAudio(text, lang) {
  const me = await get('/me');
  for (let attempt = 0; attempt < 2; attempt++) {
    const res = await fetch('/api/v1/speech', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'audio/wav, application/problem+json', 'X-CSRF-Token': me.data?.csrf_token || '' },
      body: JSON.stringify({ lang: primary(lang), text }),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (res.ok) return URL.createObjectURL(await res.blob());
    if (res.status !== 503 || attempt) return null;
    const after = Number(res.headers.get('Retry-After'));
    await wait(Math.min(Number.isFinite(after) && after > 0 ? after : 1, 3) * 1000);
  }
  return null;
}

function playServer(url, done) {
  const audio = new Audio(url);
  let over = false;
  const end = () => { if (over) return; over = true; URL.revokeObjectURL(url); done(); };
  audio.addEventListener('ended', end);
  audio.addEventListener('error', end);
  audio.play().catch(end);
  return { stop() { audio.pause(); end(); } };
}

function playBrowser(text, lang, done) {
  const voice = browserVoice(lang);
  if (!voice) return null;
  const u = new SpeechSynthesisUtterance(text);
  u.voice = voice;
  u.lang = voice.lang;
  u.addEventListener('end', done);
  u.addEventListener('error', done);
  window.speechSynthesis.cancel();
  window.speechSynthesis.speak(u);
  return { stop() { window.speechSynthesis.cancel(); done(); } };
}

/**
 * Plays the pieces one after the other: each from the server (the next one fetched while the
 * current one plays), else the rest by the browser's voice. Calls started() once the first sound
 * plays, done() at the end, failed() when nothing could play. Returns {stop}.
 */
function playPieces(pieces, lang, { started, done, failed }) {
  let stopped = false;
  let now = null;
  let played = false;
  const fetchPiece = (i) => (i < pieces.length && serverHas(lang) ? serverAudio(pieces[i], lang).catch(() => null) : Promise.resolve(null));
  const drop = (p) => { p?.then((u) => { if (u) URL.revokeObjectURL(u); }); };
  let pending = fetchPiece(0);
  const finish = (ok) => {
    if (stopped) return;
    stopped = true;
    drop(pending);
    if (ok || played) done(); else failed();
  };
  const next = async (i) => {
    if (stopped) return;
    if (i >= pieces.length) { finish(true); return; }
    const url = await pending;
    pending = url ? fetchPiece(i + 1) : null;
    if (stopped) { if (url) URL.revokeObjectURL(url); return; }
    now = url ? playServer(url, () => { now = null; next(i + 1); })
      : playBrowser(pieces.slice(i).join('\n'), lang, () => { now = null; finish(true); });
    if (!now) { finish(false); return; }
    if (!played) { played = true; started(); }
  };
  next(0);
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      drop(pending);
      const n = now;
      now = null;
      n?.stop();
      done();
    },
  };
}

/**
 * A "read aloud" button for getText() (called at each press) in lang, or null when neither the
 * server nor the browser has a voice for lang. A text over 2000 bytes is read in pieces cut at
 * sentences. While it plays the button says "stop" (its label is the one state a screen reader
 * hears) and a press stops it; while the sound is fetched it is aria-disabled (it keeps the
 * focus). When nothing can play, a short line beside it says so. opts.id, opts.label (the
 * button's words; default the page language's "read aloud"), opts.stopLabel, opts.failLabel.
 */
export function speakButton(getText, lang, opts = {}) {
  if (!canSpeak(lang)) return null;
  const label = opts.label || t('speech.read_aloud');
  const stopLabel = opts.stopLabel || t('speech.stop');
  const failLabel = opts.failLabel || t('speech.unavailable');
  const btn = h('button', { type: 'button', class: 'button button--secondary read-aloud', id: opts.id, 'aria-disabled': 'false', 'data-lang': primary(lang) }, label);
  let mine = null;
  let line = null;
  const idle = () => {
    btn.textContent = label;
    btn.classList.remove('is-playing');
    btn.setAttribute('aria-disabled', 'false');
    if (current === mine) current = null;
    mine = null;
  };
  const fail = () => {
    idle();
    line = h('span', { class: 'read-aloud__failed', role: 'status', id: opts.id ? `${opts.id}-failed` : null }, ` ${failLabel}`);
    btn.after(line);
  };
  btn.addEventListener('click', () => {
    if (btn.getAttribute('aria-disabled') === 'true') return; // fetching: one press is enough
    if (mine) { mine.stop(); return; }
    stopSpeaking();
    line?.remove();
    line = null;
    const pieces = splitForSpeech(String(getText() || ''));
    if (!pieces.length) return;
    btn.setAttribute('aria-disabled', 'true');
    mine = playPieces(pieces, lang, {
      started: () => {
        btn.setAttribute('aria-disabled', 'false');
        btn.textContent = stopLabel;
        btn.classList.add('is-playing');
      },
      done: idle,
      failed: fail,
    });
    current = mine;
  });
  return btn;
}
