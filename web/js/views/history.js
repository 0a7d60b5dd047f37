// SPDX-License-Identifier: EUPL-1.2
// What came along from an earlier Veerkracht installation (issue 5, docs/dossier.md §5), read from
// GET /api/v1/clients/{id}/transfer-history: one item per imported package, with the referrals
// (FHIR Task + ServiceRequest), the access log (AuditEvents), the organisations named, and the
// screenings of instruments this installation does not offer. Two views of the same facts:
// - storyHistoryNode(item): the client's "My story" (me.js), in the client's language and calm
//   words — "your file from <sender> (moved here on <date>)" with a disclosure of the earlier
//   conversations and referrals by date; never an instrument name, band, score or risk label.
// - historyPanel(ctx, clientId): a panel on the professional's client page (client.js) with the
//   sender, its fingerprint, the dates, the earlier conversations (instrument, version, date) and
//   referrals (service, organisation, state, date), and how many access-log rows came along. A
//   part the caller's scopes do not cover is absent in the answer (screenings need signal,
//   referrals referral) and the panel says so. No panel when nothing came along; no access, no
//   panel (the rest of the page says so). The answer is kept per client for a short while, so
//   re-renders of the page do not read (and audit) it again.

import { t, tp, tNodes, formatDate } from '../i18n.js';
import { get } from '../api.js';
import { h, notice } from '../dom.js';
import { label } from '../codes.js';

const FRESH_MS = 15000;
const cache = new Map(); // clientId -> {at, items}

/** t() with a fallback for codes the locale does not know. */
const tOr = (key, dflt) => { const v = t(key); return v === key ? dflt : v; };

const byDate = (a, b) => Date.parse(a.at || 0) - Date.parse(b.at || 0);

/** The referrals of one history item: [{id, state, at, service, org}], oldest first. */
export function historyReferrals(item) {
  const res = item.referrals ?? [];
  const orgs = new Map((item.organizations ?? []).map((o) => [o.id, o.name]));
  const requests = new Map(res.filter((r) => r.resourceType === 'ServiceRequest').map((r) => [r.id, r]));
  const orgName = (ref) => orgs.get(String(ref?.reference ?? '').replace(/^Organization\//, '')) ?? '';
  return res.filter((r) => r.resourceType === 'Task').map((task) => {
    const sr = requests.get(task.id);
    return {
      id: task.id,
      state: task.businessStatus?.coding?.[0]?.code ?? '',
      at: task.authoredOn ?? sr?.authoredOn ?? '',
      service: sr?.code?.text ?? sr?.code?.coding?.[0]?.code ?? '',
      org: orgName(task.owner),
    };
  }).sort(byDate);
}

/** The screenings kept in one history item: [{instrument, version, at}], oldest first. */
function historyScreenings(item) {
  return (item.screenings ?? []).map((x) => ({ instrument: x.instrument ?? '', version: x.version ?? '', at: x.created_at ?? '' }))
    .sort(byDate);
}

/* ---------- the client's story ---------- */

/** One timeline node for "My story": the file from the sender, earlier events in a disclosure. */
export function storyHistoryNode(item) {
  const sender = h('bdi', { dir: 'ltr' }, item.sender ?? '');
  const events = [
    ...historyScreenings(item).map((x) => ({ at: x.at, text: t('history.story_screening') })),
    ...historyReferrals(item).map((r) => ({
      at: r.at,
      text: [...tNodes('me.story.referral', { service: h('bdi', null, r.service || r.org) }), ' ',
        tOr(`me.referral_states.${r.state}`, '')],
    })),
  ].sort(byDate);
  return h('div', { class: 'me-history', 'data-history': item.id },
    h('p', null, ...tNodes('history.story_item', { sender, date: formatDate(item.imported_at) })),
    h('details', { class: 'me-history__details' },
      h('summary', null, t('history.story_show')),
      events.length
        ? h('ul', { class: 'stack' }, events.map((e) => h('li', null,
          h('time', { datetime: e.at, class: 'muted' }, formatDate(e.at)), ' — ', e.text)))
        : h('p', null, t('history.story_nothing'))));
}

/* ---------- the professional's panel ---------- */

function screeningsPart(item) {
  if (!('screenings' in item)) return h('p', { class: 'muted' }, t('history.no_scope_screenings'));
  const list = historyScreenings(item);
  if (!list.length) return h('p', null, t('history.none'));
  return h('ul', { class: 'history-screenings' }, list.map((x) => h('li', null,
    t('history.screening_item', { date: formatDate(x.at), instrument: x.instrument, version: x.version }))));
}

function referralsPart(item) {
  if (!('referrals' in item)) return h('p', { class: 'muted' }, t('history.no_scope_referrals'));
  const list = historyReferrals(item);
  if (!list.length) return h('p', null, t('history.none'));
  return h('ul', { class: 'history-referrals' }, list.map((r) => h('li', { 'data-referral': r.id },
    formatDate(r.at), ': ', h('bdi', null, r.service), r.org ? [' — ', h('bdi', null, r.org)] : null,
    ' (', label('referral.states', r.state), ')')));
}

function itemSection(item, i) {
  return h('div', { class: 'stack', 'data-history': item.id },
    h('p', { id: i ? null : 'history-from' },
      ...tNodes('history.from', { sender: h('bdi', { dir: 'ltr' }, item.sender ?? ''), date: formatDate(item.imported_at) })),
    h('p', null, t('history.fingerprint'), ' ', h('bdi', { dir: 'ltr', class: 'history-fingerprint' }, (item.fingerprint ?? '').replaceAll('-', '\u2011'))),
    item.created_at ? h('p', { class: 'muted' }, t('history.made_on', { date: formatDate(item.created_at) })) : null,
    h('h3', null, t('history.screenings_title')),
    screeningsPart(item),
    h('h3', null, t('history.referrals_title')),
    referralsPart(item),
    'access_log' in item ? h('p', { class: 'muted' }, tp('history.log_count', item.access_log.length)) : null);
}

function fill(el, items) {
  if (!items?.length) { el.replaceChildren(); return; }
  el.replaceChildren(h('section', { class: 'card', 'aria-labelledby': 'history-title', id: 'history' },
    h('h2', { class: 'card__title', id: 'history-title' }, t('history.panel_title')),
    notice('info', t('history.panel_intro')),
    items.map(itemSection)));
}

/** A container on the client page that fills itself from GET …/transfer-history. */
export function historyPanel(ctx, clientId) {
  const el = h('div', { id: 'history-panel' });
  const hit = cache.get(clientId);
  if (hit && Date.now() - hit.at < FRESH_MS) {
    fill(el, hit.items);
  } else {
    get(`/clients/${encodeURIComponent(clientId)}/transfer-history`).then(({ data }) => {
      cache.set(clientId, { at: Date.now(), items: data?.items ?? [] });
      fill(el, data?.items ?? []);
    }, () => fill(el, [])); // no access: the rest of the page says so
  }
  return el;
}
