// SPDX-License-Identifier: EUPL-1.2
// The caseload: clients on which the user's organisation holds an active grant
// (GET /api/v1/clients). Each entry links to the client page.

import { t, tp } from '../i18n.js';
import { get } from '../api.js';
import { h, pageTitle } from '../dom.js';
import { transferImportLink } from './transfer_import.js';
import { label } from '../codes.js';

export function createCaseloadView() {
  const s = { items: [] };

  async function load() {
    const { data } = await get('/clients');
    s.items = Array.isArray(data?.items) ? data.items : [];
  }

  function item(c) {
    return h('li', { class: 'client-list__item' },
      h('a', { class: 'client-list__link', href: `#/clients/${encodeURIComponent(c.id)}` },
        h('span', { class: 'client-list__title' }, t('client.heading', { year: c.year_of_birth ?? '?' })),
        h('span', { class: 'client-list__meta' },
          label('phases', c.phase), ' · ', h('bdi', null, c.location ?? ''), ' · ', label('languages', c.language))));
  }

  function render() {
    return h('div', { class: 'stack' },
      pageTitle(t('caseload.title')),
      h('p', { class: 'lead' }, t('caseload.intro')),
      s.items.length
        ? [h('p', { class: 'muted', id: 'caseload-count' }, tp('caseload.count', s.items.length)),
          h('ul', { class: 'client-list', 'aria-labelledby': 'caseload-count' }, s.items.map(item))]
        : h('p', { class: 'notice notice--info' }, t('caseload.empty')),
      h('p', null, h('a', { class: 'button', href: '#/clients/new' }, t('nav.register'))),
      transferImportLink());
  }

  return { title: () => t('caseload.title'), load, render };
}
