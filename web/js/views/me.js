// SPDX-License-Identifier: EUPL-1.2
// The client's own home (#/me, role client): "My story" (signalling conversations as calm
// summaries — never a band, score or risk label —, the route advice in words, referrals with "I
// went / I could not go"), "Who can see my information" (accept a request, confirm verbal consent,
// show less, allow longer, stop access: one button each) and "Who looked at my information" (the
// access log in plain words, last week / month / all) and "Take my dossier with me" (download the
// FHIR export as veerkracht-<pid>.json, print a summary at #/me/summary, links to moving (#/me/take)
// and erasure (#/me/erase)). Two or more open requests can be accepted in one step ("Accept all
// N", POST …/grants/accept). Read aloud (the intro and "My story", at most 2000 bytes) with the
// server's voice for the page language (speak.js: POST /api/v1/speech), else the browser's; no
// button when neither has one. Server answers stay the source of truth: every change reloads the
// lists.

import { t, tp, tNodes, getLang, formatDate, formatDateTime, formatList } from '../i18n.js';
import { api, get, post, del } from '../api.js';
import { h, errorText, notice, pageTitle } from '../dom.js';
import { label, SCOPES } from '../codes.js';
import { speakButton, loadVoices, stopSpeaking } from '../speak.js';
import { storyHistoryNode } from './history.js';

const DAY_MS = 24 * 3600 * 1000;
const PERIODS = { week: 7 * DAY_MS, month: 31 * DAY_MS, all: 0 };
const LOG_SHOWN = 15; // rows before "show more": a phone screen, not a wall
const ENDED_REFERRAL = new Set(['draft', 'cancelled']);
const SPEECH_BYTES = 2000; // POST /api/v1/speech reads at most this much UTF-8

/** t() with a fallback for codes the locale does not know (t() answers the key itself). */
const tOr = (key, dflt) => { const v = t(key); return v === key ? dflt : v; };

/** "a, b and c" where the browser knows the language's words; "a, b, c" otherwise (never English). */
const listOf = (items) => (Intl.ListFormat.supportedLocalesOf([getLang()]).length ? formatList(items) : items.join(', '));

/** text cut to at most `max` bytes of UTF-8, at the last sentence end (or space) that fits. */
function fitBytes(text, max) {
  const enc = new TextEncoder();
  if (enc.encode(text).length <= max) return text;
  let cut = '';
  for (const ch of text) {
    if (enc.encode(cut + ch).length > max) break;
    cut += ch;
  }
  const end = Math.max(...['.', '!', '?', '።', '؟', '\n'].map((m) => cut.lastIndexOf(m)));
  if (end > max / 4) return cut.slice(0, end + 1);
  const space = cut.lastIndexOf(' ');
  return space > 0 ? cut.slice(0, space) : cut;
}

export function createMeView(ctx) {
  const s = {
    pid: ctx.me?.active_dossier ?? null,
    grants: [], screenings: [], referrals: [], moves: [], route: null, log: [],
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
      loadVoices(),
      loadGrants(),
      settle('screenings', get(`${path()}/screenings`), (d) => { s.screenings = d?.items ?? []; }),
      settle('referrals', get(`${path()}/referrals`), (d) => { s.referrals = d?.items ?? []; }),
      settle('route', get(`${path()}/route`), (d) => { s.route = d; }),
      settle('moves', get(`${path()}/moves`), (d) => { s.moves = d?.items ?? []; }),
      settle('history', get(`${path()}/transfer-history`), (d) => { s.history = d?.items ?? []; }),
    ]);
    await loadLog(); // last, so it shows this visit too
  }

  /** Run one change; errText(err) may give a clearer message than the generic one. */
  async function act(fn, okText, section, errText = () => null) {
    if (s.busy) return;
    s.busy = true;
    s.msg = null;
    try {
      await fn();
      s.msg = { kind: 'success', text: okText, section };
      ctx.announce(okText, 'success');
    } catch (err) {
      if (err.handled) return;
      s.msg = { kind: 'error', text: () => errText(err) ?? errorText(err), section };
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

  /** The words read aloud: the page's intro and "My story" (no buttons), within the server's cap. */
  function storyText() {
    const els = document.querySelectorAll('#main .me-intro, #me-story h2, #me-story p:not(.action-list), #me-advice li');
    const lines = [...els].filter((el) => !el.closest('form')).map((el) => el.textContent.replace(/\s+/g, ' ').trim());
    return fitBytes(lines.filter(Boolean).join('\n'), SPEECH_BYTES);
  }

  function readAloud() {
    const btn = speakButton(storyText, getLang(), { id: 'me-read', label: t('me.read_aloud'), stopLabel: t('me.read_stop') });
    return btn ? h('p', { class: 'me-read' }, btn) : null;
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
    for (const m of s.moves) {
      items.push({ at: m.at, node: h('p', { 'data-move': m.id },
        t('move.story_item', { date: formatDate(m.at), from: m.from?.location ?? '', to: m.to?.location ?? '' })) });
    }
    for (const hi of s.history ?? []) { // the file from an earlier installation (history.js)
      items.push({ at: hi.imported_at, node: storyHistoryNode(hi) });
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
      stepsNode(r),
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

  /** Every step of the referral so far, oldest first, in the same plain words as its state. */
  function stepsNode(r) {
    const steps = (r.transitions ?? []).filter((x) => x.kind === 'transition' && x.to !== 'draft');
    if (steps.length < 2) return null;
    return h('details', { class: 'me-steps' },
      h('summary', null, t('me.story.steps')),
      h('ol', { class: 'plain-list' }, steps.map((x) => h('li', { 'data-step': x.to },
        h('time', { datetime: x.at }, formatDate(x.at)), ' — ', tOr(`me.referral_states.${x.to}`, x.to)))));
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
      ['screenings', 'referrals', 'route', 'moves', 'history'].filter((k) => s.errors[k]).map((k) => notice('error', errorText(s.errors[k]))),
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

  /** Two or more open requests: name the organisations, then one button accepts them all. */
  function acceptAll() {
    const asked = s.grants.filter((g) => g.state === 'requested');
    if (asked.length < 2) return null;
    const names = asked.map((g) => g.org?.name ?? '');
    // 404/405: a server without the one-step accept; 422: a request was answered meanwhile (nothing changed)
    const missing = (err) => ([404, 405].includes(err.status) ? t('me.grants.accept_all_missing')
      : err.status === 422 ? t('me.grants.accept_all_changed') : null);
    return h('div', { class: 'me-accept-all', id: 'me-accept-all' },
      h('p', null, t('me.grants.accept_all_intro')),
      h('ul', null, asked.map((g) => h('li', null, h('strong', null, h('bdi', null, g.org?.name ?? '')), ': ',
        g.scopes.map((sc) => label('scopes', sc)).join(', ')))),
      h('p', null, h('button', { type: 'button', class: 'button', id: 'me-accept-all-button', onclick: () => act(
        () => post(`${path()}/grants/accept`, { ids: asked.map((g) => g.id) }),
        () => t('me.grants.accepted_all_done', { orgs: listOf(names) }), 'me-grants', missing) },
      tp('me.grants.accept_all', asked.length))));
  }

  function grantsSection() {
    const open = s.grants.filter((g) => g.state === 'requested' || g.state === 'active');
    const ended = s.grants.filter((g) => !(g.state === 'requested' || g.state === 'active'));
    return h('section', { class: 'card', 'aria-labelledby': 'me-grants-title', id: 'me-grants' },
      h('h2', { id: 'me-grants-title', class: 'card__title', tabindex: '-1' }, t('me.grants.title')),
      h('p', null, t('me.grants.intro')),
      sectionMsg('me-grants'),
      s.errors.grants ? notice('error', errorText(s.errors.grants)) : null,
      acceptAll(),
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

  /* ---------- take my dossier with me ---------- */

  /** Fetch the FHIR export and save it as veerkracht-<pid>.json (Blob + a[download]). */
  async function download() {
    await act(async () => {
      const { data } = await get(`${path()}/export`);
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: `veerkracht-${s.pid}.json`, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60000);
    }, () => t('me.take.downloaded'), 'me-take');
  }

  function takeSection() {
    const item = (id, action, desc) => h('li', { class: 'me-take__item' }, h('p', null, action), h('p', { class: 'muted', id: `${id}-desc` }, desc));
    return h('section', { class: 'card', 'aria-labelledby': 'me-take-title', id: 'me-take' },
      h('h2', { id: 'me-take-title', class: 'card__title', tabindex: '-1' }, t('me.take.title')),
      h('p', null, t('me.take.intro')),
      sectionMsg('me-take'),
      h('ul', { class: 'me-take' },
        item('me-download', h('button', { type: 'button', class: 'button', id: 'me-download', 'aria-describedby': 'me-download-desc', onclick: download }, t('me.take.download')),
          t('me.take.download_desc')),
        item('me-summary', h('a', { class: 'button button--secondary', id: 'me-summary', href: '#/me/summary', 'aria-describedby': 'me-summary-desc' }, t('me.take.print')),
          t('me.take.print_desc')),
        item('me-move', h('a', { id: 'me-move', href: '#/me/take', 'aria-describedby': 'me-move-desc' }, t('me.take.move')), t('me.take.move_desc')),
        item('me-erase', h('a', { id: 'me-erase', href: '#/me/erase', 'aria-describedby': 'me-erase-desc' }, t('me.take.erase')), t('me.take.erase_desc'))));
  }

  function sectionMsg(section) {
    return s.msg && s.msg.section === section ? notice(s.msg.kind, s.msg.text()) : null;
  }

  function render() {
    if (!s.pid) return h('div', { class: 'stack' }, pageTitle(t('me.title')), notice('info', t('me.no_dossier')));
    return h('div', { class: 'stack me' },
      pageTitle(t('me.title')),
      h('p', { class: 'me-intro' }, t('me.intro')),
      readAloud(),
      storySection(),
      grantsSection(),
      takeSection(),
      looksSection());
  }

  return {
    title: () => t('me.title'),
    load,
    render,
    leave() { stopSpeaking(); },
  };
}
