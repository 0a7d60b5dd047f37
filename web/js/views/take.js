// SPDX-License-Identifier: EUPL-1.2
// "Take my dossier with me" (#/me/take, role client; issue 5, docs/dossier.md §5): for a client
// who moves to a region with another Veerkracht installation. Plain words in the page language on
// what happens, then one button: POST /api/v1/clients/{pid}/transfer makes a sealed, signed file
// and a one-time transfer key. The page then shows the download link (the file can be fetched
// once, by this session, within the hour), the key as a QR code (the server's SVG, shown as an
// image) and as 13 groups of 4 characters (always left to right, also in Arabic or Persian), and
// the warning: keep the key; without it the file cannot be opened; whoever has both can read it.
// The key lives only in this page's memory: leaving the page forgets it.

import { t, getLang } from '../i18n.js';
import { post } from '../api.js';
import { h, errorText, notice, pageTitle } from '../dom.js';
import { speakButton, loadVoices, stopSpeaking } from '../speak.js';

export function createTakeView(ctx) {
  const s = {
    pid: ctx.me?.active_dossier ?? null,
    made: null, // the POST answer: {package_id, download, key, key_qr_svg, fingerprint, expires_at}
    busy: false,
    msg: null, // {kind, text: () => string}
  };

  async function load() {
    await loadVoices();
  }

  async function make() {
    if (s.busy) return;
    s.busy = true;
    s.msg = null;
    try {
      const { data } = await post(`/clients/${encodeURIComponent(s.pid)}/transfer`, {});
      s.made = data;
      ctx.announce(t('take.made'), 'success');
    } catch (err) {
      if (err.handled) return;
      s.msg = { kind: 'error', text: () => errorText(err) };
    } finally {
      s.busy = false;
    }
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    document.getElementById(s.made ? 'take-result-title' : 'take-msg')?.focus();
  }

  function explanation() {
    return h('section', { class: 'card', 'aria-labelledby': 'take-how-title', id: 'take-how' },
      h('h2', { class: 'card__title', id: 'take-how-title' }, t('take.how_title')),
      h('ol', { class: 'stack' },
        h('li', null, t('take.step_make')),
        h('li', null, t('take.step_bring')),
        h('li', null, t('take.step_there'))),
      h('p', null, t('take.what')),
      h('p', null, t('take.stays')));
  }

  function makeSection() {
    return h('section', { class: 'card', 'aria-labelledby': 'take-make-title', id: 'take-make' },
      h('h2', { class: 'card__title', id: 'take-make-title' }, t('take.make_title')),
      s.msg ? h('div', { id: 'take-msg', tabindex: '-1' }, notice(s.msg.kind, s.msg.text())) : null,
      h('p', null, t('take.make_intro')),
      h('p', null, h('button', { type: 'button', class: 'button', id: 'take-make-button', disabled: s.busy, onclick: make }, t('take.make'))));
  }

  /** The key in its groups, each its own span so that a screen reader spells them one by one. */
  function keyText(key) {
    return h('p', { class: 'take-key', id: 'take-key', dir: 'ltr', lang: 'en', 'aria-label': t('take.key_label') },
      ...key.split('-').map((g, i) => h('span', { class: 'take-key__group' }, (i ? ' ' : '') + g)));
  }

  function result() {
    const m = s.made;
    const qr = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(m.key_qr_svg)}`;
    return h('section', { class: 'card', 'aria-labelledby': 'take-result-title', id: 'take-result' },
      h('h2', { class: 'card__title', id: 'take-result-title', tabindex: '-1' }, t('take.result_title')),
      notice('info', h('strong', { id: 'take-warning' }, t('take.warning'))),
      h('h3', null, t('take.file_title')),
      h('p', null, h('a', { href: m.download, download: `veerkracht-${m.package_id}.vktp`, class: 'button button--secondary', id: 'take-download' }, t('take.download'))),
      h('p', null, t('take.download_once')),
      h('h3', null, t('take.key_title')),
      h('p', null, t('take.key_intro')),
      h('img', { src: qr, alt: t('take.qr_alt'), class: 'login-card__qr', id: 'take-qr' }),
      keyText(m.key),
      h('p', { class: 'muted' }, t('take.key_once')),
      h('p', { class: 'muted', id: 'take-fingerprint' }, t('take.fingerprint'), ' ', h('bdi', { dir: 'ltr' }, m.fingerprint.replaceAll('-', '\u2011'))));
  }

  function spoken() {
    const main = document.querySelector('.take-page');
    if (!main) return '';
    const copy = main.cloneNode(true);
    copy.querySelectorAll('#take-key, #take-fingerprint, button').forEach((el) => el.remove());
    return copy.innerText || copy.textContent;
  }

  function render() {
    if (!s.pid) return h('div', { class: 'stack' }, pageTitle(t('take.title')), notice('info', t('me.no_dossier')));
    return h('div', { class: 'stack take-page' },
      h('p', { class: 'breadcrumb' }, h('a', { href: '#/me', id: 'take-back' }, t('take.back'))),
      pageTitle(t('take.title')),
      h('p', { class: 'lead' }, t('take.intro')),
      speakButton(spoken, getLang(), { id: 'take-read' }),
      explanation(),
      s.made ? result() : makeSection());
  }

  /* forget the key when the client leaves the page */
  function leave() {
    stopSpeaking();
    s.made = null;
  }

  return { title: () => t('take.title'), load, render, leave };
}
