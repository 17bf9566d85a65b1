// Authority portal: the catalogue with prices.
import { AUTHORITY } from '../roles.js';

export default {
  path: '/portal/catalogue',
  title: 'portal.catalogue.title',
  nav: { section: 'portal', order: 10 },
  roles: AUTHORITY,
  async render(main, { api, h, t, fmt }) {
    const offerings = await api.all('/offerings');
    main.append(h('ul', { class: 'cards plain' }, offerings.map((o) => h('li', { class: 'card' },
      h('h2', {}, o.name),
      h('p', {}, o.description),
      h('p', { class: 'mono' }, o.code)))));
  },
};
