// SPDX-License-Identifier: EUPL-1.2
// The client's own home (#/me, role client): "My story" (signalling conversations as calm
// summaries — never a band, score or risk label —, the route advice in words, referrals with "I
// went / I could not go"), "Who can see my information" (accept a request, confirm verbal consent,
// show less, allow longer, stop access: one button each) and "Who looked at my information" (the
// access log in plain words, last week / month / all). Read aloud with the browser's voice for the
// page language when it has one (no button otherwise). Server answers stay the source of truth:
// every change reloads the lists.

import { t, tp, tNodes, getLang, formatDate, formatDateTime } from '../i18n.js';
import { api, get, post, del } from '../api.js';
import { h, errorText, notice, pageTitle } from '../dom.js';
import { label, SCOPES } from '../codes.js';

const DAY_MS = 24 * 3600 * 1000;
const PERIODS = { week: 7 * DAY_MS, month: 31 * DAY_MS, all: 0 };
const LOG_SHOWN = 15; // rows before "show more": a phone screen, not a wall
const ENDED_REFERRAL = new Set(['draft', 'cancelled']);

/** t() with a fallback for codes the locale does not know (t() answers the key itself). */
const tOr = (key, dflt) => { const v = t(key); return v === key ? dflt : v; };

/** A voice for the page language, or null: then there is no read-aloud button at all. */
function voiceFor(lang) {
  const synth = window.speechSynthesis;
  if (!synth) return null;
  return synth.getVoices().find((v) => v.lang?.toLowerCase().startsWith(lang)) ?? null;
}

export function createMeView(ctx) {
  const s = {
    pid: ctx.me?.active_dossier ?? null,
    grants: [], screenings: [], referrals: [], route: null, log: [],
    errors: {}, busy: false, period: 'month', narrowing: null, answering: null, reason: '',
    msg: null, // {kind, text: () => string} under the section that changed
  };
  const path = () => `/clients/${encodeURIComponent(s.pid)}`;

  async function settle(key, promise, onOk) {
    try {
      onOk((await promise).data);
      delete s.errors[key];
    } catch (err) {
      if (err.handled) throw err;
      if (key === 'route' && err.status === 404) { s.route = null; delete s.errors[key]; return; }
      s.errors[key] = err;
    }
  }

  function logPath() {
    const span = PERIODS[s.period];
    if (!span) return `${path()}/access-log`;
    return `${path()}/access-log?from=${encodeURIComponent(new Date(Date.now() - span).toISOString())}`;
  }

  const loadLog = () => settle('log', get(logPath()), (d) => { s.log = d?.items ?? []; });
  const loadGrants = () => settle('grants', get(`${path()}/grants`), (d) => { s.grants = d?.items ?? []; });

  async function load() {
    if (!s.pid) return;
    await Promise.all([
      loadGrants(),
      settle('screenings', get(`${path()}/screenings`), (d) => { s.screenings = d?.items ?? []; }),
      settle('referrals', get(`${path()}/referrals`), (d) => { s.referrals = d?.items ?? []; }),
      settle('route', get(`${path()}/route`), (d) => { s.route = d; }),
    ]);
    await loadLog(); // last, so it shows this visit too
  }

  async function act(fn, okText, section) {
    if (s.busy) return;
    s.busy = true;
    s.msg = null;
    try {
      await fn();
      s.msg = { kind: 'success', text: okText, section };
      ctx.announce(okText, 'success');
    } catch (err) {
      if (err.handled) return;
      s.msg = { kind: 'error', text: () => errorText(err), section };
    } finally {
      s.busy = false;
    }
    s.narrowing = null;
    s.answering = null;
    await Promise.all([loadGrants(), settle('referrals', get(`${path()}/referrals`), (d) => { s.referrals = d?.items ?? []; })]);
    await loadLog();
    ctx.rerender();
    document.getElementById(`${section}-title`)?.focus();
  }

  /* ---------- read aloud ---------- */

  function readAloud() {
    const lang = getLang();
    const voice = voiceFor(lang);
    if (!voice) return null;
    const speak = () => {
      window.speechSynthesis.cancel();
      const text = document.getElementById('main')?.innerText ?? '';
      const u = new SpeechSynthesisUtterance(text);
      u.voice = voice;
      u.lang = voice.lang;
      window.speechSynthesis.speak(u);
    };
    return h('p', { class: 'me-read' },
      h('button', { type: 'button', class: 'button button--secondary read-aloud', id: 'me-read', onclick: speak }, t('me.read_aloud')),
      ' ',
      h('button', { type: 'button', class: 'button button--secondary button--small', onclick: () => window.speechSynthesis.cancel() }, t('me.read_stop')));
  }

  /* ---------- my story ---------- */

  function storyItems() {
    const items = [];
    for (const sc of s.screenings) {
      items.push({ at: sc.created_at, node: h('p', null, t('me.story.screening')) });
    }
    const first = s.route?.levels?.[0];
    if (first?.level) {
      const places = (first.matches ?? []).slice(0, 3);
      items.push({ at: s.route.created_at, node: h('div', { id: 'me-advice' },
        h('p', null, t('me.story.advice'), ' ', h('strong', null, tOr(`me.levels.${first.level}`, first.level))),
        places.length ? h('ul', null, places.map((m) => h('li', null, h('bdi', null, m.name)))) : null) });
    }
    for (const r of s.referrals) {
      if (r.state === 'draft') continue;
      items.push({ at: r.sent_at || r.created_at, node: referralNode(r) });
    }
    return items.sort((a, b) => Date.parse(b.at || 0) - Date.parse(a.at || 0));
  }

  function referralNode(r) {
    const service = h('bdi', null, r.service?.name || r.to?.name || '');
    const answered = r.client_answer === 'went' ? t('me.story.answered_went')
      : r.client_answer === 'could_not_go' ? t('me.story.answered_not') : null;
    const canAnswer = !answered && !ENDED_REFERRAL.has(r.state);
    return h('div', { class: 'me-referral', 'data-referral': r.id },
      h('p', null, ...tNodes('me.story.referral', { service })),
      h('p', { class: 'muted' }, tOr(`me.referral_states.${r.state}`, r.state)),
      answered ? h('p', null, answered) : null,
      canAnswer && s.answering !== r.id
        ? h('p', { class: 'action-list' },
          h('button', { type: 'button', class: 'button button--small', onclick: () => act(
            () => post(`/referrals/${encodeURIComponent(r.id)}/client-answer`, { went: true }),
            () => t('me.story.thanks'), 'me-story') }, t('me.story.went')), ' ',
          h('button', { type: 'button', class: 'button button--secondary button--small', onclick: () => {
            s.answering = r.id; s.reason = ''; ctx.rerender(); document.getElementById('me-reason')?.focus();
          } }, t('me.story.not_went')))
        : null,
      s.answering === r.id ? reasonForm(r) : null);
  }

  function reasonForm(r) {
    return h('form', { class: 'stack', onsubmit: (e) => {
      e.preventDefault();
      const reason = s.reason.trim();
      if (!reason) return;
      act(() => post(`/referrals/${encodeURIComponent(r.id)}/client-answer`, { went: false, reason }),
        () => t('me.story.thanks'), 'me-story');
    } },
    h('label', { for: 'me-reason' }, t('me.story.because')),
    h('textarea', { id: 'me-reason', maxlength: '1000', rows: '3', required: true, oninput: (e) => { s.reason = e.target.value; } }),
    h('p', null, h('button', { type: 'submit', class: 'button button--small' }, t('me.story.send'))));
  }

  function storySection() {
    const items = storyItems();
    return h('section', { class: 'card', 'aria-labelledby': 'me-story-title', id: 'me-story' },
      h('h2', { id: 'me-story-title', class: 'card__title', tabindex: '-1' }, t('me.story.title')),
      sectionMsg('me-story'),
      ['screenings', 'referrals', 'route'].filter((k) => s.errors[k]).map((k) => notice('error', errorText(s.errors[k]))),
      items.length
        ? h('ol', { class: 'me-timeline' }, items.map((it) => h('li', { class: 'me-timeline__item' },
          h('p', { class: 'muted' }, h('time', { datetime: it.at }, formatDate(it.at))), it.node)))
        : h('p', null, t('me.story.none')));
  }

  /* ---------- who can see ---------- */

  function grantStatus(g) {
    if (g.state === 'requested') return t('me.grants.requested');
    if (g.state === 'active' && !g.confirmed) return t('me.grants.unconfirmed');
    if (g.state === 'active') return t('me.grants.active', { date: formatDate(g.expires_at) });
    return t('me.grants.ended');
  }

  function grantButtons(g) {
    const org = g.org?.name ?? '';
    const b = (cls, key, onclick, id) => h('button', { type: 'button', class: `button button--small ${cls}`, 'data-action': key, id, onclick }, t(`me.grants.${key}`));
    const gp = `${path()}/grants/${encodeURIComponent(g.id)}`;
    if (g.state === 'requested') {
      return [b('', 'accept', () => act(() => post(`${gp}/accept`), () => t('me.grants.accepted_done', { org }), 'me-grants')),
        b('button--secondary', 'decline', () => act(() => del(gp), () => t('me.grants.declined_done', { org }), 'me-grants'))];
    }
    if (g.state !== 'active') return [];
    const remaining = Math.max(0, Math.ceil((Date.parse(g.expires_at) - Date.now()) / DAY_MS));
    return [
      !g.confirmed ? b('', 'confirm', () => act(() => post(`${gp}/accept`), () => t('me.grants.confirmed_done', { org }), 'me-grants')) : null,
      g.scopes.length > 1 ? b('button--secondary', 'narrow', () => { s.narrowing = g.id; ctx.rerender(); }) : null,
      remaining + 90 <= 365 ? b('button--secondary', 'extend', () => act(() => api('PATCH', gp, { days: remaining + 90 }),
        () => t('me.grants.extended_done', { org }), 'me-grants')) : null,
      b('button--danger', 'revoke', () => act(() => del(gp), () => t('me.grants.revoked_done', { org }), 'me-grants')),
    ].filter(Boolean);
  }

  function narrowForm(g) {
    const keep = new Set(g.scopes);
    const org = g.org?.name ?? '';
    return h('form', { class: 'stack me-narrow', onsubmit: (e) => {
      e.preventDefault();
      const scopes = SCOPES.filter((x) => keep.has(x));
      if (!scopes.length || scopes.length === g.scopes.length) return;
      act(() => api('PATCH', `${path()}/grants/${encodeURIComponent(g.id)}`, { scopes }),
        () => t('me.grants.narrowed_done', { org }), 'me-grants');
    } },
    h('fieldset', null, h('legend', null, t('me.grants.narrow_legend')),
      g.scopes.map((sc) => h('label', { class: 'choice' },
        h('input', { type: 'checkbox', name: 'scope', value: sc, checked: true, onchange: (e) => { if (e.target.checked) keep.add(sc); else keep.delete(sc); } }),
        ' ', label('scopes', sc)))),
    h('p', null, h('button', { type: 'submit', class: 'button button--small' }, t('me.grants.narrow_save'))));
  }

  function grantCard(g) {
    const hid = `me-grant-${g.id}`;
    return h('li', { class: 'grant me-grant', 'data-grant': g.id, 'data-state': g.state },
      h('h3', { id: hid, class: 'grant__org' }, h('bdi', null, g.org?.name ?? '')),
      h('p', { class: 'me-grant__status' }, grantStatus(g)),
      h('p', null, t('me.grants.may_see')),
      h('ul', null, g.scopes.map((sc) => h('li', null, h('strong', null, label('scopes', sc)), ': ', t(`scopes_desc.${sc}`)))),
      h('p', null, t('me.grants.why'), ' ', t(`me.purposes.${g.purpose || 'care'}`)),
      g.state === 'requested' ? h('p', null, tp('me.grants.for_days', g.days)) : null,
      h('div', { class: 'action-list', role: 'group', 'aria-labelledby': hid }, grantButtons(g)),
      s.narrowing === g.id ? narrowForm(g) : null);
  }

  function grantsSection() {
    const open = s.grants.filter((g) => g.state === 'requested' || g.state === 'active');
    const ended = s.grants.filter((g) => !(g.state === 'requested' || g.state === 'active'));
    return h('section', { class: 'card', 'aria-labelledby': 'me-grants-title', id: 'me-grants' },
      h('h2', { id: 'me-grants-title', class: 'card__title', tabindex: '-1' }, t('me.grants.title')),
      h('p', null, t('me.grants.intro')),
      sectionMsg('me-grants'),
      s.errors.grants ? notice('error', errorText(s.errors.grants)) : null,
      open.length ? h('ul', { class: 'grant-list' }, open.map(grantCard)) : h('p', null, t('me.grants.none')),
      ended.length ? h('details', null, h('summary', null, t('me.grants.ended_title')),
        h('ul', { class: 'grant-list' }, ended.map(grantCard))) : null);
  }

  /* ---------- who looked ---------- */

  function basisText(e) {
    if (e.outcome !== 'success') return t('me.looked.basis_refused');
    if (e.role === 'client') return t('me.looked.basis_you');
    return t('me.looked.basis_permission');
  }

  function logItem(e) {
    const who = e.role === 'client' ? t('me.looked.you')
      : t('me.looked.who', { org: e.org || t('me.looked.system'), role: label('roles', e.role) });
    const what = tOr(`me.looked.actions.${e.action}`, t('me.looked.actions.other'));
    const part = tOr(`me.parts.${e.object_type}`, tOr(`log_objects.${e.object_type}`, e.object_type));
    return h('li', { class: 'me-log__item' },
      h('p', null, h('strong', null, h('bdi', null, who))),
      h('p', null, what, ' — ', part),
      h('p', { class: 'muted' }, h('time', { datetime: e.at }, formatDateTime(e.at)), ' · ', basisText(e)));
  }

  function looksSection() {
    const periodBtn = (p) => h('button', {
      type: 'button', class: ['button', 'button--small', s.period === p ? '' : 'button--secondary'],
      'aria-pressed': String(s.period === p), 'data-period': p,
      onclick: async () => { s.period = p; s.logAll = false; await loadLog(); ctx.rerender(); document.querySelector(`[data-period="${p}"]`)?.focus(); },
    }, t(`me.looked.period_${p}`));
    return h('section', { class: 'card', 'aria-labelledby': 'me-looked-title', id: 'me-looked' },
      h('h2', { id: 'me-looked-title', class: 'card__title', tabindex: '-1' }, t('me.looked.title')),
      h('p', null, t('me.looked.intro')),
      h('div', { class: 'action-list', role: 'group', 'aria-label': t('me.looked.period') }, Object.keys(PERIODS).map(periodBtn)),
      s.errors.log ? notice('error', errorText(s.errors.log)) : null,
      s.log.length ? h('ol', { class: 'me-log' }, (s.logAll ? s.log : s.log.slice(0, LOG_SHOWN)).map(logItem)) : h('p', null, t('me.looked.none')),
      !s.logAll && s.log.length > LOG_SHOWN
        ? h('p', null, h('button', { type: 'button', class: 'button button--secondary button--small', id: 'me-log-more',
          onclick: () => { s.logAll = true; ctx.rerender(); document.querySelectorAll('.me-log__item')[LOG_SHOWN]?.setAttribute('tabindex', '-1'); document.querySelectorAll('.me-log__item')[LOG_SHOWN]?.focus(); } },
        tp('me.looked.more', s.log.length - LOG_SHOWN)))
        : null);
  }

  function sectionMsg(section) {
    return s.msg && s.msg.section === section ? notice(s.msg.kind, s.msg.text()) : null;
  }

  function render() {
    if (!s.pid) return h('div', { class: 'stack' }, pageTitle(t('me.title')), notice('info', t('me.no_dossier')));
    return h('div', { class: 'stack me' },
      pageTitle(t('me.title')),
      h('p', null, t('me.intro')),
      readAloud(),
      storySection(),
      grantsSection(),
      looksSection());
  }

  return {
    title: () => t('me.title'),
    load,
    render,
    leave() { window.speechSynthesis?.cancel(); },
  };
}
