// SPDX-License-Identifier: EUPL-1.2
// The route map of a client (#/clients/{id}/route, issue 6): the stepped-care advice computed
// from the latest screening (GET /api/v1/clients/{id}/route; POST to compute it when there is
// none, when a newer screening exists, or when the volunteer asks again). Shows the levels as a staircase (crisis, L0–L3; the
// recommended ones marked in words, not only colour), per recommended level the reasons ("why
// this advice") and next steps in Dutch, the urgency in words and the matching offers with their
// fit reasons and a link to the social map. "Route card" opens a short printable card in the
// client's language (Dutch where the rules have no text in it, marked as such) with the crisis
// numbers. "Verwijzen" per offer (when the volunteer holds the referral scope) first shows what
// will be shared with whom, then POSTs /api/v1/referrals; a missing consent grant (409) is said at
// the button.

import { t, translator, formatDateTime } from '../i18n.js';
import { get, post } from '../api.js';
import { h, notice, pageTitle, errorText } from '../dom.js';

const STAIRS = ['crisis', 'L0', 'L1', 'L2', 'L3'];
/** What a referral from the route map shares (the server always adds `referral`). */
const SHARED = ['signal'];

/**
 * The link to the route map, for whoever may see this client's signalling (the client page; the
 * screening result, whose reader has that scope by definition, passes ['signal']).
 */
export function routeLink(clientId, scopes, id = 'client-route-link') {
  if (!Array.isArray(scopes) || !scopes.includes('signal')) return null;
  return h('p', { class: 'action-list' },
    h('a', { class: 'button button--secondary', id, href: `#/clients/${encodeURIComponent(clientId)}/route` },
      t('route.link')));
}

/** A rule text {nl, en, <lang>?} in lang: {text, lang, fallback} (Dutch when lang is missing). */
function pick(txt, lang) {
  if (txt && typeof txt[lang] === 'string' && txt[lang]) return { text: txt[lang], lang, fallback: false };
  return { text: (txt && txt.nl) || '', lang: 'nl', fallback: lang !== 'nl' };
}

export function createRouteView(ctx, clientId) {
  const path = `/clients/${encodeURIComponent(clientId)}/route`;
  const s = {
    advice: null,
    scopes: [], // the caller's scopes on this client (GET /clients/{id})
    busy: false,
    error: null,
    card: null, // translator of the client's language while the route card is open
    confirm: null, // the offer key ("level:index") whose referral confirmation is open
    referBusy: false,
    referError: null, // {key, err}
    referred: new Map(), // service id -> the referral made here
  };

  /** The latest advice, or null when there is none (404). */
  async function latest() {
    try {
      return (await get(path)).data;
    } catch (err) {
      if (err.status !== 404) throw err;
      return null;
    }
  }

  /** Shows the latest advice; computes a new one when there is none or a newer screening. */
  async function load() {
    const base = `/clients/${encodeURIComponent(clientId)}`;
    const [client, screenings, advice] = await Promise.all([get(base), get(`${base}/screenings`), latest()]);
    s.scopes = client.data?.scopes || [];
    const newest = screenings.data?.items?.[0]?.id ?? null;
    s.advice = advice && advice.screening_id === newest ? advice : (await post(path, {})).data;
  }

  function leave() {
    document.body.classList.remove('is-route-card');
  }

  async function recompute() {
    if (s.busy) return;
    s.busy = true;
    s.error = null;
    ctx.rerender();
    try {
      s.advice = (await post(path, {})).data;
      ctx.announce(() => t('route.recomputed'), 'success');
    } catch (err) {
      if (err.handled) return;
      s.error = err;
    }
    s.busy = false;
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    document.getElementById('route-recompute')?.focus();
  }

  async function toggleCard() {
    if (s.card) {
      s.card = null;
      document.body.classList.remove('is-route-card');
    } else {
      s.card = await translator(s.advice?.lang || 'nl');
      document.body.classList.add('is-route-card');
    }
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    document.getElementById(s.card ? 'route-card-title' : 'route-card-open')?.focus();
  }

  function openConfirm(key) {
    s.confirm = s.confirm === key ? null : key;
    s.referError = null;
    ctx.rerender();
    document.getElementById(s.confirm ? `refer-send-${key}` : `refer-${key}`)?.focus();
  }

  async function refer(key, m) {
    if (s.referBusy) return;
    s.referBusy = true;
    s.referError = null;
    ctx.rerender();
    try {
      const body = { client_id: clientId, service_id: m.service, scopes: SHARED, advice_id: s.advice.id };
      const { data } = await post('/referrals', body);
      s.referred.set(m.service, data);
      s.confirm = null;
      ctx.announce(() => t('route.refer_done', { name: m.name }), 'success');
    } catch (err) {
      if (err.handled) return;
      s.referError = { key, err };
    }
    s.referBusy = false;
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    document.getElementById(s.referError ? `refer-error-${key}` : `refer-${key}`)?.focus();
  }

  const canRefer = () => s.scopes.includes('referral') && SHARED.every((x) => s.scopes.includes(x));

  /** The referral error at the button: a missing grant (409) names the organisation and scopes. */
  function referErrorText(err) {
    if (err.status === 409) return `${t('route.refer_no_consent')} ${err.problem?.detail || ''}`.trim();
    return errorText(err);
  }

  function referBox(key, m) {
    if (!canRefer()) return null;
    const done = s.referred.get(m.service);
    if (done) return notice('success', t('route.refer_done', { name: m.name }));
    const open = s.confirm === key;
    const err = s.referError?.key === key ? s.referError.err : null;
    return h('div', { class: 'route-refer' },
      h('button', { type: 'button', class: 'button button--secondary button--small', id: `refer-${key}`, 'aria-expanded': open ? 'true' : 'false', 'aria-controls': `refer-box-${key}`, onclick: () => openConfirm(key) },
        t('route.refer')),
      open ? h('div', { class: 'route-refer__confirm', id: `refer-box-${key}` },
        h('p', null, t('route.refer_share', { org: m.organization || m.name })),
        h('ul', null, ['referral', ...SHARED].map((sc) => h('li', null, h('strong', null, t(`scopes.${sc}`)), ' — ', t(`scopes_desc.${sc}`)))),
        err ? h('div', { id: `refer-error-${key}`, tabindex: '-1' }, notice('error', referErrorText(err))) : null,
        h('div', { class: 'form__actions' },
          h('button', { type: 'button', class: 'button button--small', id: `refer-send-${key}`, disabled: s.referBusy, onclick: () => refer(key, m) },
            s.referBusy ? t('route.busy') : t('route.refer_send')),
          h('button', { type: 'button', class: 'button button--secondary button--small', onclick: () => openConfirm(key) }, t('route.refer_cancel')))) : null);
  }

  const recommended = () => new Map((s.advice?.levels || []).map((l) => [l.level, l]));

  function staircase() {
    const rec = recommended();
    return h('section', { class: 'card', 'aria-labelledby': 'route-stairs-title' },
      h('h2', { id: 'route-stairs-title', class: 'card__title' }, t('route.stairs_title')),
      h('ol', { class: 'route-stairs', id: 'route-stairs' }, STAIRS.map((lv, i) => {
        const on = rec.has(lv);
        return h('li', { class: ['route-step', `route-step--${i}`, on ? 'is-recommended' : null], 'data-level': lv },
          h('span', { class: 'route-step__name' }, t(`levels_short.${lv}`)),
          on ? h('strong', { class: 'route-step__mark' }, ` — ${t('route.recommended')}`) : null);
      })));
  }

  function textList(cls, items) {
    return h('ul', { class: cls }, (items || []).map((x) => h('li', { lang: 'nl' }, pick(x, 'nl').text)));
  }

  function offer(m, key) {
    return h('li', { class: 'route-offer', 'data-service': m.service },
      h('h4', { class: 'route-offer__name' },
        h('a', { href: `#/map/service/${encodeURIComponent(m.service)}` }, m.name)),
      m.organization ? h('p', { class: 'route-offer__org' }, m.organization) : null,
      (m.fit_reasons || []).length
        ? h('ul', { class: 'route-offer__fit', 'aria-label': t('route.fit') }, m.fit_reasons.map((r) => h('li', null, r)))
        : null,
      referBox(key, m));
  }

  function offers(matches, id) {
    if (!(matches || []).length) return h('p', { class: 'muted' }, t('route.no_offers'));
    return h('ul', { class: 'route-offers', id }, matches.map((m, i) => offer(m, `${id}-${i}`)));
  }

  function levelSection(l) {
    const id = `route-level-${l.level}`;
    return h('section', { class: ['card', 'route-level', `route-level--${l.level}`], id, 'aria-labelledby': `${id}-title` },
      h('h2', { id: `${id}-title`, class: 'card__title' }, t(`levels.${l.level}`)),
      h('p', { class: 'route-level__urgency' }, h('strong', null, t('route.urgency_label')), ' ', t(`route.urgency.${l.urgency}`)),
      h('h3', null, t('route.why')),
      textList('route-reasons', l.reasons),
      h('h3', null, t('route.steps')),
      textList('route-steps', l.steps),
      h('h3', null, t('route.offers')),
      offers(l.matches, `${id}-offers`));
  }

  function stressorSection() {
    const list = s.advice?.stressor_offers || [];
    if (!list.length) return null;
    return h('section', { class: 'card', 'aria-labelledby': 'route-practical-title' },
      h('h2', { id: 'route-practical-title', class: 'card__title' }, t('route.practical')),
      list.map((o, i) => h('div', { class: 'route-practical' },
        h('p', { lang: 'nl' }, pick(o.reason, 'nl').text),
        offers(o.matches, `route-practical-${i}`))));
  }

  /** The short route card, entirely in the client's language (tr), Dutch where the rules lack it. */
  function routeCard() {
    const tr = s.card;
    const lang = tr.lang;
    let fellBack = false;
    const line = (txt) => {
      const p = pick(txt, lang);
      fellBack = fellBack || p.fallback;
      return h('li', { lang: p.lang, dir: p.lang === 'nl' ? 'ltr' : tr.dir }, p.text);
    };
    const levels = (s.advice.levels || []).map((l) => h('section', { class: 'route-card__level' },
      h('h3', null, tr(`levels_short.${l.level}`), ' — ', tr(`route.urgency.${l.urgency}`)),
      h('ul', null, (l.steps || []).map(line))));
    return h('article', { class: 'route-card', id: 'route-card', lang, dir: tr.dir, 'aria-labelledby': 'route-card-title' },
      h('h2', { id: 'route-card-title', class: 'route-card__title', tabindex: '-1' }, tr('route.card_title')),
      levels,
      fellBack ? h('p', { class: 'route-card__draft' }, tr('route.card_fallback')) : null,
      h('div', { class: 'route-card__crisis' },
        h('p', { class: 'route-card__crisis-title' }, tr('card.crisis_title')),
        h('ul', null,
          h('li', null, h('bdi', { dir: 'ltr' }, '112'), ' — ', tr('card.crisis_112')),
          h('li', null, h('bdi', { dir: 'ltr' }, '113'), ' / ', h('bdi', { dir: 'ltr' }, '0800-0113'), ' — ', tr('card.crisis_113')))));
  }

  function actions() {
    return h('div', { class: 'form__actions no-print' },
      h('button', { type: 'button', class: 'button', id: 'route-card-open', 'aria-expanded': s.card ? 'true' : 'false', onclick: toggleCard },
        t(s.card ? 'route.card_close' : 'route.card_open')),
      s.card ? h('button', { type: 'button', class: 'button button--secondary', id: 'route-print', onclick: () => window.print() }, t('route.print')) : null,
      h('button', { type: 'button', class: 'button button--secondary', id: 'route-recompute', disabled: s.busy, onclick: recompute },
        s.busy ? t('route.busy') : t('route.recompute')));
  }

  function render() {
    const a = s.advice;
    return h('div', { class: 'stack' },
      h('p', { class: 'breadcrumb no-print' }, h('a', { href: `#/clients/${encodeURIComponent(clientId)}` }, t('route.back'))),
      pageTitle(t('route.page_title')),
      h('div', { class: 'route-main' },
        h('p', { class: 'lead' }, t('route.intro')),
        h('p', { class: 'route-urgency', id: 'route-urgency' }, h('strong', null, t('route.urgency_label')), ' ', t(`route.urgency.${a.urgency}`)),
        h('p', { class: 'muted', id: 'route-made' }, t('route.made', { date: formatDateTime(a.created_at) })),
        a.with_parent ? notice('info', t('route.with_parent')) : null),
      s.error ? notice('error', errorText(s.error)) : null,
      actions(),
      s.card ? routeCard() : null,
      h('div', { class: 'route-main' },
        staircase(),
        (a.levels || []).map(levelSection),
        stressorSection(),
        h('p', { class: 'muted route-rules' }, t('route.rules', { id: a.rules?.id || '?', version: a.rules?.version || '?' }))));
  }

  return { title: () => t('route.page_title'), load, render, leave };
}
