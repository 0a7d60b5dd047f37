// SPDX-License-Identifier: EUPL-1.2
// "Delete my information" (#/me/erase, role client; issue 5, docs/dossier.md §6): in the page
// language, plain and short — what is deleted, that it cannot be undone, that a care provider
// confirms (and may have to keep a medical record by law), what stays (the fact, under the
// number, without a name) — with "download first", then ask (after ticking "I understand") or
// withdraw. The state comes from GET /api/v1/clients/{pid}/erasure for the active dossier (the
// client's own, or one it holds); every change reloads it. Read aloud where there is a voice.

import { t, getLang, formatDate } from '../i18n.js';
import { get, post, del } from '../api.js';
import { h, errorText, notice, pageTitle } from '../dom.js';
import { speakButton, loadVoices, stopSpeaking } from '../speak.js';

const SPEECH_BYTES = 2000; // what POST /api/v1/speech accepts

export function createEraseView(ctx) {
  const s = {
    pid: ctx.me?.active_dossier ?? null,
    req: null, // {id, state, requested_at, withdrawn_at}
    understood: false, busy: false,
    msg: null, // {kind, text: () => string}
  };
  const path = () => `/clients/${encodeURIComponent(s.pid)}/erasure`;

  async function load() {
    if (!s.pid) return;
    await Promise.all([get(path()).then(({ data }) => { s.req = data; }), loadVoices()]);
  }

  async function act(fn, okText) {
    if (s.busy) return;
    s.busy = true;
    s.msg = null;
    try {
      await fn();
      s.msg = { kind: 'success', text: okText };
      s.req = (await get(path())).data;
    } catch (err) {
      if (err.handled) return;
      s.msg = { kind: 'error', text: () => errorText(err) };
    } finally {
      s.busy = false;
    }
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    document.getElementById('erase-msg')?.focus();
  }

  function ask(e) {
    e.preventDefault();
    if (!s.understood) {
      s.msg = { kind: 'error', text: () => t('erase.understand_needed') };
      ctx.rerender();
      document.getElementById('erase-understand')?.focus();
      return;
    }
    act(() => post(path()), () => t('erase.asked_done'));
  }

  const withdraw = () => act(() => del(path()), () => t('erase.withdrawn_done'));

  /** Fetch the FHIR export and save it as veerkracht-<pid>.json, as "My dossier" does. */
  function download() {
    act(async () => {
      const { data } = await get(`/clients/${encodeURIComponent(s.pid)}/export`);
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const a = h('a', { href: url, download: `veerkracht-${s.pid}.json`, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60000);
    }, () => t('erase.downloaded'));
  }

  function explanation() {
    return h('section', { class: 'card', 'aria-labelledby': 'erase-what-title', id: 'erase-what' },
      h('h2', { class: 'card__title', id: 'erase-what-title' }, t('erase.what_title')),
      h('p', null, t('erase.what')),
      h('p', null, h('strong', null, t('erase.final'))),
      h('p', null, t('erase.who')),
      h('p', null, t('erase.kept')),
      h('p', null, t('erase.download_first')),
      h('p', null, h('button', { type: 'button', class: 'button button--secondary', id: 'erase-download', disabled: s.busy, onclick: download }, t('erase.download'))));
  }

  function stateSection() {
    const st = s.req?.state ?? 'none';
    const msg = s.msg ? h('div', { id: 'erase-msg', tabindex: '-1' }, notice(s.msg.kind, s.msg.text())) : null;
    if (st === 'requested') {
      return h('section', { class: 'card', 'aria-labelledby': 'erase-state-title', id: 'erase-state', 'data-state': st },
        h('h2', { class: 'card__title', id: 'erase-state-title' }, t('erase.state_title')),
        msg,
        h('p', { id: 'erase-asked' }, t('erase.asked', { date: formatDate(s.req.requested_at) })),
        h('p', null, h('button', { type: 'button', class: 'button', id: 'erase-withdraw', disabled: s.busy, onclick: withdraw }, t('erase.withdraw'))));
    }
    return h('section', { class: 'card', 'aria-labelledby': 'erase-state-title', id: 'erase-state', 'data-state': st },
      h('h2', { class: 'card__title', id: 'erase-state-title' }, t('erase.state_title')),
      msg,
      st === 'withdrawn' ? h('p', { id: 'erase-withdrawn' }, t('erase.withdrawn', { date: formatDate(s.req.withdrawn_at) })) : null,
      h('form', { class: 'form', id: 'erase-form', novalidate: true, onsubmit: ask },
        h('div', { class: 'choice' },
          h('input', { type: 'checkbox', id: 'erase-understand', checked: s.understood, onchange: (e) => { s.understood = e.target.checked; } }),
          h('label', { for: 'erase-understand', class: 'choice__label' }, t('erase.understand'))),
        h('div', { class: 'form__actions' },
          h('button', { type: 'submit', class: 'button button--danger', id: 'erase-ask', disabled: s.busy }, t('erase.ask')))));
  }

  /** The text read aloud: the intro, the explanation and the state (no button labels), whole
   * sentences up to the server's 2000 bytes. */
  function spoken() {
    const els = document.querySelectorAll('.erase-page .lead, #erase-what h2, #erase-what p:not(:last-child), #erase-state p:not(.form__actions)');
    const enc = new TextEncoder();
    let out = '';
    for (const el of els) {
      const line = el.textContent.replace(/\s+/g, ' ').trim();
      if (!line || el.closest('form')) continue;
      if (enc.encode(`${out}${line}\n`).length > SPEECH_BYTES) break;
      out += `${line}\n`;
    }
    return out;
  }

  function readAloud() {
    const btn = speakButton(spoken, getLang(), { id: 'erase-read' });
    btn?.classList.add('read-aloud--big');
    return btn ? h('p', null, btn) : null;
  }

  function render() {
    if (!s.pid) return h('div', { class: 'stack' }, pageTitle(t('erase.title')), notice('info', t('me.no_dossier')));
    return h('div', { class: 'stack erase-page' },
      h('p', { class: 'breadcrumb' }, h('a', { href: '#/me', id: 'erase-back' }, t('erase.back'))),
      pageTitle(t('erase.title')),
      h('p', { class: 'lead' }, t('erase.intro')),
      readAloud(),
      explanation(),
      stateSection());
  }

  return { title: () => t('erase.title'), load, render, leave: stopSpeaking };
}
