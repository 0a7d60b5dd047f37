// SPDX-License-Identifier: EUPL-1.2
// The client page: the record itself, signalling (start a conversation, raise a red flag by hand,
// open and closed red flags — professionals close them with a reason — and earlier screenings),
// "who can see this client" (grants: list, revoke, add with verbal consent) and the access log
// ("who looked, when"). The record is read once per visit — every read is an audited access — and
// re-reads after a change fetch only what changed.

import { t, tp, tNodes, formatDate, formatDateTime, formatList } from '../i18n.js';
import { get, post, del } from '../api.js';
import { h, field, choiceGroup, select, notice, pageTitle, errorText, pointerField, focusFirst } from '../dom.js';
import { SCOPES, label, isProfessional } from '../codes.js';
import { openRedFlag } from '../redflag.js';
import { icon } from '../icons.js';
import { flagCard } from './flags.js';
import { cardLink } from './card.js';
import { routeLink } from './route.js';
import { summaryLink } from './summary.js';
import { erasurePanel } from './erasure_panel.js';
import { movePanel } from './move.js';
import { historyPanel } from './history.js';

const GRANT_FIELDS = ['org_id', 'scopes', 'days', 'consent'];
/** Organisation kinds never offered as grantees. */
const NO_GRANT_KINDS = new Set(['client_accounts', 'platform']);

export function createClientView(ctx, clientId) {
  const path = `/clients/${encodeURIComponent(clientId)}`;
  const s = {
    client: null,
    grants: [], grantsError: null,
    log: [], logError: null,
    orgs: [], orgsError: null,
    form: { org_id: '', scopes: new Set(), days: '90', consent: false },
    formErrors: {}, formFailure: null, busy: false,
    revoking: null, // the grant the confirm dialog is about
    panelMsg: null, // {kind, text: () => string}: outcome of the last grant change, in the panel
    screenings: [], screeningsError: null,
    flags: [], flagsError: null,
    instruments: [],
    flagMsg: null, // outcome of the last red-flag change, in the signalling panel
  };

  async function settle(promise, onOk, errKey) {
    try {
      onOk((await promise).data);
      s[errKey] = null;
    } catch (err) {
      if (err.handled) throw err;
      s[errKey] = err;
    }
  }

  async function loadGrants() {
    await settle(get(`${path}/grants`), (d) => { s.grants = d?.items ?? []; }, 'grantsError');
  }

  async function loadLog() {
    await settle(get(`${path}/access-log`), (d) => { s.log = d?.items ?? []; }, 'logError');
  }

  async function loadFlags() {
    await settle(get(`${path}/red-flags`), (d) => { s.flags = d?.items ?? []; }, 'flagsError');
  }

  function hasSignal() {
    return Array.isArray(s.client?.scopes) && s.client.scopes.includes('signal');
  }

  async function load() {
    // The record first, so that this very read shows up in the access log fetched next.
    s.client = (await get(path)).data;
    const signalling = hasSignal()
      ? [
        settle(get(`${path}/screenings`), (d) => { s.screenings = d?.items ?? []; }, 'screeningsError'),
        loadFlags(),
        get('/instruments').then(({ data }) => { s.instruments = data?.items ?? []; }, (err) => { if (err.handled) throw err; }),
      ]
      : [];
    await Promise.all([
      ...signalling,
      settle(get('/orgs'), (d) => { s.orgs = d?.items ?? []; }, 'orgsError'),
    ]);
    // The log last: it then lists the reads above as well.
    await Promise.all([loadGrants(), loadLog()]);
  }

  /* ---------- signalling: red flags and screenings ---------- */

  function age() {
    return typeof s.client?.year_of_birth === 'number' ? new Date().getFullYear() - s.client.year_of_birth : null;
  }

  function raiseByHand() {
    s.flagMsg = null;
    openRedFlag({
      ctx, clientId, protocol: null, source: 'manual', mode: 'page', clientLang: s.client.language,
      minor: age() != null && age() < 18,
      onDone: () => afterFlagChange({ kind: 'success', text: () => t('redflags.recorded') }),
      onCancel: () => document.getElementById('client-flag')?.focus(),
    });
  }

  async function afterFlagChange(msg) {
    s.flagMsg = msg;
    try {
      await Promise.all([loadFlags(), loadLog()]);
    } catch (err) {
      if (err.handled) return;
    }
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    document.getElementById('flags-msg')?.focus();
  }

  function screeningItem(x) {
    const band = x.band_id ?? (typeof x.band === 'string' ? x.band : x.band?.id) ?? null;
    const count = x.red_flag_count ?? x.red_flags_count ?? (typeof x.red_flags === 'number' ? x.red_flags : x.red_flags?.length) ?? 0;
    const inst = s.instruments.find((i) => i.id === x.instrument);
    return h('li', { class: 'client-list__item' },
      h('a', { class: 'client-list__link', href: `#/clients/${encodeURIComponent(clientId)}/screenings/${encodeURIComponent(x.id)}`, 'data-screening': x.id },
        h('span', { class: 'client-list__title' }, formatDateTime(x.created_at)),
        h('span', { class: 'client-list__meta' },
          [inst?.title || x.instrument,
            band ? t('screenings.band', { band: label('bands', band) }) : null,
            x.level ? label('levels_short', x.level) : null].filter(Boolean).join(' · ')),
        count ? h('span', { class: 'client-list__meta text-alert' }, icon('alert', 'icon--inline'), tp('screenings.flag_count', count)) : null));
  }

  function signalPanel() {
    if (!hasSignal()) return null;
    const professional = isProfessional(ctx.me?.user?.role);
    const open = s.flags.filter((f) => f.state !== 'closed');
    const closed = s.flags.filter((f) => f.state === 'closed');
    const onClosed = () => afterFlagChange({ kind: 'success', text: () => t('redflags.closed_ok') });
    return h('section', { class: 'card', 'aria-labelledby': 'signal-title', id: 'signalling' },
      h('h2', { id: 'signal-title', class: 'card__title' }, t('signal.panel_title')),
      h('p', null, t('signal.panel_intro')),
      h('div', { class: 'action-list action-list--stack' },
        h('a', { class: 'button', href: `#/clients/${encodeURIComponent(clientId)}/signal`, id: 'signal-start-link' }, t('signal.start')),
        h('button', { type: 'button', class: 'button button--danger', id: 'client-flag', onclick: raiseByHand },
          icon('alert'), t('signal.flag_button'))),
      s.flagMsg ? h('div', { id: 'flags-msg', tabindex: '-1', class: 'panel-msg' }, notice(s.flagMsg.kind, s.flagMsg.text())) : null,
      h('h3', { class: 'subform__title', id: 'flags-title' }, t('redflags.title')),
      s.flagsError ? notice('error', errorText(s.flagsError)) : null,
      !s.flagsError && !open.length ? h('p', { class: 'muted', id: 'flags-none' }, t('redflags.none')) : null,
      open.length ? h('ul', { class: 'flag-list', id: 'flags-open', 'aria-labelledby': 'flags-title' },
        open.map((f) => h('li', null, flagCard(f, { headingLevel: 'h4', canClose: professional, onClosed })))) : null,
      closed.length ? [
        h('h3', { class: 'subform__title', id: 'flags-closed-title' }, t('redflags.closed_title')),
        h('ul', { class: 'flag-list', id: 'flags-closed', 'aria-labelledby': 'flags-closed-title' },
          closed.map((f) => h('li', null, flagCard(f, { headingLevel: 'h4' }))))] : null,
      h('h3', { class: 'subform__title', id: 'screenings-title' }, t('screenings.title')),
      s.screeningsError ? notice('error', errorText(s.screeningsError)) : null,
      !s.screeningsError && !s.screenings.length ? h('p', { class: 'muted' }, t('screenings.none')) : null,
      s.screenings.length ? h('ul', { class: 'client-list', id: 'screenings', 'aria-labelledby': 'screenings-title' }, s.screenings.map(screeningItem)) : null);
  }

  /* ---------- record ---------- */

  function fact(key, value, attrs) {
    if (value == null || value === '' || (Array.isArray(value) && !value.length)) return null;
    return [h('dt', null, t(key)), h('dd', attrs, value)];
  }

  function record() {
    const c = s.client;
    const flags = (c.risk_flags || []).map((f) => label('risk_flags', f));
    const scopes = (c.scopes || []).map((sc) => label('scopes', sc));
    return h('section', { class: 'card', 'aria-labelledby': 'client-record' },
      h('h2', { id: 'client-record', class: 'card__title' }, t('client.record_title')),
      h('dl', { class: 'facts' },
        fact('client.name', c.name ? h('bdi', null, c.name) : null),
        fact('client.phone', c.phone ? h('bdi', { dir: 'ltr' }, c.phone) : null),
        fact('register.year_of_birth', c.year_of_birth != null ? String(c.year_of_birth) : ''),
        fact('register.gender', label('genders', c.gender)),
        fact('register.country_of_origin', label('countries', c.country_of_origin)),
        fact('register.language', label('languages', c.language)),
        fact('register.phase', label('phases', c.phase)),
        fact('register.location', c.location ? h('bdi', null, c.location) : null),
        fact('register.risk_flags', flags.length ? formatList(flags) : t('client.no_risk_flags')),
        fact('client.created_at', formatDateTime(c.created_at)),
        fact('client.your_access', formatList(scopes))));
  }

  /* ---------- grants ---------- */

  function grantStatus(g) {
    if (g.state === 'requested') return { cls: 'badge--ended', text: t('grants.requested'), when: '—' };
    if (g.active && g.confirmed === false) return { cls: 'badge--active', text: t('grants.unconfirmed'), when: t('grants.expires', { date: formatDate(g.expires_at) }) };
    if (g.active) return { cls: 'badge--active', text: t('grants.active'), when: t('grants.expires', { date: formatDate(g.expires_at) }) };
    if (g.revoked_at) return { cls: 'badge--ended', text: t('grants.ended'), when: t('grants.revoked_on', { date: formatDate(g.revoked_at) }) };
    return { cls: 'badge--ended', text: t('grants.ended'), when: t('grants.expired_on', { date: formatDate(g.expires_at) }) };
  }

  function grantItem(g) {
    const st = grantStatus(g);
    const headingId = `grant-${g.id}-org`;
    const by = g.granted_by
      ? tNodes('grants.granted_by', { role: label('roles', g.granted_by.role), org: h('bdi', null, g.granted_by.org ?? '') })
      : null;
    return h('li', { class: ['grant', g.active ? 'grant--active' : 'grant--ended'], 'aria-labelledby': headingId },
      h('div', { class: 'grant__head' },
        h('h3', { class: 'grant__org', id: headingId }, h('bdi', null, g.org?.name ?? '')),
        h('span', { class: ['badge', st.cls] }, st.text)),
      h('p', { class: 'grant__label' }, t('grants.may_see')),
      h('ul', { class: 'scope-list' }, (g.scopes || []).map((sc) =>
        h('li', null, h('strong', null, label('scopes', sc)), ' — ', t(`scopes_desc.${sc}`)))),
      h('dl', { class: 'facts facts--compact' },
        h('dt', null, t('grants.basis')), h('dd', null, label('basis', g.basis)),
        by ? [h('dt', null, t('grants.by')), h('dd', null, by)] : null,
        h('dt', null, t('grants.since')), h('dd', null, formatDate(g.created_at)),
        h('dt', null, t('grants.until')), h('dd', null, st.when)),
      g.active ? h('p', { class: 'muted' }, t('grants.only_client')) : null,
      // issue 5: only the client (or a holder) withdraws access, in their own view (#/me)
      g.active && ctx.me?.user?.role === 'client'
        ? h('button', {
          type: 'button', class: 'button button--danger button--small', 'data-grant': g.id,
          'aria-describedby': headingId, onclick: () => askRevoke(g),
        }, t('grants.revoke'))
        : null);
  }

  function grantsPanel() {
    const active = s.grants.filter((g) => g.active || g.state === 'requested');
    const ended = s.grants.filter((g) => !g.active && g.state !== 'requested');
    return h('section', { class: 'card', 'aria-labelledby': 'grants-title', id: 'grants' },
      h('h2', { id: 'grants-title', class: 'card__title', tabindex: '-1' }, t('grants.title')),
      h('p', null, t('grants.intro')),
      s.panelMsg ? h('div', { id: 'grants-msg', tabindex: '-1', class: 'panel-msg' }, notice(s.panelMsg.kind, s.panelMsg.text())) : null,
      s.grantsError ? notice('error', errorText(s.grantsError)) : null,
      !s.grantsError && !s.grants.length ? h('p', { class: 'muted' }, t('grants.none')) : null,
      h('ul', { class: 'grant-list', id: 'grant-list' }, [...active, ...ended].map(grantItem)),
      addGrantForm());
  }

  /* ---------- revoke ---------- */

  function ownOrg(g) {
    return g.org?.id && g.org.id === ctx.me?.user?.org?.id;
  }

  function askRevoke(g) {
    s.revoking = g;
    s.panelMsg = null;
    const dlg = document.getElementById('revoke-dialog');
    dlg.replaceChildren(...revokeDialogContent(g));
    dlg.showModal();
    dlg.querySelector('[data-cancel]').focus();
  }

  function revokeDialogContent(g) {
    return [
      h('h2', { class: 'dialog__title', id: 'revoke-title' }, t('grants.revoke_confirm_title')),
      h('p', { id: 'revoke-body' }, t('grants.revoke_confirm', { org: g.org?.name ?? '' })),
      ownOrg(g) ? notice('error', t('grants.revoke_own_warning')) : null,
      h('div', { class: 'form__actions' },
        h('button', { type: 'button', class: 'button button--danger', 'data-confirm': '', onclick: () => confirmRevoke(g) },
          t('grants.revoke_yes')),
        h('button', { type: 'button', class: 'button button--secondary', 'data-cancel': '', onclick: closeDialog },
          t('form.cancel'))),
    ].filter(Boolean);
  }

  function closeDialog() {
    const dlg = document.getElementById('revoke-dialog');
    if (dlg?.open) dlg.close();
    const g = s.revoking;
    s.revoking = null;
    if (g) document.querySelector(`[data-grant="${CSS.escape(g.id)}"]`)?.focus();
  }

  async function confirmRevoke(g) {
    const dlg = document.getElementById('revoke-dialog');
    for (const b of dlg.querySelectorAll('button')) b.disabled = true;
    const org = g.org?.name ?? '';
    let failure = null;
    try {
      await del(`${path}/grants/${encodeURIComponent(g.id)}`);
    } catch (err) {
      if (err.handled) return;
      failure = err;
    }
    s.revoking = null;
    if (dlg.open) dlg.close();
    if (!failure && ownOrg(g)) {
      // Our own access is gone now; the caseload is the safe place to land.
      ctx.flash(() => t('grants.revoked_own', { org }));
      ctx.navigate('#/clients');
      return;
    }
    s.panelMsg = failure
      ? { kind: 'error', text: () => errorText(failure) }
      : { kind: 'success', text: () => t('grants.revoked', { org }) };
    await refreshAfterChange();
  }

  /** Re-read grants and the log, re-render, and move focus to the outcome message. */
  async function refreshAfterChange() {
    try {
      await Promise.all([loadGrants(), loadLog()]);
    } catch (err) {
      if (err.handled) return;
    }
    if (!ctx.isCurrent()) return;
    ctx.clearStatus();
    ctx.rerender();
    document.getElementById('grants-msg')?.focus();
  }

  /* ---------- add access ---------- */

  function grantErr(name) {
    if (!s.formErrors[name]) return null;
    return t(`grants.errors.${name}`);
  }

  function validateGrant() {
    const f = s.form;
    const errs = {};
    if (!f.org_id) errs.org_id = true;
    if (!f.scopes.size) errs.scopes = true;
    const days = Number(f.days);
    if (!/^\d{1,3}$/.test(String(f.days).trim()) || days < 1 || days > 365) errs.days = true;
    if (!f.consent && f.mode !== 'request') errs.consent = true;
    return errs;
  }

  async function submitGrant(e) {
    e.preventDefault();
    if (s.busy) return;
    s.panelMsg = null;
    s.formFailure = null;
    s.formErrors = validateGrant();
    if (!Object.keys(s.formErrors).length) {
      s.busy = true;
      ctx.rerender();
      const f = s.form;
      try {
        await post(`${path}/grants`, {
          org_id: f.org_id, scopes: SCOPES.filter((sc) => f.scopes.has(sc)),
          // issue 5: verbal consent is recorded (the client confirms it later); a request waits
          // for the client to accept it in their own dossier
          basis: f.mode === 'request' ? 'request' : 'verbal_consent', days: Number(f.days),
        });
        const org = s.orgs.find((o) => o.id === f.org_id)?.name ?? '';
        const key = f.mode === 'request' ? 'grants.request_sent' : 'grants.added';
        s.busy = false;
        s.form = { org_id: '', scopes: new Set(), days: '90', consent: false };
        s.panelMsg = { kind: 'success', text: () => t(key, { org }) };
        await refreshAfterChange();
        return;
      } catch (err) {
        s.busy = false;
        if (err.handled) return;
        for (const fe of err.fieldErrors) {
          const name = pointerField(fe.pointer);
          if (GRANT_FIELDS.includes(name)) s.formErrors[name] = true;
        }
        if (!Object.keys(s.formErrors).length) s.formFailure = err;
      }
    }
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    const first = GRANT_FIELDS.find((k) => s.formErrors[k]);
    if (first) focusFirst(document.getElementById('main'), [`grant-${first}`]);
    else document.getElementById('grant-failure')?.focus();
  }

  function orgOptions() {
    const own = ctx.me?.user?.org?.id;
    const region = ctx.me?.user?.org?.region;
    // Not our own organisation (it has access already), not the pool of client accounts (a client
    // gives access from their own account) and not the platform's administrators (no client data).
    return s.orgs.filter((o) => o.id !== own && !NO_GRANT_KINDS.has(o.kind)).map((o) => ({
      value: o.id, label: o.region && o.region !== region ? `${o.name} — ${o.region}` : o.name,
    }));
  }

  function addGrantForm() {
    const f = s.form;
    return h('form', { class: 'form subform', novalidate: true, onsubmit: submitGrant, 'aria-labelledby': 'grant-form-title', id: 'grant-form' },
      h('h3', { id: 'grant-form-title', class: 'subform__title' }, t('grants.add_title')),
      h('p', { class: 'muted' }, t('grants.add_intro')),
      s.orgsError ? notice('error', errorText(s.orgsError)) : null,
      s.formFailure ? h('div', { id: 'grant-failure', tabindex: '-1' }, notice('error', errorText(s.formFailure))) : null,
      field({
        id: 'grant-org_id', label: t('grants.org'), error: grantErr('org_id'),
        control: select({ name: 'org_id', value: f.org_id, options: orgOptions(), onchange: (e) => { f.org_id = e.target.value; } }),
      }),
      choiceGroup({
        id: 'grant-scopes', legend: t('grants.scopes'), hint: t('grants.scopes_hint'), error: grantErr('scopes'), type: 'checkbox', name: 'scopes',
        options: SCOPES.map((sc) => ({ value: sc, label: label('scopes', sc), description: t(`scopes_desc.${sc}`) })),
        checked: f.scopes,
        onchange: (e) => { if (e.target.checked) f.scopes.add(e.target.value); else f.scopes.delete(e.target.value); },
      }),
      field({
        id: 'grant-days', label: t('grants.days'), hint: t('grants.days_hint'), error: grantErr('days'),
        control: h('input', { type: 'text', inputmode: 'numeric', name: 'days', maxlength: '3', class: 'input--short', value: f.days, oninput: (e) => { f.days = e.target.value; } }),
      }),
      choiceGroup({
        id: 'grant-consent', legend: t('grants.basis'), hint: t('basis_desc.verbal_consent'), error: grantErr('consent'), type: 'checkbox', name: 'consent',
        options: [{ value: 'yes', label: t('grants.consent_check') }],
        checked: f.consent ? 'yes' : '', onchange: (e) => { f.consent = e.target.checked; },
      }),
      h('div', { class: 'form__actions' },
        h('button', { type: 'submit', class: 'button', disabled: s.busy, id: 'grant-submit', onclick: () => { s.form.mode = 'verbal'; } },
          s.busy ? t('form.busy') : t('grants.add_submit')),
        h('button', { type: 'submit', class: 'button button--secondary', disabled: s.busy, id: 'grant-request', onclick: () => { s.form.mode = 'request'; } },
          t('grants.request_submit'))));
  }

  /* ---------- access log ---------- */

  function logRow(e) {
    const what = [label('log_actions', e.action), e.object_type ? label('log_objects', e.object_type) : '']
      .filter(Boolean).join(' · ');
    return h('tr', null,
      h('td', { 'data-label': t('log.when') }, h('time', { datetime: e.at }, formatDateTime(e.at))),
      h('td', { 'data-label': t('log.who') }, h('div', null,
        h('span', { class: 'cell-line' }, h('bdi', null, e.org ?? '')),
        e.role ? h('span', { class: 'cell-line muted' }, label('roles', e.role)) : null)),
      h('td', { 'data-label': t('log.what') }, what),
      h('td', { 'data-label': t('log.outcome') }, label('log_outcomes', e.outcome)));
  }

  function logPanel() {
    return h('section', { class: 'card', 'aria-labelledby': 'log-title', id: 'access-log' },
      h('h2', { id: 'log-title', class: 'card__title' }, t('log.title')),
      h('p', null, t('log.intro')),
      s.logError ? notice('error', errorText(s.logError)) : null,
      !s.logError && !s.log.length ? h('p', { class: 'muted' }, t('log.none')) : null,
      s.log.length
        ? [h('p', { class: 'muted' }, tp('log.count', s.log.length)),
          h('table', { class: 'table table--stack' },
            h('caption', { class: 'visually-hidden' }, t('log.title')),
            h('thead', null, h('tr', null, ['when', 'who', 'what', 'outcome'].map((k) => h('th', { scope: 'col' }, t(`log.${k}`))))),
            h('tbody', null, s.log.map(logRow)))]
        : null);
  }

  /* ---------- page ---------- */

  function title() {
    return s.client ? t('client.heading', { year: s.client.year_of_birth ?? '?' }) : t('client.title');
  }

  function render() {
    return h('div', { class: 'stack' },
      h('p', { class: 'breadcrumb' }, h('a', { href: '#/clients' }, t('client.back'))),
      pageTitle(s.client.name ? `${s.client.name} — ${title()}` : title()),
      record(),
      routeLink(clientId, s.client.scopes),
      cardLink(clientId, s.client.scopes),
      summaryLink(clientId),
      signalPanel(),
      grantsPanel(),
      erasurePanel(ctx, clientId),
      movePanel(ctx, clientId, s.client),
      historyPanel(ctx, clientId),
      logPanel(),
      h('dialog', { id: 'revoke-dialog', class: 'dialog', 'aria-labelledby': 'revoke-title', 'aria-describedby': 'revoke-body', onclose: () => { if (s.revoking) closeDialog(); } }));
  }

  return { title, load, render };
}
