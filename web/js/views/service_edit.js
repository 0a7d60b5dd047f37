// SPDX-License-Identifier: EUPL-1.2
// The coordinator's form for one social-map entry: #/map/service/{id}/edit (GET …/edit, PUT
// /api/v1/services/{id}) and #/map/new (POST /api/v1/services). Every text has a Dutch field and,
// per UI language, a disclosure with its translation and review status; lists are checkboxes;
// capacity is a state plus weeks; "checked today" sets the last-checked date. The server decides:
// each 422 error is shown at the input its JSON pointer names (the nearest one that exists), and
// the first gets focus. A warning shows when the entry was last checked more than 6 months ago;
// the revision list says who changed which fields when.

import { t, tp, LANGS, LANG_NAMES, dirOf, formatDate, formatDateTime, formatList } from '../i18n.js';
import { api } from '../api.js';
import { h, field, choiceGroup, select, notice, pageTitle, errorText, focusFirst } from '../dom.js';
import { label, LANGUAGES, PHASES } from '../codes.js';
import {
  mapGet, mlabel, isStale, TARGET_GROUPS, LEGAL_STATUSES, ENTRY_ROUTES, COSTS, MODES, PAID_BY,
  CULTURE, CAPACITY, CHAIN_ROLES, STATUSES, MAP_LEVELS,
} from './map.js';

const TEXT_FIELDS = ['name', 'alternate_name', 'description', 'application_process', 'eligibility_description',
  'fees_description', 'interpretation_services', 'alert'];
const SHORT_TEXT = new Set(['name', 'alternate_name']);
const TEXT_MAX = 4096; // the API caps each text at 4096 bytes (docs/API.md, edit model)

function blankContact() {
  return { name: '', title: '', email: '', phone: '', roles: [] };
}

function blankModel() {
  const m = Object.fromEntries(TEXT_FIELDS.map((f) => [f, {}]));
  return {
    ...m, translation_status: {}, status: 'active', url: '', email: '', minimum_age: null, maximum_age: null,
    level: '', iasc_layer: null, phases: [], costs: {}, target_groups: [], legal_statuses: ['no_limit'],
    entry_routes: [], interpreter: { provided: false, modes: [] }, culture: [], capacity: { state: 'open', weeks: null },
    languages: ['nl'], contacts: [blankContact()],
  };
}

/** The model as the form edits it: every member present, numbers as text. */
function formModel(model) {
  const b = blankModel();
  const m = { ...b, ...(model || {}) };
  for (const f of TEXT_FIELDS) m[f] = { ...(m[f] || {}) };
  m.translation_status = { ...(m.translation_status || {}) };
  for (const k of ['phases', 'target_groups', 'legal_statuses', 'entry_routes', 'culture', 'languages']) m[k] = [...(m[k] || [])];
  m.interpreter = { provided: Boolean(m.interpreter?.provided), modes: [...(m.interpreter?.modes || [])] };
  m.capacity = { state: m.capacity?.state || '', weeks: m.capacity?.weeks ?? '' };
  m.costs = Object.fromEntries(PHASES.map((p) => [p, { cost: '', amount: '', interpreter_paid_by: '', ...(m.costs?.[p] || {}) }]));
  for (const p of PHASES) m.costs[p].amount = m.costs[p].amount ?? '';
  m.contacts = (m.contacts?.length ? m.contacts : [blankContact()]).map((c) => ({ ...blankContact(), ...c, roles: [...(c.roles || [])] }));
  for (const k of ['url', 'email']) m[k] = m[k] ?? '';
  for (const k of ['minimum_age', 'maximum_age', 'iasc_layer']) m[k] = m[k] ?? '';
  m.mark_checked = false;
  return m;
}

/** A number field as the API wants it: null when empty, a number when it is one, else the text. */
function num(v) {
  const x = String(v ?? '').trim();
  if (!x) return null;
  return /^-?\d+(\.\d+)?$/.test(x) ? Number(x) : x;
}

function texts(obj) {
  const out = {};
  for (const [lang, v] of Object.entries(obj || {})) {
    const x = String(v ?? '').trim();
    if (x || lang === 'nl') out[lang] = x;
  }
  return out;
}

/** The request body for PUT/POST from the form state. */
function body(v, create) {
  const b = {};
  for (const f of TEXT_FIELDS) {
    const x = texts(v[f]);
    if (f === 'name' || Object.keys(x).some((l) => x[l])) b[f] = x;
  }
  const used = new Set(TEXT_FIELDS.flatMap((f) => Object.keys(b[f] || {})).filter((l) => l !== 'nl'));
  b.translation_status = Object.fromEntries([...used].map((l) => [l, v.translation_status[l] || 'draft']));
  Object.assign(b, {
    status: v.status, url: v.url.trim() || null, email: v.email.trim() || null,
    minimum_age: num(v.minimum_age), maximum_age: num(v.maximum_age), level: v.level || null, iasc_layer: num(v.iasc_layer),
    phases: PHASES.filter((p) => v.phases.includes(p)),
    costs: Object.fromEntries(PHASES.filter((p) => v.phases.includes(p)).map((p) => [p, {
      cost: v.costs[p].cost || null, amount: v.costs[p].cost === 'other' ? num(v.costs[p].amount) : null,
      interpreter_paid_by: v.costs[p].interpreter_paid_by || null,
    }])),
    target_groups: v.target_groups, legal_statuses: v.legal_statuses, entry_routes: v.entry_routes,
    interpreter: { provided: v.interpreter.provided, modes: v.interpreter.provided ? v.interpreter.modes : [] },
    culture: v.culture,
    capacity: { state: v.capacity.state || null, weeks: v.capacity.state === 'waitlist' ? num(v.capacity.weeks) : null },
    languages: v.languages,
    contacts: v.contacts.map((c) => ({
      ...(c.id ? { id: c.id } : {}), name: c.name.trim(), title: c.title.trim() || null, email: c.email.trim() || null,
      phone: c.phone.trim() || null, roles: c.roles,
    })),
    mark_checked: Boolean(v.mark_checked),
  });
  if (create) {
    b.organization_id = v.organization_id || null;
    b.service_areas = v.service_areas || [];
    b.location_ids = [];
  }
  return b;
}

/** "/costs/coa/cost" → "edit-costs-coa-cost": the id of the input a pointer names. */
export function pointerId(pointer) {
  const parts = String(pointer || '').split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return ['edit', ...parts].join('-').replace(/[^A-Za-z0-9_-]/g, '_');
}

export function createServiceEditView(ctx, id) {
  const create = !id;
  const s = {
    v: formModel(null), name: '', region: '', revisions: [], detail: null, orgs: [], areas: [],
    errors: {}, formErrors: [], failure: null, busy: false, open: new Set(),
  };

  async function load() {
    if (create) {
      const [orgs, areas] = await Promise.all([mapGet('/map/organizations'), mapGet('/map/areas')]);
      s.orgs = Array.isArray(orgs.data) ? orgs.data : orgs.data?.items ?? [];
      s.areas = Array.isArray(areas.data) ? areas.data : areas.data?.items ?? [];
      s.v.organization_id = '';
      s.v.service_areas = [];
      s.v.mark_checked = true;
      return;
    }
    const path = `/services/${encodeURIComponent(id)}`;
    const [edit, detail] = await Promise.all([
      api('GET', `${path}/edit`),
      mapGet(`${path}?lang=nl`).catch((err) => { if (err.handled) throw err; return { data: null }; }),
    ]);
    s.v = formModel(edit.data?.model);
    s.name = s.v.name.nl || '';
    s.region = edit.data?.region ?? '';
    s.revisions = Array.isArray(edit.data?.revisions) ? edit.data.revisions : [];
    s.detail = detail.data;
  }

  /* ---------- state binding and re-rendering that keeps focus ---------- */

  function refresh() {
    const active = document.activeElement?.id;
    ctx.rerender();
    if (active) document.getElementById(active)?.focus();
  }

  const bindText = (obj, key) => (e) => { obj[key] = e.target.value; };

  function toggleIn(list, value, on) {
    const i = list.indexOf(value);
    if (on && i < 0) list.push(value);
    if (!on && i >= 0) list.splice(i, 1);
  }

  function err(fid) {
    const d = s.errors[fid];
    return d == null ? null : (d ? t('map.edit.error_detail', { detail: d }) : t('map.edit.error'));
  }

  /* ---------- inputs ---------- */

  function textInput(fid, lang, obj, key, long, attrs = {}) {
    const common = { name: fid, lang, dir: dirOf(lang), maxlength: String(TEXT_MAX), oninput: bindText(obj, key), ...attrs };
    return long ? h('textarea', { ...common, rows: '3', value: obj[key] ?? '' }) : h('input', { type: 'text', ...common, value: obj[key] ?? '' });
  }

  function textField(f, lang) {
    const fid = `edit-${f}-${lang}`;
    const name = t(`map.edit.fields.${f}`);
    return field({
      id: fid, label: lang === 'nl' ? name : t('map.edit.in_lang', { field: name, lang: label('languages', lang) }),
      optional: !(f === 'name' && lang === 'nl'), error: err(fid),
      control: textInput(fid, lang, s.v[f], lang, !SHORT_TEXT.has(f)),
    });
  }

  function checks(fid, legend, codes, list, labelFn, opts = {}) {
    return choiceGroup({
      id: fid, legend, type: 'checkbox', name: fid, error: err(fid), hint: opts.hint, optional: opts.optional,
      options: codes.map((c) => ({ value: c, label: labelFn(c) })), checked: new Set(list),
      onchange: (e) => { toggleIn(list, e.target.value, e.target.checked); if (opts.refresh) refresh(); },
    });
  }

  function radios(fid, legend, codes, obj, key, labelFn, opts = {}) {
    return choiceGroup({
      id: fid, legend, type: 'radio', name: fid, error: err(fid), hint: opts.hint,
      options: codes.map((c) => ({ value: c, label: labelFn(c) })), checked: String(obj[key] ?? ''),
      onchange: (e) => { obj[key] = e.target.value; if (opts.refresh) refresh(); },
    });
  }

  function numberField(fid, labelText, obj, key, opts = {}) {
    return field({
      id: fid, label: labelText, hint: opts.hint, optional: opts.optional, error: err(fid),
      control: h('input', { type: 'number', name: fid, inputmode: 'numeric', class: 'input--short', min: opts.min,
        value: String(obj[key] ?? ''), oninput: bindText(obj, key) }),
    });
  }

  function selectField(fid, labelText, obj, key, options, opts = {}) {
    return field({
      id: fid, label: labelText, optional: opts.optional, error: err(fid),
      control: select({ name: fid, value: String(obj[key] ?? ''), options, onchange: (e) => { obj[key] = e.target.value; } }),
    });
  }

  /* ---------- sections ---------- */

  function section(key, ...content) {
    return h('section', { class: 'card map-edit__section', 'aria-labelledby': `edit-sec-${key}` },
      h('h2', { class: 'card__title', id: `edit-sec-${key}` }, t(`map.edit.sections.${key}`)), content);
  }

  function translationLangs() {
    const present = TEXT_FIELDS.flatMap((f) => Object.keys(s.v[f] || {}));
    return [...new Set([...LANGS, ...present, ...Object.keys(s.v.translation_status)])].filter((l) => l !== 'nl');
  }

  function langName(l) {
    return LANG_NAMES[l] ? `${label('languages', l)} (${LANG_NAMES[l]})` : label('languages', l);
  }

  function translation(lang) {
    const filled = TEXT_FIELDS.filter((f) => String(s.v[f][lang] ?? '').trim()).length;
    const fid = `edit-translation_status-${lang}`;
    return h('details', {
      class: 'map-edit__lang', id: `edit-lang-${lang}`, open: s.open.has(lang) ? true : null,
      ontoggle: (e) => { if (e.target.open) s.open.add(lang); else s.open.delete(lang); },
    },
    h('summary', { class: 'map-edit__lang-summary' }, langName(lang), ' ',
      h('span', { class: 'muted' }, tp('map.edit.filled', filled))),
    h('div', { class: 'map-edit__lang-body' },
      TEXT_FIELDS.map((f) => textField(f, lang)),
      radios(fid, t('map.edit.translation_status'), ['draft', 'reviewed'], s.v.translation_status, lang,
        (c) => t(`map.edit.review.${c}`))));
  }

  function textsSection() {
    return section('texts',
      h('p', { class: 'field__hint' }, t('map.edit.texts_hint')),
      h('div', { class: 'map-edit__nl' }, TEXT_FIELDS.map((f) => textField(f, 'nl'))),
      h('h3', { class: 'subform__title' }, t('map.edit.translations')),
      translationLangs().map(translation));
  }

  function basicsSection() {
    const v = s.v;
    return section('basics',
      radios('edit-level', t('map.edit.fields.level'), MAP_LEVELS, v, 'level', (l) => t(`levels.${l}`)),
      selectField('edit-iasc_layer', t('map.edit.fields.iasc_layer'), v, 'iasc_layer', [1, 2, 3, 4].map((n) => ({ value: String(n), label: mlabel('iasc', n) }))),
      checks('edit-phases', t('map.edit.fields.phases'), PHASES, v.phases, (p) => label('phases', p), { refresh: true }),
      selectField('edit-status', t('map.edit.fields.status'), v, 'status', STATUSES.map((x) => ({ value: x, label: mlabel('status', x) }))),
      numberField('edit-minimum_age', t('map.edit.fields.minimum_age'), v, 'minimum_age', { min: '0' }),
      numberField('edit-maximum_age', t('map.edit.fields.maximum_age'), v, 'maximum_age', { min: '0', optional: true, hint: t('map.edit.max_age_hint') }),
      field({ id: 'edit-url', label: t('map.edit.fields.url'), optional: true, error: err('edit-url'),
        control: h('input', { type: 'url', name: 'url', dir: 'ltr', value: v.url, oninput: bindText(v, 'url') }) }),
      field({ id: 'edit-email', label: t('map.edit.fields.email'), optional: true, error: err('edit-email'),
        control: h('input', { type: 'email', name: 'email', dir: 'ltr', value: v.email, oninput: bindText(v, 'email') }) }));
  }

  function costBlock(p) {
    const c = s.v.costs[p];
    return h('fieldset', { class: 'fieldset map-edit__cost', id: `edit-costs-${p}` },
      h('legend', { class: 'field__label' }, t('map.edit.cost_in', { phase: label('phases', p) })),
      radios(`edit-costs-${p}-cost`, t('map.edit.fields.cost'), COSTS, c, 'cost', (x) => mlabel('cost', x), { refresh: true }),
      c.cost === 'other' ? numberField(`edit-costs-${p}-amount`, t('map.edit.fields.amount'), c, 'amount', { min: '0' }) : null,
      selectField(`edit-costs-${p}-interpreter_paid_by`, t('map.edit.fields.interpreter_paid_by'), c, 'interpreter_paid_by',
        PAID_BY.map((x) => ({ value: x, label: mlabel('paid_by', x) }))));
  }

  function accessSection() {
    const v = s.v;
    const phases = PHASES.filter((p) => v.phases.includes(p));
    return section('access',
      checks('edit-entry_routes', t('map.edit.fields.entry_routes'), ENTRY_ROUTES, v.entry_routes, (x) => mlabel('entry', x)),
      checks('edit-target_groups', t('map.edit.fields.target_groups'), TARGET_GROUPS, v.target_groups, (x) => mlabel('target', x), { optional: true, hint: t('map.edit.target_hint') }),
      checks('edit-legal_statuses', t('map.edit.fields.legal_statuses'), LEGAL_STATUSES, v.legal_statuses, (x) => mlabel('legal', x)),
      phases.length ? phases.map(costBlock) : h('p', { class: 'field__hint', id: 'edit-costs' }, t('map.edit.costs_need_phase')));
  }

  function languageSection() {
    const v = s.v;
    const langs = [...new Set([...LANGUAGES, ...v.languages])];
    return section('languages',
      checks('edit-languages', t('map.edit.fields.languages'), langs, v.languages, (c) => label('languages', c), { hint: t('map.edit.languages_hint') }),
      h('div', { class: 'choice' },
        h('input', { type: 'checkbox', id: 'edit-interpreter-provided', checked: v.interpreter.provided,
          onchange: (e) => { v.interpreter.provided = e.target.checked; refresh(); } }),
        h('label', { for: 'edit-interpreter-provided', class: 'choice__label' }, t('map.edit.fields.interpreter'))),
      err('edit-interpreter-provided') ? h('p', { class: 'field__error' }, err('edit-interpreter-provided')) : null,
      v.interpreter.provided ? checks('edit-interpreter-modes', t('map.edit.fields.modes'), MODES, v.interpreter.modes, (m) => mlabel('mode', m)) : null,
      checks('edit-culture', t('map.edit.fields.culture'), CULTURE, v.culture, (c) => mlabel('culture', c), { optional: true }));
  }

  function capacitySection() {
    const cap = s.v.capacity;
    return section('capacity',
      radios('edit-capacity-state', t('map.edit.fields.capacity'), CAPACITY, cap, 'state', (x) => mlabel('capacity', x), { refresh: true }),
      cap.state === 'waitlist' ? numberField('edit-capacity-weeks', t('map.edit.fields.weeks'), cap, 'weeks', { min: '0' }) : null);
  }

  function contactBlock(c, i) {
    const p = `edit-contacts-${i}`;
    const input = (k, type = 'text', dir) => field({
      id: `${p}-${k}`, label: t(`map.edit.contact.${k}`), optional: k !== 'name', error: err(`${p}-${k}`),
      control: h('input', { type, name: `${p}-${k}`, dir, value: c[k] ?? '', oninput: bindText(c, k) }),
    });
    return h('fieldset', { class: 'fieldset map-edit__contact', id: p },
      h('legend', { class: 'field__label' }, t('map.edit.contact.legend', { n: i + 1 })),
      err(p) ? h('p', { class: 'field__error' }, err(p)) : null,
      input('name'), input('title'), input('phone', 'tel', 'ltr'), input('email', 'email', 'ltr'),
      checks(`${p}-roles`, t('map.edit.contact.roles'), CHAIN_ROLES, c.roles, (r) => mlabel('role', r)),
      s.v.contacts.length > 1 ? h('button', { type: 'button', class: 'button button--secondary button--small', id: `${p}-remove`,
        onclick: () => { s.v.contacts.splice(i, 1); ctx.rerender(); document.getElementById('edit-contact-add')?.focus(); } },
      t('map.edit.contact.remove', { n: i + 1 })) : null);
  }

  function contactsSection() {
    return section('contacts',
      h('p', { class: 'field__hint' }, t('map.edit.contacts_hint')),
      err('edit-contacts') ? h('p', { class: 'field__error', id: 'edit-contacts' }, err('edit-contacts')) : null,
      s.v.contacts.map(contactBlock),
      h('button', { type: 'button', class: 'button button--secondary', id: 'edit-contact-add',
        onclick: () => { s.v.contacts.push(blankContact()); ctx.rerender(); document.getElementById(`edit-contacts-${s.v.contacts.length - 1}-name`)?.focus(); } },
      t('map.edit.contact.add')));
  }

  function createSection() {
    if (!create) return null;
    return section('owner',
      field({ id: 'edit-organization_id', label: t('map.edit.fields.organization'), error: err('edit-organization_id'),
        control: select({ name: 'organization_id', value: s.v.organization_id, onchange: (e) => { s.v.organization_id = e.target.value; },
          options: s.orgs.map((o) => ({ value: o.id, label: o.name })) }) }),
      checks('edit-service_areas', t('map.edit.fields.service_areas'), s.areas.map((a) => a.uri), s.v.service_areas,
        (u) => s.areas.find((a) => a.uri === u)?.name ?? u));
  }

  function checkSection() {
    return h('div', { class: 'choice map-edit__checked' },
      h('input', { type: 'checkbox', id: 'edit-mark_checked', checked: s.v.mark_checked, 'aria-describedby': 'edit-mark_checked-desc',
        onchange: (e) => { s.v.mark_checked = e.target.checked; } }),
      h('div', { class: 'choice__text' },
        h('label', { for: 'edit-mark_checked', class: 'choice__label' }, t('map.edit.mark_checked')),
        h('span', { class: 'choice__desc', id: 'edit-mark_checked-desc' }, t('map.edit.mark_checked_hint'))));
  }

  /* ---------- saving ---------- */

  function applyServerErrors(e) {
    s.errors = {};
    s.formErrors = [];
    const main = document.getElementById('main');
    for (const x of e.fieldErrors) {
      const ptr = String(x.pointer ?? '');
      const [, f, lang] = ptr.split('/');
      if (TEXT_FIELDS.includes(f) && lang && lang !== 'nl') s.open.add(lang);
      if (f === 'translation_status' && lang) s.open.add(lang);
      // The input the pointer names, or the nearest enclosing one that this form has.
      let fid = pointerId(ptr);
      while (fid !== 'edit' && !main.querySelector(`#${CSS.escape(fid)}`)) fid = fid.slice(0, fid.lastIndexOf('-'));
      if (fid === 'edit' || s.errors[fid] != null) s.formErrors.push(`${ptr || '/'}: ${x.detail || ''}`);
      else s.errors[fid] = x.detail || '';
    }
    if (!Object.keys(s.errors).length && !s.formErrors.length) s.failure = e;
  }

  async function submit(e) {
    e.preventDefault();
    if (s.busy) return;
    s.failure = null;
    s.errors = {};
    s.formErrors = [];
    s.busy = true;
    ctx.rerender();
    try {
      const { data } = create
        ? await api('POST', '/services', body(s.v, true))
        : await api('PUT', `/services/${encodeURIComponent(id)}`, body(s.v, false));
      const newId = data?.id || id;
      ctx.flash(() => t(create ? 'map.edit.created' : 'map.edit.saved'));
      ctx.navigate(`#/map/service/${encodeURIComponent(newId)}`);
      return;
    } catch (err2) {
      s.busy = false;
      if (err2.handled) return;
      if (err2.status === 422 || err2.slug === 'malformed-json') applyServerErrors(err2);
      else s.failure = err2;
    }
    showErrors();
  }

  function showErrors() {
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    const ids = Object.keys(s.errors);
    const n = ids.length + s.formErrors.length;
    if (n) ctx.announce(() => tp('form.errors_count', n), 'error');
    else if (s.failure) ctx.announce(() => errorText(s.failure), 'error');
    const main = document.getElementById('main');
    if (!focusFirst(main, ids)) {
      const first = ids.map((x) => document.getElementById(x)).find(Boolean);
      if (first) { first.setAttribute('tabindex', '-1'); first.focus(); } else main.querySelector('.form-summary')?.focus();
    }
  }

  function summary() {
    if (!s.formErrors.length && !s.failure) return null;
    return h('div', { class: 'form-summary', tabindex: '-1' },
      notice('error', s.failure ? errorText(s.failure) : t('errors.invalid_input'),
        s.formErrors.length ? h('ul', null, s.formErrors.map((d) => h('li', { dir: 'ltr' }, d))) : null));
  }

  /* ---------- page ---------- */

  function staleBanner() {
    if (create || !s.detail || !isStale(s.detail)) return null;
    return h('div', { class: 'notice map-warning', id: 'edit-stale', role: 'note' },
      h('p', null, s.detail.assured_date ? t('map.edit.stale', { date: formatDate(s.detail.assured_date) }) : t('map.edit.stale_never')));
  }

  function revisions() {
    if (create) return null;
    return h('section', { class: 'card', 'aria-labelledby': 'edit-rev-title', id: 'edit-revisions' },
      h('h2', { class: 'card__title', id: 'edit-rev-title' }, t('map.edit.revisions')),
      s.revisions.length
        ? h('table', { class: 'table table--stack' },
          h('thead', null, h('tr', null, ['when', 'who', 'source', 'fields'].map((k) => h('th', { scope: 'col' }, t(`map.edit.rev.${k}`))))),
          h('tbody', null, s.revisions.map((r) => h('tr', null,
            h('td', { 'data-label': t('map.edit.rev.when') }, formatDateTime(r.at)),
            h('td', { 'data-label': t('map.edit.rev.who') }, h('bdi', { dir: 'ltr' }, r.by_user ?? '')),
            h('td', { 'data-label': t('map.edit.rev.source') }, mlabel('source', r.source ?? '')),
            h('td', { 'data-label': t('map.edit.rev.fields') }, Array.isArray(r.fields) && r.fields.length
              ? formatList(r.fields.map((f) => { const k = `map.edit.fields.${f}`; const x = t(k); return x === k ? f : x; }))
              : t('map.edit.rev.all'))))))
        : h('p', { class: 'muted' }, t('map.edit.rev.none')));
  }

  function render() {
    const title = create ? t('map.edit.new_title') : t('map.edit.title', { name: s.name });
    return h('div', { class: 'stack map map-edit' },
      h('p', { class: 'breadcrumb' }, h('a', { href: create ? '#/map' : `#/map/service/${encodeURIComponent(id)}` },
        create ? t('map.detail.back') : t('map.edit.back'))),
      pageTitle(title),
      s.region ? h('p', { class: 'muted' }, t('map.edit.region', { region: s.region })) : null,
      staleBanner(),
      h('form', { class: 'form', novalidate: true, onsubmit: submit, id: 'edit-form' },
        summary(),
        createSection(), textsSection(), basicsSection(), accessSection(), languageSection(), capacitySection(), contactsSection(),
        h('div', { class: 'card' }, checkSection(),
          h('div', { class: 'form__actions' },
            h('button', { type: 'submit', class: 'button', disabled: s.busy, id: 'edit-submit' }, s.busy ? t('form.busy') : t('map.edit.save')),
            h('a', { class: 'button button--secondary', href: create ? '#/map' : `#/map/service/${encodeURIComponent(id)}` }, t('form.cancel'))))),
      revisions());
  }

  return { title: () => (create ? t('map.edit.new_title') : t('map.edit.title', { name: s.name })), load, render };
}
