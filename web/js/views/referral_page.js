// SPDX-License-Identifier: EUPL-1.2
// One referral (#/referrals/{id}, issue 6), for the sending and the receiving organisation: the
// facts (GET /api/v1/referrals/{id}), the handover note when the API gives it, the timeline of
// transitions (who, when, reason, note, the client's answers in plain Dutch) and one button per
// entry of `allowed_transitions`, each opening the form that step needs (POST
// /api/v1/referrals/{id}/transitions): a reason or outcome for declined / closed_unsuccessful /
// completed (and a note for `other`), the expected weeks for waitlisted, the joint first contact
// (in person or by phone, who takes part, when, interpreter) for first_contact_planned, a note for
// the rest. Field errors (422) are shown at their field by JSON pointer; a 409 (with the allowed
// states) or 403 above the buttons, with the referral as it is now and what may be done now; the
// new state is announced in the status region.

import { t, tp } from '../i18n.js';
import { get, post } from '../api.js';
import { h, notice, pageTitle, errorText, field, choiceGroup, select, pointerField } from '../dom.js';
import { label } from '../codes.js';
import { stateText, ageText, interpreterText, overdueText, fact, when, tOr } from './inbox.js';

/** Reason (or outcome) codes per target state (docs/referrals.md §3). */
const REASONS = {
  declined: ['not_suitable', 'no_capacity', 'outside_area', 'not_eligible', 'other'],
  closed_unsuccessful: ['could_not_reach', 'client_declined', 'no_capacity', 'no_longer_needed', 'client_moved', 'other'],
  completed: ['care_started', 'care_finished', 'referred_on', 'other'],
};
const NOTE_MAX = 1000;
const WITH_MAX = 200;

/** The form member a JSON pointer of the transitions endpoint belongs to. */
function formField(pointer) {
  const top = pointerField(pointer);
  if (top !== 'contact') return top;
  const sub = pointer.split('/')[2];
  return ['mode', 'with', 'at'].includes(sub) ? sub : 'mode';
}

/** Dutch civil time: the page shows every moment in it (TIME_ZONE in i18n.js), so it is read in it. */
const ZONE = 'Europe/Amsterdam';

/** The offset of ZONE from UTC at the moment ms, in ms. */
function zoneOffset(ms) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - Math.floor(ms / 1000) * 1000;
}

/** A datetime-local value ("2026-11-24T10:00"), meant in Dutch time, as ISO UTC; '' when empty. */
export function isoOf(local) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local || '');
  if (!local) return '';
  if (!m) return 'invalid';
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  let ms = wall - zoneOffset(wall);
  ms = wall - zoneOffset(ms); // once more across a change to or from summer time
  return Number.isNaN(ms) ? 'invalid' : new Date(ms).toISOString();
}

export function createReferralView(ctx, id) {
  const path = `/referrals/${encodeURIComponent(id)}`;
  const s = {
    ref: null,
    open: null, // the target state whose form is open
    form: {},
    errors: {}, // form member -> message
    formError: null, // {text, detail}: above the buttons (409, 403, other); detail: the server's words
    busy: false,
  };

  async function load() {
    s.ref = (await get(path)).data;
  }

  function openForm(to) {
    s.open = s.open === to ? null : to;
    s.form = { reason: '', note: '', weeks: '', mode: '', with: '', at: '', interpreter: Boolean(s.ref?.interpreter) };
    s.errors = {};
    s.formError = null;
    ctx.rerender();
    const first = s.open && document.querySelector(`#step-form-${to}`)?.querySelector('select, input, textarea');
    (first || document.getElementById(`step-${to}`))?.focus();
  }

  function body(to) {
    const f = s.form;
    const b = { to };
    if (f.note.trim()) b.note = f.note.trim();
    if (REASONS[to]) b.reason = f.reason;
    if (to === 'waitlisted') b.weeks = f.weeks === '' ? 0 : Number(f.weeks);
    if (to === 'first_contact_planned') {
      b.contact = { mode: f.mode, interpreter: Boolean(f.interpreter) };
      if (f.with.trim()) b.contact.with = f.with.trim();
      if (f.at) b.contact.at = isoOf(f.at);
    }
    return b;
  }

  /** Checks in the page what the server would refuse anyway, so the volunteer hears it at once. */
  function check(to) {
    const f = s.form;
    const e = {};
    if (REASONS[to] && !f.reason) e.reason = t(to === 'completed' ? 'referral.errors.outcome' : 'referral.errors.reason');
    if (f.reason === 'other' && !f.note.trim()) e.note = t('referral.errors.note_other');
    if (f.note.length > NOTE_MAX) e.note = t('referral.errors.note_long');
    if (to === 'waitlisted' && !(Number.isInteger(Number(f.weeks)) && Number(f.weeks) >= 1 && Number(f.weeks) <= 104)) e.weeks = t('referral.errors.weeks');
    if (to === 'first_contact_planned') {
      if (!f.mode) e.mode = t('referral.errors.mode');
      if (f.with.length > WITH_MAX) e.with = t('referral.errors.with_long');
      if (f.at && isoOf(f.at) === 'invalid') e.at = t('referral.errors.at');
    }
    return e;
  }

  function focusError() {
    const order = ['reason', 'weeks', 'mode', 'with', 'at', 'note'];
    const first = order.find((k) => s.errors[k]);
    const el = first ? document.getElementById(`step-${first}`) : document.getElementById('step-error');
    el?.focus();
  }

  async function submit(to) {
    if (s.busy) return;
    s.errors = check(to);
    s.formError = null;
    if (Object.keys(s.errors).length) {
      ctx.rerender();
      focusError();
      return;
    }
    s.busy = true;
    ctx.clearStatus();
    ctx.rerender();
    try {
      const { data } = await post(`${path}/transitions`, body(to));
      s.ref = data;
      s.open = null;
      s.busy = false;
      if (!ctx.isCurrent()) return;
      ctx.announce(() => t('referral.saved', { state: stateText(data.state) }), 'success');
      ctx.rerender();
      document.getElementById('referral-state')?.focus();
      return;
    } catch (err) {
      s.busy = false;
      if (err.handled || !ctx.isCurrent()) return;
      serverError(err);
      if (err.status === 409 || err.status === 403) await refresh();
    }
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    focusError();
  }

  /** After a refused step: the referral as it is now, and what may be done now, in Dutch. */
  async function refresh() {
    try {
      s.ref = (await get(path)).data;
    } catch {
      return; // the server's words stay on screen
    }
    const allowed = s.ref.allowed_transitions ?? [];
    if (!allowed.includes(s.open)) s.open = null;
    const now = allowed.length
      ? t('referral.errors.allowed_now', { steps: allowed.map((x) => tOr(`referral.actions.${x}`, x)).join(', ') })
      : t('referral.errors.nothing_now');
    s.formError.text = `${s.formError.text} ${t('referral.errors.state_now', { state: stateText(s.ref.state) })} ${now}`;
  }

  /** 422: each pointer at its field; 409/403: the server's words (the allowed states) at the form. */
  function serverError(err) {
    const fe = err.fieldErrors;
    if (err.status === 422 && fe.length) {
      for (const e of fe) {
        const k = formField(e.pointer);
        if (['reason', 'note', 'weeks', 'mode', 'with', 'at'].includes(k)) s.errors[k] ??= e.detail;
        else s.formError = { text: t('errors.invalid_input'), detail: e.detail };
      }
      return;
    }
    const lead = err.status === 409 ? t('referral.errors.conflict') : err.status === 403 ? t('referral.errors.forbidden') : errorText(err);
    s.formError = { text: lead, detail: err.problem?.detail };
  }

  /* ---------- the form of one step ---------- */

  const setter = (k) => (e) => { s.form[k] = e.target.type === 'checkbox' ? e.target.checked : e.target.value; };

  function noteField(to) {
    const required = s.form.reason === 'other';
    return field({
      id: 'step-note', label: t('referral.note'), error: s.errors.note, optional: !required,
      hint: REASONS[to] ? t('referral.note_hint_other') : t('referral.note_hint'),
      control: h('textarea', { rows: '3', maxlength: String(NOTE_MAX), value: s.form.note, oninput: setter('note') }),
    });
  }

  function reasonField(to) {
    const sel = select({
      name: 'reason', value: s.form.reason, required: true,
      options: REASONS[to].map((c) => ({ value: c, label: tOr(`referral.reasons.${to}.${c}`, c) })),
      onchange: (e) => { s.form.reason = e.target.value; ctx.rerender(); document.getElementById('step-reason')?.focus(); },
    });
    return field({ id: 'step-reason', label: t(to === 'completed' ? 'referral.outcome' : 'referral.reason'), error: s.errors.reason, control: sel });
  }

  function contactFields() {
    const f = s.form;
    return h('fieldset', { class: 'fieldset' },
      h('legend', { class: 'field__label' }, t('referral.contact_title')),
      h('p', { class: 'field__hint' }, t('referral.contact_intro')),
      choiceGroup({
        id: 'step-mode', legend: t('referral.contact_mode'), type: 'radio', name: 'mode', error: s.errors.mode,
        options: ['in_person', 'phone'].map((m) => ({ value: m, label: t(`referral.modes.${m}`) })),
        checked: f.mode, onchange: setter('mode'),
      }),
      field({
        id: 'step-with', label: t('referral.contact_with'), hint: t('referral.contact_with_hint'), error: s.errors.with, optional: true,
        control: h('input', { type: 'text', maxlength: String(WITH_MAX), value: f.with, oninput: setter('with'), autocomplete: 'off' }),
      }),
      field({
        id: 'step-at', label: t('referral.contact_at'), error: s.errors.at, optional: true,
        control: h('input', { type: 'datetime-local', value: f.at, oninput: setter('at'), onchange: setter('at') }),
      }),
      h('div', { class: 'choice' },
        h('input', { type: 'checkbox', id: 'step-interpreter', checked: Boolean(f.interpreter), onchange: setter('interpreter') }),
        h('div', { class: 'choice__text' }, h('label', { for: 'step-interpreter', class: 'choice__label' }, t('referral.contact_interpreter')))));
  }

  function stepForm(to) {
    const first = REASONS[to] ? reasonField(to) : to === 'waitlisted'
      ? field({
        id: 'step-weeks', label: t('referral.weeks'), hint: t('referral.weeks_hint'), error: s.errors.weeks,
        control: h('input', { type: 'number', min: '1', max: '104', step: '1', inputmode: 'numeric', value: s.form.weeks, oninput: setter('weeks') }),
      })
      : to === 'first_contact_planned' ? contactFields() : null;
    const form = h('form', {
      class: 'stack referral-step', id: `step-form-${to}`, novalidate: true, 'aria-labelledby': `step-${to}`,
      onsubmit: (e) => { e.preventDefault(); submit(to); },
    },
    first, noteField(to),
    h('p', { class: 'action-list' },
      h('button', { type: 'submit', class: 'button button--small', id: 'step-save', disabled: s.busy }, s.busy ? t('referral.busy') : t('referral.save')),
      h('button', { type: 'button', class: 'button button--secondary button--small', onclick: () => openForm(to) }, t('referral.cancel'))));
    return form;
  }

  function actions() {
    const allowed = s.ref.allowed_transitions ?? [];
    return h('section', { class: 'card', 'aria-labelledby': 'referral-actions-title', id: 'referral-actions' },
      h('h2', { class: 'card__title', id: 'referral-actions-title' }, t('referral.actions_title')),
      s.formError ? h('div', { id: 'step-error', tabindex: '-1' }, notice('error', h('p', null, s.formError.text),
        s.formError.detail ? h('p', { class: 'referral-error__detail', lang: 'en' }, s.formError.detail) : null)) : null,
      allowed.length
        ? h('ul', { class: 'plain-list referral-actions' }, allowed.map((to) => h('li', null,
          h('button', {
            type: 'button', id: `step-${to}`, 'data-to': to, class: ['button', 'button--small', to === s.open ? '' : 'button--secondary'],
            'aria-expanded': String(to === s.open), 'aria-controls': `step-form-${to}`, onclick: () => openForm(to),
          }, tOr(`referral.actions.${to}`, to)),
          to === s.open ? stepForm(to) : null)))
        : h('p', { id: 'referral-no-actions' }, t('referral.no_actions')));
  }

  /* ---------- facts, handover, timeline ---------- */

  function contactText(c) {
    if (!c) return null;
    return h('span', null,
      tOr(`referral.modes.${c.mode}`, c.mode),
      c.at ? [', ', when(c.at)] : null,
      c.with ? [', ', t('referral.contact_with_short'), ' ', h('bdi', null, c.with)] : null,
      ', ', t(c.interpreter ? 'referral.contact_interpreter_yes' : 'referral.contact_interpreter_no'));
  }

  function linkTo(rid) {
    return rid ? h('a', { href: `#/referrals/${encodeURIComponent(rid)}` }, h('code', null, rid)) : null;
  }

  function facts() {
    const r = s.ref;
    const od = overdueText(r);
    return h('section', { class: 'card', 'aria-labelledby': 'referral-facts-title' },
      h('h2', { class: 'card__title', id: 'referral-facts-title' }, t('referral.facts')),
      h('dl', { class: 'facts facts--compact', id: 'referral-facts' },
        fact(t('inbox.state'), h('strong', { id: 'referral-state', tabindex: '-1', 'data-state': r.state }, stateText(r.state))),
        od ? fact(t('referral.overdue'), h('strong', { class: 'flag__due--overdue', id: 'referral-overdue' }, od)) : null,
        fact(t('inbox.client'), h('a', { href: `#/clients/${encodeURIComponent(r.client_id)}` }, h('code', null, r.client?.pseudonym ?? r.client_id))),
        r.client ? fact(t('inbox.age_group'), ageText(r.client.age_group)) : null,
        r.client ? fact(t('inbox.language'), label('languages', r.client.language)) : null,
        fact(t('inbox.interpreter'), interpreterText(r)),
        fact(t('inbox.level'), label('levels_short', r.level)),
        fact(t('inbox.service'), h('a', { href: `#/map/service/${encodeURIComponent(r.service?.id ?? '')}` }, h('bdi', null, r.service?.name ?? ''))),
        fact(t('inbox.from'), h('bdi', null, r.from?.name ?? '')),
        fact(t('inbox.to'), h('bdi', null, r.to?.name ?? '')),
        fact(t('referral.shared'), (r.scopes ?? []).map((sc) => label('scopes', sc)).join(', ')),
        fact(t('inbox.sent_at'), r.sent_at ? when(r.sent_at) : t('inbox.not_sent')),
        fact(t('inbox.due_at'), when(r.due_at)),
        r.waitlist_weeks ? fact(t('referral.waitlist'), tp('referral.weeks_count', r.waitlist_weeks)) : null,
        r.reason ? fact(t(r.state === 'completed' ? 'referral.outcome' : 'referral.reason'), reasonText(r.state, r.reason)) : null,
        fact(t('referral.contact'), contactText(r.joint_contact), { id: 'referral-contact' }),
        fact(t('inbox.client_answer'), r.client_answer ? h('span', { id: 'referral-answer' }, tOr(`inbox.answers.${r.client_answer}`, r.client_answer)) : null),
        fact(t('referral.replaces'), linkTo(r.replaces)),
        fact(t('referral.replaced_by'), linkTo(r.replaced_by))),
      r.needs_new_offer ? notice('info', t('inbox.needs_new_offer')) : null);
  }

  /** A reason code in words; the state tells which list (declined, unsuccessful, completed). */
  function reasonText(state, code) {
    for (const to of [state, ...Object.keys(REASONS)]) {
      const v = t(`referral.reasons.${to}.${code}`);
      if (v !== `referral.reasons.${to}.${code}`) return v;
    }
    return code;
  }

  function eventWhat(e, i) {
    if (e.kind === 'client_answer') return tOr(`inbox.answers.${e.reason}`, e.reason);
    if (e.kind === 'followed_up') return t('referral.ev.followed_up');
    if (i === 0 || !e.from) return t(e.to === 'draft' ? 'referral.ev.created_draft' : 'referral.ev.created_sent');
    if (e.from === e.to) return t('referral.ev.again', { to: stateText(e.to) });
    return t('referral.ev.transition', { from: stateText(e.from), to: stateText(e.to) });
  }

  function timeline() {
    const evs = s.ref.transitions ?? [];
    return h('section', { class: 'card', 'aria-labelledby': 'referral-timeline-title' },
      h('h2', { class: 'card__title', id: 'referral-timeline-title' }, t('referral.timeline')),
      h('ol', { class: 'plain-list referral-timeline', id: 'referral-timeline' }, evs.map((e, i) => h('li', { 'data-kind': e.kind, 'data-to': e.to },
        h('p', null, h('strong', null, eventWhat(e, i))),
        h('p', { class: 'muted' }, when(e.at), ' · ',
          e.by?.role === 'client' ? t('referral.ev.by_client')
            : t('referral.ev.by', { role: label('roles', e.by?.role ?? ''), org: e.by?.org?.name ?? '' })),
        e.kind !== 'client_answer' && e.reason ? h('p', null, t('referral.ev.reason', { reason: reasonText(e.to, e.reason) })) : null,
        e.note ? h('p', { class: 'referral-timeline__note' },
          e.kind === 'client_answer' ? t('referral.ev.client_words') : t('referral.ev.note'), ' ', h('bdi', null, e.note)) : null))));
  }

  function render() {
    const r = s.ref;
    return h('div', { class: 'stack' },
      h('p', null, h('a', { href: '#/referrals', id: 'referral-back' }, t('referral.back'))),
      pageTitle(t('referral.title', { service: r.service?.name ?? '' })),
      facts(),
      r.handover_note ? h('section', { class: 'card', 'aria-labelledby': 'referral-handover-title' },
        h('h2', { class: 'card__title', id: 'referral-handover-title' }, t('referral.handover')),
        h('p', { class: 'muted' }, t('referral.handover_hint')),
        h('p', { id: 'referral-handover' }, h('bdi', null, r.handover_note))) : null,
      actions(),
      timeline());
  }

  return { title: () => (s.ref ? t('referral.title', { service: s.ref.service?.name ?? '' }) : t('inbox.title')), load, render };
}
