// SPDX-License-Identifier: EUPL-1.2
// The route map of a client (#/clients/{id}/route, issue 6; docs/routing.md §7): the stepped-care
// advice computed from the latest screening (GET /api/v1/clients/{id}/route; POST to compute it
// when there is none, when a newer screening exists, or when the volunteer asks again with the
// client's wishes). Shows:
// - the client's wishes (group / individual, own language, women only, near home) and the two
//   questions the rules use (complaints persist, daily life harder) → "compute again" POSTs them;
//   each offer says which wishes it meets;
// - the levels as a staircase (recommended ones marked in words), per level the reasons and next
//   steps in Dutch, the urgency and the matching offers with their fit reasons;
// - the client's referrals with their state; for one that needs a new offer (the client could
//   not go, declined, closed unsuccessful) the offers already tried are marked and the next
//   matching offer of the same level is proposed ("Refer to this one instead", `replaces`);
// - "Route card": a short printable card in the client's language, read aloud (speak.js).
// "Verwijzen" per offer (volunteer with the referral scope, an organisation that receives
// referrals in Veerkracht) opens the referral form: handover note (the client sees it),
// interpreter, a joint first contact. When the client has no grant for the receiving organisation
// covering what is shared, the form turns into the consent step: in the client's language (Dutch
// beside it) which organisation, which parts, for how long, and the handover note; "The client
// agrees" sends the referral with the verbal consent in it (POST /referrals with `consent`: the
// grant and the referral are one transaction, so a refused referral leaves no grant), "The client
// does not agree" closes with nothing written. When a grant already covers it, the same
// client-language part (who gets what, the note, read aloud) is shown before sending; only the
// consent question is left out. The note's limit is 1000 bytes of UTF-8 (counted as typed). Afterwards a confirmation card in the
// client's language (where to go / who will call, phone and place from the map, what was shared,
// what happens next, crisis numbers), printable and read aloud.
// Element ids for tests: refer-{key}, refer-box-{key}, refer-note-{key}, refer-send-{key} (grant
// covers it), refer-consent-{key}, refer-agree-{key}, refer-disagree-{key}, refer-error-{key},
// refer-confirmation; key is "route-level-L1-offers-0" or "route-next-{referral id}".

import { t, translator, formatDateTime } from '../i18n.js';
import { get, post } from '../api.js';
import { h, notice, pageTitle, errorText } from '../dom.js';
import { speakButton, loadVoices, stopSpeaking } from '../speak.js';
import { isoOf } from './referral_page.js';

const STAIRS = ['crisis', 'L0', 'L1', 'L2', 'L3'];
/** What a referral from the route map shares (the server always adds `referral`). */
const SHARED = ['signal'];
/** How long the consent recorded at the refer button lasts (days). */
const CONSENT_DAYS = 90;
const WISHES = ['group', 'individual', 'own_language', 'women_only', 'near_home'];
const QUESTIONS = ['persistent', 'function_impaired'];
/** Referral states after which the route map offers the next service. */
const AGAIN = new Set(['declined', 'closed_unsuccessful']);

/**
 * The link to the route map, for whoever may see this client's signalling (the client page; the
 * screening result, whose reader has that scope by definition, passes ['signal']).
 */
export function routeLink(clientId, scopes, id = 'client-route-link') {
  if (!Array.isArray(scopes) || !scopes.includes('signal')) return null;
  return h('p', { class: 'action-list' },
    h('a', { class: 'button button--secondary', id, href: `#/clients/${encodeURIComponent(clientId)}/route` },
      t('route.link')));
}

/** A rule text {nl, en, <lang>?} in lang: {text, lang, fallback} (Dutch when lang is missing). */
function pick(txt, lang) {
  if (txt && typeof txt[lang] === 'string' && txt[lang]) return { text: txt[lang], lang, fallback: false };
  return { text: (txt && txt.nl) || '', lang: 'nl', fallback: lang !== 'nl' };
}

/** The server's cap on the handover note, in bytes of UTF-8 (STORE_NOTE_MAX). */
const NOTE_MAX_BYTES = 1000;
const encoder = new TextEncoder();
const noteBytes = (x) => encoder.encode(x.trim()).length;

/** The text of a card as shown, without its controls (.no-print: the read-aloud button). */
export function cardContent(el) {
  if (!el) return '';
  return [...el.children].filter((c) => !c.classList.contains('no-print')).map((c) => c.innerText).join('\n').trim();
}

/** "In de eigen taal" → "in de eigen taal", for a list inside a sentence. */
const lowerFirst = (x) => x.charAt(0).toLocaleLowerCase() + x.slice(1);

/** Whether a referral asks for the next offer, and has not been followed up yet. */
export function needsNext(r) {
  return !r.replaced_by && (r.needs_new_offer || AGAIN.has(r.state));
}

function emptyForm(lang) {
  return { note: '', interpreter: false, interpreterLang: lang || '', joint: false, mode: 'in_person', with: '', at: '', contactInterpreter: false };
}

export function createRouteView(ctx, clientId) {
  const base = `/clients/${encodeURIComponent(clientId)}`;
  const path = `${base}/route`;
  const s = {
    advice: null,
    client: null,
    scopes: [], // the caller's scopes on this client (GET /clients/{id})
    referrals: [], // GET /clients/{id}/referrals
    wishes: new Set(),
    questions: { persistent: false, function_impaired: false },
    busy: false,
    error: null,
    card: null, // translator of the client's language while the route card is open
    ct: null, // translator of the client's language (consent step, confirmation)
    open: null, // {key, m, replaces, covered: bool|null} of the open referral form
    form: emptyForm(''),
    referBusy: false,
    referError: null, // {key, err}
    done: null, // {referral, m, service, grant} of the referral just made (the confirmation)
    referred: new Map(), // service id -> the referral made here
  };

  /** The latest advice, or null when there is none (404). */
  async function latest() {
    try {
      return (await get(path)).data;
    } catch (err) {
      if (err.status !== 404) throw err;
      return null;
    }
  }

  async function loadReferrals() {
    if (!s.scopes.includes('referral')) return;
    try {
      s.referrals = (await get(`${base}/referrals`)).data?.items || [];
    } catch (err) {
      if (err.handled) throw err;
      s.referrals = [];
    }
  }

  function takeInput(advice) {
    const input = advice?.input || {};
    s.wishes = new Set(Array.isArray(input.wishes) ? input.wishes : []);
    for (const q of QUESTIONS) s.questions[q] = input[q] === true;
  }

  /** Shows the latest advice; computes a new one when there is none or a newer screening. */
  async function load() {
    const [client, screenings, advice] = await Promise.all([get(base), get(`${base}/screenings`), latest(), loadVoices()]);
    s.client = client.data || {};
    s.scopes = s.client.scopes || [];
    const newest = screenings.data?.items?.[0]?.id ?? null;
    s.advice = advice && advice.screening_id === newest ? advice : (await post(path, {})).data;
    takeInput(s.advice);
    s.form = emptyForm(s.client.language);
    [s.ct] = await Promise.all([translator(s.advice?.lang || s.client.language || 'nl'), loadReferrals()]);
  }

  function leave() {
    stopSpeaking();
    document.body.classList.remove('is-route-card');
  }

  function requestBody() {
    const body = {};
    if (s.wishes.size) body.wishes = WISHES.filter((w) => s.wishes.has(w));
    for (const q of QUESTIONS) if (s.questions[q]) body[q] = true;
    return body;
  }

  async function recompute() {
    if (s.busy) return;
    s.busy = true;
    s.error = null;
    ctx.rerender();
    try {
      s.advice = (await post(path, requestBody())).data;
      takeInput(s.advice);
      ctx.announce(() => t('route.recomputed'), 'success');
    } catch (err) {
      if (err.handled) return;
      s.error = err;
    }
    s.busy = false;
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    document.getElementById('route-recompute')?.focus();
  }

  async function toggleCard() {
    if (s.card) {
      s.card = null;
      document.body.classList.remove('is-route-card');
    } else {
      s.card = await translator(s.advice?.lang || 'nl');
      document.body.classList.add('is-route-card');
    }
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    document.getElementById(s.card ? 'route-card-title' : 'route-card-open')?.focus();
  }

  /* ---------- referring: form, consent, confirmation ---------- */

  /** Whether the client's active grants for org cover every shared scope plus referral. */
  async function covered(orgId) {
    try {
      const items = (await get(`${base}/grants`)).data?.items || [];
      const have = new Set(items.filter((g) => g.active && g.org?.id === orgId).flatMap((g) => g.scopes || []));
      return ['referral', ...SHARED].every((x) => have.has(x));
    } catch (err) {
      if (err.handled) throw err;
      return false; // cannot tell: ask for consent
    }
  }

  async function openRefer(key, m, replaces) {
    if (s.open?.key === key) {
      s.open = null;
      s.referError = null;
      ctx.rerender();
      document.getElementById(`refer-${key}`)?.focus();
      return;
    }
    s.open = { key, m, replaces: replaces || null, covered: null };
    s.form = emptyForm(s.client?.language);
    s.referError = null;
    ctx.rerender();
    const yes = await covered(m.receiver.id);
    if (!ctx.isCurrent() || s.open?.key !== key) return;
    s.open.covered = yes;
    ctx.rerender();
    document.getElementById(`refer-note-${key}`)?.focus();
  }

  function closeRefer(key, said) {
    s.open = null;
    s.referError = null;
    if (said) ctx.announce(() => t(said), 'info');
    ctx.rerender();
    document.getElementById(`refer-${key}`)?.focus();
  }

  /** agree: the client's verbal consent goes with the referral (one transaction). */
  function referralBody(m, replaces, agree) {
    const f = s.form;
    const body = { client_id: clientId, service_id: m.service, scopes: SHARED, advice_id: s.advice.id };
    if (f.note.trim()) body.handover_note = f.note.trim();
    if (f.interpreter) {
      body.interpreter = true;
      if (f.interpreterLang) body.interpreter_language = f.interpreterLang;
    }
    if (f.joint) {
      body.joint_contact = { mode: f.mode, interpreter: f.contactInterpreter };
      if (f.with.trim()) body.joint_contact.with = f.with.trim();
      const at = isoOf(f.at); // Dutch time, as on the referral page
      if (at) body.joint_contact.at = at;
    }
    if (replaces) body.replaces = replaces;
    if (agree) body.consent = { basis: 'verbal_consent', days: CONSENT_DAYS };
    return body;
  }

  /** The service's card in the client's language (phone and place for the confirmation). */
  async function serviceView(id, lang) {
    try {
      return (await get(`/services/${encodeURIComponent(id)}?lang=${encodeURIComponent(lang)}`)).data;
    } catch (err) {
      if (err.handled) throw err;
      return null;
    }
  }

  /** What the form can tell before sending: the note's bytes, the moment of the contact. */
  function localError() {
    const f = s.form;
    if (noteBytes(f.note) > NOTE_MAX_BYTES) return { text: t('route.refer_note_too_long', { used: noteBytes(f.note), max: NOTE_MAX_BYTES }), focus: 'note' };
    if (f.joint && isoOf(f.at) === 'invalid') return { text: t('route.refer_at_invalid'), focus: 'at' };
    return null;
  }

  /** agree: the client said yes at the consent step; the consent goes with the referral. */
  async function refer(key, agree) {
    const { m, replaces } = s.open || {};
    if (s.referBusy || !m) return;
    const local = localError();
    if (local) {
      s.referError = { key, err: { local } };
      ctx.rerender();
      document.getElementById(`refer-${local.focus}-${key}`)?.focus();
      return;
    }
    s.referBusy = true;
    s.referError = null;
    ctx.rerender();
    try {
      const { data } = await post('/referrals', referralBody(m, replaces, agree));
      s.referred.set(m.service, data);
      s.done = { referral: data, m, note: s.form.note.trim(), service: await serviceView(m.service, s.ct?.lang || 'nl') };
      s.open = null;
      await loadReferrals();
      ctx.announce(() => t('route.refer_done', { name: m.name }), 'success');
    } catch (err) {
      if (err.handled) return;
      s.referError = { key, err };
    }
    s.referBusy = false;
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    document.getElementById(s.referError ? `refer-error-${key}` : 'refer-confirmation-title')?.focus();
  }

  const canRefer = () => s.scopes.includes('referral') && SHARED.every((x) => s.scopes.includes(x));

  /** The referral error at the button: a missing grant (409) names the organisation and scopes. */
  function referErrorText(err) {
    if (err.local) return err.local.text;
    if (err.status === 409) return `${t('route.refer_no_consent')} ${err.problem?.detail || ''}`.trim();
    if (err.status === 422 && err.fieldErrors.length) return `${errorText(err)} ${err.fieldErrors.map((e) => `${e.pointer}: ${e.detail}`).join('; ')}`;
    return errorText(err);
  }

  function check(id, label, checked, onchange) {
    return h('div', { class: 'choice' },
      h('input', { type: 'checkbox', id, checked, onchange: (e) => onchange(e.target.checked) }),
      h('div', { class: 'choice__text' }, h('label', { for: id, class: 'choice__label' }, label)));
  }

  function textInput(id, label, value, attrs, oninput) {
    return h('div', { class: 'field' },
      h('label', { for: id, class: 'field__label' }, label),
      h('input', { type: 'text', id, value, ...attrs, oninput: (e) => oninput(e.target.value) }));
  }

  /** The consent step shows the handover note as it is typed (no re-render: focus stays). */
  function noteInput(key, value) {
    s.form.note = value;
    const count = document.getElementById(`refer-note-${key}-count`);
    if (count) {
      const used = noteBytes(value);
      count.textContent = t('route.refer_note_count', { used, max: NOTE_MAX_BYTES });
      count.classList.toggle('is-over', used > NOTE_MAX_BYTES);
    }
    const box = document.getElementById(`refer-consent-note-${key}`);
    if (!box) return;
    box.hidden = !value.trim();
    document.getElementById(`refer-consent-note-text-${key}`).textContent = value.trim();
  }

  /** Handover note, interpreter, joint first contact. */
  function referForm(key) {
    const f = s.form;
    const rerenderTo = (id) => { ctx.rerender(); document.getElementById(id)?.focus(); };
    return h('div', { class: 'route-refer__form' },
      h('div', { class: 'field' },
        h('label', { for: `refer-note-${key}`, class: 'field__label' }, t('route.refer_note'),
          h('span', { class: 'field__optional' }, ` ${t('form.optional')}`)),
        h('p', { class: 'field__hint', id: `refer-note-${key}-hint` }, t('route.refer_note_limit', { max: NOTE_MAX_BYTES })),
        h('textarea', { id: `refer-note-${key}`, rows: '3', 'aria-describedby': `refer-note-${key}-hint refer-note-${key}-count`, value: f.note, oninput: (e) => noteInput(key, e.target.value) }),
        h('p', { class: ['field__hint', 'route-refer__count', noteBytes(f.note) > NOTE_MAX_BYTES ? 'is-over' : null], id: `refer-note-${key}-count` },
          t('route.refer_note_count', { used: noteBytes(f.note), max: NOTE_MAX_BYTES }))),
      check(`refer-interpreter-${key}`, t('route.refer_interpreter'), f.interpreter, (v) => { f.interpreter = v; rerenderTo(`refer-interpreter-${key}`); }),
      f.interpreter ? textInput(`refer-interpreter-lang-${key}`, t('route.refer_interpreter_lang'), f.interpreterLang, { maxlength: '35', autocomplete: 'off' }, (v) => { f.interpreterLang = v; }) : null,
      check(`refer-joint-${key}`, t('route.refer_joint'), f.joint, (v) => { f.joint = v; rerenderTo(`refer-joint-${key}`); }),
      f.joint ? h('fieldset', { class: 'route-refer__joint' },
        h('legend', null, t('route.refer_joint_legend')),
        h('div', { class: 'field' },
          h('label', { for: `refer-mode-${key}`, class: 'field__label' }, t('route.refer_mode')),
          h('select', { id: `refer-mode-${key}`, onchange: (e) => { f.mode = e.target.value; } },
            ['in_person', 'phone'].map((x) => h('option', { value: x, selected: f.mode === x }, t(`route.mode.${x}`))))),
        textInput(`refer-with-${key}`, t('route.refer_with'), f.with, { maxlength: '200', autocomplete: 'off' }, (v) => { f.with = v; }),
        textInput(`refer-at-${key}`, t('route.refer_at'), f.at, { type: 'datetime-local' }, (v) => { f.at = v; }),
        check(`refer-contact-interpreter-${key}`, t('route.refer_contact_interpreter'), f.contactInterpreter, (v) => { f.contactInterpreter = v; })) : null);
  }

  /** One line of the consent step: the client's language, and the volunteer's words beside it. */
  function both(cls, key, vars, extra) {
    const ct = s.ct;
    const same = ct.lang === 'nl';
    return h('div', { class: ['route-consent__line', cls] },
      h('p', { class: 'route-consent__client', lang: ct.lang, dir: ct.dir }, ct(key, vars), extra ? extra(ct) : null),
      same ? null : h('p', { class: 'route-consent__nl', lang: 'nl' }, t(key, vars), extra ? extra(t) : null));
  }

  /** The text the consent step reads aloud, in the client's language (covered: no question). */
  function consentText(m, covered) {
    const ct = s.ct;
    const scopes = ['referral', ...SHARED].map((x) => ct(`scopes_desc.${x}`)).join('. ');
    const note = s.form.note.trim();
    return [ct('route.consent_who', { org: m.receiver.name }), scopes, covered ? '' : ct('route.consent_days', { days: CONSENT_DAYS }),
      note ? `${ct('route.consent_note')} ${note}` : '', covered ? '' : ct('route.consent_question')].filter(Boolean).join('\n');
  }

  /** Sending when a grant already covers it: the same client-language part, no question. */
  function coveredStep(key, m) {
    return h('div', null,
      h('p', { class: 'muted', id: `refer-covered-${key}` }, t('route.refer_covered', { org: m.receiver.name })),
      consentStep(key, m, true),
      h('div', { class: 'form__actions' },
        h('button', { type: 'button', class: 'button button--small', id: `refer-send-${key}`, 'aria-disabled': s.referBusy ? 'true' : 'false', onclick: () => refer(key, false) },
          s.referBusy ? t('route.busy') : t('route.refer_send')),
        h('button', { type: 'button', class: 'button button--secondary button--small', onclick: () => closeRefer(key) }, t('route.refer_cancel'))));
  }

  /** Who gets what and the note, in the client's language with read aloud; covered: without the
   * consent question and its buttons (coveredStep() has the send button). */
  function consentStep(key, m, covered = false) {
    const note = s.form.note.trim();
    const ct = s.ct;
    return h('section', { class: 'route-consent', id: `refer-consent-${key}`, 'aria-labelledby': `refer-consent-title-${key}` },
      h('h5', { id: `refer-consent-title-${key}`, class: 'route-consent__title' }, t(covered ? 'route.covered_title' : 'route.consent_title')),
      h('p', { class: 'muted' }, t(covered ? 'route.covered_show' : 'route.consent_ask')),
      speakButton(() => consentText(m, covered), ct.lang, { id: `refer-consent-speak-${key}`, label: ct('speech.read_aloud'), stopLabel: ct('speech.stop'), failLabel: ct('speech.unavailable') }),
      both('route-consent__who', 'route.consent_who', { org: m.receiver.name }),
      h('ul', { class: 'route-consent__scopes' }, ['referral', ...SHARED].map((x) => h('li', null,
        h('span', { lang: ct.lang, dir: ct.dir }, ct(`scopes_desc.${x}`)),
        ct.lang === 'nl' ? null : h('span', { class: 'route-consent__nl', lang: 'nl' }, ` (${t(`scopes_desc.${x}`)})`)))),
      covered ? null : both('route-consent__days', 'route.consent_days', { days: CONSENT_DAYS }),
      h('div', { class: 'route-consent__note', id: `refer-consent-note-${key}`, hidden: !note },
        both('', 'route.consent_note', {}),
        h('blockquote', { class: 'route-consent__note-text', id: `refer-consent-note-text-${key}` }, note)),
      covered ? null : both('route-consent__question', 'route.consent_question', {}),
      covered ? null : h('div', { class: 'form__actions' },
        h('button', { type: 'button', class: 'button button--small', id: `refer-agree-${key}`, disabled: s.referBusy, onclick: () => refer(key, true) },
          s.referBusy ? t('route.busy') : t('route.consent_agree')),
        h('button', { type: 'button', class: 'button button--secondary button--small', id: `refer-disagree-${key}`, disabled: s.referBusy, onclick: () => closeRefer(key, 'route.consent_refused') },
          t('route.consent_disagree'))));
  }

  function referBox(key, m, replaces) {
    if (!canRefer()) return null;
    if (!m.receiver) return h('p', { class: 'muted route-refer__none' }, t('route.refer_no_receiver'));
    const done = s.referred.get(m.service);
    if (done && !replaces) return notice('success', t('route.refer_done', { name: m.name }));
    const open = s.open?.key === key;
    const err = s.referError?.key === key ? s.referError.err : null;
    const cov = open ? s.open.covered : null;
    return h('div', { class: 'route-refer' },
      h('button', { type: 'button', class: 'button button--secondary button--small', id: `refer-${key}`, 'aria-expanded': open ? 'true' : 'false', 'aria-controls': `refer-box-${key}`, onclick: () => openRefer(key, m, replaces) },
        replaces ? t('route.refer_instead') : t('route.refer')),
      open ? h('div', { class: 'route-refer__confirm', id: `refer-box-${key}` },
        h('p', null, t('route.refer_share', { org: m.receiver.name })),
        h('ul', null, ['referral', ...SHARED].map((sc) => h('li', null, h('strong', null, t(`scopes.${sc}`)), ' — ', t(`scopes_desc.${sc}`)))),
        referForm(key),
        err ? h('div', { id: `refer-error-${key}`, tabindex: '-1' }, notice('error', referErrorText(err))) : null,
        cov === null ? h('p', { class: 'muted' }, t('route.busy'))
          : cov ? coveredStep(key, m)
            : consentStep(key, m)) : null);
  }

  /** Where to go or who calls, phone and place: from the service's card on the map. */
  function confirmPlace(ct, sv) {
    const phone = sv?.phones?.[0]?.number || sv?.organization?.phones?.[0]?.number || null;
    const place = sv?.locations?.[0]?.name || null;
    return [
      phone ? h('li', null, ct('route.confirm_phone'), ' ', h('bdi', { dir: 'ltr' }, h('a', { href: `tel:${phone.replace(/[^0-9+]/g, '')}` }, phone))) : null,
      place ? h('li', null, ct('route.confirm_place'), ' ', h('bdi', null, place)) : null,
    ];
  }

  function confirmText() {
    return document.getElementById('refer-confirmation')?.querySelector('.route-confirm__body')?.innerText || '';
  }

  function printConfirmation() {
    document.body.classList.add('is-route-card');
    window.print();
    if (!s.card) document.body.classList.remove('is-route-card');
  }

  /** The referral just made, in the client's language. */
  function confirmation() {
    const { referral: r, m, service: sv } = s.done;
    const ct = s.ct;
    const jc = r.joint_contact;
    const when = jc?.at ? new Intl.DateTimeFormat(ct.lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }).format(new Date(jc.at)) : null;
    const next = jc ? ct(`route.confirm_joint_${jc.mode === 'phone' ? 'phone' : 'in_person'}`, { org: m.receiver.name })
      : ct('route.confirm_they_call', { org: m.receiver.name });
    return h('article', { class: 'route-card route-confirm', id: 'refer-confirmation', lang: ct.lang, dir: ct.dir, 'aria-labelledby': 'refer-confirmation-title' },
      h('h2', { id: 'refer-confirmation-title', class: 'route-card__title', tabindex: '-1' }, ct('route.confirm_title')),
      h('div', { class: 'route-confirm__body' },
        h('p', { class: 'route-confirm__to' }, ct('route.confirm_to', { name: sv?.name || m.name, org: m.receiver.name })),
        h('h3', null, ct('route.confirm_how')),
        h('ul', null,
          h('li', { class: 'route-confirm__next' }, next),
          when ? h('li', null, ct('route.confirm_when'), ' ', h('bdi', null, when)) : null,
          r.interpreter || jc?.interpreter ? h('li', null, ct('route.confirm_interpreter')) : null,
          confirmPlace(ct, sv)),
        h('h3', null, ct('route.confirm_shared', { org: m.receiver.name })),
        h('ul', { class: 'route-confirm__shared' }, (r.scopes || ['referral', ...SHARED]).map((x) => h('li', null, ct(`scopes_desc.${x}`)))),
        s.done.note ? h('p', null, ct('route.consent_note'), ' ', h('q', null, s.done.note)) : null,
        h('h3', null, ct('route.confirm_then')),
        h('p', null, ct('route.confirm_then_text')),
        h('div', { class: 'route-card__crisis' },
          h('p', { class: 'route-card__crisis-title' }, ct('card.crisis_title')),
          h('ul', null,
            h('li', null, h('bdi', { dir: 'ltr' }, '112'), ' — ', ct('card.crisis_112')),
            h('li', null, h('bdi', { dir: 'ltr' }, '113'), ' / ', h('bdi', { dir: 'ltr' }, '0800-0113'), ' — ', ct('card.crisis_113'))))),
      h('div', { class: 'form__actions no-print' },
        speakButton(confirmText, ct.lang, { id: 'refer-confirmation-speak', label: ct('speech.read_aloud'), stopLabel: ct('speech.stop'), failLabel: ct('speech.unavailable') }),
        h('button', { type: 'button', class: 'button button--secondary', id: 'refer-confirmation-print', onclick: printConfirmation }, t('route.print')),
        h('button', { type: 'button', class: 'button button--secondary', id: 'refer-confirmation-close', onclick: () => { s.done = null; ctx.rerender(); document.getElementById('route-referrals-title')?.focus(); } }, t('route.confirm_close'))));
  }

  /* ---------- wishes ---------- */

  function wishesSection() {
    const toggle = (set, x, v) => { if (v) set.add(x); else set.delete(x); };
    return h('section', { class: 'card route-wishes', 'aria-labelledby': 'route-wishes-title' },
      h('h2', { id: 'route-wishes-title', class: 'card__title' }, t('route.wishes_title')),
      h('fieldset', { class: 'route-wishes__set' },
        h('legend', null, t('route.wishes_legend')),
        WISHES.map((w) => check(`route-wish-${w}`, t(`route.wish.${w}`), s.wishes.has(w), (v) => toggle(s.wishes, w, v)))),
      h('fieldset', { class: 'route-wishes__set' },
        h('legend', null, t('route.questions_legend')),
        QUESTIONS.map((q) => check(`route-q-${q}`, t(`route.question.${q}`), s.questions[q], (v) => { s.questions[q] = v; }))),
      h('div', { class: 'form__actions' },
        h('button', { type: 'button', class: 'button', id: 'route-recompute', disabled: s.busy, onclick: recompute },
          s.busy ? t('route.busy') : t('route.recompute'))));
  }

  /** The wishes an offer meets, from its fit codes. */
  function wishHits(m) {
    const codes = m.fit_codes || [];
    const hits = [];
    for (const c of codes) if (c.startsWith('wish:')) hits.push(c.slice(5));
    const lang = (s.advice?.lang || '').split('-')[0];
    if (s.wishes.has('own_language') && codes.includes(`lang:${lang}`)) hits.push('own_language');
    if (s.wishes.has('near_home') && codes.some((c) => c.startsWith('distance:'))) hits.push('near_home');
    return hits.filter((w) => s.wishes.has(w));
  }

  /* ---------- the client's referrals and the next offer ---------- */

  const tried = () => new Map(s.referrals.map((r) => [r.service?.id, r]));

  /** The next offer of the advice at the level of r that was not tried yet, or null. */
  function nextOffer(r) {
    const done = tried();
    const level = (s.advice?.levels || []).find((l) => l.level === r.level);
    return (level?.matches || []).find((m) => !done.has(m.service) && m.receiver) || null;
  }

  function referralItem(r) {
    const again = needsNext(r);
    const next = again ? nextOffer(r) : null;
    const key = `route-next-${r.id}`;
    return h('li', { class: ['route-referral', again ? 'needs-next' : null], 'data-referral': r.id, 'data-state': r.state },
      h('p', { class: 'route-referral__name' }, h('strong', null, r.service?.name || '?'), ' — ', t(`levels_short.${r.level}`)),
      h('p', { class: 'route-referral__state' }, t(`route.ref_state.${r.state}`),
        r.client_answer === 'could_not_go' ? ` — ${t('route.ref_could_not_go')}` : null,
        r.replaced_by ? ` — ${t('route.ref_followed_up')}` : null),
      again ? h('div', { class: 'route-referral__next' },
        next ? [h('p', null, t('route.next_offer', { level: t(`levels_short.${r.level}`) })),
          h('ul', { class: 'route-offers' }, offer(next, key, r.id))]
          : h('p', { class: 'muted' }, t('route.next_none'))) : null);
  }

  function referralsSection() {
    if (!s.scopes.includes('referral')) return null;
    return h('section', { class: 'card route-referrals', id: 'route-referrals', 'aria-labelledby': 'route-referrals-title' },
      h('h2', { id: 'route-referrals-title', class: 'card__title', tabindex: '-1' }, t('route.referrals_title')),
      s.referrals.length
        ? h('ul', { class: 'route-referral-list' }, s.referrals.map(referralItem))
        : h('p', { class: 'muted' }, t('route.referrals_none')));
  }

  /* ---------- the advice ---------- */

  const recommended = () => new Map((s.advice?.levels || []).map((l) => [l.level, l]));

  function staircase() {
    const rec = recommended();
    return h('section', { class: 'card', 'aria-labelledby': 'route-stairs-title' },
      h('h2', { id: 'route-stairs-title', class: 'card__title' }, t('route.stairs_title')),
      h('ol', { class: 'route-stairs', id: 'route-stairs' }, STAIRS.map((lv, i) => {
        const on = rec.has(lv);
        return h('li', { class: ['route-step', `route-step--${i}`, on ? 'is-recommended' : null], 'data-level': lv },
          h('span', { class: 'route-step__name' }, t(`levels_short.${lv}`)),
          on ? h('strong', { class: 'route-step__mark' }, ` — ${t('route.recommended')}`) : null);
      })));
  }

  function textList(cls, items) {
    return h('ul', { class: cls }, (items || []).map((x) => h('li', { lang: 'nl' }, pick(x, 'nl').text)));
  }

  function offer(m, key, replaces) {
    const hits = wishHits(m);
    const was = replaces ? null : tried().get(m.service);
    return h('li', { class: ['route-offer', was ? 'is-tried' : null], 'data-service': m.service },
      h('h4', { class: 'route-offer__name' },
        h('a', { href: `#/map/service/${encodeURIComponent(m.service)}` }, m.name)),
      m.organization ? h('p', { class: 'route-offer__org' }, m.organization) : null,
      was ? h('p', { class: 'route-offer__tried' }, h('strong', null, t('route.tried')), ' ', t(`route.ref_state.${was.state}`)) : null,
      hits.length ? h('p', { class: 'route-offer__wishes' }, t('route.wish_hits'), ' ', hits.map((w) => lowerFirst(t(`route.wish.${w}`))).join(', ')) : null,
      (m.fit_reasons || []).length
        ? h('ul', { class: 'route-offer__fit', 'aria-label': t('route.fit') }, m.fit_reasons.map((r) => h('li', null, r)))
        : null,
      was && !replaces ? null : referBox(key, m, replaces));
  }

  function offers(matches, id) {
    if (!(matches || []).length) return h('p', { class: 'muted' }, t('route.no_offers'));
    return h('ul', { class: 'route-offers', id }, matches.map((m, i) => offer(m, `${id}-${i}`)));
  }

  function levelSection(l) {
    const id = `route-level-${l.level}`;
    return h('section', { class: ['card', 'route-level', `route-level--${l.level}`], id, 'aria-labelledby': `${id}-title` },
      h('h2', { id: `${id}-title`, class: 'card__title' }, t(`levels.${l.level}`)),
      h('p', { class: 'route-level__urgency' }, h('strong', null, t('route.urgency_label')), ' ', t(`route.urgency.${l.urgency}`)),
      h('h3', null, t('route.why')),
      textList('route-reasons', l.reasons),
      h('h3', null, t('route.steps')),
      textList('route-steps', l.steps),
      h('h3', null, t('route.offers')),
      offers(l.matches, `${id}-offers`));
  }

  function stressorSection() {
    const list = s.advice?.stressor_offers || [];
    if (!list.length) return null;
    return h('section', { class: 'card', 'aria-labelledby': 'route-practical-title' },
      h('h2', { id: 'route-practical-title', class: 'card__title' }, t('route.practical')),
      list.map((o, i) => h('div', { class: 'route-practical' },
        h('p', { lang: 'nl' }, pick(o.reason, 'nl').text),
        offers(o.matches, `route-practical-${i}`))));
  }

  /** The short route card, entirely in the client's language (tr), Dutch where the rules lack it. */
  function routeCard() {
    const tr = s.card;
    const lang = tr.lang;
    let fellBack = false;
    const line = (txt) => {
      const p = pick(txt, lang);
      fellBack = fellBack || p.fallback;
      return h('li', { lang: p.lang, dir: p.lang === 'nl' ? 'ltr' : tr.dir }, p.text);
    };
    const levels = (s.advice.levels || []).map((l) => h('section', { class: 'route-card__level' },
      h('h3', null, tr(`levels_short.${l.level}`), ' — ', tr(`route.urgency.${l.urgency}`)),
      h('ul', null, (l.steps || []).map(line))));
    const cardText = () => cardContent(document.getElementById('route-card'));
    return h('article', { class: 'route-card', id: 'route-card', lang, dir: tr.dir, 'aria-labelledby': 'route-card-title' },
      h('h2', { id: 'route-card-title', class: 'route-card__title', tabindex: '-1' }, tr('route.card_title')),
      h('p', { class: 'no-print' }, speakButton(cardText, lang, { id: 'route-card-speak', label: tr('speech.read_aloud'), stopLabel: tr('speech.stop'), failLabel: tr('speech.unavailable') })),
      levels,
      fellBack ? h('p', { class: 'route-card__draft' }, tr('route.card_fallback')) : null,
      h('div', { class: 'route-card__crisis' },
        h('p', { class: 'route-card__crisis-title' }, tr('card.crisis_title')),
        h('ul', null,
          h('li', null, h('bdi', { dir: 'ltr' }, '112'), ' — ', tr('card.crisis_112')),
          h('li', null, h('bdi', { dir: 'ltr' }, '113'), ' / ', h('bdi', { dir: 'ltr' }, '0800-0113'), ' — ', tr('card.crisis_113')))));
  }

  function actions() {
    return h('div', { class: 'form__actions no-print' },
      h('button', { type: 'button', class: 'button', id: 'route-card-open', 'aria-expanded': s.card ? 'true' : 'false', onclick: toggleCard },
        t(s.card ? 'route.card_close' : 'route.card_open')),
      s.card ? h('button', { type: 'button', class: 'button button--secondary', id: 'route-print', onclick: () => window.print() }, t('route.print')) : null);
  }

  function render() {
    const a = s.advice;
    return h('div', { class: 'stack' },
      h('p', { class: 'breadcrumb no-print' }, h('a', { href: `#/clients/${encodeURIComponent(clientId)}` }, t('route.back'))),
      pageTitle(t('route.page_title')),
      h('div', { class: 'route-main' },
        h('p', { class: 'lead' }, t('route.intro')),
        h('p', { class: 'route-urgency', id: 'route-urgency' }, h('strong', null, t('route.urgency_label')), ' ', t(`route.urgency.${a.urgency}`)),
        h('p', { class: 'muted', id: 'route-made' }, t('route.made', { date: formatDateTime(a.created_at) })),
        a.with_parent ? notice('info', t('route.with_parent')) : null),
      s.error ? notice('error', errorText(s.error)) : null,
      actions(),
      s.card ? routeCard() : null,
      s.done ? confirmation() : null,
      h('div', { class: 'route-main' },
        wishesSection(),
        referralsSection(),
        staircase(),
        (a.levels || []).map(levelSection),
        stressorSection(),
        h('p', { class: 'muted route-rules' }, t('route.rules', { id: a.rules?.id || '?', version: a.rules?.version || '?' }))));
  }

  return { title: () => t('route.page_title'), load, render, leave };
}
