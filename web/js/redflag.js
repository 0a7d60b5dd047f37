// SPDX-License-Identifier: EUPL-1.2
// The red-flag protocol: a full-screen panel over the whole page (role=alertdialog, aria-modal)
// that cannot be dismissed without recording what was done (research note §15.3). Opened the
// moment a red-flag answer is given in a conversation, or by hand ("Ik maak me zorgen over de
// veiligheid") at any moment.
//
// The flag is raised on the server at once (POST /clients/{id}/red-flags), before the volunteer
// has done anything, so that it exists even if the conversation stops or the phone dies. Then:
// in client mode a calm message in the client's language (113, 112, "give the phone back"); then
// the volunteer protocol in plain Dutch with tappable numbers; then a required choice of
// action(s) and a note, recorded with POST /red-flags/{fid}/actions. Only that closes the panel.
// No Escape, no backdrop, no back button (the router is locked), focus stays inside.

import { post } from './api.js';
import { h, nextId } from './dom.js';
import { icon } from './icons.js';
import { NL, TEL, ACTIONS, calmFor } from './protocol.js';
import { dirOf } from './i18n.js';

const NOTE_MAX = 1000;

let current = null; // the open panel, if any

/** Split a protocol string at {n112}-style placeholders into text and tel: links. */
export function withTel(s, cls = 'tel-link') {
  const out = [];
  let last = 0;
  for (const m of s.matchAll(/\{(n\w+)\}/g)) {
    const tel = TEL[m[1]];
    if (!tel) continue;
    out.push(s.slice(last, m.index));
    out.push(h('a', { href: tel[0], class: cls, dir: 'ltr' }, icon('phone', 'icon--inline'), tel[1]));
    last = m.index + m[0].length;
  }
  out.push(s.slice(last));
  return out.filter((x) => x !== '');
}

export function isOpen() {
  return current !== null;
}

/** Close without recording: only for an ended session (the login page must be reachable). */
export function forceClose() {
  if (current) current.teardown();
}

/**
 * Open the protocol. opts:
 *  ctx         the view context (lockNavigation)
 *  clientId    the client the flag is about
 *  protocol    'suicide' | 'danger', or null to let the volunteer choose (manual flag)
 *  source      'answer' | 'manual'
 *  mode        'client' shows the calm client message first; anything else goes to the protocol
 *  clientLang  the conversation language (for the calm message)
 *  about       for an answer: the Dutch question text, recorded in the note
 *  minor       true for a client under 18 (adds the child protocol)
 *  onDone      called with {flag, actions, note} once recorded; onCancel when a manual flag is
 *              abandoned before it was raised
 */
export function openRedFlag(opts) {
  if (current) return current;
  const s = {
    step: opts.protocol ? (opts.mode === 'client' ? 'calm' : 'protocol') : 'choose',
    protocol: opts.protocol || null,
    flag: null, raising: false, raiseError: null, raisePromise: null,
    chosen: new Set(), note: '', recording: false, recordError: null, errors: {},
  };
  const ids = { title: nextId('protocol-title'), lead: nextId('protocol-lead') };
  const root = h('div', {
    class: 'protocol', id: 'redflag-protocol', role: 'alertdialog', 'aria-modal': 'true',
    'aria-labelledby': ids.title, 'aria-describedby': ids.lead, lang: NL.lang, dir: 'ltr',
  });
  const inerted = [];
  const release = opts.ctx?.lockNavigation ? opts.ctx.lockNavigation() : () => {};

  function onKey(e) {
    if (e.key === 'Escape' || e.key === 'Esc') {
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    if (e.key !== 'Tab') return;
    const f = [...root.querySelectorAll('a[href], button:not([disabled]), input:not([disabled]), textarea:not([disabled]), [tabindex="0"]')]
      .filter((el) => el.offsetParent !== null || el === document.activeElement);
    if (!f.length) { e.preventDefault(); return; }
    const first = f[0];
    const last = f[f.length - 1];
    if (!root.contains(document.activeElement)) { e.preventDefault(); first.focus(); } else if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); } else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  }
  function onFocusIn(e) {
    if (!root.contains(e.target)) root.querySelector('.protocol__title')?.focus();
  }
  function onBeforeUnload(e) {
    e.preventDefault();
    e.returnValue = '';
  }

  function teardown() {
    document.removeEventListener('keydown', onKey, true);
    document.removeEventListener('focusin', onFocusIn, true);
    window.removeEventListener('beforeunload', onBeforeUnload);
    for (const el of inerted) el.inert = false;
    document.body.classList.remove('has-protocol');
    root.remove();
    release();
    current = null;
  }

  /* ---------- server ---------- */

  function raise() {
    if (s.flag) return Promise.resolve(s.flag);
    if (s.raisePromise) return s.raisePromise;
    s.raising = true;
    s.raiseError = null;
    const prefix = opts.source === 'answer' ? NL.note_prefix.answer + (opts.about || '') : NL.note_prefix.manual;
    const body = { protocol: s.protocol, note: prefix.slice(0, NOTE_MAX) };
    // raised on an answer: name the instrument's flag, so the screening takes this one over
    if (opts.source === 'answer' && opts.flagId) body.flag = opts.flagId;
    s.raisePromise = post(`/clients/${encodeURIComponent(opts.clientId)}/red-flags`, body)
      .then(({ data }) => { s.flag = data; return data; })
      .catch((err) => { s.raiseError = err; throw err; })
      .finally(() => { s.raising = false; s.raisePromise = null; updateRaiseStatus(); });
    updateRaiseStatus();
    return s.raisePromise;
  }

  async function record() {
    s.errors = {};
    if (!s.chosen.size) s.errors.actions = NL.need_action;
    if (!s.note.trim()) s.errors.note = NL.need_note;
    if (Object.keys(s.errors).length) {
      showFormErrors();
      return;
    }
    s.recording = true;
    s.recordError = null;
    updateForm();
    const actions = ACTIONS.filter((a) => s.chosen.has(a));
    const note = s.note.trim().slice(0, NOTE_MAX);
    let flag;
    try {
      flag = await raise();
      for (const action of actions) {
        // eslint-disable-next-line no-await-in-loop -- one action after the other, in order
        const { data } = await post(`/red-flags/${encodeURIComponent(flag.id)}/actions`, { action, note });
        if (data) flag = data;
      }
    } catch (err) {
      s.recording = false;
      if (err.handled) return; // session ended: forceClose() has run
      s.recordError = err;
      updateForm();
      root.querySelector('.protocol__record-error')?.focus();
      return;
    }
    teardown();
    opts.onDone?.({ flag, actions, note });
  }

  /* ---------- rendering ---------- */

  function title(text) {
    return h('h2', { class: 'protocol__title', id: ids.title, tabindex: '-1' }, icon('alert', 'protocol__icon'), text);
  }

  function chooseStep() {
    const pick = (protocol) => () => {
      s.protocol = protocol;
      raise().catch(() => {});
      show(opts.mode === 'client' ? 'calm' : 'protocol');
    };
    return h('div', { class: 'protocol__panel' },
      title(NL.manual.title),
      h('p', { id: ids.lead, class: 'protocol__lead' }, NL.manual.lead),
      h('div', { class: 'protocol__choices' },
        h('button', { type: 'button', class: 'button button--danger protocol__choice', 'data-protocol': 'suicide', onclick: pick('suicide') }, NL.manual.suicide),
        h('button', { type: 'button', class: 'button button--danger protocol__choice', 'data-protocol': 'danger', onclick: pick('danger') }, NL.manual.danger)),
      h('button', {
        type: 'button', class: 'button button--secondary', id: 'protocol-cancel',
        onclick: () => { teardown(); opts.onCancel?.(); },
      }, NL.manual.cancel));
  }

  function calmStep() {
    const c = calmFor(opts.clientLang);
    return h('div', { class: 'protocol__panel protocol__panel--calm' },
      h('div', { lang: c.lang, dir: dirOf(c.lang), class: 'protocol__calm' },
        h('h2', { class: 'protocol__title protocol__title--calm', id: ids.title, tabindex: '-1' }, c.title),
        h('p', { id: ids.lead, class: 'protocol__calm-body' }, withTel(c.body, 'tel-link tel-link--big')),
        h('p', { class: 'protocol__calm-give' }, c.give_back)),
      h('div', { class: 'protocol__handover', lang: NL.lang, dir: 'ltr' },
        h('button', { type: 'button', class: 'button protocol__to-volunteer', id: 'protocol-to-volunteer', onclick: () => show('protocol') },
          NL.to_volunteer)));
  }

  function raiseStatus() {
    const el = h('p', { class: 'protocol__raise', id: 'protocol-raise', role: 'status' });
    return el;
  }

  function updateRaiseStatus() {
    const el = root.querySelector('#protocol-raise');
    if (!el) return;
    el.className = ['protocol__raise', s.flag ? 'protocol__raise--ok' : s.raiseError ? 'protocol__raise--error' : ''].join(' ').trim();
    el.textContent = s.flag ? NL.raised : s.raiseError ? NL.raise_failed : NL.raising;
  }

  function protocolStep() {
    const steps = NL.steps[s.protocol] || NL.steps.suicide;
    const noteId = 'protocol-note';
    const actionsId = 'protocol-actions';
    return h('div', { class: 'protocol__panel' },
      title(NL.title[s.protocol] || NL.title.suicide),
      h('p', { id: ids.lead, class: 'protocol__lead' }, NL.lead),
      h('ol', { class: 'protocol__steps' }, steps.map((st) => h('li', null, withTel(st)))),
      opts.minor ? h('p', { class: 'protocol__child' }, withTel(NL.child)) : null,
      raiseStatus(),
      h('form', { class: 'protocol__form', novalidate: true, onsubmit: (e) => { e.preventDefault(); record(); } },
        h('fieldset', { class: 'fieldset field', id: `${actionsId}-group`, 'aria-describedby': `${actionsId}-hint` },
          h('legend', { class: 'field__label protocol__form-title' }, NL.record_title),
          h('p', { class: 'field__hint', id: `${actionsId}-hint` }, NL.record_hint),
          h('p', { class: 'field__error', id: `${actionsId}-error`, hidden: true }),
          h('div', { class: 'choices' }, ACTIONS.map((a, i) => {
            const id = i === 0 ? actionsId : `${actionsId}-${i}`;
            return h('div', { class: 'choice' },
              h('input', {
                type: 'checkbox', id, name: 'action', value: a, checked: s.chosen.has(a),
                onchange: (e) => { if (e.target.checked) s.chosen.add(a); else s.chosen.delete(a); updateForm(); },
              }),
              h('div', { class: 'choice__text' }, h('label', { for: id, class: 'choice__label' }, NL.actions[a])));
          }))),
        h('div', { class: 'field' },
          h('label', { for: noteId, class: 'field__label' }, NL.note),
          h('p', { class: 'field__hint', id: `${noteId}-hint` }, NL.note_hint),
          h('p', { class: 'field__error', id: `${noteId}-error`, hidden: true }),
          h('textarea', {
            id: noteId, name: 'note', rows: '3', maxlength: String(NOTE_MAX), required: true,
            'aria-describedby': `${noteId}-hint`, value: s.note,
            oninput: (e) => { s.note = e.target.value; },
          })),
        h('div', { class: 'protocol__record-error', tabindex: '-1', hidden: true, role: 'alert' }),
        h('button', { type: 'submit', class: 'button button--danger protocol__submit', id: 'protocol-submit', disabled: true }, NL.record)));
  }

  function updateForm() {
    const btn = root.querySelector('#protocol-submit');
    if (!btn) return;
    btn.disabled = s.recording || s.chosen.size === 0;
    btn.textContent = s.recording ? NL.recording : NL.record;
    const errBox = root.querySelector('.protocol__record-error');
    errBox.hidden = !s.recordError;
    errBox.className = s.recordError ? 'protocol__record-error notice notice--error' : 'protocol__record-error';
    errBox.textContent = s.recordError ? NL.record_failed : '';
    if (s.chosen.size && s.errors.actions) {
      delete s.errors.actions;
      showFormErrors(false);
    }
  }

  function showFormErrors(focus = true) {
    const pairs = [['actions', 'protocol-actions'], ['note', 'protocol-note']];
    for (const [key, id] of pairs) {
      const err = root.querySelector(`#${id}-error`);
      const control = root.querySelector(`#${id}`);
      const wrap = key === 'actions' ? root.querySelector(`#${id}-group`) : control.closest('.field');
      err.hidden = !s.errors[key];
      err.textContent = s.errors[key] || '';
      wrap.classList.toggle('field--error', Boolean(s.errors[key]));
      const described = [s.errors[key] ? `${id}-error` : null, `${id}-hint`].filter(Boolean).join(' ');
      if (key === 'note') {
        control.setAttribute('aria-describedby', described);
        if (s.errors[key]) control.setAttribute('aria-invalid', 'true'); else control.removeAttribute('aria-invalid');
      } else {
        wrap.setAttribute('aria-describedby', described);
      }
    }
    if (!focus) return;
    const first = pairs.find(([k]) => s.errors[k]);
    if (first) root.querySelector(`#${first[1]}`)?.focus();
  }

  function show(step) {
    s.step = step;
    const panel = step === 'choose' ? chooseStep() : step === 'calm' ? calmStep() : protocolStep();
    root.className = ['protocol', step === 'calm' ? 'protocol--calm' : ''].join(' ').trim();
    root.setAttribute('lang', step === 'calm' ? calmFor(opts.clientLang).lang : NL.lang);
    root.replaceChildren(panel);
    if (step === 'protocol') {
      updateRaiseStatus();
      updateForm();
    }
    root.scrollTop = 0;
    root.querySelector('.protocol__title')?.focus();
  }

  // Open: everything else on the page becomes inert; Escape and the back button do nothing.
  for (const el of document.body.children) {
    if (!el.inert) {
      el.inert = true;
      inerted.push(el);
    }
  }
  document.body.append(root);
  document.body.classList.add('has-protocol');
  document.addEventListener('keydown', onKey, true);
  document.addEventListener('focusin', onFocusIn, true);
  window.addEventListener('beforeunload', onBeforeUnload);
  if (s.protocol) raise().catch(() => {});
  show(s.step);

  current = { teardown, root };
  return current;
}
