// SPDX-License-Identifier: EUPL-1.2
// The client's request for erasure on a professional's client page (issue 5, docs/dossier.md §6).
// erasurePanel(ctx, clientId) gives a container that fills itself from GET …/erasure, for the
// roles that may confirm (coordinator, health_staff, gp, poh_ggz, ggz; null for others, so no
// extra audited read). Only an open request shows: what confirming deletes, the record-keeping
// caveat (WGBO: the confirming professional decides), that older backups still hold the dossier,
// and a form to type the pseudonym again. After the erasure the caseload opens with a message.
// The state is kept per client for a short while, so re-renders of the page do not re-read it.

import { t, formatDate } from '../i18n.js';
import { get, post } from '../api.js';
import { h, field, errorText, notice } from '../dom.js';

const CONFIRMERS = new Set(['coordinator', 'health_staff', 'gp', 'poh_ggz', 'ggz']);
const FRESH_MS = 15000;
const cache = new Map(); // clientId -> {at, req}

function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c != null));
}

export function erasurePanel(ctx, clientId) {
  if (!CONFIRMERS.has(ctx.me?.user?.role)) return null;
  const path = `/clients/${encodeURIComponent(clientId)}/erasure`;
  const el = h('div', { id: 'erasure-panel' });
  const s = { typed: '', busy: false, error: null };

  async function confirm(e) {
    e.preventDefault();
    if (s.busy) return;
    s.busy = true;
    s.error = null;
    try {
      await post(`${path}/confirm`, { confirm_pid: s.typed.trim() });
      cache.delete(clientId);
      ctx.flash(() => t('erase.erased_done'));
      ctx.navigate('#/clients');
      return;
    } catch (err) {
      if (err.handled) return;
      s.error = err.slug === 'invalid-input' ? t('erase.mismatch') : errorText(err);
      if (err.slug === 'conflict') cache.delete(clientId);
    } finally {
      s.busy = false;
    }
    paint(cache.get(clientId)?.req);
    el.querySelector('#erasure-pid')?.focus();
  }

  function paint(req) {
    if (req?.state !== 'requested' || !req.may_confirm) { fill(el); return; }
    const input = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', dir: 'ltr', maxlength: '64',
      value: s.typed, oninput: (e) => { s.typed = e.target.value; } });
    fill(el, h('section', { class: 'card', 'aria-labelledby': 'erasure-title', id: 'erasure', 'data-state': req.state },
      h('h2', { class: 'card__title', id: 'erasure-title' }, t('erase.panel_title')),
      h('p', { id: 'erasure-asked' }, t('erase.panel_asked', { date: formatDate(req.requested_at) })),
      h('p', null, t('erase.panel_what')),
      notice('info', t('erase.panel_law')),
      h('p', { class: 'muted' }, t('erase.panel_backups')),
      h('form', { class: 'form', id: 'erasure-form', novalidate: true, onsubmit: confirm },
        field({ id: 'erasure-pid', error: s.error, control: input,
          label: [t('erase.confirm_label'), ' ', h('bdi', { dir: 'ltr', translate: 'no' }, clientId)] }),
        h('div', { class: 'form__actions' },
          h('button', { type: 'submit', class: 'button button--danger', id: 'erasure-confirm', disabled: s.busy }, t('erase.confirm'))))));
  }

  const hit = cache.get(clientId);
  if (hit && Date.now() - hit.at < FRESH_MS) {
    paint(hit.req);
  } else {
    get(path).then(({ data }) => {
      cache.set(clientId, { at: Date.now(), req: data });
      paint(data);
    }, () => fill(el)); // no access or no such client: the rest of the page says so
  }
  return el;
}
