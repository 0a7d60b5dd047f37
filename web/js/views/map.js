// SPDX-License-Identifier: EUPL-1.2
// The social map's search page (#/map, GET /api/v1/services): a search box, filter chips with
// facet counts, result cards, "more results", the crisis entries in their own box at the top and
// the result count in a polite live region. Public: no login needed. Filters (except "near me",
// which never goes into the address) are kept in the hash with history.replaceState, so the back
// button from a detail page returns to the same search. Also exports the small renderers the
// detail, edit and chain views share (level badge, capacity, cost, phone links, demo label).

import { t, tp, getLang, dirOf, formatNumber, formatList, formatDate } from '../i18n.js';
import { api } from '../api.js';
import { h, pageTitle, notice, errorText } from '../dom.js';
import { label, LEVELS, PHASES } from '../codes.js';

/* ---------- code lists of the PSH taxonomy (docs/social-map.md §2.9) ---------- */

export const TARGET_GROUPS = ['ex_amv', 'amv', 'parents', 'women', 'men', 'children', 'families',
  'survivors_violence_torture', 'low_literacy', 'lgbtiq', 'older_adults', 'professionals'];
export const LEGAL_STATUSES = ['asylum_seeker', 'status_holder', 'temporary_protection', 'undocumented', 'no_limit'];
export const ENTRY_ROUTES = ['no_referral', 'gp_referral', 'other_referral', 'self_registration'];
export const COSTS = ['free', 'eigen_risico', 'other'];
export const MODES = ['in_person', 'phone', 'video'];
export const PAID_BY = ['coa', 'municipality', 'provider', 'client', 'not_applicable'];
export const CULTURE = ['staff_trained', 'interpreters_used', 'materials_own_language', 'key_persons_involved', 'group_format'];
export const CAPACITY = ['open', 'waitlist', 'closed'];
export const CHAIN_ROLES = ['signals', 'refers', 'treats', 'coordinates', 'follows_up', 'informs'];
export const STATUSES = ['active', 'temporarily closed', 'inactive', 'defunct'];
export const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
/** Care levels in the order the map shows them: crisis first. */
export const MAP_LEVELS = ['crisis', ...LEVELS.filter((l) => l !== 'crisis')];
const PER_PAGE = 20;
const STALE_DAYS = 183;

/** The label of a taxonomy code under map.<group> in the current language (the code if missing). */
export function mlabel(group, code, tr = t) {
  const key = `map.${group}.${String(code).replace(/ /g, '_')}`;
  const s = tr(key);
  return s === key ? String(code) : s;
}

/**
 * GET from the map API with the UI language as the language of the texts. A 401 is the view's
 * to explain (the map may be set to need a login): it does not end a session elsewhere.
 */
export function mapGet(path) {
  return api('GET', path, undefined, { headers: { 'Accept-Language': getLang() }, quiet401: true });
}

/** The message for a failed map request; a 401 without a session means "log in first". */
export function mapErrorNotice(err, me) {
  if (err?.status === 401 && !me) {
    return notice('info', t('map.login_needed'), ' ', h('a', { href: '#/login', id: 'map-login' }, t('nav.login')));
  }
  return notice('error', errorText(err));
}

/** True for the fictional demo region (its area URIs are urn:veerkracht:demo:…). */
export function isDemoUri(uri) {
  return typeof uri === 'string' && uri.startsWith('urn:veerkracht:demo:');
}

/** The visible "fictieve gegevens" label every view of the demo map carries. */
export function fictionLabel(tr = t) {
  return h('p', { class: 'map-fiction', id: 'map-fiction' }, tr('map.fiction'));
}

/** A badge with the care level as text (colour only as an extra). */
export function levelBadge(level, tr = t) {
  const known = LEVELS.includes(level);
  return h('span', { class: ['badge', 'map-level', known && `map-level--${level}`] },
    known ? tr(`levels_short.${level}`) : String(level ?? '?'));
}

export function draftMarker() {
  return h('span', { class: 'badge map-draft', title: t('map.draft_note') }, t('map.draft'));
}

/** "Open for intake" / "Waiting list: about N weeks" / "Closed for intake". */
export function capacityText(cap, tr = t) {
  if (!cap || !cap.state) return tr('map.capacity_unknown');
  if (cap.state === 'waitlist') {
    const plural = tr.tp || tp; // a fixed-language translator carries its own plural function
    return Number.isInteger(cap.weeks) ? plural('map.capacity_weeks', cap.weeks) : tr('map.capacity.waitlist');
  }
  return mlabel('capacity', cap.state, tr);
}

/** A tel: URI for a displayed number ("010-000 0101" → tel:0100000101). */
export function telHref(number) {
  const s = String(number ?? '').trim();
  return `tel:${s.startsWith('+') ? '+' : ''}${s.replace(/\D/g, '')}`;
}

export function telLink(number, extraClass) {
  return h('a', { href: telHref(number), class: ['tel-link', extraClass], dir: 'ltr' }, String(number));
}

/** Days since an ISO date (YYYY-MM-DD), or null. */
function daysSince(iso) {
  const d = Date.parse(`${iso}T12:00:00Z`);
  return Number.isNaN(d) ? null : Math.floor((Date.now() - d) / 864e5);
}

/** The card says stale; absent that, older than 6 months (183 days) or no date at all. */
export function isStale(item) {
  if (typeof item?.stale === 'boolean') return item.stale;
  const days = item?.assured_date ? daysSince(item.assured_date) : null;
  return days == null || days > STALE_DAYS;
}

export function isCoordinator(me) {
  return me?.user?.role === 'coordinator';
}

/** Text in the language the server resolved it in (lang/dir set when it differs from the UI). */
export function inLang(tag, attrs, text, lang) {
  const l = lang || getLang();
  return h(tag, { ...attrs, lang: l !== getLang() ? l : null, dir: l !== getLang() ? dirOf(l) : null }, text);
}

/** How a card's cost reads for one phase: "free" / "eigen risico" / "other cost". */
function costLine(item, phase) {
  const cost = item.cost?.[phase] ?? (item.free?.[phase] ? 'free' : null);
  if (!cost) return null;
  return t('map.card.cost_phase', { phase: mlabel('phase_short', phase), cost: mlabel('cost', cost) });
}

function languagesText(codes) {
  return formatList((codes || []).map((c) => label('languages', c)));
}

/** Remembered between visits so that "back" from a detail page shows the same search. */
const memory = { filters: null, near: null, staleOnly: false, moreOpen: false };

/** The address of the search page with the last search's filters. */
export function mapHref() {
  const q = memory.filters ? filterQuery(memory.filters).toString() : '';
  return q ? `#/map?${q}` : '#/map';
}

function emptyFilters() {
  return {
    q: '', level: new Set(), phase: '', free: false, no_referral: false, open: false, interpreter: false,
    interpreter_mode: '', lang: '', target: '', target_only: false, age: '', municipality: '', within_km: '',
  };
}

const FLAGS = ['free', 'no_referral', 'open', 'interpreter', 'target_only'];
const TEXTS = ['q', 'phase', 'interpreter_mode', 'lang', 'target', 'age', 'municipality', 'within_km'];

function filtersFromQuery(qs) {
  const p = new URLSearchParams(qs);
  const f = emptyFilters();
  for (const k of TEXTS) f[k] = (p.get(k) || '').slice(0, 200);
  for (const k of FLAGS) f[k] = p.get(k) === '1';
  f.level = new Set((p.get('level') || '').split(',').filter((l) => LEVELS.includes(l)));
  if (!PHASES.includes(f.phase)) f.phase = '';
  return f;
}

/**
 * The query string for the filters, without paging. The location is never in it (it is not for
 * the address bar); the distance limit only counts with a location, passed as `near`.
 */
function filterQuery(f, near = null) {
  const p = new URLSearchParams();
  if (f.q.trim()) p.set('q', f.q.trim());
  if (f.level.size) p.set('level', MAP_LEVELS.filter((l) => f.level.has(l)).join(','));
  for (const k of TEXTS.slice(1)) if (String(f[k]).trim()) p.set(k, String(f[k]).trim());
  for (const k of FLAGS) if (f[k]) p.set(k, '1');
  if (!f.phase) p.delete('free');
  if (!f.target) p.delete('target_only');
  if (!f.interpreter) p.delete('interpreter_mode');
  if (!near) p.delete('within_km');
  return p;
}

/** The API query: the filters, the location when "near me" is on, the page. */
export function searchQuery(f, near, page) {
  const p = filterQuery(f, near);
  if (near) p.set('near', `${near.lat.toFixed(4)},${near.lon.toFixed(4)}`);
  p.set('page', String(page));
  p.set('per_page', String(PER_PAGE));
  return p;
}

function activeCount(f) {
  return [f.lang, f.target, f.age, f.municipality, f.interpreter_mode].filter((x) => String(x).trim()).length;
}

export function createMapView(ctx) {
  const qs = location.hash.includes('?') ? location.hash.slice(location.hash.indexOf('?') + 1) : null;
  const s = {
    f: qs != null ? filtersFromQuery(qs) : (memory.filters ? { ...memory.filters, level: new Set(memory.filters.level) } : emptyFilters()),
    near: memory.near,
    staleOnly: memory.staleOnly,
    items: [], total: 0, page: 0, facets: {}, crisis: [], areas: [], demo: false,
    error: null, busy: false, geoError: null, lang: getLang(), seq: 0,
  };
  const el = {}; // persistent nodes: the live count, the filter panel, the result list

  async function fetchPage(page) {
    const { data } = await mapGet(`/services?${searchQuery(s.f, s.near, page)}`);
    return data || {};
  }

  async function load() {
    const [areas] = await Promise.all([
      mapGet('/map/areas').then((r) => (Array.isArray(r.data) ? r.data : r.data?.items ?? []), (err) => { if (err.handled) throw err; return []; }),
      search(false),
    ]);
    s.areas = areas;
    s.demo = s.demo || areas.some((a) => isDemoUri(a.uri));
  }

  /** Runs the search from page 1 (or the next page with more=true) and updates the page. */
  async function search(more = false, paint = false) {
    const seq = ++s.seq;
    const before = s.items.length;
    s.busy = true;
    s.lang = getLang();
    if (paint) update();
    try {
      const data = await fetchPage(more ? s.page + 1 : 1);
      if (seq !== s.seq) return;
      const items = Array.isArray(data.items) ? data.items : [];
      s.items = more ? s.items.concat(items) : items;
      s.page = Number(data.page) || (more ? s.page + 1 : 1);
      s.total = Number(data.total) || 0;
      s.facets = data.facets || {};
      s.crisis = Array.isArray(data.crisis) ? data.crisis : [];
      s.error = null;
      if (data.demo === true) s.demo = true;
    } catch (err) {
      if (err.handled) throw err;
      if (seq !== s.seq) return;
      s.error = err;
    }
    s.busy = false;
    if (paint && ctx.isCurrent()) update(more ? s.items[before]?.id : null);
  }

  function remember() {
    memory.filters = { ...s.f, level: new Set(s.f.level) };
    memory.near = s.near;
    memory.staleOnly = s.staleOnly;
    const q = filterQuery(s.f).toString();
    history.replaceState(null, '', q ? `#/map?${q}` : '#/map');
  }

  function changed() {
    remember();
    search(false, true).catch(() => {});
  }

  /* ---------- partial updates: keep focus and the live region in place ---------- */

  function update(focusId = null) {
    if (!el.filters || !document.body.contains(el.filters)) return;
    const activeId = document.activeElement?.id;
    const nodes = (list) => list.flat(Infinity).filter(Boolean);
    el.filters.replaceChildren(...nodes(filterPanel()));
    el.crisis.replaceChildren(...nodes(crisisBox()));
    el.results.replaceChildren(...nodes(results()));
    el.results.setAttribute('aria-busy', s.busy ? 'true' : 'false');
    el.count.textContent = countText();
    if (focusId != null) {
      // "More results": focus moves to the first new card, so the reader continues from there.
      const link = el.results.querySelector(`.map-card[data-id="${CSS.escape(focusId)}"] .map-card__link`);
      if (link) { link.focus(); return; }
    }
    if (activeId) document.getElementById(activeId)?.focus();
  }

  function countText() {
    if (s.busy) return t('map.searching');
    if (s.error) return '';
    const shown = visibleItems().length;
    if (staleOnly()) return tp('map.count_stale', shown, { total: formatNumber(s.total) });
    return tp('map.count', s.total);
  }

  /** The coordinator's "not checked in 6 months" filter: client-side, on the loaded pages. */
  function staleOnly() {
    return s.staleOnly && isCoordinator(ctx.me);
  }

  function visibleItems() {
    return staleOnly() ? s.items.filter(isStale) : s.items;
  }

  /* ---------- filters ---------- */

  function facet(name, key) {
    const n = s.facets?.[name]?.[key];
    return typeof n === 'number' ? n : null;
  }

  function chip({ id, text, pressed, count, onclick }) {
    return h('button', {
      type: 'button', id, class: ['chip', pressed && 'chip--on'], 'aria-pressed': pressed ? 'true' : 'false', onclick,
    }, h('span', { class: 'chip__text' }, text),
    count != null ? [h('span', { class: 'chip__count', 'aria-hidden': 'true' }, formatNumber(count)),
      h('span', { class: 'visually-hidden' }, `, ${tp('map.chip_count', count)}`)] : null);
  }

  function chipGroup(id, title, chips) {
    return h('div', { class: 'chip-group', role: 'group', 'aria-labelledby': `${id}-label` },
      h('p', { class: 'chip-group__label', id: `${id}-label` }, title),
      h('div', { class: 'chip-group__chips' }, chips));
  }

  function toggle(key) {
    return () => { s.f[key] = !s.f[key]; changed(); };
  }

  function levelChips() {
    return chipGroup('map-f-level', t('map.filters.level'), MAP_LEVELS.filter((l) => l !== 'crisis').map((l) => chip({
      id: `map-level-${l}`, text: t(`levels_short.${l}`), pressed: s.f.level.has(l), count: facet('level', l),
      onclick: () => { if (s.f.level.has(l)) s.f.level.delete(l); else s.f.level.add(l); changed(); },
    })));
  }

  function phaseChips() {
    return chipGroup('map-f-phase', t('map.filters.phase'), PHASES.map((p) => chip({
      id: `map-phase-${p}`, text: mlabel('phase_short', p), pressed: s.f.phase === p, count: facet('phase', p),
      onclick: () => { s.f.phase = s.f.phase === p ? '' : p; changed(); },
    })));
  }

  function quickChips() {
    const chips = [];
    if (s.f.phase) {
      chips.push(chip({ id: 'map-free', text: t('map.filters.free'), pressed: s.f.free, count: facet('free', s.f.phase), onclick: toggle('free') }));
    }
    chips.push(
      chip({ id: 'map-no_referral', text: t('map.filters.no_referral'), pressed: s.f.no_referral, count: facet('no_referral', '1'), onclick: toggle('no_referral') }),
      chip({ id: 'map-open', text: t('map.filters.open'), pressed: s.f.open, count: facet('open', '1'), onclick: toggle('open') }),
      chip({ id: 'map-interpreter', text: t('map.filters.interpreter'), pressed: s.f.interpreter, count: facet('interpreter', '1'), onclick: toggle('interpreter') }));
    return [chipGroup('map-f-quick', t('map.filters.quick'), chips),
      s.f.phase ? null : h('p', { class: 'field__hint' }, t('map.filters.free_hint'))];
  }

  function optionsWithCounts(codes, group, labelFn) {
    return codes.map((c) => {
      const n = facet(group, c);
      return { value: c, label: n == null ? labelFn(c) : `${labelFn(c)} (${formatNumber(n)})` };
    });
  }

  function selectField(id, text, value, options, onchange, anyText) {
    return h('div', { class: 'field' },
      h('label', { for: id, class: 'field__label' }, text),
      h('select', { id, onchange },
        h('option', { value: '', selected: !value }, anyText ?? t('map.filters.any')),
        options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label))));
  }

  function moreFilters() {
    const langs = [...new Set([...Object.keys(s.facets?.lang || {}), s.f.lang].filter(Boolean))]
      .sort((a, b) => label('languages', a).localeCompare(label('languages', b), getLang()));
    const munis = s.areas.filter((a) => a.kind === 'municipality');
    const set = (key) => (e) => { s.f[key] = e.target.value; changed(); };
    const n = activeCount(s.f);
    return h('details', { class: 'map-more', id: 'map-more', open: n > 0 || memory.moreOpen ? true : null,
      ontoggle: (e) => { memory.moreOpen = e.target.open; } },
    h('summary', { class: 'map-more__summary' }, n ? tp('map.filters.more_active', n) : t('map.filters.more')),
    h('div', { class: 'map-more__body' },
      selectField('map-lang', t('map.filters.lang'), s.f.lang, optionsWithCounts(langs, 'lang', (c) => label('languages', c)), set('lang')),
      selectField('map-target', t('map.filters.target'), s.f.target, optionsWithCounts(TARGET_GROUPS, 'target', (c) => mlabel('target', c)), set('target')),
      s.f.target ? h('div', { class: 'choice' },
        h('input', { type: 'checkbox', id: 'map-target-only', checked: s.f.target_only, onchange: toggle('target_only') }),
        h('label', { for: 'map-target-only', class: 'choice__label' }, t('map.filters.target_only'))) : null,
      s.f.interpreter ? selectField('map-mode', t('map.filters.interpreter_mode'), s.f.interpreter_mode,
        MODES.map((m) => ({ value: m, label: mlabel('mode', m) })), set('interpreter_mode')) : null,
      h('div', { class: 'field' },
        h('label', { for: 'map-age', class: 'field__label' }, t('map.filters.age')),
        h('input', { type: 'number', id: 'map-age', min: '0', max: '120', inputmode: 'numeric', class: 'input--short',
          value: s.f.age, onchange: (e) => { s.f.age = /^\d{1,3}$/.test(e.target.value.trim()) ? e.target.value.trim() : ''; changed(); } })),
      munis.length ? selectField('map-municipality', t('map.filters.municipality'), s.f.municipality,
        optionsWithCounts(munis.map((a) => a.uri), 'municipality', (u) => munis.find((a) => a.uri === u)?.name ?? u), set('municipality')) : null,
      nearControls()));
  }

  function nearControls() {
    if (!s.near) {
      return h('div', { class: 'field' },
        h('button', { type: 'button', class: 'button button--secondary', id: 'map-near', onclick: askLocation }, t('map.near.button')),
        h('p', { class: 'field__hint' }, t('map.near.hint')),
        s.geoError ? h('p', { class: 'field__error', id: 'map-near-error' }, s.geoError) : null);
    }
    return h('div', { class: 'field' },
      h('p', { class: 'map-near__on' }, t('map.near.on')),
      selectField('map-within', t('map.near.within'), s.f.within_km, ['2', '5', '10', '25'].map((k) => ({ value: k, label: t('map.near.km', { km: k }) })),
        (e) => { s.f.within_km = e.target.value; changed(); }, t('map.near.any')),
      h('button', { type: 'button', class: 'button button--secondary button--small', id: 'map-near-off',
        onclick: () => { s.near = null; s.f.within_km = ''; changed(); document.getElementById('map-near')?.focus(); } }, t('map.near.off')));
  }

  function askLocation() {
    s.geoError = null;
    if (!navigator.geolocation) {
      s.geoError = t('map.near.unsupported');
      update();
      return;
    }
    navigator.geolocation.getCurrentPosition((pos) => {
      if (!ctx.isCurrent()) return;
      s.near = { lat: pos.coords.latitude, lon: pos.coords.longitude };
      changed();
      document.getElementById('map-within')?.focus();
    }, () => {
      if (!ctx.isCurrent()) return;
      s.geoError = t('map.near.denied');
      update();
      document.getElementById('map-near')?.focus();
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
  }

  function anyFilter() {
    return filterQuery(s.f).toString() !== '' || s.near;
  }

  function filterPanel() {
    const coord = isCoordinator(ctx.me);
    return [
      h('h2', { class: 'visually-hidden', id: 'map-filters-title' }, t('map.filters.title')),
      levelChips(), phaseChips(), quickChips(), moreFilters(),
      coord ? h('div', { class: 'choice map-stale-filter' },
        h('input', { type: 'checkbox', id: 'map-stale', checked: s.staleOnly,
          onchange: (e) => { s.staleOnly = e.target.checked; remember(); update(); } }),
        h('div', { class: 'choice__text' },
          h('label', { for: 'map-stale', class: 'choice__label' }, t('map.filters.stale')),
          h('span', { class: 'choice__desc' }, t('map.filters.stale_hint')))) : null,
      anyFilter() ? h('p', null, h('button', { type: 'button', class: 'button button--secondary button--small', id: 'map-clear',
        onclick: () => { s.f = emptyFilters(); s.near = null; s.staleOnly = false; changed(); document.getElementById('map-q')?.focus(); } },
      t('map.filters.clear'))) : null,
    ];
  }

  /* ---------- results ---------- */

  function crisisBox() {
    if (!s.crisis.length) return [];
    return [h('h2', { class: 'map-crisis__title', id: 'map-crisis-title' }, t('map.crisis_title')),
      h('ul', { class: 'map-crisis__list', 'aria-labelledby': 'map-crisis-title' }, s.crisis.map((c) => h('li', null,
        h('a', { href: `#/map/service/${encodeURIComponent(c.id)}`, class: 'map-crisis__link' },
          inLang('span', null, c.name, c.lang))))),
    ];
  }

  function card(item) {
    const coord = isCoordinator(ctx.me);
    const phases = s.f.phase ? [s.f.phase] : PHASES.filter((p) => item.cost?.[p] || item.free?.[p] != null);
    const costs = phases.map((p) => costLine(item, p)).filter(Boolean);
    const titleId = `map-card-${item.id}`;
    return h('li', { class: 'map-card', 'data-id': item.id },
      h('article', { 'aria-labelledby': titleId },
        h('div', { class: 'map-card__badges' }, levelBadge(item.level),
          item.draft ? draftMarker() : null,
          coord && isStale(item) ? h('span', { class: 'badge map-stale' }, t('map.stale_badge')) : null,
          item.capacity?.state === 'closed' ? h('span', { class: 'badge map-closed' }, mlabel('capacity', 'closed')) : null),
        h('h3', { class: 'map-card__title', id: titleId },
          h('a', { class: 'map-card__link', href: `#/map/service/${encodeURIComponent(item.id)}` }, inLang('span', null, item.name, item.lang))),
        item.organization?.name ? h('p', { class: 'map-card__org' }, h('bdi', null, item.organization.name)) : null,
        item.summary ? inLang('p', { class: 'map-card__summary' }, item.summary, item.lang) : null,
        h('ul', { class: 'map-card__facts' },
          item.languages?.length ? h('li', null, t('map.card.languages', { list: languagesText(item.languages) })) : null,
          h('li', null, item.interpreter
            ? (item.interpreter_modes?.length ? t('map.card.interpreter_modes', { modes: formatList(item.interpreter_modes.map((m) => mlabel('mode', m))) }) : t('map.card.interpreter_yes'))
            : t('map.card.interpreter_no')),
          costs.map((c) => h('li', null, c)),
          h('li', { class: item.capacity?.state === 'waitlist' ? 'map-card__wait' : null }, capacityText(item.capacity)),
          typeof item.distance_km === 'number'
            ? h('li', { class: 'map-card__distance' }, t('map.card.distance', { km: formatNumber(Math.round(item.distance_km * 10) / 10) })) : null)));
  }

  function results() {
    if (s.error) return [mapErrorNotice(s.error, ctx.me)];
    const items = visibleItems();
    const out = [];
    if (!items.length && !s.busy) out.push(h('p', { class: 'notice', id: 'map-none' }, t('map.none')));
    if (items.length) out.push(h('ul', { class: 'map-results', id: 'map-results-list', 'aria-label': t('map.results_label') }, items.map(card)));
    if (s.items.length < s.total) {
      out.push(h('p', { class: 'map-more-results' },
        h('button', { type: 'button', class: 'button button--secondary', id: 'map-next', disabled: s.busy,
          onclick: () => search(true, true).catch(() => {}) },
        tp('map.more_results', Math.min(PER_PAGE, s.total - s.items.length)))));
    }
    return out;
  }

  function searchForm() {
    return h('form', { class: 'map-search', role: 'search', id: 'map-search', novalidate: true,
      onsubmit: (e) => { e.preventDefault(); s.f.q = document.getElementById('map-q').value.slice(0, 200); changed(); } },
    h('label', { for: 'map-q', class: 'field__label' }, t('map.search_label')),
    h('div', { class: 'map-search__row' },
      h('input', { type: 'search', id: 'map-q', name: 'q', value: s.f.q, maxlength: '200', autocomplete: 'off', enterkeyhint: 'search',
        'aria-describedby': 'map-q-hint' }),
      h('button', { type: 'submit', class: 'button', id: 'map-go' }, t('map.search'))),
    h('p', { class: 'field__hint', id: 'map-q-hint' }, t('map.search_hint')));
  }

  function render() {
    // Texts come in the UI language: after a language switch, fetch them again.
    if (s.lang !== getLang()) setTimeout(() => { if (ctx.isCurrent()) search(false, true).catch(() => {}); }, 0);
    el.count = h('p', { class: 'map-count', id: 'map-count', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' }, countText());
    el.filters = h('section', { class: 'map-filters', id: 'map-filters', 'aria-labelledby': 'map-filters-title' }, filterPanel());
    el.crisis = h('section', { class: 'map-crisis', id: 'map-crisis', 'aria-labelledby': 'map-crisis-title' }, crisisBox());
    el.results = h('div', { class: 'map-results-wrap', id: 'map-results', 'aria-busy': s.busy ? 'true' : null }, results());
    const coord = isCoordinator(ctx.me);
    return h('div', { class: 'stack map' },
      pageTitle(t('map.title')),
      s.demo ? fictionLabel() : null,
      h('p', { class: 'lead' }, t('map.intro')),
      searchForm(),
      el.crisis,
      el.filters,
      el.count,
      el.results,
      h('ul', { class: 'action-list map-links' },
        h('li', null, h('a', { href: '#/map/chain', class: 'button button--secondary', id: 'map-chain-link' }, t('map.chain_link'))),
        coord ? h('li', null, h('a', { href: '#/map/new', class: 'button button--secondary', id: 'map-new-link' }, t('map.new_link'))) : null));
  }

  return { title: () => t('map.title'), load, render };
}

/** "last checked on …" for cards and the detail page. */
export function checkedText(iso) {
  return iso ? t('map.checked_on', { date: formatDate(iso) }) : t('map.checked_never');
}
