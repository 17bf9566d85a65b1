// Authority portal: the authority's users (authority admins): list and create.
import { AUTHORITY_ADMIN } from '../roles.js';
import { table, field } from '../dom.js';

const ROLES = ['authority-user', 'authority-viewer', 'authority-admin'];

export default {
  path: '/portal/users',
  title: 'portal.users.title',
  nav: { section: 'portal', order: 60 },
  roles: AUTHORITY_ADMIN,
  async render(main, ctx) {
    const { api, h, t, fmt } = ctx;
    const users = await api.all(`/users?authorityId=${encodeURIComponent(ctx.me.authorityId)}`, 500);
    main.append(table(t('portal.users.caption'), [
      { label: t('portal.users.username'), render: (u) => h('span', { class: 'mono' }, u.username) },
      { label: t('portal.users.roles'), render: (u) => u.roles.map((r) => t(`role.${r}`)).join(', ') },
      { label: t('portal.users.locked'), render: (u) => t(u.locked ? 'common.yes' : 'common.no') },
      { label: t('common.created'), render: (u) => fmt.dateTime(u.createdAt) },
    ], users, t('common.none')));
    const username = h('input', { name: 'username', required: true, autocomplete: 'off' });
    const password = h('input', { name: 'password', type: 'password', required: true, minlength: '10', autocomplete: 'new-password' });
    const role = h('select', { name: 'role' }, ROLES.map((r) => h('option', { value: r }, t(`role.${r}`))));
    const error = h('div', { class: 'form-error' });
    main.append(h('form', {
      class: 'card', 'aria-labelledby': 'new-user-h',
      onsubmit: async (ev) => {
        ev.preventDefault();
        error.replaceChildren();
        try {
          await api.post('/users', { username: username.value.trim(), password: password.value, authorityId: ctx.me.authorityId, roles: [role.value] });
          ctx.announce(t('portal.users.created', { user: username.value.trim() }));
          await ctx.refresh();
        } catch (e) {
          error.replaceChildren(h('p', { role: 'alert' }, e.message));
        }
      },
    },
    h('h2', { id: 'new-user-h' }, t('portal.users.new')),
    field(t('portal.users.username'), username),
    field(t('login.password'), password, t('portal.users.passwordHint')),
    field(t('portal.users.role'), role),
    error,
    h('button', { type: 'submit' }, t('portal.users.create'))));
  },
};
