// SPDX-License-Identifier: EUPL-1.2
// Read aloud, shared by the views (the route card and the referral confirmation; the client's own
// view). speakButton(getText, lang) gives a button that reads getText() aloud in lang and turns
// into "stop" while it plays, or null when nothing can speak that language. The server's voice
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

/** The WAV of text in lang from the server, as an object URL; null when it has no voice. */
async function serverAudio(text, lang) {
  const me = await get('/me');
  const res = await fetch('/api/v1/speech', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'audio/wav, application/problem+json', 'X-CSRF-Token': me.data?.csrf_token || '' },
    body: JSON.stringify({ lang: primary(lang), text }),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (!res.ok) return null;
  return URL.createObjectURL(await res.blob());
}

function playServer(url, done) {
  const audio = new Audio(url);
  const end = () => { URL.revokeObjectURL(url); done(); };
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
 * A "read aloud" button for getText() (called at each press; at most 2000 bytes reach the
 * server) in lang, or null when neither the server nor the browser has a voice for lang. While
 * it plays the button says "stop" (aria-pressed) and a press stops it. opts.id, opts.label
 * (the button's words; default the page language's "read aloud"), opts.stopLabel.
 */
export function speakButton(getText, lang, opts = {}) {
  if (!canSpeak(lang)) return null;
  const label = opts.label || t('speech.read_aloud');
  const stopLabel = opts.stopLabel || t('speech.stop');
  const btn = h('button', { type: 'button', class: 'button button--secondary read-aloud', id: opts.id, 'aria-pressed': 'false', 'data-lang': primary(lang) }, label);
  let mine = null;
  const idle = () => {
    btn.textContent = label;
    btn.setAttribute('aria-pressed', 'false');
    btn.classList.remove('is-playing');
    btn.disabled = false;
    if (current === mine) current = null;
    mine = null;
  };
  btn.addEventListener('click', async () => {
    if (mine) { mine.stop(); return; }
    stopSpeaking();
    const text = String(getText() || '').trim();
    if (!text) return;
    btn.disabled = true;
    let url = null;
    if (serverHas(lang)) {
      try { url = await serverAudio(text, lang); } catch { url = null; }
    }
    mine = url ? playServer(url, idle) : playBrowser(text, lang, idle);
    if (!mine) { idle(); return; }
    current = mine;
    btn.disabled = false;
    btn.textContent = stopLabel;
    btn.setAttribute('aria-pressed', 'true');
    btn.classList.add('is-playing');
  });
  return btn;
}
