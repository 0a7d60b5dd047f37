// SPDX-License-Identifier: EUPL-1.2
// The home page after login. Says who you are logged in as and what this role can do here:
// care roles get their caseload and the register form; analyst, admin and client roles get a
// plain explanation, because they see no client records through this UI (yet).

import { t, tp } from '../i18n.js';
import { h, pageTitle } from '../dom.js';
import { canRegister, label } from '../codes.js';

export function createHomeView(ctx) {
  function roleBlurb(role) {
    if (role === 'admin') return [t('home.admin.body'), t('home.admin.cli')];
    if (role === 'analyst') return [t('home.analyst.body'), t('home.analyst.later')];
    if (role === 'client') return [t('home.client.body')];
    return [t('home.care.body')];
  }

  function render() {
    const { user, session } = ctx.me;
    const idleMinutes = session?.idle_timeout ? Math.round(session.idle_timeout / 60) : null;
    return h('div', { class: 'stack' },
      pageTitle(t('home.title')),
      h('section', { class: 'card', 'aria-labelledby': 'home-who' },
        h('h2', { id: 'home-who', class: 'card__title' }, t('home.who_title')),
        h('dl', { class: 'facts' },
          h('dt', null, t('home.role')), h('dd', { id: 'home-role' }, label('roles', user.role)),
          h('dt', null, t('home.org')), h('dd', { id: 'home-org' }, h('bdi', null, user.org?.name ?? '')),
          user.org?.region ? [h('dt', null, t('home.region')), h('dd', null, h('bdi', null, user.org.region))] : null,
          // a client account's address is a placeholder (card logins have no email)
          user.role === 'client' ? null
            : [h('dt', null, t('home.email')), h('dd', null, h('bdi', { dir: 'ltr' }, user.email ?? ''))])),
      h('section', { class: 'card', 'aria-labelledby': 'home-what' },
        h('h2', { id: 'home-what', class: 'card__title' }, t('home.what_title')),
        roleBlurb(user.role).map((p) => h('p', null, p)),
        user.role === 'client'
          ? h('p', null, h('a', { class: 'button', href: '#/me', id: 'home-me' }, t('nav.me')))
          : null,
        canRegister(user.role)
          ? h('ul', { class: 'action-list' },
            h('li', null, h('a', { class: 'button', href: '#/clients' }, t('nav.clients'))),
            h('li', null, h('a', { class: 'button button--secondary', href: '#/clients/new' }, t('nav.register'))))
          : null),
      idleMinutes ? h('p', { class: 'muted' }, tp('home.idle', idleMinutes)) : null);
  }

  return { title: () => t('home.title'), render };
}
