// SPDX-License-Identifier: EUPL-1.2
// One entry of the social map (#/map/service/{id}, GET /api/v1/services/{id}): how to get in,
// whom to call (tel: links), the cost per phase, interpreter and languages, locations, opening
// times, capacity with its date and when the entry was last checked. Texts come in the UI
// language where a translation exists (else Dutch, marked with lang="nl"); a draft translation
// carries the draft marker. A coordinator gets an edit link (the server decides on saving).

import { t, getLang, formatList, formatDate, formatNumber } from '../i18n.js';
import { h, pageTitle, notice } from '../dom.js';
import { label, PHASES } from '../codes.js';
import {
  mapGet, mlabel, levelBadge, draftMarker, capacityText, telLink, fictionLabel, isDemoUri, isStale,
  isCoordinator, inLang, checkedText, mapHref, mapErrorNotice, DAYS,
} from './map.js';

const present = (v) => v != null && v !== '' && !(Array.isArray(v) && !v.length);

export function createServiceView(ctx, id) {
  const s = { d: null, lang: getLang(), error: null };

  async function load() {
    s.lang = getLang();
    try {
      const { data } = await mapGet(`/services/${encodeURIComponent(id)}?lang=${encodeURIComponent(s.lang)}`);
      s.d = data || {};
      s.error = null;
    } catch (err) {
      if (err.handled) throw err;
      s.error = err;
    }
  }

  /** A translated text field: marked as Dutch when it fell back, with the draft marker if so. */
  function text(field, tag = 'p', attrs = {}) {
    const v = s.d[field];
    if (!present(v)) return null;
    const drafts = Array.isArray(s.d.drafts) ? s.d.drafts : [];
    const fellBack = s.lang !== 'nl' && Array.isArray(s.d.fallback) && s.d.fallback.includes(field);
    return inLang(tag, { ...attrs, class: ['map-text', attrs.class] }, [v, drafts.includes(field) ? [' ', draftMarker()] : null],
      fellBack ? 'nl' : s.d.lang);
  }

  function section(idp, title, ...body) {
    const content = body.flat(Infinity).filter(Boolean);
    if (!content.length) return null;
    return h('section', { class: 'card map-section', 'aria-labelledby': `svc-${idp}` },
      h('h2', { class: 'card__title', id: `svc-${idp}` }, title), content);
  }

  function fact(key, value) {
    if (!present(value)) return null;
    return [h('dt', null, t(key)), h('dd', null, value)];
  }

  function facts(...pairs) {
    const list = pairs.filter(Boolean);
    return list.length ? h('dl', { class: 'facts' }, list) : null;
  }

  function ages() {
    const min = s.d.minimum_age;
    const max = s.d.maximum_age;
    if (min == null && max == null) return null;
    if (max == null) return t('map.detail.age_from', { min: min ?? 0 });
    return t('map.detail.age_range', { min: min ?? 0, max });
  }

  function howToGetIn() {
    const docs = Array.isArray(s.d.required_documents) ? s.d.required_documents.filter(Boolean) : [];
    return section('access', t('map.detail.access'),
      present(s.d.entry_routes) ? h('ul', { class: 'plain-list map-entry' }, s.d.entry_routes.map((r) => h('li', null, mlabel('entry', r)))) : null,
      text('application_process'),
      text('eligibility_description'),
      facts(
        fact('map.detail.ages', ages()),
        fact('map.detail.phases', present(s.d.phases) ? formatList(s.d.phases.map((p) => label('phases', p))) : null),
        fact('map.detail.target_groups', present(s.d.target_groups) ? formatList(s.d.target_groups.map((g) => mlabel('target', g))) : null),
        fact('map.detail.legal_statuses', present(s.d.legal_statuses) ? formatList(s.d.legal_statuses.map((g) => mlabel('legal', g))) : null)),
      docs.length ? [h('h3', { class: 'subform__title' }, t('map.detail.documents')),
        h('ul', { class: 'plain-list' }, docs.map((d) => h('li', null, typeof d === 'string' ? d : d.document ?? '')))] : null);
  }

  function phoneList(phones) {
    const nums = (phones || []).map((p) => (typeof p === 'string' ? p : p?.number)).filter(Boolean);
    return nums.length ? h('span', { class: 'map-phones' }, nums.map((n) => telLink(n))) : null;
  }

  function contactItem(c) {
    return h('li', { class: 'map-contact' },
      h('p', { class: 'map-contact__name' }, h('bdi', null, c.name || c.title || ''),
        c.name && c.title ? [' · ', h('span', { class: 'muted' }, c.title)] : null,
        c.department ? [' · ', h('span', { class: 'muted' }, c.department)] : null),
      present(c.roles) ? h('p', { class: 'map-contact__roles' }, t('map.detail.roles', { roles: formatList(c.roles.map((r) => mlabel('role', r))) })) : null,
      phoneList(c.phones),
      c.email ? h('p', { class: 'map-contact__email' }, h('a', { href: `mailto:${c.email}`, dir: 'ltr' }, c.email)) : null);
  }

  function whomToCall() {
    const contacts = Array.isArray(s.d.contacts) ? s.d.contacts : [];
    return section('contact', t('map.detail.contact'),
      phoneList(s.d.phones) ? h('p', { class: 'map-phone-main' }, t('map.detail.phone'), ' ', phoneList(s.d.phones)) : null,
      contacts.length ? h('ul', { class: 'map-contacts' }, contacts.map(contactItem)) : null,
      facts(
        fact('map.detail.email', s.d.email ? h('a', { href: `mailto:${s.d.email}`, dir: 'ltr' }, s.d.email) : null),
        fact('map.detail.website', s.d.url ? h('a', { href: s.d.url, dir: 'ltr', rel: 'noopener noreferrer' }, s.d.url) : null)));
  }

  function costRow(c) {
    const parts = [mlabel('cost', c.cost)];
    if (c.cost === 'other' && typeof c.amount === 'number') parts.push(t('map.detail.amount', { amount: formatNumber(c.amount) }));
    return [h('dt', null, c.option ? h('bdi', null, c.option) : mlabel('phase_short', c.phase)),
      h('dd', null, parts.join(' · '),
        c.amount_description && c.amount_description.toLowerCase() !== parts[0].toLowerCase() ? [' — ', h('bdi', null, c.amount_description)] : null,
        c.interpreter_paid_by ? h('span', { class: 'cell-line muted' }, t('map.detail.interpreter_paid', { who: mlabel('paid_by', c.interpreter_paid_by) })) : null)];
  }

  function costs() {
    const list = Array.isArray(s.d.costs) ? [...s.d.costs].sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase)) : [];
    return section('cost', t('map.detail.cost'),
      list.length ? h('dl', { class: 'facts' }, list.map(costRow)) : null,
      text('fees_description', 'p', { class: 'muted' }));
  }

  function interpreter() {
    const modes = Array.isArray(s.d.interpreter_modes) ? s.d.interpreter_modes : [];
    return section('lang', t('map.detail.languages_title'),
      facts(
        fact('map.detail.languages', present(s.d.languages) ? formatList(s.d.languages.map((c) => label('languages', c))) : t('map.detail.languages_none')),
        fact('map.detail.interpreter', s.d.interpreter
          ? (modes.length ? t('map.card.interpreter_modes', { modes: formatList(modes.map((m) => mlabel('mode', m))) }) : t('map.card.interpreter_yes'))
          : t('map.card.interpreter_no')),
        fact('map.detail.culture', present(s.d.culture) ? h('ul', { class: 'plain-list' }, s.d.culture.map((c) => h('li', null, mlabel('culture', c)))) : null)),
      text('interpretation_services'));
  }

  function days(byday) {
    const list = String(byday || '').split(',').map((d) => d.trim().toUpperCase()).filter((d) => DAYS.includes(d));
    return list.length ? formatList(list.map((d) => mlabel('days', d))) : '';
  }

  function whereAndWhen() {
    const locs = Array.isArray(s.d.locations) ? s.d.locations : [];
    const sched = Array.isArray(s.d.schedules) ? s.d.schedules : [];
    return section('where', t('map.detail.where'),
      locs.length ? [h('h3', { class: 'subform__title' }, t('map.detail.locations')),
        h('ul', { class: 'plain-list map-locations' }, locs.map((l) => h('li', null, h('bdi', null, l.name || ''),
          l.transportation ? h('span', { class: 'cell-line muted' }, l.transportation) : null)))] : null,
      sched.length ? [h('h3', { class: 'subform__title' }, t('map.detail.hours')),
        h('ul', { class: 'plain-list map-hours' }, sched.map((x) => h('li', null,
          [days(x.byday), x.opens_at && x.closes_at ? h('span', { dir: 'ltr', class: 'num' }, `${x.opens_at}–${x.closes_at}`) : null]
            .filter(Boolean).flatMap((p, i) => (i ? [' ', p] : [p])))))] : null,
      present(s.d.service_areas) ? facts(fact('map.detail.areas', formatList(s.d.service_areas.map((a) => a.name || a.uri)))) : null);
  }

  function capacity() {
    const cap = s.d.capacity || {};
    return section('capacity', t('map.detail.capacity_title'),
      h('p', { class: ['map-capacity', cap.state && `map-capacity--${cap.state}`], id: 'svc-capacity-state' }, capacityText(cap)),
      cap.updated ? h('p', { class: 'muted', id: 'svc-capacity-updated' }, t('map.detail.capacity_updated', { date: formatDate(cap.updated) })) : null);
  }

  function header() {
    const d = s.d;
    // The server decides on saving; the link shows for a coordinator of the entry's region.
    const coord = isCoordinator(ctx.me) && (!d.region || d.region === ctx.me.user.org?.region);
    const demo = (d.service_areas || []).some((a) => isDemoUri(a.uri)) || d.demo === true;
    return [
      h('p', { class: 'breadcrumb' }, h('a', { href: mapHref(), id: 'svc-back' }, t('map.detail.back'))),
      h('div', { class: 'map-card__badges' }, levelBadge(d.level), d.draft ? draftMarker() : null),
      h('h1', { class: 'page-title', tabindex: '-1', lang: d.lang && d.lang !== getLang() ? d.lang : null }, d.name ?? ''),
      d.organization?.name ? h('p', { class: 'lead map-org' }, h('bdi', null, d.organization.name)) : null,
      demo ? fictionLabel() : null,
      d.alert ? notice('info', text('alert')) : null,
      text('description', 'p', { class: 'map-description' }),
      Array.isArray(d.drafts) && d.drafts.length ? h('p', { class: 'muted map-draft-note', id: 'svc-draft-note' }, t('map.draft_note')) : null,
      h('p', { class: ['map-checked', isStale(d) && 'map-checked--stale'], id: 'svc-checked' }, checkedText(d.assured_date)),
      coord ? h('p', null, h('a', { class: 'button', href: `#/map/service/${encodeURIComponent(id)}/edit`, id: 'svc-edit' }, t('map.detail.edit'))) : null,
    ];
  }

  function render() {
    if (s.lang !== getLang()) setTimeout(() => { if (ctx.isCurrent()) reload(); }, 0);
    if (s.error) {
      return h('div', { class: 'stack map' },
        h('p', { class: 'breadcrumb' }, h('a', { href: mapHref(), id: 'svc-back' }, t('map.detail.back'))),
        pageTitle(t('map.detail.title')), mapErrorNotice(s.error, ctx.me));
    }
    return h('div', { class: 'stack map map-detail' }, header(),
      howToGetIn(), whomToCall(), costs(), interpreter(), capacity(), whereAndWhen());
  }

  async function reload() {
    try {
      await load();
    } catch (err) {
      if (err.handled) return;
    }
    if (ctx.isCurrent()) ctx.rerender();
  }

  return { title: () => s.d?.name || t('map.detail.title'), load, render };
}
