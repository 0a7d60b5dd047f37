// SPDX-License-Identifier: EUPL-1.2
// Small DOM helpers shared by the views: an element builder, labelled form fields that can show
// an error next to themselves (aria-invalid + aria-describedby), and the text for a failed request.
// Nothing here sets inline styles: the page runs under a CSP without 'unsafe-inline'.

import { t, tp } from './i18n.js';

const PROPS = new Set(['value', 'checked', 'selected', 'disabled', 'hidden', 'required', 'multiple']);

/**
 * h('p', {class: 'x', onclick: fn}, 'text', child, [more]) — build an element. Attributes with
 * null/undefined/false are skipped; `on<event>` functions become listeners.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (PROPS.has(k)) el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

let uid = 0;
/** A page-unique id with a readable prefix. */
export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** Link the control to hint and error texts and mark it invalid when there is an error. */
function describe(control, ids, invalid) {
  const list = ids.filter(Boolean);
  if (list.length) control.setAttribute('aria-describedby', list.join(' '));
  if (invalid) control.setAttribute('aria-invalid', 'true');
}

/**
 * A labelled single control. opts: {id, label, hint, error, control, optional}. `control` is the
 * input/select element (its id is set here). Returns the wrapper; the control is `.control`.
 */
export function field({ id, label, hint, error, control, optional = false }) {
  control.id = id;
  const hintId = hint ? `${id}-hint` : null;
  const errId = error ? `${id}-error` : null;
  describe(control, [errId, hintId], Boolean(error));
  const wrap = h('div', { class: ['field', error && 'field--error'] },
    h('label', { for: id, class: 'field__label' }, label,
      optional ? h('span', { class: 'field__optional' }, ` ${t('form.optional')}`) : null),
    hint ? h('p', { id: hintId, class: 'field__hint' }, hint) : null,
    error ? h('p', { id: errId, class: 'field__error' }, error) : null,
    control);
  wrap.control = control;
  return wrap;
}

/**
 * A fieldset of radios or checkboxes. opts: {id, legend, hint, error, type, name, options:[{value,
 * label, description}], checked: Set|string, onchange}. The first input gets id `${id}` so errors
 * can focus it.
 */
export function choiceGroup({ id, legend, hint, error, type, name, options, checked, onchange, optional = false }) {
  const hintId = hint ? `${id}-hint` : null;
  const errId = error ? `${id}-error` : null;
  const isChecked = (v) => (checked instanceof Set ? checked.has(v) : checked === v);
  const items = options.map((opt, i) => {
    const inputId = i === 0 ? id : `${id}-${i}`;
    const input = h('input', { type, id: inputId, name, value: opt.value, checked: isChecked(opt.value), onchange });
    describe(input, [errId, hintId], Boolean(error));
    const descId = opt.description ? `${inputId}-desc` : null;
    if (descId) input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), descId].filter(Boolean).join(' '));
    // The description stays outside the <label>: it is read as a description, not as the name.
    return h('div', { class: 'choice' }, input,
      h('div', { class: 'choice__text' },
        h('label', { for: inputId, class: 'choice__label' }, opt.label),
        opt.description ? h('span', { id: descId, class: 'choice__desc' }, opt.description) : null));
  });
  return h('fieldset', { class: ['field', 'fieldset', error && 'field--error'], id: `${id}-group` },
    h('legend', { class: 'field__label' }, legend,
      optional ? h('span', { class: 'field__optional' }, ` ${t('form.optional')}`) : null),
    hint ? h('p', { id: hintId, class: 'field__hint' }, hint) : null,
    error ? h('p', { id: errId, class: 'field__error' }, error) : null,
    h('div', { class: 'choices' }, items));
}

/** A <select> with a leading empty "choose…" option and [{value,label}] options. */
export function select({ name, options, value, required = false, placeholder, onchange }) {
  return h('select', { name, required, onchange },
    h('option', { value: '', selected: !value }, placeholder ?? t('form.choose')),
    options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)));
}

/** Focus the first element (in document order) among the given ids that exists. */
export function focusFirst(root, ids) {
  for (const el of root.querySelectorAll('input, select, textarea')) {
    if (ids.includes(el.id)) {
      el.focus();
      return el;
    }
  }
  return null;
}

/** The first path segment of a JSON pointer: "/risk_flags/1" → "risk_flags"; "" for "/" or none. */
export function pointerField(pointer) {
  if (typeof pointer !== 'string' || !pointer.startsWith('/')) return '';
  return pointer.slice(1).split('/')[0].replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A human message, in the current language, for a failed request (ApiError). */
export function errorText(err) {
  if (!err || typeof err !== 'object') return t('errors.generic');
  switch (err.slug) {
    case 'network': return t('errors.network');
    case 'unauthenticated': return t('errors.session_ended');
    case 'bad-credentials': return t('login.errors.bad_credentials');
    case 'login-throttled': {
      const secs = err.retryAfter;
      return secs == null ? t('login.errors.throttled_unknown') : tp('login.errors.throttled', Math.max(1, Math.ceil(secs / 60)));
    }
    case 'forbidden': return t('errors.forbidden');
    case 'not-found': return t('errors.not_found');
    case 'csrf': return t('errors.csrf');
    case 'conflict': return t('errors.conflict');
    case 'too-large': return t('errors.too_large');
    case 'invalid-input': return t('errors.invalid_input');
    case 'unavailable': return t('errors.unavailable');
    default: {
      const base = t('errors.generic_status', { status: err.status || '?' });
      return err.requestId ? `${base} ${t('errors.request_id', { id: err.requestId })}` : base;
    }
  }
}

/** A boxed message; kind is 'error' | 'info' | 'success'. role=alert for errors. */
export function notice(kind, ...content) {
  return h('div', { class: ['notice', `notice--${kind}`], role: kind === 'error' ? 'alert' : null }, content);
}

/** The <h1> every view starts with; the router focuses it after navigation. */
export function pageTitle(text) {
  return h('h1', { class: 'page-title', tabindex: '-1' }, text);
}
