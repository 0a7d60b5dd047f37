// SPDX-License-Identifier: EUPL-1.2
// The login page, two ways in. "I have a login card" (clients): the code from the card, then the
// PIN — or, the first time, a PIN chosen and typed twice — via POST /api/v1/session/card.
// "I work here" (staff): email and password, POST /api/v1/session. #/card/<code> (the card's QR
// code) opens the card way with the code filled in and asks for the PIN straight away. Shows the
// server's answer in the chosen language — wrong code or PIN / password (401), throttled (429,
// with the wait from Retry-After), a locked card — at the field it is about.

import { t } from '../i18n.js';
import { post } from '../api.js';
import { h, field, notice, pageTitle, errorText, choiceGroup, pointerField } from '../dom.js';

const MODE_KEY = 'vk.loginMode';

function storedMode() {
  try {
    return localStorage.getItem(MODE_KEY) === 'card' ? 'card' : 'password';
  } catch {
    return 'password';
  }
}

/** Arabic-Indic and Persian digits as ASCII, for the checks below (the server does the same). */
function asciiDigits(s) {
  return s.replace(/[\u0660-\u0669]/g, (c) => String(c.charCodeAt(0) - 0x660))
    .replace(/[\u06F0-\u06F9]/g, (c) => String(c.charCodeAt(0) - 0x6F0));
}

/** The PIN rules of docs/API.md that need no server: a locale key, or null when fine. */
export function pinProblem(pin, passphrase) {
  if (passphrase) return [...pin].length >= 12 ? null : 'card.errors.pass_short';
  const d = asciiDigits(pin);
  if (!/^[0-9]+$/.test(d)) return 'card.errors.pin_digits';
  if (d.length < 6) return 'card.errors.pin_short';
  const steps = new Set([...d].slice(1).map((c, i) => (Number(c) - Number(d[i]) + 10) % 10));
  if (steps.size === 1 && [0, 1, 9].includes([...steps][0])) return 'card.errors.pin_easy';
  for (let p = 2; p <= d.length / 2; p++) {
    if ([...d].every((c, i) => i < p || c === d[i - p])) return 'card.errors.pin_easy';
  }
  return null;
}

/** The code as printed on the card (VK-XXXX-XXXX-XXXX-C), however it was typed. */
function displayCode(typed) {
  let c = typed.toUpperCase().replace(/[-\s._]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (c.length === 15 && c.startsWith('VK')) c = c.slice(2);
  return c.length === 13 ? `VK-${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8, 12)}-${c[12]}` : typed.trim();
}

export function createLoginView(ctx, opts = {}) {
  const s = {
    mode: opts.code ? 'card' : storedMode(),
    email: '', password: '', fieldErrors: {}, error: null, busy: false,
    // card: step 'code' -> 'pin' (has a PIN) or 'choose' (first login)
    step: 'code', code: opts.code || '', pin: '', newPin: '', repeat: '', passphrase: false, show: false,
  };

  async function load() {
    if (!opts.code) return;
    // The code came in the address (the QR code): keep it out of the browser history.
    try { history.replaceState(null, '', '#/login'); } catch { /* ignore */ }
    await probe();
  }

  /* ---------- staff: email and password ---------- */

  function validatePassword() {
    const errs = {};
    if (!s.email.trim()) errs.email = 'login.errors.email_required';
    if (!s.password) errs.password = 'login.errors.password_required';
    return errs;
  }

  async function submitPassword(e) {
    e.preventDefault();
    if (s.busy) return;
    s.error = null;
    s.fieldErrors = validatePassword();
    const first = ['email', 'password'].find((k) => s.fieldErrors[k]);
    if (first) {
      ctx.rerender();
      document.getElementById(`login-${first}`)?.focus();
      return;
    }
    s.busy = true;
    ctx.rerender();
    try {
      const { data } = await post('/session', { email: s.email.trim(), password: s.password }, { quiet401: true });
      s.password = '';
      await ctx.loggedIn(data);
      return;
    } catch (err) {
      s.error = err;
      s.password = '';
    }
    s.busy = false;
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    document.getElementById('login-password')?.focus();
  }

  /* ---------- clients: the login card ---------- */

  /** The server's refusal as a message at the field it is about; the rest above the form. */
  function cardError(err) {
    const ptr = err.fieldErrors.map((x) => pointerField(x.pointer));
    if (err.slug === 'invalid-input' && ptr.includes('code')) {
      s.step = 'code';
      s.fieldErrors = { code: 'card.errors.code_typo' };
    } else if (err.slug === 'invalid-input' && ptr.includes('new_pin')) {
      s.fieldErrors = { newPin: pinProblem(s.newPin, s.passphrase) || 'card.errors.rejected' };
    } else if (err.slug === 'bad-credentials') {
      s.fieldErrors = { [s.step === 'choose' ? 'newPin' : 'pin']: 'card.errors.bad' };
    } else {
      s.error = err;
    }
  }

  async function send(body) {
    s.busy = true;
    s.error = null;
    ctx.rerender();
    try {
      const { data } = await post('/session/card', body, { quiet401: true });
      return data;
    } catch (err) {
      if (err.handled) throw err;
      cardError(err);
      return null;
    } finally {
      s.busy = false;
      s.pin = '';
    }
  }

  /** Only the code: the server says whether to ask for the PIN or to have one chosen. */
  async function probe() {
    const data = await send({ code: s.code.trim() });
    if (data?.needs_pin_choice) s.step = 'choose';
    else if (data?.needs_pin) s.step = 'pin';
  }

  function focusStep() {
    const id = { code: 'card-code', pin: 'card-pin', choose: 'card-new-pin' }[s.step];
    const bad = document.querySelector('[aria-invalid="true"]');
    (bad || document.getElementById(id))?.focus();
  }

  function checkCard() {
    const errs = {};
    if (s.step === 'code' && !s.code.trim()) errs.code = 'card.errors.code_required';
    if (s.step === 'pin' && !s.pin) errs.pin = 'card.errors.pin_required';
    if (s.step === 'choose') {
      const p = pinProblem(s.newPin, s.passphrase);
      if (p) errs.newPin = p;
      else if (s.repeat !== s.newPin) errs.repeat = 'card.errors.repeat';
    }
    return errs;
  }

  async function submitCard(e) {
    e.preventDefault();
    if (s.busy) return;
    s.error = null;
    s.fieldErrors = checkCard();
    if (Object.keys(s.fieldErrors).length) {
      ctx.rerender();
      focusStep();
      return;
    }
    let data = null;
    if (s.step === 'code') await probe();
    else if (s.step === 'pin') data = await send({ code: s.code.trim(), pin: s.pin });
    else data = await send({ code: s.code.trim(), new_pin: s.newPin });
    if (data?.csrf_token) {
      s.newPin = '';
      s.repeat = '';
      await ctx.loggedIn(data);
      return;
    }
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    focusStep();
  }

  function otherCode() {
    s.step = 'code';
    s.pin = '';
    s.newPin = '';
    s.repeat = '';
    s.fieldErrors = {};
    s.error = null;
    ctx.rerender();
    document.getElementById('card-code')?.focus();
  }

  function setMode(e) {
    s.mode = e.target.value === 'card' ? 'card' : 'password';
    s.fieldErrors = {};
    s.error = null;
    try { localStorage.setItem(MODE_KEY, s.mode); } catch { /* private mode */ }
    ctx.rerender();
    document.getElementById(s.mode === 'card' ? 'login-mode' : 'login-mode-1')?.focus();
  }

  function secretInput(key, { autocomplete, name }) {
    const numeric = !(s.step === 'choose' && s.passphrase);
    return h('input', {
      type: s.show ? 'text' : 'password', name, autocomplete, class: 'input--big',
      inputmode: numeric ? 'numeric' : 'text', spellcheck: 'false', autocapitalize: 'none',
      required: true, value: s[key], oninput: (e) => { s[key] = e.target.value; },
    });
  }

  function showToggle() {
    return h('button', {
      type: 'button', class: 'button button--secondary button--small login-card-form__show', id: 'card-show',
      'aria-pressed': s.show ? 'true' : 'false',
      onclick: () => { s.show = !s.show; ctx.rerender(); document.getElementById('card-show')?.focus(); },
    }, s.show ? t('card.pin_hide') : t('card.pin_show'));
  }

  function codeSummary() {
    return h('p', { class: 'login-card-form__code' },
      t('card.code_shown'), ' ', h('bdi', { dir: 'ltr', class: 'login-card-form__code-value' }, displayCode(s.code)), ' ',
      h('button', { type: 'button', class: 'button button--secondary button--small', id: 'card-other', onclick: otherCode }, t('card.change_code')));
  }

  function err(key) {
    return s.fieldErrors[key] && t(s.fieldErrors[key]);
  }

  function cardFields() {
    if (s.step === 'code') {
      return field({
        id: 'card-code', label: t('card.code_label'), hint: t('card.code_hint'), error: err('code'),
        control: h('input', {
          type: 'text', name: 'code', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters',
          class: 'input--big input--code', dir: 'ltr', required: true, value: s.code,
          oninput: (e) => { s.code = e.target.value; },
        }),
      });
    }
    if (s.step === 'pin') {
      return [codeSummary(),
        field({ id: 'card-pin', label: t('card.pin_label'), hint: t('card.pin_hint'), error: err('pin'),
          control: secretInput('pin', { autocomplete: 'current-password', name: 'pin' }) }),
        showToggle()];
    }
    return [codeSummary(),
      h('h2', { class: 'card__title', id: 'card-choose-title' }, t('card.choose_title')),
      h('p', null, t('card.choose_intro')),
      h('div', { class: 'choice' },
        h('input', { type: 'checkbox', id: 'card-passphrase', checked: s.passphrase,
          onchange: (e) => { s.passphrase = e.target.checked; s.fieldErrors = {}; ctx.rerender(); document.getElementById('card-passphrase')?.focus(); } }),
        h('div', { class: 'choice__text' }, h('label', { for: 'card-passphrase', class: 'choice__label' }, t('card.passphrase_toggle')))),
      field({ id: 'card-new-pin', label: t(s.passphrase ? 'card.new_pass_label' : 'card.new_pin_label'),
        hint: t(s.passphrase ? 'card.new_pass_hint' : 'card.new_pin_hint'), error: err('newPin'),
        control: secretInput('newPin', { autocomplete: 'new-password', name: 'new_pin' }) }),
      field({ id: 'card-repeat', label: t('card.repeat_label'), error: err('repeat'),
        control: secretInput('repeat', { autocomplete: 'new-password', name: 'repeat' }) }),
      showToggle()];
  }

  function cardForm() {
    const errId = 'card-error';
    const submitKey = { code: 'card.next', pin: 'card.submit', choose: 'card.choose_submit' }[s.step];
    let problem = null;
    if (s.error) {
      problem = s.error.slug === 'card-locked' ? t('card.errors.locked') : errorText(s.error);
    }
    return h('form', { class: 'form card login-card-form', novalidate: true, onsubmit: submitCard, id: 'card-form',
      'aria-describedby': problem ? errId : null },
    problem ? h('div', { id: errId }, notice('error', problem)) : null,
    cardFields(),
    h('div', { class: 'form__actions' },
      h('button', { type: 'submit', class: 'button', disabled: s.busy, id: 'card-submit' },
        s.busy ? t('card.busy') : t(submitKey))));
  }

  /* ---------- page ---------- */

  function passwordForm() {
    const errId = 'login-error';
    const email = field({
      id: 'login-email', label: t('login.email'), error: s.fieldErrors.email && t(s.fieldErrors.email),
      control: h('input', {
        type: 'email', name: 'email', autocomplete: 'username', inputmode: 'email', spellcheck: 'false',
        autocapitalize: 'none', required: true, value: s.email, oninput: (e) => { s.email = e.target.value; },
      }),
    });
    const password = field({
      id: 'login-password', label: t('login.password'), error: s.fieldErrors.password && t(s.fieldErrors.password),
      control: h('input', {
        type: 'password', name: 'password', autocomplete: 'current-password', required: true,
        value: s.password, oninput: (e) => { s.password = e.target.value; },
      }),
    });
    if (s.error) {
      for (const c of [email.control, password.control]) {
        c.setAttribute('aria-invalid', 'true');
        c.setAttribute('aria-describedby', [errId, c.getAttribute('aria-describedby')].filter(Boolean).join(' '));
      }
    }
    return [
      h('form', { class: 'form card', novalidate: true, onsubmit: submitPassword, 'aria-describedby': s.error ? errId : null },
        s.error ? h('div', { id: errId }, notice('error', errorText(s.error))) : null,
        email, password,
        h('div', { class: 'form__actions' },
          h('button', { type: 'submit', class: 'button', disabled: s.busy, id: 'login-submit' },
            s.busy ? t('login.busy') : t('login.submit')))),
      h('p', { class: 'muted' }, t('login.help'))];
  }

  function render() {
    const modes = choiceGroup({
      id: 'login-mode', legend: t('card.choice_legend'), type: 'radio', name: 'login-mode',
      options: [
        { value: 'card', label: t('card.choice_card'), description: t('card.choice_card_desc') },
        { value: 'password', label: t('card.choice_password'), description: t('card.choice_password_desc') },
      ],
      checked: s.mode, onchange: setMode,
    });
    return h('div', { class: 'stack login' },
      pageTitle(t('login.title')),
      h('div', { class: 'login-mode' }, modes),
      s.mode === 'card' ? cardForm() : [h('p', { class: 'lead' }, t('login.intro')), passwordForm()]);
  }

  return { title: () => t('login.title'), load, render };
}
