// SPDX-License-Identifier: EUPL-1.2
// The local chain overview (#/map/chain?area=<uri>, GET /api/v1/map/chain): per municipality or
// reception location, the offers laid out by care level — one table per level with each
// partner's phases, role in the chain, responsible contact and capacity. It is the filled-in
// "format" the region shares, so it is always in Dutch (lang="nl", whatever the UI language)
// and prints on A4 (the @media print rules in app.css). Public, like the rest of the map.

import { translator } from '../i18n.js';
import { h } from '../dom.js';
import { mapGet, mlabel, capacityText, telLink, fictionLabel, isDemoUri, mapErrorNotice } from './map.js';

function areaFromHash() {
  const i = location.hash.indexOf('?');
  return i < 0 ? '' : (new URLSearchParams(location.hash.slice(i + 1)).get('area') || '').slice(0, 500);
}

export function createChainView(ctx) {
  const s = { area: areaFromHash(), areas: [], chain: null, error: null, tr: null, printedAt: new Date() };

  async function load() {
    s.tr = await translator('nl');
    const areas = mapGet('/map/areas').then((r) => (Array.isArray(r.data) ? r.data : r.data?.items ?? []));
    if (!s.area) {
      try {
        s.areas = await areas;
      } catch (err) {
        if (err.handled) throw err;
        s.error = err;
      }
      return;
    }
    const [list, chain] = await Promise.all([
      areas.catch((err) => { if (err.handled) throw err; return []; }),
      mapGet(`/map/chain?area=${encodeURIComponent(s.area)}`).then((r) => r.data, (err) => { if (err.handled) throw err; s.error = err; return null; }),
    ]);
    s.areas = list;
    s.chain = chain;
  }

  const tr = (key, vars) => (s.tr ? s.tr(key, vars) : key);

  function dateText(d) {
    return new Intl.DateTimeFormat('nl', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }).format(d);
  }

  function picker() {
    const chosen = (e) => {
      e.preventDefault();
      const v = document.getElementById('chain-area').value;
      if (v) ctx.navigate(`#/map/chain?area=${encodeURIComponent(v)}`);
    };
    const usable = s.areas.filter((a) => a.kind === 'municipality' || a.kind === 'coa_location');
    return h('form', { class: 'chain__picker no-print', onsubmit: chosen, novalidate: true },
      h('label', { for: 'chain-area', class: 'field__label' }, tr('map.chain.area')),
      h('div', { class: 'map-search__row' },
        h('select', { id: 'chain-area', name: 'area' },
          usable.map((a) => h('option', { value: a.uri, selected: a.uri === s.area },
            a.kind === 'coa_location' ? tr('map.chain.coa_option', { name: a.name }) : a.name))),
        h('button', { type: 'submit', class: 'button button--secondary', id: 'chain-show' }, tr('map.chain.show'))));
  }

  function contact(c) {
    if (!c) return h('span', { class: 'muted' }, tr('map.chain.no_contact'));
    return [
      h('span', { class: 'cell-line chain__contact-name' }, [c.name, c.title].filter(Boolean).join(', ')),
      c.phone ? h('span', { class: 'cell-line' }, telLink(c.phone, 'tel-link--inline')) : null,
      c.email ? h('span', { class: 'cell-line chain__email', dir: 'ltr' }, c.email) : null,
    ];
  }

  function row(x) {
    const cols = ['offer', 'phase', 'role', 'contact', 'capacity'];
    const cells = [
      [h('a', { href: `#/map/service/${encodeURIComponent(x.id)}`, class: 'chain__offer' }, x.name),
        x.organization ? h('span', { class: 'cell-line muted' }, typeof x.organization === 'string' ? x.organization : x.organization.name) : null],
      (x.phases || []).map((p) => tr(`map.chain.phases.${p}`)).join(', '),
      (x.roles || []).length ? (x.roles || []).map((r) => mlabel('role', r, tr)).join(', ') : '—',
      contact(x.contact),
      capacityText(x.capacity, tr),
    ];
    // One wrapper per cell: on a phone the cell is a two-column grid (label, content).
    return h('tr', null, cells.map((c, i) => h('td', { 'data-label': tr(`map.chain.cols.${cols[i]}`) }, h('div', null, c))));
  }

  function level(l) {
    const id = `chain-level-${l.level}`;
    const list = Array.isArray(l.services) ? l.services : [];
    return h('section', { class: 'chain__level', 'aria-labelledby': id, 'data-level': l.level },
      h('h2', { id, class: 'chain__level-title' }, tr(`levels.${l.level}`)),
      list.length
        ? h('table', { class: 'table table--stack chain__table' },
          h('caption', { class: 'visually-hidden' }, tr('map.chain.caption', { level: tr(`levels_short.${l.level}`) })),
          h('thead', null, h('tr', null, ['offer', 'phase', 'role', 'contact', 'capacity'].map((k) => h('th', { scope: 'col' }, tr(`map.chain.cols.${k}`))))),
          h('tbody', null, list.map(row)))
        : h('p', { class: 'muted' }, tr('map.chain.empty')));
  }

  function overview() {
    const c = s.chain;
    const area = c.area || {};
    const levels = Array.isArray(c.levels) ? c.levels : [];
    const coa = Array.isArray(c.coa_locations) ? c.coa_locations : [];
    const total = levels.reduce((n, l) => n + (l.services?.length || 0), 0);
    return [
      h('header', { class: 'chain__head stack' },
        h('h1', { class: 'page-title', tabindex: '-1' }, tr('map.chain.heading', { area: area.name || s.area })),
        h('p', { class: 'chain__meta' }, tr('map.chain.meta', { date: dateText(s.printedAt), count: total })),
        isDemoUri(area.uri || s.area) ? fictionLabel(tr) : null,
        h('p', null, tr(area.kind === 'coa_location' ? 'map.chain.intro_coa' : 'map.chain.intro')),
        coa.length ? h('p', { class: 'chain__coa' }, tr('map.chain.coa_locations'), ' ',
          coa.map((x, i) => [i ? ', ' : '', h('a', { href: `#/map/chain?area=${encodeURIComponent(x.uri)}` }, x.name)])) : null),
      levels.map(level),
    ];
  }

  function render() {
    const tools = h('div', { class: 'chain__tools no-print' },
      h('p', { class: 'breadcrumb' }, h('a', { href: '#/map' }, tr('map.chain.back'))),
      s.chain ? h('button', { type: 'button', class: 'button', id: 'chain-print', onclick: () => window.print() }, tr('map.chain.print')) : null);
    let body;
    if (s.chain) body = overview();
    else if (s.error) body = [h('h1', { class: 'page-title', tabindex: '-1' }, tr('map.chain.title')), mapErrorNotice(s.error, ctx.me)];
    else body = [h('h1', { class: 'page-title', tabindex: '-1' }, tr('map.chain.title')), h('p', { class: 'lead' }, tr('map.chain.choose'))];
    return h('div', { class: 'stack chain', lang: 'nl', dir: 'ltr' }, tools, s.areas.length ? picker() : null, body);
  }

  return { title: () => (s.chain?.area?.name ? tr('map.chain.heading', { area: s.chain.area.name }) : tr('map.chain.title')), load, render };
}
