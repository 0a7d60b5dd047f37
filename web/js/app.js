// SPDX-License-Identifier: EUPL-1.2
// Entry point of the web UI: loads the locale, asks the server who is logged in, and runs the hash
// router (#/login, #/card/{code} — the login card's QR code —, #/, #/clients, #/clients/new,
// #/clients/{id}, #/clients/{id}/signal, #/clients/{id}/card, #/clients/{id}/screenings/{sid},
// #/clients/{id}/route, #/worklist; the public social map #/map, #/map/service/{id},
// #/map/chain, and for the coordinator #/map/service/{id}/edit and #/map/new). Owns the page
// shell — header, navigation, language switch, status region and the crisis line — and hands
// views a small context (ctx) to navigate, announce, re-render, manage the session and lock
// navigation while a red-flag protocol (or a conversation in client mode) must not be left by the
// back button.

import { initI18n, setLang, t, tNodes, onLangChange, getLang } from './i18n.js';
import { get, post, del, setCsrfToken, onUnauthenticated, lastActivity } from './api.js';
import { h, errorText, notice, pageTitle } from './dom.js';
import { canRegister, canWorklist, label } from './codes.js';
import { forceClose as closeProtocol } from './redflag.js';
import { createLoginView } from './views/login.js';
import { createHomeView } from './views/home.js';
import { createCaseloadView } from './views/caseload.js';
import { createRegisterView } from './views/register.js';
import { createClientView } from './views/client.js';
import { createSignalView } from './views/signal.js';
import { createScreeningView } from './views/screening.js';
import { createWorklistView } from './views/worklist.js';
import { createMapView } from './views/map.js';
import { createServiceView } from './views/service.js';
import { createServiceEditView } from './views/service_edit.js';
import { createChainView } from './views/chain.js';
import { createCardView } from './views/card.js';
import { createRouteView } from './views/route.js';
import { createInboxView, canReferrals } from './views/inbox.js';
import { createReferralView } from './views/referral_page.js';
import { createMeView } from './views/me.js';
import { createSummaryView } from './views/summary.js';
import { createEraseView } from './views/erase.js';
import { createTakeView } from './views/take.js';
import { createTransferImportView } from './views/transfer_import.js';

const SESSION_FLAG = 'vk.active';

const state = {
  me: null, // {user, csrf_token, session} from GET /api/v1/me
  view: null,
  route: null,
  seq: 0,
  flash: null, // {kind, text: () => string} shown by the next view that asks for it
  status: null, // {textFn, kind}: the current content of the live status region
  returnTo: null, // the page asked for before login, to go back to afterwards
  viewToken: null, // identifies the current view's context (see viewContext)
  ready: false, // the current view has loaded and may be painted
  locks: new Set(), // navigation locks: while any is held, the hash stays where it was locked
  lockedHash: null,
  guard: null, // {hash, message}: leaving asks first (a conversation in interviewer mode)
};

const $ = (id) => document.getElementById(id);

/* ---------- routing ---------- */

const ROUTES = [
  { name: 'login', re: /^#\/login$/, public: true, create: createLoginView },
  // The QR code on a client's login card: the login page with the code filled in.
  { name: 'card-login', re: /^#\/card\/([A-Za-z0-9-]{1,40})$/, public: true, create: (vctx, code) => createLoginView(vctx, { code }) },
  { name: 'home', re: /^(#\/?)?$/, create: createHomeView },
  // The client's own dossier (issue 5): story, who can see it, who looked.
  { name: 'me', re: /^#\/me\/?$/, allow: (role) => role === 'client', create: createMeView },
  { name: 'me-summary', re: /^#\/me\/summary$/, allow: (role) => role === 'client', create: (vctx) => createSummaryView(vctx) },
  { name: 'me-erase', re: /^#\/me\/erase$/, allow: (role) => role === 'client', create: (vctx) => createEraseView(vctx) },
  { name: 'me-take', re: /^#\/me\/take$/, allow: (role) => role === 'client', create: (vctx) => createTakeView(vctx) },
  { name: 'register', re: /^#\/clients\/new$/, needsCaseload: true, create: createRegisterView },
  { name: 'transfer-import', re: /^#\/transfers\/import$/, needsCaseload: true, create: (vctx) => createTransferImportView(vctx) },
  { name: 'client', re: /^#\/clients\/([A-Za-z0-9_-]{1,64})$/, needsCaseload: true, create: createClientView },
  { name: 'card', re: /^#\/clients\/([A-Za-z0-9_-]{1,64})\/card$/, needsCaseload: true, create: createCardView },
  { name: 'signal', re: /^#\/clients\/([A-Za-z0-9_-]{1,64})\/signal$/, needsCaseload: true, create: createSignalView },
  { name: 'route', re: /^#\/clients\/([A-Za-z0-9_-]{1,64})\/route$/, needsCaseload: true, create: createRouteView },
  { name: 'summary', re: /^#\/clients\/([A-Za-z0-9_-]{1,64})\/summary$/, needsCaseload: true, create: createSummaryView },
  { name: 'screening', re: /^#\/clients\/([A-Za-z0-9_-]{1,64})\/screenings\/([A-Za-z0-9_-]{1,64})$/, needsCaseload: true, create: createScreeningView },
  { name: 'worklist', re: /^#\/worklist\/?$/, allow: canWorklist, create: createWorklistView },
  // Referrals received and sent (issue 6): the inbox and one referral with its transitions.
  { name: 'referrals', re: /^#\/referrals\/?$/, allow: canReferrals, create: createInboxView },
  { name: 'referral', re: /^#\/referrals\/([A-Za-z0-9_-]{1,64})$/, allow: canReferrals, create: createReferralView },
  { name: 'clients', re: /^#\/clients\/?$/, needsCaseload: true, create: createCaseloadView },
  // The social map is public (no login); its views read their query (?q=…, ?area=…) themselves.
  { name: 'map', re: /^#\/map\/?(?:\?.*)?$/, public: true, create: (vctx) => createMapView(vctx) },
  { name: 'map-chain', re: /^#\/map\/chain\/?(?:\?.*)?$/, public: true, create: (vctx) => createChainView(vctx) },
  { name: 'map-new', re: /^#\/map\/new$/, allow: canEditMap, create: (vctx) => createServiceEditView(vctx, null) },
  { name: 'map-edit', re: /^#\/map\/service\/([A-Za-z0-9_-]{1,64})\/edit$/, allow: canEditMap, create: createServiceEditView },
  { name: 'map-service', re: /^#\/map\/service\/([A-Za-z0-9_-]{1,64})$/, public: true, create: createServiceView },
];

/** Editing the social map is for the coordinator; the server checks the region on every save. */
function canEditMap(role) {
  return role === 'coordinator';
}

function match(hash) {
  for (const r of ROUTES) {
    const m = hash.match(r.re);
    if (m) return { ...r, params: m.slice(1).map(decodeURIComponent) };
  }
  return { name: 'not-found', params: [], create: createNotFoundView };
}

function navigate(hash) {
  if (location.hash === hash || (hash === '#/' && location.hash === '')) route();
  else location.hash = hash;
}

async function route() {
  if (state.locks.size && location.hash !== state.lockedHash) {
    // A red-flag protocol (or a conversation in client mode) is open: the back button and links
    // do nothing. pushState puts the locked address back without another hashchange.
    history.pushState(null, '', state.lockedHash);
    return;
  }
  if (state.guard && location.hash !== state.guard.hash) {
    // eslint-disable-next-line no-alert -- the browser's own dialog: accessible and modal
    if (!window.confirm(state.guard.message)) {
      history.pushState(null, '', state.guard.hash);
      return;
    }
    state.guard = null;
  }
  const seq = ++state.seq;
  const r = match(location.hash);
  if (!r.public && !state.me) {
    if (r.name !== 'home') state.returnTo = location.hash;
    return navigate('#/login');
  }
  if ((r.name === 'login' || r.name === 'card-login') && state.me) return navigate('#/');
  const token = {};
  const vctx = viewContext(token);
  const allowed = r.allow ? r.allow(state.me.user.role) : !r.needsCaseload || canRegister(state.me.user.role);
  try { state.view?.leave?.(); } catch { /* a view's clean-up must not stop navigation */ }
  const view = allowed ? r.create(vctx, ...r.params) : createForbiddenView();
  state.view = view;
  state.viewToken = token;
  state.ready = false;
  state.route = r.name;
  if (!state.flash) setStatus(null);
  renderShell();

  const main = $('main');
  main.setAttribute('aria-busy', 'true');
  main.replaceChildren(h('p', { class: 'loading' }, t('app.loading')));
  if (view.load) {
    try {
      await view.load();
    } catch (err) {
      if (seq !== state.seq || err.handled) return;
      view.loadError = err;
    }
  }
  if (seq !== state.seq) return;
  main.removeAttribute('aria-busy');
  state.ready = true;
  paint();
  const flash = takeFlash();
  if (flash) setStatus(flash.text, flash.kind);
  focusHeading();
}

/** Replace <main> with the current view; a failed load shows its title and the error. */
function paint() {
  const view = state.view;
  if (!view || !state.ready) return; // still loading: route() paints when the data is in
  const node = view.loadError
    ? h('div', { class: 'stack' }, pageTitle(view.title()), notice('error', errorText(view.loadError)))
    : view.render();
  $('main').replaceChildren(node);
  document.title = `${view.title()} — ${t('app.name')}`;
}

function focusHeading() {
  const h1 = $('main').querySelector('h1');
  (h1 || $('main')).focus();
}

/* ---------- shell ---------- */

function renderShell() {
  renderLangSwitch();
  renderUserBar();
  renderNav();
  renderCrisisLine();
  renderStatus();
}

function renderLangSwitch() {
  const sel = $('lang-select');
  if (sel && sel.value !== getLang()) sel.value = getLang();
}

function renderUserBar() {
  const bar = $('user-bar');
  if (!state.me) {
    bar.hidden = true;
    bar.replaceChildren();
    return;
  }
  const { user } = state.me;
  bar.hidden = false;
  bar.replaceChildren(
    h('p', { class: 'user-info' },
      h('span', { class: 'visually-hidden' }, t('shell.logged_in_as')),
      h('span', { class: 'user-info__role', id: 'user-role' }, label('roles', user.role)),
      h('span', { class: 'user-info__sep', 'aria-hidden': 'true' }, ' · '),
      h('bdi', { class: 'user-info__org', id: 'user-org' }, user.org?.name ?? '')),
    ...[dossierSwitch()].filter(Boolean),
    h('button', { type: 'button', class: 'button button--secondary button--small', id: 'logout', onclick: logout },
      t('shell.logout')));
}

/** A client account holding someone else's dossier (a parent) picks the one it acts on. */
function dossierSwitch() {
  const list = state.me?.dossiers;
  if (!Array.isArray(list) || list.length < 2) return null;
  const name = (d) => (d.relation === 'self' ? t('card.dossier.self')
    : t(`card.dossier.${d.relation}`, { year: d.year_of_birth ?? '?' }));
  return h('div', { class: 'dossier-switch' },
    h('label', { for: 'dossier-select', class: 'dossier-switch__label' }, t('card.dossier.label')),
    h('select', { id: 'dossier-select', class: 'dossier-switch__select', onchange: switchDossier },
      list.map((d) => h('option', { value: d.id, selected: d.active }, name(d)))));
}

async function switchDossier(e) {
  const pid = e.target.value;
  e.target.disabled = true;
  try {
    await post('/session/dossier', { pid });
    await loadMe();
    state.flash = { kind: 'success', text: () => t('card.dossier.switched') };
    navigate('#/');
  } catch (err) {
    if (err.handled) return;
    setStatus(() => errorText(err), 'error');
    renderUserBar();
  }
}

function renderNav() {
  const nav = $('site-nav');
  const mapItem = { href: '#/map', key: 'nav.map', route: 'map', also: /^map/ };
  if (!state.me) {
    // Without an account only the public social map and the login page are reachable.
    const items = [mapItem, { href: '#/login', key: 'nav.login', route: 'login' }];
    nav.hidden = false;
    nav.replaceChildren(h('ul', { class: 'site-nav__list' }, items.map(navLink)));
    return;
  }
  const items = [{ href: '#/', key: 'nav.home', route: 'home' }];
  if (state.me.user.role === 'client') items.push({ href: '#/me', key: 'nav.me', route: 'me' });
  if (canRegister(state.me.user.role)) {
    items.push({ href: '#/clients', key: 'nav.clients', route: 'clients' });
    items.push({ href: '#/clients/new', key: 'nav.register', route: 'register' });
  }
  if (canWorklist(state.me.user.role)) items.push({ href: '#/worklist', key: 'nav.worklist', route: 'worklist' });
  if (canReferrals(state.me.user.role)) items.push({ href: '#/referrals', key: 'inbox.nav', route: 'referrals', also: /^referral/ });
  items.push(mapItem);
  nav.hidden = false;
  nav.replaceChildren(h('ul', { class: 'site-nav__list' }, items.map(navLink)));
}

function navLink(it) {
  const current = state.route === it.route || (it.also && it.also.test(state.route || ''));
  return h('li', null, h('a', { href: it.href, class: 'site-nav__link', 'aria-current': current ? 'page' : null }, t(it.key)));
}

function renderCrisisLine() {
  const tel = (num, text) => h('a', { href: `tel:${num}`, dir: 'ltr', class: 'crisis__tel' }, text);
  $('crisis-line').replaceChildren(
    h('strong', { class: 'crisis__title' }, t('crisis.title')), ' ',
    ...tNodes('crisis.line', { n112: tel('112', '112'), n113: tel('113', '113'), n0800: tel('08000113', '0800-0113') }));
}

function setStatus(textFn, kind = 'info') {
  state.status = textFn ? { textFn, kind } : null;
  renderStatus();
}

function renderStatus() {
  const el = $('status');
  el.className = state.status ? `status-region status-region--${state.status.kind}` : 'status-region';
  el.textContent = state.status ? state.status.textFn() : '';
}

function takeFlash() {
  const f = state.flash;
  state.flash = null;
  return f;
}

/* ---------- session ---------- */

async function loadMe({ quiet = false } = {}) {
  const { data } = await get('/me', { quiet401: quiet });
  state.me = data;
  setCsrfToken(data.csrf_token);
  try { sessionStorage.setItem(SESSION_FLAG, '1'); } catch { /* ignore */ }
  return data;
}

function clearSession() {
  state.me = null;
  setCsrfToken('');
  try { sessionStorage.removeItem(SESSION_FLAG); } catch { /* ignore */ }
}

function sessionEnded() {
  if (!state.me) return;
  clearSession();
  // The login page must be reachable: drop every navigation lock and an open protocol panel.
  closeProtocol();
  state.locks.clear();
  document.body.classList.remove('is-client-mode');
  state.flash = { kind: 'info', text: () => t('errors.session_ended') };
  navigate('#/login');
}

/**
 * Leave a page with client data on screen no longer than the server keeps the session: once the
 * idle timeout (or the absolute expiry) has passed, go to the login page as a 401 would.
 */
function checkIdle() {
  const session = state.me?.session;
  if (!session) return;
  const idleMs = (Number(session.idle_timeout) || 0) * 1000;
  const expires = Date.parse(session.expires_at || '');
  const now = Date.now();
  if ((idleMs && now - lastActivity() > idleMs) || (!Number.isNaN(expires) && now >= expires)) {
    del('/session', { quiet401: true }).catch(() => {});
    sessionEnded();
  }
}

async function logout() {
  const btn = $('logout');
  if (btn) btn.disabled = true;
  try {
    await del('/session', { quiet401: true });
  } catch (err) {
    if (err.status !== 401) {
      if (btn) btn.disabled = false;
      setStatus(() => errorText(err), 'error');
      return;
    }
  }
  clearSession();
  state.flash = { kind: 'success', text: () => t('shell.logged_out') };
  navigate('#/login');
}

/* ---------- context handed to views ---------- */

const ctx = {
  get me() { return state.me; },
  navigate,
  /** Show (and announce) a message in the status region; textFn is re-run on language change. */
  announce(textFn, kind = 'info') { setStatus(textFn, kind); },
  clearStatus() { setStatus(null); },
  /** A message for the next page (e.g. "client registered" after a redirect). */
  flash(textFn, kind = 'success') { state.flash = { kind, text: textFn }; },
  /** Re-render the current view in place (keeps focus where the view puts it). */
  rerender() { paint(); },
  /**
   * Keep the page where it is: the back button and in-app links do nothing until the returned
   * function is called. Used by the red-flag protocol and by a conversation in client mode.
   */
  lockNavigation() {
    const lock = {};
    if (!state.locks.size) state.lockedHash = location.hash;
    state.locks.add(lock);
    return () => { state.locks.delete(lock); };
  },
  /**
   * Ask before leaving the page (back button, links, reload): the returned function lifts it.
   * Used by a conversation in interviewer mode, whose answers would be lost.
   */
  guardNavigation(message) {
    const guard = { hash: location.hash, message };
    state.guard = guard;
    const unload = (e) => { e.preventDefault(); e.returnValue = message; };
    window.addEventListener('beforeunload', unload);
    return () => {
      if (state.guard === guard) state.guard = null;
      window.removeEventListener('beforeunload', unload);
    };
  },
  /** After a successful login: fetch /me, then go home. */
  async loggedIn(loginData) {
    setCsrfToken(loginData.csrf_token);
    try {
      await loadMe();
    } catch {
      state.me = { user: loginData.user, csrf_token: loginData.csrf_token };
    }
    const back = state.returnTo;
    state.returnTo = null;
    navigate(back || '#/');
  },
};

/**
 * The context one view gets. Its rerender() is a no-op once the user has moved on, so a request
 * that finishes late cannot repaint someone else's page.
 */
function viewContext(token) {
  const vctx = Object.create(ctx);
  vctx.isCurrent = () => state.viewToken === token;
  vctx.rerender = () => { if (vctx.isCurrent()) paint(); };
  return vctx;
}

/* ---------- small built-in views ---------- */

function createNotFoundView() {
  return {
    title: () => t('notfound.title'),
    render: () => h('div', { class: 'stack' }, pageTitle(t('notfound.title')),
      h('p', null, t('notfound.body')), h('p', null, h('a', { href: '#/' }, t('nav.home')))),
  };
}

function createForbiddenView() {
  return {
    title: () => t('errors.forbidden_title'),
    render: () => h('div', { class: 'stack' }, pageTitle(t('errors.forbidden_title')),
      notice('info', t('errors.forbidden')), h('p', null, h('a', { href: '#/' }, t('nav.home')))),
  };
}

/* ---------- start ---------- */

function wireStaticControls() {
  $('lang-select').addEventListener('change', (e) => setLang(e.target.value));
  // The skip link must not change the hash: that would be taken for a route.
  $('skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    focusHeading();
  });
  onLangChange(() => {
    renderShell();
    paint();
  });
  onUnauthenticated(sessionEnded);
  window.addEventListener('hashchange', route);
  window.setInterval(checkIdle, 15000);
}

async function start() {
  await initI18n();
  wireStaticControls();
  renderShell();
  let wasActive = false;
  try { wasActive = sessionStorage.getItem(SESSION_FLAG) === '1'; } catch { /* ignore */ }
  try {
    await loadMe({ quiet: true });
  } catch (err) {
    clearSession();
    if (err.status === 401 && wasActive) state.flash = { kind: 'info', text: () => t('errors.session_ended') };
    else if (err.status !== 401) state.flash = { kind: 'error', text: () => errorText(err) };
  }
  await route();
}

start();
