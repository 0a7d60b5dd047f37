// SPDX-License-Identifier: EUPL-1.2
// The worklist of open red flags (#/worklist, GET /api/v1/worklist) for the regional coordinator
// and the professional roles: oldest first, a flag open for more than 24 hours highlighted.
// Professionals can close a flag here too; the coordinator follows up and cannot close.

import { t, tp } from '../i18n.js';
import { get } from '../api.js';
import { h, pageTitle, notice } from '../dom.js';
import { isProfessional } from '../codes.js';
import { flagCard } from './flags.js';

export function createWorklistView(ctx) {
  const s = { items: [], msg: null };

  async function load() {
    const { data } = await get('/worklist');
    s.items = Array.isArray(data?.items) ? data.items : [];
  }

  async function closed() {
    s.msg = { kind: 'success', text: () => t('redflags.closed_ok') };
    try {
      await load();
    } catch (err) {
      if (err.handled) return;
      s.msg = { kind: 'error', text: () => t('errors.generic') };
    }
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    document.getElementById('worklist-msg')?.focus();
  }

  function render() {
    const canClose = isProfessional(ctx.me?.user?.role);
    const overdue = s.items.filter((x) => x.flag?.overdue).length;
    return h('div', { class: 'stack' },
      pageTitle(t('worklist.title')),
      h('p', { class: 'lead' }, t('worklist.intro')),
      s.msg ? h('div', { id: 'worklist-msg', tabindex: '-1' }, notice(s.msg.kind, s.msg.text())) : null,
      s.items.length
        ? [h('p', { class: 'muted', id: 'worklist-count' }, tp('worklist.count', s.items.length),
          overdue ? [' · ', h('strong', { class: 'text-alert' }, tp('worklist.overdue_count', overdue))] : null),
        h('ul', { class: 'flag-list', id: 'worklist', 'aria-labelledby': 'worklist-count' }, s.items.map((x) => h('li', null,
          flagCard({ ...x.flag, client_id: x.flag?.client_id || x.client_id }, {
            headingLevel: 'h2', clientLink: true, canClose, onClosed: closed,
          }))))]
        : h('p', { class: 'notice notice--info' }, t('worklist.none')));
  }

  return { title: () => t('worklist.title'), load, render };
}
