// SPDX-License-Identifier: EUPL-1.2
// A printable summary of one dossier (issue 5), in the client's language and in Dutch: #/me/summary
// for the client (the active dossier: its own or one it holds) and #/clients/{id}/summary for a
// professional with access. Everything comes from the API — the dossier (who: pseudonym, year of
// birth, language; not the export, so viewing is not logged as a download), …/screenings (dates of the conversations), …/route (the advice in words),
// …/referrals (state and dates) and …/grants (who may see it and until when) — plus the crisis
// numbers. Calm wording as in the client's story: no band, score, level code or risk label. On
// paper (A4, `.summary` print block in app.css) the client's language comes first and Dutch
// second; only Dutch when the client's language is Dutch or has no locale. Each side carries its
// own lang and dir (RTL for ar/fa).

import { t, translator, getLang, LANGS, LANG_NAMES } from '../i18n.js';
import { get } from '../api.js';
import { h, notice, pageTitle } from '../dom.js';

const TIME_ZONE = 'Europe/Amsterdam';
const PLACES = 3; // offers named per advised level, as in the client's story
const ENDED_REFERRAL = new Set(['draft']);

/**
 * A date in one side's language ('' for a missing value). Where the browser has no date words for
 * the language (Tigrinya and Somali in Chromium), digits (23-11-2026) rather than English words.
 */
function dateIn(lang, iso) {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return '';
  if (!Intl.DateTimeFormat.supportedLocalesOf([lang]).length) {
    return new Intl.DateTimeFormat('nl', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: TIME_ZONE }).format(d);
  }
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: TIME_ZONE }).format(d);
}

/** tNodes() for one side: the sentence `key` in tr's language with DOM nodes for placeholders. */
function nodesIn(tr, key, nodes) {
  const str = tr(key);
  const out = [];
  let last = 0;
  for (const m of str.matchAll(/\{(\w+)\}/g)) {
    if (!(m[1] in nodes)) continue;
    out.push(str.slice(last, m.index), nodes[m[1]]);
    last = m.index + m[0].length;
  }
  out.push(str.slice(last));
  return out.filter((x) => x !== '');
}

/** A translated code, or the code itself when the locale has no word for it. */
function word(tr, key, code) {
  const v = tr(key);
  return v === key ? code : v;
}

export function createSummaryView(ctx, clientId) {
  const own = clientId === undefined; // #/me/summary: the client's active dossier
  const s = {
    pid: own ? (ctx.me?.active_dossier ?? null) : clientId,
    client: null, screenings: null, referrals: null, route: null, grants: null,
    sides: [], // one translator per side: the client's language (unless Dutch), then Dutch
    made: new Date().toISOString(),
  };
  const base = () => `/clients/${encodeURIComponent(s.pid)}`;

  /** A part the caller may not see (404) is left out, not an error: its section is omitted. */
  async function part(path) {
    try {
      return (await get(path)).data;
    } catch (err) {
      if (err.status === 404 && !err.handled) return null;
      throw err;
    }
  }

  async function load() {
    document.body.classList.add('is-summary-page');
    if (!s.pid) return;
    const [client, sc, refs, route, grants] = await Promise.all([
      get(base()).then((r) => r.data),
      part(`${base()}/screenings`), part(`${base()}/referrals`), part(`${base()}/route`), part(`${base()}/grants`),
    ]);
    s.client = client;
    s.screenings = sc?.items ?? null;
    s.referrals = refs?.items ?? null;
    s.route = route;
    s.grants = grants?.items ?? null;
    const lang = String(client?.language || '').split('-')[0];
    // A language without a locale: the client's own view is in the UI language they chose.
    const first = await translator(LANGS.includes(lang) ? lang : (own ? getLang() : 'nl'));
    const nl = await translator('nl');
    s.sides = first.lang === 'nl' ? [nl] : [first, nl];
  }

  function leave() {
    document.body.classList.remove('is-summary-page');
  }

  /* ---------- one side, entirely in one language ---------- */

  function section(tr, key, ...body) {
    return h('section', { class: 'summary__part', 'data-part': key },
      h('h3', { class: 'summary__part-title' }, tr(`summary.${key}_title`)), ...body);
  }

  function whoPart(tr) {
    const p = s.client || {};
    const lang = p.language;
    const row = (key, value) => [h('dt', null, tr(`summary.${key}`)), h('dd', null, value)];
    return section(tr, 'who',
      h('dl', { class: 'summary__facts' },
        row('pseudonym', h('bdi', { dir: 'ltr', class: 'summary__pid', translate: 'no' }, p.id ?? s.pid)),
        row('year', h('bdi', { dir: 'ltr' }, String(p.year_of_birth ?? ''))),
        lang ? row('language', word(tr, `languages.${lang}`, lang)) : null));
  }

  function talksPart(tr) {
    if (s.screenings === null) return null;
    const items = [...s.screenings].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
    return section(tr, 'talks',
      items.length
        ? h('ul', { class: 'summary__list' }, items.map((sc) => h('li', { 'data-screening': sc.id },
          h('strong', null, h('time', { datetime: sc.created_at }, dateIn(tr.lang, sc.created_at))), ' — ', tr('summary.talk'))))
        : h('p', null, tr('summary.talks_none')));
  }

  function advicePart(tr) {
    if (s.screenings === null) return null; // the advice needs the signal scope, as the screenings do
    const levels = s.route?.levels ?? [];
    return section(tr, 'advice',
      levels.length ? [
        h('p', { class: 'summary__muted' }, tr('summary.advice_made', { date: dateIn(tr.lang, s.route.created_at) })),
        h('ul', { class: 'summary__list' }, levels.map((l) => {
          const places = (l.matches ?? []).slice(0, PLACES);
          return h('li', { 'data-level': l.level },
            h('p', null, tr('me.story.advice'), ' ', h('strong', null, word(tr, `me.levels.${l.level}`, ''))),
            places.length ? h('p', null, tr('summary.places'), ' ',
              places.map((m, i) => [i ? ', ' : '', h('bdi', null, m.name)])) : null);
        }))]
        : h('p', null, tr('summary.advice_none')));
  }

  function referralsPart(tr) {
    if (s.referrals === null) return null;
    const list = s.referrals.filter((r) => !ENDED_REFERRAL.has(r.state));
    const last = (r) => (r.transitions ?? []).reduce((m, x) => (Date.parse(x.at) > Date.parse(m || 0) ? x.at : m), null);
    return section(tr, 'referrals',
      list.length
        ? h('ul', { class: 'summary__list' }, list.map((r) => {
          const changed = last(r);
          return h('li', { 'data-referral': r.id, 'data-state': r.state },
            h('p', null, ...nodesIn(tr, 'me.story.referral', { service: h('strong', null, h('bdi', null, r.service?.name || r.to?.name || '')) })),
            h('p', null, word(tr, `me.referral_states.${r.state}`, r.state)),
            h('p', { class: 'summary__muted' },
              tr('summary.sent_on', { date: dateIn(tr.lang, r.sent_at || r.created_at) }),
              changed ? ` · ${tr('summary.changed_on', { date: dateIn(tr.lang, changed) })}` : ''));
        }))
        : h('p', null, tr('summary.referrals_none')));
  }

  function grantsPart(tr) {
    if (s.grants === null) return null;
    const active = s.grants.filter((g) => g.state === 'active');
    const asked = s.grants.filter((g) => g.state === 'requested');
    const scopes = (g) => g.scopes.map((sc) => word(tr, `scopes.${sc}`, sc)).join(', ');
    return section(tr, 'grants',
      active.length
        ? h('ul', { class: 'summary__list' }, active.map((g) => h('li', { 'data-grant': g.id },
          h('strong', null, h('bdi', null, g.org?.name ?? '')), ': ', scopes(g), '. ',
          tr('summary.until', { date: dateIn(tr.lang, g.expires_at) }))))
        : h('p', null, tr('summary.grants_none')),
      asked.length
        ? [h('p', null, tr('summary.asked')), h('ul', { class: 'summary__list' }, asked.map((g) => h('li', { 'data-grant': g.id },
          h('strong', null, h('bdi', null, g.org?.name ?? '')), ': ', scopes(g))))]
        : null);
  }

  function crisisPart(tr) {
    const n = (x) => h('bdi', { dir: 'ltr', class: 'summary__tel' }, x);
    return h('section', { class: 'summary__part summary__crisis', 'data-part': 'crisis' },
      h('h3', { class: 'summary__part-title' }, tr('summary.crisis_title')),
      h('ul', null,
        h('li', null, n('112'), ' — ', tr('card.crisis_112')),
        h('li', null, n('113'), ' / ', n('0800-0113'), ' — ', tr('summary.crisis_113')),
        h('li', null, tr('summary.crisis_gp'))));
  }

  function side(tr, i) {
    return h('article', { class: 'summary__side', lang: tr.lang, dir: tr.dir, 'data-lang': tr.lang, 'aria-labelledby': `summary-side-${i}` },
      h('header', { class: 'summary__head' },
        h('h2', { class: 'summary__title', id: `summary-side-${i}` }, tr('summary.doc_title')),
        h('p', { class: 'summary__lang' }, LANG_NAMES[tr.lang] ?? tr.lang),
        h('p', { class: 'summary__muted' }, tr('summary.made', { date: dateIn(tr.lang, s.made) }))),
      whoPart(tr), talksPart(tr), advicePart(tr), referralsPart(tr), grantsPart(tr), crisisPart(tr),
      h('p', { class: 'summary__muted summary__foot' }, tr('summary.foot')));
  }

  function render() {
    const back = own ? '#/me' : `#/clients/${encodeURIComponent(s.pid)}`;
    if (!s.pid) return h('div', { class: 'stack' }, pageTitle(t('summary.title')), notice('info', t('me.no_dossier')));
    const missing = ['screenings', 'referrals', 'grants'].filter((k) => s[k] === null);
    return h('div', { class: 'stack summary-page' },
      h('p', { class: 'breadcrumb no-print' }, h('a', { href: back, id: 'summary-back' }, t(own ? 'summary.back_me' : 'summary.back_client'))),
      pageTitle(t('summary.title')),
      h('p', { class: 'lead no-print' }, t('summary.intro')),
      missing.length ? h('div', { class: 'no-print' }, notice('info', t('summary.partial'))) : null,
      h('div', { class: 'form__actions no-print' },
        h('button', { type: 'button', class: 'button', id: 'summary-print', onclick: () => window.print() }, t('summary.print'))),
      h('div', { class: ['summary', s.sides.length > 1 ? 'summary--two' : null], id: 'summary' }, s.sides.map(side)));
  }

  return { title: () => t('summary.title'), load, render, leave };
}

/** The link on a professional's client page: any access opens the summary (parts follow scopes). */
export function summaryLink(clientId) {
  return h('p', { class: 'action-list' },
    h('a', { class: 'button button--secondary', id: 'client-summary-link', href: `#/clients/${encodeURIComponent(clientId)}/summary` },
      t('summary.link')));
}
