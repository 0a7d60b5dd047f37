// SPDX-License-Identifier: EUPL-1.2
// One red flag as a card, shared by the client page, the result screen and the worklist: what
// kind, open or closed (overdue after 24 h), who raised it, what was recorded, and — for the
// professional roles (health_staff, gp, poh_ggz, ggz) — a form to close it with a required reason
// (POST /api/v1/red-flags/{fid}/close).

import { t, formatDateTime } from '../i18n.js';
import { post } from '../api.js';
import { h, errorText, nextId } from '../dom.js';
import { label } from '../codes.js';
import { icon } from '../icons.js';

const REASON_MAX = 1000;

function by(x) {
  if (!x) return '';
  return [label('roles', x.role), x.org].filter(Boolean).join(', ');
}

function closeForm(f, onClosed) {
  const id = `close-${f.id}`;
  const errId = `${id}-error`;
  const hintId = `${id}-hint`;
  const s = { reason: '', busy: false };
  const area = h('textarea', {
    id, name: 'reason', rows: '3', maxlength: String(REASON_MAX), required: true, 'aria-describedby': hintId,
    oninput: (e) => { s.reason = e.target.value; },
  });
  const err = h('p', { class: 'field__error', id: errId, hidden: true });
  const failure = h('div', { class: 'flag__close-failure', tabindex: '-1', hidden: true });
  const btn = h('button', { type: 'submit', class: 'button button--small', 'data-close-flag': f.id }, t('redflags.close_submit'));
  const wrap = h('div', { class: 'field' },
    h('label', { for: id, class: 'field__label' }, t('redflags.close_reason_label')),
    h('p', { class: 'field__hint', id: hintId }, t('redflags.close_hint')),
    err, area);

  function showError(text) {
    err.hidden = !text;
    err.textContent = text || '';
    wrap.classList.toggle('field--error', Boolean(text));
    area.setAttribute('aria-describedby', [text ? errId : null, hintId].filter(Boolean).join(' '));
    if (text) area.setAttribute('aria-invalid', 'true'); else area.removeAttribute('aria-invalid');
  }

  async function submit(e) {
    e.preventDefault();
    if (s.busy) return;
    const reason = s.reason.trim();
    failure.hidden = true;
    if (!reason || [...reason].length > REASON_MAX) {
      showError(t('redflags.close_error', { max: REASON_MAX }));
      area.focus();
      return;
    }
    showError(null);
    s.busy = true;
    btn.disabled = true;
    btn.textContent = t('form.busy');
    try {
      const { data } = await post(`/red-flags/${encodeURIComponent(f.id)}/close`, { reason });
      onClosed?.(data || { ...f, state: 'closed', close_reason: reason });
      return;
    } catch (er) {
      if (er.handled) return;
      failure.hidden = false;
      failure.replaceChildren(h('div', { class: 'notice notice--error', role: 'alert' }, errorText(er)));
      failure.focus();
    }
    s.busy = false;
    btn.disabled = false;
    btn.textContent = t('redflags.close_submit');
  }

  return h('form', { class: 'form subform flag__close', novalidate: true, onsubmit: submit, 'aria-labelledby': `${id}-title` },
    h('h4', { class: 'subform__title', id: `${id}-title` }, t('redflags.close_title')),
    failure, wrap,
    h('div', { class: 'form__actions' }, btn));
}

/**
 * A card for one FLAG. opts: {headingLevel, canClose, onClosed(flag), clientLink}.
 */
export function flagCard(f, { headingLevel = 'h3', canClose = false, onClosed, clientLink = false } = {}) {
  const open = f.state !== 'closed';
  const headingId = nextId('flag');
  const actions = Array.isArray(f.actions) ? f.actions : [];
  return h('article', {
    class: ['flag', open ? 'flag--open' : 'flag--closed', open && f.overdue && 'flag--overdue'],
    'aria-labelledby': headingId, 'data-flag': f.id, 'data-state': f.state || 'open',
  },
  h('div', { class: 'flag__head' },
    h(headingLevel, { class: 'flag__title', id: headingId }, icon('alert', 'flag__icon'),
      label('redflags.protocols', f.protocol)),
    h('span', { class: ['badge', open ? 'badge--alert' : 'badge--ended'] }, open ? t('redflags.open') : t('redflags.closed')),
    open && f.overdue ? h('span', { class: 'badge badge--overdue' }, t('redflags.overdue')) : null),
  h('dl', { class: 'facts facts--compact' },
    h('dt', null, t('redflags.source')),
    h('dd', null, f.flag === 'manual' ? t('redflags.source_manual') : t('redflags.source_screening')),
    f.raised_at ? [h('dt', null, t('redflags.raised')), h('dd', null, formatDateTime(f.raised_at), f.raised_by ? [' — ', h('bdi', null, by(f.raised_by))] : null)] : null,
    open && f.due_at ? [h('dt', null, t('redflags.due')), h('dd', { class: f.overdue ? 'flag__due--overdue' : null }, formatDateTime(f.due_at))] : null,
    f.note ? [h('dt', null, t('redflags.note')), h('dd', { lang: 'nl' }, f.note)] : null,
    h('dt', null, t('redflags.actions')),
    h('dd', null, actions.length
      ? h('ul', { class: 'flag__actions' }, actions.map((a) => h('li', null,
        h('strong', null, label('flag_actions', a.action)),
        a.note ? [' — ', h('span', { lang: 'nl' }, a.note)] : null,
        h('span', { class: 'cell-line muted' }, [formatDateTime(a.at), by(a.by)].filter(Boolean).join(' · ')))))
      : h('span', { class: 'muted' }, t('redflags.no_actions'))),
    !open ? [
      h('dt', null, t('redflags.closed_at')), h('dd', null, formatDateTime(f.closed_at)),
      h('dt', null, t('redflags.close_reason')), h('dd', { lang: 'nl' }, f.close_reason || ''),
    ] : null),
  clientLink && f.client_id
    ? h('p', null, h('a', { href: `#/clients/${encodeURIComponent(f.client_id)}`, class: 'flag__client' }, t('redflags.client_link')))
    : null,
  open && canClose ? closeForm(f, onClosed) : null);
}
