// SPDX-License-Identifier: EUPL-1.2
// The login page: email and password, POST /api/v1/session. Shows the server's answer in the
// chosen language — wrong credentials (401) or throttled (429, with the wait from Retry-After).

import { t } from '../i18n.js';
import { post } from '../api.js';
import { h, field, notice, pageTitle, errorText } from '../dom.js';

export function createLoginView(ctx) {
  const s = { email: '', password: '', fieldErrors: {}, error: null, busy: false };

  function validate() {
    const errs = {};
    if (!s.email.trim()) errs.email = 'login.errors.email_required';
    if (!s.password) errs.password = 'login.errors.password_required';
    return errs;
  }

  async function submit(e) {
    e.preventDefault();
    if (s.busy) return;
    s.error = null;
    s.fieldErrors = validate();
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

  function render() {
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
    return h('div', { class: 'stack login' },
      pageTitle(t('login.title')),
      h('p', { class: 'lead' }, t('login.intro')),
      h('form', { class: 'form card', novalidate: true, onsubmit: submit, 'aria-describedby': s.error ? errId : null },
        s.error ? h('div', { id: errId }, notice('error', errorText(s.error))) : null,
        email, password,
        h('div', { class: 'form__actions' },
          h('button', { type: 'submit', class: 'button', disabled: s.busy, id: 'login-submit' },
            s.busy ? t('login.busy') : t('login.submit')))),
      h('p', { class: 'muted' }, t('login.help')));
  }

  return { title: () => t('login.title'), render };
}
