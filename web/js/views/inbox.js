// SPDX-License-Identifier: EUPL-1.2
// The referral inbox (#/referrals, issue 6) for every role that sends or receives referrals: two
// tabs, "Ontvangen" (GET /api/v1/referrals?role=receiver) and "Verstuurd" (role=sender), a filter
// on the state, newest first as the API lists them. Each row says what the receiver needs to act:
// the client's pseudonym, age group, language and interpreter need, the care level, the service,
// from whom (or to whom), when it was sent and is due, the state, and an overdue referral marked
// in words (not only by colour). A row opens the referral page (referral_page.js). The shared
// labels of referrals (states, age groups, overdue reasons, the interpreter line) live here too.

import { t, tp, formatDateTime } from '../i18n.js';
import { get } from '../api.js';
import { h, notice, pageTitle, errorText, select } from '../dom.js';
import { label, canRegister } from '../codes.js';

/** Every referral state (docs/referrals.md §3), in life-cycle order. */
export const REF_STATES = ['draft', 'sent', 'received', 'accepted', 'waitlisted', 'declined',
  'first_contact_planned', 'first_contact_done', 'completed', 'closed_unsuccessful', 'cancelled'];

/** Everyone who can send or receive a referral (a role with a caseload: not client, analyst, admin). */
export const canReferrals = canRegister;

/** t() with a fallback for a code the locale does not know (t() answers the key itself). */
export const tOr = (key, dflt) => { const v = t(key); return v === key ? String(dflt ?? '') : v; };

export const stateText = (s) => tOr(`referral.states.${s}`, s);
export const ageText = (a) => tOr(`inbox.ages.${a}`, a);

/** "Arabisch — tolk nodig (Arabisch)": the client's language and the interpreter need. */
export function interpreterText(r) {
  if (!r.interpreter) return t('inbox.interpreter_no');
  return r.interpreter_language
    ? t('inbox.interpreter_yes_lang', { lang: label('languages', r.interpreter_language) })
    : t('inbox.interpreter_yes');
}

/** The overdue line in words, or null when on time. */
export function overdueText(r) {
  if (!r.overdue) return null;
  return tOr(`inbox.overdue.${r.overdue_reason}`, t('inbox.overdue.other'));
}

/** A `dt`/`dd` pair, skipped when the value is empty. */
export function fact(term, value, attrs = {}) {
  if (value == null || value === '' || (Array.isArray(value) && !value.length)) return null;
  return [h('dt', null, term), h('dd', attrs, value)];
}

export const when = (iso) => (iso ? h('time', { datetime: iso }, formatDateTime(iso)) : null);

export function createInboxView(ctx) {
  const s = { tab: 'received', state: '', items: [], error: null, busy: false };

  async function load() {
    const q = new URLSearchParams({ role: s.tab === 'received' ? 'receiver' : 'sender' });
    if (s.state) q.set('state', s.state);
    const { data } = await get(`/referrals?${q}`);
    s.items = Array.isArray(data?.items) ? data.items : [];
  }

  /** Reload after a tab or filter change; announce the count; keep focus on the control. */
  async function reload(focusId) {
    s.busy = true;
    s.error = null;
    try {
      await load();
    } catch (err) {
      if (err.handled) return;
      s.error = err;
      s.items = [];
    }
    s.busy = false;
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    if (!s.error) ctx.announce(() => countText(), 'info');
    document.getElementById(focusId)?.focus();
  }

  const countText = () => `${t(s.tab === 'received' ? 'inbox.tab_received' : 'inbox.tab_sent')}: ${tp('inbox.count', s.items.length)}`;

  function tabs() {
    const tab = (name) => h('button', {
      type: 'button', id: `inbox-tab-${name}`, class: 'chip', 'aria-pressed': String(s.tab === name),
      onclick: () => { if (s.tab !== name) { s.tab = name; reload(`inbox-tab-${name}`); } },
    }, t(`inbox.tab_${name}`));
    return h('div', { class: 'action-list', role: 'group', 'aria-label': t('inbox.tabs_label') },
      tab('received'), tab('sent'));
  }

  function filter() {
    const sel = select({
      name: 'state', value: s.state, placeholder: t('inbox.filter_all'),
      options: REF_STATES.map((v) => ({ value: v, label: stateText(v) })),
      onchange: (e) => { s.state = e.target.value; reload('inbox-state'); },
    });
    sel.id = 'inbox-state';
    return h('div', { class: 'field' },
      h('label', { for: 'inbox-state', class: 'field__label' }, t('inbox.filter_state')), sel);
  }

  function row(r) {
    const received = s.tab === 'received';
    const od = overdueText(r);
    const who = r.client?.pseudonym ?? r.client_id;
    return h('li', { class: ['flag', 'referral-row', od && 'flag--overdue', !od && 'referral-row--ok'], 'data-referral': r.id },
      h('h2', { class: 'flag__title' },
        h('a', { href: `#/referrals/${encodeURIComponent(r.id)}`, id: `inbox-open-${r.id}` },
          h('bdi', null, r.service?.name ?? ''), ' — ', t('inbox.client_short', { client: who }))),
      h('p', { class: 'flag__head' },
        h('span', { class: ['badge', od ? 'badge--overdue' : 'badge--active'], 'data-state': r.state }, stateText(r.state)),
        od ? h('strong', { class: 'flag__due--overdue' }, od) : null),
      h('dl', { class: 'facts facts--compact' },
        fact(t('inbox.client'), h('code', null, who)),
        r.client ? fact(t('inbox.age_group'), ageText(r.client.age_group)) : null,
        r.client ? fact(t('inbox.language'), label('languages', r.client.language)) : null,
        fact(t('inbox.interpreter'), interpreterText(r)),
        fact(t('inbox.level'), label('levels_short', r.level)),
        received ? fact(t('inbox.from'), h('bdi', null, r.from?.name ?? '')) : fact(t('inbox.to'), h('bdi', null, r.to?.name ?? '')),
        fact(t('inbox.sent_at'), r.sent_at ? when(r.sent_at) : t('inbox.not_sent')),
        fact(t('inbox.due_at'), when(r.due_at)),
        !received && r.client_answer ? fact(t('inbox.client_answer'), tOr(`inbox.answers.${r.client_answer}`, r.client_answer)) : null),
      !received && r.needs_new_offer ? notice('info', t('inbox.needs_new_offer')) : null);
  }

  function render() {
    return h('div', { class: 'stack' },
      pageTitle(t('inbox.title')),
      h('p', { class: 'lead' }, t('inbox.intro')),
      tabs(),
      filter(),
      s.error ? notice('error', errorText(s.error)) : null,
      h('p', { class: 'muted', id: 'inbox-count', 'aria-busy': s.busy ? 'true' : null }, countText()),
      s.items.length
        ? h('ul', { class: 'flag-list', id: 'inbox-list', 'aria-labelledby': 'inbox-count' }, s.items.map(row))
        : h('p', { class: 'notice notice--info', id: 'inbox-none' }, t(s.tab === 'received' ? 'inbox.none_received' : 'inbox.none_sent')));
  }

  return { title: () => t('inbox.title'), load, render };
}
