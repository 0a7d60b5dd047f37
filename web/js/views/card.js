// SPDX-License-Identifier: EUPL-1.2
// The client's login card, for the professional who enrols the client in person
// (#/clients/{id}/card): the card's state (issued, PIN chosen, locked), then "make a card" —
// POST /api/v1/clients/{id}/card answers the code and its QR code once — and a printable card in
// the client's language and in Dutch: the QR code (an SVG made by the server, shown as an inline
// image: no external request), the code in large letters, three plain steps and the crisis
// numbers. Prints on A6 (one language per side) or A4 (both on one sheet).

import { t, translator, formatDateTime } from '../i18n.js';
import { get, post } from '../api.js';
import { h, notice, pageTitle, errorText, choiceGroup } from '../dom.js';

const FORMAT_KEY = 'vk.cardFormat';

/** The link on the client page, for whoever may enrol this client (contact or signal scope). */
export function cardLink(clientId, scopes) {
  if (!Array.isArray(scopes) || !scopes.some((x) => x === 'contact' || x === 'signal')) return null;
  return h('p', { class: 'action-list' },
    h('a', { class: 'button button--secondary', id: 'client-card-link', href: `#/clients/${encodeURIComponent(clientId)}/card` },
      t('card.make')));
}

function storedFormat() {
  try {
    return localStorage.getItem(FORMAT_KEY) === 'a4' ? 'a4' : 'a6';
  } catch {
    return 'a6';
  }
}

export function createCardView(ctx, clientId) {
  const path = `/clients/${encodeURIComponent(clientId)}/card`;
  const s = {
    status: null, // GET …/card: {issued, issued_at, pin_chosen, locked}
    card: null, // the POST answer: {code, login_url, qr_svg, language}; only in memory
    sides: [], // [translator] for the client's language (if not Dutch) and for Dutch
    busy: false,
    error: null,
    format: storedFormat(),
  };

  async function load() {
    document.body.classList.add('is-card-page');
    s.status = (await get(path)).data;
  }

  function leave() {
    document.body.classList.remove('is-card-page', 'is-card-a4');
    s.card = null; // the code does not outlive the page
  }

  async function make() {
    if (s.busy) return;
    s.busy = true;
    s.error = null;
    ctx.rerender();
    try {
      const { data } = await post(path);
      const own = await translator(data.language);
      const nl = await translator('nl');
      s.card = data;
      s.sides = own.lang === 'nl' ? [nl] : [own, nl];
      s.status = { issued: true, issued_at: new Date().toISOString(), pin_chosen: false, locked: false };
      ctx.announce(() => t('card.made'), 'success');
    } catch (err) {
      if (err.handled) return;
      s.error = err;
    }
    s.busy = false;
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    document.getElementById(s.card ? 'card-made-title' : 'card-make')?.focus();
  }

  function setFormat(e) {
    s.format = e.target.value === 'a4' ? 'a4' : 'a6';
    try { localStorage.setItem(FORMAT_KEY, s.format); } catch { /* private mode */ }
    document.body.classList.toggle('is-card-a4', s.format === 'a4');
    ctx.rerender();
    document.getElementById(s.format === 'a4' ? 'card-format-1' : 'card-format')?.focus();
  }

  function statusPanel() {
    const st = s.status || {};
    const lines = !st.issued ? [t('card.status_none')] : [
      t('card.status_issued', { date: formatDateTime(st.issued_at) }),
      st.locked ? null : t(st.pin_chosen ? 'card.status_pin' : 'card.status_no_pin'),
    ];
    return h('section', { class: 'card no-print', 'aria-labelledby': 'card-status-title' },
      h('h2', { id: 'card-status-title', class: 'card__title' }, t('card.status_title')),
      lines.filter(Boolean).map((x) => h('p', { class: 'card-status' }, x)),
      st.locked ? notice('error', t('card.status_locked')) : null,
      st.issued ? notice('info', t('card.reissue_warning')) : null,
      s.error ? notice('error', errorText(s.error)) : null,
      h('div', { class: 'form__actions' },
        h('button', { type: 'button', class: 'button', id: 'card-make', disabled: s.busy, onclick: make },
          s.busy ? t('card.busy') : t(st.issued ? 'card.make_new' : 'card.make'))));
  }

  function madePanel() {
    if (!s.card) return null;
    document.body.classList.toggle('is-card-a4', s.format === 'a4');
    return [
      h('section', { class: 'card no-print', 'aria-labelledby': 'card-made-title' },
        h('h2', { id: 'card-made-title', class: 'card__title', tabindex: '-1' }, t('card.made')),
        notice('info', h('strong', null, t('card.only_now'))),
        choiceGroup({
          id: 'card-format', legend: t('card.format_legend'), type: 'radio', name: 'card-format',
          options: [{ value: 'a6', label: t('card.format_a6') }, { value: 'a4', label: t('card.format_a4') }],
          checked: s.format, onchange: setFormat,
        }),
        h('div', { class: 'form__actions' },
          h('button', { type: 'button', class: 'button', id: 'card-print', onclick: () => window.print() }, t('card.print')))),
      h('div', { class: ['card-sheet', `card-sheet--${s.format}`], id: 'card-sheet' }, s.sides.map((tr, i) => loginCardSide(s.card, tr, i))),
    ];
  }

  function render() {
    return h('div', { class: 'stack' },
      h('p', { class: 'breadcrumb no-print' }, h('a', { href: `#/clients/${encodeURIComponent(clientId)}` }, t('card.back'))),
      pageTitle(t('card.page_title')),
      h('p', { class: 'lead no-print' }, t('card.intro')),
      s.card ? null : statusPanel(),
      madePanel());
  }

  return { title: () => t('card.page_title'), load, render, leave };
}

/**
 * One side of a login card (as POST /clients/{id}/card or an import answers it: code, login_url,
 * qr_svg), entirely in one language (tr), with its own lang and dir. Also used by the transfer
 * import screen, which hands over a card the same way.
 */
export function loginCardSide(card, tr, i) {
  const site = new URL(card.login_url).host;
  const qr = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(card.qr_svg)}`;
  return h('article', { class: 'login-card', lang: tr.lang, dir: tr.dir, 'aria-labelledby': `login-card-title-${i}`, 'data-lang': tr.lang },
    h('header', { class: 'login-card__head' },
      h('h2', { class: 'login-card__title', id: `login-card-title-${i}` }, tr('card.card_title')),
      h('p', { class: 'login-card__brand' }, tr('card.card_for'))),
    h('div', { class: 'login-card__main' },
      h('img', { class: 'login-card__qr', src: qr, alt: tr('card.qr_alt'), width: '180', height: '180' }),
      h('div', { class: 'login-card__codebox' },
        h('p', { class: 'login-card__caption' }, tr('card.code_caption')),
        h('p', { class: 'login-card__code', dir: 'ltr', translate: 'no' }, card.code))),
    h('ol', { class: 'login-card__steps' },
      h('li', null, tr('card.step1', { site })),
      h('li', null, tr('card.step2')),
      h('li', null, tr('card.step3'))),
    h('div', { class: 'login-card__crisis' },
      h('p', { class: 'login-card__crisis-title' }, tr('card.crisis_title')),
      h('ul', null,
        h('li', null, h('bdi', { dir: 'ltr' }, '112'), ' — ', tr('card.crisis_112')),
        h('li', null, h('bdi', { dir: 'ltr' }, '113'), ' / ', h('bdi', { dir: 'ltr' }, '0800-0113'), ' — ', tr('card.crisis_113')))),
    h('p', { class: 'login-card__keep' }, tr('card.keep_safe')));
}
