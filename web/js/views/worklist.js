// SPDX-License-Identifier: EUPL-1.2
// The worklist (#/worklist, GET /api/v1/worklist): everything the API lists for the caller, one
// section per member with a heading and a count, empty sections left out (one line when nothing
// waits at all):
//  - open red flags (`items`), oldest first, a flag open for more than 24 hours highlighted;
//    professionals can close a flag here, the coordinator follows up and cannot close;
//  - overdue referrals (`referrals`): sent by the caller's organisation, or for a coordinator
//    sent or received in their region; why it is overdue in words, not only by colour;
//  - referrals of clients who moved into the coordinator's region (`moved_referrals`), with
//    where from and whether the service works in the new place;
//  - open erasure requests (`erasure_requests`) for the roles that may confirm, each a link to
//    the client page where the confirm panel is (erasure_panel.js).
// A referral links to its page (#/referrals/{id}) only when the caller's organisation is party
// to it: the referral page answers 404 to anyone else (the coordinator sees facts only).

import { t, tp, tNodes, formatDate, formatNumber } from '../i18n.js';
import { get } from '../api.js';
import { h, pageTitle, notice } from '../dom.js';
import { isProfessional, label } from '../codes.js';
import { flagCard } from './flags.js';
import { stateText, fact, when, tOr } from './inbox.js';

const list = (v) => (Array.isArray(v) ? v : []);

export function createWorklistView(ctx) {
  const s = { items: [], referrals: [], moved: [], erasures: [], msg: null };

  async function load() {
    const { data } = await get('/worklist');
    s.items = list(data?.items);
    s.referrals = list(data?.referrals);
    s.moved = list(data?.moved_referrals);
    s.erasures = list(data?.erasure_requests);
  }

  async function closed() {
    s.msg = { kind: 'success', text: () => t('redflags.closed_ok') };
    try {
      await load();
    } catch (err) {
      if (err.handled) return;
      s.msg = { kind: 'error', text: () => t('errors.generic') };
    }
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    document.getElementById('worklist-msg')?.focus();
  }

  /** A section with an h2 "title (count)", an intro line and its list. */
  function section(id, title, count, intro, body) {
    return h('section', { class: 'stack worklist-section', id, 'aria-labelledby': `${id}-title`, 'data-count': String(count) },
      h('h2', { id: `${id}-title` }, t('worklist.heading_count', { title, count: formatNumber(count) })),
      intro ? h('p', { class: 'muted' }, intro) : null,
      body);
  }

  function flagsSection() {
    const canClose = isProfessional(ctx.me?.user?.role);
    const overdue = s.items.filter((x) => x.flag?.overdue).length;
    return section('worklist-flags', t('worklist.flags_title'), s.items.length, t('worklist.intro'), [
      h('p', { class: 'muted', id: 'worklist-count' }, tp('worklist.count', s.items.length),
        overdue ? [' · ', h('strong', { class: 'text-alert' }, tp('worklist.overdue_count', overdue))] : null),
      h('ul', { class: 'flag-list', id: 'worklist', 'aria-labelledby': 'worklist-count' }, s.items.map((x) => h('li', null,
        flagCard({ ...x.flag, client_id: x.flag?.client_id || x.client_id }, {
          headingLevel: 'h3', clientLink: true, canClose, onClosed: closed,
        })))),
    ]);
  }

  /** True when the caller's organisation sends or receives the referral (it may open it). */
  function party(r) {
    const org = ctx.me?.user?.org?.id;
    return Boolean(org) && (r.from?.id === org || r.to?.id === org);
  }

  /** The pseudonym in running text, as code so that it may wrap on a narrow screen. */
  const pid = (key, id) => tNodes(key, { client: h('code', null, id) });

  /** The heading of one referral: a link to its page when the caller may open it. */
  function refHeading(r, prefix) {
    const text = [h('bdi', null, r.service?.name ?? ''), ' — ', pid('inbox.client_short', r.client_id)];
    return h('h3', { class: 'flag__title' }, party(r)
      ? h('a', { href: `#/referrals/${encodeURIComponent(r.id)}`, id: `${prefix}-open-${r.id}` }, text)
      : h('span', null, text));
  }

  function refFacts(r, extra) {
    return h('dl', { class: 'facts facts--compact' },
      fact(t('inbox.client'), h('code', null, r.client_id)),
      fact(t('inbox.level'), label('levels_short', r.level)),
      fact(t('inbox.from'), h('bdi', null, r.from?.name ?? '')),
      fact(t('inbox.to'), h('bdi', null, r.to?.name ?? '')),
      fact(t('inbox.sent_at'), when(r.sent_at)),
      extra);
  }

  const notParty = (r) => (party(r) ? null : h('p', { class: 'muted' }, t('worklist.not_party')));

  function overdueRow(r) {
    const why = tOr(`worklist.overdue.${r.overdue_reason}`, t('worklist.overdue.other'));
    return h('li', { class: 'flag referral-row flag--overdue', 'data-referral': r.id, 'data-reason': r.overdue_reason },
      refHeading(r, 'worklist-ref'),
      h('p', { class: 'flag__head' },
        h('span', { class: 'badge badge--overdue', 'data-state': r.state }, stateText(r.state)),
        h('strong', { class: 'flag__due--overdue' }, why)),
      refFacts(r, fact(t('worklist.due_at'), when(r.due_at), { class: 'flag__due--overdue' })),
      notParty(r));
  }

  function overdueSection() {
    const coord = ctx.me?.user?.role === 'coordinator';
    return section('worklist-referrals', t('worklist.referrals_title'), s.referrals.length,
      t(coord ? 'worklist.referrals_intro_region' : 'worklist.referrals_intro'),
      h('ul', { class: 'flag-list', id: 'worklist-referral-list', 'aria-labelledby': 'worklist-referrals-title' },
        s.referrals.map(overdueRow)));
  }

  function servesText(v) {
    if (v === true) return t('worklist.moved_serves_yes');
    if (v === false) return t('worklist.moved_serves_no');
    return t('worklist.moved_serves_unknown');
  }

  function movedRow(r) {
    const m = r.moved ?? {};
    return h('li', { class: 'flag referral-row referral-row--ok', 'data-referral': r.id },
      refHeading(r, 'worklist-moved'),
      h('p', { class: 'flag__head' },
        h('span', { class: 'badge badge--active', 'data-state': r.state }, stateText(r.state))),
      refFacts(r, [
        fact(t('worklist.moved_when'), t('worklist.moved_value', {
          date: m.at ? formatDate(m.at) : '', from: m.from_location ?? '', to: m.to_location ?? '',
        })),
        fact(t('worklist.moved_serves'), servesText(r.serves_new_area), { 'data-serves': String(r.serves_new_area) }),
      ]),
      notParty(r));
  }

  function movedSection() {
    return section('worklist-moved', t('worklist.moved_title'), s.moved.length, t('worklist.moved_intro'),
      h('ul', { class: 'flag-list', id: 'worklist-moved-list', 'aria-labelledby': 'worklist-moved-title' },
        s.moved.map(movedRow)));
  }

  function erasureRow(e) {
    return h('li', { class: 'flag referral-row referral-row--ok', 'data-erasure': e.id },
      h('h3', { class: 'flag__title' },
        h('a', { href: `#/clients/${encodeURIComponent(e.client_id)}`, id: `worklist-erasure-open-${e.id}` },
          pid('worklist.erasure_item', e.client_id))),
      h('dl', { class: 'facts facts--compact' },
        fact(t('inbox.client'), h('code', null, e.client_id)),
        fact(t('worklist.erasure_asked_at'), when(e.requested_at))));
  }

  function erasureSection() {
    return section('worklist-erasures', t('worklist.erasure_title'), s.erasures.length, t('worklist.erasure_intro'),
      h('ul', { class: 'flag-list', id: 'worklist-erasure-list', 'aria-labelledby': 'worklist-erasures-title' },
        s.erasures.map(erasureRow)));
  }

  function render() {
    const parts = [
      s.items.length ? flagsSection() : null,
      s.referrals.length ? overdueSection() : null,
      s.moved.length ? movedSection() : null,
      s.erasures.length ? erasureSection() : null,
    ].filter(Boolean);
    return h('div', { class: 'stack' },
      pageTitle(t('worklist.page_title')),
      h('p', { class: 'lead' }, t('worklist.page_intro')),
      s.msg ? h('div', { id: 'worklist-msg', tabindex: '-1' }, notice(s.msg.kind, s.msg.text())) : null,
      parts.length ? parts : h('p', { class: 'notice notice--info', id: 'worklist-nothing' }, t('worklist.nothing')));
  }

  return { title: () => t('worklist.page_title'), load, render };
}
