// SPDX-License-Identifier: EUPL-1.2
// "Client moves" on a professional's client page (issues 5 and 6; docs/dossier.md §5,
// docs/referrals.md §6). movePanel(ctx, clientId, client) gives a panel for the roles that may
// record a move (the others get null): the new place from the social map's areas (or typed), the
// phase, then — after POST …/move — the new advice in short, the open referrals with "does not
// work in the new place" marked, and the proposed new partners as checkboxes with one button that
// asks the client for all of them (POST …/grants/requests). Earlier moves are listed from
// GET …/moves. The state is kept per client, so re-renders of the page keep the result.

import { t, formatDate, formatList } from '../i18n.js';
import { get, post } from '../api.js';
import { h, field, choiceGroup, select, notice, errorText, pointerField } from '../dom.js';
import { PHASES, label } from '../codes.js';
import { icon } from '../icons.js';

const MOVERS = new Set(['coa_staff', 'klantmanager', 'wijkteam', 'coordinator', 'health_staff', 'gp', 'poh_ggz', 'ggz']);
const OTHER = '__other';
const states = new Map(); // clientId -> panel state

function fresh() {
  return {
    el: null, areas: null, moves: null, loading: false,
    place: '', other: '', phase: 'municipality',
    busy: false, errors: {}, failure: null, result: null,
    chosen: new Set(), asking: false, askErrors: null, asked: null,
  };
}

function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c != null));
}

export function movePanel(ctx, clientId, client) {
  if (!MOVERS.has(ctx.me?.user?.role) || !client) return null;
  const path = `/clients/${encodeURIComponent(clientId)}`;
  if (!states.has(clientId)) states.set(clientId, fresh());
  const s = states.get(clientId);
  s.el = h('section', { class: 'card', id: 'move', 'aria-labelledby': 'move-title' });

  const placeName = (m) => m.location;
  const location = () => (s.place === OTHER ? s.other.trim() : s.place);

  async function load() {
    s.loading = true;
    const [areas, moves] = await Promise.allSettled([get('/map/areas'), get(`${path}/moves`)]);
    s.areas = areas.status === 'fulfilled'
      ? (areas.value.data?.items ?? []).filter((a) => a.kind === 'municipality' || a.kind === 'coa_location')
      : [];
    s.moves = moves.status === 'fulfilled' ? moves.value.data?.items ?? [] : [];
    s.loading = false;
    paint();
  }

  async function submit(e) {
    e.preventDefault();
    if (s.busy) return;
    s.errors = {};
    s.failure = null;
    if (!location()) {
      s.errors.location = t('move.place_missing');
      paint();
      s.el.querySelector(s.place === OTHER ? '#move-other' : '#move-place')?.focus();
      return;
    }
    s.busy = true;
    paint();
    try {
      const { data } = await post(`${path}/move`, { phase: s.phase, location: location() });
      s.result = data;
      s.chosen = new Set((data.proposed_partners ?? []).map((p) => p.org.id));
      s.asked = null;
      s.askErrors = null;
      s.moves = [...(s.moves ?? []), data.move];
      s.place = '';
      s.other = '';
    } catch (err) {
      if (err.handled) return;
      for (const fe of err.fieldErrors) s.errors[pointerField(fe.pointer)] ??= fe.detail;
      if (!err.fieldErrors.length) s.failure = err;
    } finally {
      s.busy = false;
    }
    const moved = s.result && !Object.keys(s.errors).length && !s.failure;
    if (moved && ctx.isCurrent?.() !== false && ctx.rerender) {
      // the record at the top of the page shows the new place too
      Object.assign(client, { phase: s.result.client.phase, location: s.result.client.location });
      ctx.rerender();
    } else {
      paint();
    }
    s.el.querySelector(moved ? '#move-result' : '#move-form [aria-invalid="true"], #move-failure')?.focus();
  }

  async function ask(e) {
    e.preventDefault();
    if (s.asking) return;
    const partners = (s.result?.proposed_partners ?? []).filter((p) => s.chosen.has(p.org.id));
    s.askErrors = null;
    if (!partners.length) {
      s.askErrors = t('move.ask_none');
      paint();
      s.el.querySelector('#move-partners')?.focus();
      return;
    }
    s.asking = true;
    paint();
    try {
      const { data } = await post(`${path}/grants/requests`,
        { items: partners.map((p) => ({ org_id: p.org.id, scopes: p.scopes, purpose: 'care' })) });
      s.asked = data.items ?? [];
    } catch (err) {
      if (err.handled) return;
      s.askErrors = errorText(err);
    } finally {
      s.asking = false;
    }
    paint();
    s.el.querySelector(s.asked ? '#move-asked' : '#move-partners')?.focus();
  }

  function areaOptions() {
    return [...(s.areas ?? []).map((a) => ({ value: a.name, label: a.name })),
      { value: OTHER, label: t('move.place_other') }];
  }

  function form() {
    return h('form', { class: 'form', id: 'move-form', novalidate: true, onsubmit: submit },
      s.failure ? h('div', { id: 'move-failure', tabindex: '-1' }, notice('error', errorText(s.failure))) : null,
      field({
        id: 'move-place', label: t('move.place'), hint: t('move.place_hint'),
        error: s.place !== OTHER ? s.errors.location : null,
        control: select({ name: 'place', value: s.place, options: areaOptions(),
          onchange: (e) => { s.place = e.target.value; paint(); s.el.querySelector('#move-place')?.focus(); } }),
      }),
      s.place === OTHER ? field({
        id: 'move-other', label: t('move.other'), error: s.errors.location,
        control: h('input', { type: 'text', name: 'other', maxlength: '120', autocomplete: 'off', value: s.other,
          oninput: (e) => { s.other = e.target.value; } }),
      }) : null,
      choiceGroup({
        id: 'move-phase', legend: t('move.phase'), error: s.errors.phase, type: 'radio', name: 'move-phase',
        options: PHASES.map((p) => ({ value: p, label: label('phases', p) })),
        checked: s.phase, onchange: (e) => { s.phase = e.target.value; },
      }),
      s.errors.region ? notice('error', s.errors.region) : null,
      h('div', { class: 'form__actions' },
        h('button', { type: 'submit', class: 'button', id: 'move-submit', disabled: s.busy },
          s.busy ? t('form.busy') : t('move.submit'))));
  }

  function adviceList(advice) {
    if (!advice) return h('p', { class: 'muted', id: 'move-advice-none' }, t('move.advice_none'));
    return h('ul', { class: 'plain-list', id: 'move-advice' }, (advice.levels ?? []).map((lv) =>
      h('li', { 'data-level': lv.level },
        h('strong', null, label('levels_short', lv.level)), ': ',
        lv.matches?.length ? formatList(lv.matches.map((m) => m.name)) : t('move.advice_no_match'))));
  }

  function servesNote(x) {
    if (x.serves_new_area === false) {
      return h('p', { class: 'text-alert', 'data-serves': 'no' }, icon('alert', 'icon--inline'), t('move.serves_no'));
    }
    return h('p', { class: 'muted', 'data-serves': x.serves_new_area ? 'yes' : 'unknown' },
      x.serves_new_area ? t('move.serves_yes') : t('move.serves_unknown'));
  }

  function referrals(list) {
    if (!list.length) return h('p', { class: 'muted', id: 'move-refs-none' }, t('move.refs_none'));
    return h('ul', { class: 'plain-list', id: 'move-refs' }, list.map((x) =>
      h('li', { 'data-referral': x.id },
        h('a', { href: `#/referrals/${encodeURIComponent(x.id)}` }, x.service?.name ?? x.id),
        ' · ', label('referral.states', x.state),
        servesNote(x))));
  }

  function partners(list, place) {
    if (!list.length) return h('p', { class: 'muted', id: 'move-partners-none' }, t('move.partners_none'));
    if (s.asked) {
      return h('div', { id: 'move-asked', tabindex: '-1' }, notice('success', t('move.asked', { count: s.asked.length })));
    }
    return h('form', { class: 'form', id: 'move-ask', novalidate: true, onsubmit: ask },
      choiceGroup({
        id: 'move-partners', legend: t('move.partners_legend', { place }), hint: t('move.partners_intro'),
        error: s.askErrors, type: 'checkbox', name: 'partners',
        options: list.map((p) => ({
          value: p.org.id, label: p.org.name,
          description: t('move.partner_desc', {
            scopes: formatList(p.scopes.map((sc) => label('scopes', sc))),
            services: formatList(p.services.map((x) => x.name)),
          }),
        })),
        checked: s.chosen,
        onchange: (e) => {
          if (e.target.checked) s.chosen.add(e.target.value); else s.chosen.delete(e.target.value);
          const b = s.el.querySelector('#move-ask-submit');
          if (b) b.textContent = t('move.ask', { count: s.chosen.size });
        },
      }),
      h('div', { class: 'form__actions' },
        h('button', { type: 'submit', class: 'button', id: 'move-ask-submit', disabled: s.asking },
          s.asking ? t('form.busy') : t('move.ask', { count: s.chosen.size }))));
  }

  function result() {
    const r = s.result;
    if (!r) return null;
    const place = r.client.location;
    return h('div', { class: 'stack', id: 'move-outcome' },
      h('div', { id: 'move-result', tabindex: '-1' },
        notice('success', t('move.done', { from: r.move.from.location, to: place }))),
      h('h3', { class: 'subform__title' }, t('move.advice_title', { place })),
      adviceList(r.advice),
      h('h3', { class: 'subform__title' }, t('move.refs_title')),
      referrals(r.open_referrals ?? []),
      h('h3', { class: 'subform__title' }, t('move.partners_title', { place })),
      partners(r.proposed_partners ?? [], place));
  }

  function history() {
    if (!s.moves?.length) return null;
    return [h('h3', { class: 'subform__title', id: 'move-history-title' }, t('move.history_title')),
      h('ul', { class: 'plain-list', id: 'move-history', 'aria-labelledby': 'move-history-title' }, s.moves.map((m) =>
        h('li', null, t('move.history_item', { date: formatDate(m.at), from: placeName(m.from), to: placeName(m.to) }))))];
  }

  function paint() {
    const now = s.result?.client ?? client;
    fill(s.el,
      h('h2', { class: 'card__title', id: 'move-title' }, t('move.title')),
      h('p', null, t('move.intro')),
      h('p', { id: 'move-now' }, t('move.now', { place: now.location, phase: label('phases', now.phase) })),
      s.loading && !s.areas ? h('p', { class: 'muted' }, t('app.loading')) : form(),
      result(),
      history());
  }

  paint();
  if (!s.areas && !s.loading) load().catch(() => {});
  return s.el;
}

/**
 * For the client's own view (me.js, "My story"): a list that fills itself from GET …/moves with
 * one plain sentence per move in the page language; empty (no list) when there are none. One
 * import and one call where the story is built: moveStory(clientId).
 */
export function moveStory(clientId) {
  const el = h('div', { id: 'story-moves' });
  get(`/clients/${encodeURIComponent(clientId)}/moves`).then(({ data }) => {
    const items = data?.items ?? [];
    if (!items.length) return;
    fill(el, h('ul', { class: 'plain-list' }, items.map((m) =>
      h('li', { 'data-move': m.id }, t('move.story_item', { date: formatDate(m.at), from: m.from.location, to: m.to.location })))));
  }, () => {});
  return el;
}
