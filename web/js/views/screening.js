// SPDX-License-Identifier: EUPL-1.2
// The result of one signalling conversation, for the volunteer (#/clients/{id}/screenings/{sid}):
// red flags first (they override every band), then the band, what it means in plain Dutch, the
// care level, strengths and stressors. A "client summary" shows only the calm advice for the
// client, in the client's language, with the crisis line — no scores, no risk labels.

import { t, translator, formatDateTime, dirOf } from '../i18n.js';
import { get } from '../api.js';
import { h, notice, pageTitle, errorText } from '../dom.js';
import { label } from '../codes.js';
import { flagCard } from './flags.js';
import { routeLink } from './route.js';

export function createScreeningView(ctx, clientId, screeningId) {
  const path = `/clients/${encodeURIComponent(clientId)}`;
  const s = { sc: null, flags: [], flagsError: null, instruments: [], ct: null, showSummary: false };

  async function load() {
    s.sc = (await get(`${path}/screenings/${encodeURIComponent(screeningId)}`)).data;
    const [flags, inst, ct] = await Promise.allSettled([
      get(`${path}/red-flags`), get('/instruments'), translator(s.sc.language || 'nl'),
    ]);
    for (const r of [flags, inst]) if (r.status === 'rejected' && r.reason?.handled) throw r.reason;
    if (flags.status === 'fulfilled') s.flags = flags.value.data?.items ?? [];
    else s.flagsError = flags.reason;
    if (inst.status === 'fulfilled') s.instruments = inst.value.data?.items ?? [];
    s.ct = ct.status === 'fulfilled' ? ct.value : t;
  }

  function instrument() {
    return s.instruments.find((i) => i.id === s.sc.instrument) || null;
  }

  function meta() {
    const sc = s.sc;
    const inst = instrument();
    return h('dl', { class: 'facts facts--compact' },
      h('dt', null, t('screening.instrument')), h('dd', null, inst?.title || sc.instrument, ` (${sc.version})`),
      h('dt', null, t('screening.date')), h('dd', null, formatDateTime(sc.created_at)),
      h('dt', null, t('screening.language')), h('dd', null, label('languages', sc.language)),
      h('dt', null, t('screening.mode')), h('dd', null, label('signal.modes', sc.mode)),
      sc.created_by ? [h('dt', null, t('screening.by')), h('dd', null, label('roles', sc.created_by.role), ', ', h('bdi', null, sc.created_by.org ?? ''))] : null);
  }

  function flagsSection(result) {
    const raised = result.red_flags || [];
    if (!raised.length) return null;
    return h('section', { class: 'card card--alert', 'aria-labelledby': 'result-flags', id: 'result-flags-card' },
      h('h2', { class: 'card__title', id: 'result-flags' }, t('screening.flags_title')),
      h('p', null, t('screening.flags_intro')),
      s.flagsError ? notice('error', errorText(s.flagsError)) : null,
      h('ul', { class: 'flag-list' }, raised.map((rf) => {
        const full = s.flags.find((f) => f.id === rf.id) || { ...rf, client_id: clientId };
        return h('li', null, flagCard(full, { headingLevel: 'h3' }));
      })));
  }

  function bandSection(result) {
    const band = result.band;
    const level = result.level;
    return h('section', { class: 'card', 'aria-labelledby': 'result-band' },
      h('h2', { class: 'card__title', id: 'result-band' }, t('screening.band')),
      band
        ? h('p', { class: ['band', `band--${band.id}`], id: 'result-band-value', 'data-band': band.id },
          label('bands', band.id) === band.id ? (band.label || band.id) : label('bands', band.id))
        : h('p', { class: 'muted', id: 'result-band-value' }, t('screening.incomplete')),
      level ? h('p', { class: ['level', level === 'crisis' && 'level--crisis'], id: 'result-level', 'data-level': level },
        h('strong', null, t('screening.level')), ' ', label('levels', level)) : null,
      result.advice?.volunteer
        ? [h('h3', null, t('screening.advice')), h('p', { lang: 'nl', dir: 'ltr', id: 'result-advice' }, result.advice.volunteer)]
        : null);
  }

  function listSection(id, titleKey, items) {
    return h('section', { class: 'card', 'aria-labelledby': id },
      h('h2', { class: 'card__title', id }, t(titleKey)),
      items?.length
        ? h('ul', { class: 'plain-list', lang: 'nl' }, items.map((x) => h('li', null, x.label || x.id)))
        : h('p', { class: 'muted' }, t('screening.none')));
  }

  function tel(num, text) {
    return h('a', { href: `tel:${num}`, dir: 'ltr', class: 'tel-link' }, text);
  }

  function crisisNodes(tr) {
    const s0 = tr('crisis.line');
    const nodes = { n112: tel('112', '112'), n113: tel('113', '113'), n0800: tel('08000113', '0800-0113') };
    const out = [];
    let last = 0;
    for (const m of s0.matchAll(/\{(\w+)\}/g)) {
      if (!(m[1] in nodes)) continue;
      out.push(s0.slice(last, m.index), nodes[m[1]]);
      last = m.index + m[0].length;
    }
    out.push(s0.slice(last));
    return out;
  }

  function summarySection(result) {
    const ct = s.ct || t;
    const lang = s.sc.language || 'nl';
    const btn = h('button', {
      type: 'button', class: 'button button--secondary', id: 'summary-toggle',
      'aria-expanded': String(s.showSummary), 'aria-controls': 'client-summary',
      onclick: () => {
        s.showSummary = !s.showSummary;
        ctx.rerender();
        document.getElementById(s.showSummary ? 'client-summary-title' : 'summary-toggle')?.focus();
      },
    }, s.showSummary ? t('screening.summary_hide') : t('screening.summary_show'));
    return h('section', { class: 'stack', 'aria-labelledby': 'summary-heading' },
      h('h2', { id: 'summary-heading', class: 'visually-hidden' }, t('screening.summary')),
      h('p', { class: 'muted' }, t('screening.summary_hint')),
      btn,
      h('div', { id: 'client-summary', class: 'client-summary', hidden: !s.showSummary, lang, dir: dirOf(lang) },
        h('h3', { class: 'client-summary__title', id: 'client-summary-title', tabindex: '-1' }, ct('screening.summary_title')),
        h('p', { class: 'client-summary__text' }, result.advice?.client || result.advice?.client_nl || ''),
        h('p', { class: 'client-summary__crisis' }, h('strong', null, ct('crisis.title')), ' ', crisisNodes(ct))));
  }

  function render() {
    const sc = s.sc;
    const result = sc.result || null;
    const inst = instrument();
    return h('div', { class: 'stack result' },
      h('p', { class: 'breadcrumb' }, h('a', { href: `#/clients/${encodeURIComponent(clientId)}`, id: 'result-back' }, t('screening.back'))),
      pageTitle(t('screening.title')),
      meta(),
      result ? [
        flagsSection(result),
        bandSection(result),
        routeLink(clientId, ['signal'], 'result-route-link'),
        listSection('result-strengths', 'screening.strengths', result.strengths),
        listSection('result-stressors', 'screening.stressors', result.stressors),
        inst && inst.validated === false ? notice('info', t('signal.not_validated')) : null,
        summarySection(result),
      ] : notice('info', t('screening.no_result')));
  }

  return { title: () => t('screening.title'), load, render };
}

