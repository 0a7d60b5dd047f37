// SPDX-License-Identifier: EUPL-1.2
// Register a client (POST /api/v1/clients). Client-side checks mirror the server's rules so most
// mistakes are caught early, but the server decides: each 422 error is shown next to the field
// its JSON pointer names, and the first invalid field gets focus. On 201 we open the client page.

import { t, tp } from '../i18n.js';
import { post } from '../api.js';
import { h, field, choiceGroup, select, notice, pageTitle, errorText, pointerField, focusFirst } from '../dom.js';
import { GENDERS, COUNTRIES, LANGUAGES, PHASES, RISK_FLAGS, label, sortedOptions } from '../codes.js';

/** Form fields in display order (also the order in which the first error is focused). */
const FIELDS = ['year_of_birth', 'gender', 'country_of_origin', 'language', 'phase', 'location', 'risk_flags', 'name', 'phone'];
const LIMITS = { location: 120, name: 200, phone: 40 };

const chars = (s) => [...s].length;

function validate(v) {
  const errs = {};
  const year = Number(v.year_of_birth.trim());
  const now = new Date().getFullYear();
  if (!/^\d{4}$/.test(v.year_of_birth.trim()) || year < 1900 || year > now) errs.year_of_birth = {};
  if (!GENDERS.includes(v.gender)) errs.gender = {};
  if (!/^[A-Z]{2}$/.test(v.country_of_origin)) errs.country_of_origin = {};
  if (!v.language) errs.language = {};
  if (!PHASES.includes(v.phase)) errs.phase = {};
  const loc = chars(v.location.trim());
  if (loc < 1 || loc > LIMITS.location) errs.location = {};
  if (chars(v.name.trim()) > LIMITS.name) errs.name = {};
  if (chars(v.phone.trim()) > LIMITS.phone) errs.phone = {};
  return errs;
}

function body(v) {
  const b = {
    year_of_birth: Number(v.year_of_birth.trim()),
    gender: v.gender,
    country_of_origin: v.country_of_origin,
    language: v.language,
    phase: v.phase,
    location: v.location.trim(),
    risk_flags: RISK_FLAGS.filter((f) => v.risk_flags.has(f)),
  };
  if (v.name.trim()) b.name = v.name.trim();
  if (v.phone.trim()) b.phone = v.phone.trim();
  return b;
}

function idFromLocation(headers) {
  const loc = headers.get('Location') || '';
  return loc.split('/').filter(Boolean).pop() || '';
}

export function createRegisterView(ctx) {
  const v = {
    year_of_birth: '', gender: '', country_of_origin: '', language: '', phase: '', location: '',
    risk_flags: new Set(), name: '', phone: '',
  };
  // errors[field] = {detail?}: the message is the localized text for the field; a server detail
  // is kept only for fields this form does not know (shown in the summary).
  const s = { errors: {}, formErrors: [], failure: null, busy: false };

  const bind = (name) => (e) => { v[name] = e.target.value; };
  const errText = (name) => (s.errors[name] ? t(`register.errors.${name}`, { year: new Date().getFullYear(), max: LIMITS[name] }) : null);

  function focusFirstError() {
    const first = FIELDS.find((f) => s.errors[f]);
    const main = document.getElementById('main');
    if (first) focusFirst(main, [`reg-${first}`]);
    else main.querySelector('.form-summary')?.focus();
  }

  function applyServerErrors(err) {
    s.errors = {};
    s.formErrors = [];
    for (const e of err.fieldErrors) {
      const f = pointerField(e.pointer);
      if (FIELDS.includes(f)) s.errors[f] = { detail: e.detail };
      else s.formErrors.push(e.detail || err.problem.detail || '');
    }
    if (!Object.keys(s.errors).length && !s.formErrors.length) s.failure = err;
  }

  async function submit(e) {
    e.preventDefault();
    if (s.busy) return;
    s.failure = null;
    s.formErrors = [];
    s.errors = validate(v);
    if (Object.keys(s.errors).length) {
      showErrors();
      return;
    }
    s.busy = true;
    ctx.rerender();
    try {
      const { data, headers } = await post('/clients', body(v));
      const id = data?.id || idFromLocation(headers);
      ctx.flash(() => t('register.done'));
      ctx.navigate(`#/clients/${encodeURIComponent(id)}`);
      return;
    } catch (err) {
      s.busy = false;
      if (err.handled) return;
      if (err.status === 422 || err.slug === 'malformed-json') applyServerErrors(err);
      else s.failure = err;
    }
    showErrors();
  }

  function showErrors() {
    if (!ctx.isCurrent()) return;
    const n = Object.keys(s.errors).length + s.formErrors.length;
    ctx.rerender();
    if (n) ctx.announce(() => tp('form.errors_count', n), 'error');
    else if (s.failure) ctx.announce(() => errorText(s.failure), 'error');
    focusFirstError();
  }

  function summary() {
    if (!s.formErrors.length && !s.failure) return null;
    return h('div', { class: 'form-summary', tabindex: '-1' },
      notice('error', s.failure ? errorText(s.failure) : t('errors.invalid_input'),
        s.formErrors.length ? h('ul', null, s.formErrors.map((d) => h('li', null, d))) : null));
  }

  function basics() {
    return [
      field({
        id: 'reg-year_of_birth', label: t('register.year_of_birth'), hint: t('register.year_of_birth_hint'),
        error: errText('year_of_birth'),
        control: h('input', {
          type: 'text', name: 'year_of_birth', inputmode: 'numeric', autocomplete: 'off', maxlength: '4',
          class: 'input--short', value: v.year_of_birth, oninput: bind('year_of_birth'),
        }),
      }),
      field({
        id: 'reg-gender', label: t('register.gender'), error: errText('gender'),
        control: select({ name: 'gender', value: v.gender, onchange: bind('gender'),
          options: GENDERS.map((g) => ({ value: g, label: label('genders', g) })) }),
      }),
      field({
        id: 'reg-country_of_origin', label: t('register.country_of_origin'), error: errText('country_of_origin'),
        control: select({ name: 'country_of_origin', value: v.country_of_origin, onchange: bind('country_of_origin'),
          options: sortedOptions('countries', COUNTRIES) }),
      }),
      field({
        id: 'reg-language', label: t('register.language'), hint: t('register.language_hint'), error: errText('language'),
        control: select({ name: 'language', value: v.language, onchange: bind('language'),
          options: sortedOptions('languages', LANGUAGES) }),
      }),
    ];
  }

  function situation() {
    return [
      choiceGroup({
        id: 'reg-phase', legend: t('register.phase'), error: errText('phase'), type: 'radio', name: 'phase',
        options: PHASES.map((p) => ({ value: p, label: label('phases', p), description: t(`phases_desc.${p}`) })),
        checked: v.phase, onchange: (e) => { v.phase = e.target.value; },
      }),
      field({
        id: 'reg-location', label: t('register.location'), hint: t('register.location_hint'), error: errText('location'),
        control: h('input', { type: 'text', name: 'location', autocomplete: 'off', maxlength: String(LIMITS.location), value: v.location, oninput: bind('location') }),
      }),
      choiceGroup({
        id: 'reg-risk_flags', legend: t('register.risk_flags'), hint: t('register.risk_flags_hint'), optional: true,
        error: errText('risk_flags'), type: 'checkbox', name: 'risk_flags',
        options: RISK_FLAGS.map((f) => ({ value: f, label: label('risk_flags', f) })),
        checked: v.risk_flags,
        onchange: (e) => { if (e.target.checked) v.risk_flags.add(e.target.value); else v.risk_flags.delete(e.target.value); },
      }),
    ];
  }

  function personal() {
    return h('fieldset', { class: 'fieldset fieldset--optional', 'aria-describedby': 'reg-personal-note' },
      h('legend', { class: 'field__label' }, t('register.personal_legend')),
      h('p', { class: 'notice notice--info', id: 'reg-personal-note' }, t('register.personal_note')),
      field({
        id: 'reg-name', label: t('register.name'), optional: true, error: errText('name'),
        control: h('input', { type: 'text', name: 'name', autocomplete: 'off', maxlength: String(LIMITS.name), value: v.name, oninput: bind('name') }),
      }),
      field({
        id: 'reg-phone', label: t('register.phone'), optional: true, error: errText('phone'),
        control: h('input', { type: 'tel', name: 'phone', autocomplete: 'off', dir: 'ltr', maxlength: String(LIMITS.phone), value: v.phone, oninput: bind('phone') }),
      }));
  }

  function render() {
    return h('div', { class: 'stack' },
      pageTitle(t('register.title')),
      h('p', { class: 'lead' }, t('register.intro')),
      h('form', { class: 'form card', novalidate: true, onsubmit: submit, id: 'register-form' },
        summary(),
        h('p', { class: 'muted' }, t('form.required_note')),
        basics(), situation(), personal(),
        h('div', { class: 'form__actions' },
          h('button', { type: 'submit', class: 'button', disabled: s.busy, id: 'register-submit' },
            s.busy ? t('register.busy') : t('register.submit')),
          h('a', { class: 'button button--secondary', href: '#/clients' }, t('form.cancel')))));
  }

  return { title: () => t('register.title'), render };
}
